"""Bad input, end to end: each broken source gives one clear line, and nothing else is lost.

A healthy fixture site and a server full of faults are polled in the same ``fetch-once``; the
healthy site must be stored whole whatever its neighbours do.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import faults
import pytest
from click.testing import CliRunner
from httpserver import SiteServer, reply

from monitor.cli import cli
from monitor.core.dedup import canonical_url
from monitor.shell.store import open_db, queries

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"

ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rss version="2.0"><channel><title>&e;</title>
<item><title>&e;</title><link>http://127.0.0.1/x</link></item></channel></rss>"""

CP1251_ARTICLE = (
    "<html><head><title>Меморандум о сотрудничестве подписан</title></head><body>"
    "<h1>Казахстан и Малайзия подписали меморандум о сотрудничестве</h1>"
    "<p class='date'>20 ноября 2026</p><div class='content'><p>Институты двух стран подписали "
    "меморандум о взаимопонимании и сотрудничестве в области аналитических исследований.</p>"
    "<p>Документ предусматривает обмен экспертами, совместные семинары и публикации.</p>"
    "</div></body></html>"
).encode("cp1251")

MALFORMED_ARTICLE = (
    b"<html><head><title>Unclosed <b>tags</title><body><h1>Round table on regional "
    b"transport corridors<h1><div><p>20 November 2026<p>Experts met to discuss the Middle "
    b"Corridor and rail links "
    b"across the Caspian Sea.<p>They compared freight volumes <table><tr><td>and tariffs"
    b"</div></div></span><p>The next meeting is planned for spring &amp&amp; &#xZZ; <<<>>>"
)

MIXED_LISTING = b"""<html><body><main>
<article><h2><a href="/good/cp1251-memorandum-signed">Memorandum</a></h2></article>
<article><h2><a href="/good/malformed-round-table-page">Round table</a></h2></article>
</main></body></html>"""


def _fault_routes() -> dict[str, faults.Handler]:
    bomb = gzip.compress(b"\0" * (64 * 2**20), compresslevel=9)  # 64 MiB of zeros, ~64 KB
    return {
        "/huge/": faults.endless(50 * 2**20),
        "/bomb/": faults.encoded(bomb, "gzip"),
        "/loop/": faults.redirect("/loop2/"),
        "/loop2/": faults.redirect("/loop/"),
        "/error/": faults.status(500, b"<h1>Internal Server Error</h1>"),
        "/slow/": faults.stall(5),
        "/feed/": lambda req: reply(req, 200, ENTITY_BOMB, "application/rss+xml"),
        "/good/": lambda req: reply(req, 200, MIXED_LISTING),
        "/good/cp1251-memorandum-signed": lambda req: reply(req, 200, CP1251_ARTICLE, "text/html"),
        "/good/malformed-round-table-page": lambda req: reply(req, 200, MALFORMED_ARTICLE),
    }


BAD = {
    "huge": ("/huge/", "html", r"larger than|too large|byte"),
    "bomb": ("/bomb/", "html", r"larger than|too large|byte"),
    "loop": ("/loop/", "html", r"redirect"),
    "error": ("/error/", "html", r"500"),
    "slow": ("/slow/", "html", r"time"),
    "bomb-feed": ("/feed/", "rss", r"entit"),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path, dict, str]:
    expected = json.loads((FIXTURES / "plain" / "expected.json").read_text())
    listing = expected["listing"]
    listing = listing if isinstance(listing, str) else listing[0]
    tmp = tmp_path_factory.mktemp("bad")
    with SiteServer(FIXTURES / "plain") as healthy, SiteServer(routes=_fault_routes()) as bad:
        sources = [f"  - {{name: healthy, url: '{healthy.url(listing)}'}}"]
        sources.append(f"  - {{name: mixed, url: '{bad.url('/good/')}', kind: html}}")
        sources += [
            f"  - {{name: {name}, url: '{bad.url(path)}', kind: {kind}}}"
            for name, (path, kind, _) in BAD.items()
        ]
        config = tmp / "sources.yaml"
        config.write_text(
            "min_delay: 0\nrequest_timeout: 2s\ncountries: [KZ, MY]\nsources:\n"
            + "\n".join(sources)
            + "\n"
        )
        result = CliRunner().invoke(
            cli, ["--config", str(config), "--db", str(tmp / "m.db"), "fetch-once"]
        )
    return result, tmp / "m.db", expected, healthy.base


def test_exit_status_says_sources_failed(run: tuple) -> None:
    result, *_ = run
    assert result.exit_code == 1, result.output
    assert "6 of 8 sources failed" in result.stderr


@pytest.mark.parametrize("name", list(BAD))
def test_each_broken_source_gets_one_clear_line(run: tuple, name: str) -> None:
    result, *_ = run
    lines = [line for line in result.stderr.splitlines() if f" [{name}] " in line]
    assert len(lines) == 1, result.stderr
    assert "FAILED" in lines[0] and re.search(BAD[name][2], lines[0], re.I), lines[0]
    assert "Traceback" not in result.stderr


def test_healthy_source_is_stored_whole(run: tuple) -> None:
    _, db, expected, base = run
    store = open_db(db)
    urls = {a["url"] for a in queries.fetch_articles(store, sources=["healthy"])}
    assert urls == {canonical_url(base + a["path"]) for a in expected["articles"]}


def test_odd_pages_are_read_not_crashed_on(run: tuple) -> None:
    """A windows-1251 page without a charset header and malformed HTML are both stored."""
    _, db, *_ = run
    by_url = {
        a["url"].rsplit("/", 1)[-1]: a
        for a in queries.fetch_articles(open_db(db), sources=["mixed"])
    }
    memo = by_url["cp1251-memorandum-signed"]
    assert memo["title"] == "Казахстан и Малайзия подписали меморандум о сотрудничестве"
    assert memo["language"] == "ru" and memo["agreement"] is True
    assert memo["published"] == "2026-11-20"
    assert "Round table" in by_url["malformed-round-table-page"]["title"]
