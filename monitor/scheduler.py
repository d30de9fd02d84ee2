"""The daemon: the same pass as ``fetch-once``, per source on its own timer, for months.

APScheduler 3.x runs one interval job per source (with jitter; ``max_instances=1`` so a source
never runs twice at once; ``coalesce`` so missed runs become one) and one job that delivers the
outbox. A failing source is moved out by a growing back-off (a server's Retry-After is a floor).

Stopping: ``AsyncIOScheduler.shutdown`` cancels running jobs even with ``wait=True``, so on SIGTERM
or SIGINT we pause the scheduler, give in-flight passes ``grace`` seconds to finish (each request
has its own deadline), cancel what is left, then shut down. Everything stored is committed per
article, so nothing stored is lost. SIGHUP reloads ``sources.yaml``; a bad file is refused with
its errors logged and the old configuration kept.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
import signal
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from monitor import config as config_mod
from monitor import poll, run
from monitor.config import Config, ConfigError, SourceConfig
from monitor.core import health
from monitor.core.models import utcnow
from monitor.logs import NOTICE
from monitor.outputs.status import HEARTBEAT_EVERY
from monitor.shell.fetch import Fetcher
from monitor.shell.store import Database, open_db, path_of, sources

if TYPE_CHECKING:
    from monitor.outputs.metrics import Metrics

log = logging.getLogger(__name__)

#: robots.txt is cached by the fetcher; a fresh fetcher now and then reads it again.
FETCHER_MAX_AGE = dt.timedelta(hours=12)
#: How recent a lone article must be for its placement to be looked at again before delivery.
SETTLE_WINDOW = dt.timedelta(days=1)


class Daemon:
    """``monitor run``: owns the scheduler, the fetcher and the database connection."""

    def __init__(
        self,
        config_path: Path,
        config: Config,
        store: Database,
        *,
        now: poll.Clock = utcnow,
        grace: float = 20.0,
        deliver_every: float = 60.0,
        first_run_spread: float = 30.0,
        make_fetcher: Callable[[Config, Database, poll.Clock], Fetcher] = run.make_fetcher,
        deliver: Callable[[Config, dt.datetime], object] | None = None,
        feed_path: Path | None = None,
        feed_self_url: str | None = None,
    ) -> None:
        self.config_path = config_path
        self.config = config
        self.store = store
        self.now = now
        self.grace = grace
        self.deliver_every = deliver_every
        self.first_run_spread = first_run_spread
        self._make_fetcher = make_fetcher
        self._deliver = deliver or self._deliver_outbox
        self.feed_path = feed_path
        self.feed_self_url = feed_self_url
        self._fetcher: Fetcher | None = None
        self._pool: Executor | None = None
        self._fetcher_born = now()
        self._flagger = run.make_flagger(config)
        self._running: set[asyncio.Task[object]] = set()
        self._stop = asyncio.Event()
        self._started = now()
        self._bounds = poll.Bounds()  # shared by every source's pass: what the process holds
        self._metrics: Metrics | None = None
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)

    # --- life cycle ---------------------------------------------------------------------

    async def run(self) -> None:
        """Run until SIGTERM/SIGINT (or :meth:`stop`), then stop gracefully."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        self._fetcher = self._make_fetcher(self.config, self.store, self.now)
        self._pool = run.make_executor(self.config)
        self.scheduler.start()
        self._sync_jobs(first=True)
        self.scheduler.add_job(
            self._deliver_job,
            "interval",
            seconds=self.deliver_every,
            id="__deliver__",
            max_instances=1,
            coalesce=True,
            next_run_time=self.now(),
        )
        self.scheduler.add_job(
            self._heartbeat_job,
            "interval",
            seconds=HEARTBEAT_EVERY.total_seconds(),
            id="__heartbeat__",
            max_instances=1,
            coalesce=True,
        )
        self._heartbeat()
        self._write_feed()
        self._serve_metrics()
        channels = ", ".join(self.config.channels()) or "none"
        log.log(
            NOTICE,
            "daemon started: %s, database %s, alert channels: %s",
            _count(len(self._enabled()), "source"),
            path_of(self.store),
            channels,
        )
        try:
            await self._stop.wait()
        finally:
            await self._shutdown()
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                loop.remove_signal_handler(sig)

    def stop(self) -> None:
        log.log(NOTICE, "stopping: finishing in-flight passes (at most %.0f s)", self.grace)
        self._stop.set()

    async def _shutdown(self) -> None:
        self.scheduler.pause()
        if self._running:
            _, pending = await asyncio.wait(set(self._running), timeout=self.grace)
            for task in pending:
                task.cancel()
            if pending:
                log.warning(
                    "abandoned %d passes still running after %.0f s", len(pending), self.grace
                )
                await asyncio.wait(pending, timeout=5)
        self.scheduler.shutdown(wait=False)
        if self._fetcher is not None:
            await self._fetcher.aclose()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        if self._metrics is not None:
            self._metrics.stop()
        try:
            sources.save_daemon_stop(self.store, os.getpid(), self.now())
        except Exception:
            log.exception("could not record the stop")
        log.log(NOTICE, "daemon stopped")

    def reload(self) -> None:
        """SIGHUP: adopt a new valid sources.yaml, or keep the old one and say why."""
        try:
            new = config_mod.load(self.config_path)
        except ConfigError as exc:
            log.error("reload refused, keeping the running configuration:\n%s", exc)
            return
        self.config = new
        self._flagger = run.make_flagger(new)
        # workers built their Flagger from the old file (countries, terms): start fresh ones
        old_pool, self._pool = self._pool, run.make_executor(new)
        if old_pool is not None:
            old_pool.shutdown(wait=False)
        self._sync_jobs(first=False)
        log.log(NOTICE, "configuration reloaded: %s", _count(len(self._enabled()), "source"))

    # --- jobs ---------------------------------------------------------------------------

    def _enabled(self) -> list[SourceConfig]:
        return [s for s in self.config.sources if s.enabled]

    def _sync_jobs(self, *, first: bool) -> None:
        """One interval job per enabled source; removed sources lose theirs."""
        wanted = {s.name: s for s in self._enabled()}
        for job in self.scheduler.get_jobs():
            if not job.id.startswith("__") and job.id not in wanted:
                job.remove()
        now = self.now()
        for name, src in wanted.items():
            job = self.scheduler.get_job(name)
            jitter = min(src.interval * 0.1, 300.0)
            if job is None:
                state = sources.fetch_state(self.store, name)
                spread = min(self.first_run_spread, src.interval * 0.1)
                delay = random.uniform(0, spread) if first else 0.0
                start = now + dt.timedelta(seconds=delay)
                backoff = state.backoff_until
                if backoff and backoff > start and state.consecutive_failures:
                    start = backoff
                self.scheduler.add_job(
                    self._source_job,
                    "interval",
                    seconds=src.interval,
                    jitter=jitter,
                    id=name,
                    args=[name],
                    max_instances=1,
                    coalesce=True,
                    misfire_grace_time=None,
                    next_run_time=start,
                )
                sources.save_schedule(self.store, name, start, backoff)
            else:
                job.reschedule("interval", seconds=src.interval, jitter=jitter)

    async def _source_job(self, name: str) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        try:
            await self._poll(name)
        finally:
            self._running.discard(task)

    async def _poll(self, name: str) -> None:
        try:
            src = self.config.source(name)
        except KeyError:
            return
        self._refresh_fetcher()
        assert self._fetcher is not None
        ctx = poll.PassContext(
            config=self.config,
            fetcher=self._fetcher,
            store=self.store,
            flagger=self._flagger,
            now=self.now,
            executor=self._pool,
            bounds=self._bounds,
        )
        report = await poll.poll_source(src, ctx)
        log.log(NOTICE if report.ok else logging.WARNING, "%s", report.line())
        if self._metrics is not None:
            self._metrics.observe(report)
        self._after_pass(src, report)
        if report.new or report.revised:
            await self._deliver_job()
            self._write_feed()

    def _after_pass(self, src: SourceConfig, report: poll.SourceReport) -> None:
        """Back a failing source off, or put it back on its interval."""
        job = self.scheduler.get_job(src.name)
        if job is None:
            return
        failures = sources.fetch_state(self.store, src.name).consecutive_failures
        now = self.now()
        if failures:
            wait = health.backoff(
                src.interval, failures, report.retry_after, self.config.max_backoff
            )
            until = now + dt.timedelta(seconds=wait)
            job.modify(next_run_time=until)
            sources.save_schedule(self.store, src.name, until, until)
            log.warning("%s: failing (%d in a row), next try in %.0f s", src.name, failures, wait)
        else:
            sources.save_schedule(self.store, src.name, job.next_run_time, None)

    def _refresh_fetcher(self) -> None:
        """Swap in a fresh fetcher (fresh robots.txt) when it is old and nothing else runs."""
        if self.now() - self._fetcher_born < FETCHER_MAX_AGE:
            return
        if self._running - {asyncio.current_task()}:
            return
        old, self._fetcher = self._fetcher, self._make_fetcher(self.config, self.store, self.now)
        self._fetcher_born = self.now()
        if old is not None:
            asyncio.get_running_loop().create_task(old.aclose())

    async def _deliver_job(self) -> None:
        try:
            await asyncio.to_thread(self._deliver, self.config, self.now())
        except Exception:
            log.exception("alert delivery failed")

    def _deliver_outbox(self, config: Config, now: dt.datetime) -> object:
        """Deliver in a worker thread with its own connection (sqlite3 objects stay per thread)."""
        from monitor.shell import alerts

        store = open_db(path_of(self.store))
        try:
            run.settle(store, now - SETTLE_WINDOW)
            return alerts.deliver(store, config, now)
        finally:
            store.close()

    def _write_feed(self) -> None:
        """Keep ``--feed FILE`` current: written beside and renamed, so readers never see half."""
        if self.feed_path is None:
            return
        from monitor.outputs.feed import atom_feed

        try:
            data = atom_feed(
                self.store,
                now=self.now(),
                flagged=True,
                languages=self.config.languages,
                self_url=self.feed_self_url,
            )
            tmp = self.feed_path.with_name(self.feed_path.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, self.feed_path)
        except Exception:
            log.exception("could not write the feed to %s", self.feed_path)

    def _serve_metrics(self) -> None:
        """``/metrics`` at the file's ``metrics_address``, when it has one (read at start)."""
        address = self.config.metrics_address
        if not address:
            return
        from monitor.outputs.metrics import Metrics

        try:
            metrics = Metrics(path_of(self.store), lambda: self.config)
            metrics.serve(address)
        except OSError as exc:
            log.error("metrics: cannot listen on %s: %s", address, exc.strerror or exc)
            return
        self._metrics = metrics
        log.log(NOTICE, "metrics at http://%s/metrics", address)

    async def _heartbeat_job(self) -> None:
        # a coroutine, so that it runs on the loop: APScheduler runs a plain function in a
        # thread, which would share the loop's SQLite connection with a pass in flight
        self._heartbeat()

    def _heartbeat(self) -> None:
        try:
            sources.save_heartbeat(
                self.store, os.getpid(), self._started, self.now(), str(self.config_path)
            )
        except Exception:
            log.exception("could not write the heartbeat")


def run_daemon(config_path: Path, config: Config, store: Database, **options: object) -> None:
    """Run the daemon in a fresh event loop until it is told to stop."""
    asyncio.run(Daemon(config_path, config, store, **options).run())  # type: ignore[arg-type]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
