"""Reading ``sources.yaml``: YAML with line numbers, ``${VARS}`` from the environment, and every
mistake as one line naming the file, the line, the item and the key, all reported at once.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]  # stubs: types-PyYAML
from pydantic import BaseModel, ValidationError

from monitor.config.model import (
    _ENV_REF,
    _KIND_KEYS,
    DEFAULT_MIN_INTERVAL,
    SECRET_KEYS,
    Config,
    SourceConfig,
    parse_duration,
    unread_option,
)
from monitor.errors import ConfigError
from monitor.options import CHANNEL_OPTIONS, KIND_OPTIONS, ChannelOptions


def load(
    path: str | Path, env: Mapping[str, str] | None = None, *, need_secrets: bool = True
) -> Config:
    """Read, expand ``${VARS}`` and validate a configuration file, or raise :class:`ConfigError`.

    ``need_secrets=False``: an alert channel whose ``${VAR}`` is not set is left out instead
    of refused, for commands that only read the database.
    """
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
    return loads(
        raw_text, label=label, env=os.environ if env is None else env, need_secrets=need_secrets
    )


def loads(
    text: str, *, label: str = "sources.yaml", env: Mapping[str, str], need_secrets: bool = True
) -> Config:
    """Validate configuration text; ``label`` names the file in messages (``need_secrets``:
    as in :func:`load`)."""
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
    if not need_secrets:
        expanded, missing = _without_unset_channels(expanded, missing)
    problems = [
        f"{_where(loc, data, label, lines)}: environment variable {name} is not set"
        for loc, name in missing
    ]
    problems.extend(_duplicate_names(data, label, lines))
    problems.extend(_inline_secrets(data, label, lines))
    try:
        config = Config.model_validate(expanded, context={"min_interval": _floor(expanded)})
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


def _floor(data: dict[str, Any]) -> float:
    """The file's ``min_interval`` for the sources' intervals (its own mistakes are reported
    by its own validator; the default stands in meanwhile)."""
    try:
        return max(1.0, parse_duration(data.get("min_interval", DEFAULT_MIN_INTERVAL)))
    except (TypeError, ValueError):
        return DEFAULT_MIN_INTERVAL


def _without_unset_channels(
    expanded: dict[str, Any], missing: list[tuple[Loc, str]]
) -> tuple[dict[str, Any], list[tuple[Loc, str]]]:
    """The configuration without the alert channels whose variables are not set."""
    unset = {loc[1] for loc, _ in missing if len(loc) > 1 and loc[0] == "alerts"}
    if unset and isinstance(expanded.get("alerts"), list):
        kept = [c for i, c in enumerate(expanded["alerts"]) if i not in unset]
        expanded = {**expanded, "alerts": kept}
    return expanded, [(loc, name) for loc, name in missing if not (loc and loc[0] == "alerts")]


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
    return resources.files("monitor").joinpath("data/starter.yaml").read_text(encoding="utf-8")
