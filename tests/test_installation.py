"""Two installations never send one id for two pieces of news.

Story ``s3`` of one database and ``s3`` of another are different news: a receiver that drops
repeated ``webhook-id``s (as the README tells it to), a mail client threading by Message-ID and a
feed reader keyed on Atom ids would each lose the second if the ids were the story's alone.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import cli
from monitor.core.policy import OutboxRow
from monitor.outputs.feed import story_entry_id
from monitor.shell.store import open_db, outbox
from monitor.shell.store.db import installation_id

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def _ids(path: Path) -> list[str]:
    db = open_db(path)
    try:
        outbox.save_alerts(db, [OutboxRow("s3", "hook")], NOW)
        return [a.message_id for a in outbox.fetch_alerts(db)]
    finally:
        db.close()


def test_two_databases_give_one_story_different_ids(tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert _ids(one) != _ids(two)
    a, b = open_db(one), open_db(two)
    assert installation_id(a) != installation_id(b)
    assert story_entry_id("s3", installation_id(a)) != story_entry_id("s3", installation_id(b))


def test_ids_stay_the_same_for_the_life_of_the_file_and_its_backup(tmp_path: Path) -> None:
    first = tmp_path / "m.db"
    ids = _ids(first)
    assert _ids(first) == ids  # reopened: the same id, and the alert queued once
    restored = tmp_path / "restored.db"
    shutil.copy(first, restored)
    db = open_db(restored)
    assert [a.message_id for a in outbox.fetch_alerts(db)] == ids
    assert installation_id(db) == installation_id(open_db(first))


def test_status_shows_the_installation(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("sources: []\n")
    db = tmp_path / "m.db"
    result = CliRunner().invoke(cli, ["--config", str(cfg), "--db", str(db), "status"])
    assert installation_id(open_db(db)) in result.output, result.output
