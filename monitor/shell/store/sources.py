"""Sources and what is remembered of them between passes.

Which kind and endpoint discovery found, how each pass went, links that failed, the HTTP
validators of every endpoint, robots.txt answers, and the daemon's schedule and heartbeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from monitor.core.backlog import MAX_LINK_ATTEMPTS
from monitor.core.models import Link, Published, SourceState, Validators
from monitor.shell.store.db import Database, transaction


def save_source(db: Database, name: str, url: str, kind: str, now: dt.datetime) -> None:
    """Register a configured source; a changed URL or kind restarts discovery."""
    known = db.conn.execute("SELECT url, kind FROM sources WHERE name = ?", [name]).fetchone()
    if known is not None and tuple(known) == (url, kind):
        return  # the common case: nothing to write, so no write lock
    with transaction(db):
        row = db.conn.execute("SELECT url, kind FROM sources WHERE name = ?", [name]).fetchone()
        if row is None:
            db.conn.execute(
                "INSERT INTO sources (name, url, kind, created_at) VALUES (?, ?, ?, ?)",
                [name, url, kind, now.isoformat()],
            )
        elif tuple(row) != (url, kind):
            db.conn.execute(
                "UPDATE sources SET url = ?, kind = ?, discovered_kind = NULL, endpoint = NULL"
                " WHERE name = ?",
                [url, kind, name],
            )


def fetch_state(db: Database, name: str) -> SourceState:
    """What is remembered of a source (a source never seen has a fresh state)."""
    row = db.conn.execute(
        "SELECT discovered_kind, endpoint, baseline_done_at, consecutive_failures,"
        " backoff_until FROM sources WHERE name = ?",
        [name],
    ).fetchone()
    if row is None:
        return SourceState(name, None, None, False, 0)
    backoff = dt.datetime.fromisoformat(row[4]) if row[4] else None
    return SourceState(name, row[0], row[1], row[2] is not None, row[3] or 0, backoff)


def save_discovery(db: Database, name: str, kind: str, endpoint: str) -> None:
    """Remember how a source is best read, so later passes go straight to it."""
    with transaction(db):
        db.conn.execute(
            "UPDATE sources SET discovered_kind = ?, endpoint = ? WHERE name = ?",
            [kind, endpoint, name],
        )


def save_pass(
    db: Database,
    name: str,
    *,
    started: dt.datetime,
    finished: dt.datetime,
    kind: str | None,
    links: int | None,
    new: int,
    seen: int,
    failed: int,
    error: str | None,
) -> None:
    """Log a pass and update the source's health.

    ``error`` is set when the pass failed as a whole (the source could not be read, or every
    article it tried failed). The first pass that read the source ends its baseline, even if
    some articles failed: those are remembered in ``link_failures`` as baseline articles.
    """
    ok = error is None
    with transaction(db):
        db.conn.execute(
            "INSERT INTO fetches (source, started_at, finished_at, ok, kind, links, new, seen,"
            " failed, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                started.isoformat(),
                finished.isoformat(),
                int(ok),
                kind,
                links,
                new,
                seen,
                failed,
                error,
            ],
        )
        if kind is not None:
            db.conn.execute(
                "UPDATE sources SET baseline_done_at = coalesce(baseline_done_at, ?)"
                " WHERE name = ?",
                [finished.isoformat(), name],
            )
        if ok:
            db.conn.execute(
                "UPDATE sources SET last_success = ?, consecutive_failures = 0,"
                " backoff_until = NULL WHERE name = ?",
                [finished.isoformat(), name],
            )
        else:
            db.conn.execute(
                "UPDATE sources SET last_error = ?, last_error_at = ?,"
                " consecutive_failures = consecutive_failures + 1 WHERE name = ?",
                [error, finished.isoformat(), name],
            )


def save_link_failure(
    db: Database,
    url: str,
    source: str,
    error: str,
    baseline: bool,
    now: dt.datetime,
    *,
    give_up: bool = False,
) -> None:
    """An article that could not be read, tried again on later passes (it stays a baseline
    article if it was one); ``give_up``: a page never to read again (``pagekind``: no news)."""
    attempts = MAX_LINK_ATTEMPTS if give_up else 1
    with transaction(db):
        db.conn.execute(
            "INSERT INTO link_failures (url, source, first_failed_at, attempts, last_error,"
            " baseline) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
            " attempts = max(attempts + 1, excluded.attempts), last_error = excluded.last_error",
            [url, source, now.isoformat(), attempts, error, int(baseline)],
        )


def fetch_link_failures(db: Database, urls: Iterable[str]) -> dict[str, tuple[int, bool]]:
    """(attempts, baseline) of each of these links that failed before."""
    found: dict[str, tuple[int, bool]] = {}
    batch = list(dict.fromkeys(urls))
    for i in range(0, len(batch), 500):
        chunk = batch[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for url, attempts, baseline in db.conn.execute(
            f"SELECT url, attempts, baseline FROM link_failures WHERE url IN ({marks})", chunk
        ):
            found[url] = (attempts, bool(baseline))
    return found


def save_pending(
    db: Database, source: str, links: Sequence[tuple[str, Link, bool]], now: dt.datetime
) -> None:
    """Links left for a later pass: (canonical URL, what the listing said, baseline or not)."""
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO pending_links (url, source, title, published, language, baseline,"
            " listed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
            " baseline = max(baseline, excluded.baseline)",
            [
                (
                    url,
                    source,
                    link.title,
                    link.published.isoformat() if link.published else None,
                    link.language,
                    int(baseline),
                    now.isoformat(),
                )
                for url, link, baseline in links
            ],
        )


def fetch_pending(db: Database, source: str) -> dict[str, tuple[Link, bool]]:
    """The source's links left for later, oldest first: canonical URL -> (link, baseline)."""
    out: dict[str, tuple[Link, bool]] = {}
    for url, title, published, language, baseline in db.conn.execute(
        "SELECT url, title, published, language, baseline FROM pending_links WHERE source = ?"
        " ORDER BY listed_at, rowid",
        [source],
    ):
        day = _published(published)
        out[url] = (Link(url, title, day, language), bool(baseline))
    return out


def save_stored_links(db: Database, urls: Iterable[str]) -> None:
    """These links are articles now: no longer failed, no longer pending."""
    batch = [(u,) for u in urls]
    db.conn.executemany("DELETE FROM link_failures WHERE url = ?", batch)
    db.conn.executemany("DELETE FROM pending_links WHERE url = ?", batch)


def _published(value: str | None) -> Published:
    if not value:
        return None
    return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)


def fetch_source_names(db: Database) -> set[str]:
    """The names of the sources the database has seen (no counting)."""
    return {name for (name,) in db.conn.execute("SELECT name FROM sources")}


def fetch_sources(
    db: Database,
) -> list[dict[str, Any]]:
    """Each known source with its health and article count."""
    rows = db.conn.execute(
        "SELECT s.name, s.url, s.kind, s.discovered_kind, s.endpoint, s.last_success,"
        " s.last_error, s.last_error_at, s.consecutive_failures, s.next_run_at,"
        " s.backoff_until,"
        " (SELECT count(*) FROM articles a WHERE a.source = s.name) AS articles"
        " FROM sources s ORDER BY s.name"
    )
    cols = [c[0] for c in rows.description]
    return [dict(zip(cols, row, strict=True)) for row in rows]


def fetch_validators(db: Database, url: str) -> Validators | None:
    """The ETag / Last-Modified saved for a URL, for a conditional request."""
    row = db.conn.execute(
        "SELECT etag, last_modified FROM http_cache WHERE url = ?", [url]
    ).fetchone()
    return Validators(row[0], row[1]) if row else None


def save_validators(db: Database, url: str, validators: Validators, now: dt.datetime) -> None:
    """Store validators only after what the response led to is stored (no skipped content)."""
    if not (validators.etag or validators.last_modified):
        return
    with transaction(db):
        db.conn.execute(
            "INSERT INTO http_cache (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
            " last_modified = excluded.last_modified, updated_at = excluded.updated_at",
            [url, validators.etag, validators.last_modified, now.isoformat()],
        )


def save_schedule(
    db: Database, name: str, next_run_at: dt.datetime | None, backoff_until: dt.datetime | None
) -> None:
    """What the daemon plans for a source, for ``monitor status``."""
    with transaction(db):
        db.conn.execute(
            "UPDATE sources SET next_run_at = ?, backoff_until = ? WHERE name = ?",
            [
                next_run_at and next_run_at.isoformat(),
                backoff_until and backoff_until.isoformat(),
                name,
            ],
        )


def save_heartbeat(
    db: Database, pid: int, started_at: dt.datetime, now: dt.datetime, config: str
) -> None:
    """The daemon is alive: ``monitor status`` reads how long ago it said so."""
    with transaction(db):
        db.conn.execute(
            "INSERT INTO daemon (id, pid, started_at, heartbeat_at, config, stopped_at)"
            " VALUES (1, ?, ?, ?, ?, NULL) ON CONFLICT(id) DO UPDATE SET pid = excluded.pid,"
            " started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,"
            " config = excluded.config, stopped_at = NULL",
            [pid, started_at.isoformat(), now.isoformat(), config],
        )


def save_daemon_stop(db: Database, pid: int, now: dt.datetime) -> None:
    """The daemon ``pid`` stopped cleanly at ``now`` (a later daemon's beat clears it)."""
    with transaction(db):
        db.conn.execute(
            "UPDATE daemon SET stopped_at = ? WHERE id = 1 AND pid = ?", [now.isoformat(), pid]
        )


def fetch_daemon(
    db: Database,
) -> dict[str, Any] | None:
    """The daemon's pid, start, last heartbeat and clean stop, if it ever ran."""
    row = db.conn.execute(
        "SELECT pid, started_at, heartbeat_at, config, stopped_at FROM daemon WHERE id = 1"
    ).fetchone()
    keys = ("pid", "started_at", "heartbeat_at", "config", "stopped_at")
    return dict(zip(keys, row, strict=True)) if row else None


def fetch_robots(db: Database, origin: str, fresh_after: dt.datetime) -> tuple[int, str] | None:
    """A robots.txt answer fetched after ``fresh_after``, else None."""
    row = db.conn.execute(
        "SELECT status, text FROM robots WHERE origin = ? AND fetched_at > ?",
        [origin, fresh_after.isoformat()],
    ).fetchone()
    return (row[0], row[1] or "") if row else None


def save_robots(db: Database, origin: str, status: int, text: str, now: dt.datetime) -> None:
    """A site's robots.txt answer, kept for a day."""
    with transaction(db):
        db.conn.execute(
            "INSERT INTO robots (origin, status, text, fetched_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(origin) DO UPDATE SET status = excluded.status,"
            " text = excluded.text, fetched_at = excluded.fetched_at",
            [origin, status, text, now.isoformat()],
        )
