"""The README, --help and the Datasette metadata agree with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from monitor import config as config_mod
from monitor.cli import cli
from monitor.options import CHANNEL_OPTIONS
from monitor.shell.store import open_db

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _table_keys(text: str, heading: str) -> set[str]:
    """First-column keys of the table that follows ``heading``."""
    block = text[text.index(heading) :]
    rows = re.findall(r"^\| `([a-z_]+)` \|", block.split("\n\n", 2)[1], re.M)
    return set(rows)


def _fields(model: type) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert README.index("```bash") < README.index("\n## ")
    assert len(block) == 2
    assert "monitor fetch-once" in block[0] and "pytest" in block[1]


def test_config_reference_matches_the_schema() -> None:
    ref = _section("Configuration")
    assert _table_keys(ref, "Top level:") == _fields(config_mod.Config)
    assert _table_keys(ref, "Each source:") == _fields(config_mod.SourceConfig)
    channel_keys: set[str] = set()
    for model in CHANNEL_OPTIONS.values():
        channel_keys |= _fields(model)
    assert _table_keys(ref, "Each alert channel") == channel_keys


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((prefix + name, command))
        if isinstance(command, click.Group):
            out += _commands(command, prefix + name + " ")
    return out


@pytest.mark.parametrize(("name", "command"), _commands(cli), ids=lambda v: str(v))
def test_every_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    assert command.help and len(command.help) > 20, f"{name} has no help"
    assert f"`monitor {name}" in _section("Commands"), f"README does not list monitor {name}"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"monitor {name} {param.opts[0]} has no help"


def test_datasette_metadata_names_real_tables_and_columns(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    meta = json.loads((ROOT / "monitor" / "data" / "datasette.json").read_text())
    tables = meta["databases"]["monitor"]["tables"]
    names = [*store.table_names(), *store.view_names()]
    real = {t for t in names if "_fts" not in t and not t.startswith("_")}
    assert set(tables) == real, "every table and view described, and only real ones"
    for name, table in tables.items():
        columns = {c.name for c in store[name].columns}
        assert set(table.get("columns", {})) == columns, name
        facets = {f["array"] if isinstance(f, dict) else f for f in table.get("facets", [])}
        assert facets <= columns, name
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "news.db"), "datasette-metadata"])
    assert list(json.loads(result.output)["databases"]) == ["news"]
