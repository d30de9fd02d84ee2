"""Commands that read the database: articles, stories, search, explain, and the outputs."""

from __future__ import annotations

import datetime as dt
import json
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.config import Config
from monitor.core.models import utcnow

if TYPE_CHECKING:
    pass
from monitor.cli.common import (
    OUTPUT,
    Settings,
    flag_cell,
    known_sources,
    open_output,
    optional_config,
    print_table,
    write_bytes,
)
from monitor.cli.root import cli


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

    config = optional_config(settings)
    with settings.store(config, read_only=True) as store:
        known_sources(store, config, sources)
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
    print_table(
        ["published", "source", "lang", "flags", "title"],
        [
            [
                (r["published"] or "")[:10],
                r["source"],
                r["language"] or "",
                flag_cell(r),
                r["title"] or r["url"],
            ]
            for r in rows
        ],
    )


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

    with settings.store(optional_config(settings), read_only=True) as store:
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


@cli.command("datasette-metadata")
@click.pass_obj
def datasette_metadata(settings: Settings) -> None:
    """Print Datasette metadata (descriptions, facets) for this database.

    monitor datasette-metadata > datasette.json && datasette monitor.db -m datasette.json
    """
    config = optional_config(settings)
    data = json.loads(resources.files("monitor").joinpath("data/datasette.json").read_text("utf-8"))
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
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for spreadsheets: UTF-8 with a byte-order mark, so Cyrillic opens right in Excel.",
)
@OUTPUT
@click.pass_obj
def export(
    settings: Settings,
    fmt: str,
    flagged: bool,
    since: dt.datetime | None,
    sources: tuple[str, ...],
    excel: bool,
    output: Path | None,
) -> None:
    """Export stored articles as CSV, JSON or JSON lines, with stable columns."""
    from monitor.outputs.export import write_export

    if excel and fmt != "csv":
        raise click.UsageError(f"--excel is for --format csv, not {fmt}")
    with (
        settings.store(config := optional_config(settings), read_only=True) as store,
        open_output(output, binary=False) as out,
    ):
        known_sources(store, config, sources)
        if excel:
            out.write("\ufeff")  # Excel reads a CSV as the system's code page without it
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

    config = optional_config(settings)
    with settings.store(config, read_only=True) as store:
        data = atom_feed(
            store,
            now=utcnow(),
            flagged=flagged,
            limit=limit,
            self_url=self_url,
            languages=config.languages if config else (),
        )
    write_bytes(output, data)


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

    config = optional_config(settings)
    with settings.store(config, read_only=True) as store:
        page = html_report(
            store,
            now=utcnow(),
            since=since.date() if since else None,
            countries=config.countries if config else (),
            languages=config.languages if config else (),
        )
    write_bytes(output, page.encode("utf-8"))
    click.echo(f"report written to {output}", err=True)


@cli.command("stories")
@click.option("--flagged", is_flag=True, help="Only stories with a flagged article.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of a table.")
@click.pass_obj
def stories_cmd(settings: Settings, flagged: bool, limit: int | None, as_json: bool) -> None:
    """Each story (one event, however many articles, sites and languages), newest first."""
    from monitor.shell.store import queries

    config = optional_config(settings)
    with settings.store(config, read_only=True) as store:
        rows = queries.fetch_stories(store, flagged=flagged, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from monitor.core.text import story_title

    preferred = config.languages if config else ()
    table = []
    for story in rows:
        flags = flag_cell(
            {
                "agreement": any(a["agreement"] for a in story["articles"]),
                "countries": sorted({c for a in story["articles"] for c in a["countries"]}),
                "flagged": story["flagged"],
            }
        )
        table.append(
            [
                story["story"],
                story["first_seen"][:10],
                story["article_count"],
                ",".join(story["sources"]),
                ",".join(story["languages"]),
                flags,
                story_title(story["articles"], preferred),
            ]
        )
    print_table(["story", "first seen", "articles", "sources", "langs", "flags", "title"], table)


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
    config = optional_config(settings) or Config()  # the file's countries and terms, if any
    if text_file is not None:
        title, _, body = text_file.read().partition("\n")
    else:
        from monitor.core.dedup import canonical_url

        with settings.store(config, read_only=True) as store:
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
