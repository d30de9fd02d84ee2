"""What an HTTP answer says, read without the network: its type, charset, dates, and why it failed.

Pure functions of headers and the first bytes of a body, so the client's rules (a PDF behind a
``text/html`` label is refused, a ``Retry-After`` date is honoured) are tested on plain data.
"""

from __future__ import annotations

import email.utils
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from protego import Protego

from monitor.core.models import Validators
from monitor.errors import (
    BlockedByRobots,
    FetchError,
    FetchTimeout,
    NetworkError,
    RedirectError,
    UnsupportedContent,
)

#: What we may accept back, by the kind of resource asked for; ``robots`` also takes text/plain.
MARKUP_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",  # RSS 1.0
        "application/feed+json",
        "application/json",  # JSON Feed served as plain JSON, and a site's API
        "application/vnd.api+json",  # JSON:API (Drupal's, among others)
        "application/hal+json",
    }
)


ACCEPTS: dict[str, tuple[str, frozenset[str]]] = {
    "html": ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", MARKUP_TYPES),
    "feed": (
        "application/rss+xml,application/atom+xml,application/feed+json,"
        "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
        MARKUP_TYPES,
    ),
    "xml": ("application/xml,text/xml;q=0.9,*/*;q=0.5", MARKUP_TYPES),
    "robots": ("text/plain,*/*;q=0.5", MARKUP_TYPES | {"text/plain"}),
    "json": ("application/json,application/vnd.api+json;q=0.9,*/*;q=0.5", MARKUP_TYPES),
}


#: Binary formats that sites serve under a text/html label (a download link, an error image).
_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xd0\xcf\x11\xe0", "an MS Office document"),
)


SNIFF_BYTES = 1024


def is_gzip_file(content_type: str, path: str) -> bool:
    """A gzipped file (``sitemap.xml.gz``) rather than a gzip-encoded transfer."""
    if content_type in ("application/gzip", "application/x-gzip"):
        return True
    return content_type in ("application/octet-stream", "") and path.endswith(".gz")


def checked_content_type(url: str, declared: str, head: bytes, allowed: frozenset[str]) -> str:
    """The effective content type: refuse binary magic whatever the label; sniff if unlabeled."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            label = declared or "no Content-Type"
            raise UnsupportedContent(url, f"body is {what}, not HTML/XML/feed (labelled {label})")
    if _binary(head[:SNIFF_BYTES]):
        label = declared or "no Content-Type"
        raise UnsupportedContent(url, f"body is binary data, not text (labelled {label})")
    if declared:
        return declared
    sniffed = sniff(head[:SNIFF_BYTES], "text/plain" in allowed)
    if sniffed is None:
        raise UnsupportedContent(url, "no Content-Type and the body is not HTML, XML or a feed")
    return sniffed


#: Every byte a text page may hold: all but the C0 controls other than \t \n \v \f \r, and DEL.
_NOT_ODD = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32 or b == 127))


def _binary(head: bytes) -> bool:
    """Control bytes no text page has (UTF-16 aside): an image or an archive without magic."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or not head:
        return False
    odd = len(head.translate(None, _NOT_ODD))  # keeps only the odd bytes, at C speed
    return odd > len(head) // 20


def sniff(head: bytes, plain_ok: bool) -> str | None:
    """Guess HTML, a feed or XML from the first bytes of an unlabeled body."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text or b"<body" in text:
        return "text/html"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        for tag, kind in ((b"<rss", "rss+xml"), (b"<feed", "atom+xml"), (b"<rdf:rdf", "rdf+xml")):
            if tag in text:
                return f"application/{kind}"
        return "application/xml" if text.startswith(b"<?xml") else None
    if text.startswith(b"{") and b"jsonfeed.org/version" in text:
        return "application/feed+json"
    if plain_ok and b"\x00" not in text:
        return "text/plain"
    return None


def check_scheme(url: str) -> None:
    """Refuse anything but http(s) before any I/O."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "not an http(s) URL")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def charset(header: str | None) -> str | None:
    for param in (header or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def retry_after_seconds(value: str | None, date: str | None, now: float) -> float | None:
    """Retry-After as seconds: delta-seconds, or an HTTP-date against the server's Date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = http_date(value)
    if when is None:
        return None
    # the server's own clock, when it sent one, cancels clock skew
    server_now = http_date(date) if date else None
    return max(0.0, round(when - (server_now if server_now is not None else now), 3))


def http_date(value: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and its causes, outermost first (a cycle is walked once)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def root_cause(exc: BaseException) -> str:
    """The innermost message of an exception chain: ``Connection refused``, not ``ReadError``."""
    found = one_line(exc)
    for current in _chain(exc):
        if isinstance(current, OSError) and current.errno:
            # asyncio's strerror is "Connect call failed (...)"; errno says "Connection refused"
            errno = current.errno
            found = os.strerror(errno) if errno > 0 else current.strerror or os.strerror(errno)
        elif str(current).strip():
            found = one_line(current)
    return found


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(e, kind) for e in _chain(exc))


def network_reason(exc: httpx.TransportError, url: str) -> str:
    """One line for a transport failure, never a repr of nested exceptions."""
    host = urlsplit(url).netloc
    detail = root_cause(exc)
    if isinstance(exc, httpx.ConnectError):
        if _caused_by(exc, socket.gaierror):
            name = urlsplit(url).hostname or host
            return f"cannot resolve {name}: no such host, or DNS is unreachable ({detail})"
        return f"cannot connect to {host}: {detail}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP from {host}: {detail}"
    if isinstance(exc, httpx.ReadError):
        return f"connection to {host} failed while reading: {detail}"
    return f"{type(exc).__name__} with {host}: {detail}"


@dataclass(frozen=True)
class RobotsVerdict:
    """One origin's robots.txt verdict, cached for the Fetcher's lifetime."""

    text: str | None  # raw text when the server had one (2xx)
    parser: Protego | None  # None means allow all
    disallow_all: str | None = None  # why everything is off limits (robots.txt answered 5xx)
    failure: NetworkError | FetchTimeout | None = None  # unreachable: every page fails too


@dataclass(frozen=True)
class Redirect:
    """A 3xx answer: where it points, and whether it set a cookie (a check that may loop)."""

    status: int
    target: str
    set_cookie: bool


def next_hop(
    url: str,
    chain: list[str],
    redirect: Redirect,
    allow_host: Callable[[str], bool] | None,
    max_redirects: int,
) -> str:
    """Check one redirect target and return it, or raise RedirectError."""
    target = without_fragment(redirect.target)
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise RedirectError(url, f"redirect to a {scheme or 'relative'}: URL refused: {target}")
    if target in chain and not redirect.set_cookie:  # a cookie check may redirect to itself
        loop = " -> ".join([*chain[chain.index(target) :], target])
        raise RedirectError(url, f"redirect loop: {loop}")
    if len(chain) > max_redirects:
        raise RedirectError(url, f"more than {max_redirects} redirects (last {target})")
    host = urlsplit(target).hostname or ""
    if allow_host is not None and not allow_host(host):
        raise RedirectError(url, f"redirected off the site to {host} ({target})")
    chain.append(target)
    return target


def robots_refusal(
    robots: RobotsVerdict, url: str, current: str, user_agent: str
) -> FetchError | None:
    """Why robots.txt of ``current``'s origin forbids fetching it (``url`` asked), or None."""
    if robots.failure is not None:
        # the cause first (a refused connection, a name that does not resolve): robots.txt is
        # only the first request that met it
        return type(robots.failure)(url, f"{robots.failure.message} (asking for robots.txt)")
    if robots.disallow_all is not None:
        return BlockedByRobots(url, robots.disallow_all)
    if robots.parser is not None and not robots.parser.can_fetch(current, user_agent):
        where = "" if current == url else f" (redirected to {current})"
        return BlockedByRobots(url, f"disallowed by robots.txt{where}")
    return None
