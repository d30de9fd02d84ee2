"""A sitemap leads to about, team, contact, index and topic pages too: none is an article.

Issue 16, class 4: told apart by what each page is (its date, its body, its links), not by a
list of slugs. Served from a real HTTP server on loopback, read by a real pass.
"""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor import run
from monitor.shell.store import open_db, queries

MENU = (
    "<header><a href='/'>Institute for Regional Studies</a><nav><a href='/about/'>About</a>"
    "<a href='/team/'>Team</a><a href='/contacts/'>Contacts</a><a href='/news/'>News</a></nav>"
    "</header>"
)


def page(title: str, main: str, head: str = "") -> bytes:
    return (
        f"<html lang='en'><head><meta charset='utf-8'><title>{title} | Institute for Regional"
        f" Studies</title>{head}</head><body>{MENU}<main><h1>{title}</h1>{main}</main>"
        "<footer>12 Abai Avenue, Almaty</footer></body></html>"
    ).encode()


ARTICLES = {
    "/news/2026/11/20/memorandum-with-fudan/": page(
        "A memorandum with Fudan University",
        "<time datetime='2026-11-20'>20 November 2026</time><p>The institute and Fudan "
        "University signed a memorandum on joint research in water security.</p><p>The "
        "parties plan three reports and a conference in Shanghai next year.</p>",
    ),
    "/news/seminar-on-transport-corridors/": page(
        "Seminar on transport corridors",
        "<p class='date'>21.11.2026</p><p>Experts from five countries discussed the Middle "
        "Corridor and rail links across the Caspian Sea.</p><p>Freight volumes grew by a "
        "fifth this year, the speakers said.</p>",
    ),
}
OTHERS = {
    "/about/": page(
        "About the institute",
        "<p>The Institute for Regional Studies is an independent research centre founded in "
        "2004. It studies foreign policy, security and the economy of Central Asia.</p><p>It "
        "employs 40 researchers and publishes a quarterly journal.</p>",
    ),
    "/team/": page(
        "Our team",
        "<h2>Aigerim Sadykova</h2><p>Director. Energy policy and regional cooperation.</p>"
        "<h2>Bolat Nurlanov</h2><p>Senior fellow. Trade and transport.</p>",
    ),
    "/contacts/": page(
        "Contacts",
        "<p>12 Abai Avenue, Almaty, Kazakhstan. Telephone +7 727 255 10 10.</p>"
        "<p>Write to info@irs.example.kz; we answer within two working days.</p>",
    ),
    "/news/": page(
        "News",
        "<ul>"
        + "".join(
            f"<li><a href='{u}'>{t}</a></li>"
            for u, t in [
                ("/news/2026/11/20/memorandum-with-fudan/", "A memorandum with Fudan University"),
                ("/news/seminar-on-transport-corridors/", "Seminar on transport corridors"),
                ("/news/older-report-on-water-policy/", "An older report on water policy"),
                ("/news/older-visit-of-a-delegation/", "An older visit of a delegation"),
            ]
        )
        + "</ul>",
    ),
    "/people/aigerim-sadykova/": page(
        "Aigerim Sadykova",
        "<p>Director of the institute since 2019, previously at the Ministry of Energy.</p>"
        "<p>Research: energy policy, water security.</p>",
        head='<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "ProfilePage", "mainEntity": {"@type": "Person",'
        ' "name": "Aigerim Sadykova"}}</script>',
    ),
}


def serve(body: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    return lambda req: reply(req, 200, body)


def sitemap(base: str) -> bytes:
    urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in [*OTHERS, *ARTICLES])
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def test_a_sitemap_source_stores_its_articles_and_no_other_page(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    routes = {path: serve(body) for path, body in {**ARTICLES, **OTHERS}.items()}
    routes["/sitemap.xml"] = lambda req: reply(
        req, 200, sitemap(f"http://{req.headers['Host']}"), content_type="application/xml"
    )
    with SiteServer(routes=routes) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: irs, url: '{srv.url('/sitemap.xml')}',"
            " kind: sitemap}\n",
            env={},
        )
        (first,) = run.fetch_once(cfg, store)
        read_before = len(srv.paths())
        run.fetch_once(cfg, store)
        read_again = [p for p in srv.paths()[read_before:] if p in OTHERS]
    stored = {a["url"].removeprefix(srv.url("")) for a in queries.fetch_articles(store)}
    assert stored == set(ARTICLES), stored  # as the sitemap spells them, slash and all
    assert first.failed == 0  # not an article is no failure of the source
    assert first.not_articles == len(OTHERS)
    assert read_again == []  # judged once, not read on every pass
