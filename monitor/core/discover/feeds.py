"""Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed bodies to links, and the feeds a page announces.

Feeds are the cheapest and most reliable way to new articles, but many are sloppy: raw
ampersands, broken CDATA, FeedBurner redirects off the site, HTML pages served as feeds. The
reader keeps what can be read and drops entries that leave the feed's (or its channel's) site.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
from typing import Any

import feedparser

from monitor.core.dedup import canonical_url
from monitor.core.discover.elements import _attr, _attr_list, _base_url, _with_href
from monitor.core.discover.links import _clean_url, _dedupe, _iso, _language, same_site
from monitor.core.discover.sniff import (
    _FEED_TYPES,
    _SITEMAP_ROOTS,
    _SNIFF_BYTES,
    _looks_like_json_feed,
    _refuse_entities,
    _root_name,
)
from monitor.core.htmldoc import HtmlPage
from monitor.core.models import Discovery, Link

log = logging.getLogger(__name__)


def parse_feed(body: bytes, url: str) -> Discovery:
    """RSS 0.9x/1.0/2.0, Atom or JSON Feed -> links with title, date and language.

    Entries may live on the feed's own site or on the site its channel links to (a feed
    served from a feed host); anything else is dropped. Malformed XML yields what could be read.
    """
    if _looks_like_json_feed(body):
        return _parse_json_feed(body, url)
    _refuse_entities(body, "feed", url)
    root = _root_name(body[:_SNIFF_BYTES])
    if root in ("html", "head", "body") or root in _SITEMAP_ROOTS:
        log.warning("feed %s: a <%s> document, not a feed; no links read", url, root)
        return Discovery(kind="rss")
    # A file object, never the bytes: feedparser treats a str or bytes argument as a path or URL.
    parsed = feedparser.parse(
        io.BytesIO(_escape_raw_ampersands(body)),
        response_headers={"content-location": url},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if parsed.get("bozo"):
        log.info(
            "feed %s: malformed (%s); keeping what was read", url, parsed.get("bozo_exception")
        )
    channel = parsed.get("feed", {})
    sites = [url, *_http(channel.get("link"))]
    language = _language(channel.get("language"))
    links = []
    for entry in parsed.get("entries", []):
        # FeedBurner wraps links in a redirect off the site; the original is kept beside it.
        raw = entry.get("feedburner_origlink") or entry.get("link") or _guid_link(entry)
        link = _clean_url(raw, url)
        if link is None or not any(same_site(link, site) for site in sites):
            continue
        title = " ".join((entry.get("title") or "").split()) or None
        detail = entry.get("title_detail") or {}
        lang = _language(detail.get("language")) or language
        links.append(Link(url=link, title=title, published=_entry_date(entry), language=lang))
    if parsed.get("bozo") and not links:
        reason = " ".join(str(parsed.get("bozo_exception")).split())
        raise ValueError(f"feed {url}: malformed, no entry with a link could be read ({reason})")
    return Discovery(kind="rss", links=tuple(_dedupe(links)))


_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.S)
_RAW_AMP = re.compile(rb"&(?!#\d+;|#x[0-9A-Fa-f]+;|[A-Za-z][\w.-]*;)")


def _escape_raw_ampersands(body: bytes) -> bytes:
    """``?id=5&lang=en`` in a sloppy feed: feedparser's fallback reads ``&lang`` as the 〈 entity.

    Well-formed XML has no bare ``&`` outside CDATA, so this changes nothing in a valid feed.
    """
    if b"\x00" in body[:4]:
        return body  # UTF-16/32: byte patterns would cut characters in half
    pieces = _CDATA.split(body)
    return b"".join(p if p.startswith(b"<![CDATA[") else _RAW_AMP.sub(b"&amp;", p) for p in pieces)


def _http(value: object) -> list[str]:
    return [value] if isinstance(value, str) and value.startswith(("http://", "https://")) else []


def _guid_link(entry: Any) -> str | None:
    guid = entry.get("id")
    return guid if _http(guid) else None


def _entry_date(entry: Any) -> dt.datetime | None:
    """feedparser's ``*_parsed`` are UTC struct_times."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.datetime(*value[:6]).replace(tzinfo=dt.UTC)
            except (TypeError, ValueError):
                continue
    return None


def _parse_json_feed(body: bytes, url: str) -> Discovery:
    """JSON Feed 1.0/1.1 (feedparser 6.0 does not read it)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"feed {url}: broken JSON Feed ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError(f"feed {url}: JSON Feed without an 'items' list")
    sites = [url, *_http(data.get("home_page_url"))]
    language = _language(data.get("language"))
    links = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = _clean_url(_str(item.get("url")) or _guid_link(item), url)
        if link is None or not any(same_site(link, site) for site in sites):
            continue
        title = " ".join(_str(item.get("title")).split()) or None
        published = _iso(_str(item.get("date_published")) or _str(item.get("date_modified")))
        lang = _language(item.get("language")) or language
        links.append(Link(url=link, title=title, published=published, language=lang))
    return Discovery(kind="rss", links=tuple(_dedupe(links)))


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def feed_links(page: HtmlPage, url: str) -> list[str]:
    """Feeds announced in ``<head>``, absolute; same-site first, comment feeds last."""
    base = _base_url(page.root, url)
    found: list[str] = []
    # The whole document: lxml moves <link>s after a stray body tag out of <head>.
    for el in _with_href(page.root, ("link",)):
        rel = [r.lower() for r in _attr_list(el, "rel")]
        mime = _attr(el, "type").split(";")[0].strip().lower()
        if "alternate" not in rel or mime not in _FEED_TYPES:
            continue
        link = _clean_url(_attr(el, "href"), base)
        if link and link not in found:
            found.append(link)
    return sorted(found, key=lambda f: (not same_site(f, url), "comments" in f.lower()))


def feed_covers(feed: list[Link], listed: list[Link]) -> bool:
    """Whether a feed carries the newest items a page lists, so that it can stand for the page.

    Judged on the page's first items (its archive is older than any feed): at least half of
    them in the feed. A page that lists fewer than two items says nothing either way.
    """
    head = [_canonical_or_same(link.url) for link in listed[: max(2, len(feed))]]
    if len(head) < 2:
        return True
    carried = {_canonical_or_same(link.url) for link in feed}
    return 2 * sum(url in carried for url in head) >= len(head)


def _canonical_or_same(url: str) -> str:
    try:
        return canonical_url(url)
    except ValueError:
        return url
