"""Tests for monitor.core.stories: one story however many sites and languages carry it, no more."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from factories import place_story

from monitor.core.stories import (
    MAX_KEYS,
    THRESHOLD,
    StoryDoc,
    StoryFeatures,
    assign,
    features,
    index_keys,
    key_weights,
    name_key,
    score,
)
from monitor.shell.store import open_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/stories/articles.yaml"


def labelled(*stories: str, keep_alternates: bool = True) -> list[tuple[StoryDoc, str]]:
    """Articles of the labelled set (fixtures/stories/articles.yaml) with the given labels."""
    out = []
    for i, item in enumerate(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")), start=1):
        if item["story"] not in stories:
            continue
        alternates = tuple(item.get("alternates") or ()) if keep_alternates else ()
        doc = StoryDoc(
            i,
            item["url"],
            item["source"],
            item["language"],
            item["title"],
            item["text"],
            item["published"],
            alternates,
        )
        out.append((doc, item["story"]))
    return out


def group(docs: list[StoryDoc]) -> dict[int, str]:
    """Article id -> story, articles arriving in date order and placed as a pass places them."""
    store = open_db(":memory:")
    return {
        doc.id: place_story(store, doc)
        for doc in sorted(docs, key=lambda d: (d.published or dt.date.max, d.id))
    }


def partition(assigned: dict[int, object]) -> set[frozenset[int]]:
    groups: dict[object, set[int]] = {}
    for article, story in assigned.items():
        groups.setdefault(story, set()).add(article)
    return {frozenset(g) for g in groups.values()}


def doc(
    id: int,
    url: str,
    language: str,
    title: str,
    text: str = "",
    published: dt.date | None = dt.date(2024, 5, 21),
    alternates: tuple[str, ...] = (),
    source: str = "kisi.kz",
) -> StoryDoc:
    return StoryDoc(id, url, source, language, title, text, published, alternates)


def test_seed_memorandum_in_four_languages_and_two_sites_is_one_story() -> None:
    # Without the hreflang links: names, acronyms, countries and terms must carry it alone.
    items = labelled("kaziss-isis-mou-2024-05", keep_alternates=False)
    languages = {d.language for d, _ in items}
    sources = {d.source for d, _ in items}
    assert languages == {"en", "ru", "kk", "ms"} and {"kisi.kz", "isis.org.my"} <= sources
    assert len(set(group([d for d, _ in items]).values())) == 1


def test_two_memorandums_of_one_institute_in_one_week_stay_apart() -> None:
    items = labelled("kaziss-isrs-mou-2024-09", "kaziss-css-mou-2024-09", keep_alternates=False)
    expected = partition({d.id: hash(label) for d, label in items})
    assert partition(group([d for d, _ in items])) == expected
    en = {d.url: features(d) for d, _ in items if d.source == "kisi.kz" and d.language == "en"}
    isrs, css = en.values()
    assert score(isrs, css) < THRESHOLD


def test_editions_of_a_yearly_conference_are_separate_stories() -> None:
    items = labelled("apr-2024-06", "apr-2025-06", "apr-2026-06")
    expected = partition({d.id: hash(label) for d, label in items})
    assert partition(group([d for d, _ in items])) == expected
    by_year = {d.published.year: features(d) for d, _ in items if d.source == "isis.org.my"}
    assert score(by_year[2024], by_year[2025]) == 0.0


def test_events_with_one_partner_country_a_month_apart_stay_apart() -> None:
    items = labelled("rsis-visit-kaziss-2025-03", "kz-sg-roundtable-2025-04")
    expected = partition({d.id: hash(label) for d, label in items})
    assert partition(group([d for d, _ in items])) == expected


def test_alternate_links_alone_group_two_versions() -> None:
    en_url = "https://kisi.kz/en/memorandum-signed/"
    ru_url = "https://kisi.kz/ru/podpisan-memorandum/"
    en = features(doc(1, en_url, "en", "Memorandum signed", alternates=(ru_url,)))
    ru = features(doc(2, ru_url, "ru", "Подписан меморандум", published=dt.date(2024, 5, 23)))
    assert score(en, ru) == score(ru, en) == 1.0
    assert assign(en, [("s2", ru)], THRESHOLD) == "s2"


def test_language_switch_to_a_section_root_links_nothing() -> None:
    # A switcher on a page without a translation points at "/ru/": not a version of anything.
    a = features(doc(1, "https://kisi.kz/en/a-story/", "en", "Water", alternates=("/ru/",)))
    b = features(doc(2, "https://kisi.kz/en/b-story/", "en", "Energy", alternates=("/ru/",)))
    c = features(
        doc(3, "https://kisi.kz/en/c/", "en", "Trade", alternates=("https://kisi.kz/ru/",))
    )
    assert not a.alternates and not c.alternates
    assert score(b, c) < THRESHOLD


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Тукумов", "Tukumov"),
        ("Тукумовым", "Tukumov"),
        ("Тұқымов", "Tukumov"),
        ("Абдулла", "Abdullah"),
        ("Абдуллой", "Abdullah"),
        ("Еркин", "Yerkin"),
        ("Еркін", "Yerkin"),
        ("Токаева", "Tokayev"),
        ("Назарзода", "Nazarzoda"),
        ("Чжан", "Zhang"),
    ],
)
def test_names_meet_across_scripts_and_case_endings(cyrillic: str, latin: str) -> None:
    assert name_key(cyrillic) == name_key(latin)


def test_language_independent_evidence() -> None:
    ru = features(
        doc(
            1,
            "https://kisi.kz/ru/x/",
            "ru",
            "КазИСС и ИСМИ подписали Меморандум",
            "9 сентября в Ташкенте КазИСС подписал меморандум с Малайзией и ШОС; 2 500 участников,"
            " рост на 4,5%.",
        )
    )
    kk = features(
        doc(2, "https://kisi.kz/kz/x/", "kk", "ҚСЗИ", "Қазақстанның ШЫҰ төрағалығы, 4,5 пайыз.")
    )
    en = features(
        doc(
            3,
            "https://kisi.kz/en/x/",
            "en",
            "KazISS and ISRS signed a Memorandum",
            "On September 9 in Tashkent KazISS signed a memorandum with Malaysia and the SCO;"
            " 2,500 participants, growth of 4.5%.",
        )
    )
    shared = {"o:kaziss", "o:isrs", "o:sco", "c:MY", "k:memorandum", "d:09-09", "#:2500", "#:4.5"}
    assert shared <= ru.evidence & en.evidence
    assert {"o:kaziss", "o:sco", "c:KZ", "#:4.5"} <= kk.evidence


def test_features_are_json_and_round_trip() -> None:
    (item, _), *_ = labelled("kaziss-isis-mou-2024-05")
    f = features(item)
    text = json.dumps(f.to_dict(), ensure_ascii=False)
    back = StoryFeatures.from_dict(json.loads(text))
    assert back == f and index_keys(back) == index_keys(f)
    with pytest.raises(ValueError, match="unknown keys"):
        StoryFeatures.from_dict({**f.to_dict(), "colour": "red"})


def test_features_stored_before_as_lists_still_read_back() -> None:
    (item, _), *_ = labelled("kaziss-isis-mou-2024-05")
    f = features(item)
    older = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in vars(f).items()}
    assert StoryFeatures.from_dict(json.loads(json.dumps(older, ensure_ascii=False))) == f


def test_a_candidate_in_another_language_scores_the_same_without_its_words() -> None:
    # the store reads back a candidate's words only when they can count: in the same language
    pairs = 0
    items = [d for d, _ in labelled("kaziss-isis-mou-2024-05", "kz-sg-roundtable-2025-04")]
    for a in map(features, items):
        for b in map(features, items):
            if a.language != b.language:
                light = StoryFeatures.from_dict(b.to_dict(), text=False)
                assert not light.words and not light.title
                assert score(a, light) == pytest.approx(score(a, b), abs=1e-12)  # sums in set order
                pairs += 1
    assert pairs >= 4


def test_index_keys_are_few_and_bounded_for_a_long_article() -> None:
    people = " ".join(
        f"Speaker {chr(65 + i % 26)}{chr(97 + i // 26)}bekov spoke." for i in range(80)
    )
    numbers = " ".join(f"{n} tonnes." for n in range(100, 180))
    long = features(doc(1, "https://kisi.kz/en/long/", "en", "A long report", people + numbers))
    keys = index_keys(long)
    assert len(keys) <= MAX_KEYS and "u:https://kisi.kz/en/long" in keys
    (item, _), *_ = labelled("kaziss-isis-mou-2024-05")
    assert 5 <= len(index_keys(features(item))) <= MAX_KEYS


def test_a_token_weighs_by_how_many_articles_outside_the_story_carry_it() -> None:
    counts = {"n:tukum": 3, "n:almat": 40, "o:kaziss": 2}
    # the story's own three reports carry the name: nobody else does, so it keeps weight 1
    weights = key_weights(counts, {"n:tukum": 3, "n:almat": 1, "o:kaziss": 0})
    assert set(weights) == {"n:almat", "o:kaziss"}
    assert weights["n:almat"] < 0.15 < weights["o:kaziss"] < 1
    # the more outside carriers, the less a token says, all in (0, 1)
    alone = key_weights(counts)
    assert 0 < alone["n:almat"] < alone["n:tukum"] < alone["o:kaziss"] < 1


@pytest.mark.parametrize(
    ("cyrillic", "latin_spelling"),
    [("Астана", "Astana"), ("Алматы", "Almaty"), ("Актау", "Aktau"), ("Баку", "Baku")],
)
def test_a_cyrillic_name_as_written_meets_its_latin_spelling(
    cyrillic: str, latin_spelling: str
) -> None:
    """A nominative that ends the way a case ending does ("Астана", the Kazakh "-ты" of
    "Алматы") keeps the key of the word as written beside its stripped one."""
    ru = features(
        StoryDoc(
            1, "https://a.kz/ru/1", "a", "ru", "Встреча", f"Встреча прошла, {cyrillic} ждёт.", None
        )
    )
    en = features(
        StoryDoc(
            2,
            "https://b.my/en/2",
            "b",
            "en",
            "Meeting",
            f"The meeting, {latin_spelling} waits.",
            None,
        )
    )
    assert {t for t in ru.evidence & en.evidence if t.startswith("n:")}, (ru.evidence, en.evidence)


@pytest.mark.parametrize(
    ("cyrillic", "latin_spelling"), [("Худа", "Huda"), ("Нурул Худа", "Nurul Huda")]
)
def test_a_short_cyrillic_name_keeps_its_key_as_written(cyrillic: str, latin_spelling: str) -> None:
    """A name whose stripped stem is too short to key ("Худа" -> "худ") is still keyed as
    written: every key of a word that is long enough stands for it."""
    ru = features(
        StoryDoc(1, "https://a.kz/ru/1", "a", "ru", "Визит", f"Приехала {cyrillic}.", None)
    )
    ms = features(
        StoryDoc(2, "https://b.my/ms/2", "b", "ms", "Lawatan", f"Hadir {latin_spelling}.", None)
    )
    assert "n:uda" in ru.evidence & ms.evidence, (ru.evidence, ms.evidence)


@pytest.mark.parametrize(
    "stamp",
    ["Tue, 12/08/2026 - 10:00", "08.12.2026 14:35", "2026-12-08 09:15", "12/08/26, 10:00"],
)
def test_a_numeric_date_or_a_clock_time_is_no_figure_of_the_news(stamp: str) -> None:
    """A page's date line leaks into its text ("Tue, 12/08/2026 - 10:00"): its numbers say when
    the page was posted, not what the news counts, and must not make a translation that lacks
    them look like other news (the figures' contradiction rule)."""
    text = f"{stamp}\n\nThe forum brought together 260 participants."
    got = features(StoryDoc(1, "https://a.kz/en/1", "a", "en", "Forum", text, None))
    figures = {t for t in got.evidence if t.startswith("#:")}
    assert figures == {"#:260"}, got.evidence


@pytest.mark.parametrize(
    ("cyrillic", "latin_spelling"),
    [
        ("Кэндзи", "Kenji"),  # Russian writes Japanese "j" as "дз"
        ("Йылмаз", "Yilmaz"),
        ("Клэр", "Claire"),  # a silent final "e"
    ],
)
def test_a_name_meets_its_spelling_in_the_other_script(cyrillic: str, latin_spelling: str) -> None:
    ru = features(
        StoryDoc(1, "https://a.kz/ru/1", "a", "ru", "Визит", f"Выступил {cyrillic} Ахметов.", None)
    )
    en = features(
        StoryDoc(
            2,
            "https://b.my/en/2",
            "b",
            "en",
            "Visit",
            f"Speaking was {latin_spelling} Akhmetov.",
            None,
        )
    )
    names = {t for t in ru.evidence & en.evidence if t.startswith("n:")}
    assert len(names) >= 2, (ru.evidence, en.evidence)


def test_a_headline_in_title_case_names_no_one_by_its_capitals() -> None:
    """ "Experts Discuss Critical Minerals In Astana": English headlines capitalise every word,
    so capitals there say nothing; the names of the news are in its text."""
    en = features(
        StoryDoc(
            1,
            "https://b.my/en/2",
            "b",
            "en",
            "Experts Discuss Critical Minerals In Astana",
            "The forum was held in Astana. Experts spoke.",
            None,
        )
    )
    names = {t for t in en.evidence if t.startswith("n:")}
    assert names == {"n:astan"}, en.evidence


def test_a_translation_meets_its_original_on_tokens_other_items_of_the_week_share() -> None:
    """One event's names and figures are rarely its alone: the institute's director and a city
    appear in other items of the week, and 50 or 12 in some of them. Such tokens say less, not
    nothing: what a translation shares with its original is mostly them."""
    en = features(
        doc(
            1,
            "https://a.kz/en/news/mou/",
            "en",
            "Memorandum signed with the Center for Strategic Studies",
            "In Almaty, Asel Kasymova and the Center for Strategic Studies of Tajikistan signed a "
            "memorandum on transport corridors: 50 joint events a year and 12 joint papers. "
            "Experts in Astana welcomed it.",
            source="a.kz",
        )
    )
    ru = features(
        doc(
            2,
            "https://b.kz/ru/novosti/memorandum/",
            "ru",
            "Меморандум о сотрудничестве с партнёрами",
            "Асель Касымова и Центр стратегических исследований Таджикистана подписали "
            "меморандум о транспортных коридорах: 50 совместных мероприятий в год и 12 "
            "аналитических докладов.",
            source="b.kz",
        )
    )
    shared = en.evidence & ru.evidence
    assert {"#:50", "#:12", "c:TJ", "n:kasam"} <= shared, shared
    # each name and figure they share is carried by a dozen items of the fortnight besides these
    counts = {t: 13 for t in shared if t[0] in "n#"}
    assert assign(en, [("story", ru)], counts=counts) == "story"


def test_a_line_of_names_in_the_text_keeps_its_names_and_an_apostrophe_joins_a_word() -> None:
    text = (
        "Participants.\nPresident Kassym-Jomart Tokayev And Prime Minister Anwar Ibrahim\n"
        "The talks were held with Valéry d'Estaing present."
    )
    got = features(StoryDoc(1, "https://a.kz/en/1", "a", "en", "Talks held", text, None))
    assert {"n:takav", "n:anvar", "n:ibram"} <= got.evidence, got.evidence
    assert not {t for t in got.evidence if t.startswith("n:esta")}, got.evidence
    ru = features(
        StoryDoc(2, "https://a.kz/ru/2", "a", "ru", "Визит", "Зеленский прибыл в Астану.", None)
    )
    assert "k:green" not in ru.evidence
