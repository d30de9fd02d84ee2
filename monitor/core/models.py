"""The small frozen records that travel between the stages of a pass.

Every stage takes and returns these, so a stage can be tested with plain data and no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal


def utcnow() -> dt.datetime:
    """The time now, in UTC: the default clock of passes and commands (tests pass their own)."""
    return dt.datetime.now(dt.UTC)


#: A publication date may be known to the second (a timezone-aware datetime) or only to the day.
Published = dt.datetime | dt.date | None


@dataclass(frozen=True)
class Validators:
    """What a server told us last time, sent back so that an unchanged page costs a 304."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Response:
    """A fetched resource: bytes, never decoded text (httpx ignores ``<meta charset>``)."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    charset: str | None = None
    validators: Validators = field(default_factory=Validators)
    headers: tuple[tuple[str, str], ...] = ()
    #: A Content-Encoding still on ``body`` (``gzip``, ``deflate``): empty unless the fetcher
    #: was asked not to inflate (``Fetcher.get(..., inflate=False)``).
    content_encoding: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def header(self, name: str) -> str | None:
        """The first value of a header, case-insensitively."""
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None


@dataclass(frozen=True)
class Link:
    """A candidate article found by discovery, with whatever the listing or feed told about it."""

    url: str
    title: str | None = None
    published: Published = None
    language: str | None = None


@dataclass(frozen=True)
class Discovery:
    """What one listing, feed or sitemap yielded."""

    kind: Literal["rss", "sitemap", "html", "json"]
    links: tuple[Link, ...] = ()
    next_page: str | None = None
    #: Child sitemaps of a sitemap index, to be fetched in turn.
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageShape:
    """What a page is, as far as its markup says: evidence for telling articles from the
    about, contact, profile, section and index pages a sitemap or a menu also leads to."""

    #: "article" when structured data (JSON-LD, og:type) calls it one, "page" for an about,
    #: contact, profile, collection or search page, "" when it says neither.
    schema: str = ""
    #: Share of the body's text that is the text of links on the page (an index is mostly that).
    link_share: float = 0.0


@dataclass(frozen=True)
class Article:
    """One extracted article; ``methods`` says how each field was found (for ``sources test``)."""

    url: str
    title: str | None
    published: Published
    text: str
    language: str | None
    canonical_url: str | None = None
    #: hreflang / language-switch links to other language versions: ``{"ru": url, ...}``.
    alternates: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    shape: PageShape = field(default_factory=PageShape)


@dataclass(frozen=True)
class Evidence:
    """One rule that matched: what kind, which words, where, and the sentence around them."""

    kind: Literal["agreement", "country", "demonym", "capital"]
    matched: str
    snippet: str
    start: int
    end: int
    #: ISO 3166-1 alpha-2 for country-like kinds, None for agreements.
    country: str | None = None
    rule: str = ""


@dataclass(frozen=True)
class Flags:
    """The flagging verdict for one article."""

    agreement: bool
    #: Countries named outright (strict), ISO alpha-2, sorted.
    countries: tuple[str, ...]
    #: Countries only hinted at by a demonym or a capital, ISO alpha-2, sorted.
    weak_countries: tuple[str, ...]
    flagged: bool
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class SourceState:
    """What the database remembers of a source between passes."""

    name: str
    discovered_kind: str | None
    endpoint: str | None
    baseline_done: bool
    consecutive_failures: int
    #: Until when the daemon backs this failing source off (survives a restart).
    backoff_until: dt.datetime | None = None
