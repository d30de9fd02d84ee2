"""The Atom feed: valid for a feed reader, one stable entry per story, scraped text kept inert."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest
from factories import save as _save

from monitor.core.models import Evidence
from monitor.outputs.feed import atom_feed, story_entry_id
from monitor.shell.store import Database, open_db, queries
from monitor.shell.store.db import installation_id

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
SCRIPT_TITLE = 'Talks <script>alert("x")</script> & ]]> «Астана» end'
MOU = "KazISS signed a Memorandum of understanding with ISIS Malaysia; the memorandum covers it."


@pytest.fixture
def store(tmp_path: Path) -> Database:
    store = open_db(tmp_path / "monitor.db")
    mou = Evidence("agreement", "memorandum", MOU, 16, 26, rule="agreement:memorandum")
    my = Evidence("country", "Malaysia", MOU, 58, 66, country="MY", rule="name")
    _save(
        store,
        "https://kisi.kz/en/news/mou",
        "KazISS and ISIS Malaysia sign a MoU",
        evidence=(mou, my),
    )
    ru = Evidence("agreement", "меморандум", "КИСИ подписал меморандум с ISIS.", 13, 23)
    _save(
        store,
        "https://kisi.kz/ru/news/mou",
        "КИСИ и ISIS Малайзии подписали меморандум",
        seen=NOW + dt.timedelta(hours=3),
        evidence=(ru,),
        story="s1",
        language="ru",
        source="kisi-ru",
    )
    hostile = Evidence(
        "country",
        "Kazakhstan",
        "<script>steal()</script> Kazakhstan \x00\x07 <b>bold</b>",
        0,
        1,
        "KZ",
    )
    _save(
        store,
        "https://isis.org.my/2026/11/hostile/",
        SCRIPT_TITLE + "\x07\x1b",
        seen=NOW - dt.timedelta(days=1),
        evidence=(hostile,),
        source="isis",
    )
    _save(
        store,
        "https://isis.org.my/2026/11/plain/",
        "Line one\nline two",
        seen=NOW - dt.timedelta(days=2),
    )
    return store


def _parse(feed: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_valid_atom_with_one_entry_per_story(store: Database) -> None:
    feed = atom_feed(store, now=NOW, self_url="https://example.org/feed.atom")
    lxml.etree.fromstring(feed)  # strict XML 1.0: raises on a control character
    parsed = _parse(feed)
    assert parsed.version == "atom10"
    installation = installation_id(store)
    assert parsed.feed.id == f"tag:monitor,2026:{installation}/feed/stories"
    assert parsed.feed.updated == "2026-11-28T12:00:00+00:00"  # latest article found
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [
        "https://example.org/feed.atom"
    ]
    assert parsed.feed.generator == "monitor"
    stories = queries.fetch_stories(store)
    assert [e.id for e in parsed.entries] == [
        story_entry_id(s["story"], installation) for s in stories
    ]
    assert len(parsed.entries) == 3 and len({e.id for e in parsed.entries}) == 3


def test_entry_links_every_article_and_carries_flags(store: Database) -> None:
    (entry,) = [e for e in _parse(atom_feed(store, now=NOW)).entries if e.id.endswith("/s1")]
    assert entry.title == "KazISS and ISIS Malaysia sign a MoU"
    assert [(link.rel, link.href) for link in entry.links] == [
        ("alternate", "https://kisi.kz/en/news/mou"),
        ("related", "https://kisi.kz/ru/news/mou"),
    ]
    assert entry.link == "https://kisi.kz/en/news/mou"
    assert entry.updated == "2026-11-28T12:00:00+00:00"
    assert entry.published == "2026-11-28T09:00:00+00:00"
    assert {(t.term, t.scheme) for t in entry.tags} == {
        ("agreement", "tag:monitor,2026:flags"),
        ("MY", "tag:monitor,2026:countries"),
    }
    content = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    assert [a.get("href") for a in content.iter("a")] == [
        "https://kisi.kz/en/news/mou",
        "https://kisi.kz/ru/news/mou",
    ]
    assert [m.text for m in content.iter("strong")] == [
        "Memorandum",  # one sentence, every match marked in text order
        "Malaysia",
        "memorandum",
        "меморандум",
    ]
    assert "kisi-ru · ru · 27 November 2026" in content.text_content()


def test_ids_stable_across_runs(store: Database) -> None:
    before = [e.id for e in _parse(atom_feed(store, now=NOW)).entries]
    _save(
        store,
        "https://kisi.kz/kz/news/mou",
        "Меморандумға қол қойылды",
        story="s1",
        seen=NOW + dt.timedelta(days=1),
        language="kk",
    )
    _save(store, "https://isis.org.my/2026/11/new/", "A new story", seen=NOW + dt.timedelta(days=2))
    after = _parse(atom_feed(store, now=NOW + dt.timedelta(days=3))).entries
    assert [e.id for e in after][1:] == before
    (s1,) = [e for e in after if e.id == before[0]]
    assert s1.updated == "2026-11-29T09:00:00+00:00"
    assert [link.href for link in s1.links][-1] == "https://kisi.kz/kz/news/mou"


def test_hostile_text_stays_text(store: Database) -> None:
    feed = atom_feed(store, now=NOW)
    assert b"\x07" not in feed and b"\x00" not in feed and b"\x1b" not in feed
    root = lxml.etree.fromstring(feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    s3, s4 = (story_entry_id(s, installation_id(store)) for s in ("s3", "s4"))
    (content,) = root.xpath(f"//a:entry[a:id='{s3}']/a:content", namespaces=ns)
    html = lxml.html.fragment_fromstring(content.text, create_parent="div")
    assert not list(html.iter("script")) and not list(html.iter("b"))
    assert "<script>steal()</script>" in html.text_content()
    assert [m.text for m in html.iter("strong")] == ["Kazakhstan"]
    entries = {e.id: e for e in _parse(feed).entries}
    assert entries[s3].title == SCRIPT_TITLE
    # Titles are one line in a reader's list.
    assert entries[s4].title == "Line one line two"


def test_flagged_feed_and_limit(store: Database) -> None:
    parsed = _parse(atom_feed(store, now=NOW, flagged=True, title="Flagged «KZ»"))
    assert parsed.feed.title == "Flagged «KZ»"
    assert parsed.feed.id == f"tag:monitor,2026:{installation_id(store)}/feed/flagged"
    assert [e.id.rsplit("/", 1)[1] for e in parsed.entries] == ["s1", "s3"]
    assert len(_parse(atom_feed(store, now=NOW, limit=1)).entries) == 1


def test_empty_store_is_a_valid_feed(tmp_path: Path) -> None:
    parsed = _parse(atom_feed(open_db(tmp_path / "m.db"), now=NOW, feed_id="urn:x:feed"))
    assert parsed.entries == [] and parsed.feed.id == "urn:x:feed"
    assert parsed.feed.updated == "2026-11-28T09:00:00+00:00"


def test_non_http_urls_are_not_links(tmp_path: Path) -> None:
    store = open_db(tmp_path / "m.db")
    _save(store, "javascript:alert(1)", "Odd")
    (entry,) = _parse(atom_feed(store, now=NOW)).entries
    assert [link.href for link in entry.get("links", [])] == []
    content = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    assert list(content.iter("a")) == [] and "Odd" in content.text_content()
