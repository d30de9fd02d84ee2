"""Link rules: which URLs a source may lead to, which look like articles, and the next page.

One place for what every kind of discovery asks of a URL: is it on the source's site
(``same_site``), is it a clean absolute http(s) link, is it article-shaped or never an article
(tag, category, author, page/N, language-switch, archive or file links), and, on a listing,
which link is the next page. The dates and languages that feeds, sitemaps and cards attach to
a link are read here too, so that all three read them alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml.html import HtmlElement

from monitor.core.dedup import origin_key
from monitor.core.discover.elements import (
    _attr,
    _attr_list,
    _base_url,
    _first,
    _text,
    _tokens,
    _with_href,
)
from monitor.core.htmldoc import HtmlPage
from monitor.core.models import Link, Published

# --- URLs ------------------------------------------------------------------------------------


def same_site(url: str, site: str) -> bool:
    """Whether ``url`` is on ``site`` (URL or host), ignoring case, ``www.`` and default ports."""
    key = origin_key(url)
    return key is not None and key == origin_key(site)


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
    """A comparison key: same site, path without trailing slash or directory index
    ("/index.php?x" is "/?x", as the server answers it), same query parameters."""
    parts = urlsplit(url)
    path = re.sub(r"/index\.(?:php|html?)$", "/", parts.path, flags=re.I).rstrip("/")
    return origin_key(url), path, tuple(sorted(parse_qsl(parts.query)))


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
#: Years a news archive can be of; a four-digit number outside them is an id.
_NEWS_YEARS = (1995, 2035)
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
    index = lowered[-1:] in (["index.php"], ["index.html"])
    if (not _drop_lang(segs) and not query) or (index and not _article_shaped(url)):
        return True  # the home page, in any language (index.php?id=12 is an article)
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
        # a year of news (an archive by year), not an id: /node/2072 and /node/1947 are items
        is_year = (
            stem.isdigit() and len(stem) == 4 and _NEWS_YEARS[0] <= int(stem) <= _NEWS_YEARS[1]
        )
        if _YMD.match(stem) or (_ID_SEGMENT.match(stem) and not is_year):
            return True
        words = re.split(r"[-_]", stem)
        if _SLUG.match(stem) and sum(w.isalpha() and len(w) > 1 for w in words) >= 2:
            return True
    query = parse_qsl(parts.query)
    if any(k.lower() in _ID_QUERY and v.isdigit() for k, v in query):
        return True
    return ("option", "com_content") in query and ("view", "article") in query


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


def _has_offset(url: str) -> bool:
    """Whether the URL pages by an item offset (Joomla's ?start=10), not a page number."""
    return any(k.lower() in ("start", "offset") for k, _ in parse_qsl(urlsplit(url).query))


def _page_base(url: str) -> tuple[object, ...]:
    """The listing a page belongs to: its URL without the page number."""
    parts = urlsplit(url)
    query = tuple(sorted((k, v) for k, v in parse_qsl(parts.query) if not _PAGE_QUERY.match(k)))
    return origin_key(url), _PAGE_PATH.sub("/", parts.path).rstrip("/"), query


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


def _page_number_link(a: HtmlElement) -> bool:
    """A number of the listing's own pager ("2"): another page of it, never an article."""
    text = _link_text(a)
    return text.isdigit() and len(text) <= 4 and _in_pagination(a)


def next_page(page: HtmlPage, url: str) -> str | None:
    """The next page of a listing: rel=next, a ``next`` class, a "Next" text, or page N+1."""
    return _next_page(page.root, url)


def _next_page(root: HtmlElement | None, url: str) -> str | None:
    if root is None:
        return None
    base = _base_url(root, url)
    numbered = _page_number(url)
    current = numbered or 1
    for candidate in _next_candidates(root, url, base, current):
        link = _clean_url(candidate, base)
        if link is None or not same_site(link, url) or _loose(link) == _loose(url):
            continue
        number = _page_number(link)
        # never backwards; on an unnumbered first page any numbered page is further (Drupal
        # counts from 0: its second page is ?page=1)
        if numbered is not None and number is not None and number <= current:
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
    # A pager of numbers only, read as a reader reads it (so before any arithmetic on URLs):
    # the number after the one this page shows, "1" on a first page that no number in its URL
    # marks, else the pager's own link to this very page.
    pager = [a for a in anchors if _page_number_link(a)]
    shown = None if _page_number(url) is not None or _has_offset(url) else 1
    for a in pager:
        link = _clean_url(_attr(a, "href"), base)
        if link and _loose(link) == _loose(url):
            shown = int(_link_text(a))
    if shown is not None:
        for a in pager:
            if _link_text(a) == str(shown + 1):
                yield _attr(a, "href")
    wanted = _page_base(url)
    for a in anchors:
        link = _clean_url(_attr(a, "href"), base)
        if link and _page_number(link) == current + 1 and _page_base(link) == wanted:
            yield link
