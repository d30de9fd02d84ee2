"""What every alert channel is: built from its config, one ``send`` that succeeds or says why not.

The errors (defined in ``monitor.errors``, under ``MonitorError``)::

    ChannelError      the channel cannot even be built (a missing optional package)
    DeliveryError     one send failed; its flags decide what the outbox does next:
        (plain)       transient: retry on the schedule (or later, if ``retry_after`` says so)
        permanent     the receiver refused this alert for good: it goes dead at once
        gone          the receiver is gone (HTTP 410): the channel is disabled, alerts stay pending
"""

from __future__ import annotations

from typing import Protocol

from monitor.errors import ChannelError, DeliveryError
from monitor.shell.alerts.message import Message

__all__ = ["Channel", "ChannelError", "DeliveryError"]


class Channel(Protocol):
    """A way to reach the analyst; ``send`` raises :class:`DeliveryError` when it did not."""

    name: str

    def send(self, alert: Message) -> None: ...
