"""The choice of each field: title, body, language and date, from the most trusted evidence.

``_Page`` gathers a page's evidence once (``markup``) and asks it field by field, in a fixed
order of trust; each answer carries the method that won, which ``sources test`` shows.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import logging
import re
from collections.abc import Iterator, Mapping, Sequence

import htmldate
from bs4 import BeautifulSoup, Tag
from lxml.html import HtmlElement

from monitor.core import dates, htmldoc
from monitor.core.extract.body import _as_lxml, _biggest_block, _paragraphs, _trafilatura_text
from monitor.core.extract.markup import (
    _absolute,
    _alternates,
    _base_url,
    _classes,
    _comparable,
    _date_attribute,
    _html_lang,
    _index_tags,
    _inside,
    _jsonld_fields,
    _meta_tags,
    _rel,
    _squash,
    _text,
    _time_rank,
)
from monitor.core.extract.sitename import TITLE_SEPARATORS, drop_site_name, names_site
from monitor.core.language import (
    contradicts,
    detect_language,
    language_from_url,
    normalize_language,
)
from monitor.core.models import PageShape, Published
from monitor.core.text import cut_short

log = logging.getLogger(__name__)

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

_ARTICLE_CONTAINERS = frozenset({"article", "main"})
#: Longest body line that can be a link's text (an item's title in an index).
_MAX_LINK_LINE = 300
#: og:type values of pages that are not reports.
_NOT_ARTICLE_OG = frozenset({"profile", "business.business"})
#: Where a page keeps what is not its article: no headline of it lives there.
_OUTSIDE_ARTICLE = frozenset({"header", "nav", "footer", "aside"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INLINE = frozenset({"a", "span", "font", "u", "i", "em", "b", "strong", "small", "big"})
#: A headline's length in characters, and how many ancestors the search climbs.
_MIN_HEADLINE, _MAX_HEADLINE = 8, 300
_MAX_HEADLINE_DEPTH = 6

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

    def title(self, text: str = "") -> tuple[str | None, str]:
        """Selector, JSON-LD headline, og:title, the headline, then <title> minus the site.

        ``text``: the body as extracted, which locates the headline: the heading nearest above
        the body, whatever its level (:meth:`_headline`). A string that names the site
        (og:site_name, the <title> part naming it) is never a title, wherever it comes from: old
        sites put an <h1> logo above an <h2> headline. A <title> that is only "SITE - News"
        gives way to the listing's headline later (``analysis``).
        """
        site = self.meta.get("og:site_name")
        element = self._select("title")
        generic = self._site_strings(site)
        headline = self._headline(text, generic) if text else None
        if headline is None:
            h1 = self._h1()
            headline = (h1, "h1") if h1 and _squash(h1).casefold() not in generic else None
        candidates: list[tuple[str | None, str]] = [
            (_squash(_text(element)) if element else None, "selector"),
            (self.jsonld.get("headline"), "json-ld"),
            (self.meta.get("og:title"), "og"),
            (self.meta.get("twitter:title") or self.meta.get("dc.title"), "meta"),
        ]
        for value, method in candidates:
            if value and _squash(value):
                title = drop_site_name(_squash(value), site, self.url, strict=True)
                if method != "selector" and title.casefold() in generic:
                    continue
                if headline and cut_short(title, headline[0]):
                    return headline  # Yoast and og:title cut long titles; the headline is whole
                return title, method
        if headline:
            return headline
        for tag in self.tags.get("title", []):
            if _squash(_text(tag, "")):
                title = drop_site_name(_squash(_text(tag, "")), site, self.url, strict=False)
                return title, "title-tag"
        return None, ""

    def _site_strings(self, site: str | None) -> frozenset[str]:
        """Casefolded strings that name the site: og:site_name, <title> parts naming it."""
        names = {site} if site else set()
        for tag in self.tags.get("title", [])[:1]:
            parts = [p.strip() for p in TITLE_SEPARATORS.split(_squash(_text(tag, "")))]
            longest = max(parts, key=len)  # the page's own part, whatever it mentions
            names.update(p for p in parts if p != longest and names_site(p, site, self.url))
        return frozenset(_squash(n).casefold() for n in names if _squash(n))

    def _headline(self, text: str, generic: frozenset[str]) -> tuple[str, str] | None:
        """The heading nearest above the body's first paragraph, with its tag as the method.

        Walks back from that paragraph through preceding siblings, then up one ancestor at a
        time: the first heading met (h1-h6, or a short block that is all bold) is the page's
        headline, unless it sits in the page's header, navigation, sidebar or footer, names
        the site, or links to another page (a list of other items). Among the three nearest,
        one that the <title> or og:title repeats is preferred (a standfirst or a kicker may sit
        between the headline and the body), then a real heading over a bold line.
        """
        start = self._body_start(text)
        if start is None:
            return None
        found: list[tuple[str, str]] = []
        node: HtmlElement | None = start
        depth = 0
        while node is not None and depth < _MAX_HEADLINE_DEPTH and len(found) < 3:
            for sibling in node.itersiblings(preceding=True):
                if not isinstance(sibling.tag, str):
                    continue
                for heading in reversed(_headings(sibling)):
                    candidate = self._as_headline(heading, generic)
                    if candidate:
                        found.append(candidate)
                if len(found) >= 3:
                    break
            node = node.getparent()
            depth += 1
        if not found:
            return None
        echoed = " ".join(
            _squash(v).casefold()
            for v in (
                *(_text(t, "") for t in self.tags.get("title", [])[:1]),
                self.meta.get("og:title") or "",
            )
        )
        for candidate in found:
            if candidate[0].casefold() in echoed:
                return candidate
        # a heading before a bold line: bold is also how a body stresses a sentence
        return next((c for c in found if c[1] in _HEADING_TAGS), found[0])

    def _as_headline(self, heading: HtmlElement, generic: frozenset[str]) -> tuple[str, str] | None:
        """A heading's text and tag when it can be this page's headline, else None."""
        if _inside(heading, _OUTSIDE_ARTICLE) or heading.tag in _OUTSIDE_ARTICLE:
            return None
        value = _squash(_text(heading))
        if not (_MIN_HEADLINE <= len(value) <= _MAX_HEADLINE) or value.casefold() in generic:
            return None
        own = _comparable(self.url)
        for link in heading.iter("a"):
            href = link.get("href")
            if href and _comparable(_absolute(self.base, str(href))) != own:
                return None  # a link to another item: a list, not this page's headline
        if dates.parse_date_value(value, dt.UTC) is not None:
            return None  # a date line in bold
        tag = heading.tag if heading.tag in _HEADING_TAGS else "heading"
        return value, str(tag)

    def _body_start(self, text: str) -> HtmlElement | None:
        """The first paragraph of the page that opens one of the body's first lines."""
        lines = [_squash(line) for line in text.splitlines()[:4] if len(_squash(line)) >= 20]
        if not lines:
            return None
        prefixes = [line[:40].casefold() for line in lines]
        for paragraph in self.tags.get("p", []):
            own = _squash(_text(paragraph, "")).casefold()
            if own and any(own.startswith(prefix) for prefix in prefixes):
                if _headings(paragraph):
                    continue  # a line all in bold: a headline the body repeated, not the body
                return paragraph
        return None

    def shape(self, text: str) -> PageShape:
        """What the page is by its markup: structured type, and how much of the body is links."""
        schema = self.jsonld.get("schema", "")
        og_type = (self.meta.get("og:type") or "").casefold()
        if not schema and og_type.startswith("article"):
            schema = "article"
        elif not schema and og_type in _NOT_ARTICLE_OG:
            schema = "page"
        lines = [_squash(line) for line in text.splitlines() if _squash(line)]
        total = sum(len(line) for line in lines)
        short = {line.casefold() for line in lines if len(line) <= _MAX_LINK_LINE}
        if not total or not short:
            return PageShape(schema=schema)
        shortest = min(map(len, short))
        linked: set[str] = set()
        for a in self.root.iter("a"):  # menus hold hundreds: skip those too short to match
            raw = a.text if len(a) == 0 else a.text_content()
            if raw and len(raw) >= shortest // 2:
                key = _squash(raw).casefold()
                if key in short:
                    linked.add(key)
        share = sum(len(line) for line in lines if line.casefold() in linked) / total
        return PageShape(schema=schema, link_share=share)

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
            elements: Sequence[Tag]
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
        """The first plausible date: selector, JSON-LD, meta, <time>, then the URL's date with
        the text's time of that day, text near the title, htmldate's guess.

        A dated permalink (/2026/11/10/slug/) is the CMS's own record of the day; a date in
        the text may belong to a related post, a sidebar or the day's header, so the text is
        read for the time of the URL's day, and for a date only when the URL has none.
        """
        languages = [language] if language else []
        for method, raw in self._date_candidates():
            value = dates.parse_date_value(raw, tz)
            if dates.is_plausible(value, now):
                return value, method
            log.debug("rejected %s date %r on %s", method, raw, self.url)
        from_url = dates.date_from_url(self.url)
        if not dates.is_plausible(from_url, now):
            from_url = None
        for value in self._dated_elements(languages, tz):
            if dates.is_plausible(value, now) and _same_day(value, from_url):
                return value, "text"
        for value in self._textual_dates(title, text, languages, tz):
            if dates.is_plausible(value, now) and _same_day(value, from_url):
                return value, "text"
        if from_url is not None:
            return from_url, "url"
        guessed = _htmldate(self.root, now)
        if guessed is not None and dates.is_plausible(guessed, now):
            return guessed, "htmldate"
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
        found: list[tuple[int, bool, Published]] = []
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
        for *_, published in sorted(found, key=lambda item: item[:2]):
            yield published

    def _textual_dates(
        self, title: str | None, text: str, languages: list[str], tz: dt.tzinfo
    ) -> Iterator[Published]:
        """Dates written out near the title, after it first, then just above the body (a
        date line between a headline we did not recognise and the text), then in the body."""
        body = self.root.find("body")
        page_text = _squash(_text(body if body is not None else self.root))
        windows = []
        if title:
            anchor = title if title in page_text else title[:40]
            starts = [m.start() for m in re.finditer(re.escape(anchor), page_text)][:3]
            windows += [page_text[at : at + len(title) + 1000] for at in starts]
            windows += [page_text[max(0, at - 400) : at] for at in starts]
        opening = _squash(text)[:40]
        if len(opening) >= 20 and (at := page_text.find(opening)) > 0:
            windows.append(page_text[max(0, at - 300) : at])  # the date line above the body
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


def _headings(element: HtmlElement) -> list[HtmlElement]:
    """Headings under an element (itself included), in document order: h1-h6, and bold text
    that is a whole line of its own (old layouts set headlines in <strong>)."""
    out = []
    for el in element.iter():
        if el.tag in _HEADING_TAGS:
            out.append(el)
        elif el.tag in ("strong", "b"):
            block = el.getparent()
            while block is not None and block.tag in _INLINE:
                block = block.getparent()
            if block is not None and _squash(_text(block, "")) == _squash(_text(el, "")):
                out.append(el)
    return out


def _same_day(value: Published, day: dt.date | None) -> bool:
    """Whether a date found in the text agrees with the URL's day (True when it has none)."""
    if day is None or value is None:
        return True
    return (value.date() if isinstance(value, dt.datetime) else value) == day


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
