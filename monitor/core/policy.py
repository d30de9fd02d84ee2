"""Does this alert? The one place that decides, for stories and for the operator's notices.

Pure: it takes what the pass decided (where an article went, its flags, whether it is part of
the silent baseline) or what health found, and returns the outbox rows to queue. The store only
writes them, under a unique (story, channel, kind) key, which is what makes "once per story" a
database fact across processes and restarts.

- A new article alerts when it is flagged and not baseline; the rows are its story's, so an
  article joining a story that already alerted queues nothing new (the key is taken).
- A revision alerts only when it turns an unflagged, non-baseline article into a flagged one.
- A source's health episode queues one notice when it starts and one when it ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OutboxRow:
    """One alert to queue: a story (or an operator notice) for one channel."""

    story: str
    channel: str
    kind: str = "story"
    payload: Mapping[str, Any] | None = None
    message_id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.message_id:
            object.__setattr__(self, "message_id", message_id(self.story, self.channel, self.kind))


def message_id(story: str, channel: str, kind: str = "story") -> str:
    """A stable idempotency key: the same alert has the same id on every retry and restart."""
    return hashlib.sha256(f"{kind}\0{story}\0{channel}".encode()).hexdigest()[:32]


def installed_id(installation: str, key: str) -> str:
    """``key`` (a :func:`message_id`) made unique to one installation, still stable.

    Story ``s3`` of two databases is two pieces of news: a receiver that drops repeated ids
    would lose the second if the id were the story's and the channel's alone.
    """
    return hashlib.sha256(f"{installation}\0{key}".encode()).hexdigest()[:32]


def story_alerts(
    story: str,
    *,
    flagged: bool,
    baseline: bool,
    channels: Sequence[str],
    story_at_baseline: bool = False,
) -> list[OutboxRow]:
    """The rows a newly stored article queues for its story: one per channel, or none.

    A story alerts when its first flagged article arrives after the baseline (the outbox keeps
    one row per story and channel, so later ones add nothing). ``story_at_baseline``: the story
    already held an article of the baseline pass; it was news before monitor watched, and a new
    translation or repost of it, on any site, stays silent too.
    """
    if not flagged or baseline or story_at_baseline:
        return []
    return [OutboxRow(story, channel) for channel in channels]


def revision_alerts(
    story: str,
    *,
    was_flagged: bool,
    flagged: bool,
    baseline: bool,
    channels: Sequence[str],
) -> list[OutboxRow]:
    """A revision is not news: it alerts only when it makes an unflagged article flagged."""
    if was_flagged:
        return []
    return story_alerts(story, flagged=flagged, baseline=baseline, channels=channels)


@dataclass(frozen=True)
class HealthChange:
    """Episodes to open and close after a pass, and the notices they queue."""

    start: Mapping[str, str] = field(default_factory=dict)  # event -> detail
    end: Sequence[int] = ()  # episode ids
    notices: Sequence[OutboxRow] = ()


def health_notices(
    name: str,
    problems: Mapping[str, str],
    open_now: Mapping[str, tuple[int, str]],
    now: dt.datetime,
    channels: Sequence[str],
    events: Sequence[str],
) -> HealthChange:
    """Which episodes start and end now; each start and each end is one notice per channel.

    ``problems`` is what holds now (event -> explanation), ``open_now`` the episodes still open
    (event -> (id, started_at)); a problem that goes on queues nothing.
    """
    start: dict[str, str] = {}
    end: list[int] = []
    notices: list[OutboxRow] = []
    for event in events:
        if event in problems and event not in open_now:
            start[event] = problems[event]
            payload = {
                "type": f"source.{event}",
                "event": event,
                "source": name,
                "title": f"monitor: source {name} is {event}",
                "text": f"Source {name} is {event}: {problems[event]}",
            }
            key = f"health:{name}:{event}:{now.isoformat()}"
            notices += [OutboxRow(key, ch, "health", payload) for ch in channels]
        elif event not in problems and event in open_now:
            episode_id, started = open_now[event]
            end.append(episode_id)
            payload = {
                "type": "source.recovered",
                "event": f"{event}-recovered",
                "source": name,
                "title": f"monitor: source {name} recovered",
                "text": f"Source {name} has recovered from being {event} (since {started[:16]}).",
            }
            key = f"health:{name}:{event}:{started}:recovered"
            notices += [OutboxRow(key, ch, "health", payload) for ch in channels]
    return HealthChange(start, tuple(end), tuple(notices))
