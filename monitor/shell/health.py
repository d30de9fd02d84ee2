"""Is a source healthy? Failing, empty (a changed layout) or silent, and how long to back off.

Scrapers rarely fail loudly: the commonest failure is a redesign after which the listing still
answers 200 but yields no article links. So a source is judged on three conditions, and the
operator hears once when each starts (an *episode*) and once when it ends, never once per pass.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from monitor.shell.store import Store

EVENTS = ("failing", "empty", "silent")


@dataclass(frozen=True)
class HealthPolicy:
    """When a condition counts as a problem; defaults suit institutes posting weekly or more."""

    failing_after: int = 6
    empty_after: int = 3
    silent_factor: float = 5.0
    min_silent: dt.timedelta = dt.timedelta(days=3)
    backoff_cap: float = 6 * 3600.0


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
    if len(links) == policy.empty_after and not any(links) and stats["ever_had_links"]:
        out["empty"] = (
            f"no article links found in the last {policy.empty_after} passes although the "
            "source used to have some: its layout may have changed (try `monitor sources test`)"
        )
    seen = stats["recent_new_seen_at"]
    gap = typical_gap(seen)
    if gap is not None and "failing" not in out:
        quiet = now - max(seen)
        limit = max(policy.min_silent, gap * policy.silent_factor)
        if quiet > limit:
            out["silent"] = (
                f"no new article for {_human(quiet)}; it usually publishes every {_human(gap)}"
            )
    return out


def update(
    store: Store,
    name: str,
    policy: HealthPolicy,
    now: dt.datetime,
    channels: Sequence[str],
) -> dict[str, str]:
    """Open and close episodes after a pass; each start and each end queues one message."""
    problems = conditions(store.source_stats(name), policy, now)
    open_now = store.open_episodes(name)
    for event in EVENTS:
        if event in problems and event not in open_now:
            text = f"Source {name} is {event}: {problems[event]}"
            store.start_episode(
                name,
                event,
                problems[event],
                now,
                channels,
                {
                    "type": f"source.{event}",
                    "event": event,
                    "source": name,
                    "title": f"monitor: source {name} is {event}",
                    "text": text,
                },
            )
        elif event not in problems and event in open_now:
            episode_id, started = open_now[event]
            text = f"Source {name} has recovered from being {event} (since {started[:16]})."
            store.end_episode(
                episode_id,
                now,
                channels,
                {
                    "type": "source.recovered",
                    "event": f"{event}-recovered",
                    "source": name,
                    "title": f"monitor: source {name} recovered",
                    "text": text,
                },
            )
    return problems


def _human(delta: dt.timedelta) -> str:
    seconds = delta.total_seconds()
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 60:.0f} minutes"


def status(store: Store, config: Any, now: dt.datetime) -> dict[str, Any]:
    """What ``monitor status`` shows, and what needs a person (non-empty means exit 1)."""
    policy = HealthPolicy(failing_after=config.failing_after, empty_after=config.empty_after)
    known = {row["name"]: row for row in store.sources()}
    episodes: dict[str, list[str]] = {}
    for ep in store.all_open_episodes():
        episodes.setdefault(ep["source"], []).append(ep["event"])
    attention: list[str] = []
    rows = []
    for src in config.sources:
        row = known.get(src.name, {})
        failures = row.get("consecutive_failures") or 0
        problems = episodes.get(src.name, [])
        state = ", ".join(problems) if problems else ("failing" if failures else "ok")
        if not src.enabled:
            state = "disabled"
        elif not row.get("last_success") and not failures:
            state = "never run"
        if problems or failures >= policy.failing_after:
            attention.append(f"{src.name}: {state}: {row.get('last_error') or ''}".rstrip(": "))
        rows.append(
            {
                "name": src.name,
                "health": state,
                "last_success": row.get("last_success"),
                "next_run_at": row.get("next_run_at"),
                "backoff_until": row.get("backoff_until"),
                "consecutive_failures": failures,
                "last_error": row.get("last_error") if failures else None,
                "articles": row.get("articles", 0),
            }
        )
    counts = store.alert_counts()
    if counts.get("dead"):
        attention.append(
            f"{counts['dead']} alerts could not be delivered (monitor alerts --state dead)"
        )
    for channel, reason in store.disabled_channels().items():
        attention.append(f"alert channel {channel} is disabled: {reason}")
    daemon = store.daemon_info()
    if daemon is None:
        line = "daemon: never started (monitor run)"
    else:
        beat = dt.datetime.fromisoformat(daemon["heartbeat_at"])
        age = now - beat
        alive = age < dt.timedelta(
            minutes=max(5, 2 * min((s.interval for s in config.sources), default=300) / 60)
        )
        line = (
            f"daemon: pid {daemon['pid']}, started {daemon['started_at'][:16]}, "
            f"last heartbeat {_human(age)} ago" + ("" if alive else " (not running?)")
        )
    return {
        "daemon": daemon,
        "daemon_line": line,
        "sources": rows,
        "alerts": counts,
        "needs_attention": attention,
    }
