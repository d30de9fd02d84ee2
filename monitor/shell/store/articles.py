"""Articles: each stored once, with its URLs, evidence, versions and identity indexes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core import stories
from monitor.core.dedup import to_sqlite_int
from monitor.core.identity import Fingerprint, NearCopy, Seen
from monitor.core.models import Article, Flags, Published
from monitor.core.policy import installed_id, message_id
from monitor.shell.store.db import Database, installation_id, transaction


@dataclass(frozen=True)
class NewArticle:
    """Everything stored for one article, gathered by the pass before one write."""

    url: str
    source: str
    article: Article
    flags: Flags
    content_hash: str
    simhash: int
    baseline: bool
    aliases: tuple[str, ...] = ()
    #: The story it joins; None starts a story of its own.
    story: str | None = None
    #: What story assignment indexes: JSON-able features and their keys, and the day.
    story_features: dict[str, Any] | None = None
    story_keys: tuple[str, ...] = ()
    story_day: int | None = None
    simhash_bands: tuple[int, ...] = ()


def _iso(value: Published) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def fetch_known_urls(db: Database, urls: Iterable[str]) -> set[str]:
    """Which of these canonical URLs already belong to a stored article."""
    found: set[str] = set()
    batch = list(dict.fromkeys(urls))
    for i in range(0, len(batch), 500):
        chunk = batch[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0] for r in db.conn.execute(f"SELECT url FROM urls WHERE url IN ({marks})", chunk)
        )
    return found


def _insert_evidence(db: Database, article_id: int, flags: Flags) -> None:
    db.conn.executemany(
        "INSERT INTO flags (article_id, kind, country, matched, snippet, start, end, rule)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, e.kind, e.country, e.matched, e.snippet, e.start, e.end, e.rule)
            for e in flags.evidence
        ],
    )


def save_aliases(db: Database, article_id: int, urls: Iterable[str]) -> None:
    """Other URLs of a stored article (a second listing, an AMP page, a tracking link)."""
    with transaction(db):
        db.conn.executemany(
            "INSERT OR IGNORE INTO urls (url, article_id, kind) VALUES (?, ?, 'alias')",
            [(u, article_id) for u in urls],
        )


def save_article(db: Database, new: NewArticle, now: dt.datetime) -> tuple[int, str]:
    """Store an article with its URLs, evidence and indexes; (its id, its story).

    A new story is named after its first article (``s<id>``). Its alerts are queued by the
    caller in the same transaction (see ``monitor.core.policy``).
    """
    art, flags = new.article, new.flags
    published = _iso(art.published)
    with transaction(db):
        # The id SQLite would give the row (the largest plus one: no AUTOINCREMENT), taken
        # under this transaction's write lock, first, so that the story named after it goes
        # into the same INSERT: an UPDATE after it rewrote the whole row, text included.
        (article_id,) = db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()
        story = new.story or f"s{article_id}"
        db.conn.execute(
            "INSERT INTO articles (id, url, source, title, published, language, text,"
            " content_hash, simhash, first_seen, updated_at, baseline, agreement, countries,"
            " weak_countries, flagged, methods, alternates, story, story_features,"
            " last_checked, version, sort_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            [
                article_id,
                new.url,
                new.source,
                art.title,
                published,
                art.language,
                art.text,
                new.content_hash,
                new.simhash,
                now.isoformat(),
                now.isoformat(),
                int(new.baseline),
                int(flags.agreement),
                _json(list(flags.countries)),
                _json(list(flags.weak_countries)),
                int(flags.flagged),
                _json(art.methods),
                _json(art.alternates),
                story,
                _json(new.story_features) if new.story_features else None,
                now.isoformat(),
                (published or now.isoformat())[:10],
            ],
        )
        db.conn.executemany(
            "INSERT INTO story_keys (key, day, article_id) VALUES (?, ?, ?)",
            [(key, new.story_day, article_id) for key in new.story_keys],
        )
        db.conn.executemany(
            "INSERT INTO simhash_bands (band, article_id) VALUES (?, ?)",
            [(band, article_id) for band in new.simhash_bands],
        )
        db.conn.execute(
            "INSERT INTO urls (url, article_id, kind) VALUES (?, ?, 'canonical')"
            " ON CONFLICT(url) DO UPDATE SET article_id = excluded.article_id,"
            " kind = 'canonical'",
            [new.url, article_id],
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO urls (url, article_id, kind) VALUES (?, ?, 'alias')",
            [(u, article_id) for u in new.aliases if u != new.url],
        )
        _insert_evidence(db, article_id, flags)
    return article_id, story


def story_has_baseline(db: Database, story: str) -> bool:
    """Whether a story holds an article of a baseline pass (news before monitor watched)."""
    row = db.conn.execute(
        "SELECT 1 FROM articles WHERE story = ? AND baseline = 1 LIMIT 1", [story]
    ).fetchone()
    return row is not None


def fetch_seen(db: Database, urls: Iterable[str], fp: Fingerprint) -> Seen:
    """Everything identity is decided on, in one read: the article's URLs already stored,
    an identical text, near copies (sharing a SimHash band) with their texts, and the story
    candidates with how common each of their keys is."""
    known = fetch_known_ids(db, urls)
    row = db.conn.execute(
        "SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1", [fp.content_hash]
    ).fetchone()
    near: list[NearCopy] = []
    if fp.bands:
        marks = ",".join("?" * len(fp.bands))
        near = [
            NearCopy(r[0], r[1], r[2], r[3], r[4])
            for r in db.conn.execute(
                "SELECT a.id, a.simhash, a.url, a.story, a.text FROM articles a WHERE a.id IN"
                f" (SELECT article_id FROM simhash_bands WHERE band IN ({marks})) ORDER BY a.id",
                list(fp.bands),
            )
        ]
    day = fp.features.day or 0
    candidates, counts = fetch_story_candidates(
        db, fp.keys, day, stories.WINDOW_DAYS, stories.MAX_CANDIDATES
    )
    return Seen(
        known=known,
        identical=row[0] if row else None,
        near=tuple(near),
        candidates=tuple(candidates),
        key_counts=counts,
    )


def fetch_known_ids(db: Database, urls: Iterable[str]) -> dict[str, int]:
    """The stored article each of these canonical URLs belongs to, if any."""
    found: dict[str, int] = {}
    batch = list(dict.fromkeys(urls))
    for i in range(0, len(batch), 500):
        chunk = batch[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            db.conn.execute(f"SELECT url, article_id FROM urls WHERE url IN ({marks})", chunk)
        )
    return found


def fetch_story_candidates(
    db: Database, keys: Sequence[str], day: int, window: int, limit: int
) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, int]]:
    """Articles sharing an index key within ``window`` days, rarest keys first.

    Returns (story, features) for at most ``limit`` articles and the other members of their
    stories in the window (``2 * limit`` rows at most), and how many indexed articles carry
    each key in the window (common keys say less about which story it is).
    """
    if not keys:
        return [], {}
    low, high = day - window, day + window
    marks = ",".join("?" * len(keys))
    # counted in the (key, day) index alone; ids are read only for the rarest keys, which
    # usually fill the limit: a common key's postings run to thousands of rows at scale
    counts: dict[str, int] = dict(
        db.conn.execute(
            f"SELECT key, count(*) FROM story_keys WHERE key IN ({marks})"
            " AND day BETWEEN ? AND ? GROUP BY key",
            [*keys, low, high],
        ).fetchall()
    )
    chosen: dict[int, None] = {}
    # a language link or a URL id names the article whatever its date: a translation may come
    # weeks after the original (these keys are unique, so the look-up stays small)
    decisive = [k for k in keys if k.startswith(("u:", "i:"))]
    if decisive:
        marks_d = ",".join("?" * len(decisive))
        for (article_id,) in db.conn.execute(
            f"SELECT article_id FROM story_keys WHERE key IN ({marks_d}) ORDER BY rowid LIMIT ?",
            [*decisive, limit],
        ):
            chosen.setdefault(article_id)
    for key in sorted(counts, key=lambda k: (counts[k], k)):
        for (article_id,) in db.conn.execute(
            "SELECT article_id FROM story_keys WHERE key = ? AND day BETWEEN ? AND ?"
            " ORDER BY day, rowid LIMIT ?",
            [key, low, high, limit],
        ):
            chosen.setdefault(article_id)
        if len(chosen) >= limit:
            break
    ids = list(chosen)[:limit]
    if not ids:
        return [], counts
    # every member of those stories within the window: a story is matched as a whole
    marks = ",".join("?" * len(ids))
    first, last = dt.date.fromordinal(max(1, low)), dt.date.fromordinal(high)
    rows = db.conn.execute(
        "SELECT story, story_features FROM articles WHERE story_features IS NOT NULL AND"
        f" (id IN ({marks}) OR (story IN (SELECT story FROM articles WHERE id IN ({marks}))"
        " AND sort_date BETWEEN ? AND ?)) ORDER BY id LIMIT ?",
        [*ids, *ids, first.isoformat(), last.isoformat(), 2 * limit],
    )
    return [(story, json.loads(features)) for story, features in rows], counts


def fetch_due_rechecks(
    db: Database,
    source: str,
    now: dt.datetime,
    young: dt.timedelta,
    every: dt.timedelta,
    limit: int,
) -> list[tuple[int, str]]:
    """(id, url) of the source's recent articles not checked for revisions lately."""
    return [
        (r[0], r[1])
        for r in db.conn.execute(
            "SELECT id, url FROM articles WHERE source = ? AND first_seen >= ?"
            " AND coalesce(last_checked, first_seen) <= ? ORDER BY first_seen DESC LIMIT ?",
            [source, (now - young).isoformat(), (now - every).isoformat(), limit],
        )
    ]


def save_checked(db: Database, article_id: int, now: dt.datetime) -> None:
    """A revision check found nothing new: not again before the next round."""
    with transaction(db):
        db.conn.execute(
            "UPDATE articles SET last_checked = ? WHERE id = ?", [now.isoformat(), article_id]
        )


def fetch_revision_base(db: Database, article_id: int) -> dict[str, Any]:
    """What a revision is compared with and decided on: the stored text, flags and story."""
    row = db.conn.execute(
        "SELECT id, url, title, text, flagged, baseline, story, coalesce(version, 1)"
        " FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    keys = ("id", "url", "title", "text", "flagged", "baseline", "story", "version")
    return dict(zip(keys, row, strict=True))


def save_revision(
    db: Database,
    article_id: int,
    article: Article,
    flags: Flags,
    fingerprint: Fingerprint,
    now: dt.datetime,
) -> None:
    """Keep the previous text as a version and store the new one (a page without a title
    keeps the old title). Whether it alerts is the caller's (``monitor.core.policy``)."""
    with transaction(db):
        db.conn.execute(
            "INSERT INTO article_versions (article_id, version, title, text, content_hash,"
            " flagged, replaced_at) SELECT id, coalesce(version, 1), title, text,"
            " content_hash, flagged, ? FROM articles WHERE id = ?",
            [now.isoformat(), article_id],
        )
        db.conn.execute(
            "UPDATE articles SET title = coalesce(nullif(?, ''), title), text = ?,"
            " content_hash = ?, simhash = ?, agreement = ?, countries = ?, weak_countries = ?,"
            " flagged = ?, updated_at = ?, last_checked = ?, version = coalesce(version, 1) + 1"
            " WHERE id = ?",
            [
                article.title,
                article.text,
                fingerprint.content_hash,
                to_sqlite_int(fingerprint.simhash),
                int(flags.agreement),
                _json(list(flags.countries)),
                _json(list(flags.weak_countries)),
                int(flags.flagged),
                now.isoformat(),
                now.isoformat(),
                article_id,
            ],
        )
        db.conn.execute("DELETE FROM flags WHERE article_id = ?", [article_id])
        # the near-copy index follows the text
        db.conn.execute("DELETE FROM simhash_bands WHERE article_id = ?", [article_id])
        db.conn.executemany(
            "INSERT INTO simhash_bands (band, article_id) VALUES (?, ?)",
            [(band, article_id) for band in fingerprint.bands],
        )
        _insert_evidence(db, article_id, flags)


# --- a second look before a story is announced ------------------------------------------------


def fetch_lone_alerting(db: Database, since: dt.datetime) -> list[int]:
    """Articles first seen since ``since``, alone in their story, whose story alert waits
    untried (pending, never attempted, held by no delivery): the placements a second look may
    still change unseen. Read from the waiting alerts, which are few, through the story index.
    """
    return [
        row[0]
        for row in db.conn.execute(
            "SELECT DISTINCT a.id FROM outbox o JOIN articles a ON a.story = o.story"
            " WHERE o.kind = 'story' AND o.state = 'pending' AND o.claimed_by IS NULL"
            " AND o.attempts = 0 AND a.first_seen >= ? AND a.baseline = 0"
            " AND (SELECT count(*) FROM articles b WHERE b.story = a.story) = 1"
            " ORDER BY a.id",
            [since.isoformat()],
        )
    ]


def fetch_second_look(
    db: Database, article_id: int
) -> tuple[str, stories.StoryFeatures, Seen] | None:
    """A stored article's story, features and story candidates, read as if it were new: its
    own story left out, and its own carrying of its keys not counted."""
    row = db.conn.execute(
        "SELECT story, story_features FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if row is None or not row[1]:
        return None
    story, features = row[0], stories.StoryFeatures.from_dict(json.loads(row[1]))
    keys = [
        k
        for (k,) in db.conn.execute("SELECT key FROM story_keys WHERE article_id = ?", [article_id])
    ]
    day = features.day or 0
    candidates, counts = fetch_story_candidates(
        db, keys, day, stories.WINDOW_DAYS, stories.MAX_CANDIDATES
    )
    others = tuple((s, f) for s, f in candidates if s != story)
    own = {k: c - 1 for k, c in counts.items() if c > 1}
    return story, features, Seen(candidates=others, key_counts=own)


def move_to_story(db: Database, article_id: int, old: str, new: str) -> bool:
    """Move a lone article into another story, with its waiting alerts: dropped when the
    story it joins was news at the baseline or has that alert already, else the story's.

    Checked again under the write lock, since a pass or another delivery may have written since
    the read: nothing moves (False) unless the article is still alone in ``old`` and every
    alert of ``old`` is untried and held by no delivery (one tried may have arrived: it keeps
    its story and its id), and no alert it would merge into is dead (that channel would never
    hear of the news).
    """
    with transaction(db):
        (members,) = db.conn.execute(
            "SELECT count(*) FROM articles WHERE story = ?", [old]
        ).fetchone()
        rows = db.conn.execute(
            "SELECT id, channel, kind, state, claimed_by, attempts FROM outbox WHERE story = ?",
            [old],
        ).fetchall()
        if members != 1 or any(
            state != "pending" or holder is not None or attempts
            for _, _, _, state, holder, attempts in rows
        ):
            return False
        at_baseline = story_has_baseline(db, new)
        plan = []
        for row_id, channel, kind, *_ in rows:
            there = db.conn.execute(
                "SELECT state FROM outbox WHERE story = ? AND channel = ? AND kind = ?",
                [new, channel, kind],
            ).fetchone()
            if there is not None and there[0] == "dead":
                return False
            plan.append((row_id, channel, kind, at_baseline or there is not None))
        moved = db.conn.execute(
            "UPDATE articles SET story = ? WHERE id = ? AND story = ?", [new, article_id, old]
        ).rowcount
        if not moved:
            return False
        installation = installation_id(db)
        for row_id, channel, kind, taken in plan:
            if taken:
                db.conn.execute("DELETE FROM outbox WHERE id = ?", [row_id])
            else:
                db.conn.execute(
                    "UPDATE outbox SET story = ?, message_id = ? WHERE id = ?",
                    [new, installed_id(installation, message_id(new, channel, kind)), row_id],
                )
    return True
