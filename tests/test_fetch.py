"""monitor.shell.fetch against a real server on 127.0.0.1 that misbehaves as real servers do."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import logging
import os
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import faults
import httpx
import pytest
from httpserver import SiteServer, reply

from monitor.core import inflate
from monitor.core.models import Response, Validators
from monitor.shell.fetch import (
    BlockedByRobots,
    Fetcher,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RedirectError,
    TooLarge,
    UnsupportedContent,
)

UA = "monitor-test/1.0 (+https://example.org/monitor)"
PAGE = (
    b"<!doctype html><html><head><title>KazISS and ISIS Malaysia sign a memorandum</title>"
    b"</head><body><h1>KazISS and ISIS Malaysia sign a memorandum</h1>"
    b"<p>Astana, 12 March 2024. The institutes agreed to exchange researchers.</p>"
    b"</body></html>"
)
RSS = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>KazISS</title>'
    b"<item><title>Memorandum</title><link>https://kisi.kz/en/memorandum/</link></item>"
    b"</channel></rss>"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
MIB = 2**20


def html(req: BaseHTTPRequestHandler) -> None:
    reply(req, 200, PAGE)


def fetch(url: str, *, options: dict[str, Any] | None = None, **get_options: Any) -> Response:
    """One get with a fresh fast Fetcher, as a caller outside asyncio would do it."""

    async def go() -> Response:
        async with Fetcher(
            **{"user_agent": UA, "min_delay": 0, "deadline": 5, **(options or {})}
        ) as f:
            return await f.get(url, **get_options)

    return asyncio.run(go())


def fetch_error(url: str, kind: type[FetchError] = FetchError, **kwargs: Any) -> FetchError:
    """The error a get raises, checked to be one plain line naming the URL."""
    with pytest.raises(kind) as info:
        fetch(url, **kwargs)
    error = info.value
    assert error.url == url
    assert str(error) == error.reason
    assert error.reason.startswith(url)
    assert "\n" not in error.reason and "Traceback" not in error.reason
    return error


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[SiteServer, SiteServer]]:
    """Two servers for the whole file: starting and stopping one costs half a second."""
    with SiteServer() as one, SiteServer() as two:
        yield one, two


def fresh(server: SiteServer) -> SiteServer:
    """The shared server with no routes and no requests recorded yet."""
    server.root = None
    server.routes.clear()
    server.requests.clear()
    server.headers_seen.clear()
    return server


@pytest.fixture
def server(servers: tuple[SiteServer, SiteServer]) -> SiteServer:
    return fresh(servers[0])


@pytest.fixture
def other(servers: tuple[SiteServer, SiteServer]) -> SiteServer:
    """A second server, reached as ``localhost`` so that it is another host."""
    return fresh(servers[1])


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 1 MB of gzip that inflates to 1 GiB of zeros, built once from a stream of zeros."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS, 9, zlib.Z_RLE)
    zeros = bytes(MIB)
    parts = [packer.compress(zeros) for _ in range(1024)]
    parts.append(packer.flush())
    return b"".join(parts)


# -- the ordinary cases -------------------------------------------------------------------------


def test_user_agent_is_sent_on_robots_and_page(server: SiteServer) -> None:
    server.routes.update({"/en/": html})
    fetch(server.url("/en/"))
    assert server.paths() == ["/robots.txt", "/en/"]
    assert [h["user-agent"] for h in server.headers_seen] == [UA, UA]
    assert server.headers_seen[1]["accept-encoding"] == "gzip, deflate"


def test_200_html_hands_back_bytes_charset_and_validators(server: SiteServer) -> None:
    cp1251 = "<html><body><p>Меморандум о сотрудничестве</p></body></html>".encode("cp1251")

    def page(req: BaseHTTPRequestHandler) -> None:
        reply(
            req,
            200,
            cp1251,
            "text/html; charset=windows-1251",
            ETag='"v1"',
            Last_Modified="Tue, 12 Mar 2024 08:00:00 GMT",
        )

    server.routes.update({"/ru/memorandum/": page})
    resp = fetch(server.url("/ru/memorandum/"))
    assert resp.status == 200
    assert resp.body == cp1251
    assert resp.content_type == "text/html"
    assert resp.charset == "windows-1251"
    assert resp.url == resp.final_url == server.url("/ru/memorandum/")
    assert resp.validators == Validators('"v1"', "Tue, 12 Mar 2024 08:00:00 GMT")
    assert resp.header("etag") == '"v1"'


def test_304_round_trip_with_if_none_match(server: SiteServer, tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "index.html").write_bytes(PAGE)
    server.root = tmp_path
    first = fetch(server.url("/en/"))
    second = fetch(server.url("/en/"), validators=first.validators)
    assert first.status == 200 and first.body == PAGE
    assert first.validators.etag
    assert second.status == 304 and second.not_modified
    assert second.body == b""
    assert second.validators.etag == first.validators.etag
    assert server.headers_seen[-1]["if-none-match"] == first.validators.etag


def test_304_by_if_modified_since_keeps_the_validators_it_was_sent(server: SiteServer) -> None:
    stamp = "Tue, 12 Mar 2024 08:00:00 GMT"

    def page(req: BaseHTTPRequestHandler) -> None:
        if req.headers.get("If-Modified-Since") == stamp:
            reply(req, 304)  # no ETag, no Last-Modified repeated
        else:
            reply(req, 200, PAGE, Last_Modified=stamp)

    server.routes.update({"/feed/": page})
    resp = fetch(server.url("/feed/"), validators=Validators(last_modified=stamp))
    assert resp.status == 304 and resp.body == b""
    assert resp.validators == Validators(last_modified=stamp)


def test_feed_without_content_type_is_sniffed(server: SiteServer) -> None:
    def bare(body: bytes) -> faults.Handler:
        def handler(req: BaseHTTPRequestHandler) -> None:
            req.send_response(200)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)

        return handler

    routes = {"/feed": bare(RSS), "/page": bare(PAGE), "/blob": bare(bytes(range(1, 200)))}
    server.routes.update(routes)
    assert fetch(server.url("/feed"), accept="feed").content_type == "application/rss+xml"
    assert fetch(server.url("/page")).content_type == "text/html"
    error = fetch_error(server.url("/blob"), UnsupportedContent)
    assert "no Content-Type" in error.reason


# -- status errors ------------------------------------------------------------------------------


def test_500_is_an_http_status_error(server: SiteServer) -> None:
    server.routes.update({"/": faults.status(500, b"<h1>oops</h1>")})
    error = fetch_error(server.url("/"), HTTPStatusError)
    assert isinstance(error, HTTPStatusError)
    assert error.status == 500 and error.retry_after is None
    assert "HTTP 500" in error.reason


def test_503_retry_after_seconds(server: SiteServer) -> None:
    server.routes.update({"/": faults.status(503, Retry_After="120")})
    error = fetch_error(server.url("/"), HTTPStatusError)
    assert isinstance(error, HTTPStatusError)
    assert (error.status, error.retry_after) == (503, 120.0)
    assert "retry after 120 s" in error.reason


def test_429_retry_after_http_date(server: SiteServer) -> None:
    later = email.utils.formatdate(time.time() + 90, usegmt=True)
    server.routes.update({"/": faults.status(429, Retry_After=later)})
    error = fetch_error(server.url("/"), HTTPStatusError)
    assert isinstance(error, HTTPStatusError)
    assert error.status == 429
    assert error.retry_after is not None and 85 <= error.retry_after <= 91


# -- network failures and deadlines -------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{closed_port()}/en/"
    error = fetch_error(url, NetworkError)
    assert "cannot connect" in error.reason


def test_no_answer_hits_the_deadline(server: SiteServer) -> None:
    server.routes.update({"/": faults.stall(3)})
    error = fetch_error(server.url("/"), FetchTimeout, options={"deadline": 1})
    assert "timed out" in error.reason and "within 1 s" in error.reason


def test_a_byte_every_300_ms_hits_the_total_deadline(server: SiteServer) -> None:
    server.routes.update({"/": faults.drip(PAGE, 0.3)})
    fetch_error(server.url("/"), FetchTimeout, options={"deadline": 1})


@pytest.mark.parametrize(
    ("route", "words"),
    [
        (faults.truncated(PAGE[:100], declared=1000), "expected 1000"),
        (faults.reset_mid_body(PAGE[:100], declared=100_000), ""),
        (faults.broken_chunks(), "broken HTTP"),
        (faults.raw(b"SPDY/9 what\r\n\r\n"), "broken HTTP"),
    ],
    ids=["truncated", "reset", "broken-chunking", "not-http"],
)
def test_broken_transfers_are_network_errors(
    server: SiteServer, route: faults.Handler, words: str
) -> None:
    server.routes.update({"/page": route})
    error = fetch_error(server.url("/page"), NetworkError)
    assert words in error.reason


# -- size caps and decompression ----------------------------------------------------------------


def test_50_mb_with_content_length_is_refused_before_reading(server: SiteServer) -> None:
    server.routes.update({"/big": faults.endless(50 * MIB)})
    error = fetch_error(server.url("/big"), TooLarge)
    assert "Content-Length 50.0 MiB is above the 10.0 MiB cap" in error.reason


def test_50_mb_streamed_without_length_stops_at_the_cap(server: SiteServer) -> None:
    server.routes.update({"/big": faults.endless(50 * MIB, content_length=False)})
    tracemalloc.start()
    try:
        error = fetch_error(server.url("/big"), TooLarge, options={"max_bytes": 2 * MIB})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "above the 2.0 MiB cap" in error.reason
    assert peak < 10 * MIB


def test_gzip_bomb_stops_at_the_cap(server: SiteServer, gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 2 * MIB
    server.routes.update({"/bomb": faults.encoded(gzip_bomb, "gzip")})
    tracemalloc.start()
    try:
        error = fetch_error(server.url("/bomb"), TooLarge, options={"max_bytes": MIB})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "inflates past the 1.0 MiB cap" in error.reason
    assert peak < 16 * MIB


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(PAGE)),
        ("x-gzip", gzip.compress(PAGE)),
        ("deflate", zlib.compress(PAGE)),
        ("deflate", raw_deflate(PAGE)),
        ("deflate, gzip", gzip.compress(zlib.compress(PAGE))),
        ("gzip", gzip.compress(PAGE[:50]) + gzip.compress(PAGE[50:])),
        ("identity", PAGE),
    ],
    ids=["gzip", "x-gzip", "zlib-deflate", "raw-deflate", "two-layers", "two-members", "identity"],
)
def test_content_encodings_are_inflated(server: SiteServer, encoding: str, body: bytes) -> None:
    server.routes.update({"/": faults.encoded(body, encoding)})
    assert fetch(server.url("/")).body == PAGE


@pytest.mark.parametrize(
    ("encoding", "body", "left"),
    [
        ("gzip", gzip.compress(PAGE), "gzip"),
        ("x-gzip", gzip.compress(PAGE), "x-gzip"),
        ("deflate", zlib.compress(PAGE), "deflate"),
        ("deflate", raw_deflate(PAGE), "deflate"),
        ("gzip", gzip.compress(PAGE[:50]) + gzip.compress(PAGE[50:]), "gzip"),
        ("deflate, gzip", gzip.compress(zlib.compress(PAGE)), ""),  # two layers: inflated here
        ("identity", PAGE, ""),
    ],
    ids=["gzip", "x-gzip", "zlib-deflate", "raw-deflate", "two-members", "two-layers", "identity"],
)
def test_a_page_left_encoded_inflates_to_the_same_page(
    server: SiteServer, encoding: str, body: bytes, left: str
) -> None:
    """``inflate=False`` (article pages, inflated in a worker) ends with the same bytes."""
    server.routes.update({"/": faults.encoded(body, encoding)})
    resp = fetch(server.url("/"), inflate=False)
    assert resp.content_encoding == left
    assert (resp.body == body) if left else (resp.body == PAGE)
    assert inflate.inflate(resp.url, resp.body, resp.content_encoding, MIB) == PAGE


def test_a_pdf_left_encoded_is_still_refused(server: SiteServer) -> None:
    pdf = b"%PDF-1.7\n" + os.urandom(4000)
    server.routes.update({"/report": faults.encoded(gzip.compress(pdf), "gzip")})
    error = fetch_error(server.url("/report"), UnsupportedContent, inflate=False)
    assert "a PDF" in error.reason


def test_a_bomb_left_encoded_stops_at_the_cap_where_it_is_inflated(server: SiteServer) -> None:
    bomb = faults.html_bomb()
    server.routes.update({"/bomb": faults.encoded(bomb, "gzip")})
    resp = fetch(server.url("/bomb"), inflate=False, options={"max_bytes": 2 * MIB})
    assert resp.body == bomb  # under the cap as sent: the worker's inflation must stop it
    tracemalloc.start()
    try:
        with pytest.raises(inflate.InflateError) as info:
            inflate.inflate(resp.url, resp.body, resp.content_encoding, MIB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value) == f"{resp.url}: too large: body inflates past the 1.0 MiB cap"
    assert peak < 16 * MIB


def test_a_truncated_page_left_encoded_is_corrupt_where_it_is_inflated(server: SiteServer) -> None:
    server.routes.update({"/cut": faults.encoded(gzip.compress(PAGE)[:-12], "gzip")})
    resp = fetch(server.url("/cut"), inflate=False)
    with pytest.raises(inflate.InflateError, match=r"corrupt compressed body: gzip stream ends"):
        inflate.inflate(resp.url, resp.body, resp.content_encoding, MIB)


@pytest.mark.parametrize("content_type", ["application/x-gzip", "application/octet-stream"])
def test_gzipped_sitemap_file_is_read_as_xml(server: SiteServer, content_type: str) -> None:
    sitemap = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://kisi.kz/en/memorandum/</loc></url></urlset>"
    )
    server.routes["/sitemap.xml.gz"] = faults.status(200, gzip.compress(sitemap), content_type)
    resp = fetch(server.url("/sitemap.xml.gz"), accept="xml")
    assert resp.body == sitemap
    assert resp.content_type == "application/xml"
    fetch_error(server.url("/sitemap.xml.gz"), UnsupportedContent)  # not as a page


def test_unknown_content_encoding_is_unsupported(server: SiteServer) -> None:
    server.routes.update({"/": faults.encoded(b"\x1b\x00brotli?", "br")})
    error = fetch_error(server.url("/"), UnsupportedContent)
    assert "'br'" in error.reason


def test_cut_gzip_stream_is_a_network_error(server: SiteServer) -> None:
    server.routes.update({"/": faults.encoded(gzip.compress(PAGE)[:-20], "gzip")})
    error = fetch_error(server.url("/"), NetworkError)
    assert "compressed body" in error.reason


# -- content types ------------------------------------------------------------------------------


def test_png_labelled_text_html_is_refused(server: SiteServer) -> None:
    server.routes.update({"/logo": faults.status(200, PNG)})
    error = fetch_error(server.url("/logo"), UnsupportedContent)
    assert "PNG" in error.reason and "text/html" in error.reason


@pytest.mark.parametrize("content_type", ["application/octet-stream", "application/pdf"])
def test_non_markup_content_types_are_refused(server: SiteServer, content_type: str) -> None:
    server.routes.update({"/file": faults.status(200, PAGE, content_type)})
    error = fetch_error(server.url("/file"), UnsupportedContent)
    assert content_type in error.reason


def test_text_plain_only_for_robots(server: SiteServer) -> None:
    server.routes.update({"/notes.txt": faults.status(200, b"hello", "text/plain")})
    fetch_error(server.url("/notes.txt"), UnsupportedContent)
    assert fetch(server.url("/notes.txt"), accept="robots").body == b"hello"


@pytest.mark.parametrize(
    "url", ["ftp://kisi.kz/en/", "file:///etc/passwd", "javascript:alert(1)", "kisi.kz/en/"]
)
def test_only_http_urls_and_no_io_for_others(url: str) -> None:
    calls: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    with pytest.raises(FetchError, match="not an http"):
        fetch(url, options={"transport": httpx.MockTransport(transport)})
    assert calls == []


# -- redirects ----------------------------------------------------------------------------------


def test_redirects_are_followed_and_final_url_reported(server: SiteServer) -> None:
    server.routes.update({"/?p=9319": faults.redirect("/en/memorandum", 301)})
    server.routes["/en/memorandum"] = faults.redirect(server.url("/en/memorandum/"), 308)
    server.routes["/en/memorandum/"] = html
    resp = fetch(server.url("/?p=9319"))
    assert resp.status == 200 and resp.body == PAGE
    assert resp.url == server.url("/?p=9319")
    assert resp.final_url == server.url("/en/memorandum/")


def test_five_hops_are_fine_six_are_too_many(server: SiteServer) -> None:
    routes: dict[str, faults.Handler] = {f"/r{i}": faults.redirect(f"/r{i + 1}") for i in range(6)}
    routes["/r5"] = html
    routes["/s0"] = faults.redirect("/r0")
    server.routes.update(routes)
    assert fetch(server.url("/r0")).final_url == server.url("/r5")
    error = fetch_error(server.url("/s0"), RedirectError)
    assert "more than 5 redirects" in error.reason


def test_redirect_loop(server: SiteServer) -> None:
    routes = {"/a": faults.redirect("/b"), "/b": faults.redirect("/a")}
    server.routes.update(routes)
    error = fetch_error(server.url("/a"), RedirectError)
    assert "loop" in error.reason and server.url("/b") in error.reason
    assert server.paths() == ["/robots.txt", "/a", "/b"]


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://kisi.kz/pub/", "javascript:alert(1)", "data:,hi"]
)
def test_redirect_to_other_schemes_is_refused(server: SiteServer, target: str) -> None:
    server.routes.update({"/go": faults.redirect(target)})
    error = fetch_error(server.url("/go"), RedirectError)
    assert target.split(":")[0] in error.reason


def test_redirect_off_the_site_is_refused(server: SiteServer, other: SiteServer) -> None:
    other.routes["/x"] = html
    server.routes["/news"] = faults.redirect(f"http://localhost:{other.port}/x")
    error = fetch_error(
        server.url("/news"), RedirectError, allow_host=lambda host: host == "127.0.0.1"
    )
    assert "off the site to localhost" in error.reason
    assert other.paths() == []


# -- robots.txt ---------------------------------------------------------------------------------


def robots(text: str) -> faults.Handler:
    return faults.status(200, text.encode(), "text/plain")


def test_robots_disallow_is_honoured_without_requesting_the_page(server: SiteServer) -> None:
    rules = "User-agent: *\nDisallow: /private/\n\nSitemap: /sitemap.xml\n"
    routes = {"/robots.txt": robots(rules), "/private/report": html, "/news": html}

    async def go(base: str) -> tuple[FetchError, Response, str | None]:
        async with Fetcher(user_agent=UA, min_delay=0) as fetcher:
            with pytest.raises(BlockedByRobots) as info:
                await fetcher.get(base + "/private/report")
            return info.value, await fetcher.get(base + "/news"), await fetcher.robots_txt(base)

    server.routes.update(routes)
    error, allowed, raw = asyncio.run(go(server.base))
    assert "robots.txt" in error.reason
    assert allowed.status == 200
    assert raw == rules
    assert server.paths() == ["/robots.txt", "/news"]


def test_robots_group_for_our_user_agent(server: SiteServer) -> None:
    rules = "User-agent: monitor-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server.routes.update({"/robots.txt": robots(rules), "/": html})
    fetch_error(server.url("/"), BlockedByRobots)
    assert fetch(server.url("/"), options={"user_agent": "otherbot/2.0"}).status == 200


def test_redirect_into_a_disallowed_path_is_blocked(server: SiteServer) -> None:
    routes = {
        "/robots.txt": robots("User-agent: *\nDisallow: /private/\n"),
        "/old": faults.redirect("/private/new"),
        "/private/new": html,
    }
    server.routes.update(routes)
    error = fetch_error(server.url("/old"), BlockedByRobots)
    assert "redirected to" in error.reason
    assert "/private/new" not in server.paths()


def test_robots_404_allows_everything(server: SiteServer) -> None:
    server.routes.update({"/anything": html})
    assert fetch(server.url("/anything")).status == 200
    assert server.paths() == ["/robots.txt", "/anything"]


def test_robots_500_disallows_everything(server: SiteServer) -> None:
    server.routes.update({"/robots.txt": faults.status(500), "/news": html})
    error = fetch_error(server.url("/news"), BlockedByRobots)
    assert "robots.txt answered 500" in error.reason
    assert server.paths() == ["/robots.txt"]


def test_unreachable_robots_fails_the_page_clearly(server: SiteServer) -> None:
    routes = {"/robots.txt": faults.truncated(b"User-agent", declared=500), "/news": html}
    server.routes.update(routes)
    error = fetch_error(server.url("/news"), NetworkError)
    assert "robots.txt" in error.reason and "broken HTTP" in error.reason
    assert server.paths() == ["/robots.txt"]


def test_respect_robots_false_skips_it(server: SiteServer) -> None:
    routes = {"/robots.txt": robots("User-agent: *\nDisallow: /\n"), "/news": html}
    server.routes.update(routes)
    assert fetch(server.url("/news"), options={"respect_robots": False}).status == 200
    assert server.paths() == ["/news"]


# -- politeness ---------------------------------------------------------------------------------


class FakeTime:
    """A monotonic clock that only moves when the fetcher sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def sleeps_for(
    server: SiteServer, routes: dict[str, faults.Handler], **options: Any
) -> tuple[list[float], list[str]]:
    """The waits the fetcher asks for while getting /a, /b, /c of one host at once."""
    fake = FakeTime()
    fresh(server)

    async def go(base: str) -> None:
        async with Fetcher(user_agent=UA, clock=fake.clock, sleep=fake.sleep, **options) as f:
            await asyncio.gather(*(f.get(base + path) for path in ("/a", "/b", "/c")))

    server.routes.update({"/a": html, "/b": html, "/c": html, **routes})
    asyncio.run(go(server.base))
    return fake.sleeps, server.paths()


def test_min_delay_between_requests_to_one_host(server: SiteServer) -> None:
    sleeps, paths = sleeps_for(server, {}, min_delay=1.0)
    assert sleeps == [1.0, 1.0, 1.0]  # robots.txt first, then each page a second later
    assert paths == ["/robots.txt", "/a", "/b", "/c"]


def test_crawl_delay_wins_and_is_capped(server: SiteServer) -> None:
    delay = {"/robots.txt": robots("User-agent: *\nCrawl-delay: 5\n")}
    assert sleeps_for(server, delay, min_delay=0.0)[0] == [5.0, 5.0, 5.0]
    assert sleeps_for(server, delay, min_delay=0.0, max_crawl_delay=2.0)[0] == [2.0, 2.0, 2.0]
    assert sleeps_for(server, delay, min_delay=8.0)[0] == [8.0, 8.0, 8.0]


def test_one_request_at_a_time_per_host(server: SiteServer) -> None:
    counter = faults.InFlight()

    async def go(base: str) -> list[Response]:
        async with Fetcher(user_agent=UA, min_delay=0) as fetcher:
            return await asyncio.gather(*(fetcher.get(f"{base}/p{i}") for i in range(5)))

    routes = {f"/p{i}": counter.wrap(html, hold=0.05) for i in range(5)}
    server.routes.update(routes)
    answers = asyncio.run(go(server.base))
    assert [r.status for r in answers] == [200] * 5
    assert counter.max == 1
    assert server.paths().count("/robots.txt") == 1


def test_different_hosts_run_concurrently(server: SiteServer, other: SiteServer) -> None:
    both_in = threading.Barrier(2, timeout=5)
    counter = faults.InFlight()

    def meet(req: BaseHTTPRequestHandler) -> None:
        try:
            both_in.wait()
        except threading.BrokenBarrierError:
            reply(req, 500, b"the other host was never asked while this one waited")
            return
        html(req)

    async def go(one: str, other: str) -> list[Response]:
        async with Fetcher(user_agent=UA, min_delay=0, deadline=10) as fetcher:
            return await asyncio.gather(fetcher.get(one), fetcher.get(other))

    server.routes["/x"] = other.routes["/x"] = counter.wrap(meet)
    answers = asyncio.run(go(server.url("/x"), f"http://localhost:{other.port}/x"))
    assert [r.status for r in answers] == [200, 200]
    assert counter.max == 2


def test_one_debug_line_per_request(server: SiteServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="monitor.shell.fetch.client")
    server.routes.update({"/en/": html})
    fetch(server.url("/en/"))
    lines = [r.getMessage() for r in caplog.records if r.name == "monitor.shell.fetch.client"]
    assert len(lines) == 2
    assert lines[1].startswith(f"GET {server.url('/en/')} -> 200, {len(PAGE)} bytes")
