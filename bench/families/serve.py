"""The world on loopback: one asyncio HTTP/1.1 server in a child process, a site per address.

Each site listens on its own 127.0.1.N (the fetcher is polite per host). Answers carry ETag and
Last-Modified and become 304 on a match; gzip when asked; bytes in the page's own encoding,
with or without a charset in Content-Type as the family does. ``publish`` switches the child
(and the local copy) to phase 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import gzip
import hashlib
import multiprocessing
from collections import Counter

from .world import PORT, World, norm_path

REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found"}


def _http_date(day: dt.date) -> str:
    moment = dt.datetime(day.year, day.month, day.day, 6, 0, tzinfo=dt.UTC)
    return email.utils.format_datetime(moment, usegmt=True)


class Server:
    def __init__(self, world: World) -> None:
        self.world = world
        self.counts: Counter[int] = Counter()

    def answer(self, address: str, method: str, target: str, headers: dict[str, str]) -> bytes:
        key = norm_path(target)
        page = self.world.pages.get((address, key))
        if page is None:  # one trailing-slash form or the other, as most servers do
            path, q, query = key.partition("?")
            other = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
            page = self.world.pages.get((address, other + q + query))
        if page is None:
            return self._reply(
                404,
                [("Content-Type", "text/html")],
                b"<html><body><h1>404 Not Found</h1></body></html>",
                method,
            )
        body = page.body.encode(page.encoding, errors="xmlcharrefreplace")
        etag = '"' + hashlib.md5(body).hexdigest()[:16] + '"'
        modified = _http_date(page.modified or self.world.today)
        meta = [("ETag", etag), ("Last-Modified", modified)]
        if headers.get("if-none-match") == etag or (
            "if-none-match" not in headers and headers.get("if-modified-since") == modified
        ):
            return self._reply(304, meta, b"", method)
        ctype = page.ctype
        if page.charset_header and "charset" not in ctype and ctype.startswith("text/"):
            ctype += f"; charset={page.encoding}"
        meta.append(("Content-Type", ctype))
        if "gzip" in headers.get("accept-encoding", "") and len(body) > 256:
            body = gzip.compress(body, compresslevel=5, mtime=0)
            meta.append(("Content-Encoding", "gzip"))
        meta.append(("Vary", "Accept-Encoding"))
        return self._reply(200, meta, body, method)

    def _reply(
        self, status: int, headers: list[tuple[str, str]], body: bytes, method: str
    ) -> bytes:
        self.counts[status] += 1
        lines = [f"HTTP/1.1 {status} {REASONS[status]}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (
            b"" if method == "HEAD" else body
        )

    async def client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                if target.startswith("http://"):
                    target = "/" + target.split("/", 3)[-1]
                writer.write(self.answer(address, method, target, headers))
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ConnectionError,
            TimeoutError,
            ValueError,
        ):
            pass
        finally:
            writer.close()


def _child(world: World, conn, parent_end) -> None:
    parent_end.close()
    server = Server(world)

    async def main() -> None:
        hosts = sorted({site.address for site in world.sites})
        listener = await asyncio.start_server(server.client, hosts, PORT, backlog=256)
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        def on_control() -> None:
            try:
                command = conn.recv()
            except EOFError:
                command = "stop"
            if command == "publish":
                world.publish()
                conn.send(len(world.truth))
            elif command == "stats":
                conn.send(dict(server.counts))
            else:
                loop.remove_reader(conn.fileno())
                done.set_result(None)

        loop.add_reader(conn.fileno(), on_control)
        conn.send("ready")
        await done
        listener.close()

    asyncio.run(main())
    with contextlib.suppress(OSError):
        conn.send("stopped")


class Served:
    """``with Served(world) as served: ... served.publish()``"""

    def __init__(self, world: World) -> None:
        ctx = multiprocessing.get_context("fork")
        self.world = world
        self._conn, child = ctx.Pipe()
        self._child_end = child
        self._process = ctx.Process(target=_child, args=(world, child, self._conn), daemon=True)

    def __enter__(self) -> Served:
        self._process.start()
        self._child_end.close()
        if not self._conn.poll(60) or self._conn.recv() != "ready":
            raise RuntimeError("the world's server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, EOFError):
            self._conn.send("stop")
            self._conn.poll(5)
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()

    def publish(self) -> None:
        self._conn.send("publish")
        remote = self._conn.recv()
        self.world.publish()
        assert remote == len(self.world.truth), "the served world and its copy disagree"

    def stats(self) -> dict[int, int]:
        self._conn.send("stats")
        return self._conn.recv()
