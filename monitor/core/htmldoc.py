"""Bytes to a parsed HTML document, once per page, with the page's real encoding.

httpx decodes by the Content-Type header alone and ignores ``<meta charset>``; in this field
windows-1251 pages without a charset header are common, so decoding follows the HTML rule
(BOM, then the HTTP charset, then ``<meta>``, then detection) and always parses with lxml:
``html.parser`` needs 20+ s on a dense 6 MB page.

Code that walks a page reads lxml's own tree (``parse_html``, ``HtmlPage.root``): BeautifulSoup
builds the same tree at more than ten times the cost (~18 ms against ~1 ms for a 60-300 KB
page), so it is built only for CSS selectors a user configured (soupsieve reads nothing else).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import lxml.html
from bs4 import BeautifulSoup, UnicodeDammit
from lxml import etree
from lxml.html import HtmlElement

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(body: bytes, charset: str | None = None) -> str:
    """Decode an HTML or XML body the way a browser would."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    declared = [charset] if charset else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        declared.append(meta.group(1).decode("ascii", "replace"))
    for name in declared:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 page with one cut-off character is still UTF-8; guessing would garble all of it.
    lenient = body.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(2, len(lenient) // 1000):
        return lenient
    dammit = UnicodeDammit(body, ["utf-8", "windows-1251", "windows-1252"], is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup
    return body.decode("utf-8", errors="replace")


def parse(html: bytes | str, charset: str | None = None) -> BeautifulSoup:
    """Parse a page into BeautifulSoup (lxml builder); never raises on malformed markup.

    For CSS selectors (soupsieve) only: anything else reads ``parse_html``'s tree, ten times
    cheaper to build.
    """
    text = decode(html, charset) if isinstance(html, bytes) else html
    return BeautifulSoup(text, "lxml")


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
# lxml.html picks an element class per tag in Python (form, input, label...), one call for every
# element each time a tree is walked; plain HtmlElement, looked up in C, is all we need.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_html(html: bytes | str, charset: str | None = None) -> HtmlElement | None:
    """The page as an lxml tree (``<html>``), or None when there is no document to read.

    Bytes are decoded first (``decode``: ``<meta charset>``, windows-1251...), then handed to
    lxml as UTF-8 bytes: lxml refuses a str that carries an encoding declaration, and the
    parser's fixed encoding overrides whatever the markup declares. Empty or unparsable input
    gives None, never an exception.
    """
    text = decode(html, charset) if isinstance(html, bytes) else html
    if not text.strip():
        return None
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.LxmlError, ValueError) as error:
        log.info("unparsable page: %s", error)
        return None
    return root if isinstance(root, HtmlElement) else None


def iter_elements(root: HtmlElement, *tags: str) -> Iterator[HtmlElement]:
    """Elements of the whole document in order, those named ``tags`` when given.

    ``root`` is the first ``<html>`` only: what follows a stray ``</html>`` (appended scripts,
    a template closing the page early) lands in further top-level ``<html>`` elements, its
    siblings, which ``root.iter()`` never visits. BeautifulSoup kept them as well.
    """
    for top in (root, *root.itersiblings()):
        if isinstance(top.tag, str):
            yield from top.iter(*tags) if tags else top.iter(etree.Element)


class HtmlPage:
    """One fetched page: its text, lxml's tree of it, and BeautifulSoup only when asked for.

    Discovery walks ``root``; a source's configured CSS selector (soupsieve, which reads only
    BeautifulSoup) builds ``soup`` from the same text on first use, so the other sources never
    pay for it. ``root`` is None when lxml finds no document (empty or blank body); walk it with
    ``iter_elements`` to see the content after a stray ``</html>`` too.
    """

    __slots__ = ("_soup", "markup", "root")

    def __init__(self, html: bytes | str, charset: str | None = None) -> None:
        self.markup = decode(html, charset) if isinstance(html, bytes) else html
        self.root = parse_html(self.markup)
        self._soup: BeautifulSoup | None = None

    @property
    def soup(self) -> BeautifulSoup:
        """BeautifulSoup of the same markup, built on first use (for soupsieve only)."""
        if self._soup is None:
            self._soup = parse(self.markup)
        return self._soup

    @property
    def has_soup(self) -> bool:
        """Whether ``soup`` was built: a page read without CSS selectors never builds it."""
        return self._soup is not None
