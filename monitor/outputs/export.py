"""Stored articles as CSV, JSON or JSON Lines, for spreadsheets and other tools.

Rows come newest first (publication date, else when found), filtered like ``monitor articles``.
The columns, in this order, are part of the interface; new ones are only ever appended:

| column | JSON / JSONL value | CSV cell |
| --- | --- | --- |
| `url` | canonical URL | as is |
| `source` | source name from `sources.yaml` | as is |
| `title` | scraped title, or null | as is (see *formulas*), empty for null |
| `published` | `2026-11-27` or `2026-11-27T10:00:00+05:00`, or null | as is, empty for null |
| `language` | ISO 639-1 code, or null | as is, empty for null |
| `story` | story id (`s42`), shared by the articles of one story | as is |
| `agreement` | true / false | `true` / `false` |
| `countries` | ISO 3166-1 alpha-2 codes named outright, sorted | joined with `;` (`KZ;MY`) |
| `weak_countries` | codes only hinted at (demonym, capital), sorted | joined with `;` |
| `flagged` | true / false | `true` / `false` |
| `first_seen` | when monitor stored it, ISO 8601 with offset | as is |
| `aliases` | other URLs of the same article, sorted | a JSON array (a URL may hold `;`) |
| `evidence` | `[{"kind", "country", "matched", "snippet", "rule"}]` | a JSON array |

CSV is RFC 4180 as Python's :mod:`csv` writes it: a header row, ``,`` separators, fields with
commas, quotes or line breaks quoted, ``\\r\\n`` line ends. Open the output with
``encoding="utf-8", newline=""`` (``utf-8-sig`` if Excel must guess the encoding right).
Any CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'``
in front (*formulas*): a spreadsheet would otherwise run a scraped title such as
``=HYPERLINK(...)`` as a formula. A cell starting with ``'`` gets one more, so dropping one
leading ``'`` from every cell that has one gives back the exact value. JSON and JSONL carry
the values untouched.

JSON is one array with one article object per line; JSONL is one object per line and nothing
else (U+0085, U+2028 and U+2029 are escaped too, so no line splitter can cut a record).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from monitor.shell.store import Database, queries

log = logging.getLogger(__name__)

COLUMNS = (
    "url",
    "source",
    "title",
    "published",
    "language",
    "story",
    "agreement",
    "countries",
    "weak_countries",
    "flagged",
    "first_seen",
    "aliases",
    "evidence",
)

#: What a spreadsheet reads as the start of a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Escaped too, so that the escaping can be undone without ambiguity.
_DEFUSED = (*_FORMULA_START, "'")
#: Line breaks for ``str.splitlines`` that ``json.dumps(ensure_ascii=False)`` leaves raw.
_RAW_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def export_rows(
    store: Database,
    *,
    flagged: bool = False,
    since: dt.date | None = None,
    sources: Sequence[str] = (),
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The exported records, newest first, each holding exactly :data:`COLUMNS` in order."""
    rows = queries.fetch_articles(store, flagged=flagged, sources=sources, since=since, limit=limit)
    return [{col: row[col] for col in COLUMNS} for row in rows]


def write_export(
    store: Database,
    out: TextIO,
    fmt: str,
    *,
    flagged: bool = False,
    since: dt.date | None = None,
    sources: Sequence[str] = (),
    limit: int | None = None,
) -> int:
    """Write the stored articles to ``out`` in ``fmt`` (csv, json, jsonl); returns rows written."""
    writer = FORMATS.get(fmt)
    if writer is None:
        raise ValueError(f"export: unknown format {fmt!r} (choose one of {', '.join(FORMATS)})")
    rows = export_rows(store, flagged=flagged, since=since, sources=sources, limit=limit)
    writer(rows, out)
    log.info("exported %d articles as %s", len(rows), fmt)
    return len(rows)


def csv_cell(value: Any) -> str:
    """One value as a CSV cell: booleans as words, code lists joined, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_DEFUSED) else text


def _csv_record(row: dict[str, Any]) -> dict[str, str]:
    record = {}
    for col in COLUMNS:
        value = row[col]
        # Never ";"-joined, so a reader always knows how to split them back.
        if col in ("aliases", "evidence"):
            record[col] = json.dumps(value, ensure_ascii=False)
        else:
            record[col] = csv_cell(value)
    return record


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """A header row, then one row per article."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(_csv_record(row))


def _json_line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False).translate(_RAW_LINE_BREAKS)


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One JSON array, one article per line so that large exports stay diffable."""
    out.write("[")
    for i, row in enumerate(rows):
        out.write(",\n" if i else "\n")
        out.write(_json_line(row))
    out.write("\n]\n")


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One JSON object per line."""
    for row in rows:
        out.write(_json_line(row))
        out.write("\n")


FORMATS: dict[str, Callable[[Iterable[dict[str, Any]], TextIO], None]] = {
    "csv": write_csv,
    "json": write_json,
    "jsonl": write_jsonl,
}
