"""What alerts, line by line as the README states it (issue 16).

Each article is placed and written as a pass does (identity.place, then poll.save_new_article,
which queues the alerts), through a real store; the outbox is what the channels will send.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from monitor import config as config_mod
from monitor import poll
from monitor.core import identity
from monitor.core.dedup import canonical_url
from monitor.core.models import Article, Flags
from monitor.outputs.feed import atom_feed
from monitor.outputs.report import html_report
from monitor.shell import alerts
from monitor.shell.store import Database, articles, open_db, outbox
from monitor.shell.store.articles import NewArticle

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
CHANNELS = ["email", "webhook"]
EN = "https://kisi.kz/en/news/memorandum-with-fudan/"
RU = "https://kisi.kz/ru/news/memorandum-s-fudanem/"
TEXT_EN = (
    "Director Yerlan Karin and Professor Zhang Weiwei signed a memorandum on 18 November in "
    "Astana. The parties plan 12 joint projects on water security and a forum in Shanghai."
)
TEXT_RU = (
    "Директор Ерлан Карин и профессор Чжан Вэйвэй подписали меморандум 18 ноября в Астане. "
    "Стороны планируют 12 совместных проектов по водной безопасности и форум в Шанхае."
)
REPOST = (
    "Professor Zhang Weiwei of Fudan University and Yerlan Karin of KazISS agreed on 18 "
    "November to run 12 projects together on water security, with a forum in Shanghai."
)


def arrive(
    store: Database,
    url: str,
    text: str,
    *,
    language: str = "en",
    source: str = "kisi-en",
    flagged: bool = True,
    baseline: bool = False,
    alternates: dict[str, str] | None = None,
) -> str:
    """One article arriving in a pass; its story."""
    article = Article(
        url, text[:40], dt.date(2026, 11, 20), text, language, alternates=alternates or {}
    )
    fp = identity.fingerprint(article, canonical_url(url), source, NOW.date())
    placement = identity.place(fp, text, articles.fetch_seen(store, {fp.canonical}, fp))
    assert placement.article_id is None, placement
    new = NewArticle(
        url=fp.canonical,
        source=source,
        article=article,
        flags=Flags(flagged, ("CN",) if flagged else (), (), flagged),
        baseline=baseline,
        story=placement.story,
        **identity.index_fields(fp),
    )
    return poll.save_new_article(store, new, NOW, CHANNELS)[1]


def queued(store: Database) -> list[tuple[str, str]]:
    return sorted((a.story, a.channel) for a in outbox.fetch_alerts(store))


def test_a_story_alerts_once_when_its_first_flagged_article_arrives_after_the_baseline() -> None:
    store = open_db(":memory:")
    story = arrive(store, EN, TEXT_EN)
    assert arrive(store, "https://isis.org.my/kisi-fudan/", REPOST, source="isis") == story
    assert queued(store) == [(story, "email"), (story, "webhook")]


def test_a_translation_or_repost_of_news_there_at_the_baseline_stays_silent() -> None:
    store = open_db(":memory:")
    story = arrive(store, EN, TEXT_EN, flagged=False, baseline=True)
    translation = arrive(store, RU, TEXT_RU, language="ru", source="kisi-ru", alternates={"en": EN})
    repost = arrive(store, "https://isis.org.my/kisi-fudan/", REPOST, source="isis")
    assert translation == repost == story
    assert queued(store) == []


def test_an_unflagged_article_joining_a_flagged_story_adds_no_alert() -> None:
    store = open_db(":memory:")
    story = arrive(store, EN, TEXT_EN)
    first = queued(store)
    assert (
        arrive(
            store,
            RU,
            TEXT_RU,
            language="ru",
            source="kisi-ru",
            flagged=False,
            alternates={"en": EN},
        )
        == story
    )
    assert queued(store) == first == [(story, "email"), (story, "webhook")]


def test_a_storys_title_is_its_first_flagged_articles_in_the_preferred_language() -> None:
    store = open_db(":memory:")
    story = arrive(store, RU, TEXT_RU, language="ru", source="kisi-ru")
    arrive(store, EN, TEXT_EN, alternates={"ru": RU})
    (item, *_) = outbox.fetch_alerts(store)
    plain = alerts.build_message(store, item, NOW)
    assert plain.payload["title"] == TEXT_RU[:40]  # the first flagged article's
    english = alerts.build_message(store, item, NOW, languages=("en",))
    assert english.payload["title"] == TEXT_EN[:40]
    assert TEXT_EN[:40] in english.subject and story == item.story
    config = config_mod.loads("languages: [EN, ru]\nsources: []\n", env={})
    assert config.languages == ("en", "ru")


def test_the_report_and_the_feed_name_a_story_as_its_alert_does() -> None:
    store = open_db(":memory:")
    arrive(store, RU, TEXT_RU, language="ru", source="kisi-ru")
    arrive(store, EN, TEXT_EN, alternates={"ru": RU})
    feed = etree.fromstring(atom_feed(store, now=NOW, flagged=True, languages=("en",)))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = feed.findall("a:entry", ns)
    assert entry.findtext("a:title", namespaces=ns) == TEXT_EN[:40]
    assert entry.find("a:link[@rel='alternate']", ns).get("href") == EN.rstrip("/")
    page = html_report(store, now=NOW, languages=("en",))
    story_heading = page.split('<article class="story">', 1)[1].split("</h3>", 1)[0]
    assert TEXT_EN[:40] in story_heading and TEXT_RU[:40] not in story_heading
    assert TEXT_RU[:40] in html_report(store, now=NOW).split('<article class="story">')[1][:400]
