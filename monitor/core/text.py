"""Safe human-facing text: scraped strings made fit for a page, a feed, a mail header, a chat line.

Everything a page gave us (titles, snippets, URLs, source names, error messages) is hostile: it may
hold control characters, line breaks that would start a new mail header, markup, ``javascript:``
URLs or a megabyte of text. Every output passes such strings through one of these helpers:

- :func:`xml_text`: drop what XML 1.0 forbids (NUL and other C0 controls, lone surrogates,
  U+FFFE/U+FFFF); what is left may go into an lxml tree or, escaped, into HTML.
- :func:`xml_line`: the same on one line, whitespace runs collapsed, never cut: a title in a
  feed or a page, where the markup holds it and the reader's layout wraps it.
- :func:`one_line`: one line with every control character (CR, LF, NUL, DEL, C1) and line or
  paragraph separator turned into a space, capped with an ellipsis: a mail header, a chat message,
  an error detail, where one stray CR or LF starts a new header or line.
- :func:`html_text`: XML-forbidden characters dropped, then HTML-escaped (quotes too, so it is
  safe in an attribute value).
- :func:`http_url`: the URL only if it is http(s), else ``None``: nothing else becomes a link.
- :func:`country_label`: ``Kazakhstan (KZ)`` for a code.
- :func:`article_meta` and :func:`evidence_label`: the lines an analyst reads under an article
  (its source, language and date as people write it; which rule a snippet is shown for), the
  same in a mail, a feed entry and the report (``monitor.core.reading`` groups the evidence).

All of them are pure: plain data in, plain data out, no I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from babel import Locale

#: A mail subject's length: long enough for a title, short enough for a list of mails.
SUBJECT_LIMIT = 150
#: Snippets per article: the evidence explains the flag, it does not replace the page.
EVIDENCE_LIMIT = 8

_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Control characters and the line and paragraph separators (U+2028, U+2029).
_UNSAFE_CATEGORIES = {"Cc", "Zl", "Zp"}
_HTTP = re.compile(r"^https?://", re.I)


def xml_text(value: Any) -> str:
    """A scraped value as text XML 1.0 (and HTML) can hold: forbidden characters dropped."""
    return _ILLEGAL_XML.sub("", "" if value is None else str(value))


def xml_line(value: Any) -> str:
    """A scraped title as one line of text XML can hold, uncapped: for a feed or a page."""
    return " ".join(xml_text(value).split())


def one_line(value: str | None, limit: int = SUBJECT_LIMIT) -> str:
    """A scraped string made safe for a header: no control characters, one line, capped."""
    text = "".join(" " if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in value or "")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = cut_at_word(text, limit - 1) + "…"
    return text


def cut_at_word(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, ending after a whole word when one ends in
    the last fifth (a single long word is cut where it must be)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if not text[limit].isspace():
        space = head.rfind(" ")
        if space >= limit * 4 // 5:
            head = head[:space]
    return head.rstrip(" ,;:-–—")


def html_text(value: Any) -> str:
    """A scraped value as HTML text or attribute value: forbidden characters dropped, escaped."""
    return html.escape(xml_text(value), quote=True)


def http_url(url: Any) -> str | None:
    """The URL if it is http(s): a scraped ``javascript:`` URL must never become a link."""
    text = xml_text(url).strip()
    return text if _HTTP.match(text) else None


@functools.cache
def _territories() -> dict[str, str]:
    return dict(Locale("en").territories)


@functools.cache
def _month(month: int) -> str:
    """The English month name, from CLDR as the country names are."""
    return str(Locale("en").months["format"]["wide"][month])


def country_label(code: str) -> str:
    """``Kazakhstan (KZ)``: the analyst reads names, tools read codes."""
    name = _territories().get(code)
    return f"{name} ({code})" if name else code


def article_meta(article: Mapping[str, Any]) -> str:
    """``kisi-en · en · 27 November 2026``: an article's source, language and date, those it
    has."""
    parts = [article.get("source"), article.get("language"), human_date(article.get("published"))]
    return " · ".join(str(p) for p in parts if p)


def human_date(value: Any) -> str:
    """``3 December 2026`` or ``3 December 2026, 15:00 UTC+05:00`` from an ISO date or time.

    What the page said, as people write it: its offset is kept (the page gave no zone name),
    and a value that is not ISO comes back as it is.
    """
    if not value:
        return ""
    text = str(value)
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return f"{day.day} {_month(day.month)} {day.year}"
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    out = f"{when.day} {_month(when.month)} {when.year}, {when:%H:%M}"
    offset = when.utcoffset()
    if offset is None:
        return out
    if not offset:
        return out + " UTC"
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"{out} UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def evidence_label(evidence: Mapping[str, Any]) -> str:
    """``agreement`` or ``country MY``: which rule an evidence snippet is shown for."""
    return str(evidence["kind"]) + (f" {evidence['country']}" if evidence.get("country") else "")


def story_lead(
    articles: Sequence[Mapping[str, Any]], languages: Sequence[str] = ()
) -> Mapping[str, Any] | None:
    """The article a story is named after: its first flagged one (the first when none is),
    in the first of the preferred ``languages`` the story has a titled article in.

    Articles come oldest first. A story of en, ru and kk reports reads best to its reader in
    the language they chose (``languages:`` in sources.yaml), whichever site reported first.
    """
    titled = [a for a in articles if a.get("title")]
    ranked = [a for a in titled if a.get("flagged")] + [a for a in titled if not a.get("flagged")]
    for language in languages:
        for article in ranked:
            if article.get("language") == language:
                return article
    return ranked[0] if ranked else (articles[0] if articles else None)


def story_title(articles: Sequence[Mapping[str, Any]], languages: Sequence[str] = ()) -> str:
    """What a story is called: its lead article's title (:func:`story_lead`), else its URL."""
    lead = story_lead(articles, languages)
    if lead is None:
        return ""
    return str(lead.get("title") or lead.get("url") or "")


def cut_short(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` cut off, with or without an ellipsis: Yoast, og:title and
    listings shorten long titles ("Подписан меморандум о…"); the whole one is the title."""
    stem = short.rstrip(".… ").casefold()
    return len(full) > len(stem) >= 20 and full.casefold().startswith(stem)
