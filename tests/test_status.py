"""``monitor status``: what needs a person makes it exit 1, so it can back a health check."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import loads
from monitor.core.policy import OutboxRow
from monitor.poll import update_health
from monitor.shell.store import Database, open_db, outbox, sources

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
CONFIG = """
failing_after: 3
alerts:
  - {kind: webhook, url: 'http://127.0.0.1:9/hook'}
sources:
  - {name: good, url: 'https://good.example/news/'}
  - {name: broken, url: 'https://broken.example/news/'}
"""


def _pass(store: Database, name: str, error: str | None, minutes: int) -> None:
    at = NOW + dt.timedelta(minutes=minutes)
    sources.save_source(store, name, f"https://{name}.example/news/", "auto", at)
    sources.save_pass(
        store,
        name,
        started=at,
        finished=at,
        kind=None if error else "html",
        links=None if error else 5,
        new=0,
        seen=5,
        failed=0,
        error=error,
    )
    update_health(store, name, loads(CONFIG, env={}), at)


def _status(tmp_path: Path) -> tuple[int, dict]:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(CONFIG)
    result = CliRunner().invoke(
        cli, ["--config", str(cfg), "--db", str(tmp_path / "m.db"), "status", "--json"]
    )
    return result.exit_code, json.loads(result.output)


def test_healthy_sources_exit_zero(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    for minute in range(3):
        _pass(store, "good", None, minute)
        _pass(store, "broken", None, minute)
    code, report = _status(tmp_path)
    assert code == 0 and report["needs_attention"] == []
    assert {s["health"] for s in report["sources"]} == {"ok"}


def test_a_failing_source_and_a_dead_alert_need_a_person(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    _pass(store, "good", None, 0)
    for minute in range(4):
        _pass(store, "broken", "https://broken.example/news/: HTTP 503", minute)
    outbox.save_alerts(store, [OutboxRow("s1", "webhook")], NOW)
    (alert,) = outbox.claim_due(store, NOW, ["webhook"], dt.timedelta(minutes=1))
    outbox.save_failure(store, alert.id, "HTTP 404", NOW, None)
    code, report = _status(tmp_path)
    assert code == 1
    by_name = {s["name"]: s for s in report["sources"]}
    assert by_name["broken"]["health"] == "failing" and by_name["good"]["health"] == "ok"
    assert by_name["broken"]["consecutive_failures"] == 4
    assert any("broken" in line and "503" in line for line in report["needs_attention"])
    assert any("1 alerts could not be delivered" in line for line in report["needs_attention"])
    # one operator message for the episode, however many failures
    health_alerts = [a for a in outbox.fetch_alerts(store) if a.kind == "health"]
    assert len(health_alerts) == 1 and health_alerts[0].payload["event"] == "failing"
