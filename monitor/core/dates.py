"""Publication dates from machine values, page text and URLs, in the languages we watch.

Institute pages print dates as ``28 ноября 2026``, ``2026 жылғы 28 қарашада``, ``12 Mac 2026``
or ``November 28, 2026``; month names come from babel's CLDR tables, and inflected forms
(Russian genitive and prepositional, Kazakh case suffixes) are matched by their stems.
A value is a timezone-aware datetime when the time is known, a plain date when only the day is.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence

from babel import Locale, UnknownLocaleError

from monitor.core.models import Published

log = logging.getLogger(__name__)

#: Month tables always consulted, after the page's own language.
DEFAULT_LANGUAGES = ("en", "ru", "kk", "ms")
#: Anything older is a copyright line or a typo, not a news date.
EARLIEST = dt.date(1990, 1, 1)

_ISO = re.compile(
    r"(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?$",
    re.I,
)
_WORD = r"[^\W\d_]{3,}"
_ORDINAL = r"(?:st|nd|rd|th|-?го|-?е)?"
_TEXT_PATTERNS = (
    # 2026 жылғы 28 қарашада / 2026 ж. 28 қараша
    re.compile(rf"\b(?P<y>\d{{4}})\s*(?:жылғы|жылы|ж\.)?\s+(?P<d>\d{{1,2}})\s+(?P<m>{_WORD})\.?"),
    # 28 ноября 2026 / 12 Mac 2026 / 28th of November, 2026
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|{_ORDINAL})\s*(?:of\s+)?(?P<m>{_WORD})\.?,?\s+(?P<y>\d{{4}})\b",
        re.I,
    ),
    # November 28, 2026 / Nov. 28 2026
    re.compile(rf"(?<!\w)(?P<m>{_WORD})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})\b"),
    # 28.11.2026 / 28/11/2026
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d.])"),
    # 2026-11-28 / 2026.11.28
    re.compile(r"(?<![\d.])(?P<y>\d{4})(?P<sep>[.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])"),
)
_TIME_AFTER = re.compile(
    r"(?:\s*(?:г\.|года|ж\.|жылы|y\.))?"
    r"\s*(?:,|в|at|\||-|–|—|,\s*at)?\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?!\d)"
)
_URL_DATES = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$|[-_])"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?:/|$|[-_])"),
    re.compile(r"(?:/|[-_])(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:/|$|[-_.?#])"),
)


def parse_date_value(value: str, tz: dt.tzinfo = dt.UTC) -> Published:
    """Read a machine date (ISO 8601, RFC 2822, 20240226) or, failing that, a textual one."""
    value = " ".join(value.split())
    if not value:
        return None
    iso = _parse_iso(value, tz)
    if iso is not None:
        return iso
    try:
        rfc = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None:
        return rfc if rfc.tzinfo else rfc.replace(tzinfo=tz)
    for _, found in iter_textual_dates(value, DEFAULT_LANGUAGES, tz):
        return found
    return None


def _parse_iso(value: str, tz: dt.tzinfo) -> Published:
    """ISO 8601 with or without time and offset; naive times take the source's timezone."""
    match = _ISO.match(value)
    if not match:
        return None
    try:
        day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match["H"] is None:
            return day
        clock = dt.time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
    except ValueError:
        return None
    return dt.datetime.combine(day, clock, tzinfo=_offset(match["tz"], tz))


def _offset(text: str | None, default: dt.tzinfo) -> dt.tzinfo:
    """A UTC offset written as Z, +05:00, +0500 or +05."""
    if not text:
        return default
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if text[0] == "-" else delta)


@functools.cache
def month_forms(language: str) -> dict[str, int]:
    """Lower-cased month names and abbreviations of one language, from CLDR, with inflections."""
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return {}
    forms: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                forms.setdefault(name.lower().rstrip("."), number)
    if language == "ru":
        # в ноябре, в мае: prepositional forms from the genitive
        for number, name in locale.months["format"]["wide"].items():
            forms.setdefault(name[:-1] + "е", number)
        forms.setdefault("сен", 9)
    if language == "en":
        forms.setdefault("sept", 9)
    return {form: number for form, number in forms.items() if len(form) >= 3}


def _month_table(languages: Iterable[str]) -> dict[str, int]:
    """Forms of several languages; the first language wins a clash."""
    table: dict[str, int] = {}
    for language in languages:
        for form, number in month_forms(language).items():
            table.setdefault(form, number)
    return table


def month_number(word: str, table: dict[str, int]) -> int | None:
    """The month a word names, allowing case suffixes (қарашада, қаңтардағы)."""
    word = word.lower().rstrip(".")
    if word in table:
        return table[word]
    for cut in range(1, min(7, len(word) - 4)):
        stem = word[:-cut]
        if len(stem) >= 5 and stem in table:
            return table[stem]
    return None


def iter_textual_dates(
    text: str, languages: Sequence[str] = DEFAULT_LANGUAGES, tz: dt.tzinfo = dt.UTC
) -> Iterator[tuple[int, dt.date | dt.datetime]]:
    """Every date written in the text, as (offset, value), in reading order."""
    table = _month_table([*languages, *DEFAULT_LANGUAGES])
    found: list[tuple[int, dt.date | dt.datetime]] = []
    taken: list[range] = []
    for pattern in _TEXT_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            value = _match_to_date(match, table, text)
            if value is None:
                continue
            taken.append(range(match.start(), match.end()))
            found.append((match.start(), _with_time(value, text, match.end(), tz)))
    yield from sorted(found, key=lambda item: item[0])


def _match_to_date(match: re.Match[str], table: dict[str, int], text: str = "") -> dt.date | None:
    """A regex match to a date, or None when the 'month' is just a word or the day is impossible.

    10/11/2026 is 10 November unless the weekday written before it says 11 October (Drupal's
    default "Sun, 10/11/2026 - 10:00" is American, month first).
    """
    raw_month = match["m"]
    if raw_month.isdigit():
        day, month = int(match["d"]), int(raw_month)
        if month > 12 >= day:
            day, month = month, day  # 11/28/2026 written the American way
        elif day <= 12 and day != month and _weekday_says_swapped(text, match, day, month):
            day, month = month, day
    else:
        month_found = month_number(raw_month, table)
        if month_found is None:
            return None
        day, month = int(match["d"]), month_found
    try:
        return dt.date(int(match["y"]), month, day)
    except ValueError:
        return None


_WEEKDAYS = {
    **dict.fromkeys(("mon", "monday", "пн", "понедельник", "isnin", "дүйсенбі"), 0),
    **dict.fromkeys(("tue", "tuesday", "вт", "вторник", "selasa", "сейсенбі"), 1),
    **dict.fromkeys(("wed", "wednesday", "ср", "среда", "rabu", "сәрсенбі"), 2),
    **dict.fromkeys(("thu", "thursday", "чт", "четверг", "khamis", "бейсенбі"), 3),
    **dict.fromkeys(("fri", "friday", "пт", "пятница", "jumaat", "жұма"), 4),
    **dict.fromkeys(("sat", "saturday", "сб", "суббота", "sabtu", "сенбі"), 5),
    **dict.fromkeys(("sun", "sunday", "вс", "воскресенье", "ahad", "жексенбі"), 6),
}
_WORD_BEFORE = re.compile(r"(\w+)\W{0,3}$")


def _weekday_says_swapped(text: str, match: re.Match[str], day: int, month: int) -> bool:
    """Whether a weekday just before a numeric date fits it only read month first."""
    before = _WORD_BEFORE.search(text, max(0, match.start() - 16), match.start())
    weekday = _WEEKDAYS.get(before.group(1).casefold()) if before else None
    if weekday is None:
        return False
    year = int(match["y"])
    try:
        as_written, swapped = dt.date(year, month, day), dt.date(year, day, month)
    except ValueError:
        return False
    return as_written.weekday() != weekday and swapped.weekday() == weekday


def _with_time(day: dt.date, text: str, end: int, tz: dt.tzinfo) -> dt.date | dt.datetime:
    """Attach a following HH:MM (``28.11.2026, 14:30``) when the page prints one."""
    clock = _TIME_AFTER.match(text, end)
    if not clock:
        return day
    hour, minute = int(clock["H"]), int(clock["M"])
    if hour > 23 or minute > 59:
        return day
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def date_from_url(url: str) -> dt.date | None:
    """A date in the path: /2024/02/26/slug/, /en/20240226, /2024-02-26-slug."""
    for pattern in _URL_DATES:
        for match in pattern.finditer(url):
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
    return None


def is_plausible(value: Published, now: dt.datetime) -> bool:
    """Reject dates later than a day from now (scheduled posts, widgets) and before 1990."""
    if value is None:
        return False
    limit = now + dt.timedelta(days=1)
    if isinstance(value, dt.datetime):
        return value.date() >= EARLIEST and value <= limit
    return EARLIEST <= value <= limit.date()
