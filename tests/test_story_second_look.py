"""A second look, before delivery, at the articles a pass left alone in their story.

A pass places articles as they arrive: the first report of an event it reads starts a story,
and the reports read after it may gather in another that matches it better, as a whole, than
any one of them did when it was alone. Then the one event alerts twice. Before delivery, a
lone new article whose alert waits is placed again; it joins the story it matches, and its
alert becomes that story's, or none when that story has one already or was baseline news.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from factories import story_article
from test_stories import labelled

from monitor.core.models import Flags
from monitor.core.stories import StoryDoc
from monitor.poll import save_new_article, settle_stories
from monitor.shell.store import Database, open_db

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
CHANNELS = ["mail", "hook"]
FLAGGED = Flags(True, ("MY",), (), True, ())
UNFLAGGED = Flags(False, (), (), False, ())


def store(
    db: Database,
    doc: StoryDoc,
    *,
    alone: bool = False,
    flags: Flags = FLAGGED,
    baseline: bool = False,
) -> str:
    """Store a document as a pass does, alerts queued (or alone in a new story); its story."""
    new = story_article(db, doc, flags=flags, baseline=baseline, alone=alone)
    return save_new_article(db, new, NOW, CHANNELS)[1]


def one_event() -> list[StoryDoc]:
    """Four reports of one memorandum in four languages on two sites, without their links."""
    docs = [d for d, _ in labelled("kaziss-isis-mou-2024-05", keep_alternates=False)]
    assert len(docs) >= 3
    return docs


def outbox(db: Database) -> list[tuple[str, str, str]]:
    return db.conn.execute("SELECT story, channel, state FROM outbox ORDER BY id").fetchall()


def test_a_lone_report_joins_its_event_and_the_event_alerts_once(tmp_path: Path) -> None:
    db = open_db(tmp_path / "m.db")
    first, *others = one_event()
    rest = {store(db, d) for d in others}
    lone = store(db, first, alone=True)  # as a pass can leave it: two alerts waiting
    assert len(rest) == 1 and lone not in rest
    (story,) = rest
    assert {s for s, _, _ in outbox(db)} == {lone, story}
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 1
    stories = {s for (s,) in db.conn.execute("SELECT story FROM articles")}
    assert stories == {story}
    assert sorted(outbox(db)) == sorted((story, ch, "pending") for ch in CHANNELS)


def test_its_alert_becomes_the_storys_when_the_story_had_none(tmp_path: Path) -> None:
    db = open_db(tmp_path / "m.db")
    first, *others = one_event()
    story = {store(db, d, flags=UNFLAGGED) for d in others}.pop()
    lone = store(db, first, alone=True)
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 1
    assert sorted(outbox(db)) == sorted((story, ch, "pending") for ch in CHANNELS)
    assert lone != story


def test_it_stays_silent_when_it_joins_news_of_the_baseline(tmp_path: Path) -> None:
    db = open_db(tmp_path / "m.db")
    first, *others = one_event()
    for d in others:
        store(db, d, flags=UNFLAGGED, baseline=True)
    store(db, first, alone=True)
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 1
    assert outbox(db) == []


def test_an_alert_being_sent_or_sent_keeps_its_story(tmp_path: Path) -> None:
    db = open_db(tmp_path / "m.db")
    first, *others = one_event()
    for d in others:
        store(db, d)
    lone = store(db, first, alone=True)
    db.conn.execute("UPDATE outbox SET claimed_by = 'another run' WHERE story = ?", [lone])
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 0
    db.conn.execute("UPDATE outbox SET claimed_by = NULL, state = 'sent' WHERE story = ?", [lone])
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 0
    assert lone in {s for (s,) in db.conn.execute("SELECT story FROM articles")}


def test_a_lone_report_of_other_news_stays_alone(tmp_path: Path) -> None:
    db = open_db(tmp_path / "m.db")
    first, *others = one_event()
    (other, _), *_ = labelled("kz-sg-roundtable-2025-04", keep_alternates=False)
    for d in others:
        store(db, d)
    lone = store(db, dataclasses.replace(other, published=first.published), alone=True)
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 0
    assert {s for s, _, _ in outbox(db)} >= {lone}


def _split(db: Database) -> tuple[str, str]:
    """The event's reports in one story, its first report alone in another: (lone, story)."""
    first, *others = one_event()
    (story,) = {store(db, d) for d in others}
    return store(db, first, alone=True), story


def test_the_moved_alert_carries_the_id_of_the_story_it_joined(tmp_path: Path) -> None:
    from monitor.core.policy import installed_id, message_id
    from monitor.shell.store.db import installation_id

    db = open_db(tmp_path / "m.db")
    first, *others = one_event()
    story = {store(db, d, flags=UNFLAGGED) for d in others}.pop()
    store(db, first, alone=True)
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 1
    ids = {ch: mid for ch, mid in db.conn.execute("SELECT channel, message_id FROM outbox")}
    installation = installation_id(db)
    assert ids == {ch: installed_id(installation, message_id(story, ch)) for ch in CHANNELS}


def test_an_alert_already_tried_keeps_its_story_and_its_id(tmp_path: Path) -> None:
    """A send that timed out may have arrived: the retry must carry the same id."""
    db = open_db(tmp_path / "m.db")
    lone, _ = _split(db)
    db.conn.execute("UPDATE outbox SET attempts = 1 WHERE story = ?", [lone])
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 0
    assert lone in {s for (s,) in db.conn.execute("SELECT story FROM articles")}


def test_a_story_that_is_no_longer_alone_is_not_moved(tmp_path: Path) -> None:
    """A pass may store a second report in the lone story between the read and the move."""
    from monitor.shell.store.articles import fetch_lone_alerting, move_to_story

    db = open_db(tmp_path / "m.db")
    lone, story = _split(db)
    (article_id,) = fetch_lone_alerting(db, NOW - dt.timedelta(hours=1))
    (other, _), *_ = labelled("kz-sg-roundtable-2025-04", keep_alternates=False)
    joined = store(db, dataclasses.replace(other, published=one_event()[0].published), alone=True)
    db.conn.execute("UPDATE articles SET story = ? WHERE story = ?", [lone, joined])
    assert not move_to_story(db, article_id, lone, story)
    assert {s for s, _, _ in outbox(db)} >= {lone}


def test_a_dead_alert_of_the_story_it_would_join_keeps_it_apart(tmp_path: Path) -> None:
    db = open_db(tmp_path / "m.db")
    lone, story = _split(db)
    db.conn.execute(
        "UPDATE outbox SET state = 'dead' WHERE story = ? AND channel = 'mail'", [story]
    )
    assert settle_stories(db, NOW - dt.timedelta(hours=1)) == 0
    assert lone in {s for (s,) in db.conn.execute("SELECT story FROM articles")}
