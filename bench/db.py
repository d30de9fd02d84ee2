"""The database at a million articles: do the pass's look-ups and the analyst's queries stay fast?

Usage: .venv/bin/python bench/db.py [--articles 1000000] [--db /tmp/monitor-bench.db] [--runs 50]

Builds (or reuses, when the file already holds as many articles) a database through the real
schema: ``open_db`` runs the migrations, then bulk inserts write exactly the rows
``articles.save_article`` writes (articles with story and story features, canonical and alias
URLs, flag evidence, story_keys, simhash_bands), in big transactions of direct SQL; the FTS5
rows are made by the schema's own triggers. Texts are short (a few hundred characters) so a
million rows fit in a few minutes and about a GB or two. 500 sources in en/ru/kk/ms over five
years; names, numbers and words from large generated pools, as in bench/world.py.

Then times, over ``--runs`` runs each, median and p95 against 50 ms:
``queries.fetch_articles(since=..., limit=50)``; ``health.fetch_stats`` (what health reads for
every source after every pass); ``queries.search`` (FTS5 MATCH, snippet(), bm25, limit 20) in
English and in Cyrillic; the one read that identity is decided on (``articles.fetch_seen``:
known URLs, identical text, near copies with their texts, story candidates); and that read
with ``identity.place`` end to end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from _common import Row, median_p95, print_table
from world import AGREEMENT, COMMON, COUNTRIES, LANGUAGES, person_name, pseudo_word

from monitor.core import dedup, stories
from monitor.core import identity as assign
from monitor.core.models import Article
from monitor.shell.store import Database, articles, open_db, queries, transaction
from monitor.shell.store import health as health_store

TARGET_MS = 50.0
SOURCES = 500
START = dt.date(2021, 1, 1)
DAYS = 5 * 365
BATCH = 20_000
ORGS = [f"I{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}S" for i in range(SOURCES)]


class Generator:
    """Short articles with realistic identity data, deterministic from the seed."""

    def __init__(self, seed: int, total: int) -> None:
        rng = random.Random(f"{seed}:pools")
        self.seed = seed
        self.total = total  # the articles are spread evenly over five years
        self.pools = {lang: [pseudo_word(rng, lang) for _ in range(20_000)] for lang in LANGUAGES}
        self.names = {lang: [person_name(rng, lang) for _ in range(5_000)] for lang in LANGUAGES}
        self.common = {lang: COMMON[lang].split() for lang in LANGUAGES}

    def article(self, i: int, *, new: bool = False) -> tuple[Article, str, bool, list[str], int]:
        """Article ``i``, its source, whether it is flagged, the people and figure it names."""
        rng = random.Random(f"{self.seed}:{'new' if new else 'a'}:{i}")
        source = rng.randrange(SOURCES)
        lang = LANGUAGES[source % 4]
        pool, names = self.pools[lang], self.names[lang]
        people = rng.sample(names, 2)
        title = " ".join([people[0], *rng.choices(pool, k=rng.randrange(4, 8))])
        words = [
            w
            for pair in zip(
                rng.choices(pool, k=30), rng.choices(self.common[lang], k=30), strict=True
            )
            for w in pair
        ]
        number = rng.randrange(2, 9999)
        words[rng.randrange(10, 50)] += f" {ORGS[source]} {people[1]} {number}"
        text = " ".join(words).capitalize() + "."
        flagged = rng.random() < 0.05
        if flagged:
            country = rng.choice(COUNTRIES[lang])
            deal = AGREEMENT[lang].format(a=ORGS[source], b=country, topic=rng.choice(pool))
            text = deal + "\n" + text
        day = START + dt.timedelta(days=(i * DAYS) // self.total % DAYS + rng.randrange(3))
        url = f"https://site{source:03d}.example/{lang}/news/{day.year}/{day.month:02d}/{i}/"
        article = Article(url=url, title=title, published=day, text=text, language=lang)
        return article, f"site{source:03d}", flagged, people, number


def _evidence_rows(article_id: int, art: Article, country: str) -> list[tuple[Any, ...]]:
    """The two evidence rows a flagged article stores (agreement and country)."""
    first, lang = art.text.split("\n", 1)[0][:160], art.language
    return [
        (article_id, "agreement", None, "memorandum", first, 10, 20, f"agreement.{lang}"),
        (article_id, "country", country, country, first, 30, 40, f"country.{lang}"),
    ]


def fingerprint(art: Article, source: str, people: list[str], number: int) -> assign.Fingerprint:
    """What ``assign.fingerprint`` gives, built from the generator's parts: 60x faster.

    The real one spends milliseconds per article (SimHash over shingles, token extraction);
    a million of them would take most of an hour. The SimHash of random text is a random
    64-bit value, so a hash of the text stands in; the story features hold the same kinds of
    tokens (names, the organisation, a number, title and word stems) as the real ones.
    """
    day = art.published
    words = [w.casefold() for w in art.text.split() if len(w) > 3]
    features = stories.StoryFeatures(
        url=art.url,
        source=source,
        language=art.language,
        published=day.isoformat(),  # type: ignore[union-attr]
        evidence=frozenset(
            [*(f"n:{stories.name_key(p)}" for p in people), f"#:{number}", f"o:{source}"]
        ),
        title=frozenset(w.casefold()[:6] for w in (art.title or "").split() if len(w) > 3),
        words=frozenset(w[:6] for w in words[:120]),
    )
    h = int.from_bytes(hashlib.blake2b(art.text.encode(), digest_size=8).digest(), "big")
    return assign.Fingerprint(
        canonical=art.url,
        content_hash=dedup.content_hash(art.text),
        simhash=h,
        bands=tuple(dedup.simhash_bands(h)),
        features=features,
        keys=tuple(sorted(stories.index_keys(features))),
    )


def _rows(gen: Generator, start: int, stop: int, now: str) -> Iterator[dict[str, list[Any]]]:
    """Rows for articles start..stop-1, as save_article writes them (ids are i + 1)."""
    out: dict[str, list[Any]] = {"articles": [], "urls": [], "flags": [], "keys": [], "bands": []}
    for i in range(start, stop):
        art, source, flagged, people, number = gen.article(i)
        article_id = i + 1
        fp = fingerprint(art, source, people, number)
        out["articles"].append(
            (
                article_id, art.url, source, art.title, art.published.isoformat(),  # type: ignore[union-attr]
                art.language, art.text, fp.content_hash, dedup.to_sqlite_int(fp.simhash),
                now, now, 1, int(flagged), json.dumps(["KZ"] if flagged else []), "[]",
                int(flagged), "{}", "{}", f"s{article_id}", json.dumps(fp.features.to_dict(),
                ensure_ascii=False, sort_keys=True), now, 1,
                art.published.isoformat()[:10],  # type: ignore[union-attr]
            )
        )  # fmt: skip
        out["urls"].append((art.url, article_id, "canonical"))
        if i % 10 == 0:  # one in ten also reached under an alias
            out["urls"].append((art.url + "amp/", article_id, "alias"))
        if flagged:
            out["flags"].extend(_evidence_rows(article_id, art, "KZ"))
        day = fp.features.day
        out["keys"].extend((key, day, article_id) for key in fp.keys)
        out["bands"].extend((band, article_id) for band in fp.bands)
        if len(out["articles"]) >= BATCH:
            yield out
            out = {k: [] for k in out}
    if out["articles"]:
        yield out


def build(store: Database, gen: Generator, have: int, want: int) -> None:
    """Insert articles have..want-1 with direct SQL in big transactions (triggers fill FTS)."""
    now = dt.datetime.now(dt.UTC).isoformat()
    conn = store.conn
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB for the build: index pages stay hot
    t0, done = time.perf_counter(), have
    for rows in _rows(gen, have, want, now):
        with transaction(store):
            conn.executemany(
                "INSERT INTO articles (id, url, source, title, published, language, text,"
                " content_hash, simhash, first_seen, updated_at, baseline, agreement, countries,"
                " weak_countries, flagged, methods, alternates, story, story_features,"
                " last_checked, version, sort_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows["articles"],
            )
            conn.executemany(
                "INSERT INTO urls (url, article_id, kind) VALUES (?, ?, ?)", rows["urls"]
            )
            conn.executemany(
                "INSERT INTO flags (article_id, kind, country, matched, snippet, start, end, rule)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows["flags"],
            )
            conn.executemany(
                "INSERT INTO story_keys (key, day, article_id) VALUES (?, ?, ?)", rows["keys"]
            )
            conn.executemany(
                "INSERT INTO simhash_bands (band, article_id) VALUES (?, ?)", rows["bands"]
            )
        done += len(rows["articles"])
        rate = (done - have) / (time.perf_counter() - t0)
        print(f"  {done:,} articles ({rate:,.0f}/s)", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    conn.execute("ANALYZE")


def timed(runs: int, job: Callable[[int], object]) -> tuple[float, float]:
    """Median and p95 milliseconds of ``job(run)`` (one warm-up run first)."""
    job(-1)
    samples = []
    for run in range(runs):
        t0 = time.perf_counter()
        job(run)
        samples.append(1000 * (time.perf_counter() - t0))
    return median_p95(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/monitor-bench.db"))
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    gen = Generator(args.seed, args.articles)
    store = open_db(args.db)
    have = queries.fetch_counts(store)["articles"]
    t0 = time.perf_counter()
    if have < args.articles:
        print(f"building {args.db}: {have:,} -> {args.articles:,} articles", file=sys.stderr)
        build(store, gen, have, args.articles)
    with transaction(store) as db:  # a database built before this script wrote sort_date
        db.execute(
            "UPDATE articles SET sort_date = coalesce(substr(published, 1, 10),"
            " substr(first_seen, 1, 10)) WHERE sort_date IS NULL"
        )
    built = time.perf_counter() - t0
    have = queries.fetch_counts(store)["articles"]
    size = sum(p.stat().st_size for p in args.db.parent.glob(args.db.name + "*"))

    # New articles dated inside the stored range, so that the story index has neighbours.
    news = []
    for run in range(-1, args.runs):
        art, source, *_ = gen.article(run + 10_000_000, new=True)
        day = START + dt.timedelta(days=DAYS - 30 + run % 20)
        art = Article(
            url=art.url, title=art.title, published=day, text=art.text, language=art.language
        )
        news.append((art, assign.fingerprint(art, art.url, source, day)))
    newest = store.conn.execute("SELECT max(published) FROM articles").fetchone()[0]
    since = dt.date.fromisoformat(newest[:10]) - dt.timedelta(days=7)
    # a query that finds nothing would time nothing (databases built before sort_date was
    # written here had it NULL everywhere, and this row read 0.0 ms)
    assert len(queries.fetch_articles(store, since=since, limit=50)) == 50, (
        "articles(since=...) found nothing"
    )

    def identity_read(run: int) -> None:
        art, fp = news[run + 1]
        articles.fetch_seen(store, {fp.canonical, art.url + "amp/"}, fp)

    def place(run: int) -> None:
        art, fp = news[run + 1]
        assign.place(fp, art.text, articles.fetch_seen(store, {fp.canonical}, fp))

    word = gen.pools["en"][7]
    checks = {
        f"queries.fetch_articles(since={since}, limit=50)": lambda r: queries.fetch_articles(
            store, since=since, limit=50
        ),
        "queries.search('memorandum') en, limit 20": lambda r: queries.search(store, "memorandum"),
        f"queries.search('{word}') rare word": lambda r: queries.search(store, word),
        "queries.search('меморандум') Cyrillic": lambda r: queries.search(store, "меморандум"),
        "queries.search('меморандум*') Cyrillic prefix": lambda r: queries.search(
            store, "меморандум*"
        ),
        "health.fetch_stats (every source, every pass)": lambda r: health_store.fetch_stats(
            store, f"site{r % SOURCES:03d}"
        ),
        "identity read (urls, hash, near copies, story candidates)": identity_read,
        "identity end to end (the read + identity.place)": place,
    }
    rows = [
        Row("articles in the database", f"{have:,}"),
        Row(
            "built by",
            "direct SQL of save_article's rows + FTS triggers"
            + (f", {built:.0f} s this run" if built > 1 else ", reused"),
        ),
        Row("database size (with WAL)", f"{size / 2**30:.2f} GB"),
    ]
    for name, job in checks.items():
        med, p95 = timed(args.runs, job)
        rows.append(
            Row(f"{name}: median / p95", f"{med:.1f} / {p95:.1f} ms", f"<= {TARGET_MS:.0f} ms",
                p95 <= TARGET_MS)
        )  # fmt: skip
    store.close()
    print_table(f"bench/db.py: {have:,} articles, {args.runs} runs each", rows)
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
