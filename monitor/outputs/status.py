"""What `monitor status` shows: each source's health, the daemon, alerts that need a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from monitor.core.health import EVENTS, HealthPolicy, human
from monitor.shell.store import Database, outbox, sources
from monitor.shell.store import health as health_store
from monitor.shell.store.db import installation_id

#: How often the daemon writes its heartbeat, and when its silence means it is gone.
HEARTBEAT_EVERY = dt.timedelta(seconds=60)
STALE_AFTER = 3 * HEARTBEAT_EVERY


#: A source's state: the first of its open health events, else how its passes went.
STATES = ("ok", *EVENTS, "never run", "disabled")


def status(store: Database, config: Any, now: dt.datetime) -> dict[str, Any]:
    """What ``monitor status`` shows, and what needs a person (non-empty means exit 1)."""
    policy = HealthPolicy(failing_after=config.failing_after, empty_after=config.empty_after)
    known = {row["name"]: row for row in sources.fetch_sources(store)}
    episodes: dict[str, list[str]] = {}
    for ep in health_store.fetch_all_open_episodes(store):
        episodes.setdefault(ep["source"], []).append(ep["event"])
    attention: list[str] = []
    rows = []
    for src in config.sources:
        row = known.get(src.name, {})
        failures = row.get("consecutive_failures") or 0
        problems = episodes.get(src.name, [])
        state = problems[0] if problems else ("failing" if failures else "ok")
        if not src.enabled:
            state = "disabled"
        elif not row.get("last_success") and not failures:
            state = "never run"
        health = ", ".join(problems) if state in problems else state
        if problems or failures >= policy.failing_after:
            attention.append(f"{src.name}: {health}: {row.get('last_error') or ''}".rstrip(": "))
        rows.append(
            {
                "name": src.name,
                "health": health,
                "state": state,  # one of STATES, for machines (health may list several)
                "last_success": row.get("last_success"),
                "next_run_at": row.get("next_run_at"),
                "backoff_until": row.get("backoff_until"),
                "consecutive_failures": failures,
                "last_error": row.get("last_error") if failures else None,
                "articles": row.get("articles", 0),
            }
        )
    counts = outbox.fetch_counts(store)
    if counts.get("dead"):
        attention.append(
            f"{counts['dead']} alerts could not be delivered (monitor alerts --state dead)"
        )
    for channel, reason in outbox.fetch_disabled_channels(store).items():
        attention.append(f"alert channel {channel} is disabled: {reason}")
    daemon = sources.fetch_daemon(store)
    line, down = daemon_state(daemon, now)
    if down:
        attention.append(down)
    return {
        "installation": installation_id(store),
        "daemon": daemon,
        "daemon_line": line,
        "sources": rows,
        "alerts": counts,
        "needs_attention": attention,
    }


def daemon_state(daemon: dict[str, Any] | None, now: dt.datetime) -> tuple[str, str | None]:
    """The daemon's line, and what needs a person when it is not running (None when it is).

    A daemon that never ran is not a fault (``fetch-once`` from cron is a way to run), one that
    stopped or went quiet is: the health check must fail when nothing is watching the sources.
    It beats every ``HEARTBEAT_EVERY``; three beats missed means it is gone (killed, crashed,
    its machine down) even though it could not say so.
    """
    if daemon is None:
        return "daemon: never started (monitor run)", None
    pid, started = daemon["pid"], daemon["started_at"][:16].replace("T", " ")
    if daemon.get("stopped_at"):
        stopped = daemon["stopped_at"][:16].replace("T", " ")
        line = f"daemon: stopped {stopped} UTC (pid {pid}, started {started}): not running"
        return line, f"daemon: not running, stopped {stopped} UTC (start it: monitor run)"
    age = now - dt.datetime.fromisoformat(daemon["heartbeat_at"])
    if age > STALE_AFTER:
        line = (
            f"daemon: pid {pid}, started {started}, last heartbeat {human(age)} ago: "
            "not running (killed or crashed?)"
        )
        return line, f"daemon: not running, no heartbeat for {human(age)} (pid {pid})"
    return (
        f"daemon: running, pid {pid}, started {started} UTC, last heartbeat {age.seconds} s ago",
        None,
    )
