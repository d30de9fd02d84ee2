"""Where a newly read article belongs: an article we already have, a story we know, or neither.

The pure checks live in ``dedup`` (fingerprints) and ``stories`` (grouping); this module asks
the store for the few candidates they need (index look-ups, never a scan) and decides.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.core import dedup, stories
from monitor.core.models import Article

if TYPE_CHECKING:  # the workers fingerprint without the store
    from monitor.shell.store import Store


@dataclass(frozen=True)
class Fingerprint:
    """What identity checks need of one article, computed in the worker with the extraction."""

    canonical: str
    content_hash: str
    simhash: int
    bands: tuple[int, ...]
    features: stories.StoryFeatures
    keys: tuple[str, ...]


def fingerprint(article: Article, canonical: str, source: str, found: dt.date) -> Fingerprint:
    """Hashes and story features of an article (pure, CPU only)."""
    h = dedup.simhash(article.text)
    published = article.published
    day = published.date() if isinstance(published, dt.datetime) else published
    alternates = []
    for url in article.alternates.values():
        try:
            alternates.append(dedup.canonical_url(url))
        except ValueError:
            continue
    doc = stories.StoryDoc(
        id=0,
        url=canonical,
        source=source,
        language=article.language,
        title=article.title or "",
        text=article.text,
        # an undated article is about the day we found it: that keeps its index window small
        published=day or found,
        alternates=tuple(alternates),
    )
    features = stories.features(doc)
    return Fingerprint(
        canonical=canonical,
        content_hash=dedup.content_hash(article.text),
        simhash=h,
        bands=tuple(dedup.simhash_bands(h)),
        features=features,
        keys=tuple(sorted(stories.index_keys(features))),
    )


@dataclass(frozen=True)
class Placement:
    """The verdict: alias of ``article_id``, or a new article in ``story`` (None: a new story)."""

    article_id: int | None = None
    story: str | None = None
    reason: str = ""


def place(store: Store, fp: Fingerprint, text: str) -> Placement:
    """Same article (exact or near copy on the same site), same story, or new."""
    if text.strip():
        same = store.article_by_hash(fp.content_hash)
        if same is not None:
            return Placement(article_id=same, reason="identical text")
    site = dedup.site_key(fp.canonical)
    story_of_copy = None
    for article_id, other_hash, url, story in store.near_duplicates(fp.bands):
        if not dedup.near_duplicate(fp.simhash, other_hash):
            continue
        if not dedup.numbers_agree(text, store.article_body(article_id)):
            continue  # same template, other figures: another article
        if dedup.site_key(url) == site:
            return Placement(article_id=article_id, reason="near-identical text on the same site")
        story_of_copy = story_of_copy or story  # a repost elsewhere: the same story
    if story_of_copy:
        return Placement(story=story_of_copy, reason="near-identical text on another site")
    day = fp.features.day or 0
    found, counts = store.story_candidates(
        fp.keys, day, stories.WINDOW_DAYS, stories.MAX_CANDIDATES
    )
    weights = {
        token: 1.0 / math.sqrt(1.0 + counts[token])
        for token in fp.features.evidence & set(fp.keys)
        if counts.get(token)
    }
    language = fp.features.language
    candidates = []
    for story, data in found:  # a candidate's words are read back only where they can count
        text = stories.same_language(language, data.get("language"))
        candidates.append((story, stories.StoryFeatures.from_dict(data, text=text)))
    story = stories.assign(fp.features, candidates, weights=weights)
    return Placement(story=story, reason="same story" if story else "new story")


def index_fields(fp: Fingerprint) -> dict[str, Any]:
    """The NewArticle fields that index this article for later look-ups."""
    return {
        "content_hash": fp.content_hash,
        "simhash": dedup.to_sqlite_int(fp.simhash),
        "simhash_bands": fp.bands,
        "story_features": fp.features.to_dict(),
        "story_keys": fp.keys,
        "story_day": fp.features.day,
    }
