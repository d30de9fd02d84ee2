"""The outbox and the channels: alerts, alerts retry / enable, test-alert."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from monitor.core.models import utcnow

if TYPE_CHECKING:
    pass
from monitor.cli.common import Settings, known_channel, optional_config, print_table
from monitor.cli.root import cli


@cli.group(invoke_without_command=True)
@click.option(
    "--state", type=click.Choice(["pending", "sent", "dead"]), help="Only alerts in this state."
)
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.pass_context
def alerts(ctx: click.Context, state: str | None, as_json: bool) -> None:
    """The outbox: every alert queued, with its state, tries and last error."""
    from monitor.shell.store import outbox

    if ctx.invoked_subcommand is not None:
        return
    settings: Settings = ctx.obj
    config = optional_config(settings)
    with settings.store(config, read_only=True) as store:
        rows = outbox.fetch_alerts(store, state)
        disabled = outbox.fetch_disabled_channels(store)
    if as_json:
        click.echo(json.dumps([a.__dict__ for a in rows], ensure_ascii=False, indent=2))
        return
    print_table(
        ["id", "channel", "kind", "state", "tries", "next try / sent", "story", "last error"],
        [
            [
                a.id,
                a.channel + (" (disabled)" if a.channel in disabled else ""),
                a.kind,
                a.state,
                a.attempts,
                ((a.sent_at if a.state == "sent" else a.next_attempt_at) or "")[:16],
                a.story[:24],
                a.last_error or "",
            ]
            for a in rows
        ],
    )


@alerts.command("retry")
@click.argument("alert_id", type=int, required=False)
@click.option("--all", "every", is_flag=True, help="Every pending and dead alert, now.")
@click.option("--channel", help="Every pending and dead alert of this channel, now.")
@click.pass_obj
def alerts_retry(
    settings: Settings, alert_id: int | None, every: bool, channel: str | None
) -> None:
    """Make a dead or waiting alert (or all, or a channel's) due now; the next delivery sends.

    After an outage is fixed there is no need to wait out the retry schedule: the daemon's next
    delivery cycle (within a minute) or the next ``fetch-once`` sends what is due.
    """
    from monitor.shell.store import outbox

    if (alert_id is not None) + every + (channel is not None) != 1:
        raise click.UsageError("give one of: an alert ID, --all, --channel NAME")
    config = optional_config(settings)
    with settings.store(config) as store:
        if channel is not None:
            known_channel(config, channel, outbox.fetch_channel_names(store))
        if alert_id is not None:
            outbox.save_retry(store, alert_id, utcnow())
            click.echo(
                f"alert {alert_id} will be sent by the next delivery (monitor run / fetch-once)"
            )
            return
        n = outbox.save_retry_all(store, utcnow(), channel)
    what = f"of channel {channel} " if channel else ""
    click.echo(
        f"{n} alert{'s' if n != 1 else ''} {what}will be sent by the next delivery"
        " (monitor run within a minute, or fetch-once)"
    )


@alerts.command("enable")
@click.argument("channel")
@click.pass_obj
def alerts_enable(settings: Settings, channel: str) -> None:
    """Re-enable a channel that a webhook's 410 Gone disabled; its alerts go out again."""
    from monitor.shell.store import outbox

    config = optional_config(settings)
    with settings.store(config) as store:
        known_channel(config, channel, set(outbox.fetch_disabled_channels(store)))
        outbox.save_channel_enabled(store, channel)
    click.echo(f"channel {channel} enabled")


@cli.command("test-alert")
@click.argument("channel", required=False)
@click.pass_obj
def test_alert_cmd(settings: Settings, channel: str | None) -> None:
    """Send a test message to each alert channel (or one) and say what happened."""
    from monitor.shell import alerts as alerts_mod

    config = settings.config()
    if not config.alerts:
        raise click.ClickException(f"{settings.config_path}: no alert channels configured")
    results = alerts_mod.test_alert(config, channel)
    for name, ok, message in results:
        click.echo(f"{name}: {'ok' if ok else 'FAILED'}: {message}")
    if not all(ok for _, ok, _ in results):
        sys.exit(1)
