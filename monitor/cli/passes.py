"""Commands that run passes or watch them: fetch-once, run, status, sources."""

from __future__ import annotations

import json
import logging
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor import config as config_mod
from monitor import logs
from monitor.core.models import utcnow

if TYPE_CHECKING:
    from monitor import poll
from monitor.cli.common import Settings, http_url_param, print_table
from monitor.cli.root import cli

log = logging.getLogger("monitor.fetch_once")


@cli.command("fetch-once")
@click.option("--source", "names", multiple=True, help="Only this source (repeatable).")
@click.pass_obj
def fetch_once(settings: Settings, names: tuple[str, ...]) -> None:
    """Poll every source once, store new articles, print a summary.

    Exits 0 when every source succeeded, 1 otherwise (after trying them all).
    """
    config = settings.runnable()
    for name in names:
        config.source(name)  # an unknown name is an error before anything runs

    total = len(names) or sum(s.enabled for s in config.sources)
    done = [0]
    live = logs.can_redraw()  # a redrawn status line on a terminal, whole lines otherwise

    def moving(source: str, step: str) -> None:
        if live:
            line = f"({done[0]}/{total} sources done) {source}: {step}"
            width = shutil.get_terminal_size((80, 20)).columns - 1
            click.echo("\r\x1b[K" + line[:width], err=True, nl=False)

    def progress(report: poll.SourceReport) -> None:
        done[0] += 1
        if live:
            click.echo("\r\x1b[K", err=True, nl=False)
        level = logs.NOTICE if report.ok else logging.WARNING
        log.log(level, "%s (%d/%d)", report.line(), done[0], total)
        for line in report.article_errors[1:5]:
            log.warning("[%s]   %s", report.name, line)

    from monitor.run import fetch_once as one_pass
    from monitor.shell import workers

    workers.tune_allocator()  # its pages come and go in 150 KB blocks, as in the workers
    with settings.store(config) as store:
        reports = one_pass(config, store, names=names, on_report=progress, on_progress=moving)
    rows = [
        [
            r.name,
            r.kind or "-",
            r.new,
            r.seen,
            r.failed,
            r.flagged,
            f"{r.seconds:.1f}s",
            "baseline" if r.baseline and r.ok else ("ok" if r.ok else "FAILED"),
        ]
        for r in sorted(reports, key=lambda r: r.name)
    ]
    print_table(["source", "kind", "new", "seen", "failed", "flagged", "time", "status"], rows)
    if not all(r.ok for r in reports):
        bad = [r.name for r in reports if not r.ok]
        log.error("%d of %d sources failed: %s", len(bad), len(reports), ", ".join(bad))
        sys.exit(1)


@cli.group("sources", invoke_without_command=True)
@click.pass_context
def sources_cmd(ctx: click.Context) -> None:
    """Each source with its kind as discovered, last success, last error and article count."""
    from monitor.shell.store import sources

    if ctx.invoked_subcommand is not None:
        return
    settings: Settings = ctx.obj
    config = settings.config(read_only=True)
    with settings.store(config, read_only=True) as store:
        known = {row["name"]: row for row in sources.fetch_sources(store)}
    rows = []
    for src in config.sources:
        row: dict[str, Any] = known.get(src.name, {})
        kind = row.get("discovered_kind") or src.kind
        rows.append(
            [
                src.name,
                kind if src.kind == "auto" else src.kind,
                (row.get("last_success") or "never")[:19],
                row.get("articles", 0),
                (row.get("last_error") or "") if (row.get("consecutive_failures") or 0) > 0 else "",
            ]
        )
    print_table(["source", "kind", "last success", "articles", "last error"], rows)


@sources_cmd.command("kinds")
def sources_kinds() -> None:
    """Each source kind with its help and the options it reads (defaults in brackets)."""
    from monitor.shell.kinds import KINDS

    width = max(map(len, KINDS)) + 2
    for name, kind in KINDS.items():
        click.echo(f"{name.ljust(width)}{kind.help.splitlines()[0]}")
        fields = kind.options.model_fields
        shown = ", ".join(f"{key} ({_default(f.default)})" for key, f in fields.items())
        click.echo(f"{'':{width}}options: {shown or 'none of its own'}")
    common = ", ".join(config_mod.SourceOptions.model_fields)
    click.echo(f"every kind also reads: {common}")


def _default(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return json.dumps(list(value))
    return str(value)


@cli.command()
@click.option(
    "--grace",
    type=float,
    default=20.0,
    show_default=True,
    help="Seconds in-flight passes get to finish on SIGTERM.",
)
@click.option(
    "--feed",
    "feed_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep an Atom feed of flagged stories up to date in this file.",
)
@click.option(
    "--self-url",
    callback=lambda ctx, param, value: value and http_url_param(value),
    help="The URL the --feed file is served at (its rel=self link).",
)
@click.pass_obj
def run(settings: Settings, grace: float, feed_path: Path | None, self_url: str | None) -> None:
    """Run as a daemon: each source on its own interval, alerts delivered as they come.

    SIGTERM/SIGINT stop it cleanly (exit 0); SIGHUP reloads the sources file.
    """
    from monitor.scheduler import run_daemon
    from monitor.shell import workers

    config = settings.config()  # no sources is allowed: it still delivers what is pending
    workers.tune_allocator()  # its pages come and go in 150 KB blocks, as in the workers
    with settings.store(config) as store:
        run_daemon(
            settings.config_path,
            config,
            store,
            grace=grace,
            feed_path=feed_path,
            feed_self_url=self_url,
        )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON object instead of a table.")
@click.pass_obj
def status(settings: Settings, as_json: bool) -> None:
    """Health of every source, the daemon and the alerts; exit 1 when a person is needed."""
    from monitor.outputs.status import status as health_status

    config = settings.config(read_only=True)
    with settings.store(config, read_only=True) as store:
        report = health_status(store, config, utcnow())
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(f"installation: {report['installation']}")
        click.echo(report["daemon_line"])
        print_table(
            ["source", "health", "last success", "next run", "failures", "last error"],
            [
                [
                    s["name"],
                    s["health"],
                    (s["last_success"] or "never")[:16],
                    (s["next_run_at"] or "-")[:16],
                    s["consecutive_failures"],
                    s["last_error"] or "",
                ]
                for s in report["sources"]
            ],
        )
        counts = report["alerts"]
        click.echo(
            f"alerts: {counts.get('pending', 0)} pending, {counts.get('sent', 0)} sent, "
            f"{counts.get('dead', 0)} dead"
        )
        for line in report["needs_attention"]:
            click.echo(f"needs attention: {line}")
    if report["needs_attention"]:
        sys.exit(1)


@sources_cmd.command("test")
@click.argument("name")
@click.option(
    "--url",
    callback=lambda ctx, param, value: http_url_param(value),
    help="Try another URL for this source (e.g. after a redesign).",
)
@click.option("--articles", type=int, default=3, show_default=True, help="Articles to extract.")
@click.option("--json", "as_json", is_flag=True, help="A JSON object instead of text.")
@click.pass_obj
def sources_test(
    settings: Settings, name: str, url: str | None, articles: int, as_json: bool
) -> None:
    """Dry-run one source on the live site: kind, links, and what the first articles give.

    Writes nothing. Exits 1 when the source cannot be read or yields no links.
    """
    from monitor.probe import test_source

    config = settings.config()
    probe = test_source(config, name, url=url, articles=articles)
    if as_json:
        click.echo(json.dumps(probe.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_probe(probe)
    if probe.error or not probe.links:
        sys.exit(1)


def _print_probe(probe: Any) -> None:
    click.echo(f"{probe.source}: {probe.url}")
    if probe.error:
        click.echo(f"  FAILED: {probe.error}")
        return
    click.echo(f"  kind: {probe.kind} (read from {probe.endpoint})")
    click.echo(f"  article links: {len(probe.links)}")
    for link in probe.links[:10]:
        click.echo(f"    {link.url}" + (f"  {link.title}" if link.title else ""))
    if len(probe.links) > 10:
        click.echo(f"    … and {len(probe.links) - 10} more")
    for art in probe.articles:
        click.echo(f"  {art.url}")
        if art.error:
            click.echo(f"    FAILED: {art.error}")
            continue
        m = art.methods
        flags = ", ".join((["agreement"] if art.agreement else []) + list(art.countries)) or "-"
        click.echo(f"    title:     {art.title}  [{m.get('title', '-')}]")
        click.echo(f"    published: {art.published}  [{m.get('published', '-')}]")
        click.echo(f"    language:  {art.language}  [{m.get('language', '-')}]")
        click.echo(f"    text:      {art.text_length} characters  [{m.get('text', '-')}]")
        click.echo(f"    flags:     {flags}{'  (flagged)' if art.flagged else ''}")
