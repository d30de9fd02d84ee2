"""``sources.yaml`` -> a validated :class:`Config`, refused whole before anything runs.

Every mistake becomes one line naming the file, the line, the item and the key, with a hint where
one helps: ``sources.yaml:12: sources[2] 'isis': unknown key 'link_selectr' (did you mean
'link_selector'?)``. All mistakes are reported at once, so a user fixes the file in one go.
Secrets only ever arrive through ``${NAME}`` references to the environment. The source kinds
and alert channels, and the options each reads, come from ``monitor.options``, the declaration
that the registries (``KINDS``, ``CHANNELS``) share: an option its kind does not read is a
mistake too.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml  # type: ignore[import-untyped, unused-ignore]  # stubs: types-PyYAML
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from monitor.errors import ConfigError, NotFound
from monitor.options import (
    CHANNEL_OPTIONS,
    KIND_OPTIONS,
    AppriseChannelConfig,
    ChannelOptions,
    EmailChannelConfig,
    HttpUrl,
    ListingOptions,
    Options,
    WebhookChannelConfig,
    css_selector,
    http_url,
)

__all__ = [
    "AppriseChannelConfig",
    "ChannelConfig",
    "Config",
    "ConfigError",
    "EmailChannelConfig",
    "SourceConfig",
    "WebhookChannelConfig",
    "http_url",
    "load",
    "loads",
    "masked",
    "parse_duration",
]

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
    def _interval(cls, v: Any) -> float:
        seconds = parse_duration(v)
        if seconds < 60:
            raise ValueError("an interval under 1 minute would hammer the site (use 1m or more)")
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
    count_demonyms: bool = True
    agreement_terms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    exclude_terms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    min_delay: float = Field(default=1.0, ge=0, le=60)
    max_crawl_delay: float = Field(default=30.0, ge=0, le=600)
    request_timeout: float = 30.0
    max_page_bytes: int = Field(default=10 * 2**20, ge=1024, le=200 * 2**20)
    concurrency: int = Field(default=8, ge=1, le=64)
    workers: int = Field(default=0, ge=0, le=64)
    failing_after: int = Field(default=6, ge=1, le=1000)
    empty_after: int = Field(default=3, ge=1, le=1000)
    max_backoff: float = 6 * 3600.0
    sources: tuple[SourceConfig, ...] = ()
    alerts: tuple[ChannelConfig, ...] = ()

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


# --- loading -------------------------------------------------------------------------------


def load(path: str | Path, env: Mapping[str, str] | None = None) -> Config:
    """Read, expand ``${VARS}`` and validate a configuration file, or raise :class:`ConfigError`."""
    path = Path(path)
    label = str(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: no such file (create one with `monitor init`)"], label
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot be read: {exc}"], label) from None
    return loads(raw_text, label=label, env=os.environ if env is None else env)


def loads(text: str, *, label: str = "sources.yaml", env: Mapping[str, str]) -> Config:
    """Validate configuration text; ``label`` names the file in messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}" if mark else label
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError([f"{where}: not valid YAML: {problem}"], label) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([f"{label}:1: the file must be a mapping with a 'sources' list"], label)
    lines = _line_map(node)
    missing: list[tuple[Loc, str]] = []
    expanded = _expand_env(data, env, (), missing)
    problems = [
        f"{_where(loc, data, label, lines)}: environment variable {name} is not set"
        for loc, name in missing
    ]
    problems.extend(_duplicate_names(data, label, lines))
    problems.extend(_inline_secrets(data, label, lines))
    try:
        config = Config.model_validate(expanded)
    except ValidationError as exc:
        problems.extend(line for err in exc.errors() for line in _describe(err, data, label, lines))
    if problems:
        raise ConfigError(sorted(dict.fromkeys(problems), key=_line_of), label)
    return config


def _line_of(problem: str) -> int:
    match = re.match(r"[^:]*:(\d+):", problem)
    return int(match.group(1)) if match else 0


Loc = tuple[str | int, ...]


def _line_map(node: yaml.Node | None, loc: Loc = ()) -> dict[Loc, int]:
    """Map each key path to its 1-based line, so errors can point into the file."""
    out: dict[Loc, int] = {}
    if node is None:
        return out
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            out[(*loc, k)] = key.start_mark.line + 1
            out.update({p: n for p, n in _line_map(value, (*loc, k)).items() if p != (*loc, k)})
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.update(_line_map(item, (*loc, i)))
    return out


def _where(loc: Loc, data: Any, label: str, lines: dict[Loc, int], at: Loc | None = None) -> str:
    """``file:line: sources[2] 'isis': key`` for a path into the data (line of ``at`` if given)."""
    at = loc if at is None else at
    line = next((lines[at[:n]] for n in range(len(at), -1, -1) if at[:n] in lines), None)
    parts = [f"{label}:{line}" if line else label]
    text = ""
    node: Any = data
    for step in loc:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            text += f"[{step}]" + (f" {name!r}" if isinstance(name, str) else "")
            node = item
        else:
            if text:
                parts.append(text)
            text = str(step)
            node = node.get(step) if isinstance(node, dict) else None
    if text:
        parts.append(text)
    return ": ".join(parts)


def _describe(err: Any, data: Any, label: str, lines: dict[Loc, int]) -> list[str]:
    """One line per mistake that pydantic found (one error may hold several)."""
    loc: Loc = tuple(err["loc"])
    if err["type"] == "option_not_read":
        kind, keys = err["ctx"]["kind"], err["ctx"]["keys"]
        return [
            f"{_where(loc, data, label, lines, at=(*loc, key))}: {unread_option(kind, key)}"
            for key in keys
        ]
    return [_one_problem(loc, err, data, label, lines)]


def _one_problem(loc: Loc, err: Any, data: Any, label: str, lines: dict[Loc, int]) -> str:
    if len(loc) > 2 and loc[0] == "alerts" and loc[2] in CHANNEL_OPTIONS:
        loc = loc[:2] + loc[3:]  # pydantic puts the union's tag in the path
    kind = err["type"]
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        known = ", ".join(CHANNEL_OPTIONS)
        return f"{_where(loc, data, label, lines)}: kind must be one of {known}"
    if kind == "extra_forbidden":
        parent, key = loc[:-1], str(loc[-1])
        model = _model_at(parent, data)
        hint = difflib.get_close_matches(key, list(model.model_fields), n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        return f"{_where(parent, data, label, lines, at=loc)}: unknown key {key!r}{suggestion}"
    message = err["msg"].removeprefix("Value error, ")
    if kind == "missing":
        return f"{_where(loc[:-1], data, label, lines)}: missing required key {str(loc[-1])!r}"
    return f"{_where(loc, data, label, lines)}: {message}"


def _model_at(loc: Loc, data: Any = None) -> type[BaseModel]:
    if loc and loc[0] == "sources":
        return SourceConfig
    if loc and loc[0] == "alerts" and len(loc) > 1 and isinstance(data, dict):
        items = data.get("alerts") or []
        item = items[loc[1]] if isinstance(loc[1], int) and loc[1] < len(items) else {}
        kind = item.get("kind") if isinstance(item, dict) else None
        return CHANNEL_OPTIONS.get(str(kind), ChannelOptions)
    return Config


def _inline_secrets(data: dict[str, Any], label: str, lines: dict[Loc, int]) -> list[str]:
    """A password written into the file would end up in backups and commits: refuse it."""
    problems = []
    alerts = data.get("alerts")
    for i, item in enumerate(alerts if isinstance(alerts, list) else []):
        if not isinstance(item, dict):
            continue
        for key in SECRET_KEYS & set(item):
            values = item[key] if isinstance(item[key], list) else [item[key]]
            if any(isinstance(v, str) and v and not _ENV_REF.search(v) for v in values):
                where = _where(("alerts", i, key), data, label, lines)
                problems.append(
                    f"{where}: secrets come from the environment: write "
                    f"{key}: ${{MONITOR_{key.upper()}}} and set that variable"
                )
    return problems


def _duplicate_names(data: dict[str, Any], label: str, lines: dict[Loc, int]) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    sources = data.get("sources")
    if not isinstance(sources, list):
        return []
    for i, src in enumerate(sources):
        name = src.get("name") if isinstance(src, dict) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            where = _where(("sources", i, "name"), data, label, lines)
            problems.append(f"{where}: duplicate name (also sources[{seen[name]}])")
        else:
            seen[name] = i
    return problems


def _expand_env(
    value: Any, env: Mapping[str, str], loc: Loc, missing: list[tuple[Loc, str]]
) -> Any:
    """Replace ``${NAME}`` in every string; a missing variable is a mistake, not an empty string."""
    if isinstance(value, dict):
        return {k: _expand_env(v, env, (*loc, k), missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, env, (*loc, i), missing) for i, v in enumerate(value)]
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            if match.group(1) not in env:
                missing.append((loc, match.group(1)))
                return ""
            return env[match.group(1)]

        return _ENV_REF.sub(sub, value)
    return value


def masked(config: Config) -> dict[str, Any]:
    """The resolved configuration as plain data, every secret replaced by ``***``."""
    data = config.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    for channel in data.get("alerts", []):
        for key in SECRET_KEYS & set(channel):
            value = channel[key]
            if value:
                channel[key] = ["***"] * len(value) if isinstance(value, list) else "***"
    for source in data.get("sources", []):
        for key in _KIND_KEYS - set(KIND_OPTIONS[source["kind"]].model_fields):
            source.pop(key, None)  # what its kind does not read would only mislead
        source["interval"] = _human_seconds(source["interval"])
    data["request_timeout"] = _human_seconds(data["request_timeout"])
    data["max_backoff"] = _human_seconds(data["max_backoff"])
    return data


def _human_seconds(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def starter_config() -> str:
    """The commented starter file ``monitor init`` writes."""
    return (Path(__file__).parent / "data" / "starter.yaml").read_text(encoding="utf-8")
