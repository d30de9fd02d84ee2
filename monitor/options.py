"""What each source kind and each alert channel reads from ``sources.yaml``, declared once.

``KIND_OPTIONS`` and ``CHANNEL_OPTIONS`` name every kind and channel with the options model it
reads. The registries pair each name with its code (``monitor.shell.kinds.KINDS``,
``monitor.shell.alerts.CHANNELS``, which refuse to import if a name has no code or code no
name); ``monitor.config`` validates each source and channel against its model. This module is
light (pydantic and soupsieve, no I/O), so the CLI and the workers' forkserver can load config
without the HTTP client, the store or the parsers.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Annotated, Literal, TypeVar

import soupsieve
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

T = TypeVar("T")


class Options(BaseModel):
    """Options as the file gives them: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def http_url(value: str) -> str:
    """``value`` if it is an http(s) URL with a host, else ValueError saying so.

    The host is everything up to the first ``/``, ``?`` or ``#``: "https://my site.org/news"
    has "my site.org" for a host, which no request can reach (a space typed in the name).
    """
    found = re.match(r"^https?://([^/?#]*)", value)
    netloc = found.group(1) if found else ""
    if not netloc or netloc.startswith("@"):
        raise ValueError(f"{value!r} is not an http(s) URL")
    if re.search(r"\s", netloc):
        raise ValueError(f"{value!r} has a space in its host {netloc!r}")
    if not _HOST.fullmatch(netloc.rpartition("@")[2]):
        raise ValueError(f"{value!r} has no valid host ({netloc!r})")
    return value


#: A host and optional port as written in a URL: a name (IDNA or not), an IPv4 or [IPv6].
_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[^\s:/?#@\[\]]+)(?::\d{1,5})?")


HttpUrl = Annotated[str, AfterValidator(http_url)]


def css_selector(value: str | None) -> str | None:
    """``value`` if soupsieve compiles it, else ValueError with its first line."""
    if value is not None:
        try:
            soupsieve.compile(value)
        except soupsieve.SelectorSyntaxError as exc:
            raise ValueError(f"bad CSS selector {value!r}: {str(exc).splitlines()[0]}") from None
    return value


# --- source kinds ---------------------------------------------------------------------------


class NoOptions(Options):
    """A kind that reads only the options every source has."""


class PagedOptions(Options):
    """How far back a paged endpoint is read, and which of its links count (kinds html, auto
    and json)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages: int = Field(default=5, ge=1, le=100)

    @field_validator("include", "exclude")
    @classmethod
    def _regexes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in v:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return v


class ListingOptions(PagedOptions):
    """How an HTML listing gives up its article links (kinds html and auto, which falls back
    to the listing)."""

    link_selector: str | None = None

    _link_selector = field_validator("link_selector")(css_selector)


#: Each source kind and the options model of what its code reads (beyond every source's own).
KIND_OPTIONS: dict[str, type[Options]] = {
    "auto": ListingOptions,
    "html": ListingOptions,
    "rss": NoOptions,
    "sitemap": NoOptions,
    "json": PagedOptions,
}


# --- alert channels -------------------------------------------------------------------------


class ChannelOptions(Options):
    """Options every alert channel has."""

    kind: str
    name: str | None = None
    enabled: bool = True
    timeout: float = Field(default=30.0, gt=0, le=300)


_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"{value!r} is not an email address")
    return value


class EmailChannelConfig(ChannelOptions):
    """Mail through an SMTP server: one message per new flagged story, or a digest per pass."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: Literal["email"]
    to: tuple[str, ...] = Field(min_length=1)
    from_: str = Field(alias="from")
    smtp_host: str
    smtp_port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: str | None = None
    digest: bool = False

    @field_validator("to")
    @classmethod
    def _to(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_email(a) for a in v)

    @field_validator("from_")
    @classmethod
    def _from(cls, v: str) -> str:
        return _email(v)


WHSEC = "whsec_"


def webhook_key(secret: str) -> bytes:
    """The HMAC key of a webhook secret: ``whsec_<base64>`` decoded, any other as UTF-8 bytes.

    Padding is optional after ``whsec_``, as in the Standard Webhooks libraries: several
    providers print the secret without its ``=``. ValueError when the base64 does not decode;
    the message never holds the secret.
    """
    if not secret.startswith(WHSEC):
        return secret.encode("utf-8")
    text = secret.removeprefix(WHSEC)
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise ValueError(
            f"a {WHSEC} secret is base64 after its prefix, as the provider prints it; this one "
            "does not decode (use the secret as printed, or one without the prefix)"
        )
    return key


class WebhookChannelConfig(ChannelOptions):
    """An HTTP POST of the story: our JSON (Standard Webhooks signature), Slack or Discord."""

    kind: Literal["webhook"]
    url: HttpUrl
    secret: str | None = None
    format: Literal["json", "slack", "discord"] = "json"

    @field_validator("secret")
    @classmethod
    def _secret(cls, v: str | None) -> str | None:
        if v is not None:
            webhook_key(v)  # refused before anything runs, not at the first delivery
        return v


class AppriseChannelConfig(ChannelOptions):
    """Any of apprise's services (needs ``pip install monitor[apprise]``)."""

    kind: Literal["apprise"]
    urls: tuple[str, ...] = Field(min_length=1)


#: Each alert channel kind and the model of its options.
CHANNEL_OPTIONS: dict[str, type[ChannelOptions]] = {
    "email": EmailChannelConfig,
    "webhook": WebhookChannelConfig,
    "apprise": AppriseChannelConfig,
}


def registered(declared: Mapping[str, object], code: Mapping[str, T], what: str) -> dict[str, T]:
    """``code`` in the declared order, or ImportError when a name lacks its code or its options."""
    if set(declared) != set(code):
        raise ImportError(
            f"{what}: declared {sorted(declared)} in monitor.options, but code for {sorted(code)}"
        )
    return {name: code[name] for name in declared}
