"""The connection, the one way to write, and storage errors turned into the library's own.

The database is one SQLite file in WAL mode shared by the daemon and any CLI command at once:
writes go through :func:`transaction`, a ``BEGIN IMMEDIATE`` transaction (a deferred one could
fail halfway on a lock upgrade), and readers never block writers. What belongs together commits
together: an article, its URLs, its flags and its alerts land in one transaction or not at all.

sqlite-utils imports numpy whenever it is installed (py3langid needs it, so it always is), only
to convert numpy values, which `monitor` never stores. numpy would cost the long-lived polling
process ~15 MB of its own, so it is hidden for that one import: sqlite-utils then behaves as it
does without numpy, and anything may still import numpy normally afterwards.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from monitor.errors import Conflict, StoreBusy, StoreError


def _import_without_numpy() -> None:
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return  # already settled: nothing to save
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` now fails
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_without_numpy()

from sqlite_utils import Database  # noqa: E402
from sqlite_utils.db import Table  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = [
    "Conflict",
    "Database",
    "Migrations",
    "StoreBusy",
    "StoreError",
    "table",
    "transaction",
]


def table(db: Database, name: str) -> Table:
    """A table by name, typed as one (``db[name]`` may be a view as far as types go)."""
    found = db[name]
    assert isinstance(found, Table), name
    return found


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One ``BEGIN IMMEDIATE`` transaction; nested calls become savepoints.

    sqlite3's errors end here: a unique key that says no is a ``Conflict`` (another process
    stored the same thing a moment ago), a lock held past the busy timeout ``StoreBusy``,
    anything else a ``StoreError`` naming what SQLite said: no caller needs to import sqlite3.
    """
    conn = db.conn
    try:
        if conn.in_transaction:
            with db.atomic():
                yield db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.IntegrityError as exc:
        raise Conflict(str(exc)) from exc
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreBusy(f"{path_of(db) or 'database'}: {exc}") from exc
        raise StoreError(f"{path_of(db) or 'database'}: {exc}") from exc
    except sqlite3.Error as exc:
        raise StoreError(f"{path_of(db) or 'database'}: {exc}") from exc


def path_of(db: Database) -> str:
    """The file behind a connection ('' for an in-memory database), to open another on it."""
    try:
        rows: list[Any] = db.conn.execute("PRAGMA database_list").fetchall()
    except sqlite3.Error:
        return ""
    return next((str(r[2]) for r in rows if r[1] == "main"), "")


def installation_id(db: Database) -> str:
    """This installation's id (made once with the database; see migration m009)."""
    row = db.conn.execute("SELECT value FROM meta WHERE key = 'installation'").fetchone()
    return str(row[0])
