"""A plain news page listing two or three articles is a listing (issue 16, class 7).

Headlines in "<ul><li><h2><a>" items, short slugs, windows-1251 with no charset anywhere: the
pass must find every article and decode its Cyrillic title. A real server on loopback.
"""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor import run
from monitor.shell.store import open_db, queries

ITEMS = [
    ("/news/memorandum-podpisan.html", "Подписан меморандум о сотрудничестве", "водной"),
    ("/news/seminar-energetika.html", "Семинар по вопросам энергетики", "энергетической"),
    ("/news/vizit-delegatsii.html", "Визит делегации из Ташкента", "транспортной"),
]


def serve(body: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    # no charset in the header and none in the page, as on many old sites
    return lambda req: reply(req, 200, body, content_type="text/html")


def article(title: str, topic: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>20.11.2026</p>"
        f"<p>Сегодня в Алматы эксперты института обсудили вопросы {topic} безопасности и "
        "сотрудничества с партнёрами из соседних стран.</p><p>Участники договорились "
        "продолжить работу в следующем году.</p></body></html>"
    ).encode("cp1251")


@pytest.mark.parametrize("count", [2, 3])
def test_a_listing_of_two_or_three_headlines_yields_every_article(
    tmp_path: Path, count: int
) -> None:
    items = ITEMS[:count]
    listing = (
        "<html><head><title>Новости</title></head><body><h1>Новости института</h1><ul>"
        + "".join(f"<li><h2><a href='{url}'>{title}</a></h2></li>" for url, title, _ in items)
        + "</ul><p>© Институт региональных исследований</p></body></html>"
    ).encode("cp1251")
    routes = {"/news/": serve(listing)}
    routes.update({url: serve(article(title, topic)) for url, title, topic in items})
    store = open_db(tmp_path / "m.db")
    with SiteServer(routes=routes) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: iri, url: '{srv.url('/news/')}'}}\n", env={}
        )
        (report,) = run.fetch_once(cfg, store)
    assert report.error is None
    titles = {a["title"] for a in queries.fetch_articles(store)}
    assert titles == {title for _, title, _ in items}


def test_a_page_titled_only_by_the_sections_name_takes_the_listings_headline(
    tmp_path: Path,
) -> None:
    # Every page's <title> is "ИРИ – Новости"; the page has no heading the extractor trusts.
    url, title, topic = ITEMS[0]
    page = (
        "<html><head><title>ИРИ – Новости</title></head><body><table><tr><td>"
        f"<font size='4'>{title}</font><br>20.11.2026<br>"
        + article(title, topic).decode("cp1251").split("<p>20.11.2026</p>")[1]
    ).encode("cp1251")
    listing = (
        "<html><head><title>ИРИ – Новости</title></head><body><ul>"
        f"<li><h2><a href='{url}'>{title}</a></h2></li>"
        f"<li><h2><a href='{ITEMS[1][0]}'>{ITEMS[1][1]}</a></h2></li></ul></body></html>"
    ).encode("cp1251")
    routes = {"/news/": serve(listing), url: serve(page)}
    routes[ITEMS[1][0]] = serve(article(ITEMS[1][1], ITEMS[1][2]))
    store = open_db(tmp_path / "m.db")
    with SiteServer(routes=routes) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: iri, url: '{srv.url('/news/')}'}}\n", env={}
        )
        run.fetch_once(cfg, store)
    titles = {a["url"].removeprefix(srv.url("")): a["title"] for a in queries.fetch_articles(store)}
    assert titles.get(url) == title, titles
