"""The daemon's Prometheus metrics (``metrics_address`` in sources.yaml; ``/metrics``).

Two kinds, as the Prometheus client guide has them: what the daemon did since it started is
counted as it happens (passes and their durations by source and outcome, articles stored and
flagged, fetch errors by kind); what the database holds is read at each scrape (sources by
health state, alerts by state, articles stored), so that a restart does not reset a gauge and
the numbers are those ``monitor status`` shows. The scrape runs in the client library's own
HTTP thread, on a connection of its own (SQLite objects stay in their thread).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from monitor.outputs.status import STATES, status
from monitor.shell.store import open_db, queries

if TYPE_CHECKING:
    from monitor.config import Config

log = logging.getLogger(__name__)

#: Pass durations: a 304 takes a fraction of a second, a cold source minutes.
BUCKETS = (0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800)


class PassReport(Protocol):
    """What a source's pass reports (``monitor.poll.SourceReport``, a layer above this one)."""

    name: str
    seconds: float
    new: int
    flagged: int
    failed: int
    error: str | None
    error_kind: str | None

    @property
    def ok(self) -> bool: ...


class Metrics:
    """The daemon's registry: counters it feeds after each pass, gauges read from the store."""

    def __init__(self, db_path: str | Path, config: Callable[[], Config]) -> None:
        """``config``: the configuration in force at each scrape (the daemon's, after SIGHUP)."""
        self.registry = CollectorRegistry()
        self.passes = Counter(
            "monitor_passes", "Source passes, by source and outcome (ok or failed)",
            ["source", "outcome"], registry=self.registry,
        )  # fmt: skip
        self.durations = Histogram(
            "monitor_pass_duration_seconds", "How long each source's pass took",
            ["source"], buckets=BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.stored = Counter(
            "monitor_articles_stored", "New articles stored, by source",
            ["source"], registry=self.registry,
        )  # fmt: skip
        self.flagged = Counter(
            "monitor_articles_flagged", "New flagged articles stored, by source",
            ["source"], registry=self.registry,
        )  # fmt: skip
        self.errors = Counter(
            "monitor_fetch_errors", "Failed passes by kind (network, timeout, http_5xx, robots,"
            " ...) and articles that could not be read (article)",
            ["kind"], registry=self.registry,
        )  # fmt: skip
        self.store = _StoreCollector(db_path, config)
        self.registry.register(self.store)
        self._server: Any = None

    def observe(self, report: PassReport) -> None:
        """Count one source's pass."""
        self.passes.labels(report.name, "ok" if report.ok else "failed").inc()
        self.durations.labels(report.name).observe(report.seconds)
        self.stored.labels(report.name).inc(report.new)
        self.flagged.labels(report.name).inc(report.flagged)
        if report.error:
            self.errors.labels(report.error_kind or "unexpected").inc()
        if report.failed:
            self.errors.labels("article").inc(report.failed)

    def serve(self, address: str) -> None:
        """Serve ``/metrics`` at ``host:port`` from a thread of the client library."""
        host, _, port = address.rpartition(":")
        self._server, _ = start_http_server(int(port), addr=host, registry=self.registry)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None


class _StoreCollector(Collector):
    """Gauges read from the database at each scrape: sources by state, alerts, articles."""

    def __init__(self, db_path: str | Path, config: Callable[[], Config]) -> None:
        self.db_path = db_path
        self.config = config

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            store = open_db(self.db_path, read_only=True)
        except Exception:
            log.exception("metrics: cannot open the database")
            return
        try:
            report = status(store, self.config(), dt.datetime.now(dt.UTC))
            articles = queries.fetch_counts(store)["articles"]
        finally:
            store.close()
        sources = GaugeMetricFamily(
            "monitor_sources", "Configured sources by health state", labels=["state"]
        )
        states = {state: 0 for state in STATES}
        for row in report["sources"]:
            states[row["state"]] += 1
        for state, n in states.items():
            sources.add_metric([state], n)
        yield sources
        alerts = GaugeMetricFamily("monitor_alerts", "Alerts by state", labels=["state"])
        for state in ("pending", "sent", "dead"):
            alerts.add_metric([state], report["alerts"].get(state, 0))
        yield alerts
        yield GaugeMetricFamily("monitor_articles", "Articles stored", value=articles)
