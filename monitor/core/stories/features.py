"""One article's story features: computed once, storable as JSON, compared many times.

:func:`features` turns a :class:`StoryDoc` into :class:`StoryFeatures`: its links and URL ids,
its language-independent evidence tokens (names, organisations, countries, numbers, dates,
concepts) and its title and text word stems.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from monitor.core import countries as ct
from monitor.core.dedup import canonical_url
from monitor.core.stories.words import (
    _CAPITALISED,
    _DAY,
    _GENERIC_KEYS,
    _GENERIC_WORDS,
    _GROUPED,
    _MAX_WORDS,
    _MONTH_AFTER,
    _MONTH_OF,
    _MONTH_WORD,
    _NUMBER,
    _ORG_OF,
    _SENTENCE_START,
    _STAMP,
    _STEM_LEN,
    _TRAILING_WORD,
    _WORD,
    _YEAR,
    EVENT_KINDS,
    _lookup,
    _stem_ids,
    latin,
    name_keys,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoryDoc:
    """What the grouping knows of one stored article."""

    id: int
    url: str
    source: str
    language: str | None
    title: str
    text: str
    published: dt.date | None
    #: Canonical URLs of other-language versions (hreflang / language switch).
    alternates: tuple[str, ...] = ()


#: StoryFeatures fields that are sets, and those of them stored as one string of stems.
_SETS = frozenset({"alternates", "url_ids", "evidence", "title", "words"})
_JOINED = frozenset({"title", "words"})


@dataclass(frozen=True)
class StoryFeatures:
    """Everything the grouping compares, computed once per article; see :meth:`to_dict`."""

    url: str
    source: str
    language: str | None
    published: str | None
    alternates: frozenset[str] = field(default_factory=frozenset)
    #: Host-scoped numeric ids from the URL ("kisi.kz#9319").
    url_ids: frozenset[str] = field(default_factory=frozenset)
    #: Language-independent tokens "<kind>:<value>", kinds as in ``_WEIGHTS``.
    evidence: frozenset[str] = field(default_factory=frozenset)
    #: Title word stems, compared within one language only.
    title: frozenset[str] = field(default_factory=frozenset)
    #: Text word stems, compared within one language only.
    words: frozenset[str] = field(default_factory=frozenset)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict that :meth:`from_dict` reads back.

        Sets become sorted lists, except ``title`` and ``words``, which become one string of
        space-separated stems (a stem holds no whitespace): an article is compared with dozens of
        stored candidates, and JSON would parse a hundred words of each item by item.
        """
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name in _JOINED:
                out[name] = " ".join(sorted(value))
            else:
                out[name] = sorted(value) if isinstance(value, frozenset) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, text: bool = True) -> StoryFeatures:
        """Features back from :meth:`to_dict` output (for instance a JSON column).

        ``text=False`` leaves ``title`` and ``words`` empty, for a candidate that is not in the
        language of the article it is scored against (:func:`same_language`): only
        :func:`text_similarity` reads them, and it compares one language only. Three candidates
        in four are such, and their words were most of the cost of reading them back. Lists are
        read as well (rows stored before).
        """
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"StoryFeatures.from_dict: unknown keys {sorted(unknown)}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in _JOINED:
                if not text:
                    continue
                value = value.split() if isinstance(value, str) else value
            values[key] = frozenset(value) if key in _SETS else value
        return cls(**values)

    @property
    def figures(self) -> frozenset[str]:
        """The figures the article quotes ("#:" evidence), for :func:`~.scoring.agreement`."""
        return self._figures_and_subjects[0]

    @property
    def subjects(self) -> frozenset[str]:
        """Concepts that name what the news is about, not what kind of event it was."""
        return self._figures_and_subjects[1]

    @functools.cached_property
    def _figures_and_subjects(self) -> tuple[frozenset[str], frozenset[str]]:
        # one pass, cached: every candidate of a placement is asked once, on its first score
        figures, subjects = [], []
        for t in self.evidence:
            if t[0] == "#":
                figures.append(t)
            elif t[0] == "k" and t[2:] not in EVENT_KINDS:
                subjects.append(t)
        return frozenset(figures), frozenset(subjects)

    @property
    def day(self) -> int | None:
        """Publication day as an ordinal, for date windows."""
        return dt.date.fromisoformat(self.published).toordinal() if self.published else None


# --- Features ----------------------------------------------------------------------------------


def features(doc: StoryDoc) -> StoryFeatures:
    """What the grouping compares of one article; cheap, deterministic, JSON-storable."""
    body = f"{doc.title}\n{doc.text}"
    language = (doc.language or "").split("-")[0].lower() or None
    title_words = _WORD.findall(doc.title)
    words = title_words + _WORD.findall(doc.text)  # the words of body (no word spans a newline)
    folded = [w.casefold() for w in words]
    in_title = len(title_words)
    published = doc.published
    if isinstance(published, dt.datetime):
        published = published.date()
    lower = body.casefold()
    dates = _date_mentions(lower)
    published = _event_day(dates, len(doc.title) + _LEAD, published)
    evidence = (
        _names(body, frozenset(d.month_word for d in dates))
        | _countries(words, folded)
        | _concepts(folded)
        # a date's day is not a figure of the news: "23 November" says nothing "#:23" would
        | _numbers(_without(lower, dates), language)
        | _day_months(dates, published)
    )
    url = _safe_canonical(doc.url) or doc.url
    alternates = frozenset(
        a for raw in doc.alternates if (a := _safe_canonical(raw)) and a != url and _is_item(a)
    )
    return StoryFeatures(
        url=url,
        source=doc.source,
        language=language,
        published=published.isoformat() if published else None,
        alternates=alternates,
        url_ids=_url_ids(url),
        evidence=frozenset(evidence),
        title=_stems(folded[:in_title]),
        words=_stems(folded[in_title:], limit=_MAX_WORDS),
    )


def _safe_canonical(url: str) -> str | None:
    """Canonical URL, or None for a link that is not an absolute http(s) URL."""
    try:
        return canonical_url(url)
    except ValueError:
        logger.debug("story features: ignoring URL %r", url)
        return None


def _is_item(url: str) -> bool:
    """Whether a URL can be one article; a language switch may point at "/ru/" only."""
    path = urlsplit(url).path.strip("/")
    return bool(urlsplit(url).query) or path.count("/") >= 1 or len(path) > 3


def _url_ids(url: str) -> frozenset[str]:
    """Host-scoped numeric ids: path segments that are or start with digits, and query ids."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    ids: set[str] = set()
    for segment in parts.path.split("/"):
        if m := re.match(r"(\d{3,})(?:\D|$)", segment):
            number = m.group(1)
            if not (len(number) == 4 and 1990 <= int(number) <= 2100):  # /2024/05/22/ dates
                ids.add(f"{host}#{number}")
    for key, value in parse_qsl(parts.query):
        if key in {"p", "id", "page_id", "news_id", "nid"} and value.isdigit():
            ids.add(f"{host}#{value}")
    return frozenset(ids)


def _names(text: str, months: frozenset[str] = frozenset()) -> set[str]:
    """Names and acronyms as "n:"/"o:" tokens; sentence-initial words only if seen inside too.

    ``months``: casefolded words the text uses as the month of a date ("2 Disember 2026"), no
    one's name however they are spelt. A title in Title Case ("Experts Discuss Critical
    Minerals", as English headlines are written) capitalises every word: its capitals say
    nothing (a line of the text may be all names, a list of participants, and is read).
    """
    headline, newline, rest = text.partition("\n")
    if _title_case(headline):
        text = " " * len(headline) + newline + rest  # the same offsets, no capitals
    inside: set[str] = set()
    initial: set[str] = set()
    out: set[str] = set()
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        if len(word) < 2 or word.casefold() in months:
            continue
        tokens = _name_tokens(word)
        if not tokens:
            continue
        if tokens[0].startswith("o:"):
            out.update(tokens)
            continue
        sentence_start = _SENTENCE_START.search(text, max(0, m.start() - 3), m.start())
        (initial if sentence_start else inside).update(tokens)
    out.update(inside)
    out.update(initial & inside)
    return out


_HEADLINE_CHARS = 200


def _title_case(line: str) -> bool:
    """Whether a Latin-script headline capitalises each of its four or more words of four
    letters or more (Russian, Kazakh and Malay headlines are written in sentence case)."""
    if len(line) > _HEADLINE_CHARS or not line[:1].isupper() or not line[:1].isascii():
        return False
    long = 0
    for word in line.split():  # prose has a long lower-case word within its first few
        if len(word) >= 4 and word[0].isalpha():
            if not word[0].isupper():
                return False
            long += 1
    return long >= 4


@functools.lru_cache(maxsize=1 << 12)
def _name_tokens(word: str) -> tuple[str, ...]:
    """What a capitalised word stands for ("o:" organisation, "n:" name: a Cyrillic one under
    both of its keys, :func:`name_keys`), empty for no name.

    Cached: an article repeats its names, and a pass's articles share most capitalised words.
    """
    lower = word.casefold()
    if lower in _ORG_OF:
        return ("o:" + _ORG_OF[lower],)
    if lower in _GENERIC_WORDS or lower in ct.ABBREVIATIONS:
        return ()
    acronym = sum(ch.isupper() for ch in word) >= 2
    if acronym and len(word) <= 8:
        return ("o:" + latin(word),)
    if len(word) < 3 or _stem_ids(lower, "country"):
        return ()
    # each key long enough stands for the word: "Худа" stripped is "худ", too short to say
    # anything, and as written it meets "Huda"
    return tuple("n:" + k for k in name_keys(word) if len(k) >= 3 and k not in _GENERIC_KEYS)


def _countries(words: list[str], folded: list[str]) -> set[str]:
    """Countries as "c:<ISO>", whatever the language and case ending (``folded``: casefolded)."""
    found = {"c:" + code for code in _lookup(folded, "country")}
    for word in words:
        code = ct.ABBREVIATIONS.get(word.casefold())
        if code and word.isupper():
            found.add("c:" + code)
    return found


def _concepts(folded: list[str]) -> set[str]:
    """The field's key terms as "k:<concept>" (``folded``: casefolded words)."""
    return {"k:" + c for c in _lookup(folded, "concept")}


def _numbers(text: str, language: str | None) -> set[str]:
    """Numbers as "#:" tokens and years as "y:"; 1.2 and 1,2 and 2,500 and 2 500 agree.

    A numeric date or a clock time counts nothing: a page's date line ("Tue, 12/08/2026 -
    10:00") says when it was posted, and a translation without that line is no other news.
    """
    out: set[str] = set()
    text = _STAMP.sub(" ", text)
    decimal_comma = language in {"ru", "kk", "uz", "ky", "tg"}
    for m in _NUMBER.finditer(text):
        raw = m.group().replace("\u00a0", " ")
        if _GROUPED.fullmatch(raw) and not (decimal_comma and "," in raw):
            raw = raw.replace(" ", "").replace(",", "")
        elif " " in raw:
            raw = raw.split(" ")[0]
        if decimal_comma:
            raw = raw.replace(",", ".")
        elif "," in raw:
            raw = raw.split(",")[0]
        value = raw.rstrip(".")
        if _YEAR.fullmatch(value):
            out.add("y:" + value)
        elif "." in value or (value.isdigit() and int(value) >= 10):
            out.add("#:" + value.lstrip("0"))
    return out


@dataclass(frozen=True, order=True)
class _Date:
    """A day-and-month mention in casefolded text ("21 мая", "may 21", "2 disember")."""

    start: int
    end: int
    day: int
    month: int
    #: The month as written ("disember", "мамырда"): no one's name.
    month_word: str


def _date_mentions(lower: str) -> list[_Date]:
    """Every day-and-month mention of ``lower`` (casefolded), in text order; one scan of each
    form serves the event day, the "d:" tokens, the numbers and the names.

    Found from their days ("21 мая", "may 21"): the month word is looked for right after and
    right before each number of one or two digits.
    """
    found = []
    for m in _DAY.finditer(lower):
        start, end = m.span()
        day = int(m.group())
        if after := _MONTH_AFTER.match(lower, end):
            month_at = after.start(1)
            found.append(
                _Date(
                    start,
                    after.end(),
                    day,
                    _MONTH_OF[after.group(1)],
                    lower[month_at : after.end()],
                )
            )
        head_at = max(0, start - _MONTH_REACH)
        head = lower[head_at:start]
        stripped = head.rstrip()
        if len(stripped) == len(head) or not (word := _TRAILING_WORD.search(stripped)):
            continue
        word_at = head_at + word.start()
        if word_at and _WORDISH.match(lower, word_at - 1):
            continue  # the window cut a longer word
        if month := _MONTH_WORD.fullmatch(word.group()):
            found.append(_Date(word_at, end, day, _MONTH_OF[month.group(1)], word.group()))
    return sorted(found)


#: How far before a day its month word may begin ("september" and spaces, with room to spare).
_MONTH_REACH = 60
_WORDISH = re.compile(r"\w")


def _without(lower: str, dates: list[_Date]) -> str:
    """``lower`` with its date mentions blanked out."""
    out, last = [], 0
    for d in dates:
        if d.start >= last:  # the two forms may overlap ("21 may 22"): blank their union
            out += [lower[last : d.start], " "]
        last = max(last, d.end)
    out.append(lower[last:])
    return "".join(out)


#: How far into the text the lead's date is looked for, and how long before the page's own
#: date it may be (a translation or repost weeks after the event).
_LEAD = 300
_LATE_DAYS = 60


def _event_day(dates: list[_Date], lead_end: int, published: dt.date | None) -> dt.date | None:
    """The day the news happened: the lead's date when it is up to _LATE_DAYS before the page's.

    A news item opens with its event's date ("On 29 November, ..."). A translation or repost
    published weeks later keeps it, and is the same story as the reports of that day; by its
    own date it would be compared with the news of the day it was posted. ``lead_end``: where
    the lead (the title and the opening of the text) ends.
    """
    if published is None or not dates or dates[0].start >= lead_end:
        return published
    first = dates[0]
    try:
        lead_day = dt.date(published.year, first.month, first.day)
        if lead_day > published:  # "On 29 December" read in January
            lead_day = dt.date(published.year - 1, first.month, first.day)
    except ValueError:  # "31 June", "29 February" of a common year
        return published
    return lead_day if 0 < (published - lead_day).days <= _LATE_DAYS else published


def _day_months(dates: list[_Date], published: dt.date | None) -> set[str]:
    """Day-and-month mentions as "d:MM-DD" ("21 May", "May 21", "21 мая", "21 мамырда").

    A mention of the article's own day (or the day either side) is left out: every report of
    that day carries it ("on 23 November, ..."), so it tells which day, not which news, and the
    date window already compares days.
    """
    own = (
        {f"d:{d:%m-%d}" for d in (published + dt.timedelta(days=k) for k in (-1, 0, 1))}
        if published
        else set()
    )
    return {f"d:{d.month:02d}-{d.day:02d}" for d in dates if 1 <= d.day <= 31} - own


def _stems(folded: list[str], limit: int | None = None) -> frozenset[str]:
    """Word prefixes of casefolded words: a poor man's stemmer that works in all four languages."""
    stems = [w[:_STEM_LEN] for w in folded if len(w) > 3 and w not in _GENERIC_WORDS]
    return frozenset(stems[:limit] if limit else stems)
