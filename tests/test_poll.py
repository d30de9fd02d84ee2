"""The pass's own promises: nothing deferred or failed is hidden by a later 304."""

from __future__ import annotations

import gzip
from pathlib import Path

import faults
import pytest
from httpserver import SiteServer, reply

from monitor import config as config_mod
from monitor import poll, run
from monitor.shell.store import open_db, queries

PLAIN = Path(__file__).resolve().parent.parent / "fixtures" / "sites" / "plain"


def test_links_left_for_later_are_read_later_despite_an_etag(tmp_path: Path) -> None:
    """max_articles defers links; the unchanged listing (304-able) must not hide them."""
    store = open_db(tmp_path / "m.db")
    with SiteServer(PLAIN) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: plain, url: '{srv.url('/')}', kind: html,"
            " max_articles: 2}\n",
            env={},
        )
        counts = [run.fetch_once(cfg, store)[0].new for _ in range(4)]
        statuses = [h.get("if-none-match") for h in srv.headers_seen if h]
    assert counts == [2, 2, 2, 0]
    assert queries.fetch_counts(store)["articles"] == 6
    assert any(statuses), "once everything is read, the listing is asked for conditionally"


def test_robots_txt_is_asked_once_a_day_not_once_a_pass(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    with SiteServer(PLAIN) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nsources:\n  - {{name: plain, url: '{srv.url('/')}', kind: html}}\n",
            env={},
        )
        for _ in range(3):
            assert run.fetch_once(cfg, store)[0].ok
        assert srv.paths().count("/robots.txt") == 1, "the site's 404 is remembered for a day"
        later = poll.utcnow() + run.ROBOTS_TTL + run.ROBOTS_TTL / 24
        run.fetch_once(cfg, store, now=lambda: later)
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
        (report,) = run.fetch_once(cfg, open_db(tmp_path / "m.db"))
        assert report.ok and report.kind == "sitemap" and report.new == 8
        assert srv.paths().count("/news.xml") == 1


ARTICLE = (
    b"<html><head><title>Kazakhstan and Malaysia sign a memorandum</title></head><body><main>"
    b"<h1>Kazakhstan and Malaysia sign a memorandum</h1><time datetime='2026-11-20'>"
    b"20 November 2026</time><p>The two institutes signed a "
    b"memorandum of understanding on joint research, exchanges of experts and seminars.</p>"
    b"<p>It runs for five years and covers regional security and transport corridors.</p>"
    b"</main></body></html>"
)


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "worker-pool"])
def test_compressed_articles_are_inflated_within_the_cap_wherever_analysed(
    tmp_path: Path, workers: int
) -> None:
    """Article pages reach the analysis still compressed: a bomb or a cut stream there costs
    only its own article, with a clear reason; a sound gzip page is stored."""
    listing = (
        b"<html><body><main>"
        b'<article><a href="/news/kz-my-memorandum-signed">Memorandum</a></article>'
        b'<article><a href="/news/a-page-that-inflates-forever">Bomb</a></article>'
        b'<article><a href="/news/a-page-cut-off-midway">Cut</a></article>'
        b"</main></body></html>"
    )
    routes = {
        "/news/": lambda req: reply(req, 200, listing),
        "/news/kz-my-memorandum-signed": faults.encoded(gzip.compress(ARTICLE), "gzip"),
        "/news/a-page-that-inflates-forever": faults.encoded(faults.html_bomb(), "gzip"),
        "/news/a-page-cut-off-midway": faults.encoded(gzip.compress(ARTICLE * 20)[:-40], "gzip"),
    }
    store = open_db(tmp_path / "m.db")
    with SiteServer(routes=routes) as srv:
        cfg = config_mod.loads(
            f"min_delay: 0\nworkers: {workers}\nmax_page_bytes: 1048576\nsources:\n"
            f"  - {{name: s, url: '{srv.url('/news/')}', kind: html}}\n",
            env={},
        )
        (report,) = run.fetch_once(cfg, store)
    assert (report.new, report.failed) == (1, 2), report.article_errors
    (article,) = queries.fetch_articles(store)
    assert article["title"] == "Kazakhstan and Malaysia sign a memorandum"
    assert "joint research" in queries.fetch_article_text(store, article["url"])["text"]
    errors = sorted(report.article_errors)
    assert "too large: body inflates past the 1.0 MiB cap" in errors[1], errors
    assert "corrupt compressed body: gzip stream ends early" in errors[0], errors
    assert all("\n" not in e for e in errors)
