"""A news page that is an empty JavaScript app: its items come from the site's JSON API.

The page holds no article link, no feed, no sitemap and no <noscript> list; its script names
a same-site API (in its inline state, slashes escaped, or in a data- attribute of the element
it mounts on) that answers the items as JSON. ``kind: auto`` must read that API as the page's
script does, page after page, and later passes must keep reading it. Real server on loopback.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor import run
from monitor.core import discover
from monitor.core.htmldoc import HtmlPage
from monitor.shell.store import open_db, queries

TITLES = [
    "Memorandum signed with the Institute of Strategic Studies",
    "Round table on water resources in Central Asia",
    "A delegation from Tashkent visits the institute",
    "Experts discuss the digital economy in Astana",
]
NEW = "Report on transport corridors presented in Almaty"


def html(body: str, content_type: str = "text/html; charset=utf-8") -> Callable[..., None]:
    return lambda req: reply(req, 200, body.encode(), content_type=content_type)


def as_json(data: Any, content_type: str = "application/json") -> Callable[..., None]:
    return lambda req: reply(req, 200, json.dumps(data).encode(), content_type=content_type)


def shell(mount: str, state: str) -> str:
    menu = "".join(f"<li><a href='/{p}/'>{p.title()}</a></li>" for p in ("about", "experts"))
    return (
        "<!DOCTYPE html><html lang='en'><head><title>News | Institute</title>"
        "<link rel='preload' href='/_nuxt/app.3f2a.js' as='script'></head><body>"
        f"<header><nav><ul>{menu}</ul></nav></header>{mount}<footer>© Institute</footer>"
        f"<script>{state}</script><script src='/_nuxt/app.3f2a.js'></script></body></html>"
    )


def article(title: str, n: int) -> str:
    return (
        f"<html><head><title>{title} | Institute</title></head><body><article><h1>{title}</h1>"
        f"<time datetime='2026-11-{20 + n:02d}'>{20 + n} November 2026</time>"
        f"<p>Experts of the institute met on {20 + n} November to discuss item {n}, its "
        "partners and the next steps of their joint research programme.</p><p>The sides "
        "agreed to continue the work next year and to publish their findings.</p>"
        "</article></body></html>"
    )


def slug(title: str) -> str:
    return "-".join(title.lower().split()[:6])


def jsonapi(base: str, items: list[tuple[str, int]], next_href: str | None) -> dict[str, Any]:
    data = [
        {
            "type": "node--news",
            "id": f"uuid-{n}",
            "attributes": {
                "title": title,
                "created": f"2026-11-{20 + n:02d}T10:00:00+05:00",
                "path": {"alias": f"/news/{slug(title)}", "langcode": "en"},
            },
            "links": {"self": {"href": f"{base}/jsonapi/node/news/uuid-{n}"}},
        }
        for title, n in items
    ]
    links: dict[str, Any] = {"self": {"href": f"{base}/jsonapi/node/news"}}
    if next_href:
        links["next"] = {"href": next_href}
    return {"jsonapi": {"version": "1.0"}, "data": data, "links": links}


def run_once(
    srv: SiteServer, store: Any, path: str = "/news", kind: str = "", options: str = ""
) -> Any:
    extra = (f", kind: {kind}" if kind else "") + (f", {options}" if options else "")
    cfg = config_mod.loads(
        f"min_delay: 0\nsources:\n  - {{name: app, url: '{srv.url(path)}'{extra}}}\n", env={}
    )
    (report,) = run.fetch_once(cfg, store)
    return report


def test_an_app_page_whose_state_names_its_api_yields_every_item(tmp_path: Path) -> None:
    with SiteServer() as srv:
        routes = srv.routes
        base = srv.base
        api = "/jsonapi/node/news?page[limit]=2&sort=-created"
        page2 = f"{base}/jsonapi/node/news?page[limit]=2&page[offset]=2&sort=-created"
        escaped = api.replace("/", "\\u002F")
        state = (
            'window.__NUXT__=(function(a,b,c){return {layout:"default",config:'
            f'{{_app:{{basePath:"\\u002F"}},jsonapi:{{news:c}}}}}}}}(null,true,"{escaped}"));'
        )
        items = [(t, n) for n, t in enumerate(TITLES)]
        first, second = [items[:2]], [items[2:]]
        routes["/news"] = html(
            shell("<main class='news'><div class='spinner'></div></main>", state)
        )
        routes["/jsonapi/node/news"] = lambda req: as_json(
            jsonapi(base, *(second if "offset" in req.path else first), None)
            if "offset" in req.path
            else jsonapi(base, first[0], page2),
            "application/vnd.api+json",
        )(req)
        for title, n in items:
            routes[f"/news/{slug(title)}"] = html(article(title, n))
        store = open_db(tmp_path / "m.db")
        report = run_once(srv, store)
        assert report.error is None
        assert {a["title"] for a in queries.fetch_articles(store)} == set(TITLES)
        # the next pass reads the API again, not the empty page: a new item on its first page
        items.insert(0, (NEW, 5))
        first[0] = items[:2]
        routes[f"/news/{slug(NEW)}"] = html(article(NEW, 5))
        srv.requests.clear()
        report = run_once(srv, store)
        assert report.error is None
        assert NEW in {a["title"] for a in queries.fetch_articles(store)}
        assert not any(p == "/news" for _, p in srv.requests), srv.requests


def test_a_mount_elements_data_attribute_names_an_api_of_another_schema(tmp_path: Path) -> None:
    """WordPress's REST API: a top-level array, "link", "title": {"rendered": ...}, "date"."""
    with SiteServer() as srv:
        routes = srv.routes
        posts = [
            {
                "id": 100 + n,
                "date": f"2026-11-{20 + n:02d}T10:00:00",
                "link": f"{srv.base}/{2026}/11/{slug(t)}/",
                "title": {"rendered": t},
                "_links": {"self": [{"href": f"{srv.base}/wp-json/wp/v2/posts/{100 + n}"}]},
            }
            for n, t in enumerate(TITLES)
        ]
        mount = "<div id='news-app' data-endpoint='/wp-json/wp/v2/posts?per_page=10'></div>"
        routes["/news/"] = html(shell(mount, "window.app={ready:true};"))
        routes["/wp-json/wp/v2/posts"] = as_json(posts)
        for n, t in enumerate(TITLES):
            routes[f"/2026/11/{slug(t)}/"] = html(article(t, n))
        store = open_db(tmp_path / "m.db")
        report = run_once(srv, store, "/news/")
    assert report.error is None
    assert {a["title"] for a in queries.fetch_articles(store)} == set(TITLES)


def serve_api(srv: SiteServer) -> None:
    """The site's JSON:API at /jsonapi/node/news, listing every item of TITLES."""
    items = [(t, n) for n, t in enumerate(TITLES)]
    srv.routes["/jsonapi/node/news"] = as_json(jsonapi(srv.base, items, None))
    for title, n in items:
        srv.routes[f"/news/{slug(title)}"] = html(article(title, n))


@pytest.mark.parametrize("kind", ["", "json"])
def test_a_source_pointed_at_the_api_itself_is_read_as_one(tmp_path: Path, kind: str) -> None:
    with SiteServer() as srv:
        serve_api(srv)
        store = open_db(tmp_path / "m.db")
        report = run_once(srv, store, "/jsonapi/node/news", kind)
    assert report.error is None
    assert {a["title"] for a in queries.fetch_articles(store)} == set(TITLES)


def test_a_pages_data_urls_are_its_own_sites_and_serve_data() -> None:
    page = HtmlPage(
        '<html><head><script type=\'application/ld+json\'>{"url": "/api/ld"}</script>'
        "</head><body><div id='app' data-src='/api/v1/news' data-theme='dark'></div><script>"
        "var cfg = {cdn: 'https://cdn.example.net/api/news', bundle: '/static/api.js', "
        "page: '/about/', news: \"\\/content\\/news.json\"};</script></body></html>"
    )
    got = discover.api_endpoints(page, "https://inst.kz/news/")
    assert got == ["https://inst.kz/api/v1/news", "https://inst.kz/content/news.json"]


def test_an_items_page_is_its_site_url_not_its_api_self_link() -> None:
    body = json.dumps(jsonapi("https://inst.kz", [(TITLES[0], 1)], "/jsonapi/node/news?page=2"))
    disc = discover.parse_json_listing(body.encode(), "https://inst.kz/jsonapi/node/news")
    assert [link.url for link in disc.links] == [f"https://inst.kz/news/{slug(TITLES[0])}"]
    assert disc.links[0].title == TITLES[0] and str(disc.links[0].published)[:10] == "2026-11-21"
    assert disc.next_page == "https://inst.kz/jsonapi/node/news?page=2"
    with pytest.raises(ValueError, match="not JSON"):
        discover.parse_json_listing(b"<html>oops</html>", "https://inst.kz/api/news")


def test_an_answer_naming_other_sites_pages_lists_nothing_of_them() -> None:
    body = json.dumps({"items": [{"url": "https://elsewhere.org/news/a-b-c", "title": "X"}]})
    disc = discover.parse_json_listing(body.encode(), "https://inst.kz/api/news")
    assert not disc.links


def test_only_a_key_that_names_the_next_page_pages_an_answer() -> None:
    """ "next_label" and "nextEvent" are no next page: followed, they lost the first page."""
    body = json.dumps(
        {
            "items": [{"url": f"/news/{slug(TITLES[0])}", "title": TITLES[0]}],
            "next_label": "More news",
            "meta": {"nextEvent": {"url": "/events/forum-2027/"}},
        }
    )
    disc = discover.parse_json_listing(body.encode(), "https://inst.kz/api/news")
    assert len(disc.links) == 1 and disc.next_page is None
    paged = json.dumps({"items": [], "meta": {"next_page_url": "/api/news?page=2"}})
    assert (
        discover.parse_json_listing(paged.encode(), "https://inst.kz/api/news").next_page
        == "https://inst.kz/api/news?page=2"
    )


def test_hostile_answers_are_refused_or_bounded() -> None:
    with pytest.raises(ValueError, match="nested too deep"):
        discover.parse_json_listing(b"[" * 200_000, "https://inst.kz/api/news")
    many = json.dumps([{"url": f"/news/item-number-{n}", "title": "x"} for n in range(5000)])
    disc = discover.parse_json_listing(many.encode(), "https://inst.kz/api/news")
    assert len(disc.links) == discover.MAX_JSON_LINKS


def test_of_several_apis_the_news_one_is_read_and_a_broken_next_page_keeps_the_first(
    tmp_path: Path,
) -> None:
    """A page's config names its menu, search and news APIs: the one listing articles wins;
    a next page that fails keeps what the first listed."""
    with SiteServer() as srv:
        routes = srv.routes
        state = (
            "window.__CONFIG__={api:{base:'/api/',menu:'/api/menu',search:'/api/search',"
            "news:'/api/news'}};"
        )
        routes["/news"] = html(shell("<main id='app'></main>", state))
        routes["/api/menu"] = as_json({"items": [{"url": "/about/", "title": "About us"}]})
        routes["/api/search"] = lambda req: reply(req, 400, b"{}", "application/json")
        items = [{"url": f"/news/{slug(t)}", "title": t, "date": f"2026-11-2{n}"} for n, t in
                 enumerate(TITLES)]  # fmt: skip
        routes["/api/news"] = as_json({"items": items, "next": "/api/news?page=2"})
        routes["/api/news?page=2"] = lambda req: reply(req, 500, b"oops")
        for n, title in enumerate(TITLES):
            routes[f"/news/{slug(title)}"] = html(article(title, n))
        routes["/about/"] = html("<html><body><h1>About us</h1><p>We study.</p></body></html>")
        store = open_db(tmp_path / "m.db")
        report = run_once(srv, store)
    assert report.error is None
    assert {a["title"] for a in queries.fetch_articles(store)} == set(TITLES)


def test_an_api_that_stops_answering_json_is_discovered_again(tmp_path: Path) -> None:
    with SiteServer() as srv:
        routes = srv.routes
        state = 'window.__NUXT__={config:{news:"\\u002Fapi\\u002Fnews"}};'
        routes["/news"] = html(shell("<main id='app'></main>", state))
        items = [{"url": f"/news/{slug(t)}", "title": t} for t in TITLES[:2]]
        routes["/api/news"] = as_json({"items": items})
        for n, title in enumerate([*TITLES, NEW]):
            routes[f"/news/{slug(title)}"] = html(article(title, n))
        store = open_db(tmp_path / "m.db")
        assert run_once(srv, store).error is None
        # the API now answers a login page; the site renders its list in the page again
        routes["/api/news"] = html("<html><body><form>Log in</form></body></html>")
        listed = "".join(
            f"<li><h2><a href='/news/{slug(t)}'>{t}</a></h2></li>" for t in [NEW, *TITLES[:2]]
        )
        routes["/news"] = html(shell(f"<main id='app'><ul>{listed}</ul></main>", state))
        report = run_once(srv, store)
    assert report.error is None, report.error
    assert NEW in {a["title"] for a in queries.fetch_articles(store)}


def test_an_items_title_is_its_title_before_any_name_it_holds() -> None:
    body = json.dumps(
        {
            "data": [
                {
                    "author": {"name": "Aliya Sadykova"},
                    "attributes": {"title": TITLES[0], "path": {"alias": "/news/a-b-c"}},
                }
            ]
        }
    )
    (link,) = discover.parse_json_listing(body.encode(), "https://inst.kz/api/news").links
    assert link.title == TITLES[0]


def test_a_json_sources_exclude_drops_its_links(tmp_path: Path) -> None:
    with SiteServer() as srv:
        serve_api(srv)
        store = open_db(tmp_path / "m.db")
        report = run_once(srv, store, "/jsonapi/node/news", "json", "exclude: ['round-table']")
    assert report.error is None
    titles = {a["title"] for a in queries.fetch_articles(store)}
    assert titles == set(TITLES) - {TITLES[1]}


def test_a_page_that_never_yields_a_link_is_reported_empty(tmp_path: Path) -> None:
    """An app shell whose script names no API, or a page monitor cannot read: after three
    passes with no link, ``monitor status`` says so, where it used to stay silent."""
    from monitor.outputs.status import status

    with SiteServer() as srv:
        srv.routes["/news"] = html(shell("<main id='app'></main>", "window.app={};"))
        store = open_db(tmp_path / "m.db")
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: app, url: '{srv.url('/news')}'}}\n", env={}
        )
        states = []
        for _ in range(3):
            run.fetch_once(cfg, store)
            (row,) = status(store, cfg, dt.datetime.now(dt.UTC))["sources"]
            states.append(row["state"])
    assert states[:2] != ["empty", "empty"] and states[2] == "empty", states
    (detail,) = store.conn.execute(
        "SELECT detail FROM health_episodes WHERE source = 'app' AND event = 'empty'"
    ).fetchone()
    assert "any pass so far" in detail
