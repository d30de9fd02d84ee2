"""Stories as an Atom 1.0 feed (RFC 4287), for feed readers and anything that polls a URL.

One entry per story, newest story first:

- ``id``: ``tag:monitor,2026:<installation>/story/<story>`` (``s42``): the same on every run, so
  a reader never shows a story twice, and unique to this installation (its id, made with the
  database); a story that gains an article is the same entry with a newer ``updated``.
- ``title``: the title of the story's lead article (its first flagged one, in the preferred
  language when ``languages:`` names one it has; ``story_lead``), on one line; ``updated``:
  when its latest article was found; ``published``: when its first one was.
- ``link``: ``rel="alternate"`` to the lead article, ``rel="related"`` to every other one.
- ``category``: ``agreement`` (scheme ``tag:monitor,2026:flags``) and each country named
  outright (ISO code as the term, scheme ``tag:monitor,2026:countries``).
- ``content`` of type ``html``: the flags, the articles (source, language, date, link) and their
  evidence snippets with the matched words in ``<strong>`` (readers' sanitizers, feedparser's
  among them, drop ``<mark>``).

The XML is built as a tree (:mod:`lxml.etree`), never by pasting strings, so every
scraped string is escaped by construction; characters XML 1.0 forbids (control characters a
broken page may hold) are removed from scraped text first, and only http(s) URLs become links
(both by :mod:`monitor.core.text`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from lxml import etree

from monitor.core.reading import EvidenceLine, evidence_lines, pieces
from monitor.core.text import (
    article_meta,
    country_label,
    http_url,
    story_lead,
    story_title,
    xml_line,
    xml_text,
)
from monitor.shell.store import Database, queries
from monitor.shell.store.db import installation_id

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:monitor,2026:"

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def story_entry_id(story: str, installation: str) -> str:
    """The entry id of a story: the same on every run and in every feed of one installation.

    RFC 4287 wants ids universally unique: story ``s42`` of another database is other news, so
    the installation's id is part of it."""
    return f"{TAG}{installation}/story/{story}"


def atom_time(value: str | dt.datetime) -> str:
    """An RFC 3339 timestamp; a stored time without an offset is UTC."""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.isoformat(timespec="seconds")


def atom_feed(
    store: Database,
    *,
    now: dt.datetime,
    flagged: bool = False,
    limit: int = 50,
    title: str | None = None,
    feed_id: str | None = None,
    self_url: str | None = None,
    languages: Sequence[str] = (),
) -> bytes:
    """The latest ``limit`` stories (only flagged ones if asked) as an Atom document in UTF-8.

    ``languages``: the preference a story's title is chosen by (``story_title``)."""
    stories = [
        s for s in queries.fetch_stories(store, flagged=flagged, limit=limit) if s["articles"]
    ]
    installation = installation_id(store)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    kind = "flagged" if flagged else "stories"
    _sub(feed, "id", feed_id or f"{TAG}{installation}/feed/{kind}")
    _sub(feed, "title", title or ("monitor: flagged stories" if flagged else "monitor: stories"))
    updated = max((_latest_seen(s["articles"]) for s in stories), default=None, key=_instant)
    _sub(feed, "updated", atom_time(updated or now))
    if self_url:
        _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(_sub(feed, "author"), "name", "monitor")
    _sub(feed, "generator", "monitor")
    for story in stories:
        feed.append(_entry(story["story"], story["articles"], languages, installation))
    etree.indent(feed)
    return bytes(etree.tostring(feed, encoding="utf-8", xml_declaration=True))


def _sub(
    parent: etree._Element, name: str, text: str | None = None, **attrs: str
) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
    if text is not None:
        el.text = xml_text(text)
    return el


def _latest_seen(articles: Sequence[dict[str, Any]]) -> str:
    seen: list[str] = [a["first_seen"] for a in articles]
    return max(seen, key=_instant)


def _instant(value: str) -> dt.datetime:
    """Stored times compared as instants, whatever their offsets."""
    when = dt.datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _entry(
    story: str, articles: Sequence[dict[str, Any]], languages: Sequence[str], installation: str
) -> etree._Element:
    entry = etree.Element(f"{{{ATOM}}}entry")
    lead = story_lead(articles, languages)
    _sub(entry, "id", story_entry_id(story, installation))
    _sub(entry, "title", xml_line(story_title(articles, languages)), type="text")
    _sub(entry, "published", atom_time(min((a["first_seen"] for a in articles), key=_instant)))
    _sub(entry, "updated", atom_time(_latest_seen(articles)))
    for article in articles:
        href = http_url(article["url"])
        if href is None:
            continue
        rel = "alternate" if article is lead else "related"
        attrs = {"rel": rel, "href": href, "type": "text/html"}
        if article.get("title"):
            attrs["title"] = xml_line(article["title"])
        if _LANGUAGE_TAG.match(article.get("language") or ""):
            attrs["hreflang"] = article["language"]
        _sub(entry, "link", **attrs)
    for term, scheme, label in _categories(articles):
        _sub(entry, "category", term=term, scheme=scheme, label=label)
    content = _sub(entry, "content", type="html")
    content.text = etree.tostring(story_html(articles), encoding="unicode", method="html")
    return entry


def _categories(articles: Sequence[dict[str, Any]]) -> list[tuple[str, str, str]]:
    out = []
    if any(a.get("agreement") for a in articles):
        out.append(("agreement", f"{TAG}flags", "Agreement"))
    for code in sorted({c for a in articles for c in a.get("countries") or []}):
        out.append((xml_text(code), f"{TAG}countries", xml_text(country_label(code))))
    return out


def story_html(articles: Sequence[dict[str, Any]]) -> etree._Element:
    """The entry's HTML as a tree: flags, then each article with its evidence highlighted."""
    root = etree.Element("div")
    flags = [label for term, _, label in _categories(articles)]
    if flags:
        etree.SubElement(root, "p").text = "Flagged: " + " · ".join(flags)
    items = etree.SubElement(root, "ul")
    for article in articles:
        item = etree.SubElement(items, "li")
        label = xml_line(article.get("title") or article["url"])
        href = http_url(article["url"])
        if href:
            etree.SubElement(item, "a", href=href).text = label
        else:
            etree.SubElement(item, "span").text = label
        etree.SubElement(item, "br").tail = xml_text(article_meta(article))
        lines = evidence_lines(article.get("evidence") or [])
        if lines:
            snippets = etree.SubElement(item, "ul")
            for line in lines:
                li = etree.SubElement(snippets, "li")
                em = etree.SubElement(li, "em")
                em.text, em.tail = ", ".join(line.labels), ": "
                append_marked(li, line)
    return root


def append_marked(parent: etree._Element, line: EvidenceLine) -> None:
    """Append the sentence to ``parent`` with each matched word in a ``<strong>``."""
    for piece, hit in pieces(line):
        if hit:
            etree.SubElement(parent, "strong").text = piece
        else:
            _append_text(parent, piece)


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
