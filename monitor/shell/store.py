"""Every SQL statement of `monitor`, and the schema's migrations.

The database is one SQLite file in WAL mode shared by the daemon and any CLI command at once:
writes go through :meth:`Store.write`, a ``BEGIN IMMEDIATE`` transaction (a deferred one could
fail halfway on a lock upgrade), and readers never block writers. What belongs together commits
together: an article, its URLs and its flags land in one transaction or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.core.dedup import to_sqlite_int
from monitor.core.models import Article, Flags, Published, Validators
from monitor.shell.sqlite import Database, Migrations

if TYPE_CHECKING:
    from monitor.core.identity import Fingerprint

migrations = Migrations("monitor")

#: Full-text search ranks the newest this-many matches of a query (see :meth:`Store.search`).
SEARCH_DEPTH = 3000


@migrations()
def m001_initial(db: Database) -> None:
    """Sources, the fetch log, articles with their URLs and flags, and the HTTP cache."""
    db["sources"].create(
        {
            "name": str,
            "url": str,
            "kind": str,
            "discovered_kind": str,
            "endpoint": str,
            "baseline_done_at": str,
            "last_success": str,
            "last_error": str,
            "last_error_at": str,
            "consecutive_failures": int,
            "created_at": str,
        },
        pk="name",
        not_null={"url", "kind", "created_at"},
        defaults={"consecutive_failures": 0},
    )
    db["fetches"].create(
        {
            "id": int,
            "source": str,
            "started_at": str,
            "finished_at": str,
            "ok": int,
            "kind": str,
            "new": int,
            "seen": int,
            "failed": int,
            "error": str,
        },
        pk="id",
        not_null={"source", "started_at"},
    )
    db["fetches"].create_index(["source", "started_at"])
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "source": str,
            "title": str,
            "published": str,
            "language": str,
            "text": str,
            "content_hash": str,
            "simhash": int,
            "first_seen": str,
            "updated_at": str,
            "baseline": int,
            "agreement": int,
            "countries": str,
            "weak_countries": str,
            "flagged": int,
            "methods": str,
            "alternates": str,
        },
        pk="id",
        not_null={"url", "source", "text", "content_hash", "first_seen"},
        defaults={"baseline": 0, "agreement": 0, "flagged": 0},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["content_hash"])
    db["articles"].create_index(["source", "first_seen"])
    db["articles"].create_index(["flagged", "first_seen"])
    db["urls"].create(
        {"url": str, "article_id": int, "kind": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["urls"].create_index(["article_id"])
    db["flags"].create(
        {
            "id": int,
            "article_id": int,
            "kind": str,
            "country": str,
            "matched": str,
            "snippet": str,
            "start": int,
            "end": int,
            "rule": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["flags"].create_index(["article_id"])
    db["flags"].create_index(["kind", "country"])
    db["http_cache"].create(
        {"url": str, "etag": str, "last_modified": str, "updated_at": str}, pk="url"
    )
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")


@migrations()
def m002_stories_and_outbox(db: Database) -> None:
    """Stories group articles; the outbox holds one alert per story and channel, ever."""
    db["articles"].add_column("story", str)
    db.execute("UPDATE articles SET story = 's' || id WHERE story IS NULL")
    db["articles"].create_index(["story"])
    db["outbox"].create(
        {
            "id": int,
            "story": str,
            "channel": str,
            "kind": str,
            "state": str,
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
            "created_at": str,
            "sent_at": str,
            "message_id": str,
            "payload": str,
        },
        pk="id",
        not_null={"story", "channel", "kind", "state", "created_at", "message_id"},
        defaults={"attempts": 0, "state": "pending"},
    )
    # The guarantee itself: whatever the number of articles, sources or passes.
    db["outbox"].create_index(["story", "channel", "kind"], unique=True)
    db["outbox"].create_index(["state", "next_attempt_at"])
    db["channel_state"].create({"channel": str, "disabled_at": str, "reason": str}, pk="channel")


@migrations()
def m003_health(db: Database) -> None:
    """What the daemon needs to tell a healthy source from a broken or silent one."""
    db["fetches"].add_column("links", int)
    db["sources"].add_column("next_run_at", str)
    db["sources"].add_column("backoff_until", str)
    db["link_failures"].create(
        {
            "url": str,
            "source": str,
            "first_failed_at": str,
            "attempts": int,
            "last_error": str,
            "baseline": int,
        },
        pk="url",
    )
    db["health_episodes"].create(
        {
            "id": int,
            "source": str,
            "event": str,
            "started_at": str,
            "ended_at": str,
            "detail": str,
        },
        pk="id",
    )
    db["health_episodes"].create_index(["source", "event", "ended_at"])
    db["daemon"].create(
        {"id": int, "pid": int, "started_at": str, "heartbeat_at": str, "config": str}, pk="id"
    )


@migrations()
def m004_story_index_and_revisions(db: Database) -> None:
    """Indexes that keep story assignment and near-duplicate checks off full scans."""
    db["articles"].add_column("story_features", str)
    db["articles"].add_column("last_checked", str)
    db["articles"].add_column("version", int)
    db["story_keys"].create({"key": str, "day": int, "article_id": int})
    db["story_keys"].create_index(["key", "day"])
    db["story_keys"].create_index(["article_id"])
    db["simhash_bands"].create({"band": int, "article_id": int})
    db["simhash_bands"].create_index(["band"])
    db["simhash_bands"].create_index(["article_id"])
    db["article_versions"].create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "title": str,
            "text": str,
            "content_hash": str,
            "flagged": int,
            "replaced_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["article_versions"].create_index(["article_id"])


@migrations()
def m005_sort_date(db: Database) -> None:
    """An indexed day to list articles by: publication day, else the day it was found."""
    db["articles"].add_column("sort_date", str)
    db.execute(
        "UPDATE articles SET sort_date ="
        " coalesce(substr(published, 1, 10), substr(first_seen, 1, 10))"
    )
    db["articles"].create_index(["sort_date"])
    db["articles"].create_index(["flagged", "sort_date"])


@migrations()
def m006_robots(db: Database) -> None:
    """robots.txt answers kept across runs, so an idle pass asks each site one thing only."""
    db["robots"].create({"origin": str, "status": int, "text": str, "fetched_at": str}, pk="origin")


@migrations()
def m007_fts_reindex_on_text_only(db: Database) -> None:
    """Re-index an article for search only when its title or text changes.

    sqlite-utils' update trigger fires on any column, so storing an article indexed its text
    three times (the insert, then the delete and insert of the update that sets its story),
    and every revision check re-indexed it twice more for a timestamp.
    """
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute(
        "CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN\n"
        "  INSERT INTO articles_fts (articles_fts, rowid, title, text)"
        " VALUES('delete', old.rowid, old.title, old.text);\n"
        "  INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);\n"
        "END"
    )


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


def message_id(story: str, channel: str, kind: str = "story") -> str:
    """A stable idempotency key: the same alert has the same id on every retry and restart."""
    return hashlib.sha256(f"{kind}\0{story}\0{channel}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SourceState:
    """What the database remembers of a source between passes."""

    name: str
    discovered_kind: str | None
    endpoint: str | None
    baseline_done: bool
    consecutive_failures: int
    #: Until when the daemon backs this failing source off (survives a restart).
    backoff_until: dt.datetime | None = None


@dataclass(frozen=True)
class NewArticle:
    """Everything stored for one article, gathered by the pass before one write."""

    url: str
    source: str
    article: Article
    flags: Flags
    content_hash: str
    simhash: int
    baseline: bool
    aliases: tuple[str, ...] = ()
    #: The story it joins; None starts a story of its own.
    story: str | None = None
    #: What story assignment indexes: JSON-able features and their keys, and the day.
    story_features: dict[str, Any] | None = None
    story_keys: tuple[str, ...] = ()
    story_day: int | None = None
    simhash_bands: tuple[int, ...] = ()


def _iso(value: Published) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


#: WAL frames (pages) between automatic checkpoints; SQLite's default is 1,000.
_CHECKPOINT_PAGES = 10_000


class Store:
    """The database of one `monitor` installation."""

    def __init__(self, db: Database, path: str = ":memory:") -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        #: The file, so another thread can open its own connection to it.
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = 30.0) -> Store:
        """Open (creating and migrating as needed) a database file, or ``:memory:``."""
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves; Python's implicit deferred
        # BEGIN would let two writers deadlock on the lock upgrade.
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
        store = cls(Database(conn), str(path))
        store.migrate()
        return store

    def migrate(self) -> None:
        with self.write():
            migrations.apply(self.db)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def write(self) -> Iterator[Database]:
        """One ``BEGIN IMMEDIATE`` transaction; nested calls become savepoints."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- sources ------------------------------------------------------------------------

    def ensure_source(self, name: str, url: str, kind: str, now: dt.datetime) -> None:
        """Register a configured source; a changed URL or kind restarts discovery."""
        known = self.conn.execute("SELECT url, kind FROM sources WHERE name = ?", [name]).fetchone()
        if known is not None and tuple(known) == (url, kind):
            return  # the common case: nothing to write, so no write lock
        with self.write():
            row = self.conn.execute(
                "SELECT url, kind FROM sources WHERE name = ?", [name]
            ).fetchone()
            if row is None:
                self.conn.execute(
                    "INSERT INTO sources (name, url, kind, created_at) VALUES (?, ?, ?, ?)",
                    [name, url, kind, now.isoformat()],
                )
            elif tuple(row) != (url, kind):
                self.conn.execute(
                    "UPDATE sources SET url = ?, kind = ?, discovered_kind = NULL, endpoint = NULL"
                    " WHERE name = ?",
                    [url, kind, name],
                )

    def source_state(self, name: str) -> SourceState:
        row = self.conn.execute(
            "SELECT discovered_kind, endpoint, baseline_done_at, consecutive_failures,"
            " backoff_until FROM sources WHERE name = ?",
            [name],
        ).fetchone()
        if row is None:
            return SourceState(name, None, None, False, 0)
        backoff = dt.datetime.fromisoformat(row[4]) if row[4] else None
        return SourceState(name, row[0], row[1], row[2] is not None, row[3] or 0, backoff)

    def record_discovery(self, name: str, kind: str, endpoint: str) -> None:
        """Remember how a source is best read, so later passes go straight to it."""
        with self.write():
            self.conn.execute(
                "UPDATE sources SET discovered_kind = ?, endpoint = ? WHERE name = ?",
                [kind, endpoint, name],
            )

    def forget_discovery(self, name: str) -> None:
        with self.write():
            self.conn.execute(
                "UPDATE sources SET discovered_kind = NULL, endpoint = NULL WHERE name = ?", [name]
            )

    def record_pass(
        self,
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
        with self.write():
            self.conn.execute(
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
                self.conn.execute(
                    "UPDATE sources SET baseline_done_at = coalesce(baseline_done_at, ?)"
                    " WHERE name = ?",
                    [finished.isoformat(), name],
                )
            if ok:
                self.conn.execute(
                    "UPDATE sources SET last_success = ?, consecutive_failures = 0,"
                    " backoff_until = NULL WHERE name = ?",
                    [finished.isoformat(), name],
                )
            else:
                self.conn.execute(
                    "UPDATE sources SET last_error = ?, last_error_at = ?,"
                    " consecutive_failures = consecutive_failures + 1 WHERE name = ?",
                    [error, finished.isoformat(), name],
                )

    def record_link_failure(
        self, url: str, source: str, error: str, baseline: bool, now: dt.datetime
    ) -> None:
        """An article that could not be read; it stays a baseline article if it was one."""
        with self.write():
            self.conn.execute(
                "INSERT INTO link_failures (url, source, first_failed_at, attempts, last_error,"
                " baseline) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " attempts = attempts + 1, last_error = excluded.last_error",
                [url, source, now.isoformat(), error, int(baseline)],
            )

    def failed_link(self, url: str) -> tuple[int, bool] | None:
        """(attempts, baseline) for a link that failed before, else None."""
        row = self.conn.execute(
            "SELECT attempts, baseline FROM link_failures WHERE url = ?", [url]
        ).fetchone()
        return (row[0], bool(row[1])) if row else None

    def sources(self) -> list[dict[str, Any]]:
        """Each known source with its health and article count."""
        rows = self.conn.execute(
            "SELECT s.name, s.url, s.kind, s.discovered_kind, s.endpoint, s.last_success,"
            " s.last_error, s.last_error_at, s.consecutive_failures,"
            " (SELECT count(*) FROM articles a WHERE a.source = s.name) AS articles"
            " FROM sources s ORDER BY s.name"
        )
        cols = [c[0] for c in rows.description]
        return [dict(zip(cols, row, strict=True)) for row in rows]

    # --- HTTP cache ---------------------------------------------------------------------

    def validators(self, url: str) -> Validators | None:
        row = self.conn.execute(
            "SELECT etag, last_modified FROM http_cache WHERE url = ?", [url]
        ).fetchone()
        return Validators(row[0], row[1]) if row else None

    def save_validators(self, url: str, validators: Validators, now: dt.datetime) -> None:
        """Store validators only after what the response led to is stored (no skipped content)."""
        if not (validators.etag or validators.last_modified):
            return
        with self.write():
            self.conn.execute(
                "INSERT INTO http_cache (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, updated_at = excluded.updated_at",
                [url, validators.etag, validators.last_modified, now.isoformat()],
            )

    # --- articles -----------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these canonical URLs already belong to a stored article."""
        found: set[str] = set()
        batch = list(dict.fromkeys(urls))
        for i in range(0, len(batch), 500):
            chunk = batch[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.conn.execute(f"SELECT url FROM urls WHERE url IN ({marks})", chunk)
            )
        return found

    def article_by_hash(self, content_hash: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1", [content_hash]
        ).fetchone()
        return row[0] if row else None

    def _insert_evidence(self, article_id: int, flags: Flags) -> None:
        self.conn.executemany(
            "INSERT INTO flags (article_id, kind, country, matched, snippet, start, end, rule)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (article_id, e.kind, e.country, e.matched, e.snippet, e.start, e.end, e.rule)
                for e in flags.evidence
            ],
        )

    def article_id(self, url: str) -> int | None:
        """The article any of whose URLs this is."""
        row = self.conn.execute("SELECT article_id FROM urls WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def add_aliases(self, article_id: int, urls: Iterable[str]) -> None:
        with self.write():
            self.conn.executemany(
                "INSERT OR IGNORE INTO urls (url, article_id, kind) VALUES (?, ?, 'alias')",
                [(u, article_id) for u in urls],
            )

    def save_article(self, new: NewArticle, now: dt.datetime, channels: Sequence[str] = ()) -> int:
        """Store an article, its URLs, its evidence and its alerts in one transaction.

        A flagged, non-baseline article queues one alert per channel for its story, unless the
        story already has one: the outbox's unique key makes "exactly once" a database fact.
        """
        art, flags = new.article, new.flags
        published = _iso(art.published)
        with self.write():
            # The id SQLite would give the row (the largest plus one: no AUTOINCREMENT), taken
            # under this transaction's write lock, first, so that the story named after it goes
            # into the same INSERT: an UPDATE after it rewrote the whole row, text included.
            (article_id,) = self.conn.execute(
                "SELECT coalesce(max(id), 0) + 1 FROM articles"
            ).fetchone()
            story = new.story or f"s{article_id}"
            self.conn.execute(
                "INSERT INTO articles (id, url, source, title, published, language, text,"
                " content_hash, simhash, first_seen, updated_at, baseline, agreement, countries,"
                " weak_countries, flagged, methods, alternates, story, story_features,"
                " last_checked, version, sort_date)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                [
                    article_id,
                    new.url,
                    new.source,
                    art.title,
                    published,
                    art.language,
                    art.text,
                    new.content_hash,
                    new.simhash,
                    now.isoformat(),
                    now.isoformat(),
                    int(new.baseline),
                    int(flags.agreement),
                    _json(list(flags.countries)),
                    _json(list(flags.weak_countries)),
                    int(flags.flagged),
                    _json(art.methods),
                    _json(art.alternates),
                    story,
                    _json(new.story_features) if new.story_features else None,
                    now.isoformat(),
                    (published or now.isoformat())[:10],
                ],
            )
            self.conn.executemany(
                "DELETE FROM link_failures WHERE url = ?", [(u,) for u in (new.url, *new.aliases)]
            )
            self.conn.executemany(
                "INSERT INTO story_keys (key, day, article_id) VALUES (?, ?, ?)",
                [(key, new.story_day, article_id) for key in new.story_keys],
            )
            self.conn.executemany(
                "INSERT INTO simhash_bands (band, article_id) VALUES (?, ?)",
                [(band, article_id) for band in new.simhash_bands],
            )
            if flags.flagged and not new.baseline:
                self.enqueue_alerts(story, channels, now)
            self.conn.execute(
                "INSERT INTO urls (url, article_id, kind) VALUES (?, ?, 'canonical')"
                " ON CONFLICT(url) DO UPDATE SET article_id = excluded.article_id,"
                " kind = 'canonical'",
                [new.url, article_id],
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO urls (url, article_id, kind) VALUES (?, ?, 'alias')",
                [(u, article_id) for u in new.aliases if u != new.url],
            )
            self._insert_evidence(article_id, flags)
        return article_id

    def article_body(self, article_id: int) -> str:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else ""

    def near_duplicates(self, bands: Sequence[int]) -> list[tuple[int, int, str, str]]:
        """(id, simhash, url, story) of articles sharing a SimHash band: near-copy candidates."""
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.conn.execute(
                "SELECT DISTINCT a.id, a.simhash, a.url, a.story FROM simhash_bands b"
                f" JOIN articles a ON a.id = b.article_id WHERE b.band IN ({marks})",
                list(bands),
            )
        ]

    def story_candidates(
        self, keys: Sequence[str], day: int, window: int, limit: int
    ) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, int]]:
        """Articles sharing an index key within ``window`` days, rarest keys first.

        Returns (story, features) for at most ``limit`` articles, and how many indexed articles
        carry each key in the window (common keys say less about which story it is).
        """
        if not keys:
            return [], {}
        low, high = day - window, day + window
        marks = ",".join("?" * len(keys))
        # counted in the (key, day) index alone; ids are read only for the rarest keys, which
        # usually fill the limit: a common key's postings run to thousands of rows at scale
        counts: dict[str, int] = dict(
            self.conn.execute(
                f"SELECT key, count(*) FROM story_keys WHERE key IN ({marks})"
                " AND day BETWEEN ? AND ? GROUP BY key",
                [*keys, low, high],
            ).fetchall()
        )
        chosen: dict[int, None] = {}
        for key in sorted(counts, key=lambda k: (counts[k], k)):
            for (article_id,) in self.conn.execute(
                "SELECT article_id FROM story_keys WHERE key = ? AND day BETWEEN ? AND ?"
                " ORDER BY day, rowid LIMIT ?",
                [key, low, high, limit],
            ):
                chosen.setdefault(article_id)
            if len(chosen) >= limit:
                break
        ids = list(chosen)[:limit]
        out: list[tuple[str, dict[str, Any]]] = []
        if ids:
            marks = ",".join("?" * len(ids))
            for story, features in self.conn.execute(
                f"SELECT story, story_features FROM articles WHERE id IN ({marks})"
                " AND story_features IS NOT NULL",
                ids,
            ):
                out.append((story, json.loads(features)))
        return out, counts

    def due_rechecks(
        self, source: str, now: dt.datetime, young: dt.timedelta, every: dt.timedelta, limit: int
    ) -> list[tuple[int, str]]:
        """(id, url) of the source's recent articles not checked for revisions lately."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT id, url FROM articles WHERE source = ? AND first_seen >= ?"
                " AND coalesce(last_checked, first_seen) <= ? ORDER BY first_seen DESC LIMIT ?",
                [source, (now - young).isoformat(), (now - every).isoformat(), limit],
            )
        ]

    def mark_checked(self, article_id: int, now: dt.datetime) -> None:
        with self.write():
            self.conn.execute(
                "UPDATE articles SET last_checked = ? WHERE id = ?", [now.isoformat(), article_id]
            )

    def article_for_revision(self, article_id: int) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT id, url, title, text, flagged, baseline, story, coalesce(version, 1)"
            " FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        keys = ("id", "url", "title", "text", "flagged", "baseline", "story", "version")
        return dict(zip(keys, row, strict=True))

    def save_revision(
        self,
        article_id: int,
        article: Article,
        flags: Flags,
        fingerprint: Fingerprint,
        now: dt.datetime,
        channels: Sequence[str],
    ) -> bool:
        """Keep the previous text as a version and store the new one; True if it now alerts.

        A revision is not news: it alerts only when it turns an unflagged, non-baseline article
        into a flagged one (and its story has no alert yet: the outbox key sees to that).
        """
        old = self.article_for_revision(article_id)
        with self.write():
            self.conn.execute(
                "INSERT INTO article_versions (article_id, version, title, text, content_hash,"
                " flagged, replaced_at) SELECT id, coalesce(version, 1), title, text,"
                " content_hash, flagged, ? FROM articles WHERE id = ?",
                [now.isoformat(), article_id],
            )
            self.conn.execute(
                "UPDATE articles SET title = ?, text = ?, content_hash = ?, simhash = ?,"
                " agreement = ?, countries = ?, weak_countries = ?, flagged = ?,"
                " updated_at = ?, last_checked = ?, version = coalesce(version, 1) + 1"
                " WHERE id = ?",
                [
                    article.title or old["title"],
                    article.text,
                    fingerprint.content_hash,
                    to_sqlite_int(fingerprint.simhash),
                    int(flags.agreement),
                    _json(list(flags.countries)),
                    _json(list(flags.weak_countries)),
                    int(flags.flagged),
                    now.isoformat(),
                    now.isoformat(),
                    article_id,
                ],
            )
            self.conn.execute("DELETE FROM flags WHERE article_id = ?", [article_id])
            # the near-copy index follows the text
            self.conn.execute("DELETE FROM simhash_bands WHERE article_id = ?", [article_id])
            self.conn.executemany(
                "INSERT INTO simhash_bands (band, article_id) VALUES (?, ?)",
                [(band, article_id) for band in fingerprint.bands],
            )
            self._insert_evidence(article_id, flags)
            alerts = flags.flagged and not old["flagged"] and not old["baseline"]
            if alerts:
                self.enqueue_alerts(old["story"], channels, now)
        return bool(alerts)

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT version, title, flagged, replaced_at FROM article_versions"
            " WHERE article_id = ? ORDER BY version",
            [article_id],
        )
        return [
            dict(zip(("version", "title", "flagged", "replaced_at"), r, strict=True)) for r in rows
        ]

    def stories(self, *, flagged: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
        """Each story with its articles, first seen, sources and languages, newest first."""
        sql = (
            "SELECT story, min(first_seen) AS first_seen, max(flagged) AS flagged,"
            " group_concat(DISTINCT source) AS sources, group_concat(DISTINCT language)"
            " AS languages, count(*) AS articles FROM articles GROUP BY story"
        )
        if flagged:
            sql += " HAVING max(flagged) = 1"
        sql += " ORDER BY min(first_seen) DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        out = []
        for row in self.conn.execute(sql):
            story = dict(
                zip(
                    ("story", "first_seen", "flagged", "sources", "languages", "article_count"),
                    row,
                    strict=True,
                )
            )
            story["flagged"] = bool(story["flagged"])
            story["sources"] = sorted((story["sources"] or "").split(","))
            story["languages"] = sorted(filter(None, (story["languages"] or "").split(",")))
            story["articles"] = self.story_articles(story["story"])
            out.append(story)
        return out

    def articles(
        self,
        *,
        flagged: bool = False,
        sources: Sequence[str] = (),
        since: dt.date | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Stored articles, newest first, as plain dicts ready for JSON."""
        where, params = ["1"], []
        if flagged:
            where.append("a.flagged = 1")
        if sources:
            where.append(f"a.source IN ({','.join('?' * len(sources))})")
            params.extend(sources)
        if since:
            where.append("a.sort_date >= ?")
            params.append(since.isoformat())
        sql = f"WHERE {' AND '.join(where)} ORDER BY a.sort_date DESC, a.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self._article_rows(sql, params)

    def _article_rows(self, tail: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        """Articles as plain dicts ready for JSON (flags decoded, aliases and evidence added)."""
        rows = self.conn.execute(
            "SELECT a.id, a.url, a.source, a.title, a.published, a.language, a.agreement,"
            " a.countries, a.weak_countries, a.flagged, a.baseline, a.first_seen, a.methods,"
            " a.story, length(a.text) AS text_length,"
            " (SELECT json_group_array(u.url) FROM urls u WHERE u.article_id = a.id"
            f" AND u.kind = 'alias') AS aliases FROM articles a {tail}",
            list(params),
        )
        cols = [c[0] for c in rows.description]
        out = [dict(zip(cols, r, strict=True)) for r in rows]
        evidence = self._evidence([a["id"] for a in out])
        for a in out:
            a["agreement"] = bool(a["agreement"])
            a["flagged"] = bool(a["flagged"])
            a["baseline"] = bool(a["baseline"])
            a["countries"] = json.loads(a["countries"] or "[]")
            a["weak_countries"] = json.loads(a["weak_countries"] or "[]")
            a["methods"] = json.loads(a["methods"] or "{}")
            a["aliases"] = sorted(json.loads(a["aliases"] or "[]"))
            a["evidence"] = evidence.get(a["id"], [])
        return out

    def article_text(self, url: str) -> dict[str, Any] | None:
        """One stored article with its text, looked up by any of its URLs."""
        row = self.conn.execute(
            "SELECT a.id, a.url, a.title, a.text, a.language FROM urls u"
            " JOIN articles a ON a.id = u.article_id WHERE u.url = ?",
            [url],
        ).fetchone()
        if row is None:
            return None
        return dict(zip(("id", "url", "title", "text", "language"), row, strict=True))

    def _evidence(self, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                "SELECT article_id, kind, country, matched, snippet, rule FROM flags"
                f" WHERE article_id IN ({marks}) ORDER BY article_id, start",
                chunk,
            ):
                out.setdefault(row[0], []).append(
                    {
                        "kind": row[1],
                        "country": row[2],
                        "matched": row[3],
                        "snippet": row[4],
                        "rule": row[5],
                    }
                )
        return out

    def search(
        self,
        query: str,
        *,
        flagged: bool = False,
        limit: int = 20,
        mark: tuple[str, str] = ("[", "]"),
    ) -> list[dict[str, Any]]:
        """Full-text search over titles and texts in any stored language, best match first.

        Each word of ``query`` must appear (a trailing ``*`` matches any ending: ``меморандум*``);
        words are quoted for FTS5, so user punctuation is never query syntax. Results are ranked
        by BM25 among the newest ``SEARCH_DEPTH`` matching articles.
        """
        terms = [t for t in re.findall(r"[\w*]+", query) if t.strip("*")]
        if not terms:
            return []
        match = " ".join(f'"{t.rstrip("*")}"' + ("*" if t.endswith("*") else "") for t in terms)
        # A common word matches tens of thousands of articles, and ranking them all costs more
        # than an analyst waits: rank among the newest SEARCH_DEPTH matches (found in rowid order).
        cutoff = self.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [match, SEARCH_DEPTH],
        ).fetchone()
        sql = (
            "SELECT a.id, a.url, a.source, a.title, a.published, a.language, a.flagged, a.story,"
            " snippet(articles_fts, 1, ?, ?, '…', 16) AS snippet, bm25(articles_fts) AS rank"
            " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            " WHERE articles_fts MATCH ? AND articles_fts.rowid >= ?"
        )
        if flagged:
            sql += " AND a.flagged = 1"
        sql += " ORDER BY rank LIMIT ?"
        rows = self.conn.execute(sql, [mark[0], mark[1], match, cutoff[0] if cutoff else 0, limit])
        cols = [c[0] for c in rows.description]
        out = [dict(zip(cols, r, strict=True)) for r in rows]
        for row in out:
            row["flagged"] = bool(row["flagged"])
        return out

    def counts(self) -> dict[str, int]:
        row = self.conn.execute(
            "SELECT count(*), coalesce(sum(flagged), 0) FROM articles"
        ).fetchone()
        return {"articles": row[0], "flagged": row[1]}

    # --- outbox -------------------------------------------------------------------------

    def enqueue_alerts(
        self,
        story: str,
        channels: Sequence[str],
        now: dt.datetime,
        *,
        kind: str = "story",
        payload: dict[str, Any] | None = None,
    ) -> int:
        """Queue one alert per channel; a story already queued for a channel is left alone."""
        with self.write():
            before = self.conn.total_changes
            self.conn.executemany(
                "INSERT OR IGNORE INTO outbox (story, channel, kind, state, attempts,"
                " next_attempt_at, created_at, message_id, payload)"
                " VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?)",
                [
                    (
                        story,
                        ch,
                        kind,
                        now.isoformat(),
                        now.isoformat(),
                        message_id(story, ch, kind),
                        _json(payload) if payload else None,
                    )
                    for ch in channels
                ],
            )
            return self.conn.total_changes - before

    def due_alerts(self, now: dt.datetime, channels: Sequence[str] = ()) -> list[OutboxItem]:
        """Pending alerts whose time has come, oldest first."""
        sql = (
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?"
        )
        params: list[Any] = [now.isoformat()]
        if channels:
            sql += f" AND channel IN ({','.join('?' * len(channels))})"
            params.extend(channels)
        return [_outbox_item(r) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def claim_alerts(
        self, now: dt.datetime, channels: Sequence[str], lease: dt.timedelta
    ) -> list[OutboxItem]:
        """Take the due alerts of these channels for one delivery run.

        Claiming moves their next attempt ``lease`` ahead in the same ``BEGIN IMMEDIATE``
        transaction, so a second delivery run at the same moment (the daemon and a CLI command)
        does not send them too; a run that dies mid-way only delays them by the lease.
        """
        if not channels:
            return []
        with self.write():
            items = self.due_alerts(now, channels)
            self.conn.executemany(
                "UPDATE outbox SET next_attempt_at = ? WHERE id = ?",
                [((now + lease).isoformat(), item.id) for item in items],
            )
        return items

    def alerts(self, state: str | None = None) -> list[OutboxItem]:
        sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox"
        rows = (
            self.conn.execute(sql + " WHERE state = ? ORDER BY id", [state])
            if state
            else self.conn.execute(sql + " ORDER BY id")
        )
        return [_outbox_item(r) for r in rows]

    def alert(self, alert_id: int) -> OutboxItem | None:
        row = self.conn.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", [alert_id]
        ).fetchone()
        return _outbox_item(row) if row else None

    def mark_sent(self, alert_id: int, now: dt.datetime) -> None:
        with self.write():
            self.conn.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
                " last_error = NULL WHERE id = ?",
                [now.isoformat(), alert_id],
            )

    def mark_failed(
        self, alert_id: int, error: str, now: dt.datetime, retry_at: dt.datetime | None
    ) -> None:
        """Count a failed try; with no ``retry_at`` the alert is dead (shown by ``status``)."""
        with self.write():
            self.conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                " state = CASE WHEN ? IS NULL THEN 'dead' ELSE 'pending' END,"
                " next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?",
                [
                    error,
                    retry_at and retry_at.isoformat(),
                    retry_at and retry_at.isoformat(),
                    alert_id,
                ],
            )

    def retry_alert(self, alert_id: int, now: dt.datetime) -> bool:
        """Make a dead or pending alert due now (``monitor alerts retry ID``)."""
        with self.write():
            cur = self.conn.execute(
                "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE id = ?"
                " AND state != 'sent'",
                [now.isoformat(), alert_id],
            )
            return cur.rowcount > 0

    def disable_channel(self, channel: str, reason: str, now: dt.datetime) -> None:
        """A webhook answered 410 Gone: stop sending to it until the user re-enables it."""
        with self.write():
            self.conn.execute(
                "INSERT INTO channel_state (channel, disabled_at, reason) VALUES (?, ?, ?)"
                " ON CONFLICT(channel) DO UPDATE SET disabled_at = excluded.disabled_at,"
                " reason = excluded.reason",
                [channel, now.isoformat(), reason],
            )

    def enable_channel(self, channel: str) -> None:
        with self.write():
            self.conn.execute("DELETE FROM channel_state WHERE channel = ?", [channel])

    def disabled_channels(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT channel, reason FROM channel_state"))

    def story_articles(self, story: str) -> list[dict[str, Any]]:
        """Every article of a story with its flags, evidence and URLs, oldest first."""
        return self._article_rows("WHERE a.story = ? ORDER BY a.first_seen, a.id", [story])

    # --- health -------------------------------------------------------------------------

    def source_stats(self, name: str, *, recent: int = 20) -> dict[str, Any]:
        """The numbers health is judged on: failures, recent yields, publication rhythm."""
        row = self.conn.execute(
            "SELECT consecutive_failures, last_success, last_error FROM sources WHERE name = ?",
            [name],
        ).fetchone()
        failures, last_success, last_error = row if row else (0, None, None)
        links = [
            r[0]
            for r in self.conn.execute(
                "SELECT links FROM fetches WHERE source = ? AND ok = 1 AND links IS NOT NULL"
                " ORDER BY id DESC LIMIT ?",
                [name, recent],
            )
        ]
        ever = self.conn.execute(
            "SELECT 1 FROM fetches WHERE source = ? AND links > 0 LIMIT 1", [name]
        ).fetchone()
        seen = [
            dt.datetime.fromisoformat(r[0])
            for r in self.conn.execute(
                "SELECT first_seen FROM articles WHERE source = ? AND baseline = 0"
                " ORDER BY first_seen DESC LIMIT ?",
                [name, recent],
            )
        ]
        dated = self.conn.execute(
            "SELECT count(*), count(published), avg(length(text) > 0) FROM articles"
            " WHERE source = ?",
            [name],
        ).fetchone()
        per_pass = self.conn.execute(
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

    def open_episodes(self, name: str) -> dict[str, tuple[int, str]]:
        """Health problems still going on for a source: event -> (id, started_at)."""
        return {
            r[0]: (r[1], r[2])
            for r in self.conn.execute(
                "SELECT event, id, started_at FROM health_episodes"
                " WHERE source = ? AND ended_at IS NULL",
                [name],
            )
        }

    def all_open_episodes(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT source, event, started_at, detail FROM health_episodes"
            " WHERE ended_at IS NULL ORDER BY started_at"
        )
        return [
            dict(zip(("source", "event", "started_at", "detail"), r, strict=True)) for r in rows
        ]

    def start_episode(
        self,
        name: str,
        event: str,
        detail: str,
        now: dt.datetime,
        channels: Sequence[str],
        payload: dict[str, Any],
    ) -> None:
        """Open a health episode and queue its one operator message, atomically."""
        with self.write():
            self.conn.execute(
                "INSERT INTO health_episodes (source, event, started_at, detail)"
                " VALUES (?, ?, ?, ?)",
                [name, event, now.isoformat(), detail],
            )
            key = f"health:{name}:{event}:{now.isoformat()}"
            self.enqueue_alerts(key, channels, now, kind="health", payload=payload)

    def end_episode(
        self,
        episode_id: int,
        now: dt.datetime,
        channels: Sequence[str],
        payload: dict[str, Any],
    ) -> None:
        """Close a health episode and queue its one recovery message, atomically."""
        with self.write():
            row = self.conn.execute(
                "SELECT source, event, started_at FROM health_episodes WHERE id = ?", [episode_id]
            ).fetchone()
            self.conn.execute(
                "UPDATE health_episodes SET ended_at = ? WHERE id = ?",
                [now.isoformat(), episode_id],
            )
            key = f"health:{row[0]}:{row[1]}:{row[2]}:recovered"
            self.enqueue_alerts(key, channels, now, kind="health", payload=payload)

    def set_schedule(
        self, name: str, next_run_at: dt.datetime | None, backoff_until: dt.datetime | None
    ) -> None:
        """What the daemon plans for a source, for ``monitor status``."""
        with self.write():
            self.conn.execute(
                "UPDATE sources SET next_run_at = ?, backoff_until = ? WHERE name = ?",
                [
                    next_run_at and next_run_at.isoformat(),
                    backoff_until and backoff_until.isoformat(),
                    name,
                ],
            )

    def heartbeat(self, pid: int, started_at: dt.datetime, now: dt.datetime, config: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO daemon (id, pid, started_at, heartbeat_at, config)"
                " VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET pid = excluded.pid,"
                " started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,"
                " config = excluded.config",
                [pid, started_at.isoformat(), now.isoformat(), config],
            )

    def daemon_info(self) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT pid, started_at, heartbeat_at, config FROM daemon WHERE id = 1"
        ).fetchone()
        return (
            dict(zip(("pid", "started_at", "heartbeat_at", "config"), row, strict=True))
            if row
            else None
        )

    def alert_counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"))

    # --- robots.txt ---------------------------------------------------------------------

    def robots(self, origin: str, fresh_after: dt.datetime) -> tuple[int, str] | None:
        """A robots.txt answer fetched after ``fresh_after``, else None."""
        row = self.conn.execute(
            "SELECT status, text FROM robots WHERE origin = ? AND fetched_at > ?",
            [origin, fresh_after.isoformat()],
        ).fetchone()
        return (row[0], row[1] or "") if row else None

    def save_robots(self, origin: str, status: int, text: str, now: dt.datetime) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO robots (origin, status, text, fetched_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(origin) DO UPDATE SET status = excluded.status,"
                " text = excluded.text, fetched_at = excluded.fetched_at",
                [origin, status, text, now.isoformat()],
            )
