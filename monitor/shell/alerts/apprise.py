"""The apprise channel: any of apprise's services (Telegram, Matrix, ntfy...) through its URLs.

Optional: ``pip install monitor[apprise]``. Apprise reports success as one boolean, so every
failure is treated as transient and retried on the schedule.
"""

from __future__ import annotations

import importlib
from typing import Any

from monitor.config import AppriseChannelConfig
from monitor.shell.alerts.channel import ChannelError, DeliveryError
from monitor.shell.alerts.message import Message


class AppriseChannel:
    """Any of apprise's services (needs ``pip install monitor[apprise]``)."""

    def __init__(
        self, config: AppriseChannelConfig, name: str | None = None, user_agent: str = ""
    ) -> None:
        self.config = config
        self.name = name or config.name or config.kind
        try:
            self._apprise: Any = importlib.import_module("apprise")
        except ImportError:
            raise ChannelError(
                f"alert channel {self.name!r}: the apprise package is not installed"
                " (pip install monitor[apprise])"
            ) from None

    def send(self, alert: Message) -> None:
        """Notify every configured apprise URL; one failure makes the whole alert retry."""
        notifier = self._apprise.Apprise()
        for url in self.config.urls:
            if not notifier.add(url):
                raise DeliveryError(
                    f"apprise {self.name}: an apprise URL is not understood", permanent=True
                )
        body_format = getattr(self._apprise, "NotifyFormat", None)
        kwargs = {"body_format": body_format.HTML} if body_format else {}
        if not notifier.notify(title=alert.subject, body=alert.html, **kwargs):
            raise DeliveryError(f"apprise {self.name}: a service did not accept the alert")
