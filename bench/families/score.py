"""Compare what monitor stored and sent with the world's truth: per split and per family."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .run import Outcome
from .world import PER_PAGE, Truth, norm_url

MAX_PAGES = 5  # monitor's default max_pages (README, "Configuration")
URL_RE = re.compile(r"https?://127\.0\.1\.\d+:\d+[^\s<>\"')\]]*")


def _ws(text: str | None) -> str:
    return " ".join((text or "").split())


def lookup(row: dict, truth: dict[str, Truth]) -> Truth | None:
    """The truth of a stored row, by its URL or else by any of its aliases."""
    for url in [row.get("url") or "", *(row.get("aliases") or [])]:
        found = truth.get(norm_url(url))
        if found:
            return found
    return None


def family_of(row: dict, truth: Truth | None) -> str:
    return truth.family if truth else (row.get("source") or "?").rsplit("-", 2)[0]


@dataclass
class Figures:
    rows: int = 0
    articles: int = 0
    non_articles: int = 0
    title_ok: int = 0
    lang_ok: int = 0
    day_ok: int = 0
    archive_truth: int = 0
    archive_found: int = 0
    new_truth: int = 0
    new_found: int = 0
    new_baseline: int = 0
    duplicates: int = 0
    pairs_tp: int = 0
    pairs_pred: int = 0
    pairs_truth: int = 0
    stories: int = 0
    mixed: int = 0
    samples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def share(self, a: int, b: int) -> float | None:
        return a / b if b else None

    @property
    def precision(self) -> float | None:
        return (
            self.share(self.pairs_tp, self.pairs_pred)
            if self.pairs_pred
            else (1.0 if self.pairs_truth == 0 else None)
        )

    @property
    def recall(self) -> float | None:
        return self.share(self.pairs_tp, self.pairs_truth) if self.pairs_truth else 1.0

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def figures(out: Outcome, families: set[str]) -> Figures:
    """Every figure over the rows and truth of ``families`` (a split, or one family)."""
    f = Figures()
    truth2 = out.truth2
    in_scope = [(row, lookup(row, truth2)) for row in out.rows2]
    in_scope = [(row, t) for row, t in in_scope if family_of(row, t) in families]
    seen: Counter[str] = Counter()
    for row, t in in_scope:
        f.rows += 1
        if t is None or not t.is_article:
            f.non_articles += 1
            f.samples["non-article rows"].append(row.get("url", ""))
            continue
        f.articles += 1
        seen[t.url] += 1
        if _ws(row.get("title")) == _ws(t.title):
            f.title_ok += 1
        else:
            f.samples["titles"].append(
                f"{t.url}\n      got {row.get('title')!r}\n     want {t.title!r}"
            )
        if row.get("language") == t.lang:
            f.lang_ok += 1
        else:
            f.samples["languages"].append(f"{t.url}: got {row.get('language')} want {t.lang}")
        if (row.get("published") or "")[:10] == t.day.isoformat():
            f.day_ok += 1
        else:
            f.samples["dates"].append(f"{t.url}: got {row.get('published')} want {t.day}")
        if t.phase == 2 and row.get("baseline"):
            f.new_baseline += 1
    f.duplicates = sum(n - 1 for n in seen.values())
    # stories: pairs of stored articles, and predicted stories that mix truth stories
    by_pred: dict[str, list[Truth]] = defaultdict(list)
    for row, t in in_scope:
        if t is not None:
            by_pred[str(row.get("story"))].append(t)
    arts = [
        (str(row.get("story")), t.story) for row, t in in_scope if t is not None and t.is_article
    ]
    for (p1, t1), (p2, t2) in combinations(arts, 2):
        same_p, same_t = p1 == p2, t1 == t2
        f.pairs_pred += same_p
        f.pairs_truth += same_t
        f.pairs_tp += same_p and same_t
        if same_t and not same_p and len(f.samples["stories split"]) < 50:
            f.samples["stories split"].append(f"truth {t1}: predicted {p1} and {p2}")
    for pred, members in by_pred.items():
        f.stories += 1
        kinds = {t.story for t in members}
        if len(kinds) > 1:
            f.mixed += 1
            f.samples["stories mixed"].append(f"{pred}: " + ", ".join(sorted(kinds)))
    # recall: the archive after phase 1, the new articles after phase 2
    stored1 = {
        norm_url(u)
        for row in out.rows1
        for u in [row.get("url") or "", *(row.get("aliases") or [])]
    }
    stored2 = {
        norm_url(u)
        for row in out.rows2
        for u in [row.get("url") or "", *(row.get("aliases") or [])]
    }
    for key, t in _archive(out.truth1).items():
        if t.family in families:
            f.archive_truth += 1
            f.archive_found += key in stored1
            if key not in stored1:
                f.samples["archive missed"].append(t.url)
    for key, t in truth2.items():
        if t.family in families and t.is_article and t.phase == 2:
            f.new_truth += 1
            f.new_found += key in stored2
            if key not in stored2:
                f.samples["new missed"].append(t.url)
    return f


def _archive(truth1: dict[str, Truth]) -> dict[str, Truth]:
    """Baseline articles within their source's first MAX_PAGES listing pages (newest first)."""
    per_source: dict[tuple[int, str], list[tuple[str, Truth]]] = defaultdict(list)
    for key, t in truth1.items():
        if t.is_article:
            per_source[(t.site, t.lang)].append((key, t))
    keep = {}
    for items in per_source.values():
        items.sort(key=lambda kt: kt[1].day, reverse=True)
        keep.update(items[: MAX_PAGES * PER_PAGE])
    return keep


@dataclass
class Alerts:
    expected: int = 0
    delivered: dict[str, int] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    twice: dict[str, int] = field(default_factory=dict)
    unflagged: dict[str, int] = field(default_factory=dict)
    baseline: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    mixed: dict[str, int] = field(default_factory=dict)  # alerts naming several truth stories

    def ok(self) -> bool:
        return not any(
            sum(d.values())
            for d in (self.missing, self.twice, self.unflagged, self.baseline, self.unknown)
        ) and all(self.delivered.get(ch, 0) == self.expected for ch in ("email", "webhook"))


def alerts(out: Outcome, families: set[str]) -> Alerts:
    truth = out.truth2
    stories: dict[str, list[Truth]] = defaultdict(list)
    for t in truth.values():
        if t.is_article:
            stories[t.story].append(t)
    touches = {sid: {t.family for t in ts} & families for sid, ts in stories.items()}
    expected = {
        sid for sid, ts in stories.items()
        if touches[sid] and all(t.phase == 2 for t in ts) and any(t.flagged for t in ts)
    }  # fmt: skip
    result = Alerts(expected=len(expected))
    channels = {
        "email": [URL_RE.findall(text) for text in out.mails],
        "webhook": [
            [a.get("url", "") for a in hook.get("articles", [])]
            for hook in out.hooks
            if hook.get("type", "story.flagged") == "story.flagged"
        ],
    }
    for channel, messages in channels.items():
        got: Counter[str] = Counter()
        unknown = unflagged = baseline = mixed = 0
        for urls in messages:
            votes = Counter(t.story for u in urls if (t := truth.get(norm_url(u))) and t.is_article)
            if not votes:
                unknown += bool(urls)
                continue
            if not any(touches.get(sid) for sid in votes):
                continue  # the other split's
            mixed += len(votes) > 1
            # an alert is for the new flagged story it names most; else it is a false one
            new = [sid for sid, _ in votes.most_common() if sid in expected]
            if new:
                got[new[0]] += 1
            elif any(any(t.flagged for t in stories[sid]) for sid in votes):
                baseline += 1  # it names flagged stories, all of which the baseline had
            else:
                unflagged += 1
        result.delivered[channel] = len(got)
        result.missing[channel] = len(expected - set(got))
        result.twice[channel] = sum(1 for n in got.values() if n > 1)
        result.unflagged[channel] = unflagged
        result.baseline[channel] = baseline
        result.mixed[channel] = mixed
        result.unknown[channel] = unknown  # no URL of the world: cannot be told to a split
    return result
