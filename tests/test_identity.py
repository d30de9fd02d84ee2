"""One article once, one story once: near copies under other URLs, and revisions over time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor import poll, run
from monitor.shell.store import Database, open_db, outbox, queries

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def versions(store: Database, article_id: int) -> list[dict[str, object]]:
    """The earlier texts kept of an article, as the table holds them."""
    rows = store.conn.execute(
        "SELECT version, title, flagged FROM article_versions WHERE article_id = ?"
        " ORDER BY version",
        [article_id],
    )
    return [dict(zip(("version", "title", "flagged"), r, strict=True)) for r in rows]


WATER = (
    "Experts of the institute met in Almaty to discuss water security in the Syr Darya basin. "
    "They compared irrigation reforms in the upstream and downstream states and the state of "
    "the canals built sixty years ago. The participants proposed a shared data platform on "
    "river flows and a school for young hydrologists from the region."
)
ENERGY = (
    "A round table on the energy transition gathered economists and engineers. The speakers "
    "discussed solar and wind projects in the steppe, the grid connections they need, and the "
    "price of coal in winter. They agreed to continue the discussion next spring in Shymkent."
)
MOU = (
    " The institute also signed a memorandum of understanding with the Institute of Strategic "
    "and International Studies of Malaysia on joint research."
)


class Site:
    """Pages held in a dict: tests edit them between passes."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str, str]] = {}  # path -> (title, date line, body)
        self.listed: list[str] = []

    def page(self, req: object) -> None:
        path = req.path  # type: ignore[attr-defined]
        if path == "/news/":
            cards = "".join(
                f'<article><h2><a href="{p}">{self.pages[p][0]}</a></h2></article>'
                for p in self.listed
            )
            reply(req, 200, f"<html><body><main>{cards}</main></body></html>".encode())  # type: ignore[arg-type]
            return
        title, date, body = self.pages[path]
        html = (
            f"<html lang='en'><body><h1>{title}</h1><p class='date'>{date}</p>"
            f"<div class='entry-content'><p>{body}</p></div></body></html>"
        )
        reply(req, 200, html.encode())  # type: ignore[arg-type]

    def server(self, paths: list[str]) -> SiteServer:
        return SiteServer(routes={p: self.page for p in ["/news/", *paths]})


PATHS = [
    "/news/water-security-in-the-syr-darya-basin",
    "/news/water-security-in-the-syr-darya-basin-print",
    "/news/energy-transition-round-table",
]


def _run(srv: SiteServer, store: Database, now: dt.datetime) -> poll.SourceReport:
    cfg = config_mod.loads(
        f"min_delay: 0\ncountries: [MY]\nalerts:\n  - {{kind: webhook, url: 'http://127.0.0.1:9/'}}\n"
        f"sources:\n  - {{name: site, url: '{srv.url('/news/')}', kind: html}}\n",
        env={},
    )
    (report,) = run.fetch_once(cfg, store, now=lambda: now)
    return report


def test_a_near_copy_under_another_url_is_an_alias(tmp_path: Path) -> None:
    site = Site()
    site.pages[PATHS[0]] = ("Water security in the Syr Darya basin", "November 19, 2026", WATER)
    # the print version: same text, plus a view counter and share buttons
    site.pages[PATHS[1]] = (
        "Water security in the Syr Darya basin",
        "November 19, 2026",
        WATER + "<br>Views: 1204<br>Share: Facebook Telegram WhatsApp",
    )
    site.listed = PATHS[:2]
    store = open_db(tmp_path / "m.db")
    with site.server(PATHS) as srv:
        report = _run(srv, store, T0)
    assert (report.new, report.seen) == (1, 1)
    (article,) = queries.fetch_articles(store)
    assert {article["url"], *article["aliases"]} == {srv.url(PATHS[0]), srv.url(PATHS[1])}


def test_revisions_keep_versions_and_alert_only_when_they_become_flagged(tmp_path: Path) -> None:
    site = Site()
    site.pages[PATHS[0]] = ("Water security in the Syr Darya basin", "November 19, 2026", WATER)
    site.listed = [PATHS[0]]
    store = open_db(tmp_path / "m.db")
    with site.server(PATHS) as srv:
        assert _run(srv, store, T0).baseline  # the water item is baseline
        site.pages[PATHS[2]] = ("Energy transition round table", "November 20, 2026", ENERGY)
        site.listed = [PATHS[2], PATHS[0]]
        assert _run(srv, store, T0 + dt.timedelta(hours=1)).new == 1
        assert outbox.fetch_alerts(store) == []

        # a counter-like edit is no revision; a new paragraph about a memorandum is
        site.pages[PATHS[0]] = (site.pages[PATHS[0]][0], "November 19, 2026 (updated)", WATER)
        site.pages[PATHS[2]] = ("Energy transition round table", "November 20, 2026", ENERGY + MOU)
        report = _run(srv, store, T0 + dt.timedelta(hours=8))
        assert report.revised == 1 and report.new == 0
        energy = next(a for a in queries.fetch_articles(store) if "energy" in a["url"])
        assert energy["flagged"] and energy["agreement"]
        assert [v["version"] for v in versions(store, energy["id"])] == [1]
        (alert,) = outbox.fetch_alerts(store)
        assert alert.story == energy["story"]

        # revised again, still flagged: no second alert
        site.pages[PATHS[2]] = (
            "Energy transition round table",
            "November 20, 2026",
            ENERGY + MOU + " The memorandum will be renewed in three years by both parties.",
        )
        assert _run(srv, store, T0 + dt.timedelta(hours=16)).revised == 1
        assert len(outbox.fetch_alerts(store)) == 1
        assert [v["version"] for v in versions(store, energy["id"])] == [1, 2]
    water = next(a for a in queries.fetch_articles(store) if "water" in a["url"])
    assert versions(store, water["id"]) == [] and not water["flagged"]
