"""Score the Flagger on the labelled set in fixtures/flags/items.yaml and time it.

Run: .venv/bin/python bench/flags.py [--misses-only]
Prints precision/recall/F1 for agreements (per item) and countries (micro over (item, country)
pairs), per language and overall, every miss, and the median time to flag a 1,000-word text.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.core.flags import Flagger  # noqa: E402

ITEMS = ROOT / "fixtures" / "flags" / "items.yaml"
SEED = ROOT / "fixtures" / "flags" / "kaziss-isis-memorandum.txt"


class Score:
    """True/false positive counts and the derived ratios."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, expected: set[str], got: set[str]) -> None:
        self.tp += len(expected & got)
        self.fp += len(got - expected)
        self.fn += len(expected - got)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def evaluate(flagger: Flagger, items: list[dict]) -> tuple[dict, list[str]]:
    scores: dict[tuple[str, str], Score] = defaultdict(Score)
    misses = []
    for item in items:
        flags = flagger.flag(item.get("title", ""), item["text"], item["lang"])
        exp_a = {"agreement"} if item["agreement"] else set()
        got_a = {"agreement"} if flags.agreement else set()
        exp_c, got_c = set(item["countries"]), set(flags.countries)
        for lang in (item["lang"], "all"):
            scores[("agreement", lang)].add(exp_a, got_a)
            scores[("countries", lang)].add(exp_c, got_c)
        if exp_a != got_a:
            misses.append(
                f"{item['id']}: agreement expected {item['agreement']}, got {flags.agreement}"
            )
        if exp_c != got_c:
            misses.append(f"{item['id']}: countries expected {sorted(exp_c)}, got {sorted(got_c)}")
    return scores, misses


def thousand_words() -> str:
    seed = SEED.read_text(encoding="utf-8").split()
    words = (seed * (1000 // len(seed) + 1))[:1000]
    return " ".join(words)


def time_flag(flagger: Flagger, runs: int = 300) -> float:
    text = thousand_words()
    flagger.flag("Title", text, "en")
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        flagger.flag("Title", text, "en")
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def main() -> None:
    items = yaml.safe_load(ITEMS.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    flagger = Flagger(["KZ", "MY"])
    build_ms = (time.perf_counter() - t0) * 1000
    scores, misses = evaluate(flagger, items)
    langs = [*sorted({i["lang"] for i in items}), "all"]
    counts = defaultdict(int)
    for item in items:
        counts[item["lang"]] += 1
        counts["all"] += 1
    print(f"{len(items)} items; Flagger built in {build_ms:.0f} ms")
    print(
        f"{'lang':<5}{'n':>5} | {'agr P':>6}{'agr R':>7}{'agr F1':>8} | "
        f"{'cty P':>6}{'cty R':>7}{'cty F1':>8}"
    )
    for lang in langs:
        ap, ar, af = scores[("agreement", lang)].prf()
        cp, cr, cf = scores[("countries", lang)].prf()
        print(
            f"{lang:<5}{counts[lang]:>5} | {ap:6.3f}{ar:7.3f}{af:8.3f} | "
            f"{cp:6.3f}{cr:7.3f}{cf:8.3f}"
        )
    print(f"\nmisses ({len(misses)}):")
    for miss in misses:
        print("  " + miss)
    print(f"\nflag() on a 1,000-word text: median {time_flag(flagger):.2f} ms")


if __name__ == "__main__":
    main()
