"""Scoring: how likely two articles report one story, and which story a new article joins.

Links and URL ids decide outright; otherwise weighted evidence overlap (across languages) or
word overlap (within one), faded by the distance between the dates.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from monitor.core.dedup import site_key
from monitor.core.stories.features import StoryFeatures
from monitor.core.stories.index import key_weights

S = TypeVar("S", bound=Hashable)

#: Articles further apart than this are never one story (also the index's date window).
WINDOW_DAYS = 14
#: Default score above which an article joins a story.
THRESHOLD = 0.42
#: A member's score that decides the story alone: a language link, a shared URL id.
SURE = 0.9
#: Weighted specifics two articles must share before their words may count (:func:`_anchored`).
ANCHOR = 1.5
#: How much more a score says when both pages are one site's, in two languages, days apart
#: at most: such a site puts out each item in each of its languages (:func:`score`).
SAME_SITE = 2.5
#: More pages than this naming one URL as their language version make it a menu link.
MAX_VERSIONS = 4
#: What is left of a score when both articles quote figures and share none of them (rising
#: linearly to 1 as more of the shorter list is shared), and when both name a subject and
#: share none (:func:`agreement`).
FIGURES_APART = 0.6
SUBJECTS_APART = 0.6

#: Events of many subjects: two reports of one conference may each tell of another of its
#: panels ("energy transition", "connectivity"), and disjoint subjects contradict nothing.
GATHERINGS = frozenset({"k:conference", "k:forum", "k:roundtable", "k:summit"})

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
    # weights holds a few dozen tokens at most, an article's evidence often a hundred
    return _base_weight(tokens) - sum(
        _WEIGHTS[t[0]] * (1.0 - w) for t, w in weights.items() if t in tokens
    )


@functools.lru_cache(maxsize=256)
def _base_weight(tokens: frozenset[str]) -> float:
    """Unweighted total: cached, since an article is weighed against every candidate story."""
    return sum(_WEIGHTS[t[0]] for t in tokens)


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
    if a.language == b.language and a.source == b.source:
        # One source publishes one piece of news once per language: two of its pages in one
        # language are one story only as copies or revisions of each other (dedup's call, made
        # before this) or when the URLs say so (above). Shared words say nothing here: a site's
        # pages share its boilerplate, its people and, when its titles are generic, its titles.
        return 0.0
    evidence = evidence_similarity(a.evidence, b.evidence, weights, a_total=a_total)
    if _anchored(a.evidence & b.evidence, weights or {}):
        evidence = max(evidence, text_similarity(a, b))
    evidence *= factor
    if (
        factor == 1.0  # both dated, two days apart at most
        and a.language != b.language
        and _same_site(a.url, b.url)
        and any(t[0] in "n#" for t in a.evidence & b.evidence)
    ):
        evidence = min(1.0, evidence * SAME_SITE)
    return evidence * agreement(a, b) if evidence else 0.0


def _same_site(a: str, b: str) -> bool:
    try:
        return site_key(a) == site_key(b)
    except ValueError:  # a URL stored as found, when it had no canonical form
        return False


def agreement(a: StoryFeatures, b: StoryFeatures) -> float:
    """1, or less when the two contradict each other on the figures or the subject of the news.

    Every report of one event, reposted or translated, quotes the event's figures (40 experts,
    12 projects) and treats its subject; two events of one week by one lecturer share her name,
    the kind of event and a templated sentence, and differ there. Shared tokens cannot see
    that: a contradiction is what each side has and the other lacks, and only when both have
    some (a short report that quotes no figure contradicts nothing), and subjects only of an
    event of one subject: two reports of one of the :data:`GATHERINGS`, whose figures agree,
    may each tell of another of its panels.
    """
    out = 1.0
    figures_agree = True
    if a.figures and b.figures:
        shared = len(a.figures & b.figures) / min(len(a.figures), len(b.figures))
        out *= FIGURES_APART + (1.0 - FIGURES_APART) * shared
        figures_agree = shared > 0
    one_gathering = figures_agree and bool(a.evidence & b.evidence & GATHERINGS)
    if a.subjects and b.subjects and not a.subjects & b.subjects and not one_gathering:
        out *= SUBJECTS_APART
    return out


def _anchored(shared: frozenset[str], weights: Mapping[str, float]) -> bool:
    """Whether two articles share who or what figures in the news, not only its topic.

    Word overlap within one language measures topic: two institutes' seminars on one theme,
    or one site's template, share most of their words and are different news. Reports of one
    event share its specifics: a name, an organisation, a figure, a date, rare in the window.
    """
    return sum(_WEIGHTS[t[0]] * weights.get(t, 1.0) for t in shared if t[0] in "no#d") >= ANCHOR


def assign(
    doc_features: StoryFeatures,
    candidates: Iterable[tuple[S, StoryFeatures]],
    threshold: float = THRESHOLD,
    counts: Mapping[str, int] | None = None,
) -> S | None:
    """The story the article matches as a whole, at or above threshold; None for a new one.

    ``candidates`` are the members of each candidate story within the date window; ``counts``
    how many articles in the window carry each of the article's index keys
    (:func:`~monitor.core.stories.index.key_weights` turns them into weights, per story).

    A story's score is the mean of its members' scores, unless one member names the article as
    its language version or shares its URL id (:data:`SURE`): an article that resembles one
    member of a story and not the others is not that story's news. Taking the best single
    member instead lets a story grow by chains of weak likenesses (a shared number here, a
    country there) until it swallows unrelated news.
    """
    counted = {t: c for t, c in (counts or {}).items() if t in doc_features.evidence}
    members: dict[S, list[StoryFeatures]] = {}
    for story, other in candidates:
        members.setdefault(story, []).append(other)
    menu = navigation(doc_features, [m for group in members.values() for m in group], counts)
    if menu:
        doc_features = dataclasses.replace(doc_features, alternates=doc_features.alternates - menu)
    best: S | None = None
    best_score = threshold
    for story, group in members.items():
        inside = Counter(t for m in group for t in counted if t in m.evidence)
        weights = key_weights(counted, inside)
        own = _weight(doc_features.evidence, weights)  # the same for every member
        scores = [score(doc_features, m, weights, a_total=own) for m in group]
        top = max(scores)
        s = top if top >= SURE else sum(scores) / len(scores)
        if s >= best_score:
            best, best_score = story, s
    return best


def navigation(
    doc: StoryFeatures, others: Iterable[StoryFeatures], counts: Mapping[str, int] | None = None
) -> frozenset[str]:
    """The article's "language versions" that are menu links, not versions of it.

    A page has one version per language, so a URL that two pages of one language name as their
    version (or more than :data:`MAX_VERSIONS` pages around this date do) is where a language
    menu leads: the other language's home or news page, named by every article of the site.
    Taken for a version, it would make one story of everything the site publishes.
    """
    if not doc.alternates:
        return frozenset()
    seen: set[tuple[str, str | None]] = {(a, doc.language) for a in doc.alternates}
    menu = {a for a in doc.alternates if (counts or {}).get("u:" + a, 0) > MAX_VERSIONS}
    for other in others:
        for a in other.alternates & doc.alternates:
            if (a, other.language) in seen and other.url != doc.url:
                menu.add(a)
            seen.add((a, other.language))
    return frozenset(menu)
