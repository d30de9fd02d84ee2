"""Listing pages: a site's own list of articles, read by place and by shape, in page order.

Without a ``link_selector`` a link counts when it sits in the main content (never nav, header,
footer, sidebars or widgets; article links in a "popular posts" sidebar are dropped on purpose:
the source's own list is what counts) and is article-shaped, or repeats the structure of
article-shaped siblings. With one, the user's CSS picks the elements and this module only
finds each one's link. Either way a link is titled from its anchor or its card, dated from
the card's ``<time>``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from bs4 import BeautifulSoup, Tag
from lxml.html import HtmlElement
from soupsieve import SelectorSyntaxError

from monitor.core.discover.elements import (
    _attr,
    _attr_list,
    _base_url,
    _first,
    _text,
    _tokens,
    _with_href,
)
from monitor.core.discover.links import (
    _article_shaped,
    _clean_url,
    _filter,
    _iso,
    _next_page,
    _page_number_link,
    _rejected,
    same_site,
)
from monitor.core.htmldoc import HtmlPage
from monitor.core.models import Discovery, Link, Published

log = logging.getLogger(__name__)

MAX_LISTING_LINKS = 500

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
        path.append((str(node.tag), stable))
        node = node.getparent()
    return tuple(path)


# --- listing pages ---------------------------------------------------------------------------

_GENERIC_TEXT = {
    "read more", "more", "continue reading", "learn more", "details", "подробнее",
    "читать далее", "читать", "далее", "толығырақ", "оқу", "selanjutnya", "baca lagi",
    "baca selanjutnya", "baca lanjut", "",
}  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _is_generic(text: str) -> bool:
    return re.sub(r"[^\w\s]", "", text.lower()).strip() in _GENERIC_TEXT


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
        match = elements.get(key) if key is not None else None
        if match is None:
            log.info("link_selector: anchor %r not found in lxml's tree; skipped", key)
            continue
        found.append(match)
    return found


def _bs4_attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    return " ".join(value) if isinstance(value, list) else (value or "")


def _auto_anchors(root: HtmlElement | None, url: str, base: str) -> list[tuple[HtmlElement, str]]:
    """Candidates in the main content; the whole page minus nav/header/footer/aside otherwise."""
    usable: list[tuple[HtmlElement, str, bool]] = []
    for a in _with_href(root):
        link = _clean_url(a.get("href"), base)
        if link and same_site(link, url) and not _rejected(link, url) and not _page_number_link(a):
            usable.append((a, link, _article_shaped(link)))
    main = [(a, u, s) for a, u, s in usable if _place(a) == "main"]
    chosen = _by_structure(main)
    if not chosen:
        chosen = _by_structure([(a, u, s) for a, u, s in usable if _outside_chrome(a)])
    return chosen


def _by_structure(
    candidates: list[tuple[HtmlElement, str, bool]],
) -> list[tuple[HtmlElement, str]]:
    """Article-shaped links, plus links repeating the structure of article-shaped siblings or
    of headline-worded ones (/node/2021 is an item whose id looks like a year; its link text
    is a sentence), and headlines: two or more links of one structure, each the heading of its
    item (a small listing of "<li><h2><a>" items is a listing, whatever its slugs look like)."""
    groups: dict[object, list[tuple[str, bool]]] = {}
    headed: dict[object, bool] = {}
    worded: dict[object, set[str]] = {}
    signatures = [_signature(a) for a, _, _ in candidates]
    for (a, link, shaped), signature in zip(candidates, signatures, strict=True):
        groups.setdefault(signature, []).append((link, shaped))
        headed[signature] = headed.get(signature, True) and _in_heading(a)
        if len(_text(a).split()) >= _HEADLINE_WORDS:
            worded.setdefault(signature, set()).add(link)
    listy = set()
    for key, members in groups.items():
        urls = {u for u, _ in members}
        shaped_urls = {u for u, shaped in members if shaped}
        if (len(urls) >= 3 and len(shaped_urls | worded.get(key, set())) >= 2) or (
            len(urls) >= 2 and headed[key]
        ):
            listy.add(key)
    return [
        (a, u)
        for (a, u, shaped), signature in zip(candidates, signatures, strict=True)
        if shaped or signature in listy
    ]


#: Words in a link's text from which it reads as a headline, not a menu entry or a tag.
_HEADLINE_WORDS = 4


def _in_heading(a: HtmlElement) -> bool:
    """Whether a link is (the text of) a heading: h1-h6 at most two levels up."""
    node: HtmlElement | None = a
    for _ in range(3):
        if node is None:
            return False
        if node.tag in _HEADINGS:
            return True
        node = node.getparent()
    return False


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
