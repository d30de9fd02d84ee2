"""Stored articles for tests: for the read side (export, feed, report), and stories placed
as a pass places them."""

from __future__ import annotations

import datetime as dt

from monitor.core import identity
from monitor.core.dedup import canonical_url
from monitor.core.models import Article, Evidence, Flags
from monitor.core.stories import StoryDoc
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


NO_FLAGS = Flags(False, (), (), False, ())


def place_story(store: Database, doc: StoryDoc) -> str:
    """Place a story document as a pass does (read candidates, choose, store); its story."""
    return articles.save_article(store, story_article(store, doc), NOW)[1]


def story_article(
    store: Database,
    doc: StoryDoc,
    *,
    flags: Flags = NO_FLAGS,
    baseline: bool = False,
    alone: bool = False,
) -> NewArticle:
    """A story document as a pass would store it: its story chosen among the store's
    candidates (or none, ``alone``: a story of its own)."""
    article = Article(
        doc.url,
        doc.title,
        doc.published,
        doc.text,
        doc.language,
        alternates={str(n): url for n, url in enumerate(doc.alternates)},
    )
    fp = identity.fingerprint(article, canonical_url(doc.url), doc.source, NOW.date())
    story = (
        None if alone else identity.choose_story(fp.features, articles.fetch_seen(store, (), fp))
    )
    return NewArticle(
        url=fp.canonical,
        source=doc.source,
        article=article,
        flags=flags,
        baseline=baseline,
        story=story,
        **identity.index_fields(fp),
    )


#: The day of the story documents below.
STORY_DAY = dt.date(2026, 11, 20)


def story_doc(i: int, source: str, title: str, text: str, language: str = "en") -> StoryDoc:
    """Article ``i`` of ``source`` (a host) as story grouping reads it, dated STORY_DAY."""
    return StoryDoc(i, f"https://{source}/news/{i}", source, language, title, text, STORY_DAY)
