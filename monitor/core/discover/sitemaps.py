"""Sitemaps: robots.txt and the usual locations to sitemap URLs, and a sitemap body to links.

A sitemap is the one discovery input that can be huge, so it is bounded in bytes (gzip too:
decompression stops at the cap) and in URLs; Google News fields give a link its title, date
and language, ``lastmod`` is the fallback date.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from monitor.core.discover.links import _clean_url, _dedupe, _iso, _language, same_site
from monitor.core.discover.sniff import _is_gzip, _refuse_entities
from monitor.core.models import Discovery, Link, Published

log = logging.getLogger(__name__)

MAX_SITEMAP_URLS = 50_000
MAX_SITEMAP_BYTES = 10 * 1024 * 1024
DEFAULT_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml")


def sitemap_urls(robots_txt: str | None, url: str) -> list[str]:
    """Sitemaps named in robots.txt (same site only), then the usual WordPress locations."""
    root = urlunsplit((*urlsplit(url)[:2], "/", "", ""))
    found: list[str] = []
    for line in (robots_txt or "").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() != "sitemap":
            continue
        link = _clean_url(value.split("#")[0].strip(), root)
        if link and same_site(link, url) and link not in found:
            found.append(link)
    for path in DEFAULT_SITEMAPS:
        link = urljoin(root, path)
        if link not in found:
            found.append(link)
    return found


# --- sitemaps --------------------------------------------------------------------------------


def parse_sitemap(body: bytes, url: str) -> Discovery:
    """A ``<urlset>`` (with Google News fields) -> links; a ``<sitemapindex>`` -> children."""
    data = _gunzip(body, url) if _is_gzip(body) else body
    if len(data) > MAX_SITEMAP_BYTES:
        raise ValueError(f"sitemap {url}: refused, larger than {MAX_SITEMAP_BYTES} bytes")
    _refuse_entities(data, "sitemap", url)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=True, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"sitemap {url}: not XML ({exc})") from exc
    name = _local(root) if root is not None else None
    if name == "sitemapindex":
        children = [_clean_url(_child_text(el, "loc"), url) for el in _elements(root, "sitemap")]
        kept = [c for c in children if c and same_site(c, url)]
        return Discovery(kind="sitemap", children=tuple(dict.fromkeys(kept)))
    if name != "urlset":
        log.warning("sitemap %s: root is <%s>, not a urlset or sitemap index", url, name)
        return Discovery(kind="sitemap")
    links: list[Link] = []
    for el in _elements(root, "url"):
        link = _sitemap_link(el, url)
        if link is not None:
            links.append(link)
        if len(links) >= MAX_SITEMAP_URLS:
            log.warning("sitemap %s: stopped at %d URLs", url, MAX_SITEMAP_URLS)
            break
    return Discovery(kind="sitemap", links=tuple(_dedupe(links)))


def _sitemap_link(el: Any, url: str) -> Link | None:
    """One ``<url>``: news:publication_date is the publication; lastmod the best hint left."""
    link = _clean_url(_child_text(el, "loc"), url)
    if link is None or not same_site(link, url):
        return None
    news = _child(el, "news")
    title = language = None
    published: Published = None
    if news is not None:
        published = _iso(_child_text(news, "publication_date"))
        title = " ".join(_child_text(news, "title").split()) or None
        publication = _child(news, "publication")
        if publication is not None:
            language = _language(_child_text(publication, "language"))
    if published is None:
        published = _iso(_child_text(el, "lastmod"))
    return Link(url=link, title=title, published=published, language=language)


def _local(el: Any) -> str | None:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else None


def _elements(root: Any, name: str) -> Iterator[Any]:
    """Elements by local name at any depth: recovered sloppy XML may nest them oddly."""
    yield from root.iter(f"{{*}}{name}")


def _child(el: Any, name: str) -> Any:
    return el.find(f"{{*}}{name}")


def _child_text(el: Any, name: str) -> str:
    child = _child(el, name)
    return (child.text or "").strip() if child is not None else ""


def _gunzip(body: bytes, url: str) -> bytes:
    """Decompress at most MAX_SITEMAP_BYTES: a gzip bomb stops at the cap, not in memory."""
    inflater = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header
    try:
        data = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
    except zlib.error as exc:
        raise ValueError(f"sitemap {url}: broken gzip data ({exc})") from exc
    if len(data) > MAX_SITEMAP_BYTES or inflater.unconsumed_tail:
        raise ValueError(f"sitemap {url}: refused, larger than {MAX_SITEMAP_BYTES} bytes unpacked")
    return data
