"""Alerts arrive exactly once: real SMTP and HTTP receivers on 127.0.0.1, outages and crashes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import types
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from httpserver import SiteServer, reply
from smtpserver import SMTPServer, free_port

from monitor.config import Config, loads
from monitor.core.models import Article, Evidence, Flags
from monitor.core.policy import OutboxRow
from monitor.core.reading import EvidenceLine, marked
from monitor.poll import save_new_article
from monitor.shell import alerts
from monitor.shell.alerts import message as msg
from monitor.shell.alerts.webhook import discord_payload, slack_payload
from monitor.shell.store import Database, open_db, outbox
from monitor.shell.store.articles import NewArticle

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
SECRET = "whsec_" + base64.b64encode(b"shared-secret-of-32-bytes-length").decode()
ROOT = Path(__file__).resolve().parent.parent


# --- fixtures ------------------------------------------------------------------------------


class Receiver:
    """A webhook endpoint that records each POST and answers what the test says."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.answer: tuple[int, dict[str, str]] = (200, {})
        self.lock = threading.Lock()

    def __call__(self, req: BaseHTTPRequestHandler) -> None:
        body = req.rfile.read(int(req.headers.get("Content-Length", "0")))
        with self.lock:
            self.posts.append(({k.lower(): v for k, v in req.headers.items()}, body))
        status, headers = self.answer
        reply(req, status, b"ok", "text/plain", **headers)

    def json(self, n: int = -1) -> Any:
        return json.loads(self.posts[n][1])

    def ids(self) -> list[str]:
        return [h["webhook-id"] for h, _ in self.posts]


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    # One server for the module: stopping one costs half a second of polling.
    with SiteServer() as server:
        yield server


@pytest.fixture
def hook(site: SiteServer) -> tuple[SiteServer, Receiver]:
    receiver = Receiver()
    site.routes.clear()
    site.routes["/hook/T0KEN"] = receiver
    return site, receiver


def config(
    smtp_port: int | None = None,
    hook_url: str | None = None,
    *,
    digest: bool = False,
    fmt: str = "json",
) -> Config:
    """A real sources.yaml text, loaded the way the CLI loads it."""
    text = "alerts:\n"
    if smtp_port:
        text += textwrap.dedent(f"""\
            - kind: email
              name: mail
              to: [analyst@example.org]
              from: monitor@example.org
              smtp_host: 127.0.0.1
              smtp_port: {smtp_port}
              security: none
              timeout: 5
              digest: {str(digest).lower()}
            """)
    if hook_url:
        text += textwrap.dedent(f"""\
            - kind: webhook
              name: hook
              url: {hook_url}
              secret: ${{HOOK_SECRET}}
              format: {fmt}
              timeout: 5
            """)
    return loads(text, env={"HOOK_SECRET": SECRET})


def article(
    url: str, title: str, story: str | None = None, matched: str = "memorandum"
) -> NewArticle:
    snippet = f"KazISS and ISIS Malaysia signed a {matched} of understanding in Astana."
    start = snippet.index(matched)
    evidence = (
        Evidence("agreement", matched, snippet, start, start + len(matched), rule="en:memorandum"),
        Evidence("country", "Malaysia", snippet, 20, 28, country="MY", rule="name"),
    )
    return NewArticle(
        url=url,
        source="kisi-en",
        article=Article(url, title, dt.date(2026, 11, 27), "Body " + url, "en"),
        flags=Flags(True, ("KZ", "MY"), (), True, evidence),
        content_hash="h-" + url,
        simhash=7,
        baseline=False,
        aliases=(url + "?amp=1",),
        story=story,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    s = open_db(tmp_path / "monitor.db")
    yield s
    s.close()


def flag(store: Database, cfg: Config, url: str, title: str, story: str | None = None) -> int:
    """Store a flagged article as a pass does: with its alerts, in one transaction."""
    article_id, _ = save_new_article(store, article(url, title, story), NOW, list(cfg.channels()))
    return article_id


def verify_signature(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does, written from the Standard Webhooks spec, not from our code."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = headers["webhook-id"].encode() + b"." + headers["webhook-timestamp"].encode()
    expected = hmac.new(key, signed + b"." + body, hashlib.sha256).digest()
    given = [
        s.split(",", 1)[1] for s in headers["webhook-signature"].split() if s.startswith("v1,")
    ]
    return any(hmac.compare_digest(base64.b64decode(g), expected) for g in given)


# --- exactly once --------------------------------------------------------------------------


def test_flagged_story_arrives_once_on_each_channel_signed(
    store: Database, smtp: SMTPServer, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    cfg = config(smtp.port, server.url("/hook/T0KEN"))
    flag(store, cfg, "https://kisi.kz/en/mou", "KazISS and ISIS Malaysia sign a memorandum")

    report = alerts.deliver(store, cfg, NOW)

    assert (report.sent, report.failed, report.dead) == (2, 0, 0)
    (mail,) = smtp.received
    assert mail.rcpt_tos == ["analyst@example.org"]
    assert mail.message["Subject"] == "[monitor] KazISS and ISIS Malaysia sign a memorandum"
    html_part = mail.message.get_body(("html",)).get_content()
    assert "<mark>memorandum</mark>" in html_part and "Kazakhstan (KZ)" in html_part
    assert "https://kisi.kz/en/mou?amp=1" in mail.message.get_body(("plain",)).get_content()
    ((headers, body),) = receiver.posts
    assert verify_signature(SECRET, headers, body)
    assert int(headers["webhook-timestamp"]) == int(NOW.timestamp())
    payload = json.loads(body)
    assert payload["type"] == "story.flagged"
    assert payload["flags"] == {"agreement": True, "countries": ["KZ", "MY"]}
    assert {e["matched"] for e in payload["articles"][0]["evidence"]} == {"memorandum", "Malaysia"}
    ids = {a.channel: a.message_id for a in outbox.fetch_alerts(store)}
    assert mail.message["Message-ID"] == f"<{ids['mail']}@monitor>"
    assert headers["webhook-id"] == ids["hook"]

    again = alerts.deliver(store, cfg, NOW + dt.timedelta(hours=1))
    assert (again.sent, len(smtp.received), len(receiver.posts)) == (0, 1, 1)
    assert {a.state for a in outbox.fetch_alerts(store)} == {"sent"}


def test_two_articles_of_one_story_give_one_alert_listing_both(
    store: Database, smtp: SMTPServer, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    cfg = config(smtp.port, server.url("/hook/T0KEN"))
    first = flag(store, cfg, "https://kisi.kz/en/mou", "KazISS and ISIS Malaysia sign MoU")
    flag(store, cfg, "https://isis.org.my/mou", "ISIS Malaysia, KazISS ink pact", story=f"s{first}")

    alerts.deliver(store, cfg, NOW)

    assert len(outbox.fetch_alerts(store)) == 2  # one per channel, not per article
    (mail,) = smtp.received
    text = mail.message.get_body(("plain",)).get_content()
    assert "https://kisi.kz/en/mou" in text and "https://isis.org.my/mou" in text
    assert "(+1 more)" in str(mail.message["Subject"])
    assert [a["url"] for a in receiver.json()["articles"]] == [
        "https://kisi.kz/en/mou",
        "https://isis.org.my/mou",
    ]


def test_smtp_outage_then_each_pending_alert_arrives_once(
    store: Database, smtp: SMTPServer
) -> None:
    cfg = config(smtp.port)
    for n in range(3):
        flag(store, cfg, f"https://kisi.kz/en/{n}", f"Memorandum number {n}")
    smtp.stop()

    down = alerts.deliver(store, cfg, NOW)
    assert (down.sent, down.failed) == (0, 3)
    assert {a.next_attempt_at for a in outbox.fetch_alerts(store)} == {
        (NOW + dt.timedelta(minutes=1)).isoformat()
    }
    assert alerts.deliver(store, cfg, NOW + dt.timedelta(seconds=30)).failed == 0  # not due yet
    alerts.deliver(store, cfg, NOW + dt.timedelta(minutes=1))
    assert {a.next_attempt_at for a in outbox.fetch_alerts(store)} == {
        (NOW + dt.timedelta(minutes=6)).isoformat()
    }
    assert "connection refused" in (outbox.fetch_alerts(store)[0].last_error or "")

    smtp.start()
    back = alerts.deliver(store, cfg, NOW + dt.timedelta(minutes=6))
    alerts.deliver(store, cfg, NOW + dt.timedelta(hours=1))

    assert back.sent == 3
    assert sorted(smtp.message_ids()) == sorted(
        f"<{a.message_id}@monitor>" for a in outbox.fetch_alerts(store)
    )


def test_retry_schedule_until_dead_after_three_days(store: Database) -> None:
    cfg = config(free_port())  # nothing listens there
    flag(store, cfg, "https://kisi.kz/en/mou", "Memorandum")
    now, delays = NOW, []
    for _ in range(30):
        report = alerts.deliver(store, cfg, now)
        (item,) = outbox.fetch_alerts(store)
        if item.state == "dead":
            break
        assert report.failed == 1
        nxt = dt.datetime.fromisoformat(item.next_attempt_at or "")
        delays.append((nxt - now).total_seconds())
        now = nxt
    assert item.state == "dead" and report.dead == 1
    assert delays[:7] == [60, 300, 1800, 7200, 21600, 43200, 43200]
    assert now == NOW + dt.timedelta(days=3)  # the last try is at the deadline, not past it


def test_smtp_4xx_retries_and_5xx_is_dead_at_once(store: Database, smtp: SMTPServer) -> None:
    cfg = config(smtp.port)
    flag(store, cfg, "https://kisi.kz/en/a", "Memorandum A")
    smtp.reply = "451 4.3.0 try again later"
    assert alerts.deliver(store, cfg, NOW).failed == 1
    assert outbox.fetch_alerts(store)[0].state == "pending"
    smtp.reply = "554 5.7.1 rejected by policy"
    report = alerts.deliver(store, cfg, NOW + dt.timedelta(minutes=1))
    (item,) = outbox.fetch_alerts(store)
    assert (report.dead, item.state) == (1, "dead")
    assert "554" in (item.last_error or "")


# --- crashes -------------------------------------------------------------------------------

KILLER = """
import datetime as dt, os, signal, sys
from monitor.shell import alerts
from monitor.config import load
from monitor.shell.store import open_db

cfg_path, db_path, point = sys.argv[1:4]
cfg = load(cfg_path, env={"HOOK_SECRET": os.environ["HOOK_SECRET"]})

class KillAt:
    def __init__(self, inner):
        self.inner, self.name = inner, inner.name
    def send(self, alert):
        if point == "before-send":
            os.kill(os.getpid(), signal.SIGKILL)
        self.inner.send(alert)
        os.kill(os.getpid(), signal.SIGKILL)  # sent, not yet marked

channels = {n: KillAt(alerts.build_channel(n, c)) for n, c in cfg.channels().items()}
alerts.deliver(open_db(db_path), cfg, dt.datetime.fromisoformat(sys.argv[4]), env=channels)
"""


@pytest.mark.parametrize("point", ["before-send", "after-send"])
def test_sigkill_loses_nothing_and_duplicates_carry_the_same_id(
    tmp_path: Path, point: str, smtp: SMTPServer, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    cfg_file = tmp_path / "sources.yaml"
    cfg_file.write_text(
        f"alerts:\n"
        f"- {{kind: email, name: mail, to: [a@example.org], from: m@example.org,"
        f" smtp_host: 127.0.0.1, smtp_port: {smtp.port}, security: none}}\n"
        f"- {{kind: webhook, name: hook, url: '{server.url('/hook/T0KEN')}',"
        f" secret: '${{HOOK_SECRET}}'}}\n"
    )
    cfg = config(smtp.port, server.url("/hook/T0KEN"))
    store = open_db(tmp_path / "m.db")
    flag(store, cfg, "https://kisi.kz/en/mou", "Memorandum signed")

    env = {**os.environ, "HOOK_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", KILLER, str(cfg_file), str(tmp_path / "m.db"), point]
    done = subprocess.run([*args, NOW.isoformat()], env=env, capture_output=True, timeout=30)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert {a.state for a in outbox.fetch_alerts(store)} == {"pending"}  # nothing was marked
    crashed = len(smtp.received) + len(receiver.posts)
    assert crashed == (0 if point == "before-send" else 1)

    # the dead run's claims name it, and it is gone: the next run takes them at once
    report = alerts.deliver(store, cfg, NOW + dt.timedelta(seconds=5))

    assert report.sent == 2 and {a.state for a in outbox.fetch_alerts(store)} == {"sent"}
    ids = smtp.message_ids() + [f"<{i}@monitor>" for i in receiver.ids()]
    assert len(ids) == 2 + crashed
    assert len(set(ids)) == 2  # the one duplicate has the same id: a receiver drops it
    store.close()


# --- hostile content -----------------------------------------------------------------------


def test_malicious_title_is_escaped_and_adds_no_header(
    store: Database, smtp: SMTPServer, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    cfg = config(smtp.port, server.url("/hook/T0KEN"))
    first = flag(store, cfg, "https://kisi.kz/en/x", "Title\r\nBcc: evil@example.org\x00 end")
    flag(store, cfg, "javascript:alert(1)", "<script>alert(1)</script>", story=f"s{first}")

    alerts.deliver(store, cfg, NOW)

    (mail,) = smtp.received
    assert mail.rcpt_tos == ["analyst@example.org"]
    assert mail.message["Bcc"] is None
    subject = str(mail.message["Subject"])
    assert not set("\r\n\x00") & set(subject) and subject.startswith("[monitor] Title Bcc:")
    header_block = mail.data.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in header_block and b"\x00" not in header_block
    page = mail.message.get_body(("html",)).get_content()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert receiver.json()["articles"][1]["title"] == "<script>alert(1)</script>"


def test_html_highlights_every_match_and_escapes_around_it() -> None:
    html = marked(EvidenceLine("<b>MoU</b> & another mou", (), ("MoU",)))
    assert html == "&lt;b&gt;<mark>MoU</mark>&lt;/b&gt; &amp; another <mark>mou</mark>"


# --- webhook answers -----------------------------------------------------------------------


def test_410_disables_the_webhook_and_later_alerts_stay_pending(
    store: Database, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    receiver.answer = (410, {})
    cfg = config(hook_url=server.url("/hook/T0KEN"))
    flag(store, cfg, "https://kisi.kz/en/a", "Memorandum A")

    alerts.deliver(store, cfg, NOW)
    flag(store, cfg, "https://kisi.kz/en/b", "Memorandum B")
    later = alerts.deliver(store, cfg, NOW + dt.timedelta(hours=1))

    assert "hook" in outbox.fetch_disabled_channels(store)
    assert len(receiver.posts) == 1  # nothing more was posted to a gone endpoint
    assert later.skipped == 2 and {a.state for a in outbox.fetch_alerts(store)} == {"pending"}
    receiver.answer = (200, {})
    outbox.save_channel_enabled(store, "hook")
    assert alerts.deliver(store, cfg, NOW + dt.timedelta(hours=2)).sent == 2


def test_429_retry_after_wins_over_the_schedule(
    store: Database, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    receiver.answer = (429, {"Retry-After": "120"})
    cfg = config(hook_url=server.url("/hook/T0KEN"))
    flag(store, cfg, "https://kisi.kz/en/a", "Memorandum A")
    flag(store, cfg, "https://kisi.kz/en/b", "Memorandum B")

    report = alerts.deliver(store, cfg, NOW)

    assert report.failed == 2 and len(receiver.posts) == 1  # the rest waits, untried
    for item in outbox.fetch_alerts(store):
        assert dt.datetime.fromisoformat(item.next_attempt_at or "") >= NOW + dt.timedelta(
            seconds=120
        )


def test_4xx_is_dead_at_once_and_5xx_retries(
    store: Database, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    cfg = config(hook_url=server.url("/hook/T0KEN"))
    flag(store, cfg, "https://kisi.kz/en/a", "Memorandum A")
    receiver.answer = (500, {})
    assert alerts.deliver(store, cfg, NOW).failed == 1
    receiver.answer = (404, {})
    assert alerts.deliver(store, cfg, NOW + dt.timedelta(minutes=1)).dead == 1
    assert (
        outbox.fetch_alerts(store)[0].last_error
        == f"webhook http://127.0.0.1:{server.port}/…: HTTP 404"
    )


def test_redirect_to_another_host_is_not_followed_and_no_token_is_logged(
    store: Database, site: SiteServer, caplog: pytest.LogCaptureFixture
) -> None:
    def moved(req: BaseHTTPRequestHandler) -> None:
        reply(req, 307, b"", Location="http://collector.example.net/steal")

    site.routes["/moved/T0KEN"] = moved
    cfg = config(hook_url=site.url("/moved/T0KEN?token=SECRET123"))
    flag(store, cfg, "https://kisi.kz/en/a", "Memorandum A")
    with caplog.at_level(logging.DEBUG):
        report = alerts.deliver(store, cfg, NOW)
    assert report.dead == 1
    assert "another host" in (outbox.fetch_alerts(store)[0].last_error or "")
    assert "T0KEN" not in caplog.text and "SECRET123" not in caplog.text
    assert SECRET not in caplog.text


# --- digest and formats --------------------------------------------------------------------


def test_digest_sends_one_mail_for_three_stories(store: Database, smtp: SMTPServer) -> None:
    cfg = config(smtp.port, digest=True)
    titles = ["Memorandum with Malaysia", "Treaty with Uzbekistan", "Agreement with Viet Nam"]
    for n, title in enumerate(titles):
        flag(store, cfg, f"https://kisi.kz/en/{n}", title)

    report = alerts.deliver(store, cfg, NOW)

    assert report.sent == 3 and {a.state for a in outbox.fetch_alerts(store)} == {"sent"}
    (mail,) = smtp.received
    assert str(mail.message["Subject"]).startswith("[monitor] 3 flagged stories")
    text = mail.message.get_body(("plain",)).get_content()
    assert all(t in text for t in titles)
    assert alerts.deliver(store, cfg, NOW + dt.timedelta(hours=1)).sent == 0


def story_alert(titles: list[str]) -> msg.Message:
    articles = [
        {
            "url": f"https://isis.org.my/{n}",
            "source": "isis",
            "title": t,
            "published": "2026-11-27",
            "language": "en",
            "agreement": True,
            "countries": ["MY"],
            "evidence": [{"kind": "agreement", "matched": "MoU", "snippet": "an MoU <here>"}],
            "aliases": [],
        }
        for n, t in enumerate(titles)
    ]
    return msg.story_message("s1", articles, "0" * 32, NOW)


def test_slack_payload_is_escaped_blocks() -> None:
    body = slack_payload(story_alert(["<!channel> MoU & <script>", "Second"]))
    assert "<!channel>" not in body["text"] and "&lt;!channel&gt; MoU &amp;" in body["text"]
    assert body["blocks"][0]["type"] == "header"
    sections = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]
    assert any("<https://isis.org.my/1|Second>" in s for s in sections)
    assert all("<script>" not in s for s in sections)


def test_discord_payload_fits_discords_limits_and_pings_nobody() -> None:
    body = discord_payload(story_alert(["@everyone " + "x" * 400] + ["y" * 200] * 40))
    assert len(body["content"]) <= 2000
    (embed,) = body["embeds"]
    assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096
    assert body["allowed_mentions"] == {"parse": []}
    assert "\\@everyone" in body["content"]


def test_plain_secret_signs_with_its_utf8_bytes(hook: tuple[SiteServer, Receiver]) -> None:
    server, receiver = hook
    cfg = loads(
        f"alerts:\n- {{kind: webhook, url: '{server.url('/hook/T0KEN')}', secret: '${{S}}'}}\n",
        env={"S": "plain secret"},
    )
    channel = alerts.build_channel("webhook", cfg.alerts[0])
    channel.send(story_alert(["MoU"]))
    ((headers, body),) = receiver.posts
    expected = hmac.new(
        b"plain secret", f"{'0' * 32}.{headers['webhook-timestamp']}.".encode() + body, "sha256"
    ).digest()
    assert headers["webhook-signature"] == "v1," + base64.b64encode(expected).decode()


def test_health_alert_is_a_plain_operator_message(
    store: Database, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    cfg = config(hook_url=server.url("/hook/T0KEN"))
    payload = {
        "title": "kisi-en is failing",
        "text": "5 passes failed: HTTP 503",
        "source": "kisi-en",
        "event": "failing",
    }
    outbox.save_alerts(store, [OutboxRow("kisi-en:failing:1", "hook", "health", payload)], NOW)
    assert alerts.deliver(store, cfg, NOW).sent == 1
    body = receiver.json()
    assert body["type"] == "source.failing" and body["source"] == "kisi-en"
    assert body["text"] == "5 passes failed: HTTP 503"


# --- test_alert and optional channels ------------------------------------------------------


def test_test_alert_reports_per_channel(
    store: Database, smtp: SMTPServer, hook: tuple[SiteServer, Receiver]
) -> None:
    server, receiver = hook
    receiver.answer = (500, {})
    cfg = config(smtp.port, server.url("/hook/T0KEN"))

    results = alerts.test_alert(cfg, now=NOW)

    assert [(name, ok) for name, ok, _ in results] == [("mail", True), ("hook", False)]
    assert "HTTP 500" in results[1][2]
    assert len(smtp.received) == 1 and "test alert" in str(smtp.received[0].message["Subject"])
    assert outbox.fetch_alerts(store) == []
    assert [n for n, _, _ in alerts.test_alert(cfg, "mail", now=NOW)] == ["mail"]
    with pytest.raises(KeyError, match="known: mail, hook"):
        alerts.test_alert(cfg, "slack", now=NOW)


def test_apprise_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "apprise", None)  # as if not installed
    cfg = loads("alerts:\n- {kind: apprise, urls: ['${U}']}\n", env={"U": "ntfy://topic"})
    with pytest.raises(alerts.ChannelError, match=r"install monitor\[apprise\]"):
        alerts.build_channel("apprise", cfg.alerts[0])
    assert alerts.test_alert(cfg, now=NOW)[0][1] is False


def test_apprise_channel_notifies_through_apprise(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[dict[str, Any]] = []

    class Apprise:
        def add(self, url: str) -> bool:
            return url.startswith("ntfy://")

        def notify(self, **kwargs: Any) -> bool:
            sent.append(kwargs)
            return True

    fake = types.SimpleNamespace(Apprise=Apprise)
    monkeypatch.setitem(sys.modules, "apprise", fake)
    cfg = loads("alerts:\n- {kind: apprise, urls: ['${U}']}\n", env={"U": "ntfy://topic"})
    alerts.build_channel("apprise", cfg.alerts[0]).send(story_alert(["MoU signed"]))
    assert sent[0]["title"] == "[monitor] MoU signed"


def test_slack_and_discord_lead_with_the_new_article_and_mark_each_sentence_once() -> None:
    sentence = "ISIS Malaysia and KazISS signed a memorandum in Astana."
    evidence = [
        {"kind": "agreement", "matched": "memorandum", "snippet": sentence},
        {"kind": "country", "country": "MY", "matched": "Malaysia", "snippet": sentence},
    ]
    old = {"id": 1, "url": "https://kisi.kz/en/1", "source": "kisi-en", "title": "Talks",
           "published": "2026-11-20", "language": "en", "agreement": False, "countries": [],
           "flagged": False, "baseline": False, "first_seen": "2026-11-20T10:00:00+00:00",
           "evidence": [], "aliases": []}  # fmt: skip
    new = {**old, "id": 2, "url": "https://isis.org.my/2", "source": "isis", "title": "MoU",
           "agreement": True, "countries": ["MY"], "flagged": True, "evidence": evidence,
           "first_seen": "2026-11-21T10:00:00+00:00", "published": "2026-11-21"}  # fmt: skip
    alert = msg.story_message("s1", [old, new], "0" * 32, NOW)
    payload = alert.payload["articles"]  # the JSON webhook's order and marks
    assert [(a["url"], a["new"]) for a in payload] == [
        ("https://isis.org.my/2", True),
        ("https://kisi.kz/en/1", False),
    ]
    slack = [b["text"]["text"] for b in slack_payload(alert)["blocks"] if b["type"] == "section"]
    assert slack[1].startswith("*NEW* <https://isis.org.my/2|MoU>")
    quotes = [line for line in slack[1].splitlines() if line.startswith("> ")]
    assert quotes == ["> ISIS *Malaysia* and KazISS signed a *memorandum* in Astana."]
    assert "21 November 2026" in slack[1]
    description = discord_payload(alert)["embeds"][0]["description"]
    bullets = [line for line in description.splitlines() if line.startswith("• ")]
    assert bullets[0].startswith("• **NEW** [MoU]") and bullets[1].startswith("• [Talks]")
