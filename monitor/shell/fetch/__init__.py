"""The polite, bounded HTTP client that makes every request of a pass.

Polite: one request at a time per host, a minimum delay between request starts (robots.txt
``Crawl-delay`` may raise it), robots.txt honoured, our User-Agent on every request, conditional
GETs so an unchanged page costs a 304. Bounded: a total deadline per request (httpx's read timeout
is per chunk, so a server dripping a byte at a time never trips it), a byte cap on the body read
and on our own bounded gzip/deflate inflation (httpx would inflate a 1 MB gzip bomb to 1 GiB),
redirects followed by hand and checked hop by hop, and only HTML, XML and feed content accepted.

The Fetcher stores nothing: it hands back the new validators with each Response and the caller
persists them together with what it stored, so a crash never makes us skip unprocessed content.

Exceptions (``str(e)`` is one line naming the URL and what went wrong; defined in
``monitor.errors``, under ``MonitorError``)::

    FetchError                 bad URL (not http/https) and the base of all below
    ├── HTTPStatusError        4xx/5xx answer (.status, .retry_after in seconds or None)
    ├── FetchTimeout           no complete answer within the deadline
    ├── TooLarge               body (or its inflated form) above the byte cap
    ├── RedirectError          too many hops, a loop, a non-http scheme, off the allowed site
    ├── BlockedByRobots        robots.txt disallows the URL (or answered 5xx)
    ├── UnsupportedContent     not HTML/XML/feed, a lying Content-Type, unknown Content-Encoding
    └── NetworkError           refused, reset, broken HTTP, truncated body
"""

from monitor.errors import (
    BlockedByRobots,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RedirectError,
    TooLarge,
    UnsupportedContent,
)
from monitor.shell.fetch.client import Fetcher, RobotsCache, politeness_host
from monitor.shell.fetch.wire import ACCEPTS

__all__ = [
    "ACCEPTS",
    "BlockedByRobots",
    "FetchError",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "NetworkError",
    "RedirectError",
    "RobotsCache",
    "TooLarge",
    "UnsupportedContent",
    "politeness_host",
]
