"""The HTML report: one page that loads nothing, a bar group per week, evidence, source health."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from click.testing import CliRunner
from factories import save as _save

from monitor.cli import cli
from monitor.core.models import Evidence
from monitor.outputs.report import MAX_WEEKS, bar_chart, html_report, iso_week, weeks_between
from monitor.shell.store import Database, open_db, sources

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)  # a Saturday of 2026-W48
HOSTILE = 'Talks <script>alert("x")</script> & ]]> <img src=x onerror=alert(1)> \x07 end'
MOU = "KazISS signed a Memorandum of understanding with ISIS Malaysia; the memorandum covers it."


@pytest.fixture
def store(tmp_path: Path) -> Database:
    store = open_db(tmp_path / "monitor.db")
    for name, url, kind in [
        ("kisi-en", "https://kisi.kz/en/", "auto"),
        ("isis", "https://isis.org.my/", "html"),
        ("never-polled", "https://example.kz/news/", "rss"),
    ]:
        sources.save_source(store, name, url, kind, NOW)
    sources.save_pass(
        store,
        "kisi-en",
        started=NOW,
        finished=NOW,
        kind="rss",
        links=3,
        new=3,
        seen=0,
        failed=0,
        error=None,
    )
    sources.save_pass(
        store,
        "isis",
        started=NOW,
        finished=NOW,
        kind=None,
        links=None,
        new=0,
        seen=0,
        failed=0,
        error="HTTP 503 from <https://isis.org.my/> <b>maintenance</b>",
    )
    mou = Evidence("agreement", "memorandum", MOU, 16, 26, rule="agreement:memorandum")
    my = Evidence("country", "Malaysia", MOU, 58, 66, country="MY", rule="name")
    # 2026-W48: a story of two articles (agreement, MY).
    _save(
        store,
        "https://kisi.kz/en/news/mou",
        "KazISS and ISIS Malaysia sign a MoU",
        dt.date(2026, 11, 27),
        (mou, my),
    )
    ru = Evidence("agreement", "меморандум", "КИСИ подписал меморандум с ISIS.", 13, 23)
    _save(
        store,
        "https://kisi.kz/ru/news/mou",
        "КИСИ и ISIS подписали меморандум",
        dt.date(2026, 11, 27),
        (ru,),
        story="s1",
    )
    # 2026-W45: a hostile page naming Kazakhstan.
    kz = Evidence(
        "country", "Kazakhstan", "<script>steal()</script> Kazakhstan \x00 wins", 0, 1, "KZ"
    )
    _save(
        store,
        "https://isis.org.my/2026/11/02/hostile/",
        HOSTILE,
        dt.date(2026, 11, 2),
        (kz,),
        source="isis",
    )
    # 2026-W44: another KZ story, and an unflagged article that must not count.
    kz2 = Evidence("country", "Kazakhstan", "Kazakhstan and Malaysia", 0, 10, "KZ")
    _save(
        store,
        "https://isis.org.my/2026/10/27/kz/",
        "Kazakhstan ties",
        dt.date(2026, 10, 27),
        (kz2,),
        source="isis",
    )
    _save(store, "https://kisi.kz/en/news/plain", "A seminar", dt.date(2026, 11, 3))
    return store


def _page(store: Database, **kw: object) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html_report(store, now=NOW, **kw))  # type: ignore[arg-type]


def _bars(page: lxml.html.HtmlElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for g in page.xpath("//svg//g[@data-week]"):
        out[g.get("data-week")] = [r.get("data-label") for r in g.xpath(".//rect[@data-week]")]
    return out


def test_iso_weeks() -> None:
    assert iso_week(dt.date(2026, 11, 28)) == "2026-W48"
    assert iso_week(dt.date(2027, 1, 1)) == "2026-W53"  # ISO year, not calendar year
    assert weeks_between(dt.date(2026, 12, 24), dt.date(2027, 1, 10)) == [
        "2026-W52",
        "2026-W53",
        "2027-W01",  # Monday 4 January to Sunday 10 January
    ]


def test_chart_has_one_group_per_week_in_range(store: Database) -> None:
    bars = _bars(_page(store))
    assert list(bars) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert bars == {
        "2026-W44": ["all", "KZ"],
        "2026-W45": ["all", "KZ"],
        "2026-W46": [],
        "2026-W47": [],
        "2026-W48": ["all", "agreement", "MY"],  # two articles, one story: counted once
    }
    page = _page(store)
    tips = [t.text for t in page.xpath("//svg//rect/title")]
    assert "2026-W48 · Malaysia (MY): 1 story" in tips
    assert page.xpath("//svg//text[.='flagged stories']") and page.xpath("//svg//text[.='W45']")


def test_since_and_chosen_countries(store: Database) -> None:
    bars = _bars(_page(store, since=dt.date(2026, 11, 1), countries=["MY"]))
    assert bars == {
        "2026-W44": [],  # 1 November 2026 is a Sunday of W44
        "2026-W45": ["all"],
        "2026-W46": [],
        "2026-W47": [],
        "2026-W48": ["all", "agreement", "MY"],
    }
    later = _page(store, since=dt.date(2026, 11, 20))
    assert "Kazakhstan ties" not in later.text_content()
    assert list(_bars(later)) == ["2026-W47", "2026-W48"]


def test_bar_chart_counts_and_heights() -> None:
    svg = lxml.html.fragment_fromstring(
        bar_chart({"2026-W01": {"all": 4, "agreement": 2}, "2026-W02": {}, "2026-W03": {"all": 1}})
    )
    rects = svg.xpath(".//rect")
    assert [(r.get("data-week"), r.get("data-label")) for r in rects] == [
        ("2026-W01", "all"),
        ("2026-W01", "agreement"),
        ("2026-W03", "all"),
    ]
    heights = [float(r.get("height")) for r in rects]
    assert heights[0] == 2 * heights[1] == 4 * heights[2]


def test_latest_flagged_stories_with_marked_evidence(store: Database) -> None:
    page = _page(store)
    stories = page.xpath("//article[@class='story']")
    assert [s.xpath("string(.//h3)") for s in stories] == [
        "KazISS and ISIS Malaysia sign a MoU",
        " ".join(HOSTILE.replace("\x07", "").split()),
        "Kazakhstan ties",
    ]
    first = stories[0]
    assert [a.get("href") for a in first.xpath(".//li/a")] == [
        "https://kisi.kz/en/news/mou",
        "https://kisi.kz/ru/news/mou",
    ]
    assert [m.text for m in first.iter("mark")] == [
        "Memorandum",  # one sentence, every match marked in text order
        "Malaysia",
        "memorandum",
        "меморандум",
    ]
    assert "Agreement · Malaysia (MY)" in first.text_content()
    assert "A seminar" not in page.text_content()


def test_hostile_text_is_escaped(store: Database) -> None:
    text = html_report(store, now=NOW)
    assert "\x07" not in text and "\x00" not in text
    page = lxml.html.document_fromstring(text)
    assert page.xpath("//script") == [] and page.xpath("//img") == [] and page.xpath("//b") == []
    assert "<script>steal()</script> Kazakhstan" in page.text_content()
    assert "<b>maintenance</b>" in page.text_content()


def test_self_contained(store: Database) -> None:
    page = _page(store)
    article_hosts = {"kisi.kz", "isis.org.my", "example.kz"}
    for el in page.iter():
        for attr in ("src", "href", "xlink:href", "{http://www.w3.org/1999/xlink}href"):
            value = el.get(attr)
            if value and urlsplit(value).scheme:
                assert el.tag == "a" and urlsplit(value).hostname in article_hosts, (el.tag, value)
    assert page.xpath("//script[@src] | //link[@rel='stylesheet'] | //img | //iframe") == []
    assert "@import" not in page.xpath("string(//style)") and "url(" not in page.xpath(
        "string(//style)"
    )
    assert page.xpath("//meta[@name='viewport']")
    csp = page.xpath("string(//meta[@http-equiv='Content-Security-Policy']/@content)")
    assert "default-src 'none'" in csp


def test_source_health_table(store: Database) -> None:
    rows = _page(store).xpath("//table//tbody/tr")
    cells = {r.xpath("string(td[1])"): [c.text_content() for c in r.xpath("td")] for r in rows}
    assert (
        set(cells)
        == {s["name"] for s in sources.fetch_sources(store)}
        == {"kisi-en", "isis", "never-polled"}
    )
    assert cells["kisi-en"][1:5] == ["auto", "28 November 2026, 09:00 UTC", "3", "ok"]
    assert cells["isis"][2:] == [
        "never",
        "2",
        "failing ×1",
        "HTTP 503 from <https://isis.org.my/> <b>maintenance</b>",
    ]
    assert cells["never-polled"][2:5] == ["never", "0", "ok"]
    (failing,) = [r for r in rows if r.get("class") == "failing"]
    assert failing.xpath("string(td[1])") == "isis"


def test_empty_store(tmp_path: Path) -> None:
    page = _page(open_db(tmp_path / "m.db"))
    assert page.xpath("//svg") == []
    assert "No flagged story yet." in page.text_content()


def test_broken_dates_do_not_stretch_the_chart(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    kz = Evidence("country", "Kazakhstan", "Kazakhstan", 0, 10, "KZ")
    _save(store, "https://kisi.kz/en/epoch", "Dated 1970", dt.date(1970, 1, 1), (kz,))
    _save(store, "https://kisi.kz/en/future", "Dated 2099", dt.date(2099, 1, 1), (kz,))
    bars = _bars(_page(store))
    assert len(bars) == MAX_WEEKS and list(bars)[-1] == "2026-W48"
    assert bars["2026-W48"] == ["all", "KZ"]  # the future-dated story counts this week
    # Both stories are still listed.
    assert "Dated 1970" in _page(store).text_content()


def test_the_chart_fits_the_page_and_labels_this_week(tmp_path: Path) -> None:
    """A year of weeks once drew a 2,080 px strip that opened on its oldest weeks: the chart
    now scales to the page's width whatever its span, and the current week carries a label."""
    widths = []
    for weeks in (2, 13, 52, MAX_WEEKS):
        names = weeks_between(dt.date(2026, 11, 23) - dt.timedelta(weeks=weeks - 1), NOW.date())
        series = {week: {"all": i % 3} for i, week in enumerate(names)}
        assert list(series)[-1] == "2026-W48"
        svg = lxml.html.fragment_fromstring(bar_chart(series))
        assert svg.get("width") is None  # no fixed size: the page's CSS makes it 100 % wide
        widths.append(svg.get("viewbox") or svg.get("viewBox"))
        labels = [t.text for t in svg.xpath(".//g[@data-week='2026-W48']/text")]
        assert "W48" in labels
    assert len(set(widths)) == 1, widths
    css = html_report(open_db(tmp_path / "m.db"), now=NOW)
    assert ".chart svg{width:100%" in css


def test_monitor_report_draws_a_chart_that_fits_a_1280_px_page(
    store: Database, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli,
        ["--config", str(tmp_path / "none.yaml"), "--db", str(tmp_path / "monitor.db"),
         "report", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = lxml.html.document_fromstring(out.read_text("utf-8"))
    (svg,) = page.xpath("//svg")
    assert svg.get("width") is None and svg.get("viewbox", svg.get("viewBox"))
    assert ".chart svg{width:100%" in out.read_text("utf-8")
    current = iso_week(dt.date.today())
    assert page.xpath(f"//svg//g[@data-week='{current}']/text"), "this week carries a label"
