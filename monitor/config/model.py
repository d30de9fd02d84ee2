"""The configuration's schema: the file's top level, each source and its kind's options."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from monitor.errors import NotFound
from monitor.options import (
    CHANNEL_OPTIONS,
    KIND_OPTIONS,
    ChannelOptions,
    HttpUrl,
    ListingOptions,
    Options,
    css_selector,
)

DEFAULT_USER_AGENT = "monitor/0.1 (+https://github.com/monitor-news/monitor)"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)", re.I)
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


#: CLDR's two-letter region codes (babel's ``Locale('en').territories``), written out: loading
#: the locale data to validate a list of codes would cost the polling process ~5 MB for good.
#: tests/test_config.py checks that the list still matches CLDR.
COUNTRY_CODES = frozenset(
    """
    AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CQ CR CU CV CW CX CY CZ DE DG DJ
    DK DM DO DZ EA EC EE EG EH ER ES ET EU EZ FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN
    GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN
    MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK
    PL PM PN PR PS PT PW PY QA QO RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS
    ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN US UY UZ VA VC
    VE VG VI VN VU WF WS XA XB XK YE YT ZA ZM ZW ZZ
    """.split()  # noqa: SIM905  (a block of codes reads better than 264 quoted items)
)


def parse_duration(value: str | int | float) -> float:
    """Seconds from ``90``, ``"45s"``, ``"30m"``, ``"1h30m"`` or ``"1d"``."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 30m, 1h or 1d")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = value.strip().replace(" ", "")
        parts = _DURATION.findall(text)
        if not parts or "".join(n + u for n, u in parts).lower() != text.lower():
            raise ValueError(f"{value!r} is not a duration (use e.g. 90s, 30m, 1h30m, 1d)")
        seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts)
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds


#: The shortest interval a source may have, unless the file's ``min_interval`` says otherwise:
#: an institute's news page changes a few times a day, and a poll a minute is already plenty.
DEFAULT_MIN_INTERVAL = 60.0


def duration_label(seconds: float) -> str:
    """``1 minute``, ``5 seconds``, ``2 hours``: a duration as the file's reader writes it."""
    for unit, size in (("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}" + ("s" if n != 1 else "")
    return f"{seconds:g} seconds"


class SourceOptions(Options):
    """What every source has, whatever its kind: the pass reads these (the article selectors
    are for article pages, which every kind leads to)."""

    name: str
    url: HttpUrl
    kind: str = "auto"
    language: str | None = None
    interval: float = 1800.0
    timezone: str | None = None
    enabled: bool = True
    title_selector: str | None = None
    date_selector: str | None = None
    body_selector: str | None = None
    max_articles: int = Field(default=200, ge=1, le=10_000)
    allow_hosts: tuple[str, ...] = ()

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in KIND_OPTIONS:
            known = ", ".join(KIND_OPTIONS)
            raise ValueError(f"{v!r} is not a kind; use one of {known} (monitor sources kinds)")
        return v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError("use letters, digits, '-', '_' or '.' (at most 64)")
        return v

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, v: Any, info: ValidationInfo) -> float:
        seconds = parse_duration(v)
        floor = (info.context or {}).get("min_interval", DEFAULT_MIN_INTERVAL)
        if seconds < floor:
            raise ValueError(
                f"an interval under {duration_label(floor)} would hammer the site (use "
                f"{duration_label(floor)} or more; min_interval lowers the floor for sites you own)"
            )
        return seconds

    @field_validator("language")
    @classmethod
    def _language(cls, v: str | None) -> str | None:
        return None if v is None else _language_code(v)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown timezone {v!r} (use e.g. Asia/Almaty)") from None
        return v

    _article_selectors = field_validator("title_selector", "date_selector", "body_selector")(
        css_selector
    )


#: The kinds' own options (``monitor.options.KIND_OPTIONS``), each read by some kinds only.
_KIND_KEYS = {key for model in KIND_OPTIONS.values() for key in model.model_fields}


class SourceConfig(ListingOptions, SourceOptions):
    """One watched page: every source's options, and those of its kind (an option its kind
    does not read is an error: a ``max_pages`` on a feed would be silently ignored).

    The bases are every options model of ``KIND_OPTIONS``, so that the code reads
    ``source.max_pages`` typed; a kind with a new model adds it here (the check below says so).
    """

    @model_validator(mode="after")
    def _kind_options(self) -> SourceConfig:
        reads = KIND_OPTIONS[self.kind].model_fields
        unread = sorted(self.model_fields_set & (_KIND_KEYS - set(reads)), key=_field_order)
        if unread:
            raise PydanticCustomError(
                "option_not_read",
                "options {keys} are not read by kind {kind!r}",
                {"keys": unread, "kind": self.kind},
            )
        return self

    @property
    def selectors(self) -> dict[str, str]:
        """Article selectors as the extractor takes them."""
        pairs = {
            "title": self.title_selector,
            "date": self.date_selector,
            "body": self.body_selector,
        }
        return {k: v for k, v in pairs.items() if v}


_MISSING = _KIND_KEYS - set(SourceConfig.model_fields)
if _MISSING:  # a kind's options model is not among SourceConfig's bases
    raise ImportError(f"SourceConfig lacks the kinds' options {sorted(_MISSING)}")


def _field_order(key: str) -> int:
    return list(SourceConfig.model_fields).index(key)


def unread_option(kind: str, key: str) -> str:
    """Why ``key`` is refused on a source of ``kind``, with the kinds that do read it."""
    own = ", ".join(KIND_OPTIONS[kind].model_fields) or "no options of its own"
    readers = ", ".join(k for k, model in KIND_OPTIONS.items() if key in model.model_fields)
    return (
        f"option {key!r} is not read by kind {kind!r} "
        f"(it reads: {own}; kinds that read it: {readers})"
    )


if TYPE_CHECKING:
    ChannelConfig = ChannelOptions
else:  # the discriminated union of the declared channels' models
    ChannelConfig = Annotated[Union[tuple(CHANNEL_OPTIONS.values())], Field(discriminator="kind")]  # noqa: UP007
#: Keys whose value must come from the environment: a secret never sits in the file.
SECRET_KEYS = frozenset({"password", "secret", "urls"})


class Config(Options):
    """The whole validated ``sources.yaml``."""

    database: str | None = None
    user_agent: str = DEFAULT_USER_AGENT
    countries: tuple[str, ...] = ()
    #: Preferred languages for a story's title, first first ("en", "ru", ...).
    languages: tuple[str, ...] = ()
    count_demonyms: bool = True
    agreement_terms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    exclude_terms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    min_delay: float = Field(default=1.0, ge=0, le=60)
    max_crawl_delay: float = Field(default=30.0, ge=0, le=600)
    request_timeout: float = 30.0
    max_page_bytes: int = Field(default=10 * 2**20, ge=1024, le=200 * 2**20)
    #: Requests open at once across all hosts (still one at a time per host, ``min_delay``
    #: apart): what bounds a pass's network work, not a count of sources.
    open_requests: int = Field(default=16, ge=1, le=256)
    workers: int = Field(default=0, ge=0, le=64)
    failing_after: int = Field(default=6, ge=1, le=1000)
    empty_after: int = Field(default=3, ge=1, le=1000)
    max_backoff: float = 6 * 3600.0
    #: The floor of every source's ``interval`` (lower it only for sites you own or test).
    min_interval: float = DEFAULT_MIN_INTERVAL
    #: ``host:port`` where the daemon serves Prometheus metrics (``/metrics``); off when unset.
    metrics_address: str | None = None
    sources: tuple[SourceConfig, ...] = ()
    alerts: tuple[ChannelConfig, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, data: Any) -> Any:
        # ``concurrency`` (sources polled at once) became ``open_requests`` in December 2026:
        # sources of different hosts now all run at once, and what is bounded is the requests.
        if isinstance(data, dict) and "concurrency" in data and "open_requests" not in data:
            data = {**data, "open_requests": data["concurrency"]}
            del data["concurrency"]
        return data

    @field_validator("metrics_address")
    @classmethod
    def _metrics_address(cls, v: str | None) -> str | None:
        if v is None:
            return v
        host, sep, port = v.rpartition(":")
        if not sep or not host or "/" in v or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{v!r} is not host:port (for example 127.0.0.1:9108)")
        return v

    @field_validator("min_interval", mode="before")
    @classmethod
    def _min_interval(cls, v: Any) -> float:
        seconds = parse_duration(v)
        if seconds < 1:
            raise ValueError("min_interval must be at least 1s")
        return seconds

    @model_validator(mode="after")
    def _channel_names(self) -> Config:
        names = [c.name or c.kind for c in self.alerts]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"alert channels need distinct names; give each a name: {dupes}")
        return self

    def channels(self) -> dict[str, ChannelConfig]:
        """Enabled alert channels by name (the name defaults to the kind)."""
        return {c.name or c.kind: c for c in self.alerts if c.enabled}

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_language_code(str(code)) for code in v)

    @field_validator("countries")
    @classmethod
    def _countries(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for code in v:
            upper = str(code).upper()
            if upper not in COUNTRY_CODES:
                raise ValueError(f"unknown country code {code!r} (use ISO 3166-1 alpha-2, e.g. KZ)")
            out.append(upper)
        return tuple(dict.fromkeys(out))

    @field_validator("agreement_terms", "exclude_terms")
    @classmethod
    def _terms(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {_language_code(lang): terms for lang, terms in v.items()}

    @field_validator("request_timeout", "max_backoff", mode="before")
    @classmethod
    def _durations(cls, v: Any) -> float:
        return parse_duration(v)

    @field_validator("user_agent")
    @classmethod
    def _user_agent(cls, v: str) -> str:
        if not v.strip() or any(c in v for c in "\r\n"):
            raise ValueError("a User-Agent is one non-empty line")
        return v

    def source(self, name: str) -> SourceConfig:
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources) or "none"
        raise NotFound(f"no source named {name!r} (known: {known})")


def _language_code(value: str) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    code = {"kz": "kk"}.get(code, code)
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ValueError(f"{value!r} is not an ISO 639-1 language code (e.g. en, ru, kk, ms)")
    return code
