"""Discovery: from a fetched feed, sitemap or listing page to candidate article links.

Every function here is pure: the caller fetches, these read bytes or a parsed page and return
``Discovery``/``Link`` records. The rules that matter everywhere:

- a link never leaves the source's own site (``same_site``), is http(s), has no fragment, and
  appears once, in the order first seen;
- XML that declares entities in a DOCTYPE is refused with ``ValueError`` before any parser sees
  it (billion laughs, external entities); sitemaps are bounded in bytes (gzip too) and in URLs;
- listing pages without a ``link_selector`` are read by *place* (the main content, never nav,
  header, footer, sidebars or widgets; article links in a "popular posts" sidebar are dropped
  on purpose: the source's own list is what counts) and by *shape* (slugs, dated paths, numeric
  ids; never tag, category, author, page/N, language-switch, archive or file links).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import json
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

import feedparser  # type: ignore[import-untyped]
from bs4 import BeautifulSoup, Tag
from lxml import etree
from lxml.html import HtmlElement
from soupsieve import SelectorSyntaxError

from monitor.core.htmldoc import HtmlPage, iter_elements
from monitor.core.models import Discovery, Link, Published

log = logging.getLogger(__name__)

MAX_LISTING_LINKS = 500
MAX_SITEMAP_URLS = 50_000
MAX_SITEMAP_BYTES = 10 * 1024 * 1024
DEFAULT_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml")

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_FEED_ROOTS = {"rss", "feed", "rdf"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}
_SNIFF_BYTES = 65_536


# --- URLs ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _site_key(url: str) -> tuple[str, int | None] | None:
    """Host without ``www.`` and port (None for 80/443): what two URLs of one site share."""
    scheme = re.match(r"([A-Za-z][\w+.-]*):(?!\d+(/|$))", url)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return None  # mailto:, javascript:, ftp://...; "kisi.kz:8080" is a host and port
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    host = host.removeprefix("www.")
    if not host:
        return None
    return host, None if port in (80, 443) else port


def same_site(url: str, site: str) -> bool:
    """Whether ``url`` is on ``site`` (URL or host), ignoring case, ``www.`` and default ports."""
    key = _site_key(url)
    return key is not None and key == _site_key(site)


def allowed_url(url: str, site: str, allow_hosts: Iterable[str] = ()) -> bool:
    """Same site as ``site``, or a host the user allowed: never wander off a source's site."""
    return same_site(url, site) or (urlsplit(url).hostname or "") in allow_hosts


@functools.lru_cache(maxsize=4096)
def _clean_url(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL without fragment, or None for mailto:, javascript:, #top...

    Cached: a site's menus, footers and sidebars repeat the same few hundred links on every
    page of a listing, and again at every pass.
    """
    if not href:
        return None
    # Browsers drop tabs and newlines inside href; CMS templates leave them in.
    href = re.sub(r"[\t\n\r]", "", href).strip()
    if not href or href.startswith("#"):
        return None
    try:
        # Most hrefs in feeds and sitemaps are absolute already; urljoin is the slow part.
        absolute = href if href.startswith(("http://", "https://")) else urljoin(base, href)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        return urlunsplit(parts._replace(fragment=""))
    except ValueError:
        return None


def _loose(url: str) -> tuple[object, ...]:
    """A comparison key: same site, path without trailing slash, same query parameters."""
    parts = urlsplit(url)
    return _site_key(url), parts.path.rstrip("/"), tuple(sorted(parse_qsl(parts.query)))


def _dedupe(links: Iterable[Link]) -> list[Link]:
    seen: set[str] = set()
    out: list[Link] = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def _compile(patterns: Sequence[str], what: str) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"{what} pattern {pattern!r} is not a valid regex: {exc}") from exc
    return compiled


def _filter(links: list[Link], include: Sequence[str], exclude: Sequence[str]) -> list[Link]:
    """The user's include/exclude regexes, after the built-in rules."""
    keep, drop = _compile(include, "include"), _compile(exclude, "exclude")
    return [
        link
        for link in links
        if (not keep or any(p.search(link.url) for p in keep))
        and not any(p.search(link.url) for p in drop)
    ]


# --- dates and languages ---------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso(value: str | None) -> Published:
    """An ISO/W3C date: aware datetime when a zone is given, a plain date when it is not."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        if _ISO_DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    # A clock without a zone is not an instant; the day is still right.
    return parsed if parsed.tzinfo is not None else parsed.date()


def _language(code: object) -> str | None:
    """``ru-RU`` -> ``ru``; sites write ``kz`` for Kazakh, whose code is ``kk``."""
    if not isinstance(code, str) or not code.strip():
        return None
    primary = re.split(r"[-_]", code.strip().lower())[0]
    return {"kz": "kk"}.get(primary, primary) or None


# --- XML safety and sniffing -----------------------------------------------------------------

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


# --- feeds -----------------------------------------------------------------------------------


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
                return dt.datetime(*value[:6], tzinfo=dt.UTC)
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


# --- listing pages: URL shapes ---------------------------------------------------------------

_FILE = re.compile(
    r"\.(pdf|jpe?g|png|gif|webp|svg|bmp|tiff?|docx?|xlsx?|pptx?|od[tsp]|rtf|zip|rar|7z|gz|tar"
    r"|mp[34]|m4a|avi|mov|wav|ics|xml|rss|atom|json|txt|csv|epub|exe|apk)$",
    re.I,
)
_NOT_ARTICLE_SEGMENTS = {
    "tag", "tags", "category", "categories", "author", "authors", "search", "feed", "rss",
    "atom", "wp-admin", "wp-content", "wp-includes", "wp-json", "wp-login.php", "xmlrpc.php",
    "login", "logout", "signin", "sign-in", "register", "signup", "account", "cart",
    "trackback", "comments", "embed",
}  # fmt: skip
_NOT_ARTICLE_QUERY = {
    "s", "q", "lang", "language", "locale", "date", "tribe-bar-date", "ical", "outlook-ical",
    "replytocom", "share", "print", "action", "feed", "tag", "cat", "author", "eventdisplay",
    "orderby", "sort", "format",
}  # fmt: skip
_PAGE_QUERY = re.compile(r"^(page|paged|pagen_\d+|start)$", re.I)
_EVENT_VIEWS = re.compile(r"/events?/(list|month|week|day|today|photo|map|upcoming|past)(/|$)")
_ARCHIVE = re.compile(r"^(/[a-z]{2})?/(19|20)\d{2}(/\d{1,2}){0,2}/?$")
_DATED = re.compile(r"/(19|20)\d{2}/\d{1,2}/(\d{1,2}/)?[^/]+")
_YMD = re.compile(r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
_SLUG = re.compile(r"^[^\W_]+(?:[-_][^\W_]+){2,}$")
_ID_SEGMENT = re.compile(r"^(\d{2,}|\d+-[^/]+|[^/]+-\d{3,})$")
_ID_QUERY = {"p", "id", "news_id", "newsid", "article", "articleid", "item", "itemid", "nid"}
_LANG_SEGMENT = re.compile(r"^[a-z]{2}$")
#: Site boilerplate whose slugs look like headlines.
_BOILERPLATE = re.compile(
    r"^(privacy-policy|terms-of-(use|service)|terms-and-conditions|cookie-policy|contact-us"
    r"|about-us|termos-de-uso|politica-de-privacidade|политика-конфиденциальности"
    r"|dasar-privasi|terma-dan-syarat)",
    re.I,
)


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in path.split("/") if s]


def _drop_lang(segments: list[str]) -> list[str]:
    return segments[1:] if segments and _LANG_SEGMENT.match(segments[0]) else segments


@functools.lru_cache(maxsize=4096)  # menus repeat on every listing page (see _clean_url)
def _rejected(url: str, listing: str) -> bool:
    """Never an article: taxonomy, pagination, search, feeds, files, archives, language roots."""
    parts = urlsplit(url)
    segs = _segments(parts.path)
    lowered = [s.lower() for s in segs]
    query = parse_qsl(parts.query, keep_blank_values=True)
    if (
        _FILE.search(parts.path)
        or any(s in _NOT_ARTICLE_SEGMENTS for s in lowered)
        or any(a == "page" and b.isdigit() for a, b in itertools.pairwise(lowered))
        or _EVENT_VIEWS.search(parts.path.lower())
        or _ARCHIVE.match(parts.path)
        or any(_BOILERPLATE.match(s) for s in lowered)
    ):
        return True
    for key, value in query:
        if key.lower() in _NOT_ARTICLE_QUERY or (_PAGE_QUERY.match(key) and value.isdigit()):
            return True
    if (not _drop_lang(segs) and not query) or lowered[-1:] in (["index.php"], ["index.html"]):
        return True  # the home page, in any language
    if _loose(url) == _loose(listing):
        return True
    # The listing itself in another language: /ru/news/ seen from /en/news/.
    listing_segs = _segments(urlsplit(listing).path)
    return bool(segs) and segs != listing_segs and _drop_lang(segs) == _drop_lang(listing_segs)


def _article_shaped(url: str) -> bool:
    """A slug of several words, a dated path, or a numeric id."""
    parts = urlsplit(url)
    if _DATED.search(parts.path):
        return True
    for seg in _segments(parts.path):
        stem = re.sub(r"\.(html?|php|aspx?)$", "", seg, flags=re.I)
        is_year = re.fullmatch(r"(19|20)\d\d", stem)
        if _YMD.match(stem) or (_ID_SEGMENT.match(stem) and not is_year):
            return True
        words = re.split(r"[-_]", stem)
        if _SLUG.match(stem) and sum(w.isalpha() and len(w) > 1 for w in words) >= 2:
            return True
    query = parse_qsl(parts.query)
    if any(k.lower() in _ID_QUERY and v.isdigit() for k, v in query):
        return True
    return ("option", "com_content") in query and ("view", "article") in query


# --- listing pages: place --------------------------------------------------------------------

Place = Literal["main", "off", "neutral"]
_OFF_TAGS = {"nav", "aside", "header", "footer"}
_OFF_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_OFF_WORDS = {
    "sidebar", "widget", "widgets", "menu", "breadcrumb", "breadcrumbs", "crumbs", "pagination",
    "pager", "share", "sharing", "social", "comments", "comment", "nav", "navbar", "navigation",
    "related", "tagcloud", "popular", "subscribe", "newsletter", "cookie", "footer",
}  # fmt: skip
_SITE_HEADER = re.compile(
    r"^((site|page|main|global|td|top)[-_])?(header|masthead|topbar)([-_](wrap|wrapper|container|"
    r"inner|area|top|main|menu[-_]wrap))?$"
)
_STRONG_MAIN = {
    "site-main", "td-main-content", "td-ss-main-content", "primary", "main", "content-area",
    "main-content",
}  # fmt: skip
_WEAK_MAIN = {
    "content", "site-content", "entry-content", "posts", "post-list", "posts-list", "news-list",
    "article-list", "articles", "blog-posts", "entries",
}  # fmt: skip
_LAYOUT_PREFIXES = ("has-", "no-", "with-", "is-", "content-with-")


# Elements are lxml's (``HtmlPage.root``). BeautifulSoup gave ``class`` and ``rel`` as lists and
# skipped the text of script, style, template and ruby annotations; these helpers keep that.
_MULTI_VALUED = frozenset({"class", "rel"})


def _attr(el: HtmlElement, name: str) -> str:
    value = el.get(name) or ""
    # BeautifulSoup joined its list of tokens: one space between them, none around.
    return " ".join(value.split()) if name in _MULTI_VALUED else value


def _attr_list(el: HtmlElement, name: str) -> list[str]:
    return (el.get(name) or "").split()


def _tokens(el: HtmlElement) -> list[str]:
    return [t.lower() for t in [*_attr_list(el, "class"), *_attr(el, "id").split()]]


def _with_href(root: HtmlElement | None, names: tuple[str, ...] = ("a",)) -> list[HtmlElement]:
    """Elements with an ``href`` attribute (an empty one too), in document order."""
    if root is None:
        return []
    return [el for el in iter_elements(root, *names) if el.get("href") is not None]


def _first(el: HtmlElement, names: Sequence[str], *, href: bool = False) -> HtmlElement | None:
    """The first descendant (never ``el`` itself) named so, with an ``href`` when asked."""
    for found in el.iterdescendants(*names):
        if not href or found.get("href") is not None:
            return found
    return None


def _is_off(el: HtmlElement, classes: bool) -> bool:
    """Navigation, header, footer, sidebar and widget areas; an article's own header is not."""
    if el.tag in _OFF_TAGS or _attr(el, "role").lower() in _OFF_ROLES:
        return el.tag not in ("header", "footer") or next(el.iterancestors("article"), None) is None
    if not classes:
        return False
    for token in _tokens(el):
        if token.startswith(_LAYOUT_PREFIXES):
            continue
        if _SITE_HEADER.match(token) or _OFF_WORDS.intersection(re.split(r"[-_]", token)):
            return True
    return False


def _place(a: HtmlElement) -> Place:
    """Where a link sits: the nearest decisive ancestor wins; layout wrappers above main don't."""
    weak = False
    for node in a.iterancestors():
        if node.tag in ("body", "html"):
            break
        if _is_off(node, classes=True):
            return "off"
        tokens = set(_tokens(node))
        if node.tag == "main" or _attr(node, "role") == "main" or tokens & _STRONG_MAIN:
            return "main"
        weak = weak or node.tag == "article" or bool(tokens & _WEAK_MAIN)
    return "main" if weak else "neutral"


def _outside_chrome(a: HtmlElement) -> bool:
    """The fallback's rule: anywhere but nav, header, footer and aside."""
    return not any(_is_off(node, classes=False) for node in a.iterancestors())


def _signature(a: HtmlElement) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The anchor's tag-and-class path: post cards in one list share it."""
    path = []
    node: HtmlElement | None = a
    for _ in range(4):
        if node is None or node.tag in ("body", "html"):
            break
        stable = tuple(
            sorted(
                t
                for t in _attr_list(node, "class")
                if not re.search(r"\d", t)
                and not t.startswith(("category-", "tag-", "author-", "format-"))
                and t not in ("odd", "even", "first", "last", "active", "current", "sticky")
            )
        )
        path.append((node.tag, stable))
        node = node.getparent()
    return tuple(path)


# --- listing pages ---------------------------------------------------------------------------

_GENERIC_TEXT = {
    "read more", "more", "continue reading", "learn more", "details", "подробнее",
    "читать далее", "читать", "далее", "толығырақ", "оқу", "selanjutnya", "baca lagi",
    "baca selanjutnya", "baca lanjut", "",
}  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: Elements whose text is not the page's words (BeautifulSoup's get_text skipped them too).
_UNSHOWN = ("script", "style", "template", "rt", "rp")


def _text(el: HtmlElement) -> str:
    """The element's visible words, whitespace collapsed."""
    if next(el.iterancestors(*_UNSHOWN), None) is not None:
        return ""
    if next(el.iterdescendants(*_UNSHOWN), None) is None:
        return " ".join(" ".join(el.itertext()).split())  # the common case, read in C
    return " ".join(" ".join(_shown_strings(el)).split())


def _shown_strings(el: HtmlElement) -> Iterator[str]:
    """Text and tails under ``el``, minus what script, style, template and ruby notes hold.

    Comments and processing instructions contribute their tails only, as in ``itertext``.
    """
    if el.text and isinstance(el.tag, str):
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _UNSHOWN:
            yield from _shown_strings(child)
        if child.tail:
            yield child.tail


def _is_generic(text: str) -> bool:
    return re.sub(r"[^\w\s]", "", text.lower()).strip() in _GENERIC_TEXT


def _base_url(root: HtmlElement | None, url: str) -> str:
    """The page's ``<base href>`` (the first one with an href, as browsers take it) or its URL."""
    base = _with_href(root, ("base",))
    return urljoin(url, base[0].get("href", "")) if base else url


def listing_links(
    page: HtmlPage,
    url: str,
    *,
    link_selector: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Discovery:
    """Article links of a listing page, in page order, at most MAX_LISTING_LINKS.

    A page lxml could not read (empty, blank) has no links and no next page. A ``link_selector``
    is CSS: soupsieve then reads the page's BeautifulSoup, which is built for that alone.
    """
    base = _base_url(page.root, url)
    if link_selector:
        anchors = _selected_anchors(page, link_selector)
        pairs = [(a, u) for a in anchors if (u := _clean_url(a.get("href"), base))]
        pairs = [(a, u) for a, u in pairs if same_site(u, url)]
    else:
        pairs = _auto_anchors(page.root, url, base)
    links = _filter(_describe(pairs), include, exclude)
    if len(links) > MAX_LISTING_LINKS:
        log.info("listing %s: %d links, keeping the first %d", url, len(links), MAX_LISTING_LINKS)
    return Discovery(
        kind="html", links=tuple(links[:MAX_LISTING_LINKS]), next_page=_next_page(page.root, url)
    )


def _selected_anchors(page: HtmlPage, selector: str) -> list[HtmlElement]:
    """Each selected element's link: itself, the link in its heading, or its first link.

    soupsieve selects in BeautifulSoup's tree; the chosen anchors are then found in lxml's
    (``_in_lxml``), which the rest of discovery reads.
    """
    soup = page.soup
    try:
        selected = soup.select(selector)
    except SelectorSyntaxError as exc:
        raise ValueError(f"link_selector {selector!r} is not a valid CSS selector: {exc}") from exc
    anchors = []
    for el in selected:
        if el.name == "a" and el.has_attr("href"):
            anchors.append(el)
            continue
        heading = el.find(_HEADINGS)
        found = heading.find("a", href=True) if isinstance(heading, Tag) else None
        found = found or el.find("a", href=True)
        if isinstance(found, Tag):
            anchors.append(found)
    return _in_lxml(anchors, soup, page.root)


def _in_lxml(tags: list[Tag], soup: BeautifulSoup, root: HtmlElement | None) -> list[HtmlElement]:
    """The lxml elements that BeautifulSoup's anchors are.

    Both trees come from the same text through libxml2, so they hold the same anchors in the
    same order; an anchor is matched by its href and its rank among the anchors with that href,
    which names the same element even were the trees to differ elsewhere. One without a match
    is dropped (logged): no Link can be described without its place in the page.
    """
    ranks: dict[int, tuple[str, int]] = {}  # id() is safe: the soup keeps its Tags alive
    seen: Counter[str] = Counter()
    for tag in soup.find_all("a", href=True):
        href = _bs4_attr(tag, "href")
        ranks[id(tag)] = (href, seen[href])
        seen[href] += 1
    elements: dict[tuple[str, int], HtmlElement] = {}
    seen.clear()
    for el in _with_href(root):
        href = el.get("href", "")
        elements[(href, seen[href])] = el
        seen[href] += 1
    found = []
    for tag in tags:
        key = ranks.get(id(tag))
        el = elements.get(key) if key is not None else None
        if el is None:
            log.info("link_selector: anchor %r not found in lxml's tree; skipped", key)
            continue
        found.append(el)
    return found


def _bs4_attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    return " ".join(value) if isinstance(value, list) else (value or "")


def _auto_anchors(root: HtmlElement | None, url: str, base: str) -> list[tuple[HtmlElement, str]]:
    """Candidates in the main content; the whole page minus nav/header/footer/aside otherwise."""
    usable: list[tuple[HtmlElement, str, bool]] = []
    for a in _with_href(root):
        link = _clean_url(a.get("href"), base)
        if link and same_site(link, url) and not _rejected(link, url):
            usable.append((a, link, _article_shaped(link)))
    main = [(a, u, s) for a, u, s in usable if _place(a) == "main"]
    chosen = _by_structure(main)
    if not chosen:
        chosen = _by_structure([(a, u, s) for a, u, s in usable if _outside_chrome(a)])
    return chosen


def _by_structure(
    candidates: list[tuple[HtmlElement, str, bool]],
) -> list[tuple[HtmlElement, str]]:
    """Article-shaped links, plus links repeating the structure of article-shaped siblings."""
    groups: dict[object, list[tuple[str, bool]]] = {}
    signatures = [_signature(a) for a, _, _ in candidates]
    for (_, link, shaped), signature in zip(candidates, signatures, strict=True):
        groups.setdefault(signature, []).append((link, shaped))
    listy = set()
    for key, members in groups.items():
        urls = {u for u, _ in members}
        if len(urls) >= 3 and len({u for u, shaped in members if shaped}) >= 2:
            listy.add(key)
    return [
        (a, u)
        for (a, u, shaped), signature in zip(candidates, signatures, strict=True)
        if shaped or signature in listy
    ]


def _describe(pairs: list[tuple[HtmlElement, str]]) -> list[Link]:
    """One Link per URL, titled from its anchors or its card's heading, dated from a <time>."""
    # Keyed by the elements themselves, never id(): lxml makes a new proxy object for a node
    # once no Python reference to the old one is left, and ids get reused. Held as keys here,
    # each ancestor keeps its one proxy while _card looks it up again.
    under: dict[HtmlElement, set[str]] = {}
    for a, link in pairs:
        for node in a.iterancestors():
            under.setdefault(node, set()).add(link)
    anchors: dict[str, list[HtmlElement]] = {}
    for a, link in pairs:
        anchors.setdefault(link, []).append(a)
    links = []
    for link, tags in anchors.items():
        card = _card(tags[0], link, under)
        links.append(Link(url=link, title=_title(tags, card), published=_card_date(card)))
    return links


def _card(a: HtmlElement, link: str, under: dict[HtmlElement, set[str]]) -> HtmlElement:
    """The largest ancestor (a few levels up) holding links to this article only."""
    card = a
    for depth, node in enumerate(a.iterancestors()):
        if depth >= 6 or node.tag in ("body", "html", "main") or under.get(node) != {link}:
            break
        card = node
    return card


def _title(anchors: list[HtmlElement], card: HtmlElement) -> str | None:
    for a in anchors:
        if next(a.iterancestors(*_HEADINGS), None) is not None or _first(a, _HEADINGS) is not None:
            return _text(a) or None
    texts = [t for t in (_text(a) for a in anchors) if not _is_generic(t)]
    substantial = [t for t in texts if len(t.split()) >= 3]
    if substantial:
        return max(substantial, key=len)
    heading = _first(card, _HEADINGS)
    if heading is not None and _text(heading):
        return _text(heading)
    if texts:
        return max(texts, key=len)
    for a in anchors:
        img = next((i for i in a.iterdescendants("img") if i.get("alt") is not None), None)
        label = _attr(a, "title") or (_attr(img, "alt") if img is not None else "")
        if label.strip():
            return " ".join(label.split())
    return None


def _card_date(card: HtmlElement) -> Published:
    """The card's own <time datetime>, the publication one when it also shows an update."""
    times = [t for t in card.iterdescendants("time") if t.get("datetime") is not None]
    if card.tag == "time" or not times:
        return None
    published = [t for t in times if "updated" not in _attr_list(t, "class")]
    return _iso(_attr((published or times)[0], "datetime"))


# --- pagination ------------------------------------------------------------------------------

_NEXT_STRONG = {
    "next", "next page", "older posts", "older entries", "older", "следующая",
    "следующая страница", "вперед", "вперёд", "келесі", "келесі бет", "seterusnya",
    "berikutnya", "halaman seterusnya", "selanjutnya",
}  # fmt: skip
_NEXT_WEAK = {"далее", "»", "›", "→", ">", ">>", "»»"}
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")
#: Elements that may carry a ``next`` or ``nav-next`` class, in document order (checked by token
#: afterwards): ``.pagination a.next, .nav-next, .next`` without a CSS engine.
#: ``//``: the whole document, <html> elements after a stray </html> too (``iter_elements``).
_MAYBE_NEXT = etree.XPath("//*[contains(@class, 'next')]")
_NEXT_CLASSES = {"next", "nav-next"}


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    match = _PAGE_PATH.search(parts.path)
    if match:
        return int(match.group(1))
    for key, value in parse_qsl(parts.query):
        if _PAGE_QUERY.match(key) and key.lower() != "start" and value.isdigit():
            return int(value)
    return None


def _page_base(url: str) -> tuple[object, ...]:
    """The listing a page belongs to: its URL without the page number."""
    parts = urlsplit(url)
    query = tuple(sorted((k, v) for k, v in parse_qsl(parts.query) if not _PAGE_QUERY.match(k)))
    return _site_key(url), _PAGE_PATH.sub("/", parts.path).rstrip("/"), query


def _in_pagination(a: HtmlElement) -> bool:
    for depth, node in enumerate(a.iterancestors()):
        if depth >= 4:
            break
        if any(re.search(r"pag|nav", t) for t in _tokens(node)) or node.tag == "nav":
            return True
    return False


def _link_text(a: HtmlElement) -> str:
    text = _text(a) or _attr(a, "aria-label") or _attr(a, "title")
    return re.sub(r"\s+", " ", re.sub(r"[«»›→←<>\u2039\u203a]+", " ", text)).strip().lower()


def next_page(page: HtmlPage, url: str) -> str | None:
    """The next page of a listing: rel=next, a ``next`` class, a "Next" text, or page N+1."""
    return _next_page(page.root, url)


def _next_page(root: HtmlElement | None, url: str) -> str | None:
    if root is None:
        return None
    base = _base_url(root, url)
    current = _page_number(url) or 1
    for candidate in _next_candidates(root, url, base, current):
        link = _clean_url(candidate, base)
        if link is None or not same_site(link, url) or _loose(link) == _loose(url):
            continue
        number = _page_number(link)
        if number is not None and number <= current:
            continue
        return link
    return None


def _next_candidates(root: HtmlElement, url: str, base: str, current: int) -> Iterator[str]:
    """Hrefs in order of trust."""
    for el in _with_href(root, ("link", "a")):
        if "next" in [r.lower() for r in _attr_list(el, "rel")]:
            yield _attr(el, "href")
    for el in _MAYBE_NEXT(root):
        if not _NEXT_CLASSES.intersection(_attr_list(el, "class")):
            continue
        found = el if el.tag == "a" else _first(el, ("a",), href=True)
        if found is not None and found.get("href") is not None:
            yield _attr(found, "href")
    anchors = _with_href(root)
    for a in anchors:
        raw = _text(a) or _attr(a, "aria-label") or _attr(a, "title")
        text = _link_text(a)
        if text in _NEXT_STRONG or (
            (text in _NEXT_WEAK or raw.strip() in _NEXT_WEAK) and _in_pagination(a)
        ):
            yield _attr(a, "href")
    wanted = _page_base(url)
    for a in anchors:
        link = _clean_url(_attr(a, "href"), base)
        if link and _page_number(link) == current + 1 and _page_base(link) == wanted:
            yield link
