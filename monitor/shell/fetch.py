"""The polite, bounded HTTP client that makes every request of a pass.

Polite: one request at a time per host, a minimum delay between request starts (robots.txt
``Crawl-delay`` may raise it), robots.txt honoured, our User-Agent on every request, conditional
GETs so an unchanged page costs a 304. Bounded: a total deadline per request (httpx's read timeout
is per chunk, so a server dripping a byte at a time never trips it), a byte cap on the body read
and on our own bounded gzip/deflate inflation (httpx would inflate a 1 MB gzip bomb to 1 GiB),
redirects followed by hand and checked hop by hop, and only HTML, XML and feed content accepted.

The Fetcher stores nothing: it hands back the new validators with each Response and the caller
persists them together with what it stored, so a crash never makes us skip unprocessed content.

Exceptions (``str(e)`` is one line naming the URL and what went wrong; defined in
``monitor.errors``, under ``MonitorError``)::

    FetchError                 bad URL (not http/https) and the base of all below
    ├── HTTPStatusError        4xx/5xx answer (.status, .retry_after in seconds or None)
    ├── FetchTimeout           no complete answer within the deadline
    ├── TooLarge               body (or its inflated form) above the byte cap
    ├── RedirectError          too many hops, a loop, a non-http scheme, off the allowed site
    ├── BlockedByRobots        robots.txt disallows the URL (or answered 5xx)
    ├── UnsupportedContent     not HTML/XML/feed, a lying Content-Type, unknown Content-Encoding
    └── NetworkError           refused, reset, broken HTTP, truncated body
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from monitor.core.inflate import (
    DEFAULT_CAP,
    Inflater,
    Overflow,
    Truncated,
    codings,
    corrupt_reason,
    overflow_reason,
    peek,
    size_label,
)
from monitor.core.models import Response, Validators
from monitor.errors import (
    BlockedByRobots,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RedirectError,
    TooLarge,
    UnsupportedContent,
)

__all__ = [
    "ACCEPTS",
    "BlockedByRobots",
    "FetchError",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "NetworkError",
    "RedirectError",
    "RobotsCache",
    "TooLarge",
    "UnsupportedContent",
]

log = logging.getLogger(__name__)

#: What we may accept back, by the kind of resource asked for; ``robots`` also takes text/plain.
_MARKUP_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",  # RSS 1.0
        "application/feed+json",
        "application/json",  # JSON Feed served as plain JSON
    }
)
ACCEPTS: dict[str, tuple[str, frozenset[str]]] = {
    "html": ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", _MARKUP_TYPES),
    "feed": (
        "application/rss+xml,application/atom+xml,application/feed+json,"
        "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
        _MARKUP_TYPES,
    ),
    "xml": ("application/xml,text/xml;q=0.9,*/*;q=0.5", _MARKUP_TYPES),
    "robots": ("text/plain,*/*;q=0.5", _MARKUP_TYPES | {"text/plain"}),
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
_SNIFF_BYTES = 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_LOCATION = "monitor.location"


class RobotsCache(Protocol):
    """Where robots.txt verdicts outlive one Fetcher: (status, text) per origin, or None."""

    def get(self, origin: str) -> tuple[int, str] | None: ...

    def put(self, origin: str, status: int, text: str) -> None: ...


@dataclass(frozen=True)
class _Robots:
    """One origin's robots.txt verdict, cached for the Fetcher's lifetime."""

    text: str | None  # raw text when the server had one (2xx)
    parser: Protego | None  # None means allow all
    disallow_all: str | None = None  # why everything is off limits (robots.txt answered 5xx)
    failure: NetworkError | FetchTimeout | None = None  # unreachable: every page fails too


@dataclass(frozen=True)
class _Redirect:
    status: int
    target: str
    set_cookie: bool


class Fetcher:
    """One httpx client, per-host politeness and every bound; use as ``async with Fetcher(...)``."""

    def __init__(
        self,
        *,
        user_agent: str,
        transport: httpx.AsyncBaseTransport | None = None,
        min_delay: float = 1.0,
        max_crawl_delay: float = 10.0,
        max_bytes: int = DEFAULT_CAP,
        deadline: float = 30.0,
        max_redirects: int = 5,
        respect_robots: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        wall_clock: Callable[[], float] = time.time,
        robots_cache: RobotsCache | None = None,
        keepalive: int = 8,
    ) -> None:
        self.user_agent = user_agent
        self.min_delay = min_delay
        self.max_crawl_delay = max_crawl_delay
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.max_redirects = max_redirects
        self.respect_robots = respect_robots
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock  # only to turn an HTTP-date Retry-After into seconds
        self._robots_cache = robots_cache
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(deadline),
            # gzip/deflate only: we inflate them ourselves, bounded
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            event_hooks={"response": [_take_location]},
            # httpcore checks every pooled connection on each request; sources are polled a few at
            # a time and one host's pass reuses its own connection, so a small pool is enough
            limits=httpx.Limits(max_keepalive_connections=keepalive),
        )
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        allow_host: Callable[[str], bool] | None = None,
        accept: str = "html",
        inflate: bool = True,
    ) -> Response:
        """GET a page politely, following redirects by hand; raises a FetchError subclass.

        ``inflate=False`` leaves a body with one gzip or deflate coding as it came, named in
        ``Response.content_encoding``, for ``monitor.core.inflate.inflate`` to undo elsewhere (an
        analysis worker): only its first bytes are inflated here, to check what it is.
        """
        if accept not in ACCEPTS:
            raise ValueError(f"accept must be one of {sorted(ACCEPTS)}, not {accept!r}")
        _check_scheme(url)
        current, chain = url, [_without_fragment(url)]
        while True:
            if self.respect_robots:
                await self._check_robots(url, current)
            result = await self._fetch_once(url, current, validators, accept, inflate)
            if isinstance(result, Response):
                return result
            current = self._next_hop(url, chain, result, allow_host)

    async def robots_txt(self, url: str) -> str | None:
        """The raw robots.txt of the URL's origin (cached), or None when it has none."""
        _check_scheme(url)
        robots = await self._robots_for(url)
        if robots.failure is not None:
            raise robots.failure
        return robots.text

    # -- redirects -------------------------------------------------------------------------

    def _next_hop(
        self,
        url: str,
        chain: list[str],
        redirect: _Redirect,
        allow_host: Callable[[str], bool] | None,
    ) -> str:
        """Check one redirect target and return it, or raise RedirectError."""
        target = _without_fragment(redirect.target)
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise RedirectError(url, f"redirect to a {scheme or 'relative'}: URL refused: {target}")
        if target in chain and not redirect.set_cookie:  # a cookie check may redirect to itself
            loop = " -> ".join([*chain[chain.index(target) :], target])
            raise RedirectError(url, f"redirect loop: {loop}")
        if len(chain) > self.max_redirects:
            raise RedirectError(url, f"more than {self.max_redirects} redirects (last {target})")
        host = urlsplit(target).hostname or ""
        if allow_host is not None and not allow_host(host):
            raise RedirectError(url, f"redirected off the site to {host} ({target})")
        chain.append(target)
        return target

    # -- robots.txt ------------------------------------------------------------------------

    async def _check_robots(self, url: str, current: str) -> None:
        """Raise unless robots.txt of ``current``'s origin lets us fetch it."""
        robots = await self._robots_for(current)
        if robots.failure is not None:
            why = f"not fetched, robots.txt is unreachable ({robots.failure.message})"
            raise type(robots.failure)(url, why)
        if robots.disallow_all is not None:
            raise BlockedByRobots(url, robots.disallow_all)
        if robots.parser is not None and not robots.parser.can_fetch(current, self.user_agent):
            where = "" if current == url else f" (redirected to {current})"
            raise BlockedByRobots(url, f"disallowed by robots.txt{where}")

    async def _robots_for(self, url: str) -> _Robots:
        """Fetch an origin's robots.txt once, however many tasks ask at the same time."""
        origin = _origin(url)
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                cached = self._robots_cache.get(origin) if self._robots_cache else None
                if cached is not None:
                    status, text = cached
                    self._robots[origin] = (
                        _Robots(text, Protego.parse(text)) if status < 300 else _Robots(None, None)
                    )
                else:
                    self._robots[origin] = await self._load_robots(origin + "/robots.txt")
            return self._robots[origin]

    async def _load_robots(self, robots_url: str) -> _Robots:
        """2xx: parse; 4xx: allow all; 429/5xx: disallow all; unreachable: fail every page."""
        try:
            response = await self._get_unchecked(robots_url)
        except HTTPStatusError as exc:
            if exc.status == 429 or exc.status >= 500:
                why = f"robots.txt answered {exc.status}, so the whole site is off limits for now"
                return _Robots(None, None, disallow_all=why)
            self._remember_robots(robots_url, exc.status, "")
            return _Robots(None, None)
        except (NetworkError, FetchTimeout) as exc:
            return _Robots(None, None, failure=exc)
        except FetchError as exc:  # too many redirects, not text, too large: treat as absent
            log.warning("ignoring robots.txt: %s", exc)
            return _Robots(None, None)
        text = response.body.decode("utf-8", errors="replace").lstrip("\ufeff")
        self._remember_robots(robots_url, 200, text)
        return _Robots(text, Protego.parse(text))

    def _remember_robots(self, robots_url: str, status: int, text: str) -> None:
        """Keep a definite answer (a file, or none) beyond this Fetcher; never an outage."""
        if self._robots_cache is not None:
            self._robots_cache.put(_origin(robots_url), status, text)

    async def _get_unchecked(self, url: str) -> Response:
        """GET robots.txt: redirects followed (RFC 9309 allows five), no robots check."""
        current, chain = url, [url]
        while True:
            result = await self._fetch_once(url, current, None, "robots", True)
            if isinstance(result, Response):
                return result
            current = self._next_hop(url, chain, result, None)

    # -- one request ------------------------------------------------------------------------

    @asynccontextmanager
    async def _host_slot(self, url: str) -> AsyncIterator[None]:
        """Hold the host's only slot, starting no sooner than the delay after the last start."""
        host = (urlsplit(url).hostname or "").lower()
        async with self._host_locks.setdefault(host, asyncio.Lock()):
            last = self._last_start.get(host)
            if last is not None:
                wait = last + self._delay_for(url) - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            self._last_start[host] = self._clock()
            yield

    def _delay_for(self, url: str) -> float:
        """min_delay, raised by robots.txt Crawl-delay / Request-rate up to max_crawl_delay."""
        robots = self._robots.get(_origin(url))
        if robots is None or robots.parser is None:
            return self.min_delay
        asked = robots.parser.crawl_delay(self.user_agent) or 0.0
        rate = robots.parser.request_rate(self.user_agent)
        if rate is not None and rate.requests > 0:
            asked = max(asked, rate.seconds / rate.requests)
        return max(self.min_delay, min(asked, self.max_crawl_delay))

    async def _fetch_once(
        self, url: str, current: str, validators: Validators | None, accept: str, inflate: bool
    ) -> Response | _Redirect:
        """One GET of ``current`` in its host slot, under the deadline; errors name ``url``."""
        headers = {"Accept": ACCEPTS[accept][0], **_conditional_headers(validators)}
        async with self._host_slot(current):
            started = self._clock()
            try:
                result = await self._exchange(url, current, headers, validators, accept, inflate)
            except FetchError as exc:
                log.debug("GET %s -> %s (%.2f s)", current, exc.message, self._clock() - started)
                raise
            size = len(result.body) if isinstance(result, Response) else 0
            elapsed = self._clock() - started
            log.debug("GET %s -> %d, %d bytes, %.2f s", current, result.status, size, elapsed)
            return result

    async def _exchange(
        self,
        url: str,
        current: str,
        headers: dict[str, str],
        validators: Validators | None,
        accept: str,
        inflate: bool,
    ) -> Response | _Redirect:
        """Send and read under one total deadline, mapping httpx errors to ours."""
        try:
            async with asyncio.timeout(self.deadline):
                request = self._client.build_request("GET", current, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    return await self._answer(url, current, response, validators, accept, inflate)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            raise FetchTimeout(
                url, f"timed out: no complete answer within {self.deadline:g} s"
            ) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {_one_line(exc)}") from None
        except httpx.TransportError as exc:
            raise NetworkError(url, _network_reason(exc, current)) from exc

    async def _answer(
        self,
        url: str,
        current: str,
        response: httpx.Response,
        validators: Validators | None,
        accept: str,
        inflate: bool,
    ) -> Response | _Redirect:
        """Turn the status line and headers into a redirect, a 304, an error or a body."""
        status = response.status_code
        location = response.extensions.get(_LOCATION)
        if location:
            target = urljoin(current, location.strip())
            return _Redirect(status, target, "set-cookie" in response.headers)
        if status == 304:
            content_type = _media_type(response.headers.get("content-type"))
            return self._response(url, current, response, b"", content_type, validators)
        if status >= 300:
            raise self._status_error(url, response)
        body, content_type, coding = await self._read_body(url, response, accept, inflate)
        return self._response(url, current, response, body, content_type, None, coding)

    def _response(
        self,
        url: str,
        current: str,
        response: httpx.Response,
        body: bytes,
        content_type: str,
        sent: Validators | None,
        coding: str = "",
    ) -> Response:
        """Build the Response; a 304 that omits a validator keeps the one we sent."""
        sent = sent or Validators()
        return Response(
            url=url,
            final_url=current,
            status=response.status_code,
            content_type=content_type,
            body=body,
            content_encoding=coding,
            charset=_charset(response.headers.get("content-type")),
            validators=Validators(
                etag=response.headers.get("etag") or sent.etag,
                last_modified=response.headers.get("last-modified") or sent.last_modified,
            ),
            headers=tuple(response.headers.multi_items()),
        )

    def _status_error(self, url: str, response: httpx.Response) -> HTTPStatusError:
        """An HTTPStatusError with Retry-After in seconds when the server sent one."""
        status = response.status_code
        message = f"HTTP {status} {response.reason_phrase}".rstrip()
        if 300 <= status < 400:
            message += " without a Location header"
        retry_after = _retry_after(
            response.headers.get("retry-after"), response.headers.get("date"), self._wall_clock()
        )
        if retry_after is not None:
            message += f", retry after {retry_after:g} s"
        return HTTPStatusError(url, status, message, retry_after)

    # -- the body ---------------------------------------------------------------------------

    async def _read_body(
        self, url: str, response: httpx.Response, accept: str, inflate: bool
    ) -> tuple[bytes, str, str]:
        """Stream the raw body, inflate it within the cap and check what it really is.

        Returns the body, its content type and the coding left on it (see ``get``).
        """
        declared = _media_type(response.headers.get("content-type"))
        encoding = response.headers.get("content-encoding", "")
        if accept == "xml" and _is_gzip_file(declared, response.url.path):
            # sitemap.xml.gz: the file itself is one more gzip layer, under any transfer coding
            declared, encoding = "", ", ".join(filter(None, ["gzip", encoding]))
        allowed = ACCEPTS[accept][1]
        if declared and declared not in allowed:
            raise UnsupportedContent(url, f"content type {declared} is not HTML, XML or a feed")
        cap = size_label(self.max_bytes)
        length = response.headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > self.max_bytes:
            declared_size = size_label(int(length))
            raise TooLarge(url, f"too large: Content-Length {declared_size} is above the {cap} cap")
        try:
            names = codings(encoding)
        except ValueError as exc:
            raise UnsupportedContent(url, str(exc)) from None
        # one coding, and the caller inflates: keep the raw bytes, check the type on a peek
        deferred = names[0] if not inflate and len(names) == 1 else ""
        inflater = Inflater([] if deferred else names, self.max_bytes)
        parts: list[bytes] = []
        size, raw, content_type = 0, 0, ""
        try:
            async for chunk in response.aiter_raw(_CHUNK):
                raw += len(chunk)
                if raw > self.max_bytes:
                    raise TooLarge(url, f"too large: body is above the {cap} cap")
                data = inflater.feed(chunk)
                parts.append(data)
                size += len(data)
                if not deferred and not content_type and size >= _SNIFF_BYTES:
                    content_type = _content_type(url, declared, b"".join(parts), allowed)
            inflater.finish()
            body = b"".join(parts)
            head = peek(body, deferred, _SNIFF_BYTES) if deferred else body
        except Overflow:
            raise TooLarge(url, overflow_reason(self.max_bytes)) from None
        except (zlib.error, Truncated) as exc:
            raise NetworkError(url, corrupt_reason(exc)) from None
        return body, content_type or _content_type(url, declared, head, allowed), deferred


async def _take_location(response: httpx.Response) -> None:
    """Hide a redirect's Location from httpx: it fails on ``javascript:`` before we can refuse."""
    if response.status_code in _REDIRECTS and response.headers.get("location", "").strip():
        response.extensions[_LOCATION] = response.headers.pop("location")


def _is_gzip_file(content_type: str, path: str) -> bool:
    """A gzipped file (``sitemap.xml.gz``) rather than a gzip-encoded transfer."""
    if content_type in ("application/gzip", "application/x-gzip"):
        return True
    return content_type in ("application/octet-stream", "") and path.endswith(".gz")


def _content_type(url: str, declared: str, head: bytes, allowed: frozenset[str]) -> str:
    """The effective content type: refuse binary magic whatever the label; sniff if unlabeled."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            label = declared or "no Content-Type"
            raise UnsupportedContent(url, f"body is {what}, not HTML/XML/feed (labelled {label})")
    if _binary(head[:_SNIFF_BYTES]):
        label = declared or "no Content-Type"
        raise UnsupportedContent(url, f"body is binary data, not text (labelled {label})")
    if declared:
        return declared
    sniffed = _sniff(head[:_SNIFF_BYTES], "text/plain" in allowed)
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


def _sniff(head: bytes, plain_ok: bool) -> str | None:
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


# -- small parsers ---------------------------------------------------------------------------


def _check_scheme(url: str) -> None:
    """Refuse anything but http(s) before any I/O."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "not an http(s) URL")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _charset(header: str | None) -> str | None:
    for param in (header or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def _retry_after(value: str | None, date: str | None, now: float) -> float | None:
    """Retry-After as seconds: delta-seconds, or an HTTP-date against the server's Date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    # the server's own clock, when it sent one, cancels clock skew
    server_now = _http_date(date) if date else None
    return max(0.0, round(when - (server_now if server_now is not None else now), 3))


def _http_date(value: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _root_cause(exc: BaseException) -> str:
    """The innermost message of an exception chain: ``Connection refused``, not ``ReadError``."""
    found = _one_line(exc)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno:
            # asyncio's strerror is "Connect call failed (...)"; errno says "Connection refused"
            errno = current.errno
            found = os.strerror(errno) if errno > 0 else current.strerror or os.strerror(errno)
        elif str(current).strip():
            found = _one_line(current)
        current = current.__cause__ or current.__context__
    return found


def _network_reason(exc: httpx.TransportError, url: str) -> str:
    """One line for a transport failure, never a repr of nested exceptions."""
    host = urlsplit(url).netloc
    detail = _root_cause(exc)
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {host}: {detail}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP from {host}: {detail}"
    if isinstance(exc, httpx.ReadError):
        return f"connection to {host} failed while reading: {detail}"
    return f"{type(exc).__name__} with {host}: {detail}"
