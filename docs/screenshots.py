"""The report as a person sees it: headless Chromium screenshots at 1280 px, a week, a quarter
and a year of generated stories, written beside this file (docs/report-*.png).

Usage: .venv/bin/python docs/screenshots.py [--chromium /usr/bin/chromium]

Needs a Chromium (Debian: ``apt-get install chromium``); nothing else of the project's tests
uses one. The stories are generated (seeded): three to six flagged stories a week, some
agreements, partner countries drawn from Kazakhstan, Malaysia and Uzbekistan, each story with
one to three reports in en/ru/kk/ms, and evidence sentences long enough to be cut.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from monitor.core.models import Article, Evidence, Flags
from monitor.outputs.report import html_report
from monitor.shell.store import open_db
from monitor.shell.store.articles import NewArticle, save_article

HERE = Path(__file__).resolve().parent
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
SPANS = {"week": 7, "quarter": 91, "year": 365}
PARTNERS = {"KZ": "Kazakhstan", "MY": "Malaysia", "UZ": "Uzbekistan"}
TOPICS = ("water security", "transport corridors", "digital economy", "regional trade")


def fill(db_path: Path, days: int, seed: int = 7) -> None:
    """Flagged stories over the last ``days`` days, as a pass would have stored them."""
    rng = random.Random(seed)
    store = open_db(db_path)
    n = 0
    for back in range(days, -1, -1):
        day = NOW.date() - dt.timedelta(days=back)
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            n += 1
            code = rng.choice(list(PARTNERS))
            topic = rng.choice(TOPICS)
            agreement = rng.random() < 0.4
            title = (
                f"KazISS and a {PARTNERS[code]} institute sign a memorandum on {topic}"
                if agreement
                else f"Experts of KazISS and {PARTNERS[code]} discuss {topic}"
            )
            deal = "signed a memorandum of understanding" if agreement else "agreed"
            sentence = (
                f"During a long meeting in Astana attended by ministries, universities and think "
                f"tanks of the region, the sides {deal} to work together with {PARTNERS[code]} "
                f"on {topic} over the next three years."
            )
            evidence = [Evidence("country", PARTNERS[code], sentence, 0, 0, country=code)]
            if agreement:
                evidence.insert(0, Evidence("agreement", "memorandum", sentence, 0, 0))
            story = f"s{n}00"
            for k, lang in enumerate(rng.sample(["en", "ru", "kk", "ms"], rng.choice((1, 2, 3)))):
                url = f"https://institute{k}.example/{lang}/news/{n}"
                flags = Flags(agreement, (code,), (), True, tuple(evidence))
                save_article(
                    store,
                    NewArticle(
                        url=url,
                        source=f"institute{k}-{lang}",
                        article=Article(url, title, day, sentence, lang),
                        flags=flags,
                        content_hash=f"h{n}-{k}",
                        simhash=n * 10 + k,
                        baseline=False,
                        story=story,
                    ),
                    dt.datetime.combine(day, dt.time(10, k), tzinfo=dt.UTC),
                )
    store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for name, days in SPANS.items():
            db = Path(tmp) / f"{name}.db"
            fill(db, days)
            store = open_db(db)
            page = Path(tmp) / f"{name}.html"
            page.write_text(html_report(store, now=NOW, countries=list(PARTNERS)), "utf-8")
            store.close()
            out = HERE / f"report-{name}.png"
            subprocess.run(
                [
                    args.chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", f"--user-data-dir={tmp}/profile-{name}",
                    "--hide-scrollbars", "--window-size=1280,1100",
                    f"--screenshot={out}", page.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )  # fmt: skip
            print(f"{out.name}: {days} days", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
