"""The inverted index through which candidates are found, and the weights its counts give.

:func:`index_keys` gives an article's keys (the SQL table ``story_keys`` stores them);
:func:`key_weights` turns how many articles near a date carry each key into token weights for
:func:`~monitor.core.stories.scoring.score`. The look-up itself is the store's
(``articles.fetch_story_candidates``): there is one candidate search, and it is the one a pass
runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from monitor.core.stories.features import StoryFeatures

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
