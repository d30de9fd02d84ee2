"""Extraction quality and speed on a labelled corpus, against trafilatura alone as the yardstick.

Usage: .venv/bin/python bench/extraction.py [CORPUS_DIR] [--misses=N]

CORPUS_DIR holds ``evaldata_subset.json`` (URL -> {file, title, date, with, without}) and ``html/``;
it defaults to ../shared/data/extraction-dev next to the repository. For each extractor it prints
the share of ``with`` segments found in the body, of ``without`` segments kept out, of exact titles
and of exact dates (YYYY-MM-DD; only where the corpus labels one), and pages per second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from monitor.core.extract import extract_article

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/data/extraction-dev"

#: (title, date as YYYY-MM-DD, body text) from one page.
Result = tuple[str | None, str | None, str]


@dataclass
class Score:
    """Running counts for one extractor."""

    with_found: int = 0
    with_total: int = 0
    without_out: int = 0
    without_total: int = 0
    titles: int = 0
    titles_total: int = 0
    dates: int = 0
    dates_total: int = 0
    seconds: float = 0.0
    pages: int = 0

    def add(self, case: dict[str, object], result: Result) -> None:
        """Count one page's result against its labels."""
        title, date, text = result
        body = squash(text)
        with_segments = [squash(str(s)) for s in case.get("with", []) if squash(str(s))]
        without = [squash(str(s)) for s in case.get("without", []) if squash(str(s))]
        self.with_total += len(with_segments)
        self.with_found += sum(segment in body for segment in with_segments)
        self.without_total += len(without)
        self.without_out += sum(segment not in body for segment in without)
        if case.get("title"):
            self.titles_total += 1
            self.titles += squash(title or "") == squash(str(case["title"]))
        if case.get("date"):
            self.dates_total += 1
            self.dates += date == case["date"]

    def row(self, name: str) -> str:
        """One line of the table."""
        return (
            f"{name:<22} {share(self.with_found, self.with_total):>7} "
            f"{share(self.without_out, self.without_total):>9} "
            f"{share(self.titles, self.titles_total):>7} {share(self.dates, self.dates_total):>7} "
            f"{self.pages / self.seconds:>8.1f}"
        )


def squash(text: str) -> str:
    """Whitespace-insensitive comparison form."""
    return " ".join(text.split())


def share(part: int, whole: int) -> str:
    """A percentage, or a dash when nothing was labelled."""
    return f"{100 * part / whole:.1f}%" if whole else "-"


def ours(html: bytes, url: str) -> Result:
    """monitor.core.extract.extract_article."""
    article = extract_article(html, url)
    published = article.published
    if isinstance(published, dt.datetime):
        published = published.date()
    return article.title, published.isoformat() if published else None, article.text


def trafilatura_alone(html: bytes, url: str) -> Result:
    """trafilatura.extract with metadata, JSON output, comments excluded."""
    raw = trafilatura.extract(
        html, url=url, include_comments=False, output_format="json", with_metadata=True
    )
    if not raw:
        return None, None, ""
    data = json.loads(raw)
    return data.get("title"), data.get("date"), data.get("text") or ""


def held_out(url: str) -> bool:
    """A third of the corpus, fixed by URL: figures on it count, its pages are not looked at."""
    return hashlib.sha1(url.encode()).digest()[0] % 3 == 0


def run(
    corpus: Path, extractors: dict[str, Callable[[bytes, str], Result]], misses: int = 0
) -> None:
    """Score every extractor on every page and print the table, per part of the corpus."""
    cases = json.loads((corpus / "evaldata_subset.json").read_text(encoding="utf-8"))
    pages = {url: (corpus / "html" / case["file"]).read_bytes() for url, case in cases.items()}
    parts = {
        "dev": [u for u in cases if not held_out(u)],
        "held-out": [u for u in cases if held_out(u)],
    }
    print(
        f"{len(cases)} pages from {corpus}: {len(parts['dev'])} dev, {len(parts['held-out'])}"
        " held out"
    )
    print(
        f"{'extractor':<22} {'part':<9} {'with':>7} {'without':>9} {'title':>7} {'date':>7}"
        f" {'pages/s':>8}"
    )
    shown: list[str] = []
    for name, extractor in extractors.items():
        scores = {part: Score() for part in parts}
        for part, urls in parts.items():
            for url in urls:
                case = cases[url]
                started = time.perf_counter()
                result = extractor(pages[url], url)
                scores[part].seconds += time.perf_counter() - started
                scores[part].pages += 1
                scores[part].add(case, result)
                if (
                    part == "dev"
                    and name == "monitor.core.extract"
                    and case.get("title")
                    and squash(result[0] or "") != squash(str(case["title"]))
                    and len(shown) < misses
                ):
                    shown.append(f"  {url}\n      got {result[0]!r}\n     want {case['title']!r}")
        for part, score in scores.items():
            row = score.row(name)
            print(row[:22] + f" {part:<9}" + row[22:])
    if shown:
        print("title misses (dev part only):")
        print("\n".join(shown))


def main() -> None:
    """Entry point: optional corpus directory, and --misses N to print dev title misses."""
    args = [a for a in sys.argv[1:] if not a.startswith("--misses")]
    misses = next((int(a.split("=")[1]) for a in sys.argv[1:] if a.startswith("--misses=")), 0)
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not (corpus / "evaldata_subset.json").is_file():
        sys.exit(f"{corpus}: no evaldata_subset.json here; pass the extraction-dev folder")
    run(
        corpus,
        {"monitor.core.extract": ours, "trafilatura.extract": trafilatura_alone},
        misses,
    )


if __name__ == "__main__":
    main()
