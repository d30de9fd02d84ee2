"""``/metrics`` while the daemon runs (opt-in ``metrics_address``), read as Prometheus reads it:
sources by state, passes and their durations, articles stored and flagged, alerts by state,
fetch errors by kind."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from smtpserver import SMTPServer, free_port
from test_daemon import GrowingSite, _wait, running, stop
from test_daemon_talks import _monitor

from monitor import config as config_mod


def _scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    """The sample's value; a sample that is not exported fails the test (KeyError)."""
    return samples[(name, tuple(sorted(labels.items())))]


def test_metrics_while_the_daemon_runs(tmp_path: Path) -> None:
    site, port, gone = GrowingSite(2), free_port(), free_port()
    with site.server() as srv, SMTPServer() as smtp:
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(
            f"min_delay: 0\ncountries: [MY]\nmetrics_address: '127.0.0.1:{port}'\nalerts:\n"
            f"  - {{kind: email, to: [a@example.org], from: m@example.org,"
            f" smtp_host: 127.0.0.1, smtp_port: {smtp.port}, security: none}}\n"
            f"sources:\n  - {{name: one, url: '{srv.url('/news/')}', kind: html, interval: 1m}}\n"
            f"  - {{name: gone, url: 'http://127.0.0.1:{gone}/news/', interval: 1m}}\n"
        )
        assert _monitor(cfg, "fetch-once").returncode == 1  # the baseline; 'gone' fails
        site.count = 3  # a flagged article: one alert
        db = tmp_path / "m.db"
        with running(["--config", str(cfg), "--db", str(db), "run"], tmp_path) as proc:
            assert _wait(lambda: len(smtp.received) == 1, 60), "the alert never arrived"

            def both_passed() -> bool:
                try:
                    s = _scrape(port)
                except httpx.HTTPError:
                    return False
                return (
                    s.get(("monitor_passes_total", (("outcome", "failed"), ("source", "gone"))))
                    is not None
                )

            assert _wait(both_passed, 30), "no metrics, or no pass of 'gone'"
            samples = _scrape(port)
            # a SIGHUP'd file is what the next scrape counts: one more source, disabled
            cfg.write_text(
                cfg.read_text()
                + f"  - {{name: later, url: '{srv.url('/news/')}', enabled: false}}\n"
            )
            proc.send_signal(signal.SIGHUP)

            def reloaded() -> bool:
                return _value(_scrape(port), "monitor_sources", state="disabled") == 1

            assert _wait(reloaded, 30), "the metrics kept the configuration they started with"
            stop(proc)
    assert _value(samples, "monitor_passes_total", source="one", outcome="ok") >= 1
    assert _value(samples, "monitor_pass_duration_seconds_count", source="one") >= 1
    assert _value(samples, "monitor_articles_stored_total", source="one") >= 1
    assert _value(samples, "monitor_articles_flagged_total", source="one") >= 1
    assert _value(samples, "monitor_fetch_errors_total", kind="network") >= 1
    assert _value(samples, "monitor_sources", state="ok") == 1
    assert _value(samples, "monitor_sources", state="failing") == 1
    assert _value(samples, "monitor_alerts", state="sent") == 1
    assert _value(samples, "monitor_alerts", state="pending") == 0
    assert _value(samples, "monitor_articles") == 3  # the baseline's two and the new one


def test_metrics_address_is_checked_at_load() -> None:
    problems = []
    for bad in ("9108", "localhost", "127.0.0.1:99999", "http://127.0.0.1:9108"):
        try:
            config_mod.loads(f"metrics_address: '{bad}'\n", env={})
        except config_mod.ConfigError as exc:
            problems.append(exc.problems[0])
    assert len(problems) == 4 and all("metrics_address" in p for p in problems), problems
    ok = config_mod.loads("metrics_address: '127.0.0.1:9108'\n", env={})
    assert ok.metrics_address == "127.0.0.1:9108"
