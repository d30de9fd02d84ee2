"""Outbox delivery: every flagged story reaches each channel once, whatever breaks in between.

A pass stores an article and its outbox rows in one transaction (``poll.save_new_article``), so a
change is never detected without its alert being queued. :func:`deliver` then sends what is due
and records the outcome. A crash before sending leaves the row pending (it goes out next time);
a crash after sending but before recording sends it once more with the same ``webhook-id`` /
``Message-ID``, so the receiver can drop that one duplicate.

Failures retry after 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h until three days after the
alert was queued, when it goes dead (``monitor alerts retry ID`` revives it). A ``Retry-After``
later than the schedule wins. A transient failure stops that channel for the rest of the run
(the other due alerts are rescheduled untried: the server is down for them too), so an outage
costs one timeout per run, not one per alert. A permanent refusal kills only that alert; a 410
Gone disables the whole channel and leaves its alerts pending until it is enabled again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.config import ChannelConfig, Config
from monitor.errors import NotFound
from monitor.logs import NOTICE
from monitor.options import CHANNEL_OPTIONS, registered
from monitor.shell.alerts.apprise import AppriseChannel
from monitor.shell.alerts.channel import Channel, ChannelError, DeliveryError
from monitor.shell.alerts.email import EmailChannel
from monitor.shell.alerts.message import (
    Message,
    digest_message,
    notice_message,
    probe_message,
    story_message,
)
from monitor.shell.alerts.webhook import WebhookChannel, receiver_key, verify
from monitor.shell.store import Database, outbox, queries
from monitor.shell.store.outbox import OutboxItem

__all__ = [
    "CHANNELS",
    "RETRY_DELAYS",
    "Channel",
    "ChannelError",
    "DeliveryError",
    "DeliveryReport",
    "Message",
    "build_channel",
    "deliver",
    "next_attempt",
    "test_alert",
]

log = logging.getLogger(__name__)

#: Each channel kind declared in ``monitor.options.CHANNEL_OPTIONS``, with the class that sends.
CHANNELS: dict[str, Callable[..., Channel]] = registered(
    CHANNEL_OPTIONS,
    {"email": EmailChannel, "webhook": WebhookChannel, "apprise": AppriseChannel},
    "alert channels",
)
#: Seconds to wait after the 1st, 2nd, ... failure; the last step repeats until the deadline.
RETRY_DELAYS = (60.0, 300.0, 1800.0, 7200.0, 21600.0, 43200.0)
#: How long after queueing an alert keeps being retried before it goes dead.
GIVE_UP_AFTER = dt.timedelta(days=3)
#: How long a delivery run holds the alerts it took; another run skips them meanwhile.
CLAIM_LEASE = dt.timedelta(minutes=10)


@dataclass
class DeliveryReport:
    """What one delivery run did, in alerts (a digest of three stories counts three)."""

    sent: int = 0
    failed: int = 0
    dead: int = 0
    skipped: int = 0


def build_channel(name: str, config: ChannelConfig, user_agent: str = "") -> Channel:
    """The channel object for one configured channel (``ChannelError`` if it cannot exist).

    ``user_agent``: the file's, for the channels that make HTTP requests.
    """
    return CHANNELS[config.kind](config, name, user_agent)


def next_attempt(
    item: OutboxItem, now: dt.datetime, retry_after: float | None = None
) -> dt.datetime | None:
    """When to try again after this failure, or None once the alert has had its three days."""
    deadline = dt.datetime.fromisoformat(item.created_at) + GIVE_UP_AFTER
    if now >= deadline:
        return None
    delay = RETRY_DELAYS[min(item.attempts, len(RETRY_DELAYS) - 1)]
    when = min(now + dt.timedelta(seconds=delay), deadline)
    if retry_after is not None:
        when = max(when, now + dt.timedelta(seconds=retry_after))
    return when


def deliver(
    store: Database,
    config: Config,
    now: dt.datetime,
    *,
    env: Mapping[str, Channel] | None = None,
) -> DeliveryReport:
    """Send every due alert of every enabled channel once, and record each outcome.

    ``env`` maps channel names to ready channel objects, used instead of building them from
    the configuration (a test or an embedding program wraps or replaces a sender this way).
    """
    report = DeliveryReport()
    configured = config.channels()
    disabled = outbox.fetch_disabled_channels(store)
    for name, items in _by_channel(outbox.fetch_due(store, now)).items():
        if name not in configured or name in disabled:
            why = disabled.get(name) or "not configured or not enabled"
            log.info("alerts for channel %s left pending (%d): %s", name, len(items), why)
            report.skipped += len(items)
    usable = [name for name in configured if name not in disabled]
    for name, items in _by_channel(outbox.claim_due(store, now, usable, CLAIM_LEASE)).items():
        try:
            channel = (env or {}).get(name) or build_channel(
                name, configured[name], config.user_agent
            )
        except ChannelError as exc:
            log.error("%s; %d alerts left pending", exc, len(items))
            report.skipped += len(items)
            continue
        digest = bool(getattr(configured[name], "digest", False))
        _deliver_channel(
            store, channel, items, now, report, digest=digest, languages=config.languages
        )
    return report


def _by_channel(items: Sequence[OutboxItem]) -> dict[str, list[OutboxItem]]:
    out: dict[str, list[OutboxItem]] = {}
    for item in items:
        out.setdefault(item.channel, []).append(item)
    return out


def _deliver_channel(
    store: Database,
    channel: Channel,
    items: Sequence[OutboxItem],
    now: dt.datetime,
    report: DeliveryReport,
    *,
    digest: bool,
    languages: Sequence[str] = (),
) -> None:
    """One channel's due alerts, one by one (or stories in one digest), until it fails."""
    batches: list[list[OutboxItem]] = []
    stories = [i for i in items if i.kind == "story"]
    if digest and len(stories) > 1:
        batches.append(stories)
        batches.extend([i] for i in items if i.kind != "story")
    else:
        batches.extend([i] for i in items)
    for n, batch in enumerate(batches):
        error = _send_batch(store, channel, batch, now, report, languages)
        if error is None or error.permanent:
            continue
        rest = [i for b in batches[n + 1 :] for i in b]
        if error.gone:
            outbox.save_channel_disabled(store, channel.name, error.reason, now)
            log.error("channel %s disabled: %s (re-enable it to send)", channel.name, error.reason)
            report.skipped += len(rest)
            return
        for item in rest:  # the server is down for them too: reschedule without trying
            _record_failure(store, item, error, now, report, prefix="not tried: ")
        return


def _send_batch(
    store: Database,
    channel: Channel,
    batch: Sequence[OutboxItem],
    now: dt.datetime,
    report: DeliveryReport,
    languages: Sequence[str] = (),
) -> DeliveryError | None:
    """Build from the store as it is now, send, record; returns the failure if there was one."""
    messages: list[Message] = []
    for item in batch:
        try:
            messages.append(build_message(store, item, now, languages))
        except ValueError as exc:  # the story vanished: nothing will ever be sendable
            _record_failure(store, item, DeliveryError(str(exc), permanent=True), now, report)
    if not messages:
        return None
    live = [i for i in batch if i.message_id in {m.message_id for m in messages}]
    try:
        channel.send(digest_message(messages, now))
    except DeliveryError as exc:
        if exc.gone:
            log.error("alert %s story %s to %s: %s", _ids(live), live[0].story, channel.name, exc)
            report.skipped += len(live)
        else:
            for item in live:
                _record_failure(store, item, exc, now, report)
        return exc
    for item in live:
        outbox.save_sent(store, item.id, now)
        report.sent += 1
        log.log(NOTICE, "alert %d (story %s) sent to %s", item.id, item.story, channel.name)
    return None


def _ids(items: Sequence[OutboxItem]) -> str:
    return ",".join(str(i.id) for i in items)


def _record_failure(
    store: Database,
    item: OutboxItem,
    error: DeliveryError,
    now: dt.datetime,
    report: DeliveryReport,
    prefix: str = "",
) -> None:
    retry_at = None if error.permanent else next_attempt(item, now, error.retry_after)
    outbox.save_failure(store, item.id, prefix + error.reason, now, retry_at)
    if retry_at is None:
        report.dead += 1
        log.error(
            "alert %d story %s to %s: dead after %d attempts: %s%s",
            item.id, item.story, item.channel, item.attempts + 1, prefix, error.reason,
        )  # fmt: skip
    else:
        report.failed += 1
        log.warning(
            "alert %d story %s to %s: failed, retry at %s: %s%s",
            item.id, item.story, item.channel, retry_at.isoformat(), prefix, error.reason,
        )  # fmt: skip


def build_message(
    store: Database, item: OutboxItem, now: dt.datetime, languages: Sequence[str] = ()
) -> Message:
    """The alert for an outbox row, from the story's articles as they are at sending time.

    ``languages``: the configured preference for the story's title (``story_title``).
    """
    if item.kind == "story":
        articles = queries.fetch_story_articles(store, item.story)
        return story_message(item.story, articles, item.message_id, now, languages)
    payload: dict[str, Any] = item.payload or {"title": f"{item.kind} {item.story}"}
    return notice_message(item.kind, payload, item.message_id, item.story, now)


def test_alert(
    config: Config, channel_name: str | None = None, *, now: dt.datetime | None = None
) -> list[tuple[str, bool, str]]:
    """Send a test message to each enabled channel (or the named one); nothing is stored."""
    now = now or dt.datetime.now(dt.UTC)
    every = {c.name or c.kind: c for c in config.alerts}
    if channel_name is not None and channel_name not in every:
        known = ", ".join(every) or "none"
        raise NotFound(f"no alert channel named {channel_name!r} (known: {known})")
    chosen = {channel_name: every[channel_name]} if channel_name else config.channels()
    results = []
    for name, cfg in chosen.items():
        probe = probe_message(name, now)
        try:
            channel = build_channel(name, cfg, config.user_agent)
            channel.send(probe)
        except (ChannelError, DeliveryError) as exc:
            results.append((name, False, str(exc)))
            log.warning("test alert to %s failed: %s", name, exc)
            continue
        text = f"test alert sent to {name} ({cfg.kind})"
        if isinstance(channel, WebhookChannel) and channel.config.secret:
            text += "; " + _signature_note(channel, probe, now)
        results.append((name, True, text))
        log.info("%s", text)
    return results


def _signature_note(channel: WebhookChannel, probe: Message, now: dt.datetime) -> str:
    """What a receiver's Standard Webhooks library makes of the signature just sent."""
    secret = channel.config.secret or ""
    body, headers = channel.request(probe)
    key = receiver_key(secret)
    if key is not None and verify(key, headers, body, now):
        return "its signature verifies with a Standard Webhooks library given the secret"
    return (
        "signed with the secret's UTF-8 bytes: a Standard Webhooks library given it as a string "
        "decodes it as base64 and fails, so give the receiver its UTF-8 bytes (or configure a "
        "whsec_<base64> secret)"
    )


test_alert.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
