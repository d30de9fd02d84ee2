"""What people read: articles with their evidence, stories, full-text search, counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from monitor.shell.store.db import Database

#: Full-text search ranks the newest this-many matches of a query (see :func:`search`).
SEARCH_DEPTH = 3000


def fetch_stories(
    db: Database, *, flagged: bool = False, limit: int | None = None
) -> list[dict[str, Any]]:
    """Each story with its articles, first seen, sources and languages, newest first."""
    sql = (
        "SELECT story, min(first_seen) AS first_seen, max(flagged) AS flagged,"
        " group_concat(DISTINCT source) AS sources, group_concat(DISTINCT language)"
        " AS languages, count(*) AS articles FROM articles GROUP BY story"
    )
    if flagged:
        sql += " HAVING max(flagged) = 1"
    sql += " ORDER BY min(first_seen) DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    out = []
    for row in db.conn.execute(sql):
        story = dict(
            zip(
                ("story", "first_seen", "flagged", "sources", "languages", "article_count"),
                row,
                strict=True,
            )
        )
        story["flagged"] = bool(story["flagged"])
        story["sources"] = sorted((story["sources"] or "").split(","))
        story["languages"] = sorted(filter(None, (story["languages"] or "").split(",")))
        story["articles"] = fetch_story_articles(db, story["story"])
        out.append(story)
    return out


def fetch_articles(
    db: Database,
    *,
    flagged: bool = False,
    sources: Sequence[str] = (),
    since: dt.date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Stored articles, newest first, as plain dicts ready for JSON."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if flagged:
        where.append("a.flagged = 1")
    if sources:
        where.append(f"a.source IN ({','.join('?' * len(sources))})")
        params.extend(sources)
    if since:
        where.append("a.sort_date >= ?")
        params.append(since.isoformat())
    sql = f"WHERE {' AND '.join(where)} ORDER BY a.sort_date DESC, a.id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _article_rows(db, sql, params)


def _article_rows(db: Database, tail: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """Articles as plain dicts ready for JSON (flags decoded, aliases and evidence added)."""
    rows = db.conn.execute(
        "SELECT a.id, a.url, a.source, a.title, a.published, a.language, a.agreement,"
        " a.countries, a.weak_countries, a.flagged, a.baseline, a.first_seen, a.methods,"
        " a.story, length(a.text) AS text_length,"
        " (SELECT json_group_array(u.url) FROM urls u WHERE u.article_id = a.id"
        f" AND u.kind = 'alias') AS aliases FROM articles a {tail}",
        list(params),
    )
    cols = [c[0] for c in rows.description]
    out = [dict(zip(cols, r, strict=True)) for r in rows]
    evidence = _evidence(db, [a["id"] for a in out])
    for a in out:
        a["agreement"] = bool(a["agreement"])
        a["flagged"] = bool(a["flagged"])
        a["baseline"] = bool(a["baseline"])
        a["countries"] = json.loads(a["countries"] or "[]")
        a["weak_countries"] = json.loads(a["weak_countries"] or "[]")
        a["methods"] = json.loads(a["methods"] or "{}")
        a["aliases"] = sorted(json.loads(a["aliases"] or "[]"))
        a["evidence"] = evidence.get(a["id"], [])
    return out


def fetch_article_text(db: Database, url: str) -> dict[str, Any] | None:
    """One stored article with its text, looked up by any of its URLs."""
    row = db.conn.execute(
        "SELECT a.id, a.url, a.title, a.text, a.language FROM urls u"
        " JOIN articles a ON a.id = u.article_id WHERE u.url = ?",
        [url],
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("id", "url", "title", "text", "language"), row, strict=True))


def _evidence(db: Database, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            "SELECT article_id, kind, country, matched, snippet, rule FROM flags"
            f" WHERE article_id IN ({marks}) ORDER BY article_id, start",
            chunk,
        ):
            out.setdefault(row[0], []).append(
                {
                    "kind": row[1],
                    "country": row[2],
                    "matched": row[3],
                    "snippet": row[4],
                    "rule": row[5],
                }
            )
    return out


def search(
    db: Database,
    query: str,
    *,
    flagged: bool = False,
    limit: int = 20,
    mark: tuple[str, str] = ("[", "]"),
) -> list[dict[str, Any]]:
    """Full-text search over titles and texts in any stored language, best match first.

    Each word of ``query`` must appear (a trailing ``*`` matches any ending: ``меморандум*``);
    words are quoted for FTS5, so user punctuation is never query syntax. Results are ranked
    by BM25 among the newest ``SEARCH_DEPTH`` matching articles.
    """
    terms = [t for t in re.findall(r"[\w*]+", query) if t.strip("*")]
    if not terms:
        return []
    match = " ".join(f'"{t.rstrip("*")}"' + ("*" if t.endswith("*") else "") for t in terms)
    # A common word matches tens of thousands of articles, and ranking them all costs more
    # than an analyst waits: rank among the newest SEARCH_DEPTH matches (found in rowid order).
    cutoff = db.conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
        " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        [match, SEARCH_DEPTH],
    ).fetchone()
    sql = (
        "SELECT a.id, a.url, a.source, a.title, a.published, a.language, a.flagged, a.story,"
        " snippet(articles_fts, 1, ?, ?, '…', 16) AS snippet, bm25(articles_fts) AS rank"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        " WHERE articles_fts MATCH ? AND articles_fts.rowid >= ?"
    )
    if flagged:
        sql += " AND a.flagged = 1"
    sql += " ORDER BY rank LIMIT ?"
    rows = db.conn.execute(sql, [mark[0], mark[1], match, cutoff[0] if cutoff else 0, limit])
    cols = [c[0] for c in rows.description]
    out = [dict(zip(cols, r, strict=True)) for r in rows]
    for row in out:
        row["flagged"] = bool(row["flagged"])
    return out


def fetch_counts(
    db: Database,
) -> dict[str, int]:
    """How many articles are stored, and how many of them are flagged."""
    row = db.conn.execute("SELECT count(*), coalesce(sum(flagged), 0) FROM articles").fetchone()
    return {"articles": row[0], "flagged": row[1]}


def fetch_story_articles(db: Database, story: str) -> list[dict[str, Any]]:
    """Every article of a story with its flags, evidence and URLs, oldest first."""
    return _article_rows(db, "WHERE a.story = ? ORDER BY a.first_seen, a.id", [story])
