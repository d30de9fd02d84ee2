"""A starter sources.yaml, and checking one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
import yaml  # type: ignore[import-untyped, unused-ignore]  # stubs: types-PyYAML

from monitor.config import masked, starter_config
from monitor.config.model import duration_label

if TYPE_CHECKING:
    pass
from monitor.cli.common import Settings
from monitor.cli.root import cli


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing sources.yaml.")
def init(directory: Path, force: bool) -> None:
    """Write a commented starter sources.yaml (two institutes, countries, mail and webhook)."""
    target = directory / "sources.yaml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; use --force to overwrite it")
    directory.mkdir(parents=True, exist_ok=True)
    target.write_text(starter_config(), encoding="utf-8")
    click.echo(f"wrote {target}. Next:")
    click.echo("  1. edit it: your contact in user_agent, your countries, your mail server")
    click.echo("  2. export MONITOR_SMTP_PASSWORD=... MONITOR_WEBHOOK_SECRET=...")
    click.echo(f"  3. monitor --config {target} check-config")
    click.echo(f"  4. monitor --config {target} test-alert")
    click.echo(f"  5. monitor --config {target} fetch-once   (then `monitor run` as a service)")


@cli.command("check-config")
@click.pass_obj
def check_config(settings: Settings) -> None:
    """Validate the sources file and print it as resolved, secrets masked."""
    config = settings.runnable()
    click.echo(
        f"# {settings.config_path}: valid, {len(config.sources)} sources, "
        f"{len(config.alerts)} alert channels; database {settings.db_path(config)}; "
        f"intervals of {duration_label(config.min_interval)} or more (min_interval)"
    )
    click.echo(yaml.safe_dump(masked(config), allow_unicode=True, sort_keys=False), nl=False)
