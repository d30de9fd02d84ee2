"""``monitor sources test``: a dry run of one source against the live page, writing nothing.

This is how a user adds a source with confidence and repairs one after a layout change: which
kind was discovered, which links were found, and for the first articles what was extracted and
by which method. It runs the real kinds and extraction on a throwaway in-memory database.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from monitor import poll, run
from monitor.config import Config, SourceConfig
from monitor.core.models import Link
from monitor.shell.fetch import Fetcher, FetchError
from monitor.shell.kinds import KindContext, find_links
from monitor.shell.store import open_db, sources


@dataclass
class ProbedArticle:
    """What one article page gave, or why it gave nothing."""

    url: str
    title: str | None = None
    published: str | None = None
    language: str | None = None
    text_length: int = 0
    agreement: bool = False
    countries: tuple[str, ...] = ()
    flagged: bool = False
    methods: dict[str, str] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Probe:
    """The whole dry run of one source."""

    source: str
    url: str
    kind: str | None = None
    endpoint: str | None = None
    links: list[Link] = field(default_factory=list)
    articles: list[ProbedArticle] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "url": self.url,
            "kind": self.kind,
            "endpoint": self.endpoint,
            "error": self.error,
            "links": [{"url": link.url, "title": link.title} for link in self.links],
            "articles": [a.__dict__ for a in self.articles],
        }


async def probe_source(
    config: Config, src: SourceConfig, fetcher: Fetcher, *, articles: int = 3
) -> Probe:
    """Discover and extract like a first pass would, keeping everything in memory."""
    probe = Probe(src.name, src.url)
    scratch = open_db(":memory:")
    try:
        state = sources.fetch_state(scratch, src.name)
        ctx = KindContext(src, state, fetcher, poll.StoredMemory(scratch), first_pass=True)
        try:
            found = await find_links(ctx)
        except (FetchError, ValueError) as exc:
            probe.error = str(exc)
            return probe
        probe.kind, probe.endpoint, probe.links = found.kind, found.endpoint, found.links
        flagger = run.make_flagger(config)
        pass_ctx = poll.PassContext(config, fetcher, scratch, flagger)
        for link in found.links[:articles]:
            probe.articles.append(await _probe_article(src, pass_ctx, link))
    finally:
        scratch.close()
    return probe


async def _probe_article(src: SourceConfig, ctx: poll.PassContext, link: Link) -> ProbedArticle:
    try:
        _, result = await poll.read_article(src, ctx, link.url, link)
    except (FetchError, ValueError) as exc:
        return ProbedArticle(link.url, error=str(exc))
    assert result is not None
    art, flags = result.article, result.flags
    published = art.published.isoformat() if art.published else None
    return ProbedArticle(
        url=link.url,
        title=art.title,
        published=published,
        language=art.language,
        text_length=len(art.text),
        agreement=flags.agreement,
        countries=flags.countries,
        flagged=flags.flagged,
        methods=dict(art.methods),
    )


def test_source(config: Config, name: str, *, url: str | None = None, articles: int = 3) -> Probe:
    """Dry-run the named source (optionally at another URL); raises KeyError for a bad name."""
    src = config.source(name)
    if url:
        src = replace_url(src, url)

    async def main() -> Probe:
        async with run.make_fetcher(config) as fetcher:
            return await probe_source(config, src, fetcher, articles=articles)

    return asyncio.run(main())


test_source.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def replace_url(src: SourceConfig, url: str) -> SourceConfig:
    """The source at another URL, validated like the file's URLs."""
    return SourceConfig.model_validate({**src.model_dump(exclude_unset=True), "url": url})
