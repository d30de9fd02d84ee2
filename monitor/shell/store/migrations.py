"""The schema, and every change to it since the first release, applied in order on open.

The schema changes only here, through sqlite-utils' ``Migrations``: each step runs once per
database, inside the write lock, and a database of any age is brought to today's shape.
"""

from __future__ import annotations

import uuid

from monitor.shell.store.db import Database, Migrations, table, transaction

migrations = Migrations("monitor")


def migrate(db: Database) -> None:
    """Bring the database to the current schema (a no-op when it is current).

    Whether anything is pending is read first, outside a transaction: opening a current
    database takes no write lock (a reader, a metrics scrape, waited for the daemon's
    writes before); the transaction checks again, for two processes opening a new file.
    """
    if not migrations.pending(db):
        return
    with transaction(db):
        migrations.apply(db)


@migrations()
def m001_initial(db: Database) -> None:
    """Sources, the fetch log, articles with their URLs and flags, and the HTTP cache."""
    table(db, "sources").create(
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
    table(db, "fetches").create(
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
    table(db, "fetches").create_index(["source", "started_at"])
    table(db, "articles").create(
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
    table(db, "articles").create_index(["url"], unique=True)
    table(db, "articles").create_index(["content_hash"])
    table(db, "articles").create_index(["source", "first_seen"])
    table(db, "articles").create_index(["flagged", "first_seen"])
    table(db, "urls").create(
        {"url": str, "article_id": int, "kind": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    table(db, "urls").create_index(["article_id"])
    table(db, "flags").create(
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
    table(db, "flags").create_index(["article_id"])
    table(db, "flags").create_index(["kind", "country"])
    table(db, "http_cache").create(
        {"url": str, "etag": str, "last_modified": str, "updated_at": str}, pk="url"
    )
    table(db, "articles").enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")


@migrations()
def m002_stories_and_outbox(db: Database) -> None:
    """Stories group articles; the outbox holds one alert per story and channel, ever."""
    table(db, "articles").add_column("story", str)
    db.execute("UPDATE articles SET story = 's' || id WHERE story IS NULL")
    table(db, "articles").create_index(["story"])
    table(db, "outbox").create(
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
    table(db, "outbox").create_index(["story", "channel", "kind"], unique=True)
    table(db, "outbox").create_index(["state", "next_attempt_at"])
    table(db, "channel_state").create(
        {"channel": str, "disabled_at": str, "reason": str}, pk="channel"
    )


@migrations()
def m003_health(db: Database) -> None:
    """What the daemon needs to tell a healthy source from a broken or silent one."""
    table(db, "fetches").add_column("links", int)
    table(db, "sources").add_column("next_run_at", str)
    table(db, "sources").add_column("backoff_until", str)
    table(db, "link_failures").create(
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
    table(db, "health_episodes").create(
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
    table(db, "health_episodes").create_index(["source", "event", "ended_at"])
    table(db, "daemon").create(
        {"id": int, "pid": int, "started_at": str, "heartbeat_at": str, "config": str}, pk="id"
    )


@migrations()
def m004_story_index_and_revisions(db: Database) -> None:
    """Indexes that keep story assignment and near-duplicate checks off full scans."""
    table(db, "articles").add_column("story_features", str)
    table(db, "articles").add_column("last_checked", str)
    table(db, "articles").add_column("version", int)
    table(db, "story_keys").create({"key": str, "day": int, "article_id": int})
    table(db, "story_keys").create_index(["key", "day"])
    table(db, "story_keys").create_index(["article_id"])
    table(db, "simhash_bands").create({"band": int, "article_id": int})
    table(db, "simhash_bands").create_index(["band"])
    table(db, "simhash_bands").create_index(["article_id"])
    table(db, "article_versions").create(
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
    table(db, "article_versions").create_index(["article_id"])


@migrations()
def m005_sort_date(db: Database) -> None:
    """An indexed day to list articles by: publication day, else the day it was found."""
    table(db, "articles").add_column("sort_date", str)
    db.execute(
        "UPDATE articles SET sort_date ="
        " coalesce(substr(published, 1, 10), substr(first_seen, 1, 10))"
    )
    table(db, "articles").create_index(["sort_date"])
    table(db, "articles").create_index(["flagged", "sort_date"])


@migrations()
def m006_robots(db: Database) -> None:
    """robots.txt answers kept across runs, so an idle pass asks each site one thing only."""
    table(db, "robots").create(
        {"origin": str, "status": int, "text": str, "fetched_at": str}, pk="origin"
    )


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


@migrations()
def m008_pending_links(db: Database) -> None:
    """Links a pass found but left for later (``max_articles``), offered again until stored.

    A listing's later pages are read on the first pass only, so a link left for later would
    otherwise never be seen again; and one left from the baseline must stay baseline.
    """
    table(db, "pending_links").create(
        {
            "url": str,
            "source": str,
            "title": str,
            "published": str,
            "language": str,
            "baseline": int,
            "listed_at": str,
        },
        pk="url",
        not_null={"source", "listed_at"},
        defaults={"baseline": 0},
    )
    table(db, "pending_links").create_index(["source"])


@migrations()
def m009_installation_and_claim_holders(db: Database) -> None:
    """An id of this installation, made once; the holder of each claimed alert.

    The id makes every webhook id, Message-ID and Atom id unique across installations (story
    ``s3`` of two databases is two pieces of news); it lives in the file, so a restore from
    backup keeps it. ``claimed_by`` names the delivery run holding an alert (``monitor.shell.
    holder``), so that a restarted daemon takes over a dead run's claims at once.
    """
    table(db, "meta").create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.execute("INSERT INTO meta (key, value) VALUES ('installation', ?)", [uuid.uuid4().hex])
    table(db, "outbox").add_column("claimed_by", str)


@migrations()
def m010_daemon_stop(db: Database) -> None:
    """When the daemon last stopped cleanly: ``monitor status`` tells a stopped daemon from a
    running one without waiting for its heartbeat to go stale."""
    table(db, "daemon").add_column("stopped_at", str)


@migrations()
def m011_article_snippets(db: Database) -> None:
    """A view to browse (in Datasette or any SQLite client): every article with a snippet of
    its text in place of the body, which makes a table of thousands of rows unreadable."""
    db.execute(
        "CREATE VIEW IF NOT EXISTS article_snippets AS SELECT id, url, source, title, published,"
        " language, flagged, agreement, countries, story, first_seen,"
        " substr(replace(replace(text, char(10), ' '), char(13), ' '), 1, 300) AS snippet"
        " FROM articles"
    )
