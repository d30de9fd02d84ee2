"""The one error tree: everything the library raises on purpose is a :class:`MonitorError`.

``str(e)`` is for a human: one line (a :class:`ConfigError` has one line per mistake). The CLI
turns a MonitorError into its message and exit status 1 in one place (``monitor.cli``); the
library never prints. Drawn once::

    MonitorError                   the root: catch it to catch everything below
    ├── ConfigError                sources.yaml cannot be used (.problems: one line per mistake)
    ├── NotFound                   no source, alert channel or alert by that name (a KeyError too)
    ├── FetchError                 a request gave no usable content; bad URL (.url, .message)
    │   ├── HTTPStatusError        4xx/5xx answer (.status, .retry_after in seconds or None)
    │   ├── FetchTimeout           no complete answer within the deadline
    │   ├── TooLarge               body (or its inflated form) above the byte cap
    │   ├── RedirectError          too many hops, a loop, a non-http scheme, off the allowed site
    │   ├── BlockedByRobots        robots.txt disallows the URL (or answered 5xx)
    │   ├── UnsupportedContent     not HTML/XML/feed, a lying Content-Type, unknown encoding
    │   └── NetworkError           refused, reset, broken HTTP, truncated body
    ├── InflateError               a left-encoded body inflates past the cap or is corrupt
    │                              (in monitor.core.inflate, which imports only this; a ValueError)
    ├── StoreError                 the database cannot do what was asked
    │   ├── StoreBusy              another process holds the write lock past the timeout
    │   └── Conflict               the write contradicts what is stored (a row that changed)
    ├── OutputError                a file a command was asked to write cannot be written (-o)
    ├── ChannelError               an alert channel cannot be built (a missing optional package)
    └── DeliveryError              one send failed; its flags decide what the outbox does next:
            (plain)                transient: retry on the schedule (or after ``retry_after``)
            permanent              the receiver refused this alert for good: it goes dead at once
            gone                   the receiver is gone (HTTP 410): the channel is disabled

Every error here survives pickling (an analysis worker's error crosses a process pipe): each
keeps in ``args`` exactly what its ``__init__`` takes. This module imports nothing, so the pure
core may raise from it too.
"""

from __future__ import annotations

__all__ = [
    "BlockedByRobots",
    "ChannelError",
    "ConfigError",
    "Conflict",
    "DeliveryError",
    "FetchError",
    "FetchTimeout",
    "HTTPStatusError",
    "MonitorError",
    "NetworkError",
    "NotFound",
    "OutputError",
    "RedirectError",
    "StoreBusy",
    "StoreError",
    "TooLarge",
    "UnsupportedContent",
]


class MonitorError(Exception):
    """The root of every error the library raises on purpose; ``str(e)`` is for a human."""


class ConfigError(MonitorError):
    """The configuration cannot be used; ``problems`` holds one line per mistake.

    ``label`` names the file when the error is about one whole file.
    """

    def __init__(self, problems: list[str], label: str | None = None) -> None:
        super().__init__(problems, label)
        self.problems = problems
        self.label = label

    def __str__(self) -> str:
        return "\n".join(self.problems)


class NotFound(MonitorError, KeyError):
    """No source, alert channel or alert by that name; the message lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class FetchError(MonitorError):
    """A request that did not give us usable content; ``reason`` is one line for a human.

    ``kind`` names the failure in a word, for counting failures apart (the daemon's metrics).
    """

    kind: str = "fetch"

    def __init__(self, url: str, message: str) -> None:
        super().__init__(url, message)
        self.url = url
        self.message = message  # what went wrong, without the URL
        self.reason = f"{url}: {message}"

    def __str__(self) -> str:
        return self.reason


class HTTPStatusError(FetchError):
    """The server answered 4xx/5xx; ``retry_after`` is its Retry-After in seconds, if any."""

    def __init__(
        self, url: str, status: int, message: str, retry_after: float | None = None
    ) -> None:
        super().__init__(url, message)
        self.args = (url, status, message, retry_after)
        self.status = status
        self.retry_after = retry_after
        self.kind = f"http_{status // 100}xx"


class FetchTimeout(FetchError):
    """No complete answer (connect, headers and whole body) within the deadline."""

    kind = "timeout"


class TooLarge(FetchError):
    """The body, or what it inflates to, is above the byte cap."""

    kind = "too_large"


class RedirectError(FetchError):
    """A redirect we refuse to follow."""

    kind = "redirect"


class BlockedByRobots(FetchError):
    """robots.txt does not let us fetch this URL."""

    kind = "robots"


class UnsupportedContent(FetchError):
    """Not HTML, XML, a feed or JSON, whatever the Content-Type says."""

    kind = "content"


class NetworkError(FetchError):
    """The connection failed or the server broke HTTP."""

    kind = "network"


class StoreError(MonitorError):
    """The database cannot do what was asked; ``str(e)`` names the file or the row."""


class StoreBusy(StoreError):
    """Another process holds the database's write lock for longer than we wait."""


class Conflict(StoreError):
    """The write contradicts what is stored (a row changed or vanished underneath)."""


class OutputError(MonitorError):
    """A file the user asked for (``-o``) cannot be written; ``str(e)`` names it and why."""


class ChannelError(MonitorError):
    """A channel cannot be built from its configuration."""


class DeliveryError(MonitorError):
    """One delivery failed; the flags tell the outbox whether and when to try again."""

    def __init__(
        self,
        reason: str,
        retry_after: float | None = None,
        permanent: bool = False,
        gone: bool = False,
    ) -> None:
        super().__init__(reason, retry_after, permanent, gone)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.gone = gone

    def __str__(self) -> str:
        return self.reason
