"""Is a source healthy? Failing, empty (a changed layout) or silent, and how long to back off.

Scrapers rarely fail loudly: the commonest failure is a redesign after which the listing still
answers 200 but yields no article links. So a source is judged on three conditions, and the
operator hears once when each starts (an *episode*) and once when it ends, never once per pass
(the notices themselves are ``monitor.core.policy``'s). Pure: figures in, verdicts out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

EVENTS = ("failing", "empty", "silent")


@dataclass(frozen=True)
class HealthPolicy:
    """When a condition counts as a problem; defaults suit institutes posting weekly or more."""

    failing_after: int = 6
    empty_after: int = 3
    silent_factor: float = 5.0
    min_silent: dt.timedelta = dt.timedelta(days=3)


def backoff(interval: float, failures: int, retry_after: float | None, cap: float) -> float:
    """Seconds until the next try of a failing source: doubling per failure, up to ``cap``.

    A server's ``Retry-After`` is a floor, never shortened (and may exceed the cap, up to a day).
    """
    wait = interval if failures <= 0 else min(interval * 2 ** (failures - 1), max(cap, interval))
    if retry_after:
        wait = max(wait, min(retry_after, 86400.0))
    return wait


def typical_gap(seen: Sequence[dt.datetime]) -> dt.timedelta | None:
    """The median time between new articles, from the newest first; None with too few."""
    if len(seen) < 5:
        return None
    ordered = sorted(seen)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(ordered)]
    return dt.timedelta(seconds=statistics.median(gaps))


def conditions(stats: dict[str, Any], policy: HealthPolicy, now: dt.datetime) -> dict[str, str]:
    """Each problem that holds now, with a one-line explanation for the operator."""
    out: dict[str, str] = {}
    failures = stats["consecutive_failures"]
    if failures >= policy.failing_after:
        out["failing"] = f"failed {failures} passes in a row: {stats['last_error']}"
    links = stats["recent_links"][: policy.empty_after]
    if len(links) == policy.empty_after and not any(links):
        # A source that never yielded a link is no quieter than one that stopped: either way
        # the analyst reads nothing from it, and should hear why.
        out["empty"] = (
            f"no article links found in the last {policy.empty_after} passes although the "
            "source used to have some: its layout may have changed (try `monitor sources test`)"
            if stats["ever_had_links"]
            else "no article links found in any pass so far: monitor cannot read a list of "
            "articles there (try `monitor sources test`; a feed or sitemap URL, or a "
            "link_selector, may help)"
        )
    seen = stats["recent_new_seen_at"]
    gap = typical_gap(seen)
    if gap is not None and "failing" not in out:
        quiet = now - max(seen)
        limit = max(policy.min_silent, gap * policy.silent_factor)
        if quiet > limit:
            out["silent"] = (
                f"no new article for {human(quiet)}; it usually publishes every {human(gap)}"
            )
    return out


def human(delta: dt.timedelta) -> str:
    """A duration as an operator reads it: minutes, hours or days, whichever is whole enough."""
    seconds = delta.total_seconds()
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 60:.0f} minutes"
