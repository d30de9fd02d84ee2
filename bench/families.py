"""Quality over a world of site families, dev and held-out, in a two-phase run of monitor.

Serves a generated world of institute news sites of 16 families (10 dev, 6 held out, see
``bench/README.md``) on loopback, writes the ``sources.yaml`` a new user would, runs
``monitor fetch-once`` twice (a baseline pass, then a pass after the world has published), and
scores what monitor stored and alerted against the world's truth, per split and per family.
Exit 0 when every target is met on the held-out split (or on the split asked for), 1 otherwise.

    .venv/bin/python bench/families.py [--seed N] [--split dev|heldout|all] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Row, print_table
from families import FAMILIES, HELDOUT_NAMES
from families.run import run
from families.score import Alerts, Figures, alerts, figures
from families.world import World

CHANNELS = ("email", "webhook")
DEV_SEED = 1  # the world the developers look at
HELDOUT_SEED = 2  # the world the figures are reported on: nobody reads its pages


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def at_least(value: float | None, target: float) -> bool:
    return value is not None and value >= target


def split_rows(f: Figures, a: Alerts) -> list[Row]:
    title, lang, day = (
        ratio(f.title_ok, f.articles),
        ratio(f.lang_ok, f.articles),
        ratio(f.day_ok, f.articles),
    )
    non = ratio(f.non_articles, f.rows)
    mixed = ratio(f.mixed, f.stories)
    archive, new = ratio(f.archive_found, f.archive_truth), ratio(f.new_found, f.new_truth)
    channel = " / ".join
    return [
        Row(
            "rows stored (truth articles)", f"{f.rows} ({f.articles}; {f.duplicates} stored twice)"
        ),
        Row("story pairwise F1", f"{f.f1:.3f}", "≥ 0.95", at_least(f.f1, 0.95)),
        Row("  precision", pct(f.precision), "≥ 95 %", at_least(f.precision, 0.95)),
        Row(
            "  recall",
            f"{pct(f.recall)} ({f.pairs_tp} of {f.pairs_truth} pairs)",
            "≥ 90 %",
            at_least(f.recall, 0.90),
        ),
        Row(
            "predicted stories mixing truth stories",
            f"{pct(mixed)} ({f.mixed} of {f.stories})",
            "≤ 2 %",
            mixed is not None and mixed <= 0.02,
        ),
        Row("title exact", pct(title), "≥ 97 %", at_least(title, 0.97)),
        Row("language", pct(lang), "≥ 98 %", at_least(lang, 0.98)),
        Row("published day", pct(day), "≥ 97 %", at_least(day, 0.97)),
        Row(
            "non-articles stored",
            f"{pct(non)} ({f.non_articles} rows)",
            "≤ 1 %",
            non is not None and non <= 0.01,
        ),
        Row(
            "archive recall after the baseline",
            f"{pct(archive)} ({f.archive_found} of {f.archive_truth})",
            "≥ 95 %",
            at_least(archive, 0.95),
        ),
        Row(
            "new-article recall, phase 2",
            f"{pct(new)} ({f.new_found} of {f.new_truth})",
            "≥ 98 %",
            at_least(new, 0.98),
        ),
        Row("  new articles marked baseline", str(f.new_baseline)),
        Row(
            "alerts: new flagged stories (email / webhook)",
            f"{a.expected} expected; {channel(str(a.delivered[c]) for c in CHANNELS)} delivered",
            "all, once",
            a.ok(),
        ),
        Row("  missing", channel(str(a.missing[c]) for c in CHANNELS)),
        Row("  arrived twice", channel(str(a.twice[c]) for c in CHANNELS)),
        Row("  for unflagged news only", channel(str(a.unflagged[c]) for c in CHANNELS)),
        Row("  for baseline news only", channel(str(a.baseline[c]) for c in CHANNELS)),
        Row("  naming several truth stories", channel(str(a.mixed[c]) for c in CHANNELS)),
        Row(
            "  naming no article of the world",
            channel(str(a.unknown[c]) for c in CHANNELS),
        ),
    ]


def family_table(out, names: list[str]) -> None:
    headers = (
        "family",
        "split",
        "rows",
        "archive",
        "new",
        "title",
        "lang",
        "date",
        "non-art",
        "mixed",
        "F1",
    )
    lines = [headers]
    for name in names:
        f = figures(out, {name})
        split = "heldout" if name in HELDOUT_NAMES else "dev"
        lines.append((
            name, split, str(f.rows),
            pct(ratio(f.archive_found, f.archive_truth)), pct(ratio(f.new_found, f.new_truth)),
            pct(ratio(f.title_ok, f.articles)), pct(ratio(f.lang_ok, f.articles)),
            pct(ratio(f.day_ok, f.articles)),
            str(f.non_articles), f"{f.mixed}/{f.stories}",
            f"{f.f1:.3f} ({f.pairs_tp}/{f.pairs_truth} pairs, {f.pairs_pred} predicted)",
        ))  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(headers))]
    print("\nper family")
    for i, line in enumerate(lines):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def samples(f: Figures, limit: int) -> None:
    for kind, items in f.samples.items():
        if items:
            print(f"\n{kind} ({len(items)}), e.g.:")
            for item in items[:limit]:
                print(f"  {item}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seed",
        type=int,
        help=f"the world's seed (default: {DEV_SEED} for --split dev, else {HELDOUT_SEED})",
    )
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--sites", type=int, default=6, help="sites per family (default 6)")
    parser.add_argument(
        "--keep", type=Path, help="keep sources.yaml, monitor.db and the pass logs here"
    )
    parser.add_argument(
        "--samples", type=int, default=0, help="print this many failing examples per kind"
    )
    args = parser.parse_args(argv)
    seed = (
        args.seed if args.seed is not None else (DEV_SEED if args.split == "dev" else HELDOUT_SEED)
    )
    chosen = [
        f
        for f in FAMILIES
        if args.split == "all" or (f.name in HELDOUT_NAMES) == (args.split == "heldout")
    ]
    start = time.monotonic()
    world = World(seed, chosen, sites_per_family=args.sites)
    with tempfile.TemporaryDirectory(prefix="monitor-families-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        out = run(world, workdir)
    articles = sum(t.is_article for t in out.truth2.values())
    print(
        f"world: seed {seed}, {len(world.sites)} sites of {len(chosen)} families, "
        f"{len(world.sources())} sources, {articles} articles "
        f"({sum(t.phase == 2 for t in out.truth2.values())} published in phase 2), "
        f"{len(out.truth2) - articles} other pages"
    )
    print(
        "monitor: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in out.seconds.items())
        + f", exit codes {out.exit_codes}; alerts after the baseline: {out.alerts_after_phase1}; "
        f"articles columns: {', '.join(out.columns)}"
    )
    first, both = out.requests.get("phase 1", {}), out.requests.get("phase 2", {})
    second = {code: n - first.get(code, 0) for code, n in both.items()}
    print(
        "requests by status: phase 1 "
        + ", ".join(f"{c}: {n}" for c, n in sorted(first.items()))
        + "; phase 2 "
        + ", ".join(f"{c}: {n}" for c, n in sorted(second.items()))
    )
    verdict = True
    splits = [s for s in ("dev", "heldout") if args.split in (s, "all")]
    for split in splits:
        names = {f.name for f in chosen if (f.name in HELDOUT_NAMES) == (split == "heldout")}
        f, a = figures(out, names), alerts(out, names)
        rows = split_rows(f, a)
        if split == "dev" and "heldout" in splits:
            title = f"dev families ({', '.join(sorted(names))})"
        else:
            title = f"{split} families ({', '.join(sorted(names))})"
        print_table(f"{title}, seed {seed}", rows)
        if split == "heldout" or len(splits) == 1:
            verdict = all(r.ok is not False for r in rows)
        if args.samples:
            samples(f, args.samples)
    family_table(out, [f.name for f in chosen])
    print(f"\nwhole run: {time.monotonic() - start:.0f} s")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
