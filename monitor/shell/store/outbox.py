"""The outbox: one row per alert and channel, from queued to sent or dead, and channel state."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core.policy import OutboxRow, installed_id
from monitor.errors import NotFound
from monitor.shell.holder import is_dead, this_holder
from monitor.shell.store.db import Database, installation_id, transaction


@dataclass(frozen=True)
class OutboxItem:
    """One alert to deliver (or delivered): a story for a channel."""

    id: int
    story: str
    channel: str
    kind: str
    state: str
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    created_at: str
    sent_at: str | None
    message_id: str
    payload: dict[str, Any] | None


_OUTBOX_COLUMNS = (
    "id, story, channel, kind, state, attempts, next_attempt_at, last_error, created_at,"
    " sent_at, message_id, payload"
)


def _outbox_item(row: Sequence[Any]) -> OutboxItem:
    values = list(row)
    values[-1] = json.loads(values[-1]) if values[-1] else None
    return OutboxItem(*values)


def save_alerts(db: Database, rows: Sequence[OutboxRow], now: dt.datetime) -> int:
    """Queue these alerts; one already queued for its (story, channel, kind) is left alone."""
    if not rows:
        return 0  # the common case in a pass: no savepoint for nothing
    installation = installation_id(db)
    with transaction(db):
        before = db.conn.total_changes
        db.conn.executemany(
            "INSERT OR IGNORE INTO outbox (story, channel, kind, state, attempts,"
            " next_attempt_at, created_at, message_id, payload)"
            " VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?)",
            [
                (
                    row.story,
                    row.channel,
                    row.kind,
                    now.isoformat(),
                    now.isoformat(),
                    installed_id(installation, row.message_id),
                    _json(row.payload) if row.payload else None,
                )
                for row in rows
            ],
        )
        return int(db.conn.total_changes - before)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def fetch_due(db: Database, now: dt.datetime, channels: Sequence[str] = ()) -> list[OutboxItem]:
    """Pending alerts whose time has come, oldest first."""
    sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?"
    params: list[Any] = [now.isoformat()]
    if channels:
        sql += f" AND channel IN ({','.join('?' * len(channels))})"
        params.extend(channels)
    return [_outbox_item(r) for r in db.conn.execute(sql + " ORDER BY id", params)]


def claim_due(
    db: Database,
    now: dt.datetime,
    channels: Sequence[str],
    lease: dt.timedelta,
    holder: str | None = None,
) -> list[OutboxItem]:
    """Take the due alerts of these channels for one delivery run (``holder``, this process).

    Claiming moves their next attempt ``lease`` ahead and names the holder in the same
    ``BEGIN IMMEDIATE`` transaction, so a second delivery run at the same moment (the daemon and
    a CLI command) does not send them too. The claims of a holder that is gone (killed on this
    host: :func:`monitor.shell.holder.is_dead`) are due at once; another host's wait for the
    lease.
    """
    if not channels:
        return []
    holder = holder or this_holder()
    marks = ",".join("?" * len(channels))
    with transaction(db):
        held = [
            h
            for (h,) in db.conn.execute(
                "SELECT DISTINCT claimed_by FROM outbox WHERE state = 'pending'"
                f" AND next_attempt_at > ? AND claimed_by IS NOT NULL AND channel IN ({marks})",
                [now.isoformat(), *channels],
            )
        ]
        dead = [h for h in held if h != holder and is_dead(h)]
        items = fetch_due(db, now, channels)
        if dead:
            sql = (
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending'"
                f" AND claimed_by IN ({','.join('?' * len(dead))}) AND channel IN ({marks})"
                " AND next_attempt_at > ? ORDER BY id"
            )
            taken = [
                _outbox_item(r) for r in db.conn.execute(sql, [*dead, *channels, now.isoformat()])
            ]
            items = sorted([*items, *taken], key=lambda i: i.id)
        db.conn.executemany(
            "UPDATE outbox SET next_attempt_at = ?, claimed_by = ? WHERE id = ?",
            [((now + lease).isoformat(), holder, item.id) for item in items],
        )
    return items


def fetch_channel_names(db: Database) -> set[str]:
    """Every channel the outbox holds alerts for."""
    return {row[0] for row in db.conn.execute("SELECT DISTINCT channel FROM outbox")}


def fetch_alerts(db: Database, state: str | None = None) -> list[OutboxItem]:
    """The outbox, or the alerts in one state, oldest first."""
    sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox"
    rows = (
        db.conn.execute(sql + " WHERE state = ? ORDER BY id", [state])
        if state
        else db.conn.execute(sql + " ORDER BY id")
    )
    return [_outbox_item(r) for r in rows]


def save_sent(db: Database, alert_id: int, now: dt.datetime) -> None:
    """Delivered: never sent again."""
    with transaction(db):
        db.conn.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
            " last_error = NULL, claimed_by = NULL WHERE id = ?",
            [now.isoformat(), alert_id],
        )


def save_failure(
    db: Database, alert_id: int, error: str, now: dt.datetime, retry_at: dt.datetime | None
) -> None:
    """Count a failed try; with no ``retry_at`` the alert is dead (shown by ``status``)."""
    with transaction(db):
        db.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_by = NULL,"
            " state = CASE WHEN ? IS NULL THEN 'dead' ELSE 'pending' END,"
            " next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?",
            [
                error,
                retry_at and retry_at.isoformat(),
                retry_at and retry_at.isoformat(),
                alert_id,
            ],
        )


def save_retry(db: Database, alert_id: int, now: dt.datetime) -> None:
    """Make a dead or pending alert due now (``monitor alerts retry ID``)."""
    with transaction(db):
        cur = db.conn.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE id = ?"
            " AND state != 'sent'",
            [now.isoformat(), alert_id],
        )
    if cur.rowcount == 0:
        raise NotFound(f"alert {alert_id}: no such alert, or it was already sent")


def save_retry_all(db: Database, now: dt.datetime, channel: str | None = None) -> int:
    """Make every dead or pending alert (of one channel) due now; how many (``retry --all``).

    A claim held by a live delivery run is left alone: that run is sending them.
    """
    sql = (
        "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE state != 'sent'"
        " AND (claimed_by IS NULL OR state = 'dead')"
    )
    params: list[Any] = [now.isoformat()]
    if channel is not None:
        sql += " AND channel = ?"
        params.append(channel)
    with transaction(db):
        return int(db.conn.execute(sql, params).rowcount)


def save_channel_disabled(db: Database, channel: str, reason: str, now: dt.datetime) -> None:
    """A webhook answered 410 Gone: stop sending to it until the user re-enables it."""
    with transaction(db):
        db.conn.execute(
            "INSERT INTO channel_state (channel, disabled_at, reason) VALUES (?, ?, ?)"
            " ON CONFLICT(channel) DO UPDATE SET disabled_at = excluded.disabled_at,"
            " reason = excluded.reason",
            [channel, now.isoformat(), reason],
        )


def save_channel_enabled(db: Database, channel: str) -> None:
    """Send to a disabled channel again (``monitor alerts enable``)."""
    with transaction(db):
        cur = db.conn.execute("DELETE FROM channel_state WHERE channel = ?", [channel])
    if cur.rowcount == 0:
        raise NotFound(f"channel {channel!r} is not disabled")


def fetch_disabled_channels(
    db: Database,
) -> dict[str, str]:
    """Channels turned off by a 410 Gone, with the reason."""
    return dict(db.conn.execute("SELECT channel, reason FROM channel_state"))


def fetch_counts(
    db: Database,
) -> dict[str, int]:
    """How many alerts are in each state."""
    return dict(db.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
