"""What the commands share: the settings of one invocation, tables, output files."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor import config as config_mod
from monitor.config import Config
from monitor.errors import NotFound, OutputError

if TYPE_CHECKING:
    from monitor.shell.store import Database


#: ``-o FILE`` of the commands that can also write to standard output.
OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)


@dataclass
class Settings:
    """What the group's options resolve to, handed to each command."""

    config_path: Path
    db_option: str | None

    def config(self, *, read_only: bool = False) -> Config:
        """The sources file. ``read_only`` commands do without an alert channel whose secret
        is not in this environment (reading the database needs no mail password)."""
        return config_mod.load(self.config_path, need_secrets=not read_only)

    def runnable(self) -> Config:
        """The sources file of a one-pass command: one without sources is refused (the same
        verdict from ``check-config`` and ``fetch-once``; ``run`` without sources still delivers
        the alerts that wait in the outbox)."""
        config = self.config()
        if not config.sources:
            raise click.ClickException(f"{self.config_path}: no sources configured")
        return config

    def db_path(self, config: Config | None) -> Path:
        """``--db``, then ``MONITOR_DB``, then the file's ``database`` (beside the file)."""
        chosen = self.db_option or os.environ.get("MONITOR_DB")
        if chosen:
            return Path(chosen)
        name = (config.database if config else None) or "monitor.db"
        path = Path(name)
        return path if path.is_absolute() else self.config_path.parent / path

    @contextmanager
    def store(self, config: Config | None, *, read_only: bool = False) -> Iterator[Database]:
        """The database of this config, open for one command (a StoreError says why not);
        ``read_only`` for commands that only read it (a file they cannot write still opens)."""
        from monitor.shell.store import open_db

        store = open_db(self.db_path(config), read_only=read_only)
        try:
            yield store
        finally:
            store.close()


@contextmanager
def open_output(path: Path | None, *, binary: bool) -> Iterator[Any]:
    """A file opened for writing (atomically replaced when done), or standard output."""
    if path is None:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    tmp = path.with_name(path.name + ".tmp")
    try:
        out = open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise OutputError(_cannot_write(path, exc)) from None
    with out:
        yield out
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(_cannot_write(path, exc)) from None


def _cannot_write(path: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and not path.parent.exists():
        return f"{path}: cannot write there: no such folder {path.parent}"
    return f"{path}: cannot write: {exc.strerror or exc}"


def write_bytes(path: Path | None, data: bytes) -> None:
    with open_output(path, binary=True) as out:
        out.write(data)


def optional_config(settings: Settings) -> Config | None:
    """Read-only commands work without a config file when ``--db`` names the database."""
    if not settings.config_path.exists() and (settings.db_option or os.environ.get("MONITOR_DB")):
        return None
    return settings.config(read_only=True)


def known_sources(store: Database, config: Config | None, names: Sequence[str]) -> None:
    """NotFound naming the known sources when a ``--source`` names none of them: an empty
    answer would read as "nothing stored yet"."""
    if not names:
        return
    from monitor.shell.store import sources as stored

    known = stored.fetch_source_names(store)
    known |= {s.name for s in config.sources} if config else set()
    unknown = [n for n in names if n not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "none yet"
        raise NotFound(f"no source named {unknown[0]!r} (known: {listed})")


def known_channel(config: Config | None, channel: str, stored: set[str]) -> None:
    """NotFound naming the known channels (the file's, and ``stored``: those the database
    holds alerts or a state for) when ``channel`` is none of them."""
    known = (set(config.channels()) if config else set()) | stored
    if channel not in known:
        listed = ", ".join(sorted(known)) or "none"
        raise NotFound(f"no alert channel named {channel!r} (known: {listed})")


def http_url_param(value: str | None) -> str | None:
    """``--url``, checked as the file's URLs are."""
    try:
        return None if value is None else config_mod.http_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def flag_cell(row: dict[str, Any]) -> str:
    parts = ["AGREEMENT"] if row["agreement"] else []
    parts.extend(row["countries"])
    return ("* " if row["flagged"] else "") + " ".join(parts)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain aligned table whose last column is cut to fit the terminal."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    total = shutil.get_terminal_size((120, 20)).columns
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths[-1] = max(10, min(widths[-1], total - fixed))
    for n, row in enumerate(cells):
        line = "  ".join(
            (c if len(c) <= w else c[: w - 1] + "…").ljust(w)
            for c, w in zip(row, widths, strict=True)
        )
        click.echo(line.rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))
