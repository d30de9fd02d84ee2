"""What a body is (feed, sitemap or page), and refusing XML entities before any parser runs.

``kind: auto`` sources decide by sniffing, not by Content-Type, which sites get wrong; and both
the feed and the sitemap readers refuse a DOCTYPE that declares entities (billion laughs,
external entities) here, before feedparser or lxml sees the bytes.
"""

from __future__ import annotations

import re
import zlib

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_FEED_ROOTS = {"rss", "feed", "rdf"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}
_SNIFF_BYTES = 65_536


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S | re.I)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")


def _as_ascii_bytes(body: bytes) -> bytes:
    """UTF-16/32 bodies re-encoded so that byte patterns see their markup."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
        for codec in ("utf-16", "utf-32"):
            try:
                return body.decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                continue
    return body


def _refuse_entities(body: bytes, what: str, url: str) -> None:
    """Entity declarations are how billion-laughs and XXE bodies work; no feed needs them."""
    body = _as_ascii_bytes(body)
    doctype = _DOCTYPE.search(body)
    if doctype and _ENTITY.search(body, doctype.end()):
        raise ValueError(f"{what} {url}: refused, it declares XML entities in a DOCTYPE")


def _root_name(head: bytes) -> str | None:
    """Local name of the first element, skipping the XML declaration, comments and DOCTYPE."""
    text = _as_ascii_bytes(head).decode("latin-1").lstrip("\ufeff").removeprefix("ï»¿")
    pos = 0
    while (match := _PROLOG.match(text, pos)) and match.end() > pos:
        pos = match.end()
    root = _ROOT.match(text, pos)
    return root.group(1).rsplit(":", 1)[-1].lower() if root else None


def _looks_like_json_feed(body: bytes) -> bool:
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org" in head


def looks_like_json(body: bytes) -> bool:
    """For ``kind: auto``: the body is a JSON object or array (a site's API, not a page; a JSON
    Feed is told apart first, by :func:`looks_like_feed`)."""
    head = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def looks_like_feed(body: bytes, content_type: str) -> bool:
    """For ``kind: auto``: the body is RSS, Atom or a JSON Feed (an HTML page never is)."""
    if _looks_like_json_feed(body):
        return True
    root = _root_name(body[:_SNIFF_BYTES])
    if root in _FEED_ROOTS:
        return True
    if root in ("html", "head", "body") or root in _SITEMAP_ROOTS:
        return False
    # A declared feed with leading junk before its root element still counts.
    mime = content_type.split(";")[0].strip().lower()
    head = body[:_SNIFF_BYTES]
    return mime in _FEED_TYPES[:2] and bool(re.search(rb"<(rss|feed|rdf:RDF)\b", head))


def _is_gzip(body: bytes) -> bool:
    return body[:2] == b"\x1f\x8b"


def looks_like_sitemap(body: bytes) -> bool:
    """For ``kind: auto``: the body (gzip-compressed or not) is a urlset or a sitemap index."""
    if _is_gzip(body):
        try:
            body = zlib.decompressobj(wbits=47).decompress(body, _SNIFF_BYTES)
        except zlib.error:
            return False
    return _root_name(body[:_SNIFF_BYTES]) in _SITEMAP_ROOTS
