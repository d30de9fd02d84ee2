"""Words that read the same across en, ru, kk and ms: transliteration, name keys, dictionaries.

Grouping works offline, so languages meet on what they share without translation: a name's
phonetic key from any script ("Тукумовым" and "Tukumov" both give ``tukum``), organisations'
acronyms with their Cyrillic twins, the field's key terms as concept ids, countries (stems from
:mod:`monitor.core.countries`) and month names, all matched on stems so that case endings do not
matter.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from monitor.core import countries as ct

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
    # Russian writes Japanese "j" as "дз" (Кэндзи/Kenji), Chinese "j" as "цз" (Цзе/Jie)
    ("shch", "S"), ("chzh", "J"), ("tsz", "J"), ("dzh", "J"), ("dz", "J"), ("zh", "J"), ("kh", "h"),
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
_ENDING_SET = frozenset(_ENDINGS)
_ENDING_LENGTHS = tuple(sorted({len(e) for e in _ENDINGS}, reverse=True))
_NG_END = re.compile(r"ng$")
_DOUBLED = re.compile(r"(.)\1+")


def latin(text: str) -> str:
    """Lower-case Latin spelling of a ru/kk word (fixed table); Latin text passes through."""
    word = unicodedata.normalize("NFKC", text).casefold()
    if word[:1] == "е":  # Еркин is written Yerkin
        word = "ye" + word[1:]
    return word.translate(_CYR_TABLE)


def name_key(word: str) -> str:
    """A short phonetic key under which a name meets its spellings in other scripts."""
    return _key(_stripped(word))


def _stripped(word: str) -> str:
    """A Cyrillic name without its case ending (an acronym and a Latin word as they are)."""
    if _is_cyrillic(word) and not word.isupper():
        lower = word.casefold()
        for n in _ENDING_LENGTHS:  # the longest ending that leaves three letters
            if len(lower) - n >= 3 and lower[-n:] in _ENDING_SET:
                return word[: len(lower) - n]
    return word


def name_keys(word: str) -> tuple[str, ...]:
    """:func:`name_key`, and for a Cyrillic word also the key of the word as written.

    A case ending cannot be told from the end of a nominative: "Астана" and "Алматы" end the
    way "Астаны" and the Kazakh "-ты" do, and stripped they no longer meet "Astana" and
    "Almaty". Both keys stand for the word; one of them is the one other scripts write.
    Likewise a Latin name ending in a silent "e" ("Claire", "Pierre") has the key of the word
    without it, the one Cyrillic writes ("Клэр", "Пьер").
    """
    key = name_key(word)
    if word.isupper():
        return (key,)
    if _is_cyrillic(word):
        whole = _key(word)
    elif len(word) > 3 and word[-1] == "e" and word[-2] not in "aeiouy":
        whole = _key(word[:-1])
    else:
        return (key,)
    return (key,) if whole == key else (key, whole)


def _key(word: str) -> str:
    # Russian writes Chinese "-ng" as "-н" (Zhang/Чжан)
    key = _NG_END.sub("n", latin(word).replace("'", ""))
    for old, new in _PHONETIC:
        key = key.replace(old, new)
    # vowels first: "Йылмаз" is "yylmaz", and "yi" of "Yilmaz" must meet its "yy"
    key = _VOWELS.sub("a", key)
    key = _DOUBLED.sub(r"\1", key).lower()
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
    "security": ("securit", "безопасност", "қауіпсізд", "keselamatan"),
    "corridor": ("corridor", "коридор", "дәліз", "koridor"),
    "migration": ("migra", "миграц", "көші қон"),
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
    # what an item is about, by the words each language says it in ("food security" is food
    # and security, "cybersecurity" cyber and security: two subjects that security alone
    # would make one)
    "cyber": ("cyber", "кибер", "siber"),
    "food": ("food", "продовольств", "азық түлік", "makanan"),
    "green": ("green$", "зелён", "зелено", "зелены", "зелена", "жасыл", "hijau"),
    "employment": ("employment", "занятост", "жұмыспен", "pekerjaan"),
    "youth": ("youth", "молодёж", "молодеж", "жастар", "belia$"),
    "connectivity": ("connectivity", "взаимосвязан", "ketersambungan"),
    "investment": ("invest", "инвестиц", "pelaburan"),
    "agriculture": ("agricult", "сельскохоз", "сельского хоз", "ауыл шаруашылы", "pertanian"),
    "health": ("health", "здравоохран", "денсаулық", "kesihatan"),
    "terrorism": ("terroris", "террор", "keganasan"),
    "extremism": ("extremis", "экстремиз", "экстремист", "ekstremis"),
    "logistics": ("logistic", "логисти", "logistik"),
    "hydrogen": ("hydrogen", "водород", "сутегі", "hidrogen"),
    "oil": ("oil$", "нефт", "мұнай", "minyak"),
    "sanctions": ("sanction", "санкци", "sekatan"),
}


#: Concepts that name the kind of event (a signing, a visit, a lecture); the others name its
#: subject (water, energy, AI). One event has one subject, and many events share a kind.
EVENT_KINDS = frozenset(
    {
        "memorandum", "agreement", "treaty", "signing", "conference", "forum", "roundtable",
        "seminar", "webinar", "workshop", "summit", "delegation", "visit", "report", "lecture",
    }
)  # fmt: skip


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
#: A day-and-month mention ("21 мая", "8-ші желтоқсан", "december 8") is found from its day: a
#: text has a few numbers and many words, and a month alternation tried at every word was most
#: of the date scan.
_DAY = re.compile(r"\d(?<!\d\d)\d?(?!\d)")
_MONTH_AFTER = re.compile(rf"(?:-?(?:ші|шы|th|st|nd|rd|е|го))?\s+({_MONTH_RE})\w*")
_MONTH_WORD = re.compile(rf"({_MONTH_RE})\w*")
_TRAILING_WORD = re.compile(r"\w+$")
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
_GENERIC_WORDS = frozenset(_GENERIC.split())
_GENERIC_KEYS = frozenset(name_key(w) for w in _GENERIC_WORDS)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: The capitalised words of ``_WORD``'s split (Latin, Greek and Cyrillic capitals): names are
#: looked for among them only, not among the eight in ten words that begin in lower case.
_UPPER = "".join(
    ch for ch in map(chr, [*range(0x41, 0x530), *range(0x1E00, 0x2000)]) if ch.isupper()
)
#: (after a letter, or after a letter and an apostrophe, a capital is inside a word: "d'Estaing"
#: is one word, as ``_WORD`` reads it, and begins in lower case)
_CAPITALISED = re.compile(
    rf"[{_UPPER}](?<![^\W\d_][{_UPPER}])(?<![^\W\d_]['’][{_UPPER}])[^\W\d_]*"
    r"(?:['’][^\W\d_]+)?"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;»\"“”(\n]\s*)$")
# (a digit first, then the look behind it: a pattern that starts with a digit is scanned for
# digits, one that starts with a look-behind is tried at every character)
_NUMBER = re.compile(r"\d(?<![\w.,]\d)\d*(?:[.,\u00a0 ]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(?:[ ,]\d{3})+")  # 2,500 or 2 500
#: A numeric date (12/08/2026, 08.12.26, 2026-12-08) or a clock time (10:00, 14:35:07).
_STAMP = re.compile(
    r"\d(?<![\w.,]\d)(?:\d{0,3}[./-]\d{1,2}[./-]\d{2,4}|\d?:\d{2}(?::\d{2})?)(?![\w])"
)
_YEAR = re.compile(r"(19|20)\d\d")
_STEM_LEN = 6
_MAX_WORDS = 120
