"""Stories grow only by what the whole story shares, never by a chain of weak likenesses.

Issue 16's classes 2 and 3: one story swallowed eleven unrelated articles through shared dates,
numbers and common names, and all pages of a site with one generic title became one story.
Each article here is placed as a pass places it, through a real (in-memory) store.
"""

from __future__ import annotations

import datetime as dt

from factories import place_story
from factories import story_doc as doc

from monitor.core.stories import THRESHOLD, StoryDoc, assign, features, score
from monitor.shell.store import open_db

KAZISS = doc(
    1,
    "kisi.kz",
    "KazISS and Fudan University sign a memorandum",
    "Director Yerlan Karin and Professor Zhang Weiwei signed a memorandum on 18 November in "
    "Astana. The parties plan 12 joint projects on water security and a forum in Shanghai.",
)
REPOST = doc(
    2,
    "isis.org.my",
    "Fudan and KazISS agree on joint research",
    "Professor Zhang Weiwei of Fudan University and Yerlan Karin of KazISS agreed on 18 November "
    "to run 12 projects together. A conference on water security follows in Shanghai, where 40 "
    "experts from Singapore will discuss Mekong cooperation with Anan Wongsakul.",
)
# Another event, which shares with the repost only its last sentence, and nothing with the first.
MEKONG = doc(
    3,
    "rsis.edu.sg",
    "Experts from Singapore discuss Mekong cooperation",
    "40 experts from Singapore met Anan Wongsakul to discuss Mekong cooperation and the river's "
    "future.",
)


def test_an_article_like_one_member_but_not_the_story_starts_its_own() -> None:
    first, repost, mekong = (features(d) for d in (KAZISS, REPOST, MEKONG))
    assert score(first, repost) >= THRESHOLD  # one event, two reports
    assert score(mekong, repost) >= THRESHOLD > score(mekong, first)
    assert assign(mekong, [("s1", repost)]) == "s1"  # alone, the repost would take it
    assert assign(mekong, [("s1", first), ("s1", repost)]) is None


def test_the_store_compares_a_new_article_with_every_member_of_a_candidate_story() -> None:
    # The Mekong item shares no index key with the first report: the store must bring it in
    # as a member of the repost's story, or the chain would form.
    store = open_db(":memory:")
    first, repost, mekong = (place_story(store, d) for d in (KAZISS, REPOST, MEKONG))
    assert first == repost
    assert mekong != first


def test_one_sources_pages_with_one_generic_title_are_separate_stories() -> None:
    footer = (
        " The Institute of Strategic Studies, 12 Abai Avenue, Almaty, tel. 272 55 10, is the "
        "country's leading centre for foreign-policy research."
    )
    pages = [
        doc(1, "iss.kz", "Новости", "Roundtable on water policy with Aigerim Sadykova." + footer),
        doc(2, "iss.kz", "Новости", "Delegation from Tashkent visited the institute." + footer),
        doc(3, "iss.kz", "Новости", "New report on regional trade by Bolat Nurlanov." + footer),
    ]
    store = open_db(":memory:")
    assert len({place_story(store, p) for p in pages}) == 3


def test_the_same_source_still_groups_its_language_versions() -> None:
    en = doc(
        1,
        "kisi.kz",
        "KazISS and Fudan University sign a memorandum",
        KAZISS.text,
    )
    ru = doc(
        2,
        "kisi.kz",
        "КИСИ и Фуданьский университет подписали меморандум",
        "Директор Ерлан Карин и профессор Чжан Вэйвэй подписали меморандум 18 ноября в Астане. "
        "Стороны планируют 12 совместных проектов по водной безопасности и форум в Шанхае.",
        language="ru",
    )
    store = open_db(":memory:")
    assert place_story(store, en) == place_story(store, ru)


def test_a_mention_of_the_articles_own_day_is_no_evidence() -> None:
    text = "On 20 November the institute held its annual meeting; on 3 December it reports."
    evidence = features(doc(1, "kisi.kz", "Meeting", text)).evidence
    assert "d:12-03" in evidence  # another day: a fact of the news
    assert "d:11-20" not in evidence and "#:20" not in evidence  # its own day


def test_a_translation_weeks_later_joins_by_its_language_link() -> None:
    # Beyond the two-week window the evidence no longer counts, the hreflang link still does.
    en = StoryDoc(
        1,
        "https://kisi.kz/en/news/memorandum/",
        "kisi-en",
        "en",
        KAZISS.title,
        KAZISS.text,
        dt.date(2026, 10, 1),
    )
    kk = StoryDoc(
        2,
        "https://kisi.kz/kk/news/memorandum/",
        "kisi-kk",
        "kk",
        "ҚСЗИ мен Фудань университеті меморандумға қол қойды",
        "Директор Ерлан Карин мен профессор Чжан Вэйвэй меморандумға қол қойды.",
        dt.date(2026, 12, 7),
        alternates=("https://kisi.kz/en/news/memorandum/",),
    )
    store = open_db(":memory:")
    assert place_story(store, en) == place_story(store, kk)
