"""Stories: the articles of many sites and languages that report one piece of news.

An analyst wants each piece of news once, however many institutes repost it and in however many
languages. Grouping must work offline, so languages meet on what they share without translation:

- links: a page's hreflang / language-switch alternates name its other-language versions;
- URL ids: ``/en/news/412-...`` and ``/ru/news/412-...`` on one host are one item;
- *evidence tokens* that read the same in en, ru, kk and ms: names transliterated from Cyrillic
  and reduced to a phonetic key ("Тукумовым" and "Tukumov" both give ``n:tukum``), acronyms with
  their Cyrillic twins (КазИСС/ҚСЗИ/KazISS, ШОС/ШЫҰ/SCO), countries as ISO codes matched on
  stems so that case endings do not matter, numbers, day-and-month dates, and a small bilingual
  dictionary of the field's terms (memorandum/меморандум/persefahaman) mapped to concept ids;
- within one language, title and text word overlap.

Pure functions and data, no I/O: :func:`features` runs once per article and its result is
storable as JSON; :func:`index_keys` gives the keys of an inverted index through which candidates
are found (:class:`MemoryIndex` is the in-memory model of the SQL table ``story_keys``);
:func:`score` compares two articles and :func:`assign` picks the story a new article joins.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import logging
import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

from monitor.core import countries as ct
from monitor.core.dedup import canonical_url

logger = logging.getLogger(__name__)

S = TypeVar("S", bound=Hashable)

#: Articles further apart than this are never one story (also the index's date window).
WINDOW_DAYS = 14
#: Default score above which an article joins a story.
THRESHOLD = 0.38
MAX_KEYS = 30
MAX_CANDIDATES = 200

# Evidence token kinds and how much a shared token of each kind says about sameness.
_WEIGHTS = {"n": 3.0, "o": 3.0, "#": 2.0, "d": 2.0, "y": 0.5, "c": 1.0, "k": 0.6}


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
        values = {}
        for key, value in data.items():
            if key in _JOINED:
                if not text:
                    continue
                value = value.split() if isinstance(value, str) else value
            values[key] = frozenset(value) if key in _SETS else value
        return cls(**values)

    @property
    def day(self) -> int | None:
        """Publication day as an ordinal, for date windows."""
        return dt.date.fromisoformat(self.published).toordinal() if self.published else None


# --- Transliteration and phonetic keys ---------------------------------------------------------

_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g",
    "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
_CYR_TABLE = str.maketrans(_CYR)
# Sounds that English, Malay and Russian spellings of one name write differently.
_PHONETIC = (
    ("shch", "S"), ("chzh", "J"), ("tsz", "J"), ("dzh", "J"), ("zh", "J"), ("kh", "h"),
    ("ch", "C"), ("sh", "S"),
    ("ts", "c"), ("ph", "f"), ("j", "J"), ("w", "v"), ("q", "k"), ("x", "ks"), ("c", "k"),
    ("h", ""),
)  # fmt: skip
# Vowels are where transliterations disagree most (Тұқымов/Tukumov, Бейбіт/Beibut): after the
# first letter they all count as one.
_VOWELS = re.compile(r"(?<=.)[aeiouy]+")
_NAME_KEY_LEN = 5
# Russian and Kazakh case endings, longest first, stripped from Cyrillic names before keying;
# not -ов/-ев, which end surnames in the nominative (Токаев/Tokayev).
_RU_ENDINGS = ("ами", "ями", "ого", "его", "ому", "ему", "ой", "ей", "ою", "ую", "ом", "ем",
               "ым", "им", "ых", "их", "ах", "ях", "а", "я", "у", "ю", "е", "ы", "и")  # fmt: skip
_KK_ENDINGS = ("ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі", "ның", "нің", "дың", "дің",
               "тың", "тің", "нда", "нде", "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен",
               "пен", "ға", "ге", "қа", "ке", "на", "не", "да", "де", "та", "те", "ды", "ді",
               "ты", "ті", "ны", "ні", "сы", "сі", "ы", "і")  # fmt: skip
_ENDINGS = tuple(sorted(set(_RU_ENDINGS + _KK_ENDINGS), key=len, reverse=True))


def latin(text: str) -> str:
    """Lower-case Latin spelling of a ru/kk word (fixed table); Latin text passes through."""
    word = unicodedata.normalize("NFKC", text).casefold()
    if word[:1] == "е":  # Еркин is written Yerkin
        word = "ye" + word[1:]
    return word.translate(_CYR_TABLE)


def name_key(word: str) -> str:
    """A short phonetic key under which a name meets its spellings in other scripts."""
    if _is_cyrillic(word) and not word.isupper():
        lower = word.casefold()
        for ending in _ENDINGS:
            if lower.endswith(ending) and len(lower) - len(ending) >= 3:
                word = word[: len(lower) - len(ending)]
                break
    # Russian writes Chinese "-ng" as "-н" (Zhang/Чжан)
    key = re.sub(r"ng$", "n", latin(word).replace("'", ""))
    for old, new in _PHONETIC:
        key = key.replace(old, new)
    key = re.sub(r"(.)\1+", r"\1", key)
    key = _VOWELS.sub("a", key).lower()
    return key[:_NAME_KEY_LEN]


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


# --- Dictionaries ------------------------------------------------------------------------------

#: Organisations whose acronyms differ by language, all spellings lower-case -> one id.
ORGS: dict[str, tuple[str, ...]] = {
    "kaziss": ("kaziss", "казисс", "киси", "қсзи", "kisi"),
    "sco": ("sco", "шос", "шыұ"),
    "csto": ("csto", "одкб", "ұқшұ"),
    "eaeu": ("eaeu", "еаэс", "еаэо"),
    "cis": ("cis", "снг", "тмд"),
    "un": ("un", "оон", "бұұ", "pbb"),
    "eu": ("eu", "ес", "ео"),
    "asean": ("asean", "асеан"),
    "nato": ("nato", "нато"),
    "osce": ("osce", "обсе", "еқыұ"),
    "isrs": ("isrs", "исми"),
    "css": ("css", "цси"),
    "nisi": ("nisi", "ниси"),
    "caiag": ("caiag", "цаииз"),
    "titr": ("titr", "тмтм", "тхкб"),
    "brics": ("brics", "брикс"),
    "gcc": ("gcc", "ссагпз"),
    "hpp": ("hpp", "гэс", "сэс"),
    "npp": ("npp", "аэс"),
}
_ORG_OF = {spelling: org for org, spellings in ORGS.items() for spelling in spellings}

#: The field's key terms: concept id -> word stems in en, ru, kk and ms.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "memorandum": ("memorand", "меморанд", "mou", "persefahaman"),
    "agreement": ("agreement", "соглашен", "келісім", "perjanjian"),
    "treaty": ("treaty", "договор", "шартқа", "triti"),
    "signing": ("sign", "подпис", "meterai", "memeterai", "dimeterai", "қол қой"),
    "conference": ("conferen", "конференц", "persidangan"),
    "forum": ("forum", "форум"),
    "roundtable": (
        "round table",
        "roundtable",
        "круглый стол",
        "круглом стол",
        "дөңгелек үстел",
        "meja bulat",
    ),
    "seminar": ("seminar", "семинар"),
    "webinar": ("webinar", "вебинар"),
    "workshop": ("workshop", "bengkel"),
    "summit": ("summit", "саммит", "kemuncak"),
    "delegation": ("delegat", "делегац", "delegasi"),
    "visit": ("visit", "визит", "сапар", "lawatan"),
    "report": ("report", "доклад", "баяндама", "laporan"),
    "lecture": ("lecture", "лекци", "syarahan", "дәріс"),
    "water": ("water", "водн", "водо", "су$"),
    "energy": ("energy", "энерг", "tenaga"),
    "border": ("border", "границ", "шекар", "sempadan"),
    "trade": ("trade", "торгов", "товарооборот", "сауда", "perdagangan"),
    "railway": ("railway", "железн", "теміржол", "kereta api"),
    "security": ("securit", "безопасност", "қауіпсіздік", "keselamatan"),
    "corridor": ("corridor", "коридор", "дәліз", "koridor"),
    "migration": ("migra", "миграц", "көші-қон"),
    "nuclear": ("nuclear", "атомн", "атом ", "nuklear"),
    "ai": ("artificial intelligence", "искусственн", "жасанды интеллект", "kecerdasan buatan"),
    "climate": ("climat", "климат", "iklim"),
    "minerals": ("mineral", "минерал"),
    "digital": ("digital", "цифров", "цифрлық"),
    "glacier": ("glacier", "ледник", "мұздық"),
    "election": ("election", "выбор", "сайлау", "pilihan raya"),
    "semiconductor": ("semiconductor", "полупроводник", "semikonduktor"),
    "halal": ("halal", "халал"),
    "education": ("educat", "образован", "білім", "pendidikan"),
    "tourism": ("touris", "туризм", "туристі", "pelancong"),
    "maritime": ("maritime", "морск", "maritim"),
}


def _stem_table(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """stem -> id; a trailing "$" in a stem means the whole word, not a prefix."""
    return {stem: key for key, stems in table.items() for stem in stems}


_TABLES = {"concept": _stem_table(CONCEPTS), "country": _stem_table(ct.STEMS)}
_LONGEST = max(len(stem) for table in _TABLES.values() for stem in table)
# Two-word stems are tried only after these words, which keeps the lookup one pass of dict hits.
_PHRASE_STARTS = frozenset(s.split()[0] for t in _TABLES.values() for s in t if " " in s)


#: Every prefix of three characters or more of a stem: a word whose prefix is not here can
#: begin no longer stem, so the search along a word stops at its first miss.
_PREFIXES = {
    kind: frozenset(stem[:k] for stem in table for k in range(3, len(stem.rstrip("$")) + 1))
    for kind, table in _TABLES.items()
}


_NO_IDS: frozenset[str] = frozenset()


def _stem_ids(phrase: str, kind: str) -> frozenset[str]:
    """Ids of the stems of one table that begin (or, with "$", equal) a lower-case phrase.

    Not cached: most words begin no stem and are refused by one or two set lookups, and a
    cache would hold every word a worker ever saw.
    """
    table, prefixes = _TABLES[kind], _PREFIXES[kind]
    whole = table.get(phrase + "$")
    if whole is None and phrase[:3] not in prefixes:
        return _NO_IDS
    found = {whole} if whole is not None else set()
    for k in range(3, min(len(phrase), _LONGEST) + 1):
        head = phrase[:k]
        if head not in prefixes:
            break
        if (hit := table.get(head)) is not None:
            found.add(hit)
    return frozenset(found)


def _lookup(words: list[str], kind: str) -> set[str]:
    """Ids of the stems of one table found in words (lower-case), two-word stems included."""
    # an article repeats its words: each distinct one is looked up once
    found: set[str] = set().union(*map(_stem_ids, set(words), itertools.repeat(kind)))
    if starts := _PHRASE_STARTS.intersection(words):
        for i, word in enumerate(words[:-1]):
            if word in starts:
                found |= _stem_ids(f"{word} {words[i + 1]}", kind)
    return found


_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "январ", "қаңтар", "januari"),
    2: ("february", "феврал", "ақпан", "februari"),
    3: ("march", "март", "наурыз", "mac"),
    4: ("april", "апрел", "сәуір"),
    5: ("may", "мая", "мамыр", "mei"),
    6: ("june", "июн", "маусым", "jun"),
    7: ("july", "июл", "шілде", "julai"),
    8: ("august", "август", "тамыз", "ogos"),
    9: ("september", "сентябр", "қыркүйек"),
    10: ("october", "октябр", "қазан", "oktober"),
    11: ("november", "ноябр", "қараша"),
    12: ("december", "декабр", "желтоқсан", "disember"),
}
_MONTH_RE = "|".join(s for stems in _MONTHS.values() for s in stems)
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:-?(?:ші|шы|th|st|nd|rd|е|го))?\s+({_MONTH_RE})\w*")
_MONTH_DAY = re.compile(rf"(?<!\w)({_MONTH_RE})\w*\s+(\d{{1,2}})(?!\d)")
_MONTH_OF = {s: m for m, stems in _MONTHS.items() for s in stems}

#: Capitalised words that name no one: titles, generic institution words, weekdays, months.
_GENERIC = """
the a an on in at of for and to by with from as this that these today yesterday it its he she
they we our their his her during after before within under between more than over some
president director chairman chair deputy vice minister prime foreign affairs ambassador head
dr mr mrs ms professor prof senior fellow researcher analyst expert experts chief
institute institution university centre center council committee ministry school academy
foundation national international strategic studies study research regional republic state
government kingdom federation union organisation organization cooperation development
understanding memorandum agreement treaty forum conference roundtable round table seminar
summit webinar workshop lecture report policy brief commentary analysis review analytics
public main page home news event events publications datuk seri tan sri dato haji
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
central east west north south southeast southern northern eastern western asia asian pacific
sea middle global world new first second third annual joint
президент директор председатель заместитель министр посол глава эксперт эксперты профессор
институт университет центр совет комитет министерство школа академия фонд
национальный международный стратегический исследований республика государство правительство
меморандум соглашение договор форум конференция семинар саммит вебинар доклад
центральная азия юго восточная восток запад север юг мировой
президенті директоры төрағасы орынбасары министрі елшісі сарапшысы сарапшылары профессор
институты университеті орталығы кеңесі министрлігі мектебі академиясы
ұлттық халықаралық стратегиялық зерттеулер республикасы мемлекеті үкіметі
меморандум келісім форум конференция семинар саммит баяндама орталық азия
presiden pengarah pengerusi timbalan menteri perdana luar duta ketua pakar penganalisis
institut universiti pusat majlis jawatankuasa kementerian sekolah akademi yayasan
kebangsaan antarabangsa strategik kajian penyelidikan republik negara kerajaan
memorandum perjanjian forum persidangan seminar sidang kemuncak bengkel laporan asia tengah
tenggara timur barat utara selatan
"""
_GENERIC_KEYS = frozenset(name_key(w) for w in _GENERIC.split())
_GENERIC_WORDS = frozenset(_GENERIC.split())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;»\"“”(\n]\s*)$")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\u00a0 ]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(?:[ ,]\d{3})+")  # 2,500 or 2 500
_YEAR = re.compile(r"(19|20)\d\d")
_STEM_LEN = 6
_MAX_WORDS = 120


# --- Features ----------------------------------------------------------------------------------


def features(doc: StoryDoc) -> StoryFeatures:
    """What the grouping compares of one article; cheap, deterministic, JSON-storable."""
    body = f"{doc.title}\n{doc.text}"
    language = (doc.language or "").split("-")[0].lower() or None
    title_words = _WORD.findall(doc.title)
    words = title_words + _WORD.findall(doc.text)  # the words of body (no word spans a newline)
    folded = [w.casefold() for w in words]
    in_title = len(title_words)
    evidence = (
        _names(body)
        | _countries(words, folded)
        | _concepts(folded)
        | _numbers(body, language)
        | _day_months(body)
    )
    url = _safe_canonical(doc.url) or doc.url
    alternates = frozenset(
        a for raw in doc.alternates if (a := _safe_canonical(raw)) and a != url and _is_item(a)
    )
    published = doc.published
    if isinstance(published, dt.datetime):
        published = published.date()
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


def _names(text: str) -> set[str]:
    """Names and acronyms as "n:"/"o:" tokens; sentence-initial words only if seen inside too."""
    inside: set[str] = set()
    initial: set[str] = set()
    out: set[str] = set()
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[0].isupper() or len(word) < 2:
            continue
        token = _name_token(word)
        if token is None:
            continue
        if token.startswith("o:"):
            out.add(token)
            continue
        sentence_start = _SENTENCE_START.search(text, max(0, m.start() - 3), m.start())
        (initial if sentence_start else inside).add(token)
    out.update(inside)
    out.update(initial & inside)
    return out


@functools.lru_cache(maxsize=1 << 12)
def _name_token(word: str) -> str | None:
    """What a capitalised word stands for ("o:" organisation, "n:" name), None for no name.

    Cached: an article repeats its names, and a pass's articles share most capitalised words.
    """
    lower = word.casefold()
    if lower in _ORG_OF:
        return "o:" + _ORG_OF[lower]
    if lower in _GENERIC_WORDS or lower in ct.ABBREVIATIONS:
        return None
    acronym = sum(ch.isupper() for ch in word) >= 2
    if acronym and len(word) <= 8:
        return "o:" + latin(word)
    if len(word) < 3 or _stem_ids(lower, "country"):
        return None
    key = name_key(word)
    if len(key) < 3 or key in _GENERIC_KEYS:
        return None
    return "n:" + key


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
    """Numbers as "#:" tokens and years as "y:"; 1.2 and 1,2 and 2,500 and 2 500 agree."""
    out: set[str] = set()
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


def _day_months(text: str) -> set[str]:
    """Day-and-month mentions as "d:MM-DD" ("21 May", "May 21", "21 мая", "21 мамырда")."""
    lower = text.casefold()
    out = set()
    for m in _DAY_MONTH.finditer(lower):
        day, month = int(m.group(1)), _MONTH_OF[m.group(2)]
        if 1 <= day <= 31:
            out.add(f"d:{month:02d}-{day:02d}")
    for m in _MONTH_DAY.finditer(lower):
        month, day = _MONTH_OF[m.group(1)], int(m.group(2))
        if 1 <= day <= 31:
            out.add(f"d:{month:02d}-{day:02d}")
    return out


def _stems(folded: list[str], limit: int | None = None) -> frozenset[str]:
    """Word prefixes of casefolded words: a poor man's stemmer that works in all four languages."""
    stems = [w[:_STEM_LEN] for w in folded if len(w) > 3 and w not in _GENERIC_WORDS]
    return frozenset(stems[:limit] if limit else stems)


# --- Index keys --------------------------------------------------------------------------------


def index_keys(f: StoryFeatures) -> set[str]:
    """At most MAX_KEYS inverted-index keys; any same-story article shares one of them.

    Links and URL ids first (unique), then names, organisations, numbers and dates: each is
    rare in a two-week window and at least one of them survives translation. Countries and
    concepts are left out: every article of an institute shares them.
    """
    keys = ["u:" + f.url, *("u:" + a for a in sorted(f.alternates))]
    keys += ["i:" + i for i in sorted(f.url_ids)]
    ranked = sorted(
        (e for e in f.evidence if e[0] in "no#d"),
        key=lambda e: ({"n": 0, "#": 1, "o": 2, "d": 3}[e[0]], -len(e), e),
    )
    keys += ranked
    if f.language:
        title = sorted(f.title, key=lambda t: (-len(t), t))[:4]
        keys += [f"t:{f.language}:{t}" for t in title]
    return set(keys[:MAX_KEYS])


# --- Scoring -----------------------------------------------------------------------------------


def linked(a: StoryFeatures, b: StoryFeatures) -> bool:
    """Whether one page names the other as a language version (or both name a third)."""
    return a.url in b.alternates or b.url in a.alternates or bool(a.alternates & b.alternates)


def date_factor(a: StoryFeatures, b: StoryFeatures) -> float:
    """1 within two days, fading to 0 at WINDOW_DAYS; unknown dates count as a mild doubt."""
    da, db = a.day, b.day
    if da is None or db is None:
        return 0.85
    gap = abs(da - db)
    if gap <= 2:
        return 1.0
    if gap > WINDOW_DAYS:
        return 0.0
    return 1.0 - 0.6 * (gap - 2) / (WINDOW_DAYS - 2)


def evidence_similarity(
    a: frozenset[str],
    b: frozenset[str],
    weights: Mapping[str, float] | None = None,
    *,
    a_total: float | None = None,
) -> float:
    """Weighted Dice over evidence tokens: shared names count much, shared countries little.

    ``weights`` scales tokens that are common around this date (see :func:`key_weights`):
    that every KazISS item names KazISS and its director says little about which item it is.
    ``a_total`` is :func:`_weight` of ``a``, when the caller compares ``a`` with many others.
    """
    if not a or not b:
        return 0.0
    w = weights or {}
    shared = sum(_WEIGHTS[t[0]] * w.get(t, 1.0) for t in a & b)
    total = (_weight(a, w) if a_total is None else a_total) + _weight(b, w)
    return 2 * shared / total


def _weight(tokens: frozenset[str], weights: Mapping[str, float]) -> float:
    return sum(_WEIGHTS[t[0]] * weights.get(t, 1.0) for t in tokens)


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two articles' words can be compared: both in one known language."""
    return a is not None and a == b


def text_similarity(a: StoryFeatures, b: StoryFeatures) -> float:
    """Title and body overlap, meaningful only within one language."""
    if not same_language(a.language, b.language):
        return 0.0
    return 0.5 * _jaccard(a.title, b.title) + 0.5 * _jaccard(a.words, b.words)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def score(
    a: StoryFeatures,
    b: StoryFeatures,
    weights: Mapping[str, float] | None = None,
    *,
    a_total: float | None = None,
) -> float:
    """0..1 likelihood that two articles report the same story.

    ``a_total``: as in :func:`evidence_similarity`, for :func:`assign`'s many candidates.
    """
    if a.url == b.url or linked(a, b):
        return 1.0
    factor = date_factor(a, b)
    if factor == 0.0:
        return 0.0
    if a.url_ids & b.url_ids:
        return 0.95 * factor
    evidence = evidence_similarity(a.evidence, b.evidence, weights, a_total=a_total)
    content = max(evidence, text_similarity(a, b))
    if a.source == b.source and a.language == b.language:
        content *= 0.8  # one site rarely publishes one story twice in one language
    return content * factor


def assign(
    doc_features: StoryFeatures,
    candidates: Iterable[tuple[S, StoryFeatures]],
    threshold: float = THRESHOLD,
    weights: Mapping[str, float] | None = None,
) -> S | None:
    """The story of the best-matching candidate at or above threshold, or None for a new one."""
    best: S | None = None
    best_score = threshold
    own = _weight(doc_features.evidence, weights or {})  # the same for every candidate
    for story, other in candidates:
        s = score(doc_features, other, weights, a_total=own)
        if s >= best_score:
            best, best_score = story, s
    return best


def key_weights(
    evidence: AbstractSet[str], keys: Iterable[str], counts: Mapping[str, int]
) -> dict[str, float]:
    """Evidence token -> weight for :func:`score`: 1/sqrt(1 + count), lower the commoner.

    Only tokens that are also index keys are weighted, and only those that ``counts`` (articles
    carrying the key within the date window, as the index or the ``story_keys`` table answers)
    finds at least once; any other token keeps weight 1.
    """
    return {
        token: 1.0 / math.sqrt(1.0 + counts[token])
        for token in evidence & set(keys)
        if counts.get(token)
    }


# --- In-memory index ---------------------------------------------------------------------------


class MemoryIndex(Generic[S]):
    """An inverted index key -> articles, the model of the SQL table ``story_keys``.

    Candidate retrieval = share a key and be published within ``window_days`` (or have no date),
    most selective keys first, at most ``limit`` articles.
    """

    def __init__(self, window_days: int = WINDOW_DAYS) -> None:
        self.window_days = window_days
        self._dated: dict[str, list[tuple[int, int]]] = {}
        self._undated: dict[str, list[int]] = {}
        self._articles: dict[int, tuple[S, StoryFeatures]] = {}

    def __len__(self) -> int:
        return len(self._articles)

    def add(self, article_id: int, story_id: S, features: StoryFeatures) -> None:
        """Index one stored article under its keys."""
        if article_id in self._articles:
            raise ValueError(f"MemoryIndex.add: article {article_id} is already indexed")
        self._articles[article_id] = (story_id, features)
        day = features.day
        for key in index_keys(features):
            if day is None:
                self._undated.setdefault(key, []).append(article_id)
            else:
                bisect.insort(self._dated.setdefault(key, []), (day, article_id))

    def candidates(
        self, features: StoryFeatures, limit: int = MAX_CANDIDATES
    ) -> list[tuple[S, StoryFeatures]]:
        """Articles sharing a key within the date window, rarest keys first, at most limit."""
        keys = sorted(
            index_keys(features),
            key=lambda k: len(self._dated.get(k, ())) + len(self._undated.get(k, ())),
        )
        day = features.day
        seen: dict[int, None] = {}
        for key in keys:
            for article_id in self._window(key, day):
                seen.setdefault(article_id)
                if len(seen) >= limit:
                    return [self._articles[i] for i in seen]
        return [self._articles[i] for i in seen]

    def weights(self, features: StoryFeatures) -> dict[str, float]:
        """Evidence token -> weight, lower the more indexed articles near this date carry it."""
        keys = index_keys(features)
        counts = {
            token: len(self._window(token, features.day)) for token in features.evidence & keys
        }
        return key_weights(features.evidence, keys, counts)

    def _window(self, key: str, day: int | None) -> list[int]:
        """Ids under a key published within the window of day (all of them if day is None)."""
        postings = self._dated.get(key, [])
        if day is None:
            dated = [i for _, i in postings]
        else:
            lo = bisect.bisect_left(postings, (day - self.window_days, -1))
            hi = bisect.bisect_right(postings, (day + self.window_days, 1 << 62))
            dated = [i for _, i in postings[lo:hi]]
        return dated + self._undated.get(key, [])
