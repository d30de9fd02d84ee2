"""Countries: CLDR names plus the aliases, demonyms and capitals news uses, and story stems.

CLDR (through babel) gives one name per country and language; real articles also say "U.S.", "РФ",
"ҚХР", "Amerika Syarikat", decline names ("Казахстана", "Қазақстанның") and hint at a country with
an adjective ("казахстанский") or a capital ("Astana"). Those extras are data, kept in
``monitor/data/countries.json`` (which says its format) and read here once; how they are matched
lives in :mod:`monitor.core.flags`. The same file holds the country stems that story grouping
(:mod:`monitor.core.stories`) matches on, so that every country the project knows is in one place.

Alias spelling conventions: a leading ``=`` means the alias must appear with exactly this case
("=US" is not "us"); a leading ``!`` means it must also not open a sentence (ru "Того" vs "того").
Everything else must start with a capital letter, except ru/kk demonyms, which are lowercase words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from babel import Locale

LANGUAGES = ("en", "ru", "kk", "ms")

#: CLDR territory codes that are not ISO 3166-1 countries, or are blocs (EU, UN, eurozone).
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)

#: Conjunction that replaces "&" in CLDR names, per language.
_AND = {"en": "and", "ru": "и", "kk": "және", "ms": "dan"}

#: The tables (format and meaning in the file's "about"), read once at import.
_TABLES = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "countries.json").read_bytes()
)

#: Names and abbreviations CLDR lacks, per language; these win over CLDR when a name is shared.
ALIASES: dict[str, dict[str, list[str]]] = _TABLES["aliases"]
#: Phrases that contain a country name but do not refer to the country; they shadow it.
BLOCKERS: dict[str, list[str]] = _TABLES["blockers"]
#: Adjectives and names of inhabitants: weak evidence, per language, "|"-separated.
#: ru entries ending in "ск"/"цк" are adjective stems and get every adjective ending.
DEMONYMS: dict[str, dict[str, str]] = _TABLES["demonyms"]
#: Capitals that stand for the state ("Astana said"): weak evidence that never flags on its own.
CAPITALS: dict[str, dict[str, str]] = _TABLES["capitals"]
#: For story grouping, not flagging: country stems per ISO code (lower-case word prefixes, any of
#: en/ru/kk/ms, demonyms included; a trailing "$" means the whole word).
STEMS: dict[str, tuple[str, ...]] = {}  # filled at the end, from the tables above and CLDR

#: For story grouping: abbreviations, matched when written in capitals, to ISO codes.
ABBREVIATIONS: dict[str, str] = _TABLES["story_abbreviations"]

#: Names that are also given names in English: "Chad Smith", "Michael Jordan" are people.
PERSON_HOMONYMS = frozenset({"chad", "jordan", "georgia"})


def cldr_names(language: str) -> Iterator[tuple[str, str]]:
    """Yield (code, name) for every ISO country in CLDR, names cleaned into matchable phrases."""
    for code, name in Locale.parse(language).territories.items():
        if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
            continue
        name = name.split(" (", 1)[0].replace(" SAR China", "").replace(" SAR", "")
        if " - " in name:  # "Congo - Kinshasa" is CLDR's disambiguation, not a name in use
            continue
        yield code, name
        if "&" in name:
            yield code, name.replace("&", _AND[language])


_RU_ADJ_ENDINGS = (
    "ий",
    "ая",
    "ое",
    "ие",
    "ого",
    "ому",
    "им",
    "ом",
    "ой",
    "ую",
    "их",
    "ими",
    "ые",
    "ым",
    "ыми",
    "ых",
    "о",
)


def ru_forms(word: str) -> set[str]:
    """Russian case forms of one lowercase word of a name, generated from its nominative."""
    w = word
    if not _is_cyrillic(w):
        return {w}
    if w.endswith(("ск", "цк")):  # adjective stem from the demonym table
        return {w + e for e in _RU_ADJ_ENDINGS}
    if w.endswith("ия"):
        b = w[:-1]
        return {w, b + "и", b + "ю", b + "ей", b + "ею"}
    if w.endswith(("ая", "яя")):
        b = w[:-2]
        return {w, b + "ой", b + "ую", b + "ою", b + "ей", b + "юю"}
    if w.endswith(("ый", "ий", "ой", "ое", "ее")):
        b = w[:-2]
        return {w} | {b + e for e in ("ого", "ому", "ым", "им", "ом", "ем", "его", "ему")}
    if w.endswith(("ые", "ие")):
        b = w[:-2]
        return {w} | {b + e for e in ("ых", "их", "ым", "им", "ыми", "ими")}
    if w.endswith("ы"):
        b = w[:-1]
        return {w, b, b + "ов", b + "ам", b + "ами", b + "ах"}
    if w.endswith("я"):
        b = w[:-1]
        return {w, b + "и", b + "ю", b + "ей", b + "е", b + "ею"}
    if w.endswith("а"):
        b = w[:-1]
        return {w, b + "ы", b + "и", b + "е", b + "у", b + "ой", b + "ою"}
    if w.endswith(("й", "ь")):
        b = w[:-1]
        return {w, b + "я", b + "ю", b + "ем", b + "е", b + "и"}
    if w.endswith("ство"):
        b = w[:-1]
        return {w, b + "а", b + "у", b + "ом", b + "е"}
    if w[-1] in "оеуиюэ":
        return {w}
    return {w, w + "а", w + "у", w + "ом", w + "е", w + "ы", w + "ов", w + "ам", w + "ах"}


#: Kazakh case, possessive and locative-adjective suffixes; all harmony variants are generated
#: because over-generating a form of a proper name costs nothing and misses are what hurt.
_KK_CASES = (
    "",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "ға",
    "ге",
    "қа",
    "ке",
    "на",
    "не",
    "а",
    "е",
    "да",
    "де",
    "та",
    "те",
    "нда",
    "нде",
    "дан",
    "ден",
    "тан",
    "тен",
    "нан",
    "нен",
    "мен",
    "бен",
    "пен",
    "ды",
    "ді",
    "ты",
    "ті",
    "ны",
    "ні",
    "н",
    "дағы",
    "дегі",
    "тағы",
    "тегі",
    "ндағы",
    "ндегі",
    "дай",
    "дей",
    "тай",
    "тей",
    "ша",
    "ше",
    "мыз",
    "міз",
    "ымыз",
    "іміз",
    "ымызда",
    "іміздің",
    "ымыздың",
    "ымызға",
    "імізге",
    "ымызды",
)
_KK_POSSESSIVE = ("ы", "і", "сы", "сі")
_KK_AFTER_POSSESSIVE = (
    "",
    "ның",
    "нің",
    "на",
    "не",
    "нда",
    "нде",
    "нан",
    "нен",
    "н",
    "мен",
    "ндағы",
    "ндегі",
)
_KK_PLURAL = ("", "лар", "лер", "дар", "дер", "тар", "тер")


def kk_forms(word: str, *, plural: bool = False) -> set[str]:
    """Kazakh inflected forms of one lowercase word: optional plural, possessive, then case."""
    if not _is_cyrillic(word) or word.isupper():
        return {word}
    out: set[str] = set()
    for pl in _KK_PLURAL if plural else ("",):
        out.update(word + pl + case for case in _KK_CASES)
        for poss in _KK_POSSESSIVE:
            out.update(word + pl + poss + case for case in _KK_AFTER_POSSESSIVE)
    return out


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


#: kk adjective suffixes (-лық, -дік, ...): a kk demonym that ends in one takes case endings.
_KK_ADJECTIVE = ("лық", "лік", "дық", "дік", "тық", "тік")


def _demonym_stems(language: str, word: str) -> str:
    """A demonym as a story stem: a prefix where the word takes endings, else the whole word.

    ru adjective stems ("германск") and kk adjectives ("жапондық") are declined; any other
    demonym is matched as written ("German", "жапон", "казахстанцы"), so that "түрік" does not
    also begin "түрікменстандық".
    """
    folded = word.casefold()
    if (language == "ru" and folded.endswith(("ск", "цк"))) or (
        language == "kk" and folded.endswith(_KK_ADJECTIVE)
    ):
        return folded
    return folded + "$"


def _name_stem(language: str, name: str) -> str | None:
    """A one-word country name as a story stem, or None when it is too short to be one.

    ru names lose the ending they decline on ("Франция" -> "франци": Франции, Францию); kk,
    en and ms names take suffixes after the whole name or none. A stem under five letters is
    left out: "Того", "Мали" and "Chad" would begin common words.
    """
    folded = name.casefold()
    if " " in folded or "-" in folded:
        return None
    if language == "ru":
        folded = folded.rstrip("аяйьоеиы")
    return folded if len(folded) >= 5 else None


def _story_stems() -> dict[str, tuple[str, ...]]:
    """story_stems, every demonym of the flags' tables and every CLDR and alias name.

    One list of names serves flags and stories, so that no country the flags know is a stranger
    to the grouping ("Perancis" is France in Malay). A generated stem that begins another
    country's is kept whole-word ("niger" is not the start of "nigeria").
    """
    hand = {code: list(stems) for code, stems in _TABLES["story_stems"].items()}
    made: dict[str, set[str]] = {}
    for language, table in DEMONYMS.items():
        for code, words in table.items():
            made.setdefault(code, set()).update(
                _demonym_stems(language, word) for word in words.split("|")
            )
    for language in LANGUAGES:
        names = list(cldr_names(language))
        names += [(c, n.lstrip("=!")) for c, ns in ALIASES.get(language, {}).items() for n in ns]
        for code, name in names:
            if (stem := _name_stem(language, name)) is not None:
                made.setdefault(code, set()).add(stem)
    begins: dict[str, set[str]] = {}  # proper prefix of a generated stem -> its countries
    for code, stems in made.items():
        for stem in stems - {s for s in stems if s.endswith("$")}:
            for k in range(1, len(stem)):
                begins.setdefault(stem[:k], set()).add(code)
    out = hand
    for code, stems in made.items():
        for stem in sorted(stems):
            if begins.get(stem, set()) - {code}:
                stem += "$"
            if stem not in out.setdefault(code, []):
                out[code].append(stem)
    return {code: tuple(stems) for code, stems in out.items()}


STEMS.update(_story_stems())
