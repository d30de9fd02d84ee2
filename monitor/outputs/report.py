"""One self-contained HTML page for an analyst: flagged stories per week, the latest of them with
their evidence, and the health of every source.

The page loads nothing: CSS is inline, the chart is inline SVG, there is no script, and a
Content-Security-Policy ``default-src 'none'`` makes sure of it; it can be mailed, archived or
opened from disk years later. Every scraped string (titles, snippets, URLs, errors) goes
through :func:`html.escape`, characters HTML cannot hold are dropped, and only http(s) URLs
become links (:mod:`monitor.core.text`).

The chart counts each flagged story once per week, in the ISO week it was first published (its
earliest article's publication date, or when it was found if no article is dated): one bar for
all flagged stories, one for those reporting an agreement and one per country named outright
(only the chosen ``countries`` when given). Every week from the first to the last in range has a
``<g class="week" data-week="2026-W48">`` group, empty weeks included; each bar is a ``<rect>``
with the same ``data-week``, a ``data-label`` and a ``<title>`` tooltip. The chart ends with
the current week (a story dated later counts in it) and spans at most :data:`MAX_WEEKS`.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Sequence
from typing import Any

from monitor.core.reading import evidence_lines, marked
from monitor.core.text import (
    article_meta,
    country_label,
    html_text,
    http_url,
    human_date,
    story_lead,
    xml_line,
)
from monitor.shell.store import Database, queries, sources
from monitor.shell.store import health as health_store

#: The chart's longest span: the latest weeks are drawn, older ones left out.
MAX_WEEKS = 156
ALL = "all"
AGREEMENT = "agreement"
_COLORS = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4")
_FIXED_COLORS = {ALL: "#666666", AGREEMENT: "#d95f02"}

# Chart geometry, in SVG user units: the chart is drawn _WIDTH wide and scaled to the page's
# width, however many weeks it spans (a week's group narrows as the span grows).
_WIDTH = 900
_PLOT_H, _TOP, _LEFT, _RIGHT, _BOTTOM = 180, 12, 40, 8, 44
_MAX_BAR = 14

_SOURCE_COLUMNS = ("source", "kind", "last success", "articles", "status", "last error")

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:60rem;padding:0 1rem 3rem;color:#222;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:.2rem 0}a{color:#0645ad;overflow-wrap:anywhere}
.chart svg{width:100%;height:auto;display:block}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.9rem}
.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.1rem}
.story{border-left:3px solid #d95f02;padding:.2rem .8rem;margin:1rem 0}
.flags{font-weight:600;margin:.1rem 0}.meta{color:#666;font-size:.85rem}
.story ul{padding-left:1.1rem}.evidence{font-size:.9rem;color:#333}
mark{background:#ffe066;padding:0 .1em}
.table{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
tr.failing td{background:#fff1f0}td.num{text-align:right}
@media (max-width:40rem){body{font-size:14px;padding:0 .6rem 2rem}th,td{padding:.25rem}}
"""


def html_report(
    store: Database,
    *,
    now: dt.datetime,
    since: dt.date | None = None,
    countries: Sequence[str] = (),
    latest: int = 20,
    languages: Sequence[str] = (),
) -> str:
    """The whole report as one HTML document (``since``: only stories published on or after;
    ``languages``: the preference each story's title is chosen by)."""
    stories = [s for s in queries.fetch_stories(store, flagged=True) if s["articles"]]
    dated = [(story_day(s["articles"]), s) for s in stories]
    in_range = [(day, s) for day, s in dated if since is None or day >= since]
    series = weekly_series(in_range, since, now.date(), countries)
    period = f"since {since.isoformat()}" if since else "all stored stories"
    parts = [
        f"<h1>Flagged stories, {html.escape(period)}</h1>",
        f'<p class="meta">Generated {html.escape(_when(now))}: {len(in_range)} flagged '
        f"stories in range, {queries.fetch_counts(store)['articles']} articles stored.</p>",
        "<h2>Flagged stories per week</h2>",
        _chart_section(series),
        "<h2>Latest flagged stories</h2>"
        + _stories_section([s for _, s in in_range][:latest], languages),
        f"<h2>Sources</h2>{_sources_section(store)}",
    ]
    return _page("monitor report", "\n".join(parts))


def story_day(articles: Sequence[dict[str, Any]]) -> dt.date:
    """The day a story counts on: its earliest publication date, else when it was found."""
    published = [_day(a["published"]) for a in articles if a.get("published")]
    if published:
        return min(published)
    return min(_day(a["first_seen"]) for a in articles)


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def iso_week(day: dt.date) -> str:
    """``2026-W48``: the ISO year and week, which sort as text."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(first: dt.date, last: dt.date) -> list[str]:
    """Every ISO week from the one holding ``first`` to the one holding ``last``."""
    monday = first - dt.timedelta(days=first.weekday())
    out = []
    while monday <= last:
        out.append(iso_week(monday))
        monday += dt.timedelta(weeks=1)
    return out


def weekly_series(
    stories: Sequence[tuple[dt.date, dict[str, Any]]],
    since: dt.date | None,
    today: dt.date,
    countries: Sequence[str] = (),
) -> dict[str, dict[str, int]]:
    """Flagged stories per ISO week and label (all, agreement, each country), empty weeks too."""
    if not stories and since is None:
        return {}
    first = since or min(day for day, _ in stories)
    # A broken page's date (1970, 2099) must not stretch the chart over decades.
    weeks = weeks_between(first, today)[-MAX_WEEKS:]
    chosen = {c.upper() for c in countries}
    series: dict[str, dict[str, int]] = {week: {} for week in weeks}
    for day, story in stories:
        counts = series.get(iso_week(min(day, today)))
        if counts is None:
            continue
        for label in _labels(story["articles"], chosen):
            counts[label] = counts.get(label, 0) + 1
    return series


def _labels(articles: Sequence[dict[str, Any]], chosen: set[str]) -> list[str]:
    labels = [ALL]
    if any(a.get("agreement") for a in articles):
        labels.append(AGREEMENT)
    named = {c for a in articles for c in a.get("countries") or []}
    labels.extend(sorted(named & chosen if chosen else named))
    return labels


def bar_chart(series: dict[str, dict[str, int]]) -> str:
    """Grouped bars as inline SVG: one group per week (in the given order), one bar per label.

    The whole span fits the page's width (the SVG scales; no scrolling to reach this week):
    a week's group is the plot's width over the weeks, its bars share 80 % of it.
    """
    labels = chart_labels(series)
    colors = label_colors(labels)
    top, step = nice_scale(max((n for c in series.values() for n in c.values()), default=0))
    height = _TOP + _PLOT_H + _BOTTOM
    group_w = (_WIDTH - _LEFT - _RIGHT) / max(1, len(series))
    bar_w = min(_MAX_BAR, group_w * 0.8 / max(1, len(labels)))
    every = math.ceil(len(series) / 13) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_WIDTH} {height}"'
        ' font-size="11" font-family="sans-serif">',
        "<title>Flagged stories per ISO week</title>",
        *_y_axis(top, step, _WIDTH - _RIGHT),
        f'<text x="{_LEFT + (_WIDTH - _LEFT) // 2}" y="{height - 4}" text-anchor="middle">'
        "ISO week</text>",
    ]
    shown_year = ""
    for i, (week, counts) in enumerate(series.items()):
        x0 = _LEFT + i * group_w + (group_w - bar_w * len(labels)) / 2
        out.append(f'<g class="week" data-week="{_attr(week)}">')
        for j, label in enumerate(labels):
            if count := counts.get(label, 0):
                out.append(_bar(week, label, count, x0 + j * bar_w, bar_w, top, colors[label]))
        # labelled from the newest week back, so that this week always has its label
        if (len(series) - 1 - i) % every == 0:
            year, number = week.split("-")
            mid = f"{_LEFT + (i + 0.5) * group_w:.1f}"
            out.append(
                f'<text x="{mid}" y="{_TOP + _PLOT_H + 14}" text-anchor="middle">'
                f"{_attr(number)}</text>"
            )
            if year != shown_year:
                out.append(
                    f'<text x="{mid}" y="{_TOP + _PLOT_H + 27}" text-anchor="middle">'
                    f"{_attr(year)}</text>"
                )
                shown_year = year
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def nice_scale(most: int) -> tuple[int, int]:
    """The y axis: (top, step), the step the first of 1, 2, 5, 10, 20, 50, ... that needs at
    most five steps to pass the largest count (two stories read 0-2, forty 0-40 by tens)."""
    most = max(most, 1)
    step = 1
    while math.ceil(most / step) > 5:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return math.ceil(most / step) * step, step


def chart_labels(series: dict[str, dict[str, int]]) -> list[str]:
    """The bars of each group, in order: all, agreement, then countries alphabetically."""
    found = {label for counts in series.values() for label in counts}
    fixed = [label for label in (ALL, AGREEMENT) if label in found]
    return fixed + sorted(found - {ALL, AGREEMENT})


def label_colors(labels: Iterable[str]) -> dict[str, str]:
    """One colour per label, the same in the chart and its legend."""
    colors, i = {}, 0
    for label in labels:
        if label in _FIXED_COLORS:
            colors[label] = _FIXED_COLORS[label]
        else:
            colors[label] = _COLORS[i % len(_COLORS)]
            i += 1
    return colors


def label_text(label: str) -> str:
    """What a reader sees for a label: ``Malaysia (MY)`` rather than ``MY``."""
    if label == ALL:
        return "all flagged stories"
    if label == AGREEMENT:
        return "agreement"
    return country_label(label)


def _y_axis(top: int, step: int, width: int) -> list[str]:
    out = []
    for tick in range(0, top + 1, step):
        y = _TOP + _PLOT_H - round(_PLOT_H * tick / top)
        out.append(f'<line x1="{_LEFT}" x2="{width}" y1="{y}" y2="{y}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{_LEFT - 4}" y="{y + 3}" text-anchor="end">{tick}</text>')
    mid = _TOP + _PLOT_H // 2
    out.append(
        f'<text transform="translate(11 {mid}) rotate(-90)" text-anchor="middle">'
        "flagged stories</text>"
    )
    return out


def _bar(week: str, label: str, count: int, x: float, width: float, top: int, color: str) -> str:
    h = max(round(_PLOT_H * count / top), 1)
    y = _TOP + _PLOT_H - h
    noun = "story" if count == 1 else "stories"
    tip = f"{week} · {label_text(label)}: {count} {noun}"
    return (
        f'<rect data-week="{_attr(week)}" data-label="{_attr(label)}" x="{x:.1f}" y="{y}"'
        f' width="{width:.1f}" height="{h}" fill="{color}"><title>{html.escape(tip)}</title></rect>'
    )


def _chart_section(series: dict[str, dict[str, int]]) -> str:
    if not series:
        return "<p>No flagged story yet.</p>"
    colors = label_colors(chart_labels(series))
    legend = "".join(
        f'<li><span class="sw" style="background:{color}"></span>'
        f"{html.escape(label_text(label))}</li>"
        for label, color in colors.items()
    )
    return f'<div class="chart">{bar_chart(series)}</div><ul class="legend">{legend}</ul>'


def _stories_section(stories: Sequence[dict[str, Any]], languages: Sequence[str] = ()) -> str:
    if not stories:
        return "<p>No flagged story in range.</p>"
    return "\n".join(_story(s, languages) for s in stories)


def _story(story: dict[str, Any], languages: Sequence[str] = ()) -> str:
    articles = story["articles"]
    first = story_lead(articles, languages) or articles[0]
    flags = ["Agreement"] if any(a.get("agreement") for a in articles) else []
    named = sorted({c for a in articles for c in a.get("countries") or []})
    flags.extend(country_label(c) for c in named)
    items = "".join(_article(a) for a in articles)
    return (
        '<article class="story">'
        f"<h3>{_link(first['url'], first.get('title'))}</h3>"
        f'<p class="flags">{html.escape(" · ".join(flags) or "Flagged")}</p>'
        f'<p class="meta">{len(articles)} article{"s" if len(articles) != 1 else ""}, '
        f"first found {html.escape(_when(story['first_seen']))}</p>"
        f"<ul>{items}</ul></article>"
    )


def _article(article: dict[str, Any]) -> str:
    items = "".join(
        f"<li><em>{html.escape(', '.join(line.labels))}</em>: {marked(line)}</li>"
        for line in evidence_lines(article.get("evidence") or [])
    )
    snippets = f'<ul class="evidence">{items}</ul>' if items else ""
    return (
        f"<li>{_link(article['url'], article.get('title'))}"
        f'<div class="meta">{html_text(article_meta(article))}</div>'
        f"{snippets}</li>"
    )


def _sources_section(store: Database) -> str:
    problems: dict[str, list[str]] = {}
    for episode in health_store.fetch_all_open_episodes(store):
        problems.setdefault(episode["source"], []).append(episode["event"])
    rows = []
    for s in sources.fetch_sources(store):
        failing = (s.get("consecutive_failures") or 0) > 0
        status = [f"failing ×{s['consecutive_failures']}"] if failing else []
        status += problems.get(s["name"], [])
        kind = s["kind"]
        if s.get("discovered_kind") and s["discovered_kind"] != kind:
            kind = f"{kind} → {s['discovered_kind']}"
        cells = [
            _link(s["url"], s["name"]) if s.get("url") else html_text(s["name"]),
            html_text(kind),
            html.escape(_when(s["last_success"]) if s.get("last_success") else "never"),
            str(int(s.get("articles") or 0)),
            html.escape(", ".join(status) or "ok"),
            html_text(s.get("last_error") if failing else ""),
        ]
        tds = "".join(
            f'<td class="num">{c}</td>' if i == 3 else f"<td>{c}</td>" for i, c in enumerate(cells)
        )
        rows.append(f'<tr class="failing">{tds}</tr>' if failing else f"<tr>{tds}</tr>")
    if not rows:
        return "<p>No source has been polled yet.</p>"
    head = "".join(f"<th>{h}</th>" for h in _SOURCE_COLUMNS)
    return (
        f'<div class="table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _link(url: str, label: str | None) -> str:
    text = html.escape(xml_line(label or url) or url)
    href = http_url(url)
    return f'<a href="{html.escape(href, quote=True)}">{text}</a>' if href else text


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _when(value: str | dt.datetime) -> str:
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return human_date(when.isoformat(timespec="minutes"))


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy"'
        " content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )
