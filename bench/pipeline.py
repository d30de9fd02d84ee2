"""Whole passes over a generated world of sites: is `monitor` fast and light at scale?

Usage: .venv/bin/python bench/pipeline.py [--sites 500] [--pages heavy|light|both]
       [--executor default|inline] [--yardstick 300] [--profile FILE] [--render-on-request]

Both page profiles of bench/world.py by default, one after the other, a table each: ``heavy``
pages cost trafilatura ~10 ms (the pipeline's own costs hide under it), ``light`` ones ~5 ms,
the field's common case.

One run, one process tree: the world (bench/world.py) is served from a child process on
127.0.1.x; this process runs the library exactly as ``monitor fetch-once`` does (``fetch_once``
with a Config from ``config.loads``, min_delay 0) into a fresh database, three times:
(a) cold: every source discovered and every article read; (b) idle: nothing changed;
(c) 5% of the sites published one article. For each pass: wall and CPU seconds (the whole
process tree but the server, read from /proc), requests counted at the server, the share of
conditional hits (304) on endpoints (listing page 1, feed, sitemaps), memory (PSS of the tree,
sampled; RSS and ru_maxrss of this process).
(d) The yardstick: trafilatura's ``extract`` alone over a sample of the same article pages,
in a fresh process, in articles per second: the best of three rounds before the passes and
three after them. The server's own CPU, which shares the cores with the measured tree, is
shown beside the main process's. The server renders and compresses its article pages before
the passes (a real site is on another machine and costs the poller no CPU);
``--render-on-request`` renders each when asked, on the measured cores, as the bench did before.

``--executor inline`` runs ``analyse`` in the event-loop thread (what ``--profile`` needs,
cProfile sees one thread); ``default`` is ``fetch_once`` itself, with its pool of workers.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import logging
import multiprocessing
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _common import (
    Row,
    TreeMemory,
    peak_mb,
    print_table,
    process_cpu_seconds,
    rss_mb,
    tree_cpu_seconds,
)
from world import World, WorldProcess

from monitor.config import Config, loads
from monitor.shell.store import Database, open_db, queries

# The library is imported where it is used, not here: the analysis workers' forkserver loads
# this script as the program's main module, as it loads monitor.cli for `monitor fetch-once`,
# whose own imports are light; importing the store and the HTTP client here would put them in
# every worker's parent, and measure a heavier process tree than the command has.
if TYPE_CHECKING:
    from monitor.poll import SourceReport

COLD_SPEED = 1.0  # x the trafilatura-alone yardstick
CPU_RATIO = 1.5  # CPU per stored article, x trafilatura's extract alone per page
IDLE_304_SHARE = 0.95
IDLE_CPU_MS = 5.0
PEAK_MB = 250.0
FLAT_MB = 10.0  # what "flat between passes" allows


class InlineExecutor(Executor):
    """Runs each job at once in the calling thread: one thread, so cProfile sees everything."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


@dataclass
class PassResult:
    """What one pass cost and did."""

    name: str
    wall: float
    cpu: float
    main_cpu: float
    server_cpu: float
    reports: list[SourceReport]
    stats: dict[str, Any]
    rss_after: float
    peak_after: float
    tree_peak: float

    def count(self, category: str, status: int | None = None) -> int:
        by = self.stats["by"]
        return sum(
            n
            for key, n in by.items()
            if key.split(":")[0] == category and (status is None or key.endswith(f":{status}"))
        )

    @property
    def new(self) -> int:
        return sum(r.new for r in self.reports)

    @property
    def failed_sources(self) -> list[SourceReport]:
        return [r for r in self.reports if not r.ok]


def run_one_pass(
    name: str,
    config: Config,
    store: Database,
    served: WorldProcess,
    executor: str,
    profile: cProfile.Profile | None = None,
) -> PassResult:
    """One pass as fetch-once runs it, measured from the outside."""
    from monitor import run

    served.reset()
    server = served.pid
    cpu0, t0 = tree_cpu_seconds(server), time.perf_counter()
    main0, server0 = time.process_time(), process_cpu_seconds(server)
    with TreeMemory(server) as memory:
        if profile:
            profile.enable()
        if executor == "default":
            reports = run.fetch_once(config, store)
        else:
            reports = _run_pass_inline(config, store)
        if profile:
            profile.disable()
    wall, cpu = time.perf_counter() - t0, tree_cpu_seconds(server) - cpu0
    main_cpu = time.process_time() - main0
    server_cpu = process_cpu_seconds(server) - server0
    stats = served.stats()
    return PassResult(
        name, wall, cpu, main_cpu, server_cpu, reports, stats, rss_mb(), peak_mb(), memory.peak
    )


def _run_pass_inline(config: Config, store: Database) -> list[SourceReport]:
    """fetch_once, but analysing in the loop's thread (fetch_once takes no executor)."""
    from monitor import poll, run

    pool = InlineExecutor()
    flagger = run.make_flagger(config)

    async def main() -> list[SourceReport]:
        async with run.make_fetcher(config) as client:
            ctx = poll.PassContext(
                config=config,
                fetcher=client,
                store=store,
                flagger=flagger,
                executor=pool,
            )
            return await poll.run_pass(ctx)

    try:
        return asyncio.run(main())
    finally:
        pool.shutdown(wait=True)


def yardstick(world: World, pages: int, rounds: int = 3) -> tuple[float, float, int]:
    """trafilatura.extract alone over ``pages`` article pages: (best, slowest) articles per second.

    Measured in a fresh process that imports trafilatura and nothing else of ours: this one has
    run three passes by then, and its heap (the cyclic GC walks it) slowed trafilatura by up to
    a third in some runs. The best of ``rounds``: one round moves by up to a third from run to
    run on this machine, and the fastest is the one least disturbed, so the hardest target.
    """
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as alone:
        # min: the 5% pass added an article to some sites; the sampled ones are older anyway
        shape = (len(world.sites), min(world.counts), world.seed, world.port, world.pages)
        job = alone.submit(_yardstick_rounds, shape, pages, rounds)
        speeds = job.result()
    return max(speeds), min(speeds), min(pages, sum(world.counts))


def _yardstick_rounds(
    shape: tuple[int, int, int, int, str], pages: int, rounds: int
) -> list[float]:
    """In the fresh process: the same world's article pages, through trafilatura alone."""
    import trafilatura

    sites, articles, seed, port, profile = shape
    world = World(sites, articles=articles, seed=seed, port=port, pages=profile)
    sample = [
        (world.base(site) + world.article(site.index, n)["path"], world.article_page(site, n))
        for site, n in world.article_urls(pages)
    ]
    speeds = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for url, html in sample:
            trafilatura.extract(html, url=url, include_comments=False, include_tables=True)
        speeds.append(len(sample) / (time.perf_counter() - t0))
    return speeds


def describe(result: PassResult, sites: int) -> list[Row]:
    """The informative rows of one pass."""
    endpoints = result.count("endpoint")
    hits = result.count("endpoint", 304)
    errors = result.failed_sources
    rows = [
        Row(f"{result.name}: wall / CPU seconds", f"{result.wall:.1f} / {result.cpu:.1f}"),
        Row(
            f"{result.name}: requests (robots/endpoint/pages/articles/404)",
            f"{result.stats['requests']} ({result.count('robots')}/{endpoints}/"
            f"{result.count('listing-page')}/{result.count('article')}/{result.count('missing')})",
        ),
        Row(f"{result.name}: endpoint 304s", f"{hits}/{endpoints}"),
        Row(
            f"{result.name}: new articles, failed sources",
            f"{result.new}, {len(errors)}" + (f" e.g. {errors[0].error}" if errors else ""),
        ),
        Row(f"{result.name}: CPU per source", f"{1000 * result.cpu / sites:.1f} ms"),
        Row(f"{result.name}: RSS after / peak so far", f"{result.rss_after:.0f} / "
            f"{result.peak_after:.0f} MB"),
    ]  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--articles", type=int, default=40, help="articles per site")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8480)
    parser.add_argument("--executor", choices=("default", "inline"), default="default")
    parser.add_argument(
        "--pages",
        choices=("heavy", "light", "both"),
        default="both",
        help="the world's page profile (bench/world.py PROFILES); both: one run of each",
    )
    parser.add_argument("--yardstick", type=int, default=300, help="pages for trafilatura alone")
    parser.add_argument(
        "--profile",
        type=Path,
        help="cProfile each page profile's cold pass into FILE.<pages>, its idle pass into "
        "FILE.<pages>.idle",
    )
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument(
        "--min-delay",
        type=float,
        default=0.0,
        help="seconds between two requests to one host (monitor's default is 1; 0 measures CPU)",
    )
    parser.add_argument(
        "--render-on-request",
        action="store_true",
        help="the server renders and compresses each article page when asked (as before "
        "2026-11-28), on the measured cores, instead of once before the passes",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    if args.profile and args.executor != "inline":
        print("note: --profile sees only one thread; consider --executor inline", file=sys.stderr)

    verdict = True
    for pages in ("heavy", "light") if args.pages == "both" else (args.pages,):
        verdict = run_profile(args, pages) and verdict
    return 0 if verdict else 1


def run_profile(args: argparse.Namespace, pages: str) -> bool:
    """One world of ``pages`` pages, its three passes and its yardstick; prints the table."""
    world = World(args.sites, articles=args.articles, seed=args.seed, port=args.port, pages=pages)
    config = loads(world.sources_yaml(min_delay=args.min_delay), label="world.yaml", env={})
    profiles = {name: cProfile.Profile() for name in ("cold", "idle")} if args.profile else {}
    started = dt.datetime.now()
    print(
        f"{args.sites} sites x {args.articles} articles, {pages} pages, "
        f"executor {args.executor}, "
        f"started {started:%H:%M:%S}",
        file=sys.stderr,
    )
    # The yardstick's rounds run before the passes and after them: this machine's speed drifts
    # by a third over minutes, and the fastest round of either side is the hardest target.
    before = yardstick(world, args.yardstick)
    if not args.render_on_request:
        print("  the server renders its article pages before the passes...", file=sys.stderr)
    prerender = not args.render_on_request
    with tempfile.TemporaryDirectory() as tmp, WorldProcess(world, prerender=prerender) as served:
        from monitor.shell import workers

        workers.tune_allocator()  # as the fetch-once command does

        store = open_db(args.db or Path(tmp) / "bench.db")
        passes = []
        for name in ("cold", "idle", "5% new"):
            if name == "5% new":
                served.mutate(0.05)
            prof = profiles.get(name)
            passes.append(run_one_pass(name, config, store, served, args.executor, prof))
            print(f"  {name} pass done in {passes[-1].wall:.1f} s", file=sys.stderr)
        stored = queries.fetch_counts(store)["articles"]
        stories = store.conn.execute("SELECT count(DISTINCT story) FROM articles").fetchone()[0]
        store.close()
    after = yardstick(world, args.yardstick)
    speed, slowest, sampled = max(before[0], after[0]), min(before[1], after[1]), before[2]
    for name, profile in profiles.items():
        path = f"{args.profile}.{pages}" + ("" if name == "cold" else f".{name}")
        profile.dump_stats(path)
        print(f"\n{name} pass profile ({path}):", file=sys.stderr)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)

    cold, idle, changed = passes
    cold_speed = cold.new / cold.wall if cold.wall else 0.0
    # Every site of the world is a host of its own and they are alike: the busiest host has
    # about the mean of requests, each min_delay after the last; the CPU floor is the tree's
    # CPU over the two cores.
    polite_floor = args.min_delay * (cold.stats["requests"] / max(1, args.sites) - 1)
    floor = max(polite_floor, cold.cpu / 2)
    idle_hits = idle.count("endpoint", 304) / max(1, idle.count("endpoint"))
    idle_cpu = 1000 * idle.cpu / args.sites
    growth = max(idle.rss_after, changed.rss_after) - cold.rss_after
    expected = args.sites * args.articles
    per_article = 1000 * cold.cpu / max(1, cold.new)
    rows = [
        Row("articles stored / expected", f"{stored} / {expected + changed.new}",
            "all", stored == expected + changed.new),
        Row("stories (distinct articles must not merge)", f"{stories}", f"{stored}",
            stories == stored),
        Row("trafilatura.extract alone (yardstick)",
            f"{speed:.1f} art/s (best of 3 before + 3 after x {sampled} pages; "
            f"before {before[0]:.1f}, after {after[0]:.1f}, slowest {slowest:.1f})"),
        Row("cold pass throughput", f"{cold_speed:.1f} art/s = {cold_speed / speed:.2f}x",
            f">= {COLD_SPEED:.1f}x", cold_speed >= COLD_SPEED * speed),
        Row("cold pass CPU per article / trafilatura's extract per page",
            f"{per_article:.1f} / {1000 / speed:.1f} ms = {per_article * speed / 1000:.2f}x",
            f"<= {CPU_RATIO:.1f}x", per_article * speed / 1000 <= CPU_RATIO),
        Row("cold pass wall / floor (politeness, CPU / 2 cores)",
            f"{cold.wall:.1f} / {floor:.1f} s ({polite_floor:.1f}, {cold.cpu / 2:.1f}) = "
            f"{cold.wall / max(floor, 1e-9):.2f}x", "<= 1.50x", cold.wall <= 1.5 * floor),
        Row("  of which the main process (fetch, store)",
            f"{1000 * cold.main_cpu / max(1, cold.new):.1f} ms"),
        Row("  and the world's server, on the same cores (not counted above)",
            f"{1000 * cold.server_cpu / max(1, cold.new):.1f} ms"),
        Row("idle pass: endpoints answered 304", f"{100 * idle_hits:.1f}%",
            f">= {100 * IDLE_304_SHARE:.0f}%", idle_hits >= IDLE_304_SHARE),
        Row("idle pass: CPU per source", f"{idle_cpu:.1f} ms", f"<= {IDLE_CPU_MS:.0f} ms",
            idle_cpu <= IDLE_CPU_MS),
        Row("5% new: new articles found", f"{changed.new}", f"{max(1, round(0.05 * args.sites))}",
            changed.new == max(1, round(0.05 * args.sites))),
        Row("peak memory, cold pass: process tree (PSS, sampled)", f"{cold.tree_peak:.0f} MB",
            f"<= {PEAK_MB:.0f} MB", cold.tree_peak <= PEAK_MB),
        Row("peak memory, cold pass: this process (ru_maxrss)", f"{cold.peak_after:.0f} MB"),
        Row("memory growth after cold (RSS)", f"{growth:+.1f} MB", f"<= {FLAT_MB:.0f} MB",
            growth <= FLAT_MB),
    ]  # fmt: skip
    for result in passes:
        rows += describe(result, args.sites)
    print_table(
        f"bench/pipeline.py: {args.sites} sites x {args.articles} articles, {pages} pages "
        f"(trafilatura {1000 / speed:.1f} ms a page), executor {args.executor}, "
        f"min_delay {args.min_delay:g}",
        rows,
    )
    return all(r.ok is not False for r in rows)


if __name__ == "__main__":
    sys.exit(main())
