"""Country names: a trie over every name phrase, each word expanded into its case forms.

Built once per process from CLDR and the tables in :mod:`monitor.core.countries`: every word of
a name becomes its Russian or Kazakh case forms up front, so matching is dictionary hits along
the text's words, and the longest phrase wins (which is how blockers shadow names). The case
and person-name checks that run on a candidate hit live here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from monitor.core import countries as ct

WORD_RE = re.compile(r"\w+")
_KIND_ORDER = ("blocker", "country", "capital", "demonym")
#: Capitalised words that may stand before a country without making it a surname ("In Chad").
#: Capitalised words after a country that keep it a country ("Jordan King Abdullah").
_STATE_WORDS = frozenset(
    [
        "president",
        "prime",
        "foreign",
        "king",
        "queen",
        "government",
        "minister",
        "ministry",
        "embassy",
        "parliament",
        "republic",
        "basin",
        "national",
        "state",
    ]
)
_FUNCTION_WORDS = frozenset(
    [
        "in",
        "on",
        "at",
        "to",
        "from",
        "with",
        "and",
        "but",
        "for",
        "as",
        "by",
        "of",
        "the",
        "both",
        "also",
        "while",
        "when",
        "unlike",
        "like",
        "including",
        "visiting",
        "between",
        "across",
        "into",
        "near",
        "within",
        "without",
        "after",
        "before",
        "during",
    ]
)


def fold(text: str) -> str:
    """Lowercase one character at a time (so offsets survive), and fold ё and curly apostrophes."""
    low = text.lower()
    if len(low) != len(text):  # "İ".lower() is two characters: keep offsets aligned instead
        low = "".join(
            c if len(c) == 1 else ch for ch, c in zip(text, map(str.lower, text), strict=True)
        )
    return low.replace("ё", "е").replace("’", "'")


@dataclass(frozen=True)
class _Name:
    """One phrase in the trie: what it names and how strictly its case must match."""

    kind: str  # blocker | country | capital | demonym
    code: str | None
    rule: str
    mode: str  # title | exact | any
    surface: tuple[str, ...]  # the alias's own tokens, for exact-case comparison
    not_initial: bool = False


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    name: _Name | None = None


def _inflect(lang: str, kind: str) -> Callable[[str], set[str]]:
    if lang == "ru":
        return ct.ru_forms
    if lang == "kk":
        return lambda w: ct.kk_forms(w, plural=kind == "demonym")
    if lang == "en" and kind == "demonym":
        return lambda w: {w, w + "s"} if not w.endswith(("s", "sh", "ch", "ese")) else {w}
    return lambda w: {w}


class _NameIndex:
    """Word forms → lemma words, and a trie over lemma-word phrases.

    The forms are ~69,000 (every Russian and Kazakh case form of every name), nearly all with
    one lemma: each maps to a tuple, and forms of one lemma share one tuple. A set per form
    took 32 MB where this takes 17.5, in the forkserver whose pages every worker maps (and
    copies where a lookup touches an object's reference count).
    """

    def __init__(self) -> None:
        self.forms: dict[str, tuple[str, ...]] = {}
        self.root = _Node()
        self.max_len = 0
        self._alone: dict[str, tuple[str]] = {}  # lemma -> (lemma,), shared by its forms

    def add(self, phrase: str, lang: str, kind: str, code: str | None) -> None:
        mode = "any" if kind == "demonym" and lang in ("ru", "kk") else "title"
        not_initial = phrase.startswith("!")
        if phrase[0] in "=!":
            mode = "exact" if phrase[0] == "=" else mode
            phrase = phrase[1:]
        surface = tuple(WORD_RE.findall(unicodedata.normalize("NFC", phrase)))
        lemmas = [fold(w) for w in surface]
        inflect = (lambda w: {w}) if mode == "exact" else _inflect(lang, kind)
        node = self.root
        for lemma in lemmas:
            for form in inflect(lemma):
                lemmas_of = self.forms.get(form)
                if lemmas_of is None:
                    self.forms[form] = self._alone.setdefault(lemma, (lemma,))
                elif lemma not in lemmas_of:
                    self.forms[form] = (*lemmas_of, lemma)
            node = node.children.setdefault(lemma, _Node())
        if node.name is None or _KIND_ORDER.index(kind) < _KIND_ORDER.index(node.name.kind):
            rule = f"{kind}:{lang}:{phrase}"
            node.name = _Name(kind, code, rule, mode, surface, not_initial)
        self.max_len = max(self.max_len, len(lemmas))


def _build_names() -> _NameIndex:
    index = _NameIndex()
    for lang, phrases in ct.BLOCKERS.items():
        for phrase in phrases:
            index.add(phrase, lang, "blocker", None)
    for lang, table in ct.ALIASES.items():
        for code, names in table.items():
            for name in names:
                index.add(name, lang, "country", code)
    for lang in ct.LANGUAGES:
        for code, name in ct.cldr_names(lang):
            index.add(name, lang, "country", code)
    for kind, tables in (("capital", ct.CAPITALS), ("demonym", ct.DEMONYMS)):
        for lang, by_code in tables.items():
            for code, spellings in by_code.items():
                for name in spellings.split("|"):
                    index.add(name, lang, kind, code)
    return index


def _sentence_initial(folded: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and folded[k] in " \t\"'«“(":
        k -= 1
    return k < 0 or folded[k] in ".!?\n:…"


def _looks_like_person(full: str, tokens: list[tuple[int, int]], i: int) -> bool:
    """'Chad Smith', 'Michael Jordan': a capitalised word joined by a space on either side."""
    s, e = tokens[i]
    if i + 1 < len(tokens):
        ns, ne = tokens[i + 1]
        nxt = full[ns:ne]
        if full[e:ns] == " " and nxt[0].isupper() and not nxt.isupper():
            return nxt.lower() not in _STATE_WORDS
    if i > 0:
        ps, pe = tokens[i - 1]
        prev = full[ps:pe]
        return full[pe:s] == " " and prev[0].isupper() and prev.lower() not in _FUNCTION_WORDS
    return False
