"""Page to Article: title, publication date, body text, language and language versions.

Each field is taken from the most trustworthy evidence present, in a fixed order (configured CSS
selectors, JSON-LD, OpenGraph and other meta tags, markup, text, URL), and ``Article.methods``
records which one won so that ``sources test`` can show it. The page is parsed once, with lxml
directly (BeautifulSoup's tree would cost more than everything else together); trafilatura and
htmldate work on copies of that tree, and BeautifulSoup is built only for sources that configure
CSS selectors (soupsieve). Malformed or empty input gives an Article with empty text, never an
exception.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import json
import logging
import re
from collections.abc import Iterator, Mapping
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
import lxml.html
import trafilatura
from bs4 import BeautifulSoup, Tag
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Extractor

from monitor.core import dates, htmldoc
from monitor.core.language import (
    contradicts,
    detect_language,
    language_from_url,
    normalize_language,
)
from monitor.core.models import Article, Published

log = logging.getLogger(__name__)

_ARTICLE_TYPES = frozenset(
    [
        "newsarticle",
        "article",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "scholarlyarticle",
        "report",
        "pressrelease",
    ]
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage"})
#: Meta names and properties that carry a publication date, most specific first.
_DATE_META = tuple(
    [
        "article:published_time",
        "og:published_time",
        "published_time",
        "citation_publication_date",
        "citation_date",
        "citation_online_date",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "dcterms.date",
        "dcterms.created",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish_date",
        "publication_date",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
    ]
)
#: Pages with more h1s than this are listings or broken; their first few are enough.
_MAX_HEADINGS = 10
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|»|::|-|·)\s+")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "dd",
        "dt",
        "figure",
        "figcaption",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "form",
        "address",
        "hr",
    ]
)
_SKIPPED_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "iframe", "button", "select"]
)
_SWITCH_TEXT = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "ru": "ru",
    "рус": "ru",
    "русский": "ru",
    "kz": "kk",
    "kk": "kk",
    "қаз": "kk",
    "каз": "kk",
    "қазақша": "kk",
    "қазақ": "kk",
    "ms": "ms",
    "bm": "ms",
    "bahasa melayu": "ms",
    "melayu": "ms",
}

# Boilerplate that trafilatura leaves in on the WordPress institute sites.
_SKIP_LINK = re.compile(
    r"^(skip to (main )?content|перейти к (основному )?содержимому|перейти к содержанию"
    r"|мазмұнға өту|langkau ke kandungan)$",
    re.I,
)
_BREADCRUMB = re.compile(
    r"^(main page|home|homepage|главная( страница)?|басты бет|utama|laman utama)\s*[»>/›→|]", re.I
)
_SHORTCODE = re.compile(
    r"\[/?[a-z][\w-]*(?:\s+[\w-]+=(?:'[^']*'|\"[^\"]*\"|[^\s\]]+))+\s*/?\]"
    r"|\[/?[a-z]+_[\w-]*\s*/?\]",
    re.I,
)
_SHARE_WORDS = frozenset(
    [
        "share",
        "shares",
        "поделиться",
        "бөлісу",
        "kongsi",
        "facebook",
        "twitter",
        "x",
        "telegram",
        "whatsapp",
        "vk",
        "вконтакте",
        "одноклассники",
        "linkedin",
        "email",
        "e-mail",
        "print",
        "tweet",
        "pinterest",
        "reddit",
        "this",
        "on",
        "via",
        "copy",
        "link",
        "mail",
        "ok",
        "viber",
        "messenger",
        "threads",
        "instagram",
    ]
)
_JUNK_LINE = re.compile(
    r"^(-\s*)?(advertisement|реклама|iklan)(\s*-)?$|^(read in pdf|читать в pdf|pdf-те оқу"
    r"|baca dalam pdf|download pdf|print|печать)$",
    re.I,
)


def extract_article(
    html: bytes | str,
    url: str,
    *,
    charset: str | None = None,
    selectors: Mapping[str, str] | None = None,
    language_hint: str | None = None,
    tz: dt.tzinfo | None = None,
    now: dt.datetime | None = None,
) -> Article:
    """Extract one article from a fetched page; never raises on bad markup."""
    tz = tz or dt.UTC
    now = now or dt.datetime.now(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tz)
    selectors = selectors or {}
    markup = htmldoc.decode(html, charset) if isinstance(html, bytes) else html
    if not markup.strip() or "<" not in markup or _looks_binary(markup):
        return _empty(url, language_hint, markup)
    document = htmldoc.HtmlPage(markup)
    if document.root is None:
        return _empty(url, language_hint, markup)
    page = _Page(document, url, selectors)
    methods: dict[str, str] = {}

    title, methods["title"] = page.title()
    text, methods["text"] = page.text()
    text = clean_body(text, title)
    language, methods["language"] = page.language(language_hint, text)
    published, methods["published"] = page.published(title, text, language, tz, now)
    return Article(
        url=url,
        title=title,
        published=published,
        text=text,
        language=language,
        canonical_url=page.canonical,
        alternates=page.alternates,
        methods={field: method for field, method in methods.items() if method},
    )


def _text(element: Any, sep: str = " ") -> str:
    """All the text under an element (lxml or BeautifulSoup)."""
    if isinstance(element, Tag):
        return element.get_text(sep)
    return sep.join(element.itertext())


def _inside(element: HtmlElement, names: frozenset[str]) -> bool:
    return any(parent.tag in names for parent in element.iterancestors())


def _empty(url: str, language_hint: str | None, markup: str) -> Article:
    """What a blank or non-HTML body yields: nothing but the URL and what it says."""
    log.info("no HTML to extract from %s (%d characters)", url, len(markup))
    language = language_from_url(url) or normalize_language(language_hint)
    return Article(url=url, title=None, published=None, text="", language=language)


def _looks_binary(markup: str) -> bool:
    """An image or PDF served as text/html decodes to control and replacement characters."""
    sample = markup[:2000]
    odd = sum(1 for char in sample if char == "\ufffd" or (char < " " and char not in "\t\n\r"))
    return odd > len(sample) / 20


_ARTICLE_CONTAINERS = frozenset({"article", "main"})
_ARTICLE_ONLY = frozenset({"article"})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Elements that may hold a date line of their own, and how long such a line may be.
_DATE_HOLDERS = frozenset({"p", "div", "span", "time", "li", "small", "em", "strong", "dd", "td"})
_MAX_DATE_LINE = 60

#: Declarations a site often sets once for all its pages, whatever each page's language.
_SITE_WIDE_LANGUAGE = frozenset({"html-lang", "og", "meta", "hint"})


class _Page:
    """One parsed page and the evidence gathered from it once (meta tags, JSON-LD, links)."""

    def __init__(self, document: htmldoc.HtmlPage, url: str, selectors: Mapping[str, str]) -> None:
        assert document.root is not None
        self.document = document
        self.root: HtmlElement = document.root
        self.url = url
        self.selectors = selectors
        self.tags = _index_tags(self.root)
        self.base = _base_url(self.tags, url)
        self.meta = _meta_tags(self.tags)
        self.jsonld = _jsonld_fields(self.tags)
        self.canonical = self._canonical()
        self.alternates = _alternates(self.tags, self.base)

    @functools.cached_property
    def elements(self) -> list[HtmlElement]:
        """Every element in document order: only the date-line search needs them all."""
        return [el for el in self.root.iter() if isinstance(el.tag, str)]

    @property
    def soup(self) -> BeautifulSoup:
        """BeautifulSoup for configured CSS selectors only (soupsieve), built when first asked."""
        return self.document.soup

    def _select(self, field: str) -> Tag | None:
        """The element a configured selector names; a bad selector is logged, not fatal."""
        selector = self.selectors.get(field)
        if not selector:
            return None
        try:
            return self.soup.select_one(selector)
        except Exception as error:  # soupsieve raises its own SelectorSyntaxError
            log.warning("selector %r for %s is invalid on %s: %s", selector, field, self.url, error)
            return None

    def title(self) -> tuple[str | None, str]:
        """Selector, JSON-LD headline, og:title, the article's h1, then <title> minus the site."""
        site = self.meta.get("og:site_name")
        element = self._select("title")
        candidates: list[tuple[str | None, str]] = [
            (_squash(_text(element)) if element else None, "selector"),
            (self.jsonld.get("headline"), "json-ld"),
            (self.meta.get("og:title"), "og"),
            (self.meta.get("twitter:title") or self.meta.get("dc.title"), "meta"),
            (self._h1(), "h1"),
        ]
        h1 = candidates[-1][0]
        for value, method in candidates:
            if value and _squash(value):
                title = _drop_site_name(_squash(value), site, self.url, strict=True)
                if method != "h1" and h1 and _truncated(title, h1):
                    return h1, "h1"  # Yoast and og:title cut long titles; the h1 is whole
                return title, method
        for tag in self.tags.get("title", []):
            if _squash(_text(tag, "")):
                title = _drop_site_name(_squash(_text(tag, "")), site, self.url, strict=False)
                return title, "title-tag"
        return None, ""

    def _h1(self) -> str | None:
        """The article's h1: WordPress entry-title first, then one inside <article>, then any."""
        headings = [(_squash(_text(h1)), h1) for h1 in self.tags.get("h1", [])[:_MAX_HEADINGS]]
        headings = [(text, h1) for text, h1 in headings if text]
        ranked = sorted(
            headings,
            key=lambda item: (
                "entry-title" not in _classes(item[1]),
                not _inside(item[1], _ARTICLE_CONTAINERS),
            ),
        )
        return ranked[0][0] if ranked else None

    def text(self) -> tuple[str, str]:
        """Body selector, else trafilatura, else the biggest block of paragraphs."""
        if self.selectors.get("body"):
            try:
                elements = self.soup.select(self.selectors["body"])
            except Exception as error:  # soupsieve raises its own SelectorSyntaxError
                log.warning("body selector on %s is invalid: %s", self.url, error)
                elements = []
            paragraphs = [p for element in elements for p in _paragraphs(_as_lxml(element))]
            if paragraphs:
                return "\n\n".join(paragraphs), "selector"
        paragraph_chars = sum(len(_squash(_text(p, ""))) for p in self.tags.get("p", []))
        body = _trafilatura_text(self.root, self.url, paragraph_chars)
        if body:
            return body, "trafilatura"
        block = _biggest_block(self.root)
        if block is not None:
            return "\n\n".join(_paragraphs(block)), "largest-block"
        return "", ""

    def language(self, hint: str | None, text: str) -> tuple[str | None, str]:
        """Declared language first, then hreflang, URL prefix, the caller's hint, the detector."""
        html = next(iter(self.tags.get("html", [])), None)
        declared = [
            (_html_lang(html), "html-lang"),
            (self.meta.get("og:locale"), "og"),
            (self.jsonld.get("inLanguage"), "json-ld"),
            (self.meta.get("content-language") or self.meta.get("language"), "meta"),
            (self._hreflang_self(), "hreflang"),
            (language_from_url(self.url), "url"),
            (hint, "hint"),
        ]
        for value, method in declared:
            code = normalize_language(value if isinstance(value, str) else None)
            if code:
                actual = contradicts(code, text) if method in _SITE_WIDE_LANGUAGE else None
                if actual:
                    return actual, f"detector (page said {code})"
                return code, method
        detected = detect_language(text)
        return (detected, "detector") if detected else (None, "")

    def _hreflang_self(self) -> str | None:
        """The hreflang whose URL is this page."""
        own = {_comparable(self.url), _comparable(self.canonical or self.url)}
        for language, href in self.alternates.items():
            if _comparable(href) in own:
                return language
        return None

    def published(
        self, title: str | None, text: str, language: str | None, tz: dt.tzinfo, now: dt.datetime
    ) -> tuple[Published, str]:
        """The first plausible date: selector, JSON-LD, meta, <time>, text near the title, URL."""
        languages = [language] if language else []
        for method, raw in self._date_candidates():
            value = dates.parse_date_value(raw, tz)
            if dates.is_plausible(value, now):
                return value, method
            log.debug("rejected %s date %r on %s", method, raw, self.url)
        for value in self._dated_elements(languages, tz):
            if dates.is_plausible(value, now):
                return value, "text"
        for value in self._textual_dates(title, text, languages, tz):
            if dates.is_plausible(value, now):
                return value, "text"
        guessed = _htmldate(self.root, now)
        if guessed is not None and dates.is_plausible(guessed, now):
            return guessed, "htmldate"
        from_url = dates.date_from_url(self.url)
        if dates.is_plausible(from_url, now):
            return from_url, "url"
        return None, ""

    def _date_candidates(self) -> Iterator[tuple[str, str]]:
        """Machine-readable date strings in order of trust."""
        element = self._select("date")
        if element is not None:
            yield "selector", _date_attribute(element) or _text(element)
        for key in ("datePublished", "dateCreated"):
            if self.jsonld.get(key):
                yield "json-ld", self.jsonld[key]
        for key in _DATE_META:
            if self.meta.get(key):
                yield "meta", self.meta[key]
        for found in sorted(
            self.tags.get("time", []) + self.tags.get("@datepublished", []), key=_time_rank
        ):
            raw = _date_attribute(found)
            if raw:
                yield "time", raw

    def _dated_elements(self, languages: list[str], tz: dt.tzinfo) -> Iterator[Published]:
        """Short elements that hold nothing but a date, nearest the article's h1 first.

        A date line beside the headline is the publication date; a date inside a sentence of
        the body ("On 10 November the parties met") is the event's.
        """
        h1_tags = self.tags.get("h1", [])
        elements = self.elements
        if not h1_tags:
            return
        order = {id(tag): i for i, tag in enumerate(elements)}
        anchor = order.get(id(h1_tags[0]), 0)
        found: list[tuple[int, Published]] = []
        for tag in elements:
            if tag.tag not in _DATE_HOLDERS:
                continue
            text = _squash(_text(tag))
            if not text or len(text) > _MAX_DATE_LINE:
                continue
            for _, value in dates.iter_textual_dates(text, languages, tz):
                distance = order[id(tag)] - anchor
                found.append((abs(distance), distance < 0, value))  # after the h1 wins a tie
                break
        for *_, value in sorted(found, key=lambda item: item[:2]):
            yield value

    def _textual_dates(
        self, title: str | None, text: str, languages: list[str], tz: dt.tzinfo
    ) -> Iterator[Published]:
        """Dates written out near the title, after it first, then the start of the body."""
        body = self.root.find("body")
        page_text = _squash(_text(body if body is not None else self.root))
        windows = []
        if title:
            anchor = title if title in page_text else title[:40]
            starts = [m.start() for m in re.finditer(re.escape(anchor), page_text)][:3]
            windows += [page_text[at : at + len(title) + 1000] for at in starts]
            windows += [page_text[max(0, at - 400) : at] for at in starts]
        windows.append(text[:1000])
        for window in windows:
            for _, value in dates.iter_textual_dates(window, languages, tz):
                yield value

    def _canonical(self) -> str | None:
        """rel=canonical, else og:url, made absolute."""
        for link in self.tags.get("link", []):
            if "canonical" in _rel(link) and link.get("href"):
                return _absolute(self.base, str(link.get("href")))
        og_url = self.meta.get("og:url")
        return _absolute(self.base, og_url) if og_url else None


def _truncated(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` cut off (with or without an ellipsis)."""
    stem = short.rstrip(".… ").casefold()
    return len(full) > len(stem) >= 20 and full.casefold().startswith(stem)


def _trafilatura_text(root: HtmlElement, url: str, paragraph_chars: int) -> str:
    """The body as trafilatura sees it, one paragraph per line; '' when it finds none.

    Its fast mode first (its own extractor only, about half the time). When that finds much less
    than the page's paragraphs hold, the full run, whose readability and jusText fallbacks recover
    bodies the fast mode cuts short (9% of the pages of the extraction corpus; without the re-run
    the fast mode loses whole articles there).
    """
    try:
        fast = _run_trafilatura(root, url, fast=True)
        if len(fast) >= _FAST_SHARE * paragraph_chars:
            return fast
        full = _run_trafilatura(root, url, fast=False)
        return full if len(full) > len(fast) else fast
    except Exception as error:  # trafilatura has failure modes of its own on broken pages
        log.warning("trafilatura failed on %s: %s", url, error)
        return ""


#: Share of the page's paragraph text below which the fast mode's body is suspect.
_FAST_SHARE = 0.5


#: Page chrome removed before trafilatura reads the page. It deletes most of these itself, but
#: only after running its pruning XPath over the whole raw tree, where menus, sidebars and
#: footers are most of the elements: removed first, its run takes a quarter less time on the
#: extraction corpus and half on menu-heavy pages, and the corpus scores do not move (body
#: 95.4 -> 95.3%, boilerplate kept out 87.4 -> 87.7%). Scripts stay: JSON-LD tells it about forums.
#: Given as ``prune_xpath``, which trafilatura applies to its own copy of the tree: ours keeps its
#: chrome for the date-line search and the fallbacks, without a second copy of the page.
_CHROME = "|".join(f"//{tag}" for tag in ("nav", "aside", "footer", "noscript", "iframe", "svg"))


@functools.cache
def _trafilatura_options(fast: bool) -> Extractor:
    """One Extractor per mode: building it reads the settings file's values each time."""
    return Extractor(output_format="txt", fast=fast, comments=False, tables=True, precision=False)


def _run_trafilatura(root: HtmlElement, url: str, *, fast: bool) -> str:
    options = copy.copy(_trafilatura_options(fast))
    options.url = options.source = url
    result = trafilatura.extract(root, prune_xpath=_CHROME, options=options)
    return result or ""


def _htmldate(root: HtmlElement, now: dt.datetime) -> dt.date | None:
    """htmldate's guess from the whole page: slow, so it runs only as a late resort."""
    try:
        found = htmldate.find_date(
            copy.deepcopy(root),
            extensive_search=True,
            original_date=True,
            max_date=now.date().isoformat(),
        )
    except Exception as error:  # htmldate has failure modes of its own on broken pages
        log.debug("htmldate failed: %s", error)
        return None
    return dt.date.fromisoformat(found) if found else None


def _biggest_block(root: HtmlElement) -> HtmlElement | None:
    """The element holding the most paragraph text, for pages trafilatura gives up on."""
    scores: dict[int, tuple[int, HtmlElement]] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            length = len("".join(paragraph.itertext()).strip())
            total = scores.get(id(parent), (0, parent))[0] + length
            scores[id(parent)] = (total, parent)
    if scores:
        return max(scores.values(), key=lambda item: item[0])[1]
    return root.find("body")


def _as_lxml(element: Tag) -> HtmlElement:
    """A BeautifulSoup element (from a configured selector) as an lxml one."""
    return lxml.html.fragment_fromstring(str(element), create_parent="div")


def _paragraphs(element: HtmlElement) -> list[str]:
    """Block-aware text: inline markup joins, block elements and <br> split."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _squash("".join(current))
        if line:
            paragraphs.append(line)
        current.clear()

    def walk(node: HtmlElement) -> None:
        if node.text and isinstance(node.tag, str):
            current.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED_TAGS:
                if child.tag == "br":
                    flush()
                elif child.tag in _BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)
            if child.tail:  # the text after a child belongs to this node (comments included)
                current.append(child.tail)

    walk(element)
    flush()
    return paragraphs


def clean_body(text: str, title: str | None = None) -> str:
    """Drop boilerplate lines trafilatura keeps; one paragraph per block, blank lines between."""
    lines = [_squash(_SHORTCODE.sub(" ", line)) for line in text.splitlines()]
    lines = [line for line in lines if line and not _is_boilerplate(line)]
    wanted = _squash(title).casefold() if title else None
    while lines and wanted and _squash(lines[0]).casefold() == wanted:
        lines.pop(0)
    return "\n\n".join(lines)


def _is_boilerplate(line: str) -> bool:
    """Skip links, breadcrumbs, share rows, ad labels and PDF links."""
    if _SKIP_LINK.match(line) or _BREADCRUMB.match(line) or _JUNK_LINE.match(line):
        return True
    words = re.findall(r"[\w@.-]+", line.casefold())
    return bool(words) and len(words) <= 12 and all(word in _SHARE_WORDS for word in words)


#: The tags the evidence is read from, indexed in one C-level walk (no proxy for the rest).
_INDEXED_TAGS = ("html", "title", "base", "meta", "link", "script", "h1", "p", "time")
#: Every class and id value, in document order; each knows its element (``getparent``).
#: Attribute nodes, not elements: testing every element's attributes is five times slower.
_CLASSES_AND_IDS = etree.XPath("//@class | //@id")
_DATE_PUBLISHED = etree.XPath("//@itemprop[. = 'datePublished']/..")
_LANGUAGE_ANCHORS = etree.XPath("//a[@hreflang or @lang]")


def _index_tags(root: HtmlElement) -> dict[str, list[HtmlElement]]:
    """Tags by name, plus '@datepublished' (itemprop) and '@switcher' (language-menu containers).

    'a' holds only anchors that declare a language (hreflang, lang): the rest are never read.
    """
    index: dict[str, list[HtmlElement]] = {}
    for tag in root.iter(*_INDEXED_TAGS):
        index.setdefault(tag.tag, []).append(tag)
    index["a"] = _LANGUAGE_ANCHORS(root)
    index["@datepublished"] = _DATE_PUBLISHED(root)
    index["@switcher"] = _switchers(root)
    return index


def _switchers(root: HtmlElement) -> list[HtmlElement]:
    """Language-menu containers: elements (not html/body) whose class or id says lang or wpml.

    In any case ("LangSwitcher", "WPML-ls"); folded in Python, since XPath 1.0 has no case
    folding and five contains() per attribute cost it more than this loop.
    """
    found: dict[HtmlElement, None] = {}
    for value in _CLASSES_AND_IDS(root):
        folded = value.lower()
        if "lang" in folded or "wpml" in folded:
            element = value.getparent()
            if element.tag not in ("html", "body"):
                found[element] = None
    return list(found)


def _classes(tag: Any) -> list[str]:
    """A tag's classes (lxml gives a string, bs4 a list)."""
    value = tag.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def _time_rank(tag: HtmlElement) -> tuple[bool, bool, bool]:
    """Publication <time> first (pubdate, published, entry-date), then ones inside <article>."""
    classes = _classes(tag)
    marked = (
        "pubdate" in tag.attrib
        or tag.get("itemprop") == "datePublished"
        or "published" in classes
        or "entry-date" in classes
    )
    return (not marked, "updated" in classes, not _inside(tag, _ARTICLE_ONLY))


def _meta_tags(tags: dict[str, list[HtmlElement]]) -> dict[str, str]:
    """First content of each <meta> by property, name, itemprop or http-equiv, keys lower-cased."""
    found: dict[str, str] = {}
    for tag in tags.get("meta", []):
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = tag.get(attribute)
            if isinstance(key, str) and key.strip():
                found.setdefault(key.strip().lower(), content.strip())
    return found


def _jsonld_fields(tags: dict[str, list[HtmlElement]]) -> dict[str, str]:
    """headline, datePublished, dateCreated and inLanguage from Article-like JSON-LD objects."""
    articles: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for script in tags.get("script", []):
        if "ld+json" not in str(script.get("type", "")).lower():
            continue
        for item in _walk_jsonld(_load_json(script.text or "")):
            types = item.get("@type")
            names = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
            if names & _ARTICLE_TYPES:
                articles.append(item)
            elif names & _PAGE_TYPES:
                pages.append(item)
    fields: dict[str, str] = {}
    for item in articles + pages:
        headline = item.get("headline") or (item.get("name") if item in articles else None)
        for key, value in (
            ("headline", headline),
            ("datePublished", item.get("datePublished")),
            ("dateCreated", item.get("dateCreated")),
            ("inLanguage", item.get("inLanguage")),
        ):
            if isinstance(value, dict):
                value = value.get("name") or value.get("alternateName")
            if isinstance(value, str) and value.strip():
                # Yoast writes HTML entities into JSON strings: "Olive &#038; Herb"
                fields.setdefault(key, unescape(value).strip())
    return fields


def _load_json(raw: str) -> Any:
    """JSON-LD as sites write it: CDATA wrappers, stray control characters, trailing commas."""
    raw = raw.strip().removeprefix("<![CDATA[").removesuffix("]]>").strip()
    for candidate in (raw, re.sub(r",\s*([}\]])", r"\1", raw)):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def _walk_jsonld(data: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document, including @graph lists and nested values."""
    if isinstance(data, list):
        for item in data:
            yield from _walk_jsonld(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _walk_jsonld(value)


def _alternates(tags: dict[str, list[HtmlElement]], base: str) -> dict[str, str]:
    """hreflang links first, then language-switcher anchors (WPML, Polylang, plain 'RU | KZ')."""
    found: dict[str, str] = {}
    for link in tags.get("link", []):
        if "alternate" in _rel(link) and link.get("hreflang") and link.get("href"):
            code = normalize_language(str(link.get("hreflang")))
            if code:
                found.setdefault(code, _absolute(base, str(link.get("href"))))
    for anchor in _switcher_anchors(tags):
        href = str(anchor.get("href", ""))
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        label = anchor.get("hreflang") or anchor.get("lang")
        code = normalize_language(label if isinstance(label, str) else None)
        code = code or _SWITCH_TEXT.get(_squash(_text(anchor)).casefold())
        if code:
            found.setdefault(code, _absolute(base, href))
    return found


def _switcher_anchors(tags: dict[str, list[HtmlElement]]) -> Iterator[HtmlElement]:
    """Anchors with hreflang/lang, or inside a small element whose class or id says 'lang'."""
    yield from (a for a in tags.get("a", []) if a.get("hreflang") or a.get("lang"))
    for container in tags.get("@switcher", []):
        if container.tag == "a":
            anchors = [container]
        else:
            anchors = list(itertools.islice(container.iterdescendants("a"), 20))
        if len(anchors) < 20:
            yield from anchors


def _date_attribute(element: Any) -> str | None:
    """The machine-readable date of an element: datetime, content or title attributes."""
    for attribute in ("datetime", "content", "data-date", "title"):
        value = element.get(attribute)
        if isinstance(value, str) and re.search(r"\d{4}", value):
            return value
    return None


def _drop_site_name(title: str, site: str | None, url: str, *, strict: bool) -> str:
    """'Title – Site name' -> 'Title'; from <title> also guess the site part when unnamed."""
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    head, tail = title[: separators[-1].start()].strip(), title[separators[-1].end() :].strip()
    if _names_site(tail, site, url) and head:
        return head
    lead, rest = title[: separators[0].start()].strip(), title[separators[0].end() :].strip()
    if _names_site(lead, site, url) and rest:
        return rest
    if strict:
        return title
    if len(tail) < len(head):
        return head
    return rest or title  # 'Site | Title'


def _names_site(part: str, site: str | None, url: str) -> bool:
    """Whether a title segment is the site's name: og:site_name, or the domain ('UKBDNEWS')."""
    squeezed = re.sub(r"\W", "", part.casefold())
    if not squeezed or len(part) > 60:
        return False
    if site and squeezed == re.sub(r"\W", "", site.casefold()):
        return True
    labels = (urlsplit(url).hostname or "").removeprefix("www.").split(".")
    name = labels[-2] if len(labels) >= 2 else ""
    return len(name) >= 3 and (name in squeezed or squeezed in name.replace("-", ""))


def _html_lang(html: HtmlElement | None) -> str | None:
    """<html lang> or the XHTML xml:lang."""
    if html is None:
        return None
    value = html.get("lang") or html.get("xml:lang") or html.get(_XML_LANG)
    return value if isinstance(value, str) else None


def _base_url(tags: dict[str, list[HtmlElement]], url: str) -> str:
    """The page URL resolved against <base href>, which relative links are relative to."""
    for base in tags.get("base", []):
        if base.get("href"):
            return urljoin(url, str(base.get("href")))
    return url


def _absolute(base: str, href: str) -> str:
    """An absolute URL for an href, without its fragment."""
    return urljoin(base, href.strip()).split("#", 1)[0]


def _rel(tag: HtmlElement) -> list[str]:
    """The rel tokens of a link, lower-cased."""
    rel = tag.get("rel") or []
    tokens = rel.split() if isinstance(rel, str) else list(rel)
    return [token.lower() for token in tokens]


def _comparable(url: str) -> str:
    """A URL reduced for equality: no scheme, www., trailing slash or fragment."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def _squash(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space."""
    return " ".join(text.split())
