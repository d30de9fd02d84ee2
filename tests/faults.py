"""Misbehaving route handlers for tests/httpserver.SiteServer: the ways real servers go wrong.

Each function returns a handler ``(request) -> None`` to put in ``SiteServer(routes=...)``. They
write raw bytes through ``req.wfile`` / ``req.connection`` where a well-formed answer would hide
the fault, and they give up quietly once the client has hung up (a test's fetcher often does).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler

from httpserver import Handler, reply

_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


def _head(req: BaseHTTPRequestHandler, status: int, headers: Iterable[tuple[str, str]]) -> None:
    req.send_response(status)
    for name, value in headers:
        req.send_header(name, value)
    req.end_headers()


def _quietly(write: Callable[[BaseHTTPRequestHandler], None]) -> Handler:
    """Run a writer, ignoring the client hanging up on it, and never reuse the connection."""

    def handler(req: BaseHTTPRequestHandler) -> None:
        req.close_connection = True
        with contextlib.suppress(*_GONE):
            write(req)

    return handler


def redirect(location: str, status: int = 302, **headers: str) -> Handler:
    """A redirect to ``location`` (absolute or relative, any scheme)."""
    return lambda req: reply(req, status, b"", Location=location, **headers)


def status(
    code: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers: str
) -> Handler:
    """A complete answer with any status, e.g. ``status(503, Retry_After="120")``."""
    return lambda req: reply(req, code, body, content_type, **headers)


def stall(seconds: float) -> Handler:
    """Accept the request and say nothing for ``seconds``, then hang up."""
    return _quietly(lambda req: time.sleep(seconds))


def drip(body: bytes, interval: float, content_type: str = "text/html; charset=utf-8") -> Handler:
    """Send the headers at once, then the body one byte every ``interval`` seconds."""

    def write(req: BaseHTTPRequestHandler) -> None:
        _head(req, 200, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        for i in range(len(body)):
            req.wfile.write(body[i : i + 1])
            req.wfile.flush()
            time.sleep(interval)

    return _quietly(write)


def endless(
    size: int,
    *,
    content_length: bool = True,
    content_type: str = "text/html; charset=utf-8",
    chunk: int = 64 * 1024,
) -> Handler:
    """A ``size``-byte HTML-looking body, written a chunk at a time so the server holds little."""
    block = (b"<p>" + b"x" * (chunk - 7) + b"</p>\n")[:chunk]

    def write(req: BaseHTTPRequestHandler) -> None:
        headers = [("Content-Type", content_type)]
        if content_length:
            headers.append(("Content-Length", str(size)))
        _head(req, 200, headers)
        opening = b"<!doctype html><html><body>"[:size]
        req.wfile.write(opening)
        sent = len(opening)
        while sent < size:
            piece = block[: size - sent]
            req.wfile.write(piece)
            sent += len(piece)

    return _quietly(write)


def encoded(body: bytes, encoding: str, content_type: str = "text/html; charset=utf-8") -> Handler:
    """Pre-compressed ``body`` sent as is with ``Content-Encoding: encoding``."""

    def write(req: BaseHTTPRequestHandler) -> None:
        headers = [
            ("Content-Type", content_type),
            ("Content-Encoding", encoding),
            ("Content-Length", str(len(body))),
        ]
        _head(req, 200, headers)
        req.wfile.write(body)

    return _quietly(write)


def truncated(body: bytes, declared: int, content_type: str = "text/html") -> Handler:
    """Promise ``declared`` bytes in Content-Length, send ``body`` (fewer), then hang up."""

    def write(req: BaseHTTPRequestHandler) -> None:
        _head(req, 200, [("Content-Type", content_type), ("Content-Length", str(declared))])
        req.wfile.write(body)

    return _quietly(write)


def reset_mid_body(body: bytes, declared: int, content_type: str = "text/html") -> Handler:
    """Send part of the body, then abort the connection with a TCP RST."""

    def write(req: BaseHTTPRequestHandler) -> None:
        _head(req, 200, [("Content-Type", content_type), ("Content-Length", str(declared))])
        req.wfile.write(body)
        req.wfile.flush()
        time.sleep(0.05)  # let the client start reading before the reset
        # SO_LINGER 0 turns close() into a reset instead of an orderly FIN
        req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        req.connection.close()

    return _quietly(write)


def broken_chunks(first: bytes = b"<html><body>") -> Handler:
    """A chunked body whose second chunk-size line is not hexadecimal."""

    def write(req: BaseHTTPRequestHandler) -> None:
        _head(req, 200, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
        req.wfile.write(b"%x\r\n%s\r\nzz\r\nnonsense\r\n" % (len(first), first))

    return _quietly(write)


def raw(data: bytes) -> Handler:
    """Write ``data`` verbatim instead of an HTTP answer (bad status lines, garbage)."""
    return _quietly(lambda req: req.wfile.write(data))


class InFlight:
    """Counts requests being handled at once, across every handler it wraps."""

    def __init__(self) -> None:
        self.now = 0
        self.max = 0
        self._lock = threading.Lock()

    def wrap(self, inner: Handler, hold: float = 0.0) -> Handler:
        """``inner`` counted while in flight, after holding the request ``hold`` seconds."""

        def handler(req: BaseHTTPRequestHandler) -> None:
            with self._lock:
                self.now += 1
                self.max = max(self.max, self.now)
            try:
                time.sleep(hold)
                inner(req)
            finally:
                with self._lock:
                    self.now -= 1

        return handler


def html_bomb(mib: int = 64) -> bytes:
    """``mib`` MiB of spaces after a page's first tags, in ~``mib`` KB of gzip.

    It starts like HTML, so nothing but the cap on inflated bytes stops it (a bomb of zeros is
    refused earlier, as binary data).
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS, 9, zlib.Z_RLE)
    spaces = b" " * 2**20
    parts = [packer.compress(b"<html><body><p>"), *(packer.compress(spaces) for _ in range(mib))]
    return b"".join([*parts, packer.flush()])
