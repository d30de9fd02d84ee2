"""One pass: the only module that knows every stage, and the one code path of daemon and CLI.

config -> find links (304? stop) -> drop known -> fetch and extract each -> dedup -> flag ->
store article, URLs and flags in one transaction -> save the listing's validators.
Errors are kept per source and per article: a broken source never stops the others, and a
failed article is retried next pass because nothing about it was stored.

Every storage touch is a sandwich: one read that returns plain data (``articles.fetch_seen``),
a pure decision (``identity.place``, ``policy.story_alerts``, ``health.conditions``), and one
write in one transaction (article, URLs, evidence and its outbox rows together).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from monitor.config import Config, SourceConfig
from monitor.core import dedup, health, identity, pagekind, policy
from monitor.core.backlog import choose_links
from monitor.core.flags import Flagger
from monitor.core.models import Link, Response, Validators, utcnow
from monitor.logs import NOTICE
from monitor.shell import workers
from monitor.shell.analysis import Analysed, analyse
from monitor.shell.fetch import Fetcher, FetchError, HTTPStatusError, politeness_host
from monitor.shell.kinds import Found, KindContext, find_links, host_filter
from monitor.shell.store import Conflict, Database, articles, outbox, sources, transaction
from monitor.shell.store import health as health_store
from monitor.shell.store.articles import NewArticle

log = logging.getLogger(__name__)

#: Young articles are looked at again for revisions: how young, how often, how many per pass.
RECHECK_YOUNG = dt.timedelta(days=2)
RECHECK_EVERY = dt.timedelta(hours=6)
RECHECK_LIMIT = 10

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
    #: What kind of failure ``error`` is (``network``, ``timeout``, ``http_5xx``, ``robots``...),
    #: for counting them apart (the daemon's metrics).
    error_kind: str | None = None
    #: Links the source yielded; None when it answered 304 (unchanged, not empty).
    links: int | None = None
    seconds: float = 0.0
    #: Pages read that are no news items (``pagekind``), not to be read again.
    not_articles: int = 0
    #: Whether new links were left for the next pass (``max_articles``).
    deferred: bool = False
    #: What the server asked for (429/503 Retry-After), in seconds.
    retry_after: float | None = None
    article_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.failed == 0

    def line(self) -> str:
        """The pass in one line, as ``fetch-once`` and the daemon log it: what it found, how
        long it took, or why it failed."""
        counts = f"{self.new} new, {self.seen} seen, " + (
            f"{self.not_articles} not articles, " if self.not_articles else ""
        )
        problem = self.error or (self.article_errors[0] if self.article_errors else "")
        status = f"FAILED: {problem}" if not self.ok else ("baseline" if self.baseline else "ok")
        return (
            f"[{self.name}] {self.kind or '-'}: {counts}{self.failed} failed "
            f"in {self.seconds:.1f}s: {status}"
        )


@dataclass
class PassContext:
    """Everything a pass needs, passed in (no module-level clients or configuration)."""

    config: Config
    fetcher: Fetcher
    store: Database
    flagger: Flagger
    now: Clock = utcnow
    executor: Executor | None = None
    on_progress: Callable[[str, str], None] = lambda source, message: None
    #: What the polling process holds at once; the daemon gives all its passes one.
    bounds: Bounds = field(default_factory=lambda: Bounds())


#: Sources discovering at once: enough to keep the workers fed with articles (a source's
#: discovery is a few requests), few enough that the polling process does not hold every
#: host's listing pages and links at the same moment.
DISCOVERING = 64
#: Article pages between their request and their row: fetched, waiting for a worker, analysed.
#: Enough to cover the network's latency for two busy workers (~100 pages/s at ~300 ms a
#: request); without it, 500 hosts each parked a page in the pool's queue (475 at once, the
#: polling process at 123 MB instead of ~85).
ANALYSING = 64


@dataclass
class Bounds:
    """The work in flight of one pass, or of all the daemon's passes together."""

    discovering: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(DISCOVERING))
    analysing: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(ANALYSING))


async def run_pass(
    ctx: PassContext,
    names: Sequence[str] = (),
    on_report: Callable[[SourceReport], None] | None = None,
) -> list[SourceReport]:
    """Poll every enabled source (or those named) once: all hosts at once, a host's in turn.

    Politeness is per host (one request at a time, ``min_delay`` apart: the fetcher's), so
    across hosts there is nothing to wait for: a pass over many hosts takes about as long as its
    busiest host, or its CPU, whichever is more. What bounds the work in flight is the
    fetcher's ``open_requests`` and, since each host's sources run one after another and a
    source reads one page at a time, one page per host. Sources of one host run in turn: at
    once they would only queue on the host's slot, holding their pages.
    """
    sources = [s for s in ctx.config.sources if (s.name in names if names else s.enabled)]
    by_host: dict[str, list[SourceConfig]] = {}
    for src in sources:
        by_host.setdefault(politeness_host(src.url), []).append(src)
    reports: dict[str, SourceReport] = {}

    async def host(group: list[SourceConfig]) -> None:
        for src in group:
            report = reports[src.name] = await poll_source(src, ctx)
            if on_report:
                on_report(report)

    await asyncio.gather(*(host(group) for group in by_host.values()))
    return [reports[s.name] for s in sources]


def error_kind(exc: Exception) -> str:
    """A failure's kind in a word, for counting: a fetch error's own, else a parser's."""
    return exc.kind if isinstance(exc, FetchError) else "parse"


async def poll_source(src: SourceConfig, ctx: PassContext) -> SourceReport:
    """One pass over one source; every failure ends up in the report, never raised."""
    started, t0 = ctx.now(), time.monotonic()
    report = SourceReport(src.name)
    store = ctx.store
    try:
        sources.save_source(store, src.name, src.url, src.kind, started)
        state = sources.fetch_state(store, src.name)
        report.baseline = not state.baseline_done
        kctx = KindContext(src, state, ctx.fetcher, StoredMemory(store), first_pass=report.baseline)
        ctx.on_progress(src.name, "discovering")
        async with ctx.bounds.discovering:
            found = await find_links(kctx)
        report.kind = found.kind
        if src.kind == "auto" and (found.kind, found.endpoint) != (
            state.discovered_kind,
            state.endpoint,
        ):
            sources.save_discovery(store, src.name, found.kind, found.endpoint)
        await _process_links(src, ctx, found, report)
        report.revised = await _recheck(src, ctx)
        if report.failed == 0 and not report.deferred:
            # Only now: a 304 next time must not hide an article we failed (or did not get) to.
            for url, validators in found.validators:
                sources.save_validators(store, url, validators, ctx.now())
    except HTTPStatusError as exc:
        report.error, report.error_kind = str(exc), error_kind(exc)
        report.retry_after = exc.retry_after
    except (FetchError, ValueError) as exc:  # ValueError: content refused by a parser
        log.debug("%s: %s", src.name, exc, exc_info=True)
        report.error, report.error_kind = str(exc), error_kind(exc)
    except Exception as exc:  # a bug or a surprise in one source must not stop the others
        log.exception("%s: unexpected error", src.name)
        report.error = f"unexpected error: {type(exc).__name__}: {exc}"
        report.error_kind = "unexpected"
    report.seconds = time.monotonic() - t0
    try:
        sources.save_pass(
            store,
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
        update_health(store, src.name, ctx.config, ctx.now())
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
    """Read what is known of the links, choose which to read now, remember the rest, read."""
    if found.unchanged:
        ctx.on_progress(src.name, "unchanged (304)")
        return
    report.links = len(found.links)
    listed: dict[str, Link] = {}
    for link in found.links:
        try:
            listed.setdefault(dedup.canonical_url(link.url), link)
        except ValueError as exc:
            log.info("%s: link skipped: %s", src.name, exc)
    db = ctx.store
    pending = sources.fetch_pending(db, src.name)
    urls = set(listed) | set(pending)
    known = articles.fetch_known_urls(db, urls)
    failures = sources.fetch_link_failures(db, urls - known)
    choice = choose_links(listed, pending, known, failures, report.baseline, src.max_articles)
    report.seen += len(known & set(listed))
    if choice.later:
        log.info(
            "%s: %d new links, reading %d this pass and the rest later",
            src.name,
            len(choice.now) + len(choice.later),
            len(choice.now),
        )
        report.deferred = True
    stored_meanwhile = known & set(pending)  # under another URL of theirs, or by another process
    if choice.later or stored_meanwhile:
        with transaction(db):
            sources.save_pending(db, src.name, choice.later, ctx.now())
            sources.save_stored_links(db, stored_meanwhile)
    for i, (url, link, baseline) in enumerate(choice.now, 1):
        ctx.on_progress(src.name, f"article {i}/{len(choice.now)}")
        try:
            # the host's politeness delay is waited out before a slot is taken: a slot held
            # through it would idle while other hosts' pages could be read
            await ctx.fetcher.ready(link.url)
            async with ctx.bounds.analysing:
                await _process_article(src, ctx, url, link, baseline, report)
        except Conflict:
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
    sources.save_link_failure(ctx.store, url, src.name, why, report.baseline, ctx.now())


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
    src: SourceConfig, ctx: PassContext, url: str, link: Link, baseline: bool, report: SourceReport
) -> None:
    """Read the page; read what the store knows; decide where it belongs; write it once."""
    _, result = await read_article(src, ctx, link.url, link)
    assert result is not None
    article, fp = result.article, result.fingerprint
    if not article.text.strip() and not article.title:
        raise FetchError(link.url, "no article text or title found on the page")
    if why := pagekind.not_an_article(article):
        sources.save_link_failure(
            ctx.store, url, src.name, f"not an article: {why}", baseline, ctx.now(), give_up=True
        )
        log.info("%s: %s is not an article: %s", src.name, link.url, why)
        report.not_articles += 1
        return
    urls = set(result.urls) | {url}
    seen = articles.fetch_seen(ctx.store, urls, fp)
    placement = identity.place(fp, article.text, seen)
    if placement.article_id is not None:
        articles.save_aliases(ctx.store, placement.article_id, urls - set(seen.known))
        log.info(
            "%s: %s is article %d (%s)", src.name, link.url, placement.article_id, placement.reason
        )
        report.seen += 1
        return
    shown = result.shown_url or fp.canonical  # the key stays among the aliases
    new = NewArticle(
        url=shown,
        source=src.name,
        article=article,
        flags=result.flags,
        baseline=baseline,
        aliases=tuple(sorted((urls | {fp.canonical}) - {shown})),
        story=placement.story,
        **identity.index_fields(fp),
    )
    save_new_article(ctx.store, new, ctx.now(), list(ctx.config.channels()))
    report.new += 1
    report.flagged += int(result.flags.flagged)


def settle_stories(db: Database, since: dt.datetime) -> int:
    """A second look, before their stories are announced, at the articles a pass left alone.

    Articles are placed as they arrive: the first report of an event that a pass reads starts
    a story, and its other reports, read a moment later, may match each other better than any
    of them matched it when it was alone. A lone new article whose alert still waits is placed
    again against the stories as they are now (its own left out), and joins one it matches as
    a whole; its alert is then that story's (or none, for news the baseline had). Returns how
    many moved.
    """
    moved = 0
    for article_id in articles.fetch_lone_alerting(db, since):
        look = articles.fetch_second_look(db, article_id)
        if look is None:
            continue
        story, features, seen = look
        target = identity.choose_story(features, seen)
        if target and target != story and articles.move_to_story(db, article_id, story, target):
            log.log(
                NOTICE, "article %d joins story %s (it was alone in %s)", article_id, target, story
            )
            moved += 1
    return moved


def save_new_article(
    db: Database, new: NewArticle, now: dt.datetime, channels: Sequence[str]
) -> tuple[int, str]:
    """The write of a new article: it, its URLs, evidence and alerts, in one transaction."""
    with transaction(db):
        at_baseline = bool(new.story) and articles.story_has_baseline(db, str(new.story))
        article_id, story = articles.save_article(db, new, now)
        sources.save_stored_links(db, (new.url, *new.aliases))
        rows = policy.story_alerts(
            story,
            flagged=new.flags.flagged,
            baseline=new.baseline,
            channels=channels,
            story_at_baseline=at_baseline,
        )
        outbox.save_alerts(db, rows, now)
    return article_id, story


async def _recheck(src: SourceConfig, ctx: PassContext) -> int:
    """Look again at young articles for revisions (conditional GETs, a few per pass)."""
    revised = 0
    db, now = ctx.store, ctx.now
    due = articles.fetch_due_rechecks(
        db, src.name, now(), RECHECK_YOUNG, RECHECK_EVERY, RECHECK_LIMIT
    )
    for article_id, url in due:
        try:
            await ctx.fetcher.ready(url)
            async with ctx.bounds.analysing:
                resp, result = await read_article(
                    src, ctx, url, None, sources.fetch_validators(db, url)
                )
        except (FetchError, ValueError) as exc:
            log.info("%s: revision check of %s failed: %s", src.name, url, exc)
            articles.save_checked(db, article_id, now())
            continue
        base = articles.fetch_revision_base(db, article_id) if result is not None else None
        if base and result and dedup.is_material_change(base["text"], result.article.text):
            alerted = save_revision(db, base, result, now(), list(ctx.config.channels()))
            revised += 1
            log.info("%s: %s was revised%s", src.name, url, " and is now flagged" * alerted)
        else:
            articles.save_checked(db, article_id, now())
        sources.save_validators(db, url, resp.validators, now())
    return revised


def save_revision(
    db: Database, base: dict[str, Any], result: Analysed, now: dt.datetime, channels: Sequence[str]
) -> bool:
    """The write of a revision: the new text, the old one as a version, and any alert."""
    rows = policy.revision_alerts(
        base["story"],
        was_flagged=bool(base["flagged"]),
        flagged=result.flags.flagged,
        baseline=bool(base["baseline"]),
        channels=channels,
    )
    with transaction(db):
        articles.save_revision(
            db, base["id"], result.article, result.flags, result.fingerprint, now
        )
        outbox.save_alerts(db, rows, now)
    return bool(rows)


def update_health(db: Database, name: str, config: Config, now: dt.datetime) -> dict[str, str]:
    """After a pass: judge the source's figures; open and close episodes with their notices."""
    problems = health.conditions(health_store.fetch_stats(db, name), health_policy(config), now)
    change = policy.health_notices(
        name,
        problems,
        health_store.fetch_open_episodes(db, name),
        now,
        list(config.channels()),
        health.EVENTS,
    )
    if change.start or change.end:
        with transaction(db):
            health_store.save_episodes(db, name, dict(change.start), change.end, now)
            outbox.save_alerts(db, change.notices, now)
    return problems


def health_policy(config: Config) -> health.HealthPolicy:
    """The thresholds of health, as the configuration sets them."""
    return health.HealthPolicy(
        failing_after=config.failing_after,
        empty_after=config.empty_after,
    )


@dataclass
class StoredMemory:
    """What source kinds ask of the store (``kinds.SourceMemory``), answered from the database."""

    store: Database

    def validators(self, url: str) -> Validators | None:
        return sources.fetch_validators(self.store, url)

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        return articles.fetch_known_urls(self.store, urls)
