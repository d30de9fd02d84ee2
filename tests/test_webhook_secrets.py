"""Every secret a Standard Webhooks provider prints verifies with the reference library.

Providers print ``whsec_<base64>`` with or without the ``=`` padding; the reference library
(``standardwebhooks``, as a receiver runs it) decodes both. A plain secret is its UTF-8 bytes,
which a receiver passes to the library as bytes. A ``whsec_`` secret that is no base64 at all is
a mistake in the configuration, refused before anything runs and named by its channel.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from httpserver import SiteServer, reply
from standardwebhooks import Webhook

from monitor.config import ConfigError, loads
from monitor.shell import alerts

KEY = b"\x8f\x01shared-secret-of-any-length!\xff"  # 31 bytes: its base64 ends in "="
PADDED = "whsec_" + base64.b64encode(KEY).decode()
UNPADDED = PADDED.rstrip("=")


class Verifying:
    """A receiver that keeps what the reference library says of each POST."""

    def __init__(self, secret: str | bytes) -> None:
        self.webhook = Webhook(secret)
        self.verdicts: list[str] = []

    def __call__(self, req: BaseHTTPRequestHandler) -> None:
        body = req.rfile.read(int(req.headers.get("Content-Length", "0")))
        try:
            self.webhook.verify(body, dict(req.headers.items()))
            self.verdicts.append("ok")
        except Exception as exc:  # the library's verification error, whatever its class
            self.verdicts.append(f"{type(exc).__name__}: {exc}")
        reply(req, 200, b"ok", "text/plain")


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with SiteServer() as server:
        yield server


def _config(url: str, secret: str) -> str:
    return f"alerts:\n- {{kind: webhook, name: hook, url: '{url}', secret: '${{S}}'}}\n"


@pytest.mark.parametrize(
    ("secret", "receiver_key"),
    [(PADDED, PADDED), (UNPADDED, UNPADDED), ("plain text secret", b"plain text secret")],
    ids=["padded", "unpadded", "plain"],
)
def test_the_reference_library_verifies_every_delivery(
    site: SiteServer, secret: str, receiver_key: str | bytes
) -> None:
    receiver = Verifying(receiver_key)
    site.routes["/hook"] = receiver
    cfg = loads(_config(site.url("/hook"), secret), env={"S": secret})
    results = alerts.test_alert(cfg, now=dt.datetime.now(dt.UTC))
    assert [ok for _, ok, _ in results] == [True], results
    assert receiver.verdicts == ["ok"]


def test_a_whsec_secret_that_is_no_base64_is_refused_naming_its_channel() -> None:
    with pytest.raises(ConfigError) as info:
        loads(
            _config("https://hooks.example.org/x", "whsec_not*base64!"),
            env={"S": "whsec_not*base64!"},
        )
    message = str(info.value)
    assert "alerts[0]" in message or "hook" in message
    assert "whsec_" in message and "base64" in message
    assert "not*base64" not in message  # the secret itself never reaches an error or a log


def test_test_alert_says_how_a_receiver_must_hold_a_plain_secret(site: SiteServer) -> None:
    # A Standard Webhooks library given a plain secret as a string base64-decodes it and derives
    # another key: test-alert checks as the receiver would and says so, instead of "ok" alone.
    site.routes["/hook"] = Verifying(b"plain text secret")
    cfg = loads(_config(site.url("/hook"), "x"), env={"S": "plain text secret"})
    ((_, ok, text),) = alerts.test_alert(cfg, now=dt.datetime.now(dt.UTC))
    assert ok and "UTF-8 bytes" in text
    site.routes["/hook"] = Verifying(UNPADDED)
    cfg = loads(_config(site.url("/hook"), "x"), env={"S": UNPADDED})
    ((_, ok, text),) = alerts.test_alert(cfg, now=dt.datetime.now(dt.UTC))
    assert ok and "verifies" in text and "UTF-8" not in text
