"""The webhook channel: an HTTP POST of the alert as our JSON, a Slack message or a Discord one.

Every request carries the Standard Webhooks headers (https://www.standardwebhooks.com/):
``webhook-id`` (the alert's idempotency key, the same on every retry), ``webhook-timestamp``
(unix seconds) and, when the channel has a ``secret``, ``webhook-signature``:
``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``. The key is the secret's bytes: a secret
written ``whsec_<base64>`` (the spec's form, padding optional) is base64-decoded; any other
secret is used as its UTF-8 bytes.

Answers: 2xx delivered; 410 the endpoint is gone (the channel is disabled); 408, 429 and 5xx
retry, honouring ``Retry-After``; other 4xx are permanent. A redirect is followed only when it
keeps the host and the method (307/308); the URL is never logged beyond ``scheme://host/…``,
since webhook URLs often carry their token in the path or query.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import hmac
import json
import re
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from monitor.config import DEFAULT_USER_AGENT, WebhookChannelConfig
from monitor.core.reading import EvidenceLine, evidence_lines, pieces
from monitor.core.text import article_meta, country_label, cut_at_word, one_line
from monitor.options import webhook_key
from monitor.shell.alerts.channel import DeliveryError
from monitor.shell.alerts.message import Message, flags_line

MAX_REDIRECTS = 3
SLACK_SECTION = 3000
SLACK_BLOCKS = 50
DISCORD_CONTENT = 2000
DISCORD_TITLE = 256
DISCORD_DESCRIPTION = 4096
DISCORD_FIELD = 1024


def redact(url: str) -> str:
    """``https://hooks.slack.com/…``: enough to recognise the endpoint, no token."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"


def signing_key(secret: str) -> bytes:
    """The HMAC key (:func:`monitor.options.webhook_key`, which config has already checked)."""
    return webhook_key(secret)


def receiver_key(secret: str) -> bytes | None:
    """The key a receiver's Standard Webhooks library derives when given the secret string.

    The reference libraries base64-decode every string secret (prefix or not, padding added):
    given a plain secret as a string, a receiver derives another key than ours (or none: None),
    and must be given the secret's bytes instead. ``test-alert`` checks with it, as a receiver.
    """
    text = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(text + "==")
    except (binascii.Error, ValueError):
        return None  # the library would refuse it


def verify(key: bytes, headers: dict[str, str], body: bytes, now: dt.datetime) -> bool:
    """Whether a request verifies as a Standard Webhooks receiver checks it, with ``key``.

    The id, timestamp and body are signed; any of the space-separated ``v1,`` signatures may
    match; a timestamp more than five minutes from ``now`` fails (replay protection).
    """
    try:
        timestamp = int(headers["webhook-timestamp"])
        signed = f"{headers['webhook-id']}.{timestamp}.".encode() + body
        given = headers["webhook-signature"].split(" ")
    except (KeyError, ValueError):
        return False
    if abs(now.timestamp() - timestamp) > 300:
        return False
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        version == "v1" and hmac.compare_digest(value, expected)
        for version, _, value in (s.partition(",") for s in given)
    )


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The Standard Webhooks ``webhook-signature`` value for one request."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


# --- formats -------------------------------------------------------------------------------


def slack_escape(text: str) -> str:
    """Slack mrkdwn's three control characters; scraped text can never form a link or mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str, label: str) -> str:
    if not re.match(r"^https?://", url, re.I):
        return slack_escape(label)
    return f"<{slack_escape(url)}|{slack_escape(label).replace('|', '¦')}>"


def slack_payload(alert: Message) -> dict[str, Any]:
    """An incoming-webhook message: ``text`` for notifications, ``blocks`` for reading."""
    p = alert.payload
    title = one_line(p.get("title") or alert.subject, 500)
    text = slack_escape(one_line(alert.subject, 500))
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": one_line(title, 150)}}
    ]
    if p.get("type") == "story.flagged":
        blocks.append(_section(f"*{slack_escape(flags_line(p))}*"))
        for a in p["articles"][: SLACK_BLOCKS - 2]:
            label = one_line(a["title"] or a["url"], 300)
            new = "*NEW* " if a.get("new") else ""
            lines = [f"{new}{_slack_link(a['url'], label)}"]
            lines.append(slack_escape(article_meta(a)))
            lines.extend(
                f"> {_slack_marked(line)}" for line in evidence_lines(a["evidence"], limit=3)
            )
            blocks.append(_section("\n".join(lines)))
    else:
        blocks.append(_section(slack_escape(str(p.get("text") or ""))))
    return {"text": text, "blocks": blocks[:SLACK_BLOCKS]}


def _slack_marked(line: EvidenceLine) -> str:
    """One evidence sentence in mrkdwn, its matches in bold."""
    return "".join(
        f"*{slack_escape(text)}*" if hit and text.strip() else slack_escape(text)
        for text, hit in pieces(EvidenceLine(one_line(line.sentence, 300), (), line.matched))
    )


def _section(mrkdwn: str) -> dict[str, Any]:
    if len(mrkdwn) > SLACK_SECTION:
        mrkdwn = cut_at_word(mrkdwn, SLACK_SECTION - 1) + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def discord_escape(text: str) -> str:
    """Discord markdown's special characters, so a title cannot restyle or mask a link."""
    return re.sub(r"([\\*_~`|>\[\]()#@])", r"\\\1", text)


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else cut_at_word(text, limit - 1) + "…"


def discord_payload(alert: Message) -> dict[str, Any]:
    """A Discord webhook message within Discord's limits; it never pings anyone."""
    p = alert.payload
    title = _cap(one_line(p.get("title") or alert.subject, 1000), DISCORD_TITLE)
    embed: dict[str, Any] = {"title": title}
    if p.get("type") == "story.flagged":
        lines = [f"**{discord_escape(flags_line(p))}**", ""]
        for a in p["articles"]:
            label = discord_escape(one_line(a["title"] or a["url"], 300))
            new = "**NEW** " if a.get("new") else ""
            url = a["url"].replace("(", "%28").replace(")", "%29")
            lines.append(f"• {new}[{label}]({url})" if _is_http(url) else f"• {new}{label}")
            lines.append(f"  {discord_escape(article_meta(a))}")
        embed["description"] = _cap("\n".join(lines), DISCORD_DESCRIPTION)
        if p["articles"] and _is_http(p["articles"][0]["url"]):
            embed["url"] = p["articles"][0]["url"]
        countries = ", ".join(country_label(c) for c in p["flags"]["countries"])
        if countries:
            embed["fields"] = [{"name": "Countries", "value": _cap(countries, DISCORD_FIELD)}]
    else:
        embed["description"] = _cap(discord_escape(str(p.get("text") or "")), DISCORD_DESCRIPTION)
    content = _cap(discord_escape(one_line(alert.subject, 500)), DISCORD_CONTENT)
    return {"content": content, "embeds": [embed], "allowed_mentions": {"parse": []}}


def _is_http(url: str) -> bool:
    return bool(re.match(r"^https?://", url, re.I))


def json_payload(alert: Message) -> dict[str, Any]:
    """Our documented payload (see :mod:`monitor.shell.alerts.message`)."""
    return alert.payload


FORMATS: dict[str, Callable[[Message], dict[str, Any]]] = {
    "json": json_payload,
    "slack": slack_payload,
    "discord": discord_payload,
}


# --- the channel ---------------------------------------------------------------------------


class WebhookChannel:
    """An HTTP POST of the story: our JSON (Standard Webhooks signature), Slack or Discord."""

    def __init__(
        self, config: WebhookChannelConfig, name: str | None = None, user_agent: str = ""
    ) -> None:
        self.config = config
        #: the file's ``user_agent``, as the fetcher sends it: a receiver's logs name us alike
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.name = name or config.name or config.kind
        self.where = redact(config.url)
        self._tls: ssl.SSLContext | None = None

    def request(self, alert: Message) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the POST (signed when the channel has a secret)."""
        body = json.dumps(FORMATS[self.config.format](alert), ensure_ascii=False).encode()
        timestamp = int(alert.sent_at.timestamp())
        headers = {
            "content-type": "application/json",
            "user-agent": self.user_agent,
            "webhook-id": alert.message_id,
            "webhook-timestamp": str(timestamp),
        }
        if self.config.secret:
            headers["webhook-signature"] = sign(
                self.config.secret, alert.message_id, timestamp, body
            )
        return body, headers

    def send(self, alert: Message) -> None:
        """POST the alert, or raise :class:`DeliveryError` saying why it did not arrive."""
        body, headers = self.request(alert)
        url = httpx.URL(self.config.url)
        timeout = httpx.Timeout(self.config.timeout).as_dict()
        if self._tls is None:  # loading the CA bundle costs ~30 ms: once per channel, not per alert
            self._tls = ssl.create_default_context()
        # A bare transport, not a Client: the Client logs every full URL, token and all.
        with httpx.HTTPTransport(verify=self._tls) as transport:
            for _ in range(MAX_REDIRECTS + 1):
                request = httpx.Request(
                    "POST", url, content=body, headers=headers, extensions={"timeout": timeout}
                )
                try:
                    response = transport.handle_request(request)
                    response.read()
                    response.close()
                except httpx.TimeoutException:
                    raise DeliveryError(
                        f"webhook {self.where}: timed out after {self.config.timeout:g}s"
                    ) from None
                except httpx.HTTPError as exc:
                    detail = one_line(str(exc), 200).replace(str(url), self.where)
                    raise DeliveryError(
                        f"webhook {self.where}: {type(exc).__name__}: {detail}"
                    ) from None
                if not response.is_redirect:
                    self._check(response, alert.sent_at)
                    return
                url = self._follow(url, response)
        raise DeliveryError(f"webhook {self.where}: too many redirects", permanent=True)

    def _follow(self, url: httpx.URL, response: httpx.Response) -> httpx.URL:
        """Where a redirect may lead: the same host and method, or nowhere."""
        target = url.join(response.headers.get("location", ""))
        if (target.scheme, target.host, target.port) != (url.scheme, url.host, url.port):
            raise DeliveryError(
                f"webhook {self.where}: {response.status_code} redirect to another host"
                f" ({target.scheme}://{target.host}/…) not followed; fix the url",
                permanent=True,
            )
        if response.status_code not in (307, 308):
            raise DeliveryError(
                f"webhook {self.where}: {response.status_code} redirect would turn the POST"
                " into a GET; fix the url",
                permanent=True,
            )
        return target

    def _check(self, response: httpx.Response, now: dt.datetime) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        reason = f"webhook {self.where}: HTTP {status}"
        if status == 410:
            raise DeliveryError(f"{reason} Gone: the endpoint was removed", gone=True)
        wait = retry_after(response.headers.get("retry-after"), now)
        if status in (408, 429) or status >= 500:
            raise DeliveryError(reason, retry_after=wait)
        raise DeliveryError(reason, permanent=True)
