"""Source kinds: how each kind of source turns into candidate article links.

``KINDS`` is the registry a source's ``kind`` names: each kind declared in
``monitor.options.KIND_OPTIONS`` (the options it reads) with its reader here, whose docstring is
the user's help (``monitor sources kinds``). Each kind reads its endpoint (a feed, a sitemap, a
listing) through the fetcher and returns what it found plus the validators to save
once the articles behind them are stored, so that a crash mid-pass never turns a later 304 into
a missed article. ``auto`` tries a feed linked in ``<head>``, then a sitemap, then the API an
empty app page names, then the listing.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from monitor.config import SourceConfig
from monitor.core import discover
from monitor.core.dedup import canonical_url
from monitor.core.htmldoc import HtmlPage
from monitor.core.models import Discovery, Link, Response, SourceState, Validators
from monitor.options import KIND_OPTIONS, Options, registered
from monitor.shell.fetch import Fetcher, FetchError, HTTPStatusError

log = logging.getLogger(__name__)

#: Children of a sitemap index worth reading first, and those never holding articles.
_POSTY = re.compile(r"post|news|article|blog|yangilik|novost", re.I)
_NOT_POSTS = re.compile(
    r"(page|categor|tag|author|product|attachment|user)[-_]?sitemap|"
    r"sitemap[-_]?(page|categor|tag|author|taxonom|user)",
    re.I,
)
_MAX_CHILD_SITEMAPS = 10


@dataclass
class Found:
    """What a source's endpoint yielded in one pass."""

    kind: str
    endpoint: str
    links: list[Link] = field(default_factory=list)
    #: (url, validators) to store once the links are processed.
    validators: list[tuple[str, Validators]] = field(default_factory=list)
    unchanged: bool = False


class SourceMemory(Protocol):
    """What a kind asks of the store between passes: two questions, no more (as the
    fetcher's robots.txt cache), so kinds can be tried on a live site with nothing stored."""

    def validators(self, url: str) -> Validators | None:
        """The ETag / Last-Modified saved for an endpoint, for a conditional request."""
        ...

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these canonical URLs are stored articles already."""
        ...


@dataclass
class KindContext:
    """What a kind needs: the source, its remembered state, the fetcher and the cache."""

    source: SourceConfig
    state: SourceState
    fetcher: Fetcher
    memory: SourceMemory
    first_pass: bool

    def allow(self, url: str) -> bool:
        return allowed(self.source, url)

    async def get(self, url: str, *, conditional: bool = True, accept: str = "html") -> Response:
        validators = self.memory.validators(url) if conditional else None
        return await self.fetcher.get(
            url, validators=validators, allow_host=host_filter(self.source), accept=accept
        )


def allowed(source: SourceConfig, url: str) -> bool:
    """Same site as the source, or a host the user allowed: never wander off a source's site."""
    return discover.allowed_url(url, source.url, source.allow_hosts)


def host_filter(source: SourceConfig) -> Callable[[str], bool]:
    """The fetcher's redirect check for one source."""
    return lambda host: allowed(source, f"http://{host}/")


Reader = Callable[[KindContext, str], Awaitable[Found]]


@dataclass(frozen=True)
class Kind:
    """One registered kind: the reader that runs it and the model of the options it reads."""

    read: Reader
    options: type[Options]

    @property
    def help(self) -> str:
        """The reader's docstring: what the user reads in ``monitor sources kinds``."""
        return inspect.getdoc(self.read) or ""


async def read_feed(ctx: KindContext, endpoint: str) -> Found:
    """An RSS, Atom or JSON feed; a 304 means nothing new."""
    resp = await ctx.get(endpoint, accept="feed")
    return _from_feed(ctx, endpoint, resp)


def _from_feed(ctx: KindContext, endpoint: str, resp: Response) -> Found:
    found = Found("rss", endpoint, validators=[(endpoint, resp.validators)])
    if resp.not_modified:
        found.unchanged = True
        return found
    found.links = [
        link for link in discover.parse_feed(resp.body, resp.final_url).links if ctx.allow(link.url)
    ]
    return found


async def read_sitemap(ctx: KindContext, endpoint: str) -> Found:
    """A sitemap or sitemap index (found through robots.txt when the endpoint is a page)."""
    candidates = [endpoint]
    if not _looks_like_sitemap_url(endpoint):
        candidates = discover.sitemap_urls(await ctx.fetcher.robots_txt(endpoint), endpoint)
    last_error: FetchError | ValueError | None = None
    for url in candidates:
        try:
            found = await _walk_sitemap(ctx, url)
        except (FetchError, ValueError) as exc:
            last_error = exc
            continue
        if found.links or found.unchanged:
            found.links = _under_prefix(found.links, ctx.source.url)
            return found
    if last_error is not None:
        raise last_error
    return Found("sitemap", endpoint)


async def _walk_sitemap(ctx: KindContext, url: str, first: Response | None = None) -> Found:
    resp = first or await ctx.get(url, accept="xml")
    found = Found("sitemap", url, validators=[(url, resp.validators)])
    if resp.not_modified:
        found.unchanged = True
        return found
    disc = discover.parse_sitemap(resp.body, resp.final_url)
    found.links.extend(link for link in disc.links if ctx.allow(link.url))
    children = [c for c in disc.children if ctx.allow(c) and not _NOT_POSTS.search(c)]
    children.sort(key=lambda c: not _POSTY.search(c))
    for child in children[:_MAX_CHILD_SITEMAPS]:
        try:
            sub = await _walk_sitemap(ctx, child)
        except (FetchError, ValueError) as exc:
            log.warning("%s: sitemap %s: %s", ctx.source.name, child, exc)
            continue
        found.links.extend(sub.links)
        found.validators.extend(sub.validators)
    # Newest first: the cap on articles per pass then keeps the news, not the archive.
    found.links.sort(key=lambda link: str(link.published or ""), reverse=True)
    return found


async def read_listing(
    ctx: KindContext,
    endpoint: str,
    first: Response | None = None,
    first_listing: Discovery | None = None,
) -> Found:
    """An HTML listing, following pagination on the first pass or while every link is new.

    ``first_listing`` is what ``first`` lists, already read (``read_auto`` read its feed links
    from the same parse): a page is parsed once. No parsed page is held across a request: a
    pass reads many hosts' listings at once, and a tree weighs ten times its page.
    """
    resp = first or await ctx.get(endpoint)
    found = Found("html", endpoint, validators=[(endpoint, resp.validators)])
    if resp.not_modified:
        found.unchanged = True
        return found
    if first is None or first_listing is None:
        first_listing = _listing(ctx, resp)

    async def page(url: str) -> Discovery:
        return _listing(ctx, await ctx.get(url, conditional=False))

    return await _paged(ctx, found, first_listing, page)


async def _paged(
    ctx: KindContext,
    found: Found,
    disc: Discovery,
    page: Callable[[str], Awaitable[Discovery | None]],
) -> Found:
    """A listing's pages through its next links: up to ``max_pages`` on the first pass, and on
    later ones while every link is new (a known one means the rest was read before).
    ``page`` reads the next page (None: stop there, keeping what the earlier ones listed)."""
    src = ctx.source
    seen_pages = {found.endpoint}
    for page_no in range(1, src.max_pages + 1):
        links = [link for link in disc.links if ctx.allow(link.url)]
        found.links.extend(links)
        nxt = disc.next_page
        if page_no >= src.max_pages or not nxt or nxt in seen_pages or not ctx.allow(nxt):
            break
        if not ctx.first_pass and _any_known(ctx, links):
            break
        seen_pages.add(nxt)
        following = await page(nxt)
        if following is None:
            break
        disc = following
    return found


async def read_json(ctx: KindContext, endpoint: str, first: Response | None = None) -> Found:
    """A JSON API that lists the site's items (WordPress's REST API, Drupal's JSON:API, a
    portal's own): each item's page, with its title and date, through the next pages it
    names, as an HTML listing's pages are read. ``auto`` finds such an API on a news page that
    is an empty JavaScript app."""
    resp = first or await ctx.get(endpoint, accept="json")
    found = Found("json", endpoint, validators=[(endpoint, resp.validators)])
    if resp.not_modified:
        found.unchanged = True
        return found
    src = ctx.source

    def listed(resp: Response) -> Discovery:
        return discover.parse_json_listing(resp.body, resp.final_url, src.include, src.exclude)

    async def page(url: str) -> Discovery | None:
        try:
            return listed(await ctx.get(url, conditional=False, accept="json"))
        except (FetchError, ValueError) as exc:  # what the earlier pages listed still counts
            log.info("%s: %s: next page %s unusable: %s", src.name, endpoint, url, exc)
            return None

    return await _paged(ctx, found, listed(resp), page)


async def _from_app(ctx: KindContext, endpoints: list[str]) -> Found | None:
    """Of a page's data URLs, the one that lists the most article pages: the news page is an
    app's shell, and its script reads the items from there (beside a menu or a search API)."""
    best: Found | None = None
    best_count = 0
    for api in [e for e in endpoints if ctx.allow(e)][: discover.MAX_ENDPOINTS]:
        try:
            found = await read_json(ctx, api)
        except (FetchError, ValueError) as exc:
            log.info("%s: data URL %s unusable: %s", ctx.source.name, api, exc)
            continue
        count = discover.articles_listed(found.links)
        if count > best_count:
            best, best_count = found, count
    if best is not None:
        log.info(
            "%s: the page is an app: reading its items from %s", ctx.source.name, best.endpoint
        )
    return best


def _listing(ctx: KindContext, resp: Response) -> Discovery:
    src = ctx.source
    return discover.listing_links(
        HtmlPage(resp.body, resp.charset),
        resp.final_url,
        link_selector=src.link_selector,
        include=src.include,
        exclude=src.exclude,
    )


def _any_known(ctx: KindContext, links: list[Link]) -> bool:
    urls = []
    for link in links:
        with contextlib.suppress(ValueError):  # an odd link is skipped later, not fatal here
            urls.append(canonical_url(link.url))
    return bool(ctx.memory.known_urls(urls))


async def read_auto(ctx: KindContext, endpoint: str) -> Found:
    """Feed linked in <head>, else a sitemap, else the JSON API that an empty app page reads
    its items from, else the listing page itself.

    A linked feed stands for the page only when it carries what the page lists (a site-wide
    feed on an events page does not); on the first pass the page's archive, up to
    ``max_pages``, is read with it, since a feed holds only the latest items.
    """
    resp = await ctx.get(endpoint, conditional=False)
    if discover.looks_like_feed(resp.body, resp.content_type):
        return _from_feed(ctx, endpoint, resp)
    if discover.looks_like_sitemap(resp.body):  # the source's URL is a sitemap, whatever its name
        found = await _walk_sitemap(ctx, endpoint, first=resp)
        found.links = _under_prefix(found.links, ctx.source.url)
        return found
    if discover.looks_like_json(resp.body):  # the source's URL is the site's API
        return await read_json(ctx, endpoint, first=resp)
    page = HtmlPage(resp.body, resp.charset)
    feeds = discover.feed_links(page, resp.final_url)
    # What the page lists is read now, from this parse, and the tree let go before the feed
    # and sitemap requests: holding it across them was most of a wide pass's memory.
    src = ctx.source
    listing_now = discover.listing_links(
        page,
        resp.final_url,
        link_selector=src.link_selector,
        include=src.include,
        exclude=src.exclude,
    )
    # An empty page may be an app's shell: its script names the API it reads the items from.
    endpoints = discover.api_endpoints(page, resp.final_url) if not listing_now.links else []
    del page
    for feed in feeds:
        if not ctx.allow(feed) or "comments" in feed:
            continue
        try:
            found = await read_feed(ctx, feed)
        except (FetchError, ValueError) as exc:
            log.info("%s: linked feed %s unusable: %s", ctx.source.name, feed, exc)
            continue
        if found.links:
            listing = await read_listing(ctx, endpoint, first=resp, first_listing=listing_now)
            return _feed_or_listing(ctx, found, listing)
    try:
        found = await read_sitemap(ctx, endpoint)
        if found.links:
            return found
    except (FetchError, ValueError) as exc:
        log.info("%s: no usable sitemap: %s", ctx.source.name, exc)
    if endpoints and (app := await _from_app(ctx, endpoints)):
        return app
    return await read_listing(ctx, endpoint, first=resp, first_listing=listing_now)


def _feed_or_listing(ctx: KindContext, feed: Found, listing: Found) -> Found:
    if not discover.feed_covers(feed.links, listing.links):
        log.info(
            "%s: the linked feed does not carry this page's items: reading the page",
            ctx.source.name,
        )
        return listing
    if ctx.first_pass:
        carried = {_canonical(link.url) for link in feed.links}
        feed.links += [link for link in listing.links if _canonical(link.url) not in carried]
    return feed


def _canonical(url: str) -> str:
    try:
        return canonical_url(url)
    except ValueError:
        return url


_READERS: dict[str, Reader] = {
    "auto": read_auto,
    "html": read_listing,
    "rss": read_feed,
    "sitemap": read_sitemap,
    "json": read_json,
}
KINDS: dict[str, Kind] = {
    name: Kind(read, KIND_OPTIONS[name])
    for name, read in registered(KIND_OPTIONS, _READERS, "source kinds").items()
}


async def find_links(ctx: KindContext) -> Found:
    """Run the source's kind; an ``auto`` source reuses what it discovered before."""
    src, state = ctx.source, ctx.state
    if src.kind != "auto":
        return await KINDS[src.kind].read(ctx, src.url)
    if state.discovered_kind and state.endpoint and state.discovered_kind in KINDS:
        try:
            found = await KINDS[state.discovered_kind].read(ctx, state.endpoint)
        except HTTPStatusError as exc:
            if exc.status not in (401, 403, 404, 410):
                raise
            log.info("%s: %s is gone (%s); discovering again", src.name, state.endpoint, exc)
        except ValueError as exc:  # it answers, but no longer what it was (a login page)
            log.info("%s: %s is unreadable (%s); discovering again", src.name, state.endpoint, exc)
        else:
            if found.links or found.unchanged:
                return found
            log.info("%s: %s yielded no links; discovering again", src.name, state.endpoint)
    return await read_auto(ctx, src.url)


def _looks_like_sitemap_url(url: str) -> bool:
    return bool(re.search(r"sitemap[^/]*\.xml(\.gz)?$", urlsplit(url).path, re.I))


def _under_prefix(links: list[Link], source_url: str) -> list[Link]:
    """A source at ``/en/`` reads only the English part of a site-wide sitemap."""
    prefix = urlsplit(source_url).path
    if prefix in ("", "/") or not prefix.endswith("/"):
        return links
    return [link for link in links if urlsplit(link.url).path.startswith(prefix)]
