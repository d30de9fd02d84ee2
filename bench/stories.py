"""Story grouping: quality on the labelled set, and speed against a large index.

Usage: .venv/bin/python bench/stories.py [--size N] [--threshold T]

(1) Every article of ``fixtures/stories/articles.yaml`` arrives in date order (undated ones last)
and is placed as a pass places it: fingerprinted, its story candidates read from the store (an
in-memory SQLite database, ``articles.fetch_seen``) and the best chosen
(``identity.choose_story``), or a story of its own; then stored. Pairwise precision, recall and
F1 against the labels, and the wrong pairs.
(2) A store of N (default 20,000; bench/db.py measures a million) generated articles over five
years (random institutes, people, countries, topics, in English and Russian); then 200 new
articles are each fingerprinted, read against the store and placed: median and p99 ms each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from monitor.core import identity
from monitor.core.dedup import canonical_url
from monitor.core.models import Article, Flags
from monitor.core.stories import THRESHOLD, StoryDoc, features, score
from monitor.shell.store import Database, articles, open_db, transaction
from monitor.shell.store.articles import NewArticle

NO_FLAGS = Flags(False, (), (), False, ())

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/stories/articles.yaml"


def load(path: Path = FIXTURE) -> list[tuple[StoryDoc, str]]:
    """The labelled articles as (StoryDoc, story label); ids are 1-based file positions."""
    out = []
    for i, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), start=1):
        doc = StoryDoc(
            id=i,
            url=item["url"],
            source=item["source"],
            language=item["language"],
            title=item["title"],
            text=item["text"],
            published=item["published"],
            alternates=tuple(item.get("alternates") or ()),
        )
        out.append((doc, item["story"]))
    return out


def group(docs: list[StoryDoc], threshold: float) -> dict[int, str]:
    """Article id -> story, each placed in arrival order against what was stored before it."""
    db = open_db(":memory:")
    stories: dict[int, str] = {}
    for doc in sorted(docs, key=lambda d: (d.published or dt.date.max, d.id)):
        stories[doc.id] = place(db, doc, threshold)
    db.close()
    return stories


def place(db: Database, doc: StoryDoc, threshold: float = THRESHOLD) -> str:
    """Read, choose a story, store: the story part of a pass, for one article."""
    article = Article(
        doc.url,
        doc.title,
        doc.published,
        doc.text,
        doc.language,
        alternates={str(n): url for n, url in enumerate(doc.alternates)},
    )
    fp = identity.fingerprint(article, canonical_url(doc.url), doc.source, dt.date(2024, 1, 1))
    seen = articles.fetch_seen(db, (), fp)
    story = identity.choose_story(fp.features, seen, threshold)
    new = NewArticle(
        url=fp.canonical,
        source=doc.source,
        article=article,
        flags=NO_FLAGS,
        baseline=False,
        story=story,
        **identity.index_fields(fp),
    )
    return articles.save_article(db, new, dt.datetime.now(dt.UTC))[1]


def pairs(labels: dict[int, Any]) -> set[tuple[int, int]]:
    """All unordered pairs of ids that share a label."""
    groups: dict[Any, list[int]] = defaultdict(list)
    for i, label in labels.items():
        groups[label].append(i)
    return {(a, b) for ids in groups.values() for a, b in itertools.combinations(sorted(ids), 2)}


def quality(threshold: float) -> tuple[float, float, float]:
    """Print pairwise precision/recall/F1 and the wrong pairs; return (P, R, F1)."""
    labelled = load()
    docs = {d.id: d for d, _ in labelled}
    gold = pairs({d.id: label for d, label in labelled})
    got = pairs(group(list(docs.values()), threshold))
    tp = len(gold & got)
    p = tp / len(got) if got else 1.0
    r = tp / len(gold) if gold else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    feats = {i: features(d) for i, d in docs.items()}
    label = {d.id: lab for d, lab in labelled}
    print(f"(1) grouping of {len(docs)} labelled articles, {len(gold)} same-story pairs")
    print(f"    threshold {threshold:.2f}: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    for kind, wrong in (("false pair", got - gold), ("missed pair", gold - got)):
        for a, b in sorted(wrong):
            s = score(feats[a], feats[b])
            print(
                f"    {kind}: #{a} {label[a]} ({docs[a].language}) ~ #{b} {label[b]} "
                f"({docs[b].language}) score {s:.2f}"
            )
    return p, r, f1


# --- Synthetic index ---------------------------------------------------------------------------

_SYLLABLES = [
    ("ka", "ка"), ("ra", "ра"), ("to", "то"), ("mur", "мур"), ("bek", "бек"), ("nur", "нур"),
    ("lan", "лан"), ("sa", "са"), ("ul", "ул"), ("da", "да"), ("na", "на"), ("ay", "ай"),
    ("gul", "гуль"), ("er", "ер"), ("zhan", "жан"), ("ten", "тен"), ("mi", "ми"), ("ro", "ро"),
    ("sul", "сул"), ("tan", "тан"), ("as", "ас"), ("kar", "кар"), ("bo", "бо"), ("li", "ли"),
    ("dos", "дос"), ("ai", "аи"), ("yer", "ер"), ("ma", "ма"), ("rat", "рат"), ("sha", "ша"),
]  # fmt: skip
_COUNTRIES = [
    ("Kazakhstan", "Казахстан"), ("Malaysia", "Малайзия"), ("Uzbekistan", "Узбекистан"),
    ("Kyrgyzstan", "Кыргызстан"), ("Tajikistan", "Таджикистан"), ("China", "Китай"),
    ("Russia", "Россия"), ("Singapore", "Сингапур"), ("Indonesia", "Индонезия"),
    ("Vietnam", "Вьетнам"), ("Japan", "Япония"), ("India", "Индия"), ("Pakistan", "Пакистан"),
    ("Turkey", "Турция"), ("Iran", "Иран"), ("Azerbaijan", "Азербайджан"),
    ("Georgia", "Грузия"), ("Germany", "Германия"), ("Belarus", "Беларусь"),
    ("Mongolia", "Монголия"), ("Thailand", "Таиланд"), ("Philippines", "Филиппины"),
]  # fmt: skip
_TOPICS = [
    ("water security", "водной безопасности"), ("energy transition", "энергетическом переходе"),
    ("transport corridors", "транспортных коридорах"), ("trade", "торговле"),
    ("migration", "миграции"), ("digital economy", "цифровой экономике"),
    ("climate change", "изменении климата"), ("nuclear energy", "атомной энергетике"),
    ("border security", "безопасности границ"), ("education", "образовании"),
    ("critical minerals", "критических минералах"), ("tourism", "туризме"),
]  # fmt: skip
_EVENTS = [
    ("round table", "круглый стол"), ("conference", "конференцию"), ("seminar", "семинар"),
    ("webinar", "вебинар"), ("memorandum", "меморандум"), ("forum", "форум"),
]  # fmt: skip
_MONTHS_EN = "January February March April May June July August September October November December"
_MONTHS_RU = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"


def _name(rng: random.Random, parts: int) -> tuple[str, str]:
    """A random name in Latin and Cyrillic spelling."""
    chosen = [rng.choice(_SYLLABLES) for _ in range(parts)]
    return "".join(s[0] for s in chosen).title(), "".join(s[1] for s in chosen).title()


def _pools(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    people = [
        (f"{a[0]} {b[0]}ov", f"{a[1]} {b[1]}ов")
        for a, b in ((_name(rng, 2), _name(rng, 3)) for _ in range(3000))
    ]
    institutes = []
    for _ in range(300):
        acronym = "".join(rng.choice("ABCDEFGHIKLMNOPRSTU") for _ in range(rng.randint(3, 5)))
        institutes.append((acronym, acronym))
    cities = [_name(rng, 3) for _ in range(400)]
    return {"people": people, "institutes": institutes, "cities": cities}


def synthetic_doc(rng: random.Random, pools: dict[str, Any], i: int, day: dt.date) -> StoryDoc:
    """One generated article in English or Russian."""
    ru = rng.random() < 0.4
    k = 1 if ru else 0
    p1, p2 = rng.sample(pools["people"], 2)
    i1, i2 = rng.sample(pools["institutes"], 2)
    c1, c2 = rng.sample(_COUNTRIES, 2)
    topic, topic2 = rng.sample(_TOPICS, 2)
    event = rng.choice(_EVENTS)
    city = rng.choice(pools["cities"])
    n = rng.randint(10, 900)
    month = (_MONTHS_RU if ru else _MONTHS_EN).split()[day.month - 1]
    if ru:
        title = f"{i1[1]} и {i2[1]} провели {event[1]} о {topic[1]}"
        text = (
            f"{day.day} {month} {day.year} года в городе {city[1]} {i1[1]} и {i2[1]} провели "
            f"{event[1]} о {topic[1]}. {p1[1]} и {p2[1]} обсудили вопросы о {topic2[1]} с "
            f"экспертами из стран {c1[1]} и {c2[1]}. В мероприятии участвовали {n} человек."
        )
    else:
        title = f"{i1[0]} and {i2[0]} held a {event[0]} on {topic[0]}"
        text = (
            f"On {day.day} {month} {day.year}, {i1[0]} and {i2[0]} held a {event[0]} on "
            f"{topic[0]} in {city[0]}. {p1[0]} and {p2[0]} discussed {topic2[0]} with experts "
            f"from {c1[0]} and {c2[0]}. The event gathered {n} participants."
        )
    host = f"{i1[0].lower()}.org"
    return StoryDoc(
        id=i,
        url=f"https://{host}/{'ru' if ru else 'en'}/news/{i}-{topic[0].replace(' ', '-')}",
        source=host,
        language="ru" if k else "en",
        title=title,
        text=text,
        published=day,
    )


def speed(size: int, seed: int = 7) -> tuple[float, float]:
    """Store `size` generated articles; time 200 placements. Returns (median, p99) in ms."""
    rng = random.Random(seed)
    pools = _pools(rng)
    start_day = dt.date(2021, 1, 1)
    span = 5 * 365
    t0 = time.perf_counter()
    db = open_db(":memory:")
    with transaction(db):
        for i in range(1, size + 1):
            day = start_day + dt.timedelta(days=span * i // size)
            place(db, synthetic_doc(rng, pools, i, day))
    build = time.perf_counter() - t0
    timings, cand_counts = [], []
    for j in range(200):
        day = start_day + dt.timedelta(days=rng.randrange(span))
        doc = synthetic_doc(rng, pools, size + 1 + j, day)
        t = time.perf_counter()
        place(db, doc)
        timings.append((time.perf_counter() - t) * 1000)
        fp = identity.fingerprint(
            Article(doc.url, doc.title, doc.published, doc.text, doc.language),
            canonical_url(doc.url),
            doc.source,
            day,
        )
        cand_counts.append(len(articles.fetch_seen(db, (), fp).candidates))
    timings.sort()
    median = statistics.median(timings)
    p99 = timings[int(0.99 * (len(timings) - 1))]
    print(f"(2) store of {size:,} generated articles built in {build:.1f} s")
    print(
        f"    candidates per new article: median {statistics.median(cand_counts):.0f}, "
        f"max {max(cand_counts)}"
    )
    print("    place one new article (fingerprint + the store's read + choice + write), 200:")
    print(f"    median {median:.2f} ms   p99 {p99:.2f} ms   max {timings[-1]:.2f} ms")
    return median, p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    _, _, f1 = quality(args.threshold)
    ok = f1 >= 0.95
    if not args.quality_only:
        _, p99 = speed(args.size)
        ok = ok and p99 < 10
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| pairwise F1 | {f1:.3f} | >= 0.95 |")
    if not args.quality_only:
        print(f"| place p99 at {args.size:,} | {p99:.2f} ms | < 10 ms |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
