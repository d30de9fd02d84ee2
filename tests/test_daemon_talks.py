"""What an operator reads: the daemon's lines at the default level, ``-q``, JSON lines, and a
``monitor status`` that fails when the daemon is not running (a recorded stop, a stale beat)."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from smtpserver import SMTPServer
from test_daemon import GrowingSite, _wait, running, stop

from monitor.shell.store import open_db, sources

MONITOR = [sys.executable, "-m", "monitor"]


def _config(tmp_path: Path, site_url: str, smtp_port: int) -> Path:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(
        "min_delay: 0\ncountries: [MY]\nalerts:\n"
        f"  - {{kind: email, to: [analyst@example.org], from: monitor@example.org,"
        f" smtp_host: 127.0.0.1, smtp_port: {smtp_port}, security: none}}\n"
        f"sources:\n  - {{name: one, url: '{site_url}', kind: html, interval: 1m}}\n"
    )
    return cfg


def _monitor(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MONITOR, "--config", str(cfg), "--db", str(cfg.parent / "m.db"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_daemon_says_what_it_did_and_status_fails_once_it_stopped(tmp_path: Path) -> None:
    site = GrowingSite(2)
    with site.server() as srv, SMTPServer() as smtp:
        cfg = _config(tmp_path, srv.url("/news/"), smtp.port)
        db = tmp_path / "m.db"
        assert _monitor(cfg, "fetch-once").returncode == 0  # the baseline: items 1 and 2
        site.count = 3  # item 3 reports a memorandum with Malaysia: one alert
        args = ["--config", str(cfg), "--db", str(db), "run", "--grace", "3"]
        with running(args, tmp_path) as proc:
            assert _wait(lambda: len(smtp.received) == 1, 60), "the alert never arrived"
            alive = _monitor(cfg, "status", "--json")
            assert alive.returncode == 0, alive.stdout + alive.stderr
            report = json.loads(alive.stdout)
            (source,) = report["sources"]
            assert source["next_run_at"], "the next run of each source is shown"
            assert "running" in report["daemon_line"]
            proc.send_signal(signal.SIGHUP)
            time.sleep(0.5)
            err = stop(proc)
    assert proc.returncode == 0, err
    lines = [line for line in err.splitlines() if line.strip()]
    start = next(line for line in lines if "daemon started" in line)
    assert "1 source" in start and str(db) in start and "email" in start
    assert any("[one] html: 1 new" in line for line in lines), lines
    assert any("alert" in line and "sent" in line and "email" in line for line in lines), lines
    assert any("reloaded" in line for line in lines), lines
    assert any("daemon stopped" in line for line in lines), lines
    assert len(lines) <= 12, lines  # what it did, not how

    stopped = _monitor(cfg, "status")
    assert stopped.returncode == 1
    assert "daemon: stopped" in stopped.stdout and "not running" in stopped.stdout
    assert sum("needs attention: daemon" in line for line in stopped.stdout.splitlines()) == 1


def test_a_stale_heartbeat_fails_the_health_check(tmp_path: Path) -> None:
    cfg = _config(tmp_path, "http://127.0.0.1:9/news/", 9)
    store = open_db(tmp_path / "m.db")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    sources.save_heartbeat(store, 4242, long_ago, long_ago, str(cfg))
    store.close()
    result = _monitor(cfg, "status")
    assert result.returncode == 1
    assert "not running" in result.stdout and "10 minutes" in result.stdout


def test_quiet_prints_only_errors_and_json_means_every_line(tmp_path: Path) -> None:
    site = GrowingSite(2)
    with site.server() as srv, SMTPServer() as smtp:
        cfg = _config(tmp_path, srv.url("/news/"), smtp.port)
        quiet = _monitor(cfg, "-q", "fetch-once")
        assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
        site.count = 3
        as_json = _monitor(cfg, "--log-format", "json", "fetch-once")
    assert as_json.returncode == 0, as_json.stderr
    events = [json.loads(line) for line in as_json.stderr.splitlines() if line.strip()]
    assert any(e["message"].startswith("[one] html: 1 new") for e in events), events
    # fetch-once ends with what it delivered
    assert "1 sent" in events[-1]["message"] and "alerts" in events[-1]["message"]
