"""The ``monitor`` command: a thin click shell over the library.

Each command parses its options, calls one library function and prints. Library errors become a
one-line ``click.ClickException`` here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import yaml  # type: ignore[import-untyped, unused-ignore]  # stubs: types-PyYAML

from monitor import config as config_mod
from monitor import logs
from monitor.config import Config, masked, starter_config
from monitor.core.models import utcnow
from monitor.errors import ConfigError, MonitorError

if TYPE_CHECKING:
    from monitor import poll
    from monitor.shell.store import Database

# The rest of the library (HTTP client, store, scheduler, extractors) is imported by the commands
# that use it: this module is also what every analysis worker's forkserver loads as the
# program's main module, and there it should cost little (see monitor.shell.workers).

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

    def config(self) -> Config:
        return config_mod.load(self.config_path)

    def db_path(self, config: Config | None) -> Path:
        """``--db``, then ``MONITOR_DB``, then the file's ``database`` (beside the file)."""
        chosen = self.db_option or os.environ.get("MONITOR_DB")
        if chosen:
            return Path(chosen)
        name = (config.database if config else None) or "monitor.db"
        path = Path(name)
        return path if path.is_absolute() else self.config_path.parent / path

    @contextmanager
    def store(self, config: Config | None) -> Iterator[Database]:
        """The database of this config, open for one command (a StoreError says why not)."""
        from monitor.shell.store import open_db

        store = open_db(self.db_path(config))
        try:
            yield store
        finally:
            store.close()


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
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    logs.configure(logging.ERROR if quiet else levels[min(verbose, 2)], log_format)
    ctx.obj = Settings(config_path, db)


@cli.command("fetch-once")
@click.option("--source", "names", multiple=True, help="Only this source (repeatable).")
@click.pass_obj
def fetch_once(settings: Settings, names: tuple[str, ...]) -> None:
    """Poll every source once, store new articles, print a summary.

    Exits 0 when every source succeeded, 1 otherwise (after trying them all).
    """
    config = settings.config()
    for name in names:
        config.source(name)  # an unknown name is an error before anything runs
    if not config.sources:
        raise click.ClickException(f"{settings.config_path}: no sources configured")

    total = len(names) or sum(s.enabled for s in config.sources)
    done = [0]
    live = sys.stderr.isatty()  # a redrawn status line on a terminal, plain lines otherwise

    def moving(source: str, step: str) -> None:
        if live:
            line = f"({done[0]}/{total} sources done) {source}: {step}"
            width = shutil.get_terminal_size((80, 20)).columns - 1
            click.echo("\r\x1b[K" + line[:width], err=True, nl=False)

    def progress(report: poll.SourceReport) -> None:
        done[0] += 1
        if live:
            click.echo("\r\x1b[K", err=True, nl=False)
        status = "ok" if report.ok else f"FAILED: {report.error or report.article_errors[0]}"
        click.echo(
            f"[{report.name}] ({done[0]}/{total}) {report.kind or '-'}: {report.new} new, "
            f"{report.seen} seen, "
            f"{report.failed} failed in {report.seconds:.1f}s: {status}",
            err=True,
        )
        for line in report.article_errors[1:5]:
            click.echo(f"[{report.name}]   {line}", err=True)

    from monitor import run as passes
    from monitor.shell import workers

    workers.tune_allocator()  # its pages come and go in 150 KB blocks, as in the workers
    with settings.store(config) as store:
        reports = passes.fetch_once(
            config, store, names=names, on_report=progress, on_progress=moving
        )
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
    _table(["source", "kind", "new", "seen", "failed", "flagged", "time", "status"], rows)
    if not all(r.ok for r in reports):
        bad = [r.name for r in reports if not r.ok]
        click.echo(f"{len(bad)} of {len(reports)} sources failed: {', '.join(bad)}", err=True)
        sys.exit(1)


@cli.command()
@click.option("--flagged", is_flag=True, help="Only flagged articles.")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="Published (or found) on or after."
)
@click.option("--limit", type=int, default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.pass_obj
def articles(
    settings: Settings,
    flagged: bool,
    sources: tuple[str, ...],
    since: dt.datetime | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List stored articles, newest first."""
    from monitor.shell.store import queries

    config = _optional_config(settings)
    with settings.store(config) as store:
        rows = queries.fetch_articles(
            store,
            flagged=flagged,
            sources=sources,
            since=since.date() if since else None,
            limit=limit,
        )
    if as_json:
        keys = (
            "url",
            "source",
            "title",
            "published",
            "language",
            "agreement",
            "countries",
            "weak_countries",
            "flagged",
            "baseline",
            "first_seen",
            "story",
            "aliases",
            "evidence",
        )
        click.echo(
            json.dumps([{k: r[k] for k in keys} for r in rows], ensure_ascii=False, indent=2)
        )
        return
    _table(
        ["published", "source", "lang", "flags", "title"],
        [
            [
                (r["published"] or "")[:10],
                r["source"],
                r["language"] or "",
                _flag_cell(r),
                r["title"] or r["url"],
            ]
            for r in rows
        ],
    )


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
    config = _optional_config(settings)
    with settings.store(config) as store:
        rows = outbox.fetch_alerts(store, state)
        disabled = outbox.fetch_disabled_channels(store)
    if as_json:
        click.echo(json.dumps([a.__dict__ for a in rows], ensure_ascii=False, indent=2))
        return
    _table(
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
@click.argument("alert_id", type=int)
@click.pass_obj
def alerts_retry(settings: Settings, alert_id: int) -> None:
    """Make a dead (or waiting) alert due now; the next delivery sends it."""
    from monitor.shell.store import outbox

    with settings.store(_optional_config(settings)) as store:
        outbox.save_retry(store, alert_id, utcnow())
    click.echo(f"alert {alert_id} will be sent by the next delivery (monitor run / fetch-once)")


@alerts.command("enable")
@click.argument("channel")
@click.pass_obj
def alerts_enable(settings: Settings, channel: str) -> None:
    """Re-enable a channel that a webhook's 410 Gone disabled; its alerts go out again."""
    from monitor.shell.store import outbox

    with settings.store(_optional_config(settings)) as store:
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


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--flagged", is_flag=True, help="Only flagged articles.")
@click.option("--limit", type=int, default=20, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.pass_obj
def search(
    settings: Settings, query: tuple[str, ...], flagged: bool, limit: int, as_json: bool
) -> None:
    """Full-text search in every stored language, best first (word* matches any ending)."""
    from monitor.shell.store import queries

    with settings.store(_optional_config(settings)) as store:
        rows = queries.search(
            store,
            " ".join(query),
            flagged=flagged,
            limit=limit,
            mark=("", "")
            if as_json
            else ("\x1b[1m", "\x1b[0m")
            if sys.stdout.isatty()
            else ("[", "]"),
        )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no match", err=True)
    for row in rows:
        flag = "* " if row["flagged"] else ""
        click.echo(f"{flag}{row['title']}  ({row['source']}, {(row['published'] or '')[:10]})")
        click.echo(f"  {row['url']}")
        click.echo(f"  {' '.join(row['snippet'].split())}")


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
    config = settings.config()
    click.echo(
        f"# {settings.config_path}: valid, {len(config.sources)} sources, "
        f"{len(config.alerts)} alert channels; database {settings.db_path(config)}"
    )
    click.echo(yaml.safe_dump(masked(config), allow_unicode=True, sort_keys=False), nl=False)


@cli.command("datasette-metadata")
@click.pass_obj
def datasette_metadata(settings: Settings) -> None:
    """Print Datasette metadata (descriptions, facets) for this database.

    monitor datasette-metadata > datasette.json && datasette monitor.db -m datasette.json
    """
    config = _optional_config(settings)
    data = json.loads((Path(__file__).parent / "data" / "datasette.json").read_text("utf-8"))
    name = settings.db_path(config).stem
    data["databases"] = {name: data["databases"]["monitor"]}
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl"]),
    default="csv",
    show_default=True,
    help="Output format (columns in the README).",
)
@click.option("--flagged", is_flag=True, help="Only flagged articles.")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="Published (or found) on or after."
)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@OUTPUT
@click.pass_obj
def export(
    settings: Settings,
    fmt: str,
    flagged: bool,
    since: dt.datetime | None,
    sources: tuple[str, ...],
    output: Path | None,
) -> None:
    """Export stored articles as CSV, JSON or JSON lines, with stable columns."""
    from monitor.outputs.export import write_export

    with settings.store(_optional_config(settings)) as store, _output(output, binary=False) as out:
        count = write_export(
            store,
            out,
            fmt,
            flagged=flagged,
            since=since.date() if since else None,
            sources=sources,
        )
    if output:
        click.echo(f"{count} articles written to {output}", err=True)


@cli.command()
@click.option("--flagged", is_flag=True, help="Only stories with a flagged article.")
@click.option("--limit", type=int, default=50, show_default=True, help="Newest stories kept.")
@click.option("--self-url", help="The URL the feed will be served at (its rel=self link).")
@OUTPUT
@click.pass_obj
def feed(
    settings: Settings, flagged: bool, limit: int, self_url: str | None, output: Path | None
) -> None:
    """An Atom 1.0 feed of stories (articles, flags, evidence) for any feed reader."""
    from monitor.outputs.feed import atom_feed

    with settings.store(_optional_config(settings)) as store:
        data = atom_feed(store, now=utcnow(), flagged=flagged, limit=limit, self_url=self_url)
    _write_bytes(output, data)


@cli.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Stories from this day on.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="report.html",
    show_default=True,
    help="The HTML file to write.",
)
@click.pass_obj
def report(settings: Settings, since: dt.datetime | None, output: Path) -> None:
    """One self-contained HTML page: flagged stories per week, the latest, source health."""
    from monitor.outputs.report import html_report

    config = _optional_config(settings)
    with settings.store(config) as store:
        page = html_report(
            store,
            now=utcnow(),
            since=since.date() if since else None,
            countries=config.countries if config else (),
        )
    _write_bytes(output, page.encode("utf-8"))
    click.echo(f"report written to {output}", err=True)


@contextmanager
def _output(path: Path | None, *, binary: bool) -> Iterator[Any]:
    """A file opened for writing (atomically replaced when done), or standard output."""
    if path is None:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    tmp = path.with_name(path.name + ".tmp")
    if binary:
        with open(tmp, "wb") as raw:
            yield raw
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as text:
            yield text
    os.replace(tmp, path)


def _write_bytes(path: Path | None, data: bytes) -> None:
    with _output(path, binary=True) as out:
        out.write(data)


@cli.command("stories")
@click.option("--flagged", is_flag=True, help="Only stories with a flagged article.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.pass_obj
def stories_cmd(settings: Settings, flagged: bool, limit: int | None, as_json: bool) -> None:
    """Each story (one event, however many articles, sites and languages), newest first."""
    from monitor.shell.store import queries

    config = _optional_config(settings)
    with settings.store(config) as store:
        rows = queries.fetch_stories(store, flagged=flagged, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = []
    for story in rows:
        first = story["articles"][0]
        flags = _flag_cell(
            {
                "agreement": any(a["agreement"] for a in story["articles"]),
                "countries": sorted({c for a in story["articles"] for c in a["countries"]}),
                "flagged": story["flagged"],
            }
        )
        table.append(
            [
                story["first_seen"][:10],
                story["article_count"],
                ",".join(story["languages"]),
                flags,
                first["title"] or first["url"],
            ]
        )
    _table(["first seen", "articles", "langs", "flags", "title"], table)


@cli.group("sources", invoke_without_command=True)
@click.pass_context
def sources_cmd(ctx: click.Context) -> None:
    """Each source with its kind as discovered, last success, last error and article count."""
    from monitor.shell.store import sources

    if ctx.invoked_subcommand is not None:
        return
    settings: Settings = ctx.obj
    config = settings.config()
    with settings.store(config) as store:
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
    _table(["source", "kind", "last success", "articles", "last error"], rows)


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
@click.pass_obj
def run(settings: Settings, grace: float, feed_path: Path | None) -> None:
    """Run as a daemon: each source on its own interval, alerts delivered as they come.

    SIGTERM/SIGINT stop it cleanly (exit 0); SIGHUP reloads the sources file.
    """
    from monitor.scheduler import run_daemon
    from monitor.shell import workers

    config = settings.config()
    workers.tune_allocator()  # its pages come and go in 150 KB blocks, as in the workers
    with settings.store(config) as store:
        run_daemon(settings.config_path, config, store, grace=grace, feed_path=feed_path)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON object instead of a table.")
@click.pass_obj
def status(settings: Settings, as_json: bool) -> None:
    """Health of every source, the daemon and the alerts; exit 1 when a person is needed."""
    from monitor.outputs.status import status as health_status

    config = settings.config()
    with settings.store(config) as store:
        report = health_status(store, config, utcnow())
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(report["daemon_line"])
        _table(
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


@cli.command()
@click.argument("url", required=False)
@click.option(
    "--text",
    "text_file",
    type=click.File("r", encoding="utf-8"),
    help="Explain any text (first line is the title; - for stdin).",
)
@click.option("--language", help="Language of --text (en, ru, kk, ms), if known.")
@click.pass_obj
def explain(settings: Settings, url: str | None, text_file: Any, language: str | None) -> None:
    """Why an article is flagged or not: each rule that matched, where, and the verdict.

    Give the URL of a stored article, or --text FILE for any text.
    """
    from monitor.shell.store import queries

    if bool(url) == bool(text_file):
        raise click.UsageError("give either a stored article's URL or --text FILE")
    config = settings.config()
    if text_file is not None:
        title, _, body = text_file.read().partition("\n")
    else:
        from monitor.core.dedup import canonical_url

        with settings.store(config) as store:
            row = queries.fetch_article_text(
                store, canonical_url(url or "")
            ) or queries.fetch_article_text(store, url or "")
        if row is None:
            raise click.ClickException(f"{url}: no stored article has this URL (monitor articles)")
        title, body, language = row["title"] or "", row["text"], language or row["language"]
        click.echo(f"{row['url']}\n{title}\n")
    from monitor.shell.workers import make_flagger

    for line in make_flagger(config).explain(title, body, language):
        click.echo(line)


@sources_cmd.command("test")
@click.argument("name")
@click.option(
    "--url",
    callback=lambda ctx, param, value: _http_url(value),
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


def _optional_config(settings: Settings) -> Config | None:
    """Read-only commands work without a config file when ``--db`` names the database."""
    if not settings.config_path.exists() and (settings.db_option or os.environ.get("MONITOR_DB")):
        return None
    return settings.config()


def _http_url(value: str | None) -> str | None:
    """``--url``, checked as the file's URLs are."""
    try:
        return None if value is None else config_mod.http_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _flag_cell(row: dict[str, Any]) -> str:
    parts = ["AGREEMENT"] if row["agreement"] else []
    parts.extend(row["countries"])
    return ("* " if row["flagged"] else "") + " ".join(parts)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
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


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="monitor")
