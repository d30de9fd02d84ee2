"""Dates as the watched sites print them, in their markup, their text and their URLs."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.core.dates import (
    date_from_url,
    is_plausible,
    iter_textual_dates,
    month_forms,
    month_number,
    parse_date_value,
)

ALMATY = dt.timezone(dt.timedelta(hours=5))


def first_date(text: str, languages: tuple[str, ...] = ()) -> dt.date | dt.datetime | None:
    return next((value for _, value in iter_textual_dates(text, languages, ALMATY)), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Опубликовано 28 ноября 2026", dt.date(2026, 11, 28)),
        ("28 қараша 2026", dt.date(2026, 11, 28)),
        ("2026 жылғы 28 қарашада Астанада", dt.date(2026, 11, 28)),
        ("2026 ж. 3 қаңтарда", dt.date(2026, 1, 3)),
        ("Diterbitkan 12 Mac 2026", dt.date(2026, 3, 12)),
        ("12 Ogos 2025 (Selasa)", dt.date(2025, 8, 12)),
        ("November 28, 2026", dt.date(2026, 11, 28)),
        ("Nov. 3rd, 2024", dt.date(2024, 11, 3)),
        ("26 February 2024 (Monday)", dt.date(2024, 2, 26)),
        ("Date26 February 2024 (Monday)", dt.date(2024, 2, 26)),
        ("28.11.2026", dt.date(2026, 11, 28)),
        ("2026-11-28", dt.date(2026, 11, 28)),
        ("5 мая 2025 г.", dt.date(2025, 5, 5)),
    ],
)
def test_textual_dates_in_every_language_and_form(text: str, expected: dt.date) -> None:
    assert first_date(text) == expected


def test_a_time_after_the_date_gives_a_datetime_in_the_source_timezone() -> None:
    assert first_date("5 мая 2025 г., 14:30") == dt.datetime(2025, 5, 5, 14, 30, tzinfo=ALMATY)


def test_words_that_are_not_months_are_not_dates() -> None:
    assert first_date("В 2024 году 15 человек, 3 страны и 2026 проектов") is None
    assert first_date("Room 12 Main 2026 building") is None


def test_dates_come_in_reading_order() -> None:
    text = "Updated 2 December 2026. Published November 28, 2026."
    found = [value for _, value in iter_textual_dates(text)]
    assert found == [dt.date(2026, 12, 2), dt.date(2026, 11, 28)]


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("ноября", 11),
        ("ноябрь", 11),
        ("ноябре", 11),
        ("мае", 5),
        ("қарашада", 11),
        ("қаңтардағы", 1),
        ("Mac", 3),
        ("Ogos", 8),
        ("Sept", 9),
        ("Dec.", 12),
    ],
)
def test_inflected_month_names(word: str, month: int) -> None:
    table = {**month_forms("en"), **month_forms("ru"), **month_forms("kk"), **month_forms("ms")}
    assert month_number(word, table) == month


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-26T10:00:00+08:00", dt.datetime(2024, 2, 26, 2, 0, tzinfo=dt.UTC)),
        ("2024-02-26T10:00:00+0800", dt.datetime(2024, 2, 26, 2, 0, tzinfo=dt.UTC)),
        ("2024-02-26T02:00:00Z", dt.datetime(2024, 2, 26, 2, 0, tzinfo=dt.UTC)),
        ("2024-02-26T10:00:00.000+08:00", dt.datetime(2024, 2, 26, 2, 0, tzinfo=dt.UTC)),
        ("Mon, 26 Feb 2024 10:00:00 +0800", dt.datetime(2024, 2, 26, 2, 0, tzinfo=dt.UTC)),
        ("2024-02-26", dt.date(2024, 2, 26)),
        ("20240226", dt.date(2024, 2, 26)),
        ("26 февраля 2024", dt.date(2024, 2, 26)),
    ],
)
def test_machine_dates(value: str, expected: dt.date | dt.datetime) -> None:
    assert parse_date_value(value) == expected


def test_naive_machine_dates_take_the_source_timezone() -> None:
    found = parse_date_value("2024-02-26T10:00:00", ALMATY)
    assert found == dt.datetime(2024, 2, 26, 10, 0, tzinfo=ALMATY)
    assert isinstance(found, dt.datetime) and found.utcoffset() == dt.timedelta(hours=5)


@pytest.mark.parametrize("value", ["", "soon", "2024-13-45", "Tuesday"])
def test_junk_is_not_a_date(value: str) -> None:
    assert parse_date_value(value) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.isis.org.my/2024/02/26/kaziss-mou/", dt.date(2024, 2, 26)),
        ("https://sszi.kz/en/20240226", dt.date(2024, 2, 26)),
        ("https://example.org/news/2024-02-26-memorandum", dt.date(2024, 2, 26)),
        ("https://kisi.kz/?p=9319", None),
        ("https://mts.tj/en/20240/news", None),
        ("https://isis.org.my/2024/13/40/slug/", None),
    ],
)
def test_dates_in_urls(url: str, expected: dt.date | None) -> None:
    assert date_from_url(url) == expected


def test_future_and_ancient_dates_are_implausible() -> None:
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    assert is_plausible(dt.date(2026, 11, 28), now)
    assert is_plausible(dt.date(2026, 11, 29), now)  # a timezone ahead of us
    assert not is_plausible(dt.date(2026, 12, 1), now)
    assert not is_plausible(dt.datetime(2026, 11, 29, 13, 0, tzinfo=dt.UTC), now)
    assert not is_plausible(dt.date(1970, 1, 1), now)
    assert not is_plausible(None, now)


def test_a_weekday_before_a_numeric_date_says_which_number_is_the_month() -> None:
    # Drupal's default format is American: "Sun, 10/11/2026 - 10:00" is Sunday 11 October.
    (_, sunday), *_ = iter_textual_dates("Sun, 10/11/2026 - 10:00")
    assert sunday.date() == dt.date(2026, 10, 11)
    (_, tuesday), *_ = iter_textual_dates("Tue, 10/11/2026")
    assert tuesday == dt.date(2026, 11, 10)
    (_, plain), *_ = iter_textual_dates("Опубликовано 10.11.2026")
    assert plain == dt.date(2026, 11, 10)  # no weekday: day first, as everywhere we watch
