"""A pass polls every host at once: politeness is per host, and across hosts nothing waits.

Before, at most ``concurrency`` (8) sources were polled at a time, so a pass over many hosts
took as many rounds as there were groups of eight, each as long as its slowest host. Now every
host runs at once, one request at a time each, and what bounds the work in flight is the number
of requests open (``open_requests``). Real servers on twelve loopback addresses, each a host of
its own to the fetcher.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler

import pytest
from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor import poll, run
from monitor.shell.store import open_db, queries

HOSTS = 12


class Gauge:
    """How many requests are open at once, in all and per host."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: dict[str, int] = {}
        self.most = 0
        self.most_per_host = 0

    def serve(self, host: str, body: bytes) -> object:
        def handler(req: BaseHTTPRequestHandler) -> None:
            with self.lock:
                self.open[host] = self.open.get(host, 0) + 1
                self.most = max(self.most, sum(self.open.values()))
                self.most_per_host = max(self.most_per_host, self.open[host])
            time.sleep(0.15)  # a slow server, so that requests overlap when they may
            with self.lock:
                self.open[host] -= 1
            reply(req, 200, body, content_type="text/html; charset=utf-8")

        return handler


def _article(n: int, host: int) -> bytes:
    return (
        f"<html><head><title>Report {host}-{n}</title></head><body><article>"
        f"<h1>Institute {host} presents report {n}</h1><p>20 November 2026</p>"
        f"<p>Experts of institute {host} presented report number {n} on regional water policy "
        "and discussed it with colleagues from neighbouring countries at length.</p>"
        "</article></body></html>"
    ).encode()


def _listing(host: int) -> bytes:
    items = "".join(
        f'<li><h2><a href="/news/report-{host}-{n}.html">Institute {host} presents report {n}'
        "</a></h2></li>"
        for n in (1, 2)
    )
    return f"<html><body><h1>News</h1><ul>{items}</ul></body></html>".encode()


ARTICLES = Gauge()  # article pages alone, of the current test


@pytest.fixture
def sites() -> Iterator[tuple[Gauge, list[SiteServer]]]:
    gauge = Gauge()
    ARTICLES.__init__()  # type: ignore[misc]
    with ExitStack() as stack:
        servers = []
        for h in range(HOSTS):
            server = SiteServer(host=f"127.0.3.{h + 1}")
            name = f"host{h}"
            server.routes["/news/"] = gauge.serve(name, _listing(h))
            for n in (1, 2):
                page = _counted(gauge.serve(name, _article(n, h)))
                server.routes[f"/news/report-{h}-{n}.html"] = page
            server.routes["/robots.txt"] = lambda req: reply(req, 404, b"")
            servers.append(stack.enter_context(server))
        yield gauge, servers


def _counted(handler: object) -> object:
    """``handler``, with the article gauge counting it open for as long as it runs."""

    def both(req: BaseHTTPRequestHandler) -> None:
        with ARTICLES.lock:
            ARTICLES.open["all"] = ARTICLES.open.get("all", 0) + 1
            ARTICLES.most = max(ARTICLES.most, ARTICLES.open["all"])
        try:
            handler(req)  # type: ignore[operator]
        finally:
            with ARTICLES.lock:
                ARTICLES.open["all"] -= 1

    return both


def _config(servers: list[SiteServer], extra: str = "") -> config_mod.Config:
    text = "min_delay: 0.05\n" + extra + "sources:\n"
    for h, server in enumerate(servers):
        text += f"  - {{name: s{h}, url: '{server.url('/news/')}', kind: html}}\n"
    return config_mod.loads(text, env={})


def test_every_host_is_polled_at_once_one_request_each(
    sites: tuple[Gauge, list[SiteServer]],
) -> None:
    gauge, servers = sites
    store = open_db(":memory:")
    reports = run.fetch_once(_config(servers), store)
    assert all(r.ok for r in reports), [r.error for r in reports]
    assert queries.fetch_counts(store)["articles"] == 2 * HOSTS
    assert gauge.most_per_host == 1  # politeness: one request at a time per host
    assert gauge.most > 8  # more hosts at once than the old 8 sources


def test_open_requests_bounds_the_requests_in_flight(
    sites: tuple[Gauge, list[SiteServer]],
) -> None:
    gauge, servers = sites
    store = open_db(":memory:")
    run.fetch_once(_config(servers, "open_requests: 3\n"), store)
    assert queries.fetch_counts(store)["articles"] == 2 * HOSTS
    assert 1 < gauge.most <= 3


def test_the_old_name_concurrency_still_reads_as_open_requests() -> None:
    assert config_mod.loads("concurrency: 5\n", env={}).open_requests == 5


def test_article_pages_in_flight_are_bounded_across_hosts(
    sites: tuple[Gauge, list[SiteServer]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each host reads one page at a time, but 500 hosts at once parked 475 pages in the
    workers' queue: pages between their request and their row are bounded (ANALYSING)."""
    gauge, servers = sites
    monkeypatch.setattr(poll, "ANALYSING", 3)
    store = open_db(":memory:")
    reports = run.fetch_once(_config(servers), store)
    assert all(r.ok for r in reports), [r.error for r in reports]
    assert queries.fetch_counts(store)["articles"] == 2 * HOSTS
    assert gauge.most > 3  # listings of many hosts still at once
    assert 1 < ARTICLES.most <= 3
