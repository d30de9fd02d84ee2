"""Scoring: how likely two articles report one story, and which story a new article joins.

Links and URL ids decide outright; otherwise weighted evidence overlap (across languages) or
word overlap (within one), faded by the distance between the dates.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from monitor.core.stories.features import StoryFeatures

S = TypeVar("S", bound=Hashable)

#: Articles further apart than this are never one story (also the index's date window).
WINDOW_DAYS = 14
#: Default score above which an article joins a story.
THRESHOLD = 0.38

# Evidence token kinds and how much a shared token of each kind says about sameness.
_WEIGHTS = {"n": 3.0, "o": 3.0, "#": 2.0, "d": 2.0, "y": 0.5, "c": 1.0, "k": 0.6}


def linked(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Whether one page names the other as a language version (or both name a third)."""
    return a.url in b.alternates or b.url in a.alternates or bool(a.alternates & b.alternates)


def date_factor(a: StoryFeatures, b: StoryFeatures) -> float:
    """1 within two days, fading to 0 at WINDOW_DAYS; unknown dates count as a mild doubt."""
    da, db = a.day, b.day
    if da is None or db is None:
        return 0.85
    gap = abs(da - db)
    if gap <= 2:
        return 1.0
    if gap > WINDOW_DAYS:
        return 0.0
    return 1.0 - 0.6 * (gap - 2) / (WINDOW_DAYS - 2)


def evidence_similarity(
    a: frozenset[str],
    b: frozenset[str],
    weights: Mapping[str, float] | None = None,
    *,
    a_total: float | None = None,
) -> float:
    """Weighted Dice over evidence tokens: shared names count much, shared countries little.

    ``weights`` scales tokens that are common around this date (see :func:`key_weights`):
    that every KazISS item names KazISS and its director says little about which item it is.
    ``a_total`` is :func:`_weight` of ``a``, when the caller compares ``a`` with many others.
    """
    if not a or not b:
        return 0.0
    w = weights or {}
    shared = sum(_WEIGHTS[t[0]] * w.get(t, 1.0) for t in a & b)
    total = (_weight(a, w) if a_total is None else a_total) + _weight(b, w)
    return 2 * shared / total


def _weight(tokens: frozenset[str], weights: Mapping[str, float]) -> float:
    return sum(_WEIGHTS[t[0]] * weights.get(t, 1.0) for t in tokens)


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two articles' words can be compared: both in one known language."""
    return a is not None and a == b


def text_similarity(a: StoryFeatures, b: StoryFeatures) -> float:
    """Title and body overlap, meaningful only within one language."""
    if not same_language(a.language, b.language):
        return 0.0
    return 0.5 * _jaccard(a.title, b.title) + 0.5 * _jaccard(a.words, b.words)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def score(
    a: StoryFeatures,
    b: StoryFeatures,
    weights: Mapping[str, float] | None = None,
    *,
    a_total: float | None = None,
) -> float:
    """0..1 likelihood that two articles report the same story.

    ``a_total``: as in :func:`evidence_similarity`, for :func:`assign`'s many candidates.
    """
    if a.url == b.url or linked(a, b):
        return 1.0
    factor = date_factor(a, b)
    if factor == 0.0:
        return 0.0
    if a.url_ids & b.url_ids:
        return 0.95 * factor
    evidence = evidence_similarity(a.evidence, b.evidence, weights, a_total=a_total)
    content = max(evidence, text_similarity(a, b))
    if a.source == b.source and a.language == b.language:
        content *= 0.8  # one site rarely publishes one story twice in one language
    return content * factor


def assign(
    doc_features: StoryFeatures,
    candidates: Iterable[tuple[S, StoryFeatures]],
    threshold: float = THRESHOLD,
    weights: Mapping[str, float] | None = None,
) -> S | None:
    """The story of the best-matching candidate at or above threshold, or None for a new one."""
    best: S | None = None
    best_score = threshold
    own = _weight(doc_features.evidence, weights or {})  # the same for every candidate
    for story, other in candidates:
        s = score(doc_features, other, weights, a_total=own)
        if s >= best_score:
            best, best_score = story, s
    return best
