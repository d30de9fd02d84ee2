"""What `monitor status` shows: each source's health, the daemon, alerts that need a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from monitor.core.health import HealthPolicy, human
from monitor.shell.store import Database, outbox, sources
from monitor.shell.store import health as health_store
from monitor.shell.store.db import installation_id


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
    counts = outbox.fetch_counts(store)
    if counts.get("dead"):
        attention.append(
            f"{counts['dead']} alerts could not be delivered (monitor alerts --state dead)"
        )
    for channel, reason in outbox.fetch_disabled_channels(store).items():
        attention.append(f"alert channel {channel} is disabled: {reason}")
    daemon = sources.fetch_daemon(store)
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
            f"last heartbeat {human(age)} ago" + ("" if alive else " (not running?)")
        )
    return {
        "installation": installation_id(store),
        "daemon": daemon,
        "daemon_line": line,
        "sources": rows,
        "alerts": counts,
        "needs_attention": attention,
    }
