"""What every alert channel is: built from its config, one ``send`` that succeeds or says why not.

The errors, drawn once::

    ChannelError      the channel cannot even be built (a missing optional package)
    DeliveryError     one send failed; its flags decide what the outbox does next:
        (plain)       transient: retry on the schedule (or later, if ``retry_after`` says so)
        permanent     the receiver refused this alert for good: it goes dead at once
        gone          the receiver is gone (HTTP 410): the channel is disabled, alerts stay pending
"""

from __future__ import annotations

from typing import Protocol

from monitor.shell.alerts.message import Message


class ChannelError(Exception):
    """A channel cannot be built from its configuration."""


class DeliveryError(Exception):
    """One delivery failed; the flags tell the outbox whether and when to try again."""

    def __init__(
        self,
        reason: str,
        retry_after: float | None = None,
        permanent: bool = False,
        gone: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.gone = gone


class Channel(Protocol):
    """A way to reach the analyst; ``send`` raises :class:`DeliveryError` when it did not."""

    name: str

    def send(self, alert: Message) -> None: ...
