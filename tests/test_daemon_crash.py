"""A daemon killed while it delivers: the restarted one sends the rest at once, nothing twice
but what was in flight, and that with its original id.

Before claims named their holder, the restarted daemon waited for the dead run's ten-minute
lease: the last of 135 pending alerts went out 605 s after the restart. Real parts: the
``monitor run`` process, SIGKILL, and a slow SMTP relay on loopback.
"""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import time
from pathlib import Path

from smtpserver import SMTPServer
from test_daemon import _run_monitor, _wait

from monitor.core.policy import OutboxRow
from monitor.shell.store import open_db, outbox

ALERTS = 20


def _sent(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM outbox WHERE state = 'sent'").fetchone()[0])


def test_a_restarted_daemon_takes_over_a_killed_ones_alerts_at_once(tmp_path: Path) -> None:
    with SMTPServer() as smtp:
        smtp.delay = 0.25  # a slow relay: the delivery run lasts ~5 s, long enough to be hit
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(
            "sources: []\nalerts:\n"
            f"- {{kind: email, name: mail, to: [a@example.org], from: m@example.org,"
            f" smtp_host: 127.0.0.1, smtp_port: {smtp.port}, security: none, timeout: 10}}\n"
        )
        db = tmp_path / "m.db"
        store = open_db(db)
        rows = [
            OutboxRow(f"health:s{n}:failing:1", "mail", "health", {"title": f"notice {n}"})
            for n in range(ALERTS)
        ]
        outbox.save_alerts(store, rows, dt.datetime.now(dt.UTC))
        store.close()
        args = ["--config", str(cfg), "--db", str(db), "run"]

        first = _run_monitor(args, tmp_path)
        try:
            assert _wait(lambda: len(smtp.received) >= 3, 30), "the first daemon never delivered"
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=20)
        assert _sent(db) < ALERTS, "the kill came too late to test anything"

        smtp.delay = 0.0
        restarted = time.monotonic()
        second = _run_monitor(args, tmp_path)
        try:
            # 600 s (the lease) before; the daemon's first delivery runs at its start
            assert _wait(lambda: _sent(db) == ALERTS, 45), "the dead daemon's claims still hold"
            recovery = time.monotonic() - restarted
        finally:
            second.send_signal(signal.SIGTERM)
            second.communicate(timeout=20)
    ids = smtp.message_ids()
    assert len(set(ids)) == ALERTS  # every alert arrived
    assert len(ids) - ALERTS <= 1  # twice: only the one in flight at the kill, with its own id
    print(f"all {ALERTS} alerts sent {recovery:.1f} s after the restart")
