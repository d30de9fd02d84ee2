"""A real HTTP server on 127.0.0.1 for the tests: static fixture sites plus hand-written routes.

Static files live under a root folder; ``/a/b/`` serves ``a/b/index.html`` (or ``index.xml``),
``/a/b`` serves ``a/b`` or ``a/b.html`` / ``a/b/index.html``. The text ``{{BASE}}`` inside a served
file becomes the server's own ``http://127.0.0.1:PORT``, so fixtures can hold absolute URLs.
Every static answer carries an ETag and honours ``If-None-Match``, like a well-kept WordPress.

Routes are ``path -> handler(request) -> None`` for GET and POST alike (``request.command`` says
which; a POST handler reads its body from ``request.rfile``); a handler writes its own answer
through the ``BaseHTTPRequestHandler`` it is given, so tests can misbehave in any way a real
server can.
"""

from __future__ import annotations

import hashlib
import mimetypes
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

Handler = Callable[[BaseHTTPRequestHandler], None]

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain"}


class _QuietServer(ThreadingHTTPServer):
    """Clients hanging up mid-answer is what the fault tests do: no traceback on stderr."""

    def handle_error(self, request: object, client_address: object) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteServer:
    """Serve a fixture folder and/or routes on a free loopback port, in a background thread."""

    def __init__(
        self,
        root: Path | None = None,
        routes: dict[str, Handler] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        """``host`` may be any 127.x.y.z: each is a host of its own to the fetcher's politeness."""
        self.root = root
        self.routes: dict[str, Handler] = dict(routes or {})
        self.requests: list[tuple[str, str]] = []  # (method, path) in arrival order
        self.headers_seen: list[dict[str, str]] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:  # quiet tests
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append((self.command, self.path))
                    server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
                path = urlsplit(self.path).path
                handler = server.routes.get(self.path) or server.routes.get(path)
                if handler is not None:
                    handler(self)
                    return
                if self.command != "GET":
                    reply(self, 405, b"method not allowed")
                    return
                server._serve_static(self, path)

            do_POST = do_GET

        self._httpd = _QuietServer((host, 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self._lock:
            return [p for _, p in self.requests]

    def _find(self, path: str) -> Path | None:
        if self.root is None:
            return None
        rel = path.lstrip("/")
        if ".." in rel.split("/"):
            return None
        base = self.root / rel
        candidates = (
            [base / "index.html", base / "index.xml"]
            if path.endswith("/")
            else [
                base,
                base.with_name(base.name + ".html"),
                base / "index.html",
                base / "index.xml",
            ]
        )
        return next((c for c in candidates if c.is_file()), None)

    def _serve_static(self, req: BaseHTTPRequestHandler, path: str) -> None:
        found = self._find(path)
        if found is None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            req.send_response(404)
            req.send_header("Content-Type", "text/html")
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
            return
        body = found.read_bytes().replace(b"{{BASE}}", self.base.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        ctype = TYPES.get(found.suffix) or mimetypes.guess_type(found.name)[0] or "text/html"
        req.send_response(200)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        req.send_header("ETag", etag)
        req.end_headers()
        req.wfile.write(body)


def reply(
    req: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    content_type: str = "text/html; charset=utf-8",
    **headers: str,
) -> None:
    """Write a complete, well-formed answer (routes use this unless they mean to misbehave)."""
    req.send_response(status)
    req.send_header("Content-Type", content_type)
    req.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        req.send_header(name.replace("_", "-"), value)
    req.end_headers()
    req.wfile.write(body)
