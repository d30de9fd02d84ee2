"""The store: one SQLite file, one module per aggregate, all of `monitor`'s SQL.

In the style of github-to-sqlite, each aggregate is a module of ``save_*(db, ...)`` and
``fetch_*(db, ...)`` functions over a sqlite-utils ``Database``, and no aggregate calls another:
a write that spans two (an article and its alerts) is composed by the pass inside one
:func:`transaction`.

- ``db``: the connection, :func:`transaction`, the storage errors (``StoreError``, ``Conflict``)
- ``migrations``: the schema
- ``sources``: sources, passes, failed links, the HTTP cache, robots.txt, the daemon's schedule
- ``health``: the figures a source's health is judged on, and its episodes
- ``articles``: articles, their URLs, evidence, revisions and identity look-ups
- ``outbox``: alerts to deliver, and the channels' state
- ``queries``: what people read (articles, stories, search)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from monitor.shell.store.db import Conflict, Database, StoreBusy, StoreError, path_of, transaction
from monitor.shell.store.migrations import migrate, migrations

__all__ = [
    "Conflict",
    "Database",
    "StoreBusy",
    "StoreError",
    "open_db",
    "path_of",
    "transaction",
]

#: WAL frames (pages) between automatic checkpoints; SQLite's default is 1,000.
_CHECKPOINT_PAGES = 10_000


def open_db(path: str | Path, *, busy_timeout: float = 30.0, read_only: bool = False) -> Database:
    """Open (creating and migrating as needed) a database file, or ``:memory:``.

    ``read_only``: for commands that only read. A file this user cannot write (another user's,
    on a read-only mount) is then opened read-only instead of refused, provided its schema is
    current.
    """
    if read_only and Path(path).exists():
        try:
            return open_db(path, busy_timeout=busy_timeout)
        except StoreError as exc:
            try:
                return _open_read_only(Path(path), busy_timeout)
            except (sqlite3.Error, StoreError):
                raise exc from None
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves; Python's implicit deferred
    # BEGIN would let two writers deadlock on the lock upgrade.
    try:
        conn = sqlite3.connect(
            str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            # Checkpoint every ~40 MB of log rather than SQLite's 4 MB: a pass rewrites the same
            # index and search-index pages with every article, and each checkpoint copies them
            # back into the file. A commit cost 0.34 ms of CPU instead of 0.47 over a bench pass
            # (and blocked the event loop 0.54 ms instead of 0.8); the log is cut back to 64 MB.
            conn.execute(f"PRAGMA wal_autocheckpoint = {_CHECKPOINT_PAGES}")
            conn.execute(f"PRAGMA journal_size_limit = {64 * 1024 * 1024}")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        migrate(db)
    except (sqlite3.Error, StoreError) as exc:
        raise StoreError(f"{path}: cannot open the database: {exc}") from exc
    return db


def _open_read_only(path: Path, busy_timeout: float) -> Database:
    """The file opened ``mode=ro``; ``immutable`` too when not even its WAL index can be made
    (a read-only folder: then nothing can be writing to it either). Never migrated."""
    uri = path.resolve().as_uri()
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        conn = sqlite3.connect(
            uri + query, uri=True, timeout=busy_timeout, isolation_level=None,
            check_same_thread=False,
        )  # fmt: skip
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            continue
        db = Database(conn)
        if migrations.pending(db):
            conn.close()
            raise StoreError(
                f"{path}: written by an older monitor and read-only here: open it once with "
                "write access to upgrade it"
            )
        return db
    raise sqlite3.OperationalError("unable to open database file read-only")
