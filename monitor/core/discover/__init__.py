"""Discovery: from a fetched feed, sitemap or listing page to candidate article links.

Every function here is pure: the caller fetches, these read bytes or a parsed page and return
``Discovery``/``Link`` records. The rules that matter everywhere:

- a link never leaves the source's own site (``same_site``), is http(s), has no fragment, and
  appears once, in the order first seen;
- XML that declares entities in a DOCTYPE is refused with ``ValueError`` before any parser sees
  it (billion laughs, external entities); sitemaps are bounded in bytes (gzip too) and in URLs;
- listing pages without a ``link_selector`` are read by *place* (the main content, never nav,
  header, footer, sidebars or widgets; article links in a "popular posts" sidebar are dropped
  on purpose: the source's own list is what counts) and by *shape* (slugs, dated paths, numeric
  ids; never tag, category, author, page/N, language-switch, archive or file links).

The package, by step: ``sniff`` (what a body is; XML safety), ``feeds``, ``sitemaps``,
``listings`` (pages), ``api`` (the JSON an app page's script reads), and ``links`` (the rules
every step applies to a URL). Callers import from here.
"""

from monitor.core.discover.api import (
    MAX_ENDPOINTS,
    MAX_JSON_LINKS,
    api_endpoints,
    articles_listed,
    parse_json_listing,
)
from monitor.core.discover.feeds import feed_covers, feed_links, parse_feed
from monitor.core.discover.links import allowed_url, next_page, same_site
from monitor.core.discover.listings import MAX_LISTING_LINKS, listing_links
from monitor.core.discover.sitemaps import (
    DEFAULT_SITEMAPS,
    MAX_SITEMAP_BYTES,
    MAX_SITEMAP_URLS,
    parse_sitemap,
    sitemap_urls,
)
from monitor.core.discover.sniff import looks_like_feed, looks_like_json, looks_like_sitemap

__all__ = [
    "DEFAULT_SITEMAPS",
    "MAX_ENDPOINTS",
    "MAX_JSON_LINKS",
    "MAX_LISTING_LINKS",
    "MAX_SITEMAP_BYTES",
    "MAX_SITEMAP_URLS",
    "allowed_url",
    "api_endpoints",
    "articles_listed",
    "feed_covers",
    "feed_links",
    "listing_links",
    "looks_like_feed",
    "looks_like_json",
    "looks_like_sitemap",
    "next_page",
    "parse_feed",
    "parse_json_listing",
    "parse_sitemap",
    "same_site",
    "sitemap_urls",
]
