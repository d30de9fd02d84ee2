"""Reading lxml elements the way discovery first read BeautifulSoup's.

Discovery moved from BeautifulSoup to lxml (``HtmlPage.root``) for speed; its rules were written
against BeautifulSoup, which gave ``class`` and ``rel`` as lists and skipped the text of script,
style, template and ruby annotations. These helpers keep those answers, so the rules did not
change with the parser.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from urllib.parse import urljoin

from lxml.html import HtmlElement

from monitor.core.htmldoc import iter_elements

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


def _base_url(root: HtmlElement | None, url: str) -> str:
    """The page's ``<base href>`` (the first one with an href, as browsers take it) or its URL."""
    base = _with_href(root, ("base",))
    return urljoin(url, base[0].get("href", "")) if base else url
