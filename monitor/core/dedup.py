"""Canonical URLs and text fingerprints, so that each article is stored and alerted once.

Pure functions, no I/O: the storage step asks ``canonical_url`` whether a link is already known,
``content_hash`` whether a page is an exact copy, ``simhash`` + ``simhash_bands`` whether it is a
near copy (same article, other URL or other page furniture), and ``is_material_change`` whether a
re-fetched article deserves a new revision.

Text is compared as words: NFKC, case-folded, punctuation dropped, and number-like tokens (view
counters, dates, "26th") dropped, because a changing counter must not make two copies differ.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import string
import unicodedata
from difflib import SequenceMatcher
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_HEX = frozenset(string.hexdigits)
# Reserved characters stay as written: encoded and raw forms may mean different things (RFC 3986).
_PATH_SAFE = "!$&'()*+,;=:@/"
_QUERY_KEY_SAFE = "!$'()*+,;:@/?"
_QUERY_VALUE_SAFE = _QUERY_KEY_SAFE + "="
_INDEX_FILES = frozenset({"index.php", "index.html", "index.htm"})

#: Query parameters that say who sent the reader, never which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "yclid", "ysclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "igshid", "igsh", "ref_src", "ref_url", "spm",
        "share", "replytocom", "mkt_tok", "_openstat",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "_hs", "oly_")

_WORD = re.compile(r"\w+")
# Counters, years, days and ordinals ("26th", "2024г") carry no identity of the text.
_NUMBER_LIKE = re.compile(r"\d+(?:st|nd|rd|th|г)?")
#: A word that is not number-like: ``_WORD`` matches filtered by ``_NUMBER_LIKE``, in one pass.
_TEXT_WORD = re.compile(rf"(?<!\w)(?!{_NUMBER_LIKE.pattern}(?!\w))\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_MASK64 = (1 << 64) - 1
_MIN_SENTENCE_WORDS = 4
_MIN_LINE_WORDS = 6
_MATERIAL_SHARE = 0.01


# --- URLs -------------------------------------------------------------------------------------


def canonical_url(url: str, *, base: str | None = None) -> str:
    """The one spelling of a URL under which an article is stored, whatever link led to it."""
    raw = url.strip()
    if base is not None:
        raw = urljoin(base.strip(), raw)
    try:
        return _canonical(raw)
    except _NotAbsolute as exc:
        hint = " (a relative URL needs base=)" if base is None and not exc.scheme else ""
        raise ValueError(f"canonical_url: not an absolute http(s) URL: {url!r}{hint}") from None


def key_and_shown(url: str) -> tuple[str, str]:
    """:func:`canonical_url`, and the same with the trailing slash the site wrote.

    The slashless form stays the key every look-up uses (``/news/item/`` and ``/news/item`` are
    one article); what is stored and shown as the article's URL is the site's own spelling,
    which some servers need (the slashless one redirects, or 404s) and every reader expects.
    """
    key = canonical_url(url)
    parts = urlsplit(key)
    if parts.path != "/" and urlsplit(url.strip()).path.endswith("/"):
        return key, urlunsplit(parts._replace(path=parts.path + "/"))
    return key, key


class _NotAbsolute(Exception):
    def __init__(self, scheme: str) -> None:
        self.scheme = scheme


@functools.lru_cache(maxsize=1024)
def _canonical(raw: str) -> str:
    """``canonical_url`` of a stripped, joined URL; raises _NotAbsolute.

    Cached (small: ~0.3 MB per process): every stage that meets a page's URL canonicalises it
    again, and a site's pages repeat their language-menu links.
    """
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise _NotAbsolute(parts.scheme)
    netloc = _netloc(parts.netloc, parts.hostname, scheme, raw)
    return urlunsplit((scheme, netloc, _path(parts.path), _query(parts.query), ""))


# Two questions share one rule (a site is its host, "www." or not) but not their answers:
# site_key asks who published an article, origin_key where a link may lead discovery.


def _site_host(host: str) -> str:
    """The site a host names: www.isis.org.my and isis.org.my (and "isis.org.my.") are one."""
    return host.rstrip(".").removeprefix("www.")


@functools.lru_cache(maxsize=4096)
def site_key(url: str) -> str:
    """The site that published an article URL: its canonical (IDNA) host without "www.".

    Ports are ignored (the publisher is the same on any port); a URL that is not absolute
    http(s) raises ValueError, as in :func:`canonical_url`. Cached: story grouping asks it of
    every candidate of every placement.
    """
    return _site_host(urlsplit(canonical_url(url)).hostname or "")


@functools.lru_cache(maxsize=1024)
def origin_key(url: str) -> tuple[str, int | None] | None:
    """The server a link leads to, for discovery's same-site rule: host without "www.", port.

    Not :func:`site_key`, because discovery asks another question, of other input, on a hot
    path: a source lists links, and one on another port (None for 80/443) is another server that
    the source did not name; ``url`` may be a bare host as written in sources.yaml ("kisi.kz",
    "kisi.kz:8080"); and mailto:, javascript: or broken links are no site (None), not an error.
    Cached: menus repeat the same links on every page of a listing.
    """
    scheme = re.match(r"([A-Za-z][\w+.-]*):(?!\d+(/|$))", url)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return None  # mailto:, javascript:, ftp://...; "kisi.kz:8080" is a host and port
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        port = parts.port
    except ValueError:
        return None
    host = _site_host(parts.hostname or "")
    if not host:
        return None
    return host, None if port in (80, 443) else port


def _netloc(netloc: str, hostname: str, scheme: str, url: str) -> str:
    """Lower-case IDNA host, userinfo kept, the scheme's default port dropped."""
    userinfo, at, hostport = netloc.rpartition("@")
    host = _idna(hostname.rstrip("."), url)
    if not host:
        raise ValueError(f"canonical_url: empty host in {url!r}")
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    port_text = hostport.rpartition("]")[2].rpartition(":")[2] if ":" in hostport else ""
    if port_text:
        if not port_text.isdigit() or int(port_text) > 65535:
            raise ValueError(f"canonical_url: invalid port {port_text!r} in {url!r}")
        if int(port_text) != _DEFAULT_PORTS[scheme]:
            host = f"{host}:{int(port_text)}"
    return f"{userinfo}{at}{host}"


def _idna(host: str, url: str) -> str:
    """ASCII (punycode) form of a host: one spelling for кисі.kz and xn--...kz."""
    if host.isascii():
        return host.lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"canonical_url: invalid host {host!r} in {url!r}: {exc}") from exc


def _path(path: str) -> str:
    """Encoded, dot-free path without trailing slash or index file; the root stays "/"."""
    path = _normalise_percent(path, _PATH_SAFE)
    # "//en/slug" comes from templates that glue a base ending in "/" to a path starting with one.
    path = _remove_dot_segments(re.sub(r"/{2,}", "/", path))
    path = path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last.lower() in _INDEX_FILES:
        path = head
    return path.rstrip("/") or "/"


def _remove_dot_segments(path: str) -> str:
    """Resolve "." and ".." as a browser would (RFC 3986 section 5.2.4)."""
    segments: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if segments:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    return "/" + "/".join(segments)


def _query(query: str) -> str:
    """Tracking parameters removed, the rest normalised and sorted by name (stable for repeats)."""
    pairs: list[tuple[str, str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, sep, value = piece.partition("=")
        if _is_tracking(unquote_plus(key).lower()):
            continue
        key = _normalise_percent(key, _QUERY_KEY_SAFE)
        pairs.append((key, sep, _normalise_percent(value, _QUERY_VALUE_SAFE)))
    pairs.sort(key=lambda pair: pair[0])
    return "&".join(key + sep + value for key, sep, value in pairs)


def _is_tracking(name: str) -> bool:
    """Whether a query parameter only tracks the visitor."""
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _normalise_percent(part: str, safe: str) -> str:
    """Upper-case escapes, unreserved characters decoded, everything else (Cyrillic) encoded."""
    out: list[str] = []
    i = 0
    while i < len(part):
        char = part[i]
        if char == "%" and len(part) >= i + 3 and set(part[i + 1 : i + 3]) <= _HEX:
            decoded = chr(int(part[i + 1 : i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else part[i : i + 3].upper())
            i += 3
            continue
        if char in _UNRESERVED or char in safe:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


# --- Text fingerprints ------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Words only, so that case, whitespace, punctuation and counters do not tell copies apart."""
    return " ".join(_words(text))


def content_hash(text: str) -> str:
    """SHA-256 of the text's words, numbers included: equal only for exact copies.

    Numbers stay in: two bulletins that differ only in their figures are two articles, and
    merging them would lose one. Counters and date widgets are the near-duplicate check's job.
    """
    return hashlib.sha256(" ".join(_WORD.findall(_fold(text))).encode("utf-8")).hexdigest()


def simhash(text: str, *, shingle: int = 3) -> int:
    """64-bit SimHash over word shingles; near copies differ in few bits (stable across runs)."""
    import numpy as np  # here, not at the top: the polling process only compares stored hashes

    if shingle < 1:
        raise ValueError(f"simhash: shingle must be at least 1, got {shingle}")
    blake2b = hashlib.blake2b
    digests = b"".join(
        [blake2b(f.encode(), digest_size=8).digest() for f in _shingles(text, shingle)]
    )
    if not digests:
        return 0
    # One row of 64 bits per shingle (each digest read big-endian, as int.from_bytes would);
    # a bit is set when more than half of the rows have it.
    rows = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    votes = rows.sum(axis=0, dtype=np.int32)
    return int.from_bytes(np.packbits(2 * votes > len(rows)).tobytes(), "big")


def numbers_agree(a: str, b: str) -> bool:
    """Whether two texts state the same figures in their body lines.

    SimHash ignores numbers so that a counter cannot split copies, which would also merge two
    bulletins that differ only in their figures; a near copy must therefore agree on them too.
    """
    return _body_numbers(a) == _body_numbers(b)


def _body_numbers(text: str) -> list[str]:
    found: list[str] = []
    for line in _fold(text).splitlines():
        words = _WORD.findall(line)
        numbers = [w for w in words if _NUMBER_LIKE.fullmatch(w)]
        if len(words) - len(numbers) >= _MIN_LINE_WORDS:
            found.extend(numbers)
    return sorted(found)


def hamming(a: int, b: int) -> int:
    """Number of differing bits; accepts unsigned hashes or their signed SQLite form."""
    return ((a ^ b) & _MASK64).bit_count()


def near_duplicate(a: int, b: int, *, max_distance: int = 3) -> bool:
    """Whether two SimHashes are close enough to be the same article."""
    return hamming(a, b) <= max_distance


def simhash_bands(h: int, bands: int = 4) -> list[int]:
    """Index keys: hashes within bands-1 bits share at least one key (pigeonhole)."""
    if bands < 2 or 64 % bands:
        raise ValueError(f"simhash_bands: bands must divide 64 and be at least 2, got {bands}")
    width = 64 // bands
    mask = (1 << width) - 1
    h &= _MASK64
    # The band number sits above the band value so equal values of different bands never meet.
    return [(band << width) | (h >> (band * width) & mask) for band in range(bands)]


def to_sqlite_int(h: int) -> int:
    """An unsigned 64-bit hash as the signed integer SQLite can store."""
    if not 0 <= h <= _MASK64:
        raise ValueError(f"to_sqlite_int: {h} is not an unsigned 64-bit value")
    return h - (1 << 64) if h >> 63 else h


def from_sqlite_int(v: int) -> int:
    """The unsigned 64-bit hash back from its signed SQLite form."""
    if not -(1 << 63) <= v < (1 << 63):
        raise ValueError(f"from_sqlite_int: {v} is not a signed 64-bit value")
    return v & _MASK64


def is_material_change(old_text: str, new_text: str) -> bool:
    """Whether a re-fetched article changed enough to store a new revision and tell anyone.

    Counters, dates and whitespace never count. Otherwise a change counts when it touches at
    least 1% of the words, or adds or removes a whole sentence of four words or more; a typo fix
    in a long article does not.
    """
    old_sentences, new_sentences = _sentences(old_text), _sentences(new_text)
    old = [word for sentence in old_sentences for word in sentence]
    new = [word for sentence in new_sentences for word in sentence]
    if old == new:
        return False
    if not old or not new:
        return True
    changed_old: set[int] = set()
    changed_new: set[int] = set()
    changed = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += max(i2 - i1, j2 - j1)
            changed_old.update(range(i1, i2))
            changed_new.update(range(j1, j2))
    if changed >= _MATERIAL_SHARE * max(len(old), len(new)):
        return True
    return _whole_sentence_changed(old_sentences, changed_old) or _whole_sentence_changed(
        new_sentences, changed_new
    )


def _whole_sentence_changed(sentences: list[list[str]], changed: set[int]) -> bool:
    """Whether every word of some real sentence is in the changed positions."""
    start = 0
    for sentence in sentences:
        end = start + len(sentence)
        if len(sentence) >= _MIN_SENTENCE_WORDS and changed.issuperset(range(start, end)):
            return True
        start = end
    return False


def _words(text: str) -> list[str]:
    """Case-folded NFKC words without number-like tokens."""
    return _TEXT_WORD.findall(_fold(text))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _sentences(text: str) -> list[list[str]]:
    """Words per sentence or line; empty ones dropped."""
    return [words for part in _SENTENCE_END.split(text) if (words := _words(part))]


def _shingles(text: str, size: int) -> list[str]:
    """Word n-grams within each line, so an added line does not disturb its neighbours.

    Lines under six words are page furniture ("Skip to content", "Share: Facebook Telegram",
    "Views: 1204", a date widget, "Read in PDF") and are left out, unless nothing else is left.
    The words are those ``_words`` finds; the text is folded once, not line by line.
    """
    lines = [words for line in _fold(text).splitlines() if (words := _TEXT_WORD.findall(line))]
    body = [words for words in lines if len(words) >= _MIN_LINE_WORDS] or lines
    out: list[str] = []
    for words in body:
        if len(words) <= size:
            out.append(" ".join(words))
        else:
            out.extend(map(" ".join, zip(*(words[k:] for k in range(size)), strict=False)))
    return out
