"""Datasette as the reading room, checked in Datasette itself: facets on countries count each
country (not each list), every column is described, the canned queries run, and a view shows
a snippet of each article instead of its whole body."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from factories import save

from monitor.cli import cli
from monitor.core.models import Evidence
from monitor.shell.store import open_db

NOW = dt.datetime.now(dt.UTC)


def _country(code: str, name: str) -> Evidence:
    return Evidence("country", name, f"talks with {name}", 11, 11 + len(name), country=code)


@pytest.fixture
def room(tmp_path: Path) -> tuple[Datasette, dict[str, Any]]:
    db = tmp_path / "news.db"
    store = open_db(db)
    mou = Evidence("agreement", "memorandum", "signed a memorandum", 9, 19)
    today = NOW.date()
    save(store, "https://kisi.kz/en/a", "KZ and MY", today, (mou, _country("MY", "Malaysia"),
         _country("KZ", "Kazakhstan")), seen=NOW, source="kisi-en")  # fmt: skip
    save(store, "https://isis.org.my/b", "MY only", today, (_country("MY", "Malaysia"),),
         seen=NOW, source="isis")  # fmt: skip
    save(store, "https://kisi.kz/en/c", "Old, unflagged", today - dt.timedelta(days=40),
         seen=NOW - dt.timedelta(days=40), source="kisi-en")  # fmt: skip
    store.close()
    result = CliRunner().invoke(
        cli, ["--config", str(tmp_path / "none.yaml"), "--db", str(db), "datasette-metadata"]
    )
    assert result.exit_code == 0, result.output
    metadata = json.loads(result.output)
    return Datasette([str(db)], metadata=metadata), metadata


async def _json(ds: Datasette, path: str) -> Any:
    response = await ds.client.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


def test_countries_facet_counts_each_country(room: tuple[Datasette, Any]) -> None:
    async def check() -> None:
        ds, _ = room
        page = await _json(ds, "/news/articles.json?_shape=objects&_extra=facet_results")
        facets = page["facet_results"]
        facets = facets.get("results", facets)
        (countries,) = [f for key, f in facets.items() if key.startswith("countries")]
        counts = {row["value"]: row["count"] for row in countries["results"]}
        assert counts == {"MY": 2, "KZ": 1}  # not '["KZ", "MY"]': 1 and '["MY"]': 1

    asyncio.run(check())


def test_every_column_of_every_table_is_described(room: tuple[Datasette, Any]) -> None:
    async def check() -> None:
        ds, metadata = room
        tables = metadata["databases"]["news"]["tables"]
        db = ds.get_database("news")
        for name in await db.table_names() + await db.view_names():
            if "_fts" in name or name.startswith("_"):
                continue
            columns = await db.table_columns(name)
            described = tables.get(name, {}).get("columns", {})
            assert set(columns) <= set(described), (name, set(columns) - set(described))
            assert tables[name].get("description"), name

    asyncio.run(check())


def test_canned_queries_answer_the_analysts_questions(room: tuple[Datasette, Any]) -> None:
    async def check() -> None:
        ds, metadata = room
        queries = metadata["databases"]["news"]["queries"]
        assert {"flagged_this_week", "flagged_by_country", "flagged_by_source", "new_since"} <= set(
            queries
        )
        week = await _json(ds, "/news/flagged_this_week.json?_shape=objects")
        assert {r["title"] for r in week["rows"]} == {"KZ and MY", "MY only"}
        countries = {r["title"]: set((r["countries"] or "").split(",")) for r in week["rows"]}
        assert countries == {"KZ and MY": {"KZ", "MY"}, "MY only": {"MY"}}
        by_country = await _json(ds, "/news/flagged_by_country.json?_shape=objects")
        assert {r["country"]: r["stories"] for r in by_country["rows"]} == {"MY": 2, "KZ": 1}
        by_source = await _json(ds, "/news/flagged_by_source.json?_shape=objects")
        assert {r["source"]: r["flagged"] for r in by_source["rows"]} == {"kisi-en": 1, "isis": 1}
        since = (NOW.date() - dt.timedelta(days=7)).isoformat()
        new = await _json(ds, f"/news/new_since.json?_shape=objects&since={since}")
        assert {r["title"] for r in new["rows"]} == {"KZ and MY", "MY only"}

    asyncio.run(check())


def test_a_view_shows_a_snippet_not_the_body(room: tuple[Datasette, Any]) -> None:
    async def check() -> None:
        ds, _ = room
        page = await _json(ds, "/news/article_snippets.json?_shape=objects")
        row = page["rows"][0]
        assert "snippet" in row and "text" not in row
        assert {"url", "title", "source", "countries", "story"} <= set(row)

    asyncio.run(check())
