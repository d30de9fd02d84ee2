"""The pass's own promises: nothing deferred or failed is hidden by a later 304."""

from __future__ import annotations

from pathlib import Path

from httpserver import SiteServer

from monitor import config as config_mod
from monitor import poll
from monitor.store import Store

PLAIN = Path(__file__).resolve().parent.parent / "fixtures" / "sites" / "plain"


def test_links_left_for_later_are_read_later_despite_an_etag(tmp_path: Path) -> None:
    """max_articles defers links; the unchanged listing (304-able) must not hide them."""
    store = Store.open(tmp_path / "m.db")
    with SiteServer(PLAIN) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: plain, url: '{srv.url('/')}', kind: html,"
            " max_articles: 2}\n",
            env={},
        )
        counts = [poll.fetch_once(cfg, store)[0].new for _ in range(4)]
        statuses = [h.get("if-none-match") for h in srv.headers_seen if h]
    assert counts == [2, 2, 2, 0]
    assert store.counts()["articles"] == 6
    assert any(statuses), "once everything is read, the listing is asked for conditionally"


def test_robots_txt_is_asked_once_a_day_not_once_a_pass(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.db")
    with SiteServer(PLAIN) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: plain, url: '{srv.url('/')}', kind: html}}\n",
            env={},
        )
        for _ in range(3):
            assert poll.fetch_once(cfg, store)[0].ok
        assert srv.paths().count("/robots.txt") == 1, "the site's 404 is remembered for a day"
        later = poll.utcnow() + poll.ROBOTS_TTL + poll.ROBOTS_TTL / 24
        poll.fetch_once(cfg, store, now=lambda: later)
        assert srv.paths().count("/robots.txt") == 2, "…and asked again after it"


def test_a_sitemap_with_any_name_is_read_as_the_source_url(tmp_path: Path) -> None:
    """kind auto on /news.xml (a sitemap not called sitemap*.xml): read it, fetched once."""
    sitemap = (PLAIN.parent / "sitemaponly" / "sitemap-posts.xml").read_bytes()
    from httpserver import reply

    with SiteServer(PLAIN.parent / "sitemaponly") as srv:
        srv.routes["/news.xml"] = lambda req: reply(
            req, 200, sitemap.replace(b"{{BASE}}", srv.base.encode()), "application/xml"
        )
        for hidden in ("/robots.txt", "/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml"):
            srv.routes[hidden] = lambda req: reply(req, 404, b"not here")  # only /news.xml
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: s, url: '{srv.url('/news.xml')}'}}\n", env={}
        )
        (report,) = poll.fetch_once(cfg, Store.open(tmp_path / "m.db"))
        assert report.ok and report.kind == "sitemap" and report.new == 8
        assert srv.paths().count("/news.xml") == 1
