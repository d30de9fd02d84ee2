"""The inverted index through which candidates are found, and the weights its counts give.

:func:`index_keys` gives an article's keys (the SQL table ``story_keys`` stores them);
:func:`key_weights` turns how many articles near a date carry each key into token weights for
:func:`~monitor.core.stories.scoring.score`. The look-up itself is the store's
(``articles.fetch_story_candidates``): there is one candidate search, and it is the one a pass
runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

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
    counts: Mapping[str, int], in_story: Mapping[str, int] | None = None
) -> dict[str, float]:
    """Evidence token -> weight for :func:`score`: 1 / (1 + √carriers outside the story).

    ``counts``: how many indexed articles within the date window carry each of the new
    article's keys (as the ``story_keys`` table answers); ``in_story``: how many of those are
    members of the story it is compared with. A name that the story's own five reports carry
    and nobody else does is the story's signature (weight 1); one that twenty unrelated articles
    of the fortnight also carry (a city, an institute's director) says little. The root keeps
    a token that a few others carry worth something: the figures and names one event shares
    with two or three items of its week are still most of what its translation and its
    reposts share (at 1 / (1 + n), a count of 9 left a tenth, and reports of one event in two
    languages fell apart). Tokens that are no index key are not counted and keep weight 1.
    """
    inside = in_story or {}
    weights = {}
    for token, count in counts.items():
        outside = max(0, count - inside.get(token, 0))
        if outside:
            weights[token] = 1.0 / (1.0 + math.sqrt(outside))
    return weights
