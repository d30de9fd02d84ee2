"""Page to Article: title, publication date, body text, language and language versions.

Each field is taken from the most trustworthy evidence present, in a fixed order (configured CSS
selectors, JSON-LD, OpenGraph and other meta tags, markup, text, URL), and ``Article.methods``
records which one won so that ``sources test`` can show it. The page is parsed once, with lxml
directly (BeautifulSoup's tree would cost more than everything else together); trafilatura and
htmldate work on copies of that tree, and BeautifulSoup is built only for sources that configure
CSS selectors (soupsieve). Malformed or empty input gives an Article with empty text, never an
exception.

The package: ``page`` chooses each field from the evidence, ``markup`` reads that evidence out
of the tree (meta tags, JSON-LD, links, language menus), ``body`` turns the tree into body text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from monitor.core import htmldoc
from monitor.core.extract.body import clean_body
from monitor.core.extract.page import _Page
from monitor.core.language import language_from_url, normalize_language
from monitor.core.models import Article

__all__ = ["clean_body", "extract_article"]

log = logging.getLogger(__name__)


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

    text, methods["text"] = page.text()
    title, methods["title"] = page.title(text)  # the body locates the headline above it
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
        shape=page.shape(text),
    )


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
