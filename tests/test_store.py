"""Storage: migrations, one article once, flags with evidence, concurrent writers."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from monitor.core import identity
from monitor.core.identity import fingerprint
from monitor.core.models import Article, Evidence, Flags, Validators
from monitor.core.policy import OutboxRow
from monitor.shell.store import Conflict, articles, open_db, outbox, queries, sources, transaction
from monitor.shell.store.articles import NewArticle

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def new(url: str, text: str = "Body text.", flagged: bool = False) -> NewArticle:
    ev = (Evidence("country", "Malaysia", "… Malaysia …", 10, 18, country="MY", rule="name"),)
    return NewArticle(
        url=url,
        source="kisi-en",
        article=Article(url, "A title", dt.date(2026, 11, 27), text, "en"),
        flags=Flags(False, ("MY",) if flagged else (), (), flagged, ev if flagged else ()),
        content_hash="h-" + text,
        simhash=-5,
        baseline=False,
        aliases=(url + "?p=1",),
    )


def test_migrations_are_idempotent_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_db(path).close()
    store = open_db(path)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = set(store.table_names())
    assert {"sources", "fetches", "articles", "urls", "flags", "http_cache"} <= tables
    assert "articles_fts" in tables


def test_article_once_with_aliases_and_evidence(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    aid, _ = articles.save_article(store, new("https://kisi.kz/en/a", flagged=True), NOW)
    assert articles.fetch_known_urls(
        store, ["https://kisi.kz/en/a", "https://kisi.kz/en/a?p=1", "x"]
    ) == {
        "https://kisi.kz/en/a",
        "https://kisi.kz/en/a?p=1",
    }
    with pytest.raises(Conflict):  # the store's own error: no caller needs sqlite3
        articles.save_article(store, new("https://kisi.kz/en/a"), NOW)
    assert queries.fetch_counts(store) == {"articles": 1, "flagged": 1}
    (row,) = queries.fetch_articles(store, flagged=True)
    assert row["id"] == aid and row["countries"] == ["MY"] and row["published"] == "2026-11-27"
    assert row["evidence"][0]["matched"] == "Malaysia"
    doc = Article("https://x.org/copy", "A title", None, "Body text.", "en")
    fp = replace(fingerprint(doc, doc.url, "x", NOW.date()), content_hash="h-Body text.")
    seen = articles.fetch_seen(store, ["https://kisi.kz/en/a?p=1"], fp)
    assert seen.identical == aid and seen.known == {"https://kisi.kz/en/a?p=1": aid}


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    with pytest.raises(RuntimeError), transaction(store):
        store.conn.execute("INSERT INTO http_cache (url) VALUES ('u')")
        raise RuntimeError("crash between statements")
    assert store.conn.execute("SELECT count(*) FROM http_cache").fetchone()[0] == 0


def test_validators_round_trip(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    assert sources.fetch_validators(store, "u") is None
    sources.save_validators(store, "u", Validators('"abc"', "Sat, 28 Nov 2026 09:00:00 GMT"), NOW)
    assert sources.fetch_validators(store, "u") == Validators(
        '"abc"', "Sat, 28 Nov 2026 09:00:00 GMT"
    )


def test_two_writers_at_once(tmp_path: Path) -> None:
    """The daemon and a CLI command write the same file: neither loses a row."""
    path = tmp_path / "m.db"
    open_db(path).close()
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        store = open_db(path)
        try:
            for i in range(40):
                articles.save_article(
                    store, new(f"https://x.org/{prefix}/{i}", text=f"{prefix}{i}"), NOW
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert queries.fetch_counts(open_db(path))["articles"] == 80


def test_pass_log_and_baseline(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    sources.save_source(store, "kisi-en", "https://kisi.kz/en/", "auto", NOW)
    assert not sources.fetch_state(store, "kisi-en").baseline_done
    sources.save_pass(
        store,
        "kisi-en",
        started=NOW,
        finished=NOW,
        kind=None,
        links=0,
        new=0,
        seen=0,
        failed=0,
        error="HTTP 503",
    )
    state = sources.fetch_state(store, "kisi-en")
    assert not state.baseline_done and state.consecutive_failures == 1
    sources.save_pass(
        store,
        "kisi-en",
        started=NOW,
        finished=NOW,
        kind="html",
        links=3,
        new=3,
        seen=0,
        failed=0,
        error=None,
    )
    assert sources.fetch_state(store, "kisi-en").baseline_done
    (src,) = sources.fetch_sources(store)
    assert src["consecutive_failures"] == 0 and src["last_error"] == "HTTP 503"


def test_a_claimed_alert_is_not_claimed_twice(tmp_path: Path) -> None:
    """Two delivery runs at once (daemon and CLI) never both take the same alert."""
    path = tmp_path / "m.db"
    first, second = open_db(path), open_db(path)
    outbox.save_alerts(first, [OutboxRow("s1", "email"), OutboxRow("s1", "hook")], NOW)
    lease = dt.timedelta(minutes=10)
    taken = outbox.claim_due(first, NOW, ["email", "hook"], lease)
    assert {a.channel for a in taken} == {"email", "hook"}
    assert outbox.claim_due(second, NOW, ["email", "hook"], lease) == []
    assert len(outbox.claim_due(second, NOW + lease, ["email"], lease)) == 1
    assert outbox.save_alerts(first, [OutboxRow("s1", "email")], NOW) == 0, (
        "one row per story and channel, ever"
    )


def test_search_follows_revisions_and_not_bookkeeping(tmp_path: Path) -> None:
    """Search finds an article by its current text only, through checks and revisions."""
    from monitor.core.identity import fingerprint

    store = open_db(tmp_path / "m.db")
    url = "https://kisi.kz/en/a"
    aid, _ = articles.save_article(store, new(url, text="A memorandum was signed in Astana."), NOW)
    articles.save_checked(store, aid, NOW)  # a revision check that found nothing new
    assert [r["id"] for r in queries.search(store, "Astana")] == [aid]
    revised = Article(url, "A title", dt.date(2026, 11, 27), "It was signed in Almaty.", "en")
    fp = fingerprint(revised, url, "kisi-en", NOW.date())
    articles.save_revision(store, aid, revised, Flags(False, (), (), False, ()), fp, NOW)
    assert queries.search(store, "Astana") == []
    assert [r["id"] for r in queries.search(store, "Almaty")] == [aid]
    assert [r["id"] for r in queries.search(store, "title")] == [aid]  # once, not once per update


def test_a_database_from_before_m007_upgrades(tmp_path: Path) -> None:
    """A database whose search trigger re-indexed on every update keeps its index on upgrade."""
    path = tmp_path / "m.db"
    store = open_db(path)
    aid, _ = articles.save_article(
        store, new("https://kisi.kz/en/a", text="Signed in Astana."), NOW
    )
    with transaction(store) as db:  # put back what sqlite-utils' enable_fts made, and forget m007
        db.execute("DROP TRIGGER articles_au")
        db.execute(
            "CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN\n"
            "  INSERT INTO articles_fts (articles_fts, rowid, title, text)"
            " VALUES('delete', old.rowid, old.title, old.text);\n"
            "  INSERT INTO articles_fts (rowid, title, text)"
            " VALUES (new.rowid, new.title, new.text);\nEND"
        )
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_fts_reindex_on_text_only'")
    store.close()
    store = open_db(path)
    (sql,) = store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_au'"
    ).fetchone()
    assert "UPDATE OF title, text" in sql
    articles.save_checked(store, aid, NOW)
    assert [r["id"] for r in queries.search(store, "Astana")] == [aid]


def test_story_candidates_share_a_key_within_the_date_window(tmp_path: Path) -> None:
    """The candidates of a new article: stored ones that share a key and are near its date."""
    from factories import place_story

    from monitor.core.stories import StoryDoc

    def doc(n: int, day: dt.date | None, title: str = "Almazbek Tursunov") -> StoryDoc:
        return StoryDoc(n, f"https://nisi.gov.kg/en/{n}/", "nisi", "en", title, "", day)

    store = open_db(tmp_path / "m.db")
    for n, day in [(1, dt.date(2024, 11, 10)), (2, dt.date(2024, 12, 20))]:
        place_story(store, doc(n, day))
    place_story(store, doc(4, dt.date(2024, 11, 12), "Unrelated"))
    new = identity.fingerprint(
        Article("https://x/5", "Almazbek Tursunov", dt.date(2024, 11, 14), "", "en"),
        "https://x/5",
        "x",
        NOW.date(),
    )
    found, counts = articles.fetch_story_candidates(store, new.keys, new.features.day or 0, 14, 10)
    assert [f["url"] for _, f in found] == ["https://nisi.gov.kg/en/1"]
    assert counts and max(counts.values()) == 1
    assert (
        len(articles.fetch_story_candidates(store, new.keys, new.features.day or 0, 60, 1)[0]) == 1
    )


def test_opening_a_current_database_waits_for_no_writer(tmp_path: Path) -> None:
    """A reader (a CLI command, a metrics scrape) opening the file while the daemon holds the
    write lock: nothing to migrate, so nothing to wait for."""
    open_db(tmp_path / "m.db").close()  # created and migrated
    writer = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        reader = open_db(tmp_path / "m.db", busy_timeout=0.2)
        assert reader.conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
