"""What the markup says: meta tags, JSON-LD, canonical and hreflang links, language menus.

Read once per page from an index of the few tags that carry evidence (one C-level walk; no
Python proxy for the rest of the tree), with the small text and URL helpers every field uses.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import Tag
from lxml import etree
from lxml.html import HtmlElement

from monitor.core.language import normalize_language

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
#: Structured-data types of pages that are not reports: the site about itself, people, indexes.
_NOT_ARTICLE_TYPES = frozenset(
    {
        "aboutpage",
        "contactpage",
        "profilepage",
        "collectionpage",
        "searchresultspage",
        "faqpage",
    }
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

_ARTICLE_ONLY = frozenset({"article"})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _text(element: Any, sep: str = " ") -> str:
    """All the text under an element (lxml or BeautifulSoup)."""
    if isinstance(element, Tag):
        return element.get_text(sep)
    return sep.join(element.itertext())


def _inside(element: HtmlElement, names: frozenset[str]) -> bool:
    return any(parent.tag in names for parent in element.iterancestors())


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
        index.setdefault(str(tag.tag), []).append(tag)
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
    """headline, datePublished, dateCreated and inLanguage from Article-like JSON-LD objects,
    and "schema": "article" when one is an article, else "page" when one names a page that is
    not a report (about, contact, profile, collection, search results, FAQ)."""
    articles: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    kinds: set[str] = set()  # every type named, nested ones too, for "schema"
    for script in tags.get("script", []):
        if "ld+json" not in str(script.get("type", "")).lower():
            continue
        for item in _walk_jsonld(_load_json(script.text or "")):
            types = item.get("@type")
            names = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
            kinds |= names
            if names & _ARTICLE_TYPES:
                articles.append(item)
            elif names & _PAGE_TYPES:
                pages.append(item)
    fields: dict[str, str] = {}
    if articles:
        fields["schema"] = "article"
    elif kinds & _NOT_ARTICLE_TYPES:
        fields["schema"] = "page"
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
    rel: str | list[str] = tag.get("rel") or []
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
