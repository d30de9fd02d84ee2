"""What a source's health is judged on, and its episodes (a problem from start to end)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from monitor.shell.store.db import Database


def fetch_stats(db: Database, name: str, *, recent: int = 20) -> dict[str, Any]:
    """The numbers health is judged on: failures, recent yields, publication rhythm."""
    row = db.conn.execute(
        "SELECT consecutive_failures, last_success, last_error FROM sources WHERE name = ?",
        [name],
    ).fetchone()
    failures, last_success, last_error = row if row else (0, None, None)
    links = [
        r[0]
        for r in db.conn.execute(
            "SELECT links FROM fetches WHERE source = ? AND ok = 1 AND links IS NOT NULL"
            " ORDER BY id DESC LIMIT ?",
            [name, recent],
        )
    ]
    ever = db.conn.execute(
        "SELECT 1 FROM fetches WHERE source = ? AND links > 0 LIMIT 1", [name]
    ).fetchone()
    seen = [
        dt.datetime.fromisoformat(r[0])
        for r in db.conn.execute(
            "SELECT first_seen FROM articles WHERE source = ? AND baseline = 0"
            " ORDER BY first_seen DESC LIMIT ?",
            [name, recent],
        )
    ]
    dated = db.conn.execute(
        "SELECT count(*), count(published), avg(length(text) > 0) FROM articles WHERE source = ?",
        [name],
    ).fetchone()
    per_pass = db.conn.execute(
        "SELECT avg(new) FROM (SELECT new FROM fetches WHERE source = ? AND ok = 1"
        " ORDER BY id DESC LIMIT ?)",
        [name, recent],
    ).fetchone()[0]
    return {
        "consecutive_failures": failures or 0,
        "last_success": last_success,
        "last_error": last_error,
        "recent_links": links,
        "ever_had_links": ever is not None,
        "recent_new_seen_at": seen,
        "articles": dated[0],
        "dated_share": (dated[1] / dated[0]) if dated[0] else None,
        "articles_per_pass": per_pass,
    }


def fetch_open_episodes(db: Database, name: str) -> dict[str, tuple[int, str]]:
    """Health problems still going on for a source: event -> (id, started_at)."""
    return {
        r[0]: (r[1], r[2])
        for r in db.conn.execute(
            "SELECT event, id, started_at FROM health_episodes"
            " WHERE source = ? AND ended_at IS NULL",
            [name],
        )
    }


def fetch_all_open_episodes(
    db: Database,
) -> list[dict[str, Any]]:
    """Every health problem still going on, oldest first (for ``monitor status``)."""
    rows = db.conn.execute(
        "SELECT source, event, started_at, detail FROM health_episodes"
        " WHERE ended_at IS NULL ORDER BY started_at"
    )
    return [dict(zip(("source", "event", "started_at", "detail"), r, strict=True)) for r in rows]


def save_episodes(
    db: Database, name: str, start: dict[str, str], end: Sequence[int], now: dt.datetime
) -> None:
    """Open the episodes that start now (event -> detail) and close those that end."""
    db.conn.executemany(
        "INSERT INTO health_episodes (source, event, started_at, detail) VALUES (?, ?, ?, ?)",
        [(name, event, now.isoformat(), detail) for event, detail in start.items()],
    )
    db.conn.executemany(
        "UPDATE health_episodes SET ended_at = ? WHERE id = ?",
        [(now.isoformat(), episode_id) for episode_id in end],
    )
