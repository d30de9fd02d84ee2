"""What the analyst's files and links look like: CSV that a spreadsheet opens in Cyrillic, a
missing folder as one line, and an article's URL as the site writes it (its trailing slash)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from factories import save
from httpserver import SiteServer, reply

from monitor.cli import cli
from monitor.shell.store import open_db

TITLE = "КИСИ и ISIS Малайзии подписали меморандум"


def _run(db: Path, *args: str) -> Result:
    """A read-only command on the database alone (no sources file)."""
    return CliRunner().invoke(
        cli, ["--config", str(db.parent / "none.yaml"), "--db", str(db), *args]
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "m.db"
    store = open_db(path)
    save(store, "https://kisi.kz/ru/news/memorandum", TITLE, dt.date(2026, 11, 27), language="ru")
    store.close()
    return path


def test_excel_csv_starts_with_a_bom_and_plain_csv_does_not(db: Path, tmp_path: Path) -> None:
    excel, plain = tmp_path / "excel.csv", tmp_path / "plain.csv"
    assert _run(db, "export", "--format", "csv", "--excel", "-o", str(excel)).exit_code == 0
    assert _run(db, "export", "--format", "csv", "-o", str(plain)).exit_code == 0
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")  # how Excel knows it is UTF-8
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert TITLE in excel.read_bytes().decode("utf-8-sig")
    assert excel.read_bytes()[3:] == plain.read_bytes()  # the same table behind the mark
    refused = _run(db, "export", "--format", "json", "--excel")
    assert refused.exit_code != 0 and "--excel" in refused.output


@pytest.mark.parametrize("command", [["export"], ["feed"], ["report"]])
def test_output_into_a_missing_folder_is_one_line(
    db: Path, tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.file"
    result = _run(db, *command, "-o", str(target))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    (line,) = [line for line in result.output.splitlines() if line.strip()]
    assert str(target.parent) in line and "no such folder" in line.lower()


def test_an_articles_url_keeps_the_trailing_slash_of_the_sites_canonical(tmp_path: Path) -> None:
    linked = ["/news/item-1"]

    def listing(req: object) -> None:
        cards = "".join(f"<article><h2><a href='{u}'>Item one</a></h2></article>" for u in linked)
        reply(req, 200, f"<html><body><main>{cards}</main></body></html>".encode())  # type: ignore[arg-type]

    with SiteServer() as site:

        def article(req: object) -> None:
            page = (
                f"<html lang='en'><head><link rel='canonical' href='{site.url('/news/item-1/')}'>"
                "</head><body><article><h1>Item one: a round table on water</h1>"
                "<time datetime='2026-12-01'>1 December 2026</time><p>Experts discussed the "
                "water policy of the region at length with colleagues.</p></article></body></html>"
            )
            reply(req, 200, page.encode())  # type: ignore[arg-type]

        site.routes.update({"/news/": listing, "/news/item-1": article, "/news/item-1/": article})
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(f"min_delay: 0\nsources:\n  - {{name: s, url: '{site.url('/news/')}'}}\n")

        def run(*args: str) -> Result:
            return CliRunner().invoke(
                cli, ["--config", str(cfg), "--db", str(tmp_path / "m.db"), *args]
            )

        assert run("fetch-once").exit_code == 0
        linked[:] = ["/news/item-1/", "/news/item-1?utm_source=x"]  # the same page, other links
        assert run("fetch-once").exit_code == 0
        rows = json.loads(run("articles", "--json").output)
    assert [r["url"] for r in rows] == [site.url("/news/item-1/")]
