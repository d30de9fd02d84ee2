"""One pass: the only module that knows every stage, and the one code path of daemon and CLI.

config -> find links (304? stop) -> drop known -> fetch and extract each -> dedup -> flag ->
store article, URLs and flags in one transaction -> save the listing's validators.
Errors are kept per source and per article: a broken source never stops the others, and a
failed article is retried next pass because nothing about it was stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from monitor.config import Config, SourceConfig
from monitor.core import dedup
from monitor.core import identity as assign
from monitor.core.flags import Flagger
from monitor.core.models import Link, Response, Validators, utcnow
from monitor.shell import health, workers
from monitor.shell.analysis import Analysed, analyse
from monitor.shell.fetch import Fetcher, FetchError, HTTPStatusError
from monitor.shell.kinds import Found, KindContext, find_links, host_filter
from monitor.shell.store import NewArticle, Store
from monitor.shell.workers import make_flagger

log = logging.getLogger(__name__)

#: Young articles are looked at again for revisions: how young, how often, how many per pass.
RECHECK_YOUNG = dt.timedelta(days=2)
RECHECK_EVERY = dt.timedelta(hours=6)
RECHECK_LIMIT = 10

#: A link that failed this many passes in a row is given up on (``monitor sources`` shows it).
MAX_LINK_ATTEMPTS = 8

Clock = Callable[[], dt.datetime]


@dataclass
class SourceReport:
    """How one source's pass went: what the summary table and the exit status are made of."""

    name: str
    kind: str | None = None
    new: int = 0
    seen: int = 0
    failed: int = 0
    flagged: int = 0
    revised: int = 0
    baseline: bool = False
    error: str | None = None
    #: Links the source yielded; None when it answered 304 (unchanged, not empty).
    links: int | None = None
    seconds: float = 0.0
    #: Whether new links were left for the next pass (``max_articles``).
    deferred: bool = False
    #: What the server asked for (429/503 Retry-After), in seconds.
    retry_after: float | None = None
    article_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.failed == 0


@dataclass
class PassContext:
    """Everything a pass needs, passed in (no module-level clients or configuration)."""

    config: Config
    fetcher: Fetcher
    store: Store
    flagger: Flagger
    now: Clock = utcnow
    executor: Executor | None = None
    on_progress: Callable[[str, str], None] = lambda source, message: None


async def run_pass(
    ctx: PassContext,
    names: Sequence[str] = (),
    on_report: Callable[[SourceReport], None] | None = None,
) -> list[SourceReport]:
    """Poll every enabled source (or those named) once, at most ``concurrency`` at a time."""
    sources = [s for s in ctx.config.sources if (s.name in names if names else s.enabled)]
    gate = asyncio.Semaphore(ctx.config.concurrency)

    async def one(src: SourceConfig) -> SourceReport:
        async with gate:
            report = await poll_source(src, ctx)
        if on_report:
            on_report(report)
        return report

    return list(await asyncio.gather(*(one(s) for s in sources)))


async def poll_source(src: SourceConfig, ctx: PassContext) -> SourceReport:
    """One pass over one source; every failure ends up in the report, never raised."""
    started, t0 = ctx.now(), time.monotonic()
    report = SourceReport(src.name)
    store = ctx.store
    try:
        store.ensure_source(src.name, src.url, src.kind, started)
        state = store.source_state(src.name)
        report.baseline = not state.baseline_done
        kctx = KindContext(src, state, ctx.fetcher, store, first_pass=report.baseline)
        ctx.on_progress(src.name, "discovering")
        found = await find_links(kctx)
        report.kind = found.kind
        if src.kind == "auto" and (found.kind, found.endpoint) != (
            state.discovered_kind,
            state.endpoint,
        ):
            store.record_discovery(src.name, found.kind, found.endpoint)
        await _process_links(src, ctx, found, report)
        report.revised = await _recheck(src, ctx)
        if report.failed == 0 and not report.deferred:
            # Only now: a 304 next time must not hide an article we failed (or did not get) to.
            for url, validators in found.validators:
                store.save_validators(url, validators, ctx.now())
    except HTTPStatusError as exc:
        report.error = str(exc)
        report.retry_after = exc.retry_after
    except (FetchError, ValueError) as exc:  # ValueError: content refused by a parser
        log.debug("%s: %s", src.name, exc, exc_info=True)
        report.error = str(exc)
    except Exception as exc:  # a bug or a surprise in one source must not stop the others
        log.exception("%s: unexpected error", src.name)
        report.error = f"unexpected error: {type(exc).__name__}: {exc}"
    report.seconds = time.monotonic() - t0
    try:
        store.record_pass(
            src.name,
            started=started,
            finished=ctx.now(),
            kind=None if report.error else report.kind,
            links=report.links,
            new=report.new,
            seen=report.seen,
            failed=report.failed,
            error=report.error or _all_failed(report),
        )
        health.update(
            store, src.name, health_policy(ctx.config), ctx.now(), list(ctx.config.channels())
        )
    except Exception:
        log.exception("%s: could not record the pass", src.name)
    if report.error:
        log.info("%s: %s", src.name, report.error)  # the caller reports it, once
    return report


def _all_failed(report: SourceReport) -> str | None:
    """A pass where every article tried failed is a failed pass, even if the listing was read."""
    if report.failed and not report.new and not report.seen:
        return f"all {report.failed} articles failed, e.g. {report.article_errors[0]}"
    return None


async def _process_links(
    src: SourceConfig, ctx: PassContext, found: Found, report: SourceReport
) -> None:
    if found.unchanged:
        ctx.on_progress(src.name, "unchanged (304)")
        return
    report.links = len(found.links)
    candidates: dict[str, Link] = {}
    for link in found.links:
        try:
            candidates.setdefault(dedup.canonical_url(link.url), link)
        except ValueError as exc:
            log.info("%s: link skipped: %s", src.name, exc)
    known = ctx.store.known_urls(candidates)
    report.seen += len(known)
    todo = []
    for url, link in candidates.items():
        failures = ctx.store.failed_link(url) if url not in known else None
        if url in known or (failures and failures[0] >= MAX_LINK_ATTEMPTS):
            continue
        todo.append((url, link))
    if len(todo) > src.max_articles:
        log.info(
            "%s: %d new links, reading the first %d this pass",
            src.name,
            len(todo),
            src.max_articles,
        )
        todo = todo[: src.max_articles]
        report.deferred = True
    for i, (url, link) in enumerate(todo, 1):
        ctx.on_progress(src.name, f"article {i}/{len(todo)}")
        try:
            await _process_article(src, ctx, url, link, report)
        except sqlite3.IntegrityError:
            report.seen += 1  # another process (daemon or CLI) stored it a moment ago
        except (FetchError, ValueError) as exc:
            _article_failed(src, ctx, url, link, report, str(exc))
            log.info("%s: %s: %s", src.name, link.url, exc)
        except Exception as exc:
            _article_failed(src, ctx, url, link, report, f"{type(exc).__name__}: {exc}")
            log.exception("%s: %s: unexpected error", src.name, link.url)


def _article_failed(
    src: SourceConfig, ctx: PassContext, url: str, link: Link, report: SourceReport, why: str
) -> None:
    report.failed += 1
    report.article_errors.append(f"{link.url}: {why}")
    ctx.store.record_link_failure(url, src.name, why, report.baseline, ctx.now())


async def read_article(
    src: SourceConfig,
    ctx: PassContext,
    url: str,
    link: Link | None,
    validators: Validators | None = None,
) -> tuple[Response, Analysed | None]:
    """Fetch one article page and analyse it in the executor (None for a 304).

    The page is inflated there too, not on the event loop, and crosses the pipe to a worker at a
    fifth of its size (see ``monitor.core.inflate``).
    """
    resp = await ctx.fetcher.get(
        url,
        allow_host=host_filter(src),
        validators=validators,
        inflate=False,
    )
    if resp.not_modified:
        return resp, None
    in_pool = isinstance(ctx.executor, workers.AnalysisPool)
    job = functools.partial(
        analyse,
        resp.body,
        resp.final_url,
        charset=resp.charset,
        source=src,
        flagger=None if in_pool else ctx.flagger,
        now=ctx.now(),
        link=link,
        coding=resp.content_encoding,
        max_bytes=ctx.fetcher.max_bytes,
    )
    try:
        return resp, await asyncio.get_running_loop().run_in_executor(ctx.executor, job)
    except BrokenProcessPool:
        raise ValueError(
            f"{url}: the page killed its analysis worker (too large or hostile?)"
        ) from None


async def _process_article(
    src: SourceConfig, ctx: PassContext, url: str, link: Link, report: SourceReport
) -> None:
    _, result = await read_article(src, ctx, link.url, link)
    assert result is not None
    article, fp = result.article, result.fingerprint
    if not article.text.strip() and not article.title:
        raise FetchError(link.url, "no article text or title found on the page")
    store = ctx.store
    urls = set(result.urls) | {url}
    known = store.known_urls(urls)
    placement = (
        assign.Placement(article_id=store.article_id(next(iter(known))), reason="known URL")
        if known
        else assign.place(store, fp, article.text)
    )
    if placement.article_id is not None:
        store.add_aliases(placement.article_id, urls - known)
        log.info(
            "%s: %s is article %d (%s)", src.name, link.url, placement.article_id, placement.reason
        )
        report.seen += 1
        return
    failed_before = store.failed_link(url)
    baseline = report.baseline or bool(failed_before and failed_before[1])
    store.save_article(
        NewArticle(
            url=fp.canonical,
            source=src.name,
            article=article,
            flags=result.flags,
            baseline=baseline,
            aliases=tuple(sorted(urls - {fp.canonical})),
            story=placement.story,
            **assign.index_fields(fp),
        ),
        ctx.now(),
        channels=list(ctx.config.channels()),
    )
    report.new += 1
    report.flagged += int(result.flags.flagged)


async def _recheck(src: SourceConfig, ctx: PassContext) -> int:
    """Look again at young articles for revisions (conditional GETs, a few per pass)."""
    revised = 0
    due = ctx.store.due_rechecks(src.name, ctx.now(), RECHECK_YOUNG, RECHECK_EVERY, RECHECK_LIMIT)
    for article_id, url in due:
        try:
            resp, result = await read_article(src, ctx, url, None, ctx.store.validators(url))
        except (FetchError, ValueError) as exc:
            log.info("%s: revision check of %s failed: %s", src.name, url, exc)
            ctx.store.mark_checked(article_id, ctx.now())
            continue
        old_text = ctx.store.article_body(article_id) if result is not None else ""
        if result is not None and dedup.is_material_change(old_text, result.article.text):
            alerted = ctx.store.save_revision(
                article_id,
                result.article,
                result.flags,
                result.fingerprint,
                ctx.now(),
                list(ctx.config.channels()),
            )
            revised += 1
            log.info("%s: %s was revised%s", src.name, url, " and is now flagged" * alerted)
        else:
            ctx.store.mark_checked(article_id, ctx.now())
        ctx.store.save_validators(url, resp.validators, ctx.now())
    return revised


def health_policy(config: Config) -> health.HealthPolicy:
    return health.HealthPolicy(
        failing_after=config.failing_after,
        empty_after=config.empty_after,
        backoff_cap=config.max_backoff,
    )


def make_executor(config: Config) -> workers.AnalysisPool | None:
    """A process pool over the cores; None (a thread of this process) for one worker or core."""
    count = config.workers or workers.default_workers()
    return workers.AnalysisPool(config, count) if count > 1 else None


#: How long a site's robots.txt answer is trusted before it is asked for again.
ROBOTS_TTL = dt.timedelta(hours=24)


@dataclass
class StoredRobots:
    """The fetcher's robots.txt cache, kept in the database for a day."""

    store: Store
    now: Clock = utcnow

    def get(self, origin: str) -> tuple[int, str] | None:
        return self.store.robots(origin, self.now() - ROBOTS_TTL)

    def put(self, origin: str, status: int, text: str) -> None:
        self.store.save_robots(origin, status, text, self.now())


def make_fetcher(config: Config, store: Store | None = None, now: Clock = utcnow) -> Fetcher:
    """One polite client per run, configured from the file (robots.txt cached in ``store``)."""
    return Fetcher(
        user_agent=config.user_agent,
        min_delay=config.min_delay,
        max_crawl_delay=config.max_crawl_delay,
        max_bytes=config.max_page_bytes,
        deadline=config.request_timeout,
        robots_cache=StoredRobots(store, now) if store is not None else None,
        keepalive=config.concurrency,
    )


def fetch_once(
    config: Config,
    store: Store,
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

    try:
        reports = asyncio.run(main())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    if config.alerts:
        from monitor.shell import alerts

        try:
            result = alerts.deliver(store, config, now())
        except Exception:  # delivery problems must not hide what the pass stored
            log.exception("alert delivery failed")
        else:
            log.info(
                "alerts: %d sent, %d failed, %d dead, %d skipped",
                result.sent,
                result.failed,
                result.dead,
                result.skipped,
            )
    return reports
