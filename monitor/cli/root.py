"""The root ``monitor`` group: global options, and the one place library errors are printed.

Each command parses its options, calls one library function and prints. Library errors
(``monitor.errors.MonitorError``) become a one-line ``click.ClickException`` here and nowhere
else.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor import logs
from monitor.errors import ConfigError, MonitorError

if TYPE_CHECKING:
    pass
from monitor.cli.common import Settings


class _Monitor(click.Group):
    """The root group: a library error becomes the user's one-line message here, and only here."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MonitorError as exc:
            raise click.ClickException(_message(exc)) from exc


def _message(exc: MonitorError) -> str:
    if isinstance(exc, ConfigError) and exc.label:
        return f"{exc.label} is not valid, nothing was run:\n{exc}"
    return str(exc)


@click.group(cls=_Monitor, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="sources.yaml",
    show_default=True,
    envvar="MONITOR_CONFIG",
    help="The sources file.",
)
@click.option("--db", "db", help="SQLite database file (default: MONITOR_DB, else the file's).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="One line per event; json for log collectors.",
)
@click.pass_context
def cli(
    ctx: click.Context,
    config_path: Path,
    db: str | None,
    verbose: int,
    quiet: bool,
    log_format: str,
) -> None:
    """Watch institutes' news pages: store each article once, flag agreements and countries."""
    levels = (logs.NOTICE, logging.INFO, logging.DEBUG)
    logs.configure(logging.ERROR if quiet else levels[min(verbose, 2)], log_format)
    ctx.obj = Settings(config_path, db)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="monitor")
