"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), collecting what it accepts.

``SMTPServer()`` picks a free port and keeps it across ``stop()`` / ``start()``, so a test can
take the server down for a while and bring it back at the same address. ``reply`` makes the
server answer DATA with another status (``"451 4.3.0 try later"``) to play a sick server.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One accepted mail: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage = field(init=False)

    def __post_init__(self) -> None:
        self.message = email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[assignment]


class _Handler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        if self.server.reply:
            return self.server.reply
        self.server.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SMTPServer:
    """aiosmtpd on a fixed free loopback port, startable and stoppable."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self.reply: str | None = None
        self.delay = 0.0  # seconds before each message is accepted (a slow relay)
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SMTPServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def message_ids(self) -> list[str]:
        return [str(r.message["Message-ID"]) for r in self.received]
