"""After an outage is fixed, the operator says "now" for everything waiting.

The retry schedule waits 1, 5, 30 minutes...; an operator who has just fixed the relay should
not wait out the step. ``monitor alerts retry --all`` (or ``--channel NAME``) makes every
waiting alert due at once, and the next delivery (the daemon's next cycle, or ``fetch-once``)
sends them. Real parts: an SMTP server on loopback that is down, then up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from smtpserver import SMTPServer

from monitor.cli import cli
from monitor.config import load
from monitor.core.policy import OutboxRow
from monitor.shell import alerts
from monitor.shell.store import open_db, outbox


def _notice(n: int, channel: str) -> OutboxRow:
    payload = {"title": f"notice {n}", "text": f"source {n} is failing", "source": f"s{n}"}
    return OutboxRow(f"health:s{n}:failing:1", channel, "health", payload)


def test_retry_all_sends_everything_waiting_on_the_next_delivery(tmp_path: Path) -> None:
    smtp = SMTPServer()  # not started: the relay is down
    cfg_file = tmp_path / "sources.yaml"
    cfg_file.write_text(
        "alerts:\n"
        f"- {{kind: email, name: mail, to: [a@example.org], from: m@example.org,"
        f" smtp_host: 127.0.0.1, smtp_port: {smtp.port}, security: none, timeout: 5}}\n"
        "- {kind: webhook, name: hook, url: 'http://127.0.0.1:9/hook', timeout: 1}\n"
    )
    cfg = load(cfg_file, env={})
    db_path = tmp_path / "m.db"
    store = open_db(db_path)
    now = dt.datetime.now(dt.UTC)
    outbox.save_alerts(store, [_notice(n, "mail") for n in range(3)] + [_notice(9, "hook")], now)
    report = alerts.deliver(store, cfg, now)
    assert report.sent == 0 and report.failed == 4
    assert alerts.deliver(store, cfg, now).sent == 0  # waiting for the schedule's next step

    with smtp:  # the relay is fixed
        run = CliRunner().invoke(
            cli,
            [
                "--config",
                str(cfg_file),
                "--db",
                str(db_path),
                "alerts",
                "retry",
                "--channel",
                "mail",
            ],
        )
        assert run.exit_code == 0 and "3 alerts" in run.output, run.output
        assert alerts.deliver(store, cfg, dt.datetime.now(dt.UTC)).sent == 3
        assert len(smtp.received) == 3
    waiting = {a.channel: a.state for a in outbox.fetch_alerts(store) if a.state != "sent"}
    assert waiting == {"hook": "pending"}  # --channel left the other channel's alone

    run = CliRunner().invoke(
        cli, ["--config", str(cfg_file), "--db", str(db_path), "alerts", "retry", "--all"]
    )
    assert run.exit_code == 0 and "1 alert" in run.output, run.output
    (hook,) = [a for a in outbox.fetch_alerts(store) if a.channel == "hook"]
    assert hook.next_attempt_at is not None
    assert dt.datetime.fromisoformat(hook.next_attempt_at) <= dt.datetime.now(dt.UTC)


def test_retry_needs_an_id_or_all_or_a_channel(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["--db", str(tmp_path / "m.db"), "alerts", "retry"])
    assert run.exit_code != 0 and "--all" in run.output


def test_retry_of_an_unknown_channel_names_the_known_ones(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(
        "alerts:\n  - {kind: webhook, name: desk, url: 'http://127.0.0.1:9/hook'}\n"
        "sources:\n  - {name: kisi-en, url: 'https://kisi.kz/en/'}\n"
    )
    result = CliRunner().invoke(
        cli,
        ["--config", str(cfg), "--db", str(tmp_path / "m.db"), "alerts", "retry", "--channel",
         "nosuch"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no alert channel named 'nosuch' (known: desk)" in result.output
