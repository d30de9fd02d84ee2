"""The Fetcher: one polite, bounded client per run (see ``monitor.shell.fetch``)."""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from monitor.core.inflate import (
    DEFAULT_CAP,
    Inflater,
    Overflow,
    Truncated,
    codings,
    corrupt_reason,
    overflow_reason,
    peek,
    size_label,
)
from monitor.core.models import Response, Validators
from monitor.errors import (
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    TooLarge,
    UnsupportedContent,
)
from monitor.shell.fetch.wire import (
    ACCEPTS,
    SNIFF_BYTES,
    Redirect,
    RobotsVerdict,
    charset,
    check_scheme,
    checked_content_type,
    conditional_headers,
    is_gzip_file,
    media_type,
    network_reason,
    next_hop,
    one_line,
    origin_of,
    retry_after_seconds,
    robots_refusal,
    without_fragment,
)

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


_CHUNK = 64 * 1024


_LOCATION = "monitor.location"


class RobotsCache(Protocol):
    """Where robots.txt verdicts outlive one Fetcher: (status, text) per origin, or None."""

    def get(self, origin: str) -> tuple[int, str] | None: ...

    def put(self, origin: str, status: int, text: str) -> None: ...


class Fetcher:
    """One httpx client, per-host politeness and every bound; use as ``async with Fetcher(...)``."""

    def __init__(
        self,
        *,
        user_agent: str,
        transport: httpx.AsyncBaseTransport | None = None,
        min_delay: float = 1.0,
        max_crawl_delay: float = 10.0,
        max_bytes: int = DEFAULT_CAP,
        deadline: float = 30.0,
        max_redirects: int = 5,
        respect_robots: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        wall_clock: Callable[[], float] = time.time,
        robots_cache: RobotsCache | None = None,
        keepalive: int = 8,
        open_requests: int = 16,
    ) -> None:
        self.user_agent = user_agent
        self.min_delay = min_delay
        self.max_crawl_delay = max_crawl_delay
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.max_redirects = max_redirects
        self.respect_robots = respect_robots
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock  # only to turn an HTTP-date Retry-After into seconds
        self._robots_cache = robots_cache
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(deadline),
            # gzip/deflate only: we inflate them ourselves, bounded
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            event_hooks={"response": [_take_location]},
            # httpcore checks every pooled connection on each request; sources are polled a few at
            # a time and one host's pass reuses its own connection, so a small pool is enough
            limits=httpx.Limits(max_keepalive_connections=keepalive),
        )
        self._host_locks: dict[str, asyncio.Lock] = {}
        #: Requests open at once across hosts: the bound on a pass's network work.
        self._open = asyncio.Semaphore(open_requests)
        self._last_start: dict[str, float] = {}
        self._robots: dict[str, RobotsVerdict] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        allow_host: Callable[[str], bool] | None = None,
        accept: str = "html",
        inflate: bool = True,
    ) -> Response:
        """GET a page politely, following redirects by hand; raises a FetchError subclass.

        ``inflate=False`` leaves a body with one gzip or deflate coding as it came, named in
        ``Response.content_encoding``, for ``monitor.core.inflate.inflate`` to undo elsewhere (an
        analysis worker): only its first bytes are inflated here, to check what it is.
        """
        if accept not in ACCEPTS:
            raise ValueError(f"accept must be one of {sorted(ACCEPTS)}, not {accept!r}")
        check_scheme(url)
        current, chain = url, [without_fragment(url)]
        while True:
            if self.respect_robots:
                await self._check_robots(url, current)
            result = await self._fetch_once(url, current, validators, accept, inflate)
            if isinstance(result, Response):
                return result
            current = next_hop(url, chain, result, allow_host, self.max_redirects)

    async def ready(self, url: str) -> None:
        """Wait until ``url``'s host may be asked again (what is left of its delay since its
        last request started), holding nothing: the request itself checks again in its slot."""
        last = self._last_start.get(politeness_host(url))
        if last is not None:
            wait = last + self._delay_for(url) - self._clock()
            if wait > 0:
                await self._sleep(wait)

    async def robots_txt(self, url: str) -> str | None:
        """The raw robots.txt of the URL's origin (cached), or None when it has none."""
        check_scheme(url)
        robots = await self._robots_for(url)
        if robots.failure is not None:
            raise robots.failure
        return robots.text

    # -- redirects -------------------------------------------------------------------------

    # -- robots.txt ------------------------------------------------------------------------

    async def _check_robots(self, url: str, current: str) -> None:
        """Raise unless robots.txt of ``current``'s origin lets us fetch it."""
        refusal = robots_refusal(await self._robots_for(current), url, current, self.user_agent)
        if refusal is not None:
            raise refusal

    async def _robots_for(self, url: str) -> RobotsVerdict:
        """Fetch an origin's robots.txt once, however many tasks ask at the same time."""
        origin = origin_of(url)
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                cached = self._robots_cache.get(origin) if self._robots_cache else None
                if cached is not None:
                    status, text = cached
                    self._robots[origin] = (
                        RobotsVerdict(text, Protego.parse(text))
                        if status < 300
                        else RobotsVerdict(None, None)
                    )
                else:
                    self._robots[origin] = await self._load_robots(origin + "/robots.txt")
            return self._robots[origin]

    async def _load_robots(self, robots_url: str) -> RobotsVerdict:
        """2xx: parse; 4xx: allow all; 429/5xx: disallow all; unreachable: fail every page."""
        try:
            response = await self._get_unchecked(robots_url)
        except HTTPStatusError as exc:
            if exc.status == 429 or exc.status >= 500:
                why = f"robots.txt answered {exc.status}, so the whole site is off limits for now"
                return RobotsVerdict(None, None, disallow_all=why)
            self._remember_robots(robots_url, exc.status, "")
            return RobotsVerdict(None, None)
        except (NetworkError, FetchTimeout) as exc:
            return RobotsVerdict(None, None, failure=exc)
        except FetchError as exc:  # too many redirects, not text, too large: treat as absent
            log.warning("ignoring robots.txt: %s", exc)
            return RobotsVerdict(None, None)
        text = response.body.decode("utf-8", errors="replace").lstrip("\ufeff")
        self._remember_robots(robots_url, 200, text)
        return RobotsVerdict(text, Protego.parse(text))

    def _remember_robots(self, robots_url: str, status: int, text: str) -> None:
        """Keep a definite answer (a file, or none) beyond this Fetcher; never an outage."""
        if self._robots_cache is not None:
            self._robots_cache.put(origin_of(robots_url), status, text)

    async def _get_unchecked(self, url: str) -> Response:
        """GET robots.txt: redirects followed (RFC 9309 allows five), no robots check."""
        current, chain = url, [url]
        while True:
            result = await self._fetch_once(url, current, None, "robots", True)
            if isinstance(result, Response):
                return result
            current = next_hop(url, chain, result, None, self.max_redirects)

    # -- one request ------------------------------------------------------------------------

    @asynccontextmanager
    async def _host_slot(self, url: str) -> AsyncIterator[None]:
        """Hold the host's only slot, starting no sooner than the delay after the last start,
        and one of the ``open_requests`` shared by all hosts."""
        host = politeness_host(url)
        async with self._host_locks.setdefault(host, asyncio.Lock()):
            await self.ready(url)
            async with self._open:  # after the host's wait: a sleeping host holds no request
                self._last_start[host] = self._clock()
                yield

    def _delay_for(self, url: str) -> float:
        """min_delay, raised by robots.txt Crawl-delay / Request-rate up to max_crawl_delay."""
        robots = self._robots.get(origin_of(url))
        if robots is None or robots.parser is None:
            return self.min_delay
        asked = robots.parser.crawl_delay(self.user_agent) or 0.0
        rate = robots.parser.request_rate(self.user_agent)
        if rate is not None and rate.requests > 0:
            asked = max(asked, rate.seconds / rate.requests)
        return max(self.min_delay, min(asked, self.max_crawl_delay))

    async def _fetch_once(
        self, url: str, current: str, validators: Validators | None, accept: str, inflate: bool
    ) -> Response | Redirect:
        """One GET of ``current`` in its host slot, under the deadline; errors name ``url``."""
        headers = {"Accept": ACCEPTS[accept][0], **conditional_headers(validators)}
        async with self._host_slot(current):
            started = self._clock()
            try:
                result = await self._exchange(url, current, headers, validators, accept, inflate)
            except FetchError as exc:
                log.debug("GET %s -> %s (%.2f s)", current, exc.message, self._clock() - started)
                raise
            size = len(result.body) if isinstance(result, Response) else 0
            elapsed = self._clock() - started
            log.debug("GET %s -> %d, %d bytes, %.2f s", current, result.status, size, elapsed)
            return result

    async def _exchange(
        self,
        url: str,
        current: str,
        headers: dict[str, str],
        validators: Validators | None,
        accept: str,
        inflate: bool,
    ) -> Response | Redirect:
        """Send and read under one total deadline, mapping httpx errors to ours."""
        try:
            async with asyncio.timeout(self.deadline):
                request = self._client.build_request("GET", current, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    return await self._answer(url, current, response, validators, accept, inflate)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            raise FetchTimeout(
                url, f"timed out: no complete answer within {self.deadline:g} s"
            ) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {one_line(exc)}") from None
        except httpx.TransportError as exc:
            raise NetworkError(url, network_reason(exc, current)) from exc

    async def _answer(
        self,
        url: str,
        current: str,
        response: httpx.Response,
        validators: Validators | None,
        accept: str,
        inflate: bool,
    ) -> Response | Redirect:
        """Turn the status line and headers into a redirect, a 304, an error or a body."""
        status = response.status_code
        location = response.extensions.get(_LOCATION)
        if location:
            target = urljoin(current, location.strip())
            return Redirect(status, target, "set-cookie" in response.headers)
        if status == 304:
            content_type = media_type(response.headers.get("content-type"))
            return self._response(url, current, response, b"", content_type, validators)
        if status >= 300:
            raise self._status_error(url, response)
        body, content_type, coding = await self._read_body(url, response, accept, inflate)
        return self._response(url, current, response, body, content_type, None, coding)

    def _response(
        self,
        url: str,
        current: str,
        response: httpx.Response,
        body: bytes,
        content_type: str,
        sent: Validators | None,
        coding: str = "",
    ) -> Response:
        """Build the Response; a 304 that omits a validator keeps the one we sent."""
        sent = sent or Validators()
        return Response(
            url=url,
            final_url=current,
            status=response.status_code,
            content_type=content_type,
            body=body,
            content_encoding=coding,
            charset=charset(response.headers.get("content-type")),
            validators=Validators(
                etag=response.headers.get("etag") or sent.etag,
                last_modified=response.headers.get("last-modified") or sent.last_modified,
            ),
            headers=tuple(response.headers.multi_items()),
        )

    def _status_error(self, url: str, response: httpx.Response) -> HTTPStatusError:
        """An HTTPStatusError with Retry-After in seconds when the server sent one."""
        status = response.status_code
        message = f"HTTP {status} {response.reason_phrase}".rstrip()
        if 300 <= status < 400:
            message += " without a Location header"
        retry_after = retry_after_seconds(
            response.headers.get("retry-after"), response.headers.get("date"), self._wall_clock()
        )
        if retry_after is not None:
            message += f", retry after {retry_after:g} s"
        return HTTPStatusError(url, status, message, retry_after)

    # -- the body ---------------------------------------------------------------------------

    async def _read_body(
        self, url: str, response: httpx.Response, accept: str, inflate: bool
    ) -> tuple[bytes, str, str]:
        """Stream the raw body, inflate it within the cap and check what it really is.

        Returns the body, its content type and the coding left on it (see ``get``).
        """
        declared = media_type(response.headers.get("content-type"))
        encoding = response.headers.get("content-encoding", "")
        if accept == "xml" and is_gzip_file(declared, response.url.path):
            # sitemap.xml.gz: the file itself is one more gzip layer, under any transfer coding
            declared, encoding = "", ", ".join(filter(None, ["gzip", encoding]))
        allowed = ACCEPTS[accept][1]
        if declared and declared not in allowed:
            raise UnsupportedContent(
                url, f"content type {declared} is not HTML, XML, a feed or JSON"
            )
        cap = size_label(self.max_bytes)
        length = response.headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > self.max_bytes:
            declared_size = size_label(int(length))
            raise TooLarge(url, f"too large: Content-Length {declared_size} is above the {cap} cap")
        try:
            names = codings(encoding)
        except ValueError as exc:
            raise UnsupportedContent(url, str(exc)) from None
        # one coding, and the caller inflates: keep the raw bytes, check the type on a peek
        deferred = names[0] if not inflate and len(names) == 1 else ""
        inflater = Inflater([] if deferred else names, self.max_bytes)
        parts: list[bytes] = []
        size, raw, content_type = 0, 0, ""
        try:
            async for chunk in response.aiter_raw(_CHUNK):
                raw += len(chunk)
                if raw > self.max_bytes:
                    raise TooLarge(url, f"too large: body is above the {cap} cap")
                data = inflater.feed(chunk)
                parts.append(data)
                size += len(data)
                if not deferred and not content_type and size >= SNIFF_BYTES:
                    content_type = checked_content_type(url, declared, b"".join(parts), allowed)
            inflater.finish()
            body = b"".join(parts)
            head = peek(body, deferred, SNIFF_BYTES) if deferred else body
        except Overflow:
            raise TooLarge(url, overflow_reason(self.max_bytes)) from None
        except (zlib.error, Truncated) as exc:
            raise NetworkError(url, corrupt_reason(exc)) from None
        return body, content_type or checked_content_type(url, declared, head, allowed), deferred


async def _take_location(response: httpx.Response) -> None:
    """Hide a redirect's Location from httpx: it fails on ``javascript:`` before we can refuse."""
    if response.status_code in _REDIRECTS and response.headers.get("location", "").strip():
        response.extensions[_LOCATION] = response.headers.pop("location")


def politeness_host(url: str) -> str:
    """The host politeness is kept per (``urlsplit`` lower-cases it)."""
    return urlsplit(url).hostname or ""
