"""A pass assembled from the configuration, and ``fetch-once``: one pass, then delivery.

The pieces a pass is given (``poll.PassContext``) are built here once per run: the polite
fetcher with its robots.txt answers kept in the database, the analysis workers, the flagger.
The daemon (``monitor.scheduler``) builds the same pieces and runs the same pass on a timer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor.config import Config
from monitor.core.models import utcnow
from monitor.logs import NOTICE
from monitor.poll import Clock, PassContext, SourceReport, run_pass, settle_stories
from monitor.shell import workers
from monitor.shell.fetch import Fetcher
from monitor.shell.store import Database, sources
from monitor.shell.workers import make_flagger

__all__ = ["fetch_once", "make_executor", "make_fetcher", "make_flagger"]

log = logging.getLogger(__name__)


def make_executor(config: Config) -> workers.AnalysisPool | None:
    """A process pool over the cores; None (a thread of this process) for one worker or core."""
    count = config.workers or workers.default_workers()
    return workers.AnalysisPool(config, count) if count > 1 else None


#: How long a site's robots.txt answer is trusted before it is asked for again.
ROBOTS_TTL = dt.timedelta(hours=24)


@dataclass
class StoredRobots:
    """The fetcher's robots.txt cache, kept in the database for a day."""

    store: Database
    now: Clock = utcnow

    def get(self, origin: str) -> tuple[int, str] | None:
        return sources.fetch_robots(self.store, origin, self.now() - ROBOTS_TTL)

    def put(self, origin: str, status: int, text: str) -> None:
        sources.save_robots(self.store, origin, status, text, self.now())


def make_fetcher(config: Config, store: Database | None = None, now: Clock = utcnow) -> Fetcher:
    """One polite client per run, configured from the file (robots.txt cached in ``store``)."""
    return Fetcher(
        user_agent=config.user_agent,
        min_delay=config.min_delay,
        max_crawl_delay=config.max_crawl_delay,
        max_bytes=config.max_page_bytes,
        deadline=config.request_timeout,
        robots_cache=StoredRobots(store, now) if store is not None else None,
        keepalive=config.open_requests,
        open_requests=config.open_requests,
    )


def fetch_once(
    config: Config,
    store: Database,
    *,
    names: Sequence[str] = (),
    on_report: Callable[[SourceReport], None] | None = None,
    on_progress: Callable[[str, str], None] | None = None,
    fetcher: Fetcher | None = None,
    now: Clock = utcnow,
) -> list[SourceReport]:
    """One pass over the configured sources, as ``monitor fetch-once`` runs it.

    The alerts it queued (and any still pending) are delivered right after, so a one-shot run
    from cron is as good as the daemon at telling the analyst.
    """
    flagger = make_flagger(config)

    pool = make_executor(config)

    async def main() -> list[SourceReport]:
        async with fetcher or make_fetcher(config, store, now) as client:
            ctx = PassContext(
                config=config, fetcher=client, store=store, flagger=flagger, now=now, executor=pool
            )
            if on_progress is not None:
                ctx.on_progress = on_progress
            return await run_pass(ctx, names, on_report)

    started = now()
    try:
        reports = asyncio.run(main())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    settle(store, started)
    if config.alerts:
        from monitor.shell import alerts

        try:
            result = alerts.deliver(store, config, now())
        except Exception:  # delivery problems must not hide what the pass stored
            log.exception("alert delivery failed")
        else:
            from monitor.shell.store import outbox

            waiting = outbox.fetch_counts(store).get("pending", 0)
            log.log(
                logging.WARNING if result.failed or result.dead else NOTICE,
                "alerts: %d sent, %d failed, %d dead, %d waiting",
                result.sent,
                result.failed,
                result.dead,
                waiting,
            )
    return reports


def settle(store: Database, since: dt.datetime) -> None:
    """The second look at the articles a pass left alone (``poll.settle_stories``), before
    delivery; a failure of it is logged and delivers as placed."""
    try:
        settle_stories(store, since)
    except Exception:  # grouping's second thoughts must not keep the analyst from the news
        log.exception("second look at lone articles failed")
