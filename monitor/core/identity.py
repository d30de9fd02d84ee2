"""Where a newly read article belongs: an article we already have, a story we know, or neither.

Pure: the pass reads what the store knows (:class:`Seen`, index look-ups, never a scan) and
this module decides; the checks themselves live in ``dedup`` (fingerprints) and ``stories``
(grouping).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.core import dedup, stories
from monitor.core.models import Article


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


@dataclass(frozen=True)
class NearCopy:
    """A stored article that shares a SimHash band with the new one, with its text."""

    id: int
    simhash: int
    url: str
    story: str
    text: str


@dataclass(frozen=True)
class Seen:
    """What the store knows that bears on a new article's identity (one read, plain data)."""

    #: The article's URLs already stored, with the article each belongs to.
    known: Mapping[str, int] = field(default_factory=dict)
    #: The first article with exactly this text.
    identical: int | None = None
    near: Sequence[NearCopy] = ()
    #: (story, features as stored) of articles sharing an index key within the window, and of
    #: the other members of their stories in the window: a story is matched as a whole.
    candidates: Sequence[tuple[str, dict[str, Any]]] = ()
    #: How many indexed articles in the window carry each key.
    key_counts: Mapping[str, int] = field(default_factory=dict)


def place(fp: Fingerprint, text: str, seen: Seen) -> Placement:
    """Known URL, same article (exact or near copy on the same site), same story, or new."""
    if seen.known:
        return Placement(article_id=min(seen.known.values()), reason="known URL")
    if text.strip() and seen.identical is not None:
        return Placement(article_id=seen.identical, reason="identical text")
    site = dedup.site_key(fp.canonical)
    story_of_copy = None
    for copy in seen.near:
        if not dedup.near_duplicate(fp.simhash, copy.simhash):
            continue
        if not dedup.numbers_agree(text, copy.text):
            continue  # same template, other figures: another article
        if dedup.site_key(copy.url) == site:
            return Placement(article_id=copy.id, reason="near-identical text on the same site")
        story_of_copy = story_of_copy or copy.story  # a repost elsewhere: the same story
    if story_of_copy:
        return Placement(story=story_of_copy, reason="near-identical text on another site")
    story = choose_story(fp.features, seen)
    return Placement(story=story, reason="same story" if story else "new story")


def choose_story(
    features: stories.StoryFeatures, seen: Seen, threshold: float = stories.THRESHOLD
) -> str | None:
    """The story the article matches as a whole among those the store found, or None.

    ``seen.candidates`` holds every member within the window of each candidate story.

    Keys that many articles around this date carry, outside the story compared with, weigh
    less (``stories.key_weights``).
    """
    candidates = []
    for other, data in seen.candidates:  # a candidate's words are read back only where they count
        words = stories.same_language(features.language, data.get("language"))
        candidates.append((other, stories.StoryFeatures.from_dict(data, text=words)))
    return stories.assign(features, candidates, threshold, seen.key_counts)


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
