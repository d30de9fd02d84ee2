"""``monitor run``: cycles over healthy and broken sources, signals, and crashes at any moment."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import faults
from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor.scheduler import Daemon
from monitor.shell.store import open_db, queries, sources

MONITOR = [sys.executable, "-m", "monitor"]


class GrowingSite:
    """A news listing whose articles can be added while the daemon runs; may be made to fail."""

    def __init__(self, count: int, topic: str = "water security in Central Asia") -> None:
        self.count = count
        self.topic = topic
        self.broken = False
        self.article_delay = 0.0
        self.inflight = faults.InFlight()

    def listing(self, req: object) -> None:
        if self.broken:
            reply(req, 500, b"<h1>Internal Server Error</h1>")  # type: ignore[arg-type]
            return
        cards = "".join(
            f'<article class="post"><h2><a href="/news/item-{i}-regional-news-story">'
            f"Regional news story number {i}</a></h2></article>"
            for i in range(self.count, 0, -1)
        )
        body = f"<html><body><main>{cards}</main></body></html>".encode()
        reply(req, 200, body)  # type: ignore[arg-type]

    def article(self, req: object) -> None:
        time.sleep(self.article_delay)
        path = req.path  # type: ignore[attr-defined]
        n = int(path.split("-")[1])
        agreement = "signed a memorandum of understanding with Malaysia" if n % 3 == 0 else ""
        body = (
            f"<html lang='en'><head><title>Story {n}</title></head><body>"
            f"<h1>Regional news story number {n}</h1><p class='date'>November {n % 27 + 1}, 2026"
            f"</p><div class='entry-content'><p>Experts of the institute discussed {self.topic} "
            f"at meeting number {n} and {agreement or 'exchanged views on the region'}.</p>"
            f"<p>The participants agreed to meet again next year to continue the dialogue on "
            f"item {n} of the agenda.</p></div></body></html>"
        ).encode()
        reply(req, 200, body)  # type: ignore[arg-type]

    def server(self) -> SiteServer:
        srv = SiteServer(routes={"/news/": self.inflight.wrap(self.listing)})
        article = self.inflight.wrap(self.article)
        srv.routes.update({f"/news/item-{i}-regional-news-story": article for i in range(1, 200)})
        return srv


def _config(text: str) -> config_mod.Config:
    return config_mod.loads(text, env={})


def _fast(cfg: config_mod.Config, seconds: float) -> config_mod.Config:
    """Test-only: sub-minute intervals (the file format refuses them to protect real sites)."""
    sources = tuple(s.model_copy(update={"interval": seconds}) for s in cfg.sources)
    return cfg.model_copy(update={"sources": sources})


async def _until(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return check()


def test_daemon_cycles_over_healthy_and_failing_sources(tmp_path: Path) -> None:
    healthy, flaky = GrowingSite(5), GrowingSite(2, topic="rail freight across the Caspian Sea")
    flaky.broken = True
    with healthy.server() as good_srv, flaky.server() as bad_srv:
        cfg = _fast(
            _config(
                f"min_delay: 0\ncountries: [MY]\nfailing_after: 2\nempty_after: 50\n"
                f"alerts:\n  - {{kind: webhook, url: 'http://127.0.0.1:9/hook'}}\n"
                f"sources:\n  - {{name: good, url: '{good_srv.url('/news/')}'}}\n"
                f"  - {{name: flaky, url: '{bad_srv.url('/news/')}', kind: html}}\n"
            ),
            0.3,
        )
        store = open_db(tmp_path / "m.db")
        daemon = Daemon(
            tmp_path / "sources.yaml",
            cfg,
            store,
            grace=2,
            first_run_spread=0,
            deliver=lambda config, now: None,
            feed_path=tmp_path / "flagged.atom",
            feed_self_url="https://news.example.org/flagged.atom",
        )

        def health_rows() -> list[tuple[str, str]]:
            rows = store.conn.execute(
                "SELECT story, payload FROM outbox WHERE kind = 'health' ORDER BY id"
            ).fetchall()
            return [(r[0], r[1]) for r in rows]

        def failures() -> int:
            return sources.fetch_state(store, "flaky").consecutive_failures

        async def scenario() -> None:
            task = asyncio.create_task(daemon.run())
            assert await _until(lambda: queries.fetch_counts(store)["articles"] >= 5, 15)
            assert await _until(lambda: failures() >= 4, 20), "flaky never failed 4 times"
            flaky.broken = False
            assert await _until(lambda: failures() == 0, 20), "flaky never recovered"
            healthy.count = 8  # three new articles while it runs
            assert await _until(lambda: queries.fetch_counts(store)["articles"] >= 5 + 2 + 3, 15)
            await asyncio.sleep(1)  # a few more idle cycles
            daemon.stop()
            await asyncio.wait_for(task, 10)

        asyncio.run(scenario())

    urls = [a["url"] for a in queries.fetch_articles(store)]
    assert len(urls) == len(set(urls)) == 10, "every article of every source stored once"
    import feedparser

    feed = feedparser.parse((tmp_path / "flagged.atom").read_bytes())
    flagged_stories = {s["story"] for s in queries.fetch_stories(store, flagged=True)}
    assert not feed.bozo and len(feed.entries) == len(flagged_stories) > 0, "--feed kept current"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        "https://news.example.org/flagged.atom"
    ]
    new = [a for a in queries.fetch_articles(store, sources=["good"]) if not a["baseline"]]
    assert len(new) == 3
    events = [
        story.split(":")[2] + (":recovered" if story.endswith("recovered") else "")
        for story, _ in health_rows()
    ]
    assert events == ["failing", "failing:recovered"], "one message per episode, one per recovery"
    assert all("flaky" in story for story, _ in health_rows())
    assert healthy.inflight.max == 1 and flaky.inflight.max == 1, "one request in flight per host"
    # back-off: the broken source was asked far less often than the healthy one
    flaky_listings = bad_srv.paths().count("/news/")
    good_listings = good_srv.paths().count("/news/")
    assert flaky_listings < good_listings


def _run_monitor(args: list[str], cwd: Path, **kw: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*MONITOR, *args],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,  # type: ignore[call-overload]
    )


@contextmanager
def running(args: list[str], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    """``monitor ARGS`` in a subprocess for the block; killed at its end if still running."""
    proc = _run_monitor(args, cwd)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)


def stop(proc: subprocess.Popen[str], timeout: float = 30) -> str:
    """SIGTERM, as systemd stops it; what it wrote on stderr."""
    proc.send_signal(signal.SIGTERM)
    return proc.communicate(timeout=timeout)[1]


def _fetch_count(db: Path, source: str) -> int:
    try:
        with sqlite3.connect(db, timeout=10) as conn:
            return conn.execute(
                "SELECT count(*) FROM fetches WHERE source = ?", [source]
            ).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _wait(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_sigterm_stops_cleanly_and_sighup_reloads(tmp_path: Path) -> None:
    site = GrowingSite(3)
    with site.server() as srv:
        cfg = tmp_path / "sources.yaml"
        base = (
            f"min_delay: 0\nsources:\n  - {{name: one, url: '{srv.url('/news/')}', interval: 1m}}\n"
        )
        cfg.write_text(base)
        db = tmp_path / "m.db"
        args = ["--config", str(cfg), "--db", str(db), "-v", "run", "--grace", "3"]
        with running(args, tmp_path) as proc:
            assert _wait(lambda: _fetch_count(db, "one") >= 1, 30), "first pass never ran"
            cfg.write_text(base + "  - {name: two, url: 'not a url'}\n")
            proc.send_signal(signal.SIGHUP)
            time.sleep(1)
            assert proc.poll() is None, "a bad file on reload must not stop the daemon"
            cfg.write_text(base + f"  - {{name: two, url: '{srv.url('/news/')}', interval: 1m}}\n")
            proc.send_signal(signal.SIGHUP)
            assert _wait(lambda: _fetch_count(db, "two") >= 1, 30), "reloaded source never ran"
            err = stop(proc, timeout=15)
    assert proc.returncode == 0, err
    assert "reload refused" in err and "'two': url" in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sigkill_at_random_moments_loses_and_doubles_nothing(tmp_path: Path) -> None:
    """Twenty kills mid-pass: the file stays sound, no article is lost or doubled, no alert lost."""
    site = GrowingSite(4)
    site.article_delay = 0.05  # a pass over new articles lasts long enough to be hit
    rng = random.Random(9319)
    with site.server() as srv:
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(
            "min_delay: 0.02\ncountries: [MY]\n"
            "alerts:\n  - {kind: webhook, url: 'http://127.0.0.1:9/hook'}\n"
            f"sources:\n  - {{name: site, url: '{srv.url('/news/')}', kind: html}}\n"
        )
        db = tmp_path / "m.db"
        args = ["--config", str(cfg), "--db", str(db), "-q", "fetch-once"]
        first = subprocess.run([*MONITOR, *args], cwd=tmp_path, capture_output=True, text=True)
        assert first.returncode in (0, 1), first.stderr  # the baseline (the hook is unreachable)
        for kill in range(20):
            site.count += 2
            before = len(srv.requests)
            proc = _run_monitor(args, tmp_path)
            # kill during the pass, not while Python is still importing
            assert _wait(lambda b=before: len(srv.requests) > b, 30), "the pass never started"
            time.sleep(rng.uniform(0.0, 0.5))
            proc.send_signal(signal.SIGKILL)
            # its analysis workers must not outlive it (they would hold its pipes open)
            proc.communicate(timeout=20)
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", kill
        last = subprocess.run([*MONITOR, *args], cwd=tmp_path, capture_output=True, text=True)
    store = open_db(db)
    urls = [a["url"] for a in queries.fetch_articles(store)]
    assert len(urls) == len(set(urls)) == site.count, last.stderr
    flagged_new = {
        a["id"] for a in queries.fetch_articles(store, flagged=True) if not a["baseline"]
    }
    assert flagged_new, "the scenario must produce alerts"
    stories = {
        r[0]
        for r in store.conn.execute(
            f"SELECT story FROM articles WHERE id IN ({','.join(map(str, flagged_new))})"
        )
    }
    queued = {r[0] for r in store.conn.execute("SELECT story FROM outbox WHERE kind = 'story'")}
    assert stories <= queued, "every flagged story has its alert queued"
    assert len(queued) == len(stories)


def _calendar(req: object) -> None:
    """A listing that grows an endless calendar: every page links the next day's page."""
    path = req.path  # type: ignore[attr-defined]
    day = int(path.rsplit("=", 1)[1]) if "=" in path else 0
    links = "".join(f'<a href="/events/?date={day + i}">Day {day + i}</a> ' for i in range(1, 30))
    nav = f'<nav class="pagination"><a rel="next" href="/events/?date={day + 1}">Next</a></nav>'
    reply(req, 200, f"<html><body><main>{links}</main>{nav}</body></html>".encode())  # type: ignore[arg-type]


def _fault_mix() -> dict[str, faults.Handler]:
    import gzip

    bomb = gzip.compress(b"\0" * (32 * 2**20), compresslevel=9)
    page = b"<html><body><main>" + b"<p>x</p>" * 10 + b"</main></body></html>"
    return {
        "/500/": faults.status(500),
        "/503/": faults.status(503, Retry_After="1"),
        "/429/": faults.status(429, Retry_After="1"),
        "/silent/": faults.stall(4),
        "/reset/": faults.reset_mid_body(page[:20], len(page)),
        "/truncated/": faults.truncated(page[:20], len(page)),
        "/chunks/": faults.broken_chunks(),
        "/drip/": faults.drip(page, 0.5),
        "/huge/": faults.endless(20 * 2**20),
        "/bomb/": faults.encoded(bomb, "gzip"),
        "/loop/": faults.redirect("/loop/?again"),
        "/file/": faults.redirect("file:///etc/passwd"),
        "/ftp/": faults.redirect("ftp://127.0.0.1/pub/"),
        "/pdf/": faults.status(200, b"%PDF-1.7\n" + b"\0" * 100, "text/html"),
        "/bytes/": faults.status(200, bytes(range(256)) * 20, "text/html"),
        "/badxml/": faults.status(200, b"<rss><channel><item><title>x</tit", "application/rss+xml"),
        "/entities/": faults.status(
            200,
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><title>&b;</title>'
            b"</channel></rss>",
            "application/rss+xml",
        ),
        "/events/": _calendar,
    }


KINDS = {"/badxml/": "rss", "/entities/": "rss", "/events/": "html"}


def test_daemon_survives_every_fault_of_the_web(tmp_path: Path) -> None:
    """Healthy sources stored whole beside every kind of broken server; one message per episode."""
    healthy = GrowingSite(6)
    routes = _fault_mix()
    with ExitStack() as stack:
        good = stack.enter_context(healthy.server())
        # one server per fault: each is its own host, as on the web
        bad = {
            path: stack.enter_context(SiteServer(routes={path: handler}, host=f"127.0.0.{10 + i}"))
            for i, (path, handler) in enumerate(routes.items())
        }
        lines = [
            "min_delay: 0",
            "request_timeout: 2s",
            "max_page_bytes: 1048576",
            "failing_after: 2",
            "empty_after: 100",
            "max_backoff: 2s",
            "alerts:\n  - {kind: webhook, url: 'http://127.0.0.1:9/'}",
            f"sources:\n  - {{name: healthy, url: '{good.url('/news/')}'}}",
        ]
        for path, srv in bad.items():
            name = "f-" + path.strip("/")
            kind = KINDS.get(path, "auto")
            pages = "" if kind == "rss" else ", max_pages: 3"  # a feed has no pages to follow
            lines.append(f"  - {{name: {name}, url: '{srv.url(path)}', kind: {kind}{pages}}}")
        cfg = _fast(_config("\n".join(lines) + "\n"), 0.5)
        store = open_db(tmp_path / "m.db")
        daemon = Daemon(
            tmp_path / "sources.yaml",
            cfg,
            store,
            grace=3,
            first_run_spread=0,
            deliver=lambda config, now: None,
        )
        failing = ["f-" + p.strip("/") for p in routes if p != "/events/"]

        async def scenario() -> None:
            task = asyncio.create_task(daemon.run())
            done = await _until(
                lambda: (
                    all(sources.fetch_state(store, n).consecutive_failures >= 2 for n in failing)
                    and queries.fetch_counts(store)["articles"] >= 6
                ),
                90,
            )
            await asyncio.sleep(1)
            daemon.stop()
            await asyncio.wait_for(task, 15)
            low = {n: sources.fetch_state(store, n) for n in failing}
            assert done, {
                n: s.consecutive_failures for n, s in low.items() if s.consecutive_failures < 2
            }

        asyncio.run(scenario())

    urls = [a["url"] for a in queries.fetch_articles(store)]
    log = store.conn.execute("SELECT * FROM fetches WHERE source = 'healthy'").fetchall()
    assert len(urls) == len(set(urls)) == 6, f"the healthy source stored whole, once: {log}"
    assert {a["source"] for a in queries.fetch_articles(store)} == {"healthy"}
    episodes = store.conn.execute(
        "SELECT source, count(*) FROM health_episodes WHERE event = 'failing' GROUP BY source"
    ).fetchall()
    assert dict(episodes) == dict.fromkeys(failing, 1), "one episode per failing source"
    messages = store.conn.execute(
        "SELECT count(*) FROM outbox WHERE kind = 'health' AND story LIKE 'health:%:failing:%'"
    ).fetchone()[0]
    assert messages == len(failing), "one operator message per episode, not one per failure"
    slowest = store.conn.execute(
        "SELECT max(julianday(finished_at) - julianday(started_at)) * 86400 FROM fetches"
    ).fetchone()[0]
    assert slowest < 15, f"a pass took {slowest:.1f} s: deadlines must bound every fetch"
    errors = dict(store.conn.execute("SELECT name, last_error FROM sources"))
    assert all(errors[n] and "\n" not in errors[n] for n in failing), errors
    assert healthy.inflight.max == 1
