"""Stored articles for tests of the read side (export, feed, report): one way to make them."""

from __future__ import annotations

import datetime as dt

from monitor.core.models import Article, Evidence, Flags
from monitor.shell.store import Database, articles
from monitor.shell.store.articles import NewArticle

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def save(
    store: Database,
    url: str,
    title: str | None,
    published: dt.date | None = dt.date(2026, 11, 27),
    evidence: tuple[Evidence, ...] = (),
    *,
    seen: dt.datetime = NOW,
    story: str | None = None,
    language: str | None = "en",
    source: str = "kisi-en",
    aliases: tuple[str, ...] = (),
) -> None:
    """Store an article whose flags follow from its evidence (flagged when there is any)."""
    agreement = any(e.kind == "agreement" for e in evidence)
    countries = tuple(sorted({e.country for e in evidence if e.kind == "country" and e.country}))
    weak = tuple(sorted({e.country for e in evidence if e.kind == "demonym" and e.country}))
    articles.save_article(
        store,
        NewArticle(
            url=url,
            source=source,
            article=Article(url, title, published, "Body of " + url, language),
            flags=Flags(agreement, countries, weak, bool(evidence), evidence),
            content_hash="h-" + url,
            simhash=1,
            baseline=False,
            aliases=aliases,
            story=story,
        ),
        seen,
    )
