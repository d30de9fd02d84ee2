"""``monitor fetch-once`` end to end on the fixture sites, with no selectors configured.

What a user checks: every article found once, with its title, date, language and flags; a
second pass finds nothing new and reads no article page again; the first pass is a baseline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from httpserver import SiteServer

from monitor.cli import cli
from monitor.core.dedup import canonical_url
from monitor.shell.store import open_db, queries

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
SITE_NAMES = ("kaziss", "isis", "sitemaponly", "plain")


@dataclass
class World:
    servers: dict[str, SiteServer]
    expected: dict[str, dict[str, Any]]
    config: Path
    db: Path
    first: Result
    second: Result
    requests_after_first: dict[str, int]

    def expected_articles(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """canonical URL -> (site, expected record).

        A site with a feed is read through it (kind auto prefers a feed): pages the feed does
        not carry, such as ISIS Malaysia's event pages, need a source of their own.
        """
        out = {}
        for site, exp in self.expected.items():
            skip = set(exp.get("not_in_feed", []))
            for art in exp["articles"]:
                if art["path"] in skip:
                    continue
                out[canonical_url(self.servers[site].url(art["path"]))] = (site, art)
        return out


def _listings(expected: dict[str, Any]) -> list[str]:
    listing = expected["listing"]
    return [listing] if isinstance(listing, str) else list(listing)


def invoke(config: Path, db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), "--db", str(db), *args])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("world")
    expected = {s: json.loads((SITES / s / "expected.json").read_text()) for s in SITE_NAMES}
    with ExitStack() as stack:
        servers = {s: stack.enter_context(SiteServer(SITES / s)) for s in SITE_NAMES}
        lines = ["min_delay: 0", "countries: [KZ, MY]", "sources:"]
        for site in SITE_NAMES:
            for i, path in enumerate(_listings(expected[site])):
                lines.append(f"  - name: {site}-{i}\n    url: '{servers[site].url(path)}'")
        config = tmp / "sources.yaml"
        config.write_text("\n".join(lines) + "\n")
        db = tmp / "monitor.db"
        first = invoke(config, db, "fetch-once")
        after_first = {s: len(srv.requests) for s, srv in servers.items()}
        second = invoke(config, db, "fetch-once")
        yield World(servers, expected, config, db, first, second, after_first)


def test_first_pass_succeeds_everywhere(world: World) -> None:
    assert world.first.exit_code == 0, world.first.output
    assert "FAILED" not in world.first.output


def test_every_article_found_once(world: World) -> None:
    stored = queries.fetch_articles(open_db(world.db))
    urls = [canonical_url(a["url"]) for a in stored]  # stored as the site spells it
    assert len(urls) == len(set(urls))
    assert set(urls) == set(world.expected_articles())


@pytest.mark.parametrize("field", ["title", "published", "language"])
def test_article_fields(world: World, field: str) -> None:
    stored = {canonical_url(a["url"]): a for a in queries.fetch_articles(open_db(world.db))}
    wrong = []
    for url, (_, exp) in world.expected_articles().items():
        got = stored.get(url, {}).get(field)
        if field == "published" and got:
            got = got[:10]
        if got != exp[field]:
            wrong.append(f"{url}: expected {exp[field]!r}, got {got!r}")
    assert not wrong, "\n".join(wrong)


def test_flags(world: World) -> None:
    stored = {canonical_url(a["url"]): a for a in queries.fetch_articles(open_db(world.db))}
    wrong = []
    for url, (_, exp) in world.expected_articles().items():
        got = stored[url]
        if got["agreement"] != exp["agreement"] or set(got["countries"]) != set(exp["countries"]):
            wrong.append(
                f"{url}: expected agreement={exp['agreement']} {sorted(exp['countries'])}, "
                f"got agreement={got['agreement']} {got['countries']}"
            )
        if got["flagged"] and not got["evidence"]:
            wrong.append(f"{url}: flagged without evidence")
    assert not wrong, "\n".join(wrong)


def test_first_pass_is_a_baseline(world: World) -> None:
    assert all(a["baseline"] for a in queries.fetch_articles(open_db(world.db)))


def test_second_pass_finds_nothing_and_reads_no_article_again(world: World) -> None:
    assert world.second.exit_code == 0, world.second.output
    store = open_db(world.db)
    assert queries.fetch_counts(store)["articles"] == len(world.expected_articles())
    article_paths = {
        site: {a["path"] for a in exp["articles"]} for site, exp in world.expected.items()
    }
    for site, srv in world.servers.items():
        again = [
            path
            for _, path in srv.requests[world.requests_after_first[site] :]
            if path in article_paths[site]
        ]
        assert not again, f"{site}: article pages fetched again: {again}"


def test_articles_json_and_filters(world: World) -> None:
    result = invoke(world.config, world.db, "articles", "--json", "--flagged")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["flagged"] for r in rows)
    assert {
        "url",
        "source",
        "title",
        "published",
        "language",
        "agreement",
        "countries",
        "flagged",
        "evidence",
        "story",
        "aliases",
    } <= set(rows[0])
    seed = [r for r in rows if r["agreement"] and {"KZ", "MY"} <= set(r["countries"])]
    assert len(seed) >= 2, "the KazISS–ISIS memorandum is reported by both institutes"
    assert len({r["story"] for r in seed}) == 1, "…and both reports are one story"
    one = invoke(world.config, world.db, "articles", "--json", "--source", "plain-0")
    assert {r["source"] for r in json.loads(one.output)} == {"plain-0"}


def test_sources_command_shows_discovered_kinds(world: World) -> None:
    result = invoke(world.config, world.db, "sources")
    assert result.exit_code == 0, result.output
    kinds = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[2:]}
    assert kinds["isis-0"] == "rss"
    assert kinds["sitemaponly-0"] == "sitemap"
    assert kinds["plain-0"] == "html"
    assert kinds["kaziss-0"] == "html"


def test_stories_group_versions_and_reports_across_sites(world: World) -> None:
    """The en/ru/kz versions and both institutes' reports of one event share one story."""
    stored = {canonical_url(a["url"]): a for a in queries.fetch_articles(open_db(world.db))}
    label_of = {url: exp["story"] for url, (_, exp) in world.expected_articles().items()}
    stories_of: dict[str, set[str]] = {}
    for url, label in label_of.items():
        stories_of.setdefault(label, set()).add(stored[url]["story"])
    split = {label: got for label, got in stories_of.items() if len(got) > 1}
    assert not split, f"one event, several stories: {split}"
    owners: dict[str, set[str]] = {}
    for label, got in stories_of.items():
        owners.setdefault(next(iter(got)), set()).add(label)
    merged = {story: labels for story, labels in owners.items() if len(labels) > 1}
    assert not merged, f"different events merged: {merged}"


def test_stories_command(world: World) -> None:
    result = invoke(world.config, world.db, "stories", "--flagged", "--json")
    assert result.exit_code == 0, result.output
    stories = json.loads(result.output)
    seed = [s for s in stories if len(s["articles"]) >= 5]
    assert seed, "the KazISS–ISIS memorandum: 3 KazISS versions and 2 ISIS reports"
    assert {"en", "ru", "kk", "ms"} <= set(seed[0]["languages"])
    assert {"kaziss-0", "kaziss-1", "kaziss-2", "isis-0"} <= set(seed[0]["sources"])
    # the table an analyst reads: each story's id, sources, languages and article count
    table = invoke(world.config, world.db, "stories", "--flagged")
    assert table.exit_code == 0, table.output
    header, *lines = table.output.splitlines()
    assert header.split()[:5] == ["story", "first", "seen", "articles", "sources"]
    row = next(line for line in lines if line.split()[0] == seed[0]["story"])
    assert str(len(seed[0]["articles"])) in row.split()
    assert ",".join(seed[0]["sources"]) in row and ",".join(seed[0]["languages"]) in row


def test_search_in_every_language(world: World) -> None:
    for query, language in [("меморандум*", "ru"), ("меморандумға", "kk"), ("persefahaman", "ms")]:
        result = invoke(world.config, world.db, "search", query, "--json")
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        assert rows, query
        assert any(r["language"] == language for r in rows), (query, rows)
        assert all(query.rstrip("*") in r["snippet"].lower() for r in rows[:3]), rows[:3]
    text = invoke(world.config, world.db, "search", "ISIS", "Malaysia", "--flagged")
    assert text.exit_code == 0 and "[ISIS]" in text.output
    odd = invoke(world.config, world.db, "search", 'memorandum" OR (NEAR')
    assert odd.exit_code == 0, "user punctuation is never FTS syntax"


def test_sources_test_is_a_dry_run(world: World) -> None:
    before = queries.fetch_counts(open_db(world.db))
    result = invoke(world.config, world.db, "sources", "test", "kaziss-1", "--articles", "2")
    assert result.exit_code == 0, result.output
    assert "kind: html" in result.output and "article links: 8" in result.output
    assert result.output.count("title:") == 2 and "language:  ru" in result.output
    assert queries.fetch_counts(open_db(world.db)) == before, "a dry run writes nothing"
    feed = invoke(world.config, world.db, "sources", "test", "isis-0", "--json")
    probe = json.loads(feed.output)
    assert probe["kind"] == "rss" and len(probe["links"]) == 10
    assert all(a["title"] and a["published"] for a in probe["articles"])
    gone = invoke(
        world.config,
        world.db,
        "sources",
        "test",
        "plain-0",
        "--url",
        world.servers["plain"].url("/no-such-page/"),
    )
    assert gone.exit_code == 1 and "404" in gone.output
    assert invoke(world.config, world.db, "sources", "test", "nope").exit_code == 1


def test_export_feed_and_report(world: World, tmp_path: Path) -> None:
    import csv

    import feedparser
    from lxml import html as lxml_html

    out = tmp_path / "all.csv"
    assert invoke(world.config, world.db, "export", "-o", str(out)).exit_code == 0
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    stored = {a["url"]: a for a in queries.fetch_articles(open_db(world.db))}
    assert {r["url"] for r in rows} == set(stored)
    for row in rows:
        assert row["title"].lstrip("'") == stored[row["url"]]["title"]
        assert row["countries"] == ";".join(stored[row["url"]]["countries"])
    jsonl = invoke(world.config, world.db, "export", "--format", "jsonl", "--flagged")
    assert all(json.loads(line)["flagged"] for line in jsonl.output.splitlines())

    first = invoke(world.config, world.db, "feed", "--flagged").stdout_bytes
    again = invoke(world.config, world.db, "feed", "--flagged").stdout_bytes
    parsed = feedparser.parse(first)
    assert not parsed.bozo and parsed.version == "atom10"
    stories = {s["story"] for s in queries.fetch_stories(open_db(world.db), flagged=True)}
    assert len(parsed.entries) == len(stories)
    assert [e.id for e in parsed.entries] == [e.id for e in feedparser.parse(again).entries]

    page = tmp_path / "report.html"
    assert invoke(world.config, world.db, "report", "-o", str(page)).exit_code == 0
    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    weeks = doc.xpath("//*[local-name()='g'][@data-week]")
    assert weeks and len({w.get("data-week") for w in weeks}) == len(weeks), "one group a week"
    assert not doc.xpath("//script[@src] | //link[@rel='stylesheet']"), "self-contained"
    assert doc.xpath("//mark"), "evidence highlighted"


def test_explain_a_stored_article_and_any_text(world: World, tmp_path: Path) -> None:
    stored = [a for a in queries.fetch_articles(open_db(world.db), flagged=True) if a["agreement"]]
    result = invoke(world.config, world.db, "explain", stored[0]["url"])
    assert result.exit_code == 0, result.output
    assert "agreement" in result.output and "verdict: flagged" in result.output
    text = tmp_path / "item.txt"
    text.write_text("ISIS fighters retreat\nISIS fighters left Raqqa in Syria.", encoding="utf-8")
    plain = invoke(world.config, world.db, "explain", "--text", str(text))
    assert "verdict: not flagged" in plain.output and "SY" in plain.output
    assert "not a country" in plain.output, "the group ISIS is explained away"
    assert invoke(world.config, world.db, "explain", "http://nowhere.example/x").exit_code == 1
