"""The baseline is what a site already had: all of it stays silent, however it is reached.

A feed carries only its latest items, a listing page may link a site-wide feed that lacks its own
items, and ``max_articles`` may leave part of the first listing for later passes: news that was
there at the first pass must never alert later, and a source's own listing must not be
replaced by a feed that does not carry it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor import run
from monitor.poll import SourceReport
from monitor.shell.store import Database, open_db, outbox, queries, sources

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
TOPICS = [
    "water security in the Syr Darya basin",
    "the energy transition in the steppe",
    "grain exports through the Caspian ports",
    "a school for young hydrologists",
    "digital customs at the Khorgos crossing",
    "the new rail link to Turkmenistan",
    "youth unemployment in the regions",
    "the census of livestock",
    "rare earths in the Kostanay region",
    "the water tariff reform",
    "migration of herders in winter",
    "the legacy of the Aral Sea",
]


def body(n: int, flagged: bool = False) -> str:
    topic = TOPICS[n % len(TOPICS)]
    text = (
        f"Experts of the institute discussed {topic} at a round table number {n + 100}. "
        f"They compared the figures of {2000 + n} and {2010 + n} and proposed {n + 3} measures "
        f"for the next plan, to be reviewed in the spring session."
    )
    if flagged:
        text += " The institute signed a memorandum of understanding with ISIS Malaysia."
    return text


class Site:
    """A news site: a paginated listing of its articles and a feed of the latest few."""

    def __init__(self, count: int, *, feed_items: int, feed_path: str = "/feed/") -> None:
        self.articles = [
            f"/news/{n}-{TOPICS[n % len(TOPICS)].replace(' ', '-')}" for n in range(count)
        ]
        self.flagged: set[int] = set()
        self.feed_items = feed_items
        self.feed_path = feed_path
        self.feed_extra: list[str] = []  # site-wide items the section's listing does not list
        self.per_page = 5

    def routes(self) -> dict[str, object]:
        routes: dict[str, object] = {"/news/": self.listing, self.feed_path: self.feed}
        routes.update({f"/news/page/{p}/": self.listing for p in range(2, 10)})
        routes.update({path: self.article for path in self.articles + self.feed_extra})
        return routes

    def listing(self, req: object) -> None:
        path = req.path  # type: ignore[attr-defined]
        page = int(path.rstrip("/").rsplit("/", 1)[-1]) if "/page/" in path else 1
        start = (page - 1) * self.per_page
        newest_first = list(reversed(self.articles))
        items = newest_first[start : start + self.per_page]
        cards = "".join(
            f'<li><h2><a href="{p}">Story {p.split("/")[2].split("-")[0]} of the institute</a>'
            "</h2></li>"
            for p in items
        )
        more = start + self.per_page < len(newest_first)
        nxt = f'<a class="next" href="/news/page/{page + 1}/">Next</a>' if more else ""
        html = (
            "<html lang='en'><head><title>News</title>"
            f'<link rel="alternate" type="application/rss+xml" href="{self.feed_path}">'
            f"</head><body><main><ul>{cards}</ul>{nxt}</main></body></html>"
        )
        reply(req, 200, html.encode())  # type: ignore[arg-type]

    def feed(self, req: object) -> None:
        base = f"http://{req.headers['Host']}"  # type: ignore[attr-defined]
        latest = (list(reversed(self.articles)) + self.feed_extra)[: self.feed_items]
        if self.feed_extra:
            latest = self.feed_extra[: self.feed_items]
        items = "".join(
            f"<item><title>Item {p}</title><link>{base}{p}</link>"
            "<pubDate>Thu, 19 Nov 2026 08:00:00 GMT</pubDate></item>"
            for p in latest
        )
        xml = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel>'
        xml += "</rss>"
        reply(req, 200, xml.encode(), "application/rss+xml")  # type: ignore[arg-type]

    def article(self, req: object) -> None:
        path = req.path  # type: ignore[attr-defined]
        n = int(path.split("/")[2].split("-")[0]) if path in self.articles else 900
        html = (
            f"<html lang='en'><body><h1>Story {n} of the institute</h1>"
            f"<p class='date'>November {1 + n % 19}, 2026</p>"
            f"<div class='entry-content'><p>{body(n, n in self.flagged)}</p></div></body></html>"
        )
        reply(req, 200, html.encode())  # type: ignore[arg-type]


def _run(srv: SiteServer, store: Database, now: dt.datetime, extra: str = "") -> SourceReport:
    cfg = config_mod.loads(
        f"min_delay: 0\ncountries: [MY]\nalerts:\n  - {{kind: webhook, url: 'http://127.0.0.1:9/'}}\n"
        f"sources:\n  - {{name: site, url: '{srv.url('/news/')}'{extra}}}\n",
        env={},
    )
    (report,) = run.fetch_once(cfg, store, now=lambda: now)
    return report


def _stored(store: Database) -> set[str]:
    return {a["url"].split("/", 3)[3] for a in queries.fetch_articles(store)}


def test_the_archive_behind_a_feed_is_read_at_the_baseline(tmp_path: Path) -> None:
    """A feed of the latest 5 and a listing of 20 (4 pages): the baseline holds all 20."""
    site = Site(20, feed_items=5)
    site.flagged = {2}  # an old memorandum, listed on page 4 only
    store = open_db(tmp_path / "m.db")

    with SiteServer(routes=site.routes()) as srv:  # type: ignore[arg-type]
        report = _run(srv, store, T0)
        assert report.ok, report.article_errors or report.error
        assert report.kind == "rss", "later passes read the feed"
        assert len(_stored(store)) == 20
        assert all(a["baseline"] for a in queries.fetch_articles(store))
        # a repost of the old memorandum under a new URL is the same story: nothing alerts
        site.articles.append(site.articles[2] + "-repost")
        srv.routes[site.articles[-1]] = site.article
        second = _run(srv, store, T0 + dt.timedelta(hours=1))
    assert second.ok and (second.new, second.seen) == (0, 5), "the repost is the same article"
    assert outbox.fetch_alerts(store) == []


def test_a_section_listing_is_not_replaced_by_a_site_wide_feed(tmp_path: Path) -> None:
    """An events page links the site's feed, which carries posts, not events: read the page."""
    site = Site(6, feed_items=5)
    site.feed_extra = [f"/blog/post-{n}" for n in range(5)]
    store = open_db(tmp_path / "m.db")

    with SiteServer(routes=site.routes()) as srv:  # type: ignore[arg-type]
        report = _run(srv, store, T0)
        assert report.kind == "html"
        assert _stored(store) == {p.lstrip("/") for p in site.articles}
        site.articles.append("/news/6-a-new-event")
        srv.routes[site.articles[-1]] = site.article
        site.flagged.add(6)
        second = _run(srv, store, T0 + dt.timedelta(hours=1))
    assert second.new == 1 and sources.fetch_state(store, "site").discovered_kind == "html"
    assert len(outbox.fetch_alerts(store)) == 1, "the new event alerts"


def test_links_left_for_later_at_the_baseline_stay_baseline(tmp_path: Path) -> None:
    """``max_articles`` spreads the first listing over passes: all of it is still the baseline."""
    site = Site(12, feed_items=0)
    site.flagged = {0, 1}  # the oldest two: read in the third pass
    store = open_db(tmp_path / "m.db")
    with SiteServer(routes=site.routes()) as srv:  # type: ignore[arg-type]
        extra = ", kind: html, max_articles: 5, max_pages: 3"
        news = [_run(srv, store, T0 + dt.timedelta(hours=h), extra).new for h in range(3)]
    assert news == [5, 5, 2]
    assert all(a["baseline"] for a in queries.fetch_articles(store))
    assert outbox.fetch_alerts(store) == []
