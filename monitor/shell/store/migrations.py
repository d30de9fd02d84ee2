"""The schema, and every change to it since the first release, applied in order on open.

The schema changes only here, through sqlite-utils' ``Migrations``: each step runs once per
database, inside the write lock, and a database of any age is brought to today's shape.
"""

from __future__ import annotations

from monitor.shell.store.db import Database, Migrations, transaction

migrations = Migrations("monitor")


def migrate(db: Database) -> None:
    """Bring the database to the current schema (a no-op when it is current)."""
    with transaction(db):
        migrations.apply(db)


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
