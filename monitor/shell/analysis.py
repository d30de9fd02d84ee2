"""One fetched page to what the store needs: the article, its flags and its fingerprint.

This is the CPU-bound step of a pass, and it runs in the analysis workers
(``monitor.shell.workers``), so it lives apart from the polling code: a worker imports this
module and the extraction stack, never the HTTP client, the store or the scheduler, and the
polling process imports it without the extraction stack (loaded inside ``analyse``), so each
process holds only what it runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from monitor.config import SourceConfig
from monitor.core import dedup, discover, inflate
from monitor.core.flags import Flagger
from monitor.core.identity import Fingerprint, fingerprint
from monitor.core.models import Article, Flags, Link
from monitor.core.text import cut_short
from monitor.shell import workers


@dataclass(frozen=True)
class Analysed:
    """One analysed page: what the pass decides on and stores."""

    article: Article
    flags: Flags
    fingerprint: Fingerprint
    #: Every URL this page answers to (asked, final, rel=canonical), canonicalised.
    urls: frozenset[str]
    #: The article's URL as the site writes it (:func:`~monitor.core.dedup.key_and_shown`).
    shown_url: str = ""


def analyse(
    body: bytes,
    url: str,
    *,
    charset: str | None,
    source: SourceConfig,
    flagger: Flagger | None,
    now: dt.datetime,
    link: Link | None = None,
    coding: str = "",
    max_bytes: int = inflate.DEFAULT_CAP,
) -> Analysed:
    """The CPU-bound part of one article (inflate, extract, flag, fingerprint), run in a worker.

    ``flagger`` None means the worker process's own (see :mod:`monitor.shell.workers`). ``coding``
    is a Content-Encoding the fetcher left on ``body``, undone here within ``max_bytes``.
    """
    from monitor.core.extract import extract_article  # only workers need the extraction stack

    if coding:
        body = inflate.inflate(url, body, coding, max_bytes)
    flagger = flagger or workers.worker_flagger()
    tz = ZoneInfo(source.timezone) if source.timezone else dt.UTC
    article = extract_article(
        body,
        url,
        charset=charset,
        selectors=source.selectors or None,
        language_hint=source.language,
        tz=tz,
        now=now,
    )
    if link is not None:
        article = _fill_from_link(article, link)
    flags = flagger.flag(article.title or "", article.text, article.language)
    canonical, shown = dedup.key_and_shown(url)
    urls = {canonical}
    declared = article.canonical_url
    if declared and discover.allowed_url(declared, source.url, source.allow_hosts):
        with contextlib.suppress(ValueError):
            canonical, shown = dedup.key_and_shown(declared)
        urls.add(canonical)
    fp = fingerprint(article, canonical, source.name, now.date())
    return Analysed(article, flags, fp, frozenset(urls), shown)


def _fill_from_link(article: Article, link: Link) -> Article:
    """What the feed or listing said fills what the page itself did not, and stands for a
    title the page only gave in its <title>: that is often the site's or the section's name
    ("SITE - News" on every page), while the listing's link text is the site's own headline
    of the item."""
    changes: dict[str, object] = {}
    methods = dict(article.methods)
    weak_title = article.methods.get("title") == "title-tag" and not (
        link.title and cut_short(link.title, article.title or "")
    )
    if link.title and (not article.title or weak_title):
        changes["title"] = link.title
        methods["title"] = "listing"
    if article.published is None and link.published is not None:
        changes["published"] = link.published
        methods["published"] = "listing"
    if not article.language and link.language:
        changes["language"] = link.language
        methods["language"] = "listing"
    if not changes:
        return article
    return replace(article, methods=methods, **changes)  # type: ignore[arg-type]
