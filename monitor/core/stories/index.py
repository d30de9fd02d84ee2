"""The inverted index through which candidates are found, and the weights its counts give.

:func:`index_keys` gives an article's keys (the SQL table ``story_keys`` stores them);
:func:`key_weights` turns how many articles near a date carry each key into token weights for
:func:`~monitor.core.stories.scoring.score`; :class:`MemoryIndex` is the in-memory model of the
table, for tests and benchmarks.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Generic

from monitor.core.stories.features import StoryFeatures
from monitor.core.stories.scoring import WINDOW_DAYS, S

MAX_KEYS = 30
MAX_CANDIDATES = 200

# --- Index keys --------------------------------------------------------------------------------


def index_keys(f: StoryFeatures) -> set[str]:
    """At most MAX_KEYS inverted-index keys; any same-story article shares one of them.

    Links and URL ids first (unique), then names, organisations, numbers and dates: each is
    rare in a two-week window and at least one of them survives translation. Countries and
    concepts are left out: every article of an institute shares them.
    """
    keys = ["u:" + f.url, *("u:" + a for a in sorted(f.alternates))]
    keys += ["i:" + i for i in sorted(f.url_ids)]
    ranked = sorted(
        (e for e in f.evidence if e[0] in "no#d"),
        key=lambda e: ({"n": 0, "#": 1, "o": 2, "d": 3}[e[0]], -len(e), e),
    )
    keys += ranked
    if f.language:
        title = sorted(f.title, key=lambda t: (-len(t), t))[:4]
        keys += [f"t:{f.language}:{t}" for t in title]
    return set(keys[:MAX_KEYS])


def key_weights(
    evidence: AbstractSet[str], keys: Iterable[str], counts: Mapping[str, int]
) -> dict[str, float]:
    """Evidence token -> weight for :func:`score`: 1/sqrt(1 + count), lower the commoner.

    Only tokens that are also index keys are weighted, and only those that ``counts`` (articles
    carrying the key within the date window, as the index or the ``story_keys`` table answers)
    finds at least once; any other token keeps weight 1.
    """
    return {
        token: 1.0 / math.sqrt(1.0 + counts[token])
        for token in evidence & set(keys)
        if counts.get(token)
    }


# --- In-memory index ---------------------------------------------------------------------------


class MemoryIndex(Generic[S]):
    """An inverted index key -> articles, the model of the SQL table ``story_keys``.

    Candidate retrieval = share a key and be published within ``window_days`` (or have no date),
    most selective keys first, at most ``limit`` articles.
    """

    def __init__(self, window_days: int = WINDOW_DAYS) -> None:
        self.window_days = window_days
        self._dated: dict[str, list[tuple[int, int]]] = {}
        self._undated: dict[str, list[int]] = {}
        self._articles: dict[int, tuple[S, StoryFeatures]] = {}

    def __len__(self) -> int:
        return len(self._articles)

    def add(self, article_id: int, story_id: S, features: StoryFeatures) -> None:
        """Index one stored article under its keys."""
        if article_id in self._articles:
            raise ValueError(f"MemoryIndex.add: article {article_id} is already indexed")
        self._articles[article_id] = (story_id, features)
        day = features.day
        for key in index_keys(features):
            if day is None:
                self._undated.setdefault(key, []).append(article_id)
            else:
                bisect.insort(self._dated.setdefault(key, []), (day, article_id))

    def candidates(
        self, features: StoryFeatures, limit: int = MAX_CANDIDATES
    ) -> list[tuple[S, StoryFeatures]]:
        """Articles sharing a key within the date window, rarest keys first, at most limit."""
        keys = sorted(
            index_keys(features),
            key=lambda k: len(self._dated.get(k, ())) + len(self._undated.get(k, ())),
        )
        day = features.day
        seen: dict[int, None] = {}
        for key in keys:
            for article_id in self._window(key, day):
                seen.setdefault(article_id)
                if len(seen) >= limit:
                    return [self._articles[i] for i in seen]
        return [self._articles[i] for i in seen]

    def weights(self, features: StoryFeatures) -> dict[str, float]:
        """Evidence token -> weight, lower the more indexed articles near this date carry it."""
        keys = index_keys(features)
        counts = {
            token: len(self._window(token, features.day)) for token in features.evidence & keys
        }
        return key_weights(features.evidence, keys, counts)

    def _window(self, key: str, day: int | None) -> list[int]:
        """Ids under a key published within the window of day (all of them if day is None)."""
        postings = self._dated.get(key, [])
        if day is None:
            dated = [i for _, i in postings]
        else:
            lo = bisect.bisect_left(postings, (day - self.window_days, -1))
            hi = bisect.bisect_right(postings, (day + self.window_days, 1 << 62))
            dated = [i for _, i in postings[lo:hi]]
        return dated + self._undated.get(key, [])
