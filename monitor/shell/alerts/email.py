"""The email channel: one multipart (text + HTML) mail per alert through an SMTP server.

``security: tls`` connects with implicit TLS (port 465), ``starttls`` upgrades a plain connection
(port 587), both verifying the server's certificate with ``ssl.create_default_context()``
(``smtplib.starttls()`` without a context verifies nothing). ``none`` is for a local relay.
The ``Message-ID`` is ``<{message_id}@monitor>``, the same on every retry, so a mail client or a
filter can drop the duplicate a crash between sending and recording may cause.
SMTP 4xx answers and unreachable servers are transient; 5xx answers are permanent.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import smtplib
import ssl
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP

from monitor.config import EmailChannelConfig
from monitor.core.text import one_line
from monitor.shell.alerts.channel import DeliveryError
from monitor.shell.alerts.message import Message

log = logging.getLogger(__name__)


def encoded_subject(subject: str) -> str:
    """The subject as RFC 2047 encoded words, folded at 78 columns, every space kept.

    Python 3.11's own folding (``policy=SMTP``) splits a long non-ASCII subject into encoded
    words with the space between two of them outside both, and decoders drop whitespace
    between encoded words: "вырос на 15 процентов" arrived as "вырос на 15процентов". The
    older ``Header`` encoder keeps each space inside a word; ``set_raw`` stores that text as
    it is (its lines are short, so the policy does not fold it again). ``subject`` is one line.
    """
    return Header(subject, "utf-8", maxlinelen=78, header_name="Subject").encode()


class EmailChannel:
    """Mail through an SMTP server: one message per new flagged story, or a digest per pass."""

    def __init__(
        self, config: EmailChannelConfig, name: str | None = None, user_agent: str = ""
    ) -> None:
        self.config = config
        self.name = name or config.name or config.kind
        self.where = f"{config.smtp_host}:{config.smtp_port}"

    def compose(self, alert: Message) -> EmailMessage:
        """The mail itself; headers come only from config and sanitised strings."""
        mail = EmailMessage(policy=SMTP)
        mail.set_raw("Subject", encoded_subject(one_line(alert.subject)))
        mail["From"] = self.config.from_
        mail["To"] = ", ".join(self.config.to)
        mail["Date"] = email.utils.format_datetime(alert.sent_at)
        mail["Message-ID"] = f"<{alert.message_id}@monitor>"
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(alert.text)
        mail.add_alternative(alert.html, subtype="html")
        return mail

    def send(self, alert: Message) -> None:
        """Hand the mail to the server, or raise :class:`DeliveryError` saying why not."""
        mail = self.compose(alert)
        try:
            smtp = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            raise self._error(exc) from exc
        try:
            if self.config.username:
                smtp.login(self.config.username, self.config.password or "")
            refused = smtp.send_message(mail, self.config.from_, list(self.config.to))
        except (smtplib.SMTPException, OSError) as exc:
            raise self._error(exc) from exc
        finally:
            # The mail is accepted once DATA succeeded: a failed QUIT must not cause a resend.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()
        if refused:
            log.warning("smtp %s refused some recipients: %s", self.where, sorted(refused))

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        if cfg.security == "tls":
            return smtplib.SMTP_SSL(
                cfg.smtp_host,
                cfg.smtp_port,
                timeout=cfg.timeout,
                context=ssl.create_default_context(),
            )
        smtp = smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.timeout)
        if cfg.security == "starttls":
            try:
                smtp.starttls(context=ssl.create_default_context())
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _error(self, exc: BaseException) -> DeliveryError:
        """Classify an SMTP failure: 4xx and network trouble retry, 5xx is final."""
        where = f"smtp {self.where}"
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _ in exc.recipients.values()]
            permanent = all(500 <= c < 600 for c in codes)
            return DeliveryError(f"{where}: recipients refused: {codes}", permanent=permanent)
        if isinstance(exc, smtplib.SMTPResponseException):
            detail = exc.smtp_error
            text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
            reason = f"{where}: {exc.smtp_code} {one_line(text, 200)}"
            return DeliveryError(reason, permanent=500 <= exc.smtp_code < 600)
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return DeliveryError(f"{where}: {exc} (check 'security')", permanent=True)
        if isinstance(exc, ConnectionRefusedError):
            return DeliveryError(f"{where}: connection refused")
        if isinstance(exc, TimeoutError):
            return DeliveryError(f"{where}: timed out after {self.config.timeout:g}s")
        return DeliveryError(f"{where}: {type(exc).__name__}: {one_line(str(exc), 200)}")
