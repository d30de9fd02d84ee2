"""One alert as the analyst reads it: subject, text, HTML and a JSON payload, built from the store.

Everything that came from a scraped page (titles, snippets, URLs, source names) is untrusted:
the HTML escapes every such string, and the subject has control characters removed (no CR, LF
or NUL can start a new mail header) and is capped at 150 characters.

The JSON payload (``Message.payload``, posted as is by the ``json`` webhook format)::

    {
      "type": "story.flagged",
      "story": "s42",                     # the story's id; one alert per story and channel
      "title": "KazISS and ISIS Malaysia sign a memorandum",
      "flags": {"agreement": true, "countries": ["KZ", "MY"]},
      "articles": [                       # every article of the story at sending time: the new
                                          # ones first (the one the alert is about leads), then
                                          # the older ones, oldest first
        {"url": "https://kisi.kz/en/...", "new": true, "source": "kisi-en", "title": "...",
         "published": "2026-11-27" | "2026-11-27T10:00:00+05:00" | null, "language": "en",
         "agreement": true, "countries": ["MY"],
         "evidence": [{"kind": "agreement" | "country" | "demonym" | "capital",
                       "country": "MY" | null, "matched": "memorandum",
                       "snippet": "... signed a memorandum ...", "rule": "..."}],
         "aliases": ["https://kisi.kz/en/...?amp"]}
      ],
      "sent_at": "2026-11-28T09:00:00+00:00"
    }

A health alert (a source failing, recovering or gone silent) is an operator message::

    {"type": "source.failing" | "source.recovered" | "source.silent" | ...,
     "source": "kisi-en", "title": "...", "text": "...", "sent_at": "..."}

``monitor test-alert`` sends ``{"type": "test", "title": "...", "text": "...", "sent_at": "..."}``.
A digest mail carries ``{"type": "digest", "stories": [<story payloads>], "sent_at": "..."}``.
The idempotency key (``message_id``) is not in the body: it travels as the ``webhook-id`` header
and the mail's ``Message-ID``, the same on every retry, so a receiver can drop a duplicate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core.reading import alert_order, evidence_lines, marked
from monitor.core.text import (
    SUBJECT_LIMIT,
    article_meta,
    country_label,
    http_url,
    one_line,
    story_title,
)


@dataclass(frozen=True)
class Message:
    """One alert ready for any channel; ``message_id`` is stable across retries."""

    subject: str
    text: str
    html: str
    payload: dict[str, Any]
    message_id: str
    story: str
    kind: str
    sent_at: dt.datetime


def _link(url: str, label: str | None = None) -> str:
    href = http_url(url)
    text = html.escape(label or url)
    return f'<a href="{html.escape(href, quote=True)}">{text}</a>' if href else text


# --- stories ------------------------------------------------------------------------------


def story_payload(
    story: str,
    articles: Sequence[dict[str, Any]],
    now: dt.datetime,
    languages: Sequence[str] = (),
) -> dict[str, Any]:
    """The documented ``story.flagged`` JSON for a story's current articles."""
    countries = sorted({c for a in articles for c in a.get("countries") or []})
    ordered, new = alert_order(articles, languages)
    return {
        "type": "story.flagged",
        "story": story,
        "title": story_title(ordered[:1]),
        "flags": {"agreement": any(a.get("agreement") for a in articles), "countries": countries},
        "articles": [
            {
                "url": a["url"],
                "new": a.get("id") in new,
                "source": a.get("source"),
                "title": a.get("title"),
                "published": a.get("published"),
                "language": a.get("language"),
                "agreement": bool(a.get("agreement")),
                "countries": list(a.get("countries") or []),
                "evidence": [
                    {k: e.get(k) for k in ("kind", "country", "matched", "snippet", "rule")}
                    for e in a.get("evidence") or []
                ],
                "aliases": list(a.get("aliases") or []),
            }
            for a in ordered
        ],
        "sent_at": now.isoformat(),
    }


def story_message(
    story: str,
    articles: Sequence[dict[str, Any]],
    message_id: str,
    now: dt.datetime,
    languages: Sequence[str] = (),
) -> Message:
    """The alert for a flagged story, listing every article it holds right now."""
    if not articles:
        raise ValueError(f"story {story!r} has no articles")
    payload = story_payload(story, articles, now, languages)
    title = one_line(payload["title"], SUBJECT_LIMIT - 12) or "untitled"
    more = len(articles) - 1
    suffix = f" (+{more} more)" if more else ""
    return Message(
        subject=one_line(f"[monitor] {title}{suffix}"),
        text=story_text(payload),
        html=_page(payload["title"], story_html(payload)),
        payload=payload,
        message_id=message_id,
        story=story,
        kind="story",
        sent_at=now,
    )


def flags_line(payload: dict[str, Any]) -> str:
    """``Agreement · Kazakhstan (KZ), Malaysia (MY)``: why the story was flagged, in one line."""
    flags = payload["flags"]
    parts = ["Agreement"] if flags["agreement"] else []
    if flags["countries"]:
        parts.append(", ".join(country_label(c) for c in flags["countries"]))
    return " · ".join(parts) or "Flagged"


def story_text(payload: dict[str, Any]) -> str:
    """The plain-text body: what a terminal mail client or an SMS gateway shows."""
    lines = [one_line(payload["title"], 500), flags_line(payload), ""]
    for a in payload["articles"]:
        new = "NEW: " if a.get("new") else ""
        lines.append(f"- {new}{one_line(a['title'] or a['url'], 500)}")
        lines.append(f"  {article_meta(a)}")
        lines.append(f"  {a['url']}")
        lines.extend(f"  also: {u}" for u in a["aliases"])
        for line in evidence_lines(a["evidence"]):
            lines.append(f"  [{', '.join(line.labels)}] {one_line(line.sentence, 300)}")
        lines.append("")
    return "\n".join(lines)


def story_html(payload: dict[str, Any]) -> str:
    """The HTML body; every scraped string passes through ``html.escape``."""
    parts = [
        f'<h2 style="{_H2}">{html.escape(payload["title"] or "")}</h2>',
        f'<p style="{_FLAGS}">{html.escape(flags_line(payload))}</p>',
    ]
    for a in payload["articles"]:
        parts.append(f'<div style="{_ENTRY}">')
        badge = f'<span style="{_NEW}">NEW</span> ' if a.get("new") else ""
        parts.append(f'<h3 style="{_H3}">{badge}{_link(a["url"], a["title"] or a["url"])}</h3>')
        parts.append(f'<p style="{_META}">{html.escape(article_meta(a))}</p>')
        if a["aliases"]:
            links = ", ".join(_link(u) for u in a["aliases"])
            parts.append(f'<p style="{_META}">Also at: {links}</p>')
        items = [
            f'<li style="{_LI}"><em>{html.escape(", ".join(line.labels))}</em>: {marked(line)}</li>'
            for line in evidence_lines(a["evidence"])
        ]
        if items:
            parts.append(f'<ul style="{_UL}">' + "".join(items) + "</ul>")
        parts.append("</div>")
    return "\n".join(parts)


# A small inline style: mail clients drop <style> blocks and external sheets, not attributes.
_BODY = (
    "margin:0;padding:16px;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "font-size:15px;line-height:1.45;color:#1f2328;background:#ffffff"
)
_WRAP = "max-width:640px;margin:0 auto"
_H2 = "font-size:19px;margin:0 0 4px"
_H3 = "font-size:16px;margin:0 0 2px"
_FLAGS = "margin:0 0 16px;font-weight:600;color:#8a4b00"
_ENTRY = "margin:0 0 14px;padding:0 0 10px;border-bottom:1px solid #e5e7eb"
_META = "margin:0 0 4px;font-size:13px;color:#57606a"
_NEW = (
    "display:inline-block;padding:0 5px;border-radius:3px;background:#1a7f37;color:#ffffff;"
    "font-size:11px;font-weight:700;vertical-align:2px"
)
_UL = "margin:4px 0 0;padding-left:18px"
_LI = "margin:0 0 4px;font-size:14px"


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(one_line(title))}</title></head>\n"
        f'<body style="{_BODY}">\n<div style="{_WRAP}">\n{body}\n</div>\n</body></html>\n'
    )


# --- operator messages --------------------------------------------------------------------


def notice_message(
    kind: str, payload: dict[str, Any], message_id: str, story: str, now: dt.datetime
) -> Message:
    """A plain operator message (a source's health, a test) from ``{"title", "text", ...}``."""
    title = str(payload.get("title") or kind)
    text = str(payload.get("text") or "")
    event = payload.get("event")
    body = dict(payload)
    body.pop("event", None)
    body["type"] = f"source.{event}" if kind == "health" and event else kind
    body.update(title=title, text=text, sent_at=now.isoformat())
    return Message(
        subject=one_line(f"[monitor] {title}"),
        text=f"{one_line(title, 500)}\n\n{text}\n",
        html=_page(title, f"<h2>{html.escape(title)}</h2>\n<pre>{html.escape(text)}</pre>"),
        payload=body,
        message_id=message_id,
        story=story,
        kind=kind,
        sent_at=now,
    )


def probe_message(channel: str, now: dt.datetime) -> Message:
    """What ``monitor test-alert`` sends: proof the channel works, stored nowhere."""
    stamp = now.isoformat(timespec="seconds")
    payload = {
        "title": f"monitor test alert for channel {channel}",
        "text": f"If you read this, channel {channel!r} delivers alerts. Sent {stamp}.",
    }
    digest = hashlib.sha256(f"test\0{channel}\0{stamp}".encode()).hexdigest()[:32]
    return notice_message("test", payload, digest, "", now)


def digest_message(messages: Sequence[Message], now: dt.datetime) -> Message:
    """Several stories in one mail; its id is stable for the same set of alerts."""
    if len(messages) == 1:
        return messages[0]
    key = "\0".join(sorted(m.message_id for m in messages))
    titles = "; ".join(one_line(m.payload.get("title")) for m in messages)
    text = "\n\n".join(m.text for m in messages)
    bodies = "\n<hr>\n".join(story_html(m.payload) for m in messages if m.kind == "story")
    return Message(
        subject=one_line(f"[monitor] {len(messages)} flagged stories: {titles}"),
        text=f"{len(messages)} flagged stories\n\n{text}",
        html=_page(f"{len(messages)} flagged stories", bodies),
        payload={
            "type": "digest",
            "stories": [m.payload for m in messages],
            "sent_at": now.isoformat(),
        },
        message_id=hashlib.sha256(key.encode()).hexdigest()[:32],
        story=",".join(m.story for m in messages),
        kind="digest",
        sent_at=now,
    )
