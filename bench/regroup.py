"""Story grouping again over a kept bench/families run, with the code as it is now.

Usage: .venv/bin/python bench/regroup.py DIR --seed N [--split dev|heldout|all] [--sites N]
[--threshold T]

``DIR`` is a ``bench/families.py --keep DIR`` directory of the same seed, split and sites. Every
stored article that is an article of the world is placed again, in the order it was stored
(its id), through the pass's own read and choice on an in-memory store (``bench/stories.py``'s
``place``); pairwise precision, recall and F1 against the world's truth are printed for the run
as stored and as regrouped. Extraction and fetching are not run again, so a change to the
grouping is measured in seconds, not in a whole two-phase run; on unchanged code the two lines
agree to the pair. Figures count on held-out seeds only, as for ``bench/families.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
from pathlib import Path

from families import FAMILIES, HELDOUT_NAMES
from families.score import lookup
from families.world import World
from stories import pairs, place

from monitor.core.stories import THRESHOLD, StoryDoc
from monitor.shell.store import open_db


def load(world: World, db: Path) -> list[tuple[StoryDoc, str, str]]:
    """(document, truth story, stored story) of each stored world article, in stored order."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute("SELECT * FROM articles ORDER BY id")]
    out = []
    for row in rows:
        truth = lookup(row, world.truth)
        if not (truth and truth.is_article):
            continue
        alternates = json.loads(row["alternates"] or "{}")
        urls = tuple(alternates.values() if isinstance(alternates, dict) else alternates)
        published = dt.date.fromisoformat(row["published"][:10]) if row["published"] else None
        doc = StoryDoc(
            row["id"],
            row["url"],
            row["source"],
            row["language"],
            row["title"],
            row["text"],
            published,
            urls,
        )
        out.append((doc, truth.story, row["story"]))
    return out


def quality(predicted: dict[int, str], truth: dict[int, str]) -> str:
    found, wanted = pairs(predicted), pairs(truth)
    right = len(found & wanted)
    p = right / len(found) if found else 1.0
    r = right / len(wanted) if wanted else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"F1 {f1:.3f}  P {100 * p:.1f} %  R {100 * r:.1f} % ({right} of {len(wanted)} pairs)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="a bench/families.py --keep directory")
    parser.add_argument("--seed", type=int, required=True, help="the seed of that run")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--sites", type=int, default=6, help="sites per family, as in that run")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args(argv)
    chosen = [
        f
        for f in FAMILIES
        if args.split == "all" or (f.name in HELDOUT_NAMES) == (args.split == "heldout")
    ]
    if not (args.dir / "monitor.db").is_file():
        print(
            f"{args.dir}: no monitor.db (keep one with bench/families.py --keep)", file=sys.stderr
        )
        return 2
    world = World(args.seed, chosen, sites_per_family=args.sites)
    world.publish()
    data = load(world, args.dir / "monitor.db")
    if not data:
        print(
            f"{args.dir / 'monitor.db'}: no article of the seed {args.seed} world", file=sys.stderr
        )
        return 1
    truth = {doc.id: story for doc, story, _ in data}
    store = open_db(":memory:")
    again = {doc.id: place(store, doc, args.threshold) for doc, _, _ in data}
    print(f"{len(data)} articles of seed {args.seed} ({args.split}), threshold {args.threshold}")
    print("as stored:  " + quality({doc.id: s for doc, _, s in data}, truth))
    print("regrouped:  " + quality(again, truth))
    return 0


if __name__ == "__main__":
    sys.exit(main())
