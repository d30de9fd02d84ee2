"""Stories across the languages of one site when the site does not link its versions.

Many institutes publish each item in two or three languages without hreflang; their language
menu leads to the other language's news page. The versions must still meet, on what they
share, and the menu must not make one story of the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from factories import place_story

from monitor.core.stories import THRESHOLD, StoryDoc, features, score
from monitor.shell.store import open_db

DAY = dt.date(2026, 11, 20)
SITE = "https://cssr.example"


def page(
    i: int,
    lang: str,
    title: str,
    text: str,
    *,
    day: dt.date = DAY,
    alternates: tuple[str, ...] = (),
    path: str | None = None,
) -> StoryDoc:
    url = f"{SITE}/{lang}/{day:%Y/%m}/{100 + i}-{path or i}/"
    return StoryDoc(i, url, f"cssr-{lang}", lang, title, text, day, alternates)


def stories(*docs: StoryDoc) -> list[str]:
    store = open_db(":memory:")
    return [place_story(store, d) for d in docs]


def test_a_menu_link_to_the_other_language_s_news_page_makes_no_story() -> None:
    # Every page's language menu names the same "/ru/novosti/": a menu, no version of any one.
    menu = (f"{SITE}/ru/novosti/", f"{SITE}/kk/zhanalyqtar/")
    placed = stories(
        page(
            1,
            "en",
            "Round table on water resources",
            "Experts discussed glaciers.",
            alternates=menu,
        ),
        page(
            2, "en", "Lecture on artificial intelligence", "A lecture on AI rules.", alternates=menu
        ),
        page(3, "kk", "Көші-қон саясаты семинары", "Семинар өтті.", alternates=menu[:1]),
        page(4, "en", "New report on food security", "The report covers wheat.", alternates=menu),
    )
    assert len(set(placed)) == 4


EN = (
    "On 18 November 2026, Kamila Iskakova of the Centre presented findings on water resources "
    "in Central Asia prepared with the Tajik Academy of Sciences. The study covers 14 river "
    "basins. Farrukh Alimov stressed the importance of regular expert dialogue."
)
RU = (
    "18 ноября 2026 года Камила Искакова представила результаты исследования водных ресурсов "
    "Центральной Азии, подготовленного совместно с Академией наук Таджикистана. Исследование "
    "охватывает 14 речных бассейнов. Фаррух Алимов подчеркнул важность регулярного диалога."
)
OTHER_RU = (
    "18 ноября 2026 года Айгерим Садыкова прочитала лекцию о регулировании искусственного "
    "интеллекта для молодых исследователей. В лекции приняли участие 40 студентов."
)


def test_a_site_s_versions_meet_and_its_other_news_of_the_day_stays_apart() -> None:
    # The guard on the rule below: it must not join a site's unrelated news of one day.
    en = page(1, "en", "Kamila Iskakova presents findings on water resources", EN)
    ru = page(2, "ru", "Камила Искакова представила исследование водных ресурсов", RU)
    other = page(3, "ru", "Лекция о регулировании искусственного интеллекта", OTHER_RU)
    first, second, third = stories(en, ru, other)
    assert first == second
    assert third != first


def test_what_two_language_versions_share_says_more_on_one_site() -> None:
    # The institute's own people are in most of its news of the fortnight, so the names weigh
    # little (weights as the index gives them); a site that puts out each item in each of its
    # languages makes the same likeness, between its own two pages, much more telling.
    en = features(page(1, "en", "Kamila Iskakova presents findings on water resources", EN))
    short = (  # a shorter version: the lead and one quote
        "18 ноября 2026 года Камила Искакова представила результаты исследования водных "
        "ресурсов. Фаррух Алимов подчеркнул важность регулярного экспертного диалога."
    )
    ru_doc = page(2, "ru", "Камила Искакова представила исследование водных ресурсов", short)
    ru = features(ru_doc)
    elsewhere = features(replace(ru_doc, url="https://other.example/ru/news/2/", source="other"))
    busy = {t: 0.05 for t in en.evidence & ru.evidence if t[0] in "n#"}
    assert score(en, elsewhere, busy) < THRESHOLD <= score(en, ru, busy)


def test_a_version_published_weeks_later_is_dated_by_its_lead() -> None:
    # The Kazakh version came three weeks late; its lead still names the day of the event.
    kk_text = (
        "2026 жылғы 18 қараша Камила Искакова Тәжікстан Ғылым академиясымен бірге дайындалған "
        "Орталық Азиядағы су ресурстары туралы зерттеу нәтижелерін таныстырды. Зерттеу 14 өзен "
        "алабын қамтиды. Фаррух Алимов тұрақты сараптамалық диалогтың маңызына тоқталды."
    )
    late = DAY + dt.timedelta(days=21)
    kk = page(
        2, "kk", "Камила Искакова су ресурстары туралы зерттеуді таныстырды", kk_text, day=late
    )
    assert features(kk).published == "2026-11-18"
    en = page(1, "en", "Kamila Iskakova presents findings on water resources", EN)
    first, second = stories(en, kk)
    assert first == second


def test_a_dates_month_is_nobody_s_name() -> None:
    text = "Pada 2 Disember 2026, delegasi Institut Kajian Antarabangsa Shanghai melawat Astana."
    ms = features(StoryDoc(1, f"{SITE}/ms/1/", "cssr-ms", "ms", "Delegasi", text, DAY))
    assert "d:12-02" in ms.evidence
    assert not {t for t in ms.evidence if t.startswith("n:das")}


def test_every_country_name_and_demonym_the_flags_know_is_a_country_here_too() -> None:
    ru = features(
        StoryDoc(
            1,
            f"{SITE}/ru/1/",
            "cssr-ru",
            "ru",
            "Визит",
            "Германский совет и японский институт.",
            DAY,
        )
    )
    ms = features(
        StoryDoc(
            2,
            f"{SITE}/ms/2/",
            "cssr-ms",
            "ms",
            "Lawatan",
            "Institut Hubungan Antarabangsa Perancis.",
            DAY,
        )
    )
    assert {"c:DE", "c:JP"} <= ru.evidence
    assert "c:FR" in ms.evidence
    assert not {t for t in ru.evidence | ms.evidence if t.startswith("n:")} & {
        "n:garma",
        "n:yapan",
        "n:paran",
    }
