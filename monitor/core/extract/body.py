"""Body text: trafilatura first, then the biggest block of paragraphs; boilerplate lines out.

trafilatura reads most pages well but leaves the WordPress institute sites' skip links,
breadcrumbs, share rows and shortcodes in; ``clean_body`` drops those, whichever way the body
was found.
"""

from __future__ import annotations

import copy
import functools
import logging
import re

import lxml.html
import trafilatura
from bs4 import Tag
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Extractor

from monitor.core.extract.markup import _squash

log = logging.getLogger(__name__)

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


def _trafilatura_text(root: HtmlElement, url: str, paragraph_chars: int) -> str:
    """The body as trafilatura sees it, one paragraph per line; '' when it finds none.

    Its fast mode first (its own extractor only, about half the time). When that finds much less
    than the page's paragraphs hold, the full run, whose readability and jusText fallbacks recover
    bodies the fast mode cuts short (9% of the pages of the extraction corpus; without the re-run
    the fast mode loses whole articles there).
    """
    try:
        body = _trafilatura_body(root, url, paragraph_chars)
        if _is_table_dump(body):
            body = _trafilatura_body(_without_layout_tables(root), url, paragraph_chars)
        return body
    except Exception as error:  # trafilatura has failure modes of its own on broken pages
        log.warning("trafilatura failed on %s: %s", url, error)
        return ""


def _trafilatura_body(root: HtmlElement, url: str, paragraph_chars: int) -> str:
    fast = _run_trafilatura(root, url, fast=True)
    if len(fast) >= _FAST_SHARE * paragraph_chars:
        return fast
    full = _run_trafilatura(root, url, fast=False)
    return full if len(full) > len(fast) else fast


def _is_table_dump(body: str) -> bool:
    """Whether trafilatura rendered the body as a table: most of it in "| cell |" rows."""
    rows = sum(len(line) for line in body.splitlines() if line.lstrip().startswith("|"))
    return rows > 0.5 * len(body)


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


#: Table cells that hold blocks of text: the page is laid out with the table, it holds no data.
_LAYOUT_CELLS = etree.XPath(
    "//td[p or div or table or ul or h1 or h2 or h3 or h4 or h5 or h6]"
    " | //th[p or div or table or ul or h1 or h2 or h3 or h4 or h5 or h6]"
)
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})


def _without_layout_tables(root: HtmlElement) -> HtmlElement:
    """The page with its layout tables turned into plain blocks (a copy; ``root`` if none).

    Sites of the 2000s lay out whole pages in tables. trafilatura reads a table as data and
    may render every cell, the menu and the sidebar included, as one markdown table in the
    body (:func:`_is_table_dump`); as nested blocks it finds the article in them as in any
    other page. A table whose cells hold paragraphs, headings or other tables lays out the
    page; one of short cells (figures, a schedule) is data and stays a table.
    """
    cells = _LAYOUT_CELLS(root)
    if not cells:
        return root
    copied = copy.deepcopy(root)
    cells = _LAYOUT_CELLS(copied)
    layout = {id(t): t for c in cells if (t := next(c.iterancestors("table"), None)) is not None}
    parts = [
        element
        for table in layout.values()
        for element in [table, *table.iterdescendants(*_TABLE_PARTS)]
        if id(element if element.tag == "table" else next(element.iterancestors("table"))) in layout
    ]
    for element in parts:  # renamed once all are found: a renamed table owns no cells
        element.tag = "div"
    return copied


def _run_trafilatura(root: HtmlElement, url: str, *, fast: bool) -> str:
    options = copy.copy(_trafilatura_options(fast))
    options.url = options.source = url
    result = trafilatura.extract(root, prune_xpath=_CHROME, options=options)
    return result or ""


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
