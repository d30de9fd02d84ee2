"""Which new links a pass reads now, and which it leaves for later: pure, on what the store knows.

A pass reads at most ``max_articles`` pages; the rest wait in the store and are offered to the
next passes before anything is lost (a listing's later pages are read on the first pass only).
Whether a link belongs to the silent baseline is decided once, when it is first listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.core.models import Link

#: A link that failed this many passes in a row is given up on (``monitor sources`` shows it).
MAX_LINK_ATTEMPTS = 8


@dataclass(frozen=True)
class LinkChoice:
    """Which new links a pass reads now and which it leaves for later: (url, link, baseline)."""

    now: list[tuple[str, Link, bool]]
    later: list[tuple[str, Link, bool]]


def choose_links(
    listed: dict[str, Link],
    pending: dict[str, tuple[Link, bool]],
    known: set[str],
    failures: dict[str, tuple[int, bool]],
    baseline_pass: bool,
    limit: int,
) -> LinkChoice:
    """The new links, listed first then those left from earlier passes, up to ``limit`` now.

    A link is part of the baseline when found by the baseline pass, or when it was first
    listed then (it failed, or was left for later), whenever it is finally read.
    """
    todo = []
    for url in [*listed, *(u for u in pending if u not in listed)]:
        tried, failed_at_baseline = failures.get(url, (0, False))
        if url in known or tried >= MAX_LINK_ATTEMPTS:
            continue
        link, left_at_baseline = (
            listed.get(url) or pending[url][0],
            url in pending and pending[url][1],
        )
        todo.append((url, link, baseline_pass or failed_at_baseline or left_at_baseline))
    return LinkChoice(todo[:limit], todo[limit:])
