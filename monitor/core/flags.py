"""Flag articles that mention an agreement or a chosen country, with evidence a human can check.

Two detectors run over ``title + "\\n\\n" + text`` after folding (NFC, lowercase one character at
a time so offsets stay valid, ё→е, ’→'):

* Countries: the text is split into ``\\w+`` tokens and walked through a trie of name phrases
  (CLDR names in en/ru/kk/ms plus the tables in :mod:`monitor.core.countries`). Every word of a
  name is expanded into its Russian or Kazakh case forms up front, so "Республики Казахстан" and
  "Қазақстанның" are plain dictionary hits. The longest phrase wins, which is how blockers work:
  "Islamic State of Iraq and Syria", "Atlanta, Georgia" and "New Mexico" are phrases that match
  and name nothing. Case is checked on the original text: names must be capitalised ("turkey" is
  the bird), abbreviations must match exactly ("US" vs "us", Malay "AS" vs "as").
* Agreements: one regex finds instrument nouns in any language (memorandum, treaty, соглашение,
  келісім, perjanjian...), then a small rule per noun looks at the words just before and after:
  "in agreement with" and "security protocol" are not instruments; "шарт" (treaty or condition)
  needs a signing verb or "туралы" to count. Verbs of agreeing (agreed, договорились, келісті,
  bersetuju), decrees and joint statements contain no instrument noun and so never count.

Verdict: ``flagged`` = an agreement, or a chosen country named outright, or (``count_demonyms``) a
chosen country hinted at by a demonym ("Malaysian", "казахстанский"). Capitals ("Astana",
"Putrajaya") are evidence only and never flag: a capital is as often a venue as a state.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from monitor.core import countries as ct
from monitor.core.models import Evidence, Flags

log = logging.getLogger(__name__)

WORD_RE = re.compile(r"\w+")
_SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s)|\n")
_SNIPPET_MAX = 200
#: Evidence kept per (kind, country or rule): enough to check the verdict, not every mention.
_EVIDENCE_PER_KEY = 3
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
            for code, names in by_code.items():
                for name in names.split("|"):
                    index.add(name, lang, kind, code)
    return index


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int
    code: str | None
    rule: str


# --- agreements -----------------------------------------------------------------------------

_SIGN = (
    r"(?:sign\w*|ink(?:ed|s|ing)?|conclu\w+|ratif\w+|renew\w*|negotiat\w+|initial\w*|"
    r"terminat\w+|finali[sz]\w+|extend\w*|withdr\w+|refus\w+|reject\w+|draft\w*|"
    r"подпис\w*|заключ\w*|ратифиц\w*|продл\w*|парафир\w*|денонсир\w*|"
    r"қол\s+қой\w*|қол\s+қою\w*|жасас\w*|ратификац\w*|бекіт\w*|"
    r"\w*tandatangan\w*|\w*meterai\w*|\w*rundingan\w*|memperbaharui)"
)
_SIGN_BEFORE = re.compile(_SIGN + r"(?:\W+\w+){0,6}?\W+$")
_SIGN_AFTER = re.compile(r"^(?:\W+\w+){0,6}?\W+" + _SIGN)


@dataclass(frozen=True)
class _Rule:
    """When an instrument noun counts: negatives win, then context if the noun is ambiguous."""

    name: str
    needs_context: bool = False
    pre_neg: str | None = None  # regex on the folded text just before, anchored at its end
    post_neg: str | None = None  # regex on the folded text just after, anchored at its start
    pre_pos: str | None = None
    post_pos: str | None = None
    verbs: bool = True  # a signing verb nearby is context enough
    token_neg: str | None = None  # forms of the noun itself that are not instruments


_AGREEMENT_RULES: dict[str, tuple[str, _Rule]] = {
    "memo_en": (
        r"memorand(?:um|a|ums)",
        _Rule(
            "agreement:memorandum",
            pre_neg=r"(?:internal|staff|office|departmental|leaked|serah|serahkan|menyerahkan|"
            r"hantar|menghantar|bantahan)\s+(?:\w+\s+)?$",
            post_neg=r"^\s+(?:(?:\w+\s+){0,2}(?:diserahkan|dihantar)|kepada|bantahan|"
            r"to\s+(?:all\s+)?(?:staff|employees|members|the\s+board))",
        ),
    ),
    "mou": (r"mou|mous|moa|moas|moc|mocs", _Rule("agreement:mou")),
    "agreement": (
        r"agreements?",
        _Rule(
            "agreement:agreement",
            needs_context=True,
            pre_neg=r"(?:\bin|reach\w*|found|express\w*|voic\w*|broad|general|wide|full|"
            r"complete|mutual|nodd\w*|there\s+(?:was|is)|no|some|verbal|tacit|gentlemen's)"
            r"\s+(?:an\s+|the\s+|a\s+|any\s+|some\s+)?$",
            post_neg=r"^\s+(?:(?:was|has\s+been|had\s+been|is)\s+reached|among|within\s+the)",
            pre_pos=r"(?:cooperation|co-operation|trade|free-trade|association|partnership|"
            r"bilateral|trilateral|multilateral|intergovernmental|inter-governmental|framework|"
            r"investment|loan|transit|visa-free|visa-waiver|waiver|extradition|readmission|peace|"
            r"ceasefire|supply|strategic|comprehensive|economic|defen[cs]e|security|military|"
            r"nuclear|customs|tax|taxation|licen[cs]e|licensing|twinning|exchange|research|"
            r"academic|paris|withdrawal|offtake|purchase|gas|oil|credit|grant|new|this|formal|"
            r"written|binding|"
            r"the\s+\w+|\w+-\w+)[\s-]+$",
            post_pos=r"^\s+(?:on|between|to\s+(?:establish|create|set|promote|develop|"
            r"cooperate|build|expand|avoid)|for\s+(?:cooperation|the)|with\s+(?!the\s+view))",
        ),
    ),
    "treaty": (r"treaty|treaties", _Rule("agreement:treaty")),
    "accord": (
        r"accords?",
        _Rule(
            "agreement:accord",
            pre_neg=r"(?:own|\bin|to|full|perfect)\s+$",
            post_neg=r"^\s+(?:with|to|priority|\w+\s+(?:status|priority))",
        ),
    ),
    "protocol_en": (
        r"protocols?",
        _Rule(
            "agreement:protocol",
            needs_context=True,
            pre_neg=r"(?:security|safety|health|medical|covid|covid-19|network|communication|"
            r"communications|internet|diplomatic|treatment|testing|quarantine|sanitary|standard|"
            r"clinical|evacuation|emergency|transport|transfer|messaging|encryption|state|"
            r"chief\s+of|head\s+of|department\s+of|according\s+to|by|breach\w*\s+of|"
            r"keselamatan|kesihatan)\s+$",
            post_neg=r"^\s+(?:department|service|officer|section|kesihatan|keselamatan|covid|"
            r"sop)",
            pre_pos=r"(?:additional|amending|optional|intergovernmental|bilateral|trade|"
            r"cooperation|tambahan|pindaan)\s+$",
            post_pos=r"^\s+(?:on|to\s+the|amending|of\s+intent|between|mengenai|tentang|"
            r"berhubung|kerjasama)\b",
        ),
    ),
    "pact": (r"pacts?|pakta", _Rule("agreement:pact", pre_neg=r"(?:suicide)\s+$")),
    "convention": (
        r"conventions?",
        _Rule("agreement:convention", needs_context=True, verbs=True, post_pos=r"^\s+on\s"),
    ),
    "memo_ru": (r"меморандум\w*", _Rule("agreement:меморандум")),
    "soglashenie": (
        r"соглашени\w*",
        _Rule(
            "agreement:соглашение",
            pre_neg=r"(?:при\w+\s+к|джентльменск\w*|устн\w*|негласн\w*)\s+(?:\w+\s+)?$",
        ),
    ),
    "dogovor": (r"договор(?:а|у|ом|е|ы|ов|ам|ами|ах)?", _Rule("agreement:договор")),
    "konvencia": (r"конвенци\w+", _Rule("agreement:конвенция")),
    "protocol_ru": (
        r"протокол\w*",
        _Rule(
            "agreement:протокол",
            needs_context=True,
            pre_neg=r"(?:сетев\w*|медицинск\w*|клиническ\w*|санитарн\w*|карантинн\w*|по|"
            r"лечебн\w*)\s+$",
            post_neg=r"^\s+(?:безопасности|лечения|испытаний|передачи|связи|обследования)",
            pre_pos=r"(?:дополнительн\w*|межправительственн\w*|двусторонн\w*)\s+$",
            post_pos=r"^\s+(?:о|об|к|намерений|между)\s",
        ),
    ),
    "pakt": (r"пакт\w*", _Rule("agreement:пакт")),
    "kelisim": (
        r"келісім\w*",
        _Rule(
            "agreement:келісім",
            pre_neg=r"(?:қоғамдық|ұлтаралық|конфессияаралық|дінаралық|азаматтық|қоғамдағы|"
            r"пен|мен|және|ортақ|өзара)\s+$",
            post_neg=r"^\s+(?:келді|келген|келіп|келе|келу\w*|келмеді|берді|берген|беріп|"
            r"береді|беру\w*|бермеді)(?!\w)",
            token_neg=r"келісімімен|келісімінсіз|келісімсіз",
        ),
    ),
    "shart": (
        r"шарт(?:қа|ты|тың|та|тан|пен|ы|ын|ына|ында|ынан|ымен|тар\w*)?",
        _Rule(
            "agreement:шарт",
            needs_context=True,
            pre_neg=r"(?:басты|негізгі|маңызды|міндетті|алғы|қажетті|басым|бірінші|жалғыз|"
            r"бір|екі|үш|тиімді|қолайлы|жеңілдікті)\s+$",
            pre_pos=r"(?:туралы|арасындағы|екіжақты|халықаралық|достық|бейбітшілік|"
            r"мемлекетаралық|одақтық|ынтымақтастық|тату\s+көршілік)\s+$",
        ),
    ),
    "hattama": (
        r"хаттама\w*",
        _Rule("agreement:хаттама", needs_context=True, pre_pos=r"(?:туралы|қосымша)\s+$"),
    ),
    "perjanjian": (
        r"perjanjian",
        _Rule("agreement:perjanjian", pre_neg=r"(?:mencapai|capai|tercapai)\s+(?:satu\s+)?$"),
    ),
    "triti": (r"triti", _Rule("agreement:triti")),
    "protokol": (
        r"protokol",
        _Rule(
            "agreement:protokol",
            needs_context=True,
            pre_neg=r"(?:mengikut|ikut|ketua)\s+$",
            post_neg=r"^\s+(?:kesihatan|keselamatan|covid|rawatan|sop|operasi)",
            pre_pos=r"(?:tambahan|pindaan)\s+$",
            post_pos=r"^\s+(?:mengenai|tentang|berhubung|kerjasama|pindaan|tambahan)\b",
        ),
    ),
}

_TRIGGER_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(f"(?P<{key}>{pattern})" for key, (pattern, _) in _AGREEMENT_RULES.items())
    + r")(?!\w)"
)
_COMPILED: dict[str, dict[str, re.Pattern[str] | None]] = {
    key: {
        attr: re.compile(getattr(rule, attr)) if getattr(rule, attr) else None
        for attr in ("pre_neg", "post_neg", "pre_pos", "post_pos", "token_neg")
    }
    for key, (_, rule) in _AGREEMENT_RULES.items()
}
_WINDOW = 80
_ANAPHORA_RE = re.compile(r"\s+(?:itu|tersebut|this|that)(?!\w)")


def _agreement_counts(key: str, folded: str, start: int, end: int) -> bool:
    """Apply the noun's rule to the words around it."""
    rule = _AGREEMENT_RULES[key][1]
    pats = _COMPILED[key]
    pre = folded[max(0, start - _WINDOW) : start]
    post = folded[end : end + _WINDOW]
    if pats["token_neg"] and pats["token_neg"].fullmatch(folded, start, end):
        return False
    if (pats["pre_neg"] and pats["pre_neg"].search(pre)) or (
        pats["post_neg"] and pats["post_neg"].match(post)
    ):
        return False
    if not rule.needs_context:
        return True
    return bool(
        (pats["pre_pos"] and pats["pre_pos"].search(pre))
        or (pats["post_pos"] and pats["post_pos"].match(post))
        or (rule.verbs and (_SIGN_BEFORE.search(pre) or _SIGN_AFTER.match(post)))
    )


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """User phrases → one regex on folded text; a trailing * means any word ending."""
    parts = []
    for phrase in phrases:
        phrase = fold(unicodedata.normalize("NFC", phrase.strip()))
        star = phrase.endswith("*")
        words = phrase.rstrip("*").split()
        if not words:
            continue
        parts.append(r"\s+".join(map(re.escape, words)) + (r"\w*" if star else ""))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)")


def _all_phrases(terms: Mapping[str, Sequence[str]] | None) -> list[str]:
    if terms is None:
        return []
    if isinstance(terms, str) or any(isinstance(v, str) for v in terms.values()):
        raise TypeError("agreement_terms/exclude_terms: expected {language: [phrases]}")
    return [p for phrases in terms.values() for p in phrases]


# --- the flagger ----------------------------------------------------------------------------

_NAMES: _NameIndex | None = None


def warm_up() -> None:
    """Build the name index now: a forkserver does, so that its workers share it."""
    _names()


def _names() -> _NameIndex:
    """The name index is the same for every Flagger; build it once per process."""
    global _NAMES
    if _NAMES is None:
        _NAMES = _build_names()
        log.debug("country index: %d word forms", len(_NAMES.forms))
    return _NAMES


class Flagger:
    """Agreement and country detector; construct once (compiles everything), call many times.

    ``agreement_terms`` and ``exclude_terms`` map a language code to phrases; phrases are
    applied whatever the article's language, because language detection on short texts errs and
    the phrases are language-specific anyway. An exclude phrase cancels every hit it overlaps.
    """

    def __init__(
        self,
        chosen: Iterable[str] = (),
        *,
        count_demonyms: bool = True,
        agreement_terms: Mapping[str, Sequence[str]] | None = None,
        exclude_terms: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.chosen = frozenset(c.strip().upper() for c in chosen)
        self.count_demonyms = count_demonyms
        self._extra = _phrase_pattern(_all_phrases(agreement_terms))
        self._exclude = _phrase_pattern(_all_phrases(exclude_terms))

    def flag(self, title: str, text: str, language: str | None = None) -> Flags:
        """Return the verdict and its evidence for one article."""
        return self._run(title, text, None)

    def explain(self, title: str, text: str, language: str | None = None) -> list[str]:
        """Human lines: each rule that matched, where, what was ignored, and why the verdict."""
        notes: list[str] = []
        flags = self._run(title, text, notes)
        lines = [
            f"{e.kind} {e.country or ''} {e.matched!r} at {e.start}-{e.end} "
            f"[rule {e.rule}]: {e.snippet}".replace("  ", " ")
            for e in flags.evidence
        ]
        lines.extend(notes)
        lines.append(self._verdict_line(flags))
        return lines

    def _verdict_line(self, flags: Flags) -> str:
        demonym_codes = {e.country for e in flags.evidence if e.kind == "demonym"}
        reasons = []
        if flags.agreement:
            reasons.append("an agreement is mentioned")
        if hit := self.chosen.intersection(flags.countries):
            reasons.append("chosen countries named: " + ", ".join(sorted(hit)))
        weak_hit = self.chosen.intersection(demonym_codes - set(flags.countries))
        if weak_hit and self.count_demonyms:
            reasons.append("chosen countries by demonym: " + ", ".join(sorted(weak_hit)))
        if flags.flagged:
            return "verdict: flagged because " + "; ".join(reasons)
        why = ["no agreement"]
        chosen = ", ".join(sorted(self.chosen)) or "none"
        why.append(f"no chosen country ({chosen}) named")
        if weak_hit:
            why.append("demonyms of " + ", ".join(sorted(weak_hit)) + " ignored (count_demonyms)")
        capital = sorted({e.country or "" for e in flags.evidence if e.kind == "capital"})
        if capital:
            why.append("capitals (" + ", ".join(capital) + ") are evidence only")
        return "verdict: not flagged: " + "; ".join(why)

    def _run(self, title: str, text: str, notes: list[str] | None) -> Flags:
        full = unicodedata.normalize("NFC", title or "") + "\n\n"
        full += unicodedata.normalize("NFC", text or "")
        folded = fold(full)
        hits = self._agreements(folded) + self._countries(full, folded, notes)
        if self._exclude is not None:
            spans = [m.span() for m in self._exclude.finditer(folded)]
            kept = [h for h in hits if not any(s < h.end and h.start < e for s, e in spans)]
            if notes is not None:
                for h in hits:
                    if h not in kept:
                        notes.append(
                            f"ignored {full[h.start : h.end]!r} at {h.start}: "
                            "inside an exclude_terms phrase"
                        )
            hits = kept
        return self._verdict(full, hits)

    def _agreements(self, folded: str) -> list[_Hit]:
        hits = []
        rejected: set[str] = set()
        for m in _TRIGGER_RE.finditer(folded):
            key = m.lastgroup or ""
            # "the memorandum" after a memorandum that was a petition is that same petition
            if key == "memo_en" and key in rejected and _ANAPHORA_RE.match(folded, m.end()):
                continue
            if not _agreement_counts(key, folded, m.start(), m.end()):
                rejected.add(key)
            else:
                hits.append(
                    _Hit("agreement", m.start(), m.end(), None, _AGREEMENT_RULES[key][1].name)
                )
        if self._extra is not None:
            hits.extend(
                _Hit("agreement", m.start(), m.end(), None, "agreement:agreement_terms")
                for m in self._extra.finditer(folded)
            )
        return hits

    def _countries(self, full: str, folded: str, notes: list[str] | None) -> list[_Hit]:
        # built on first use: a main process that leaves flagging to workers never builds it
        idx = _names()
        matches = list(WORD_RE.finditer(folded))
        tokens = [m.span() for m in matches]
        words = [m.group() for m in matches]
        forms = idx.forms
        hits: list[_Hit] = []
        n = len(tokens)
        after = 0  # the first token not inside the last name found
        # a name starts at a known word form: only those are tried (most words are none)
        for i in [k for k, word in enumerate(words) if word in forms]:
            if i < after:
                continue
            best: tuple[int, _Name] | None = None
            nodes = [idx.root]
            for j in range(i, min(n, i + idx.max_len)):
                lemmas = forms.get(words[j])
                if not lemmas:
                    break
                nodes = [c for node in nodes for lm in lemmas if (c := node.children.get(lm))]
                if not nodes:
                    break
                for node in nodes:
                    name = node.name
                    if name and self._case_ok(name, full, folded, tokens, i, j):
                        rank = _KIND_ORDER.index(name.kind)
                        if best is None or j > best[0] or rank < _KIND_ORDER.index(best[1].kind):
                            best = (j, name)
            if best is None:
                continue
            j, name = best
            start, end = tokens[i][0], tokens[j][1]
            if name.kind == "blocker":
                if notes is not None:
                    notes.append(
                        f"ignored {full[start:end]!r} at {start}: not a country [rule {name.rule}]"
                    )
            elif (
                i == j
                and name.surface[0].lower() in ct.PERSON_HOMONYMS
                and _looks_like_person(full, tokens, i)
            ):
                if notes is not None:
                    notes.append(f"ignored {full[start:end]!r} at {start}: a person's name")
            else:
                hits.append(_Hit(name.kind, start, end, name.code, name.rule))
            after = j + 1
        return hits

    @staticmethod
    def _case_ok(
        name: _Name, full: str, folded: str, tokens: list[tuple[int, int]], i: int, j: int
    ) -> bool:
        """Proper nouns are capitalised; abbreviations match exactly; some never open a sentence."""
        first = tokens[i][0]
        if name.mode == "exact":
            surface = tuple(full[s:e] for s, e in tokens[i : j + 1])
            if surface != name.surface:
                return False
        elif name.mode == "title" and not full[first].isupper():
            return False
        return not (name.not_initial and _sentence_initial(folded, first))

    def _verdict(self, full: str, hits: list[_Hit]) -> Flags:
        strict = {h.code for h in hits if h.kind == "country" and h.code}
        demonym = {h.code for h in hits if h.kind == "demonym" and h.code} - strict
        weak = {h.code for h in hits if h.kind in ("demonym", "capital") and h.code} - strict
        agreement = any(h.kind == "agreement" for h in hits)
        flagged = agreement or bool(self.chosen & strict)
        flagged = flagged or (self.count_demonyms and bool(self.chosen & demonym))
        return Flags(
            agreement=agreement,
            countries=tuple(sorted(strict)),
            weak_countries=tuple(sorted(weak)),
            flagged=flagged,
            evidence=_evidence(full, hits),
        )


def _evidence(full: str, hits: list[_Hit]) -> tuple[Evidence, ...]:
    """The first few hits per (kind, country or rule), in text order, with their sentence."""
    bounds = [m.end() for m in _SENTENCE_END_RE.finditer(full)]
    seen: dict[tuple[str, str], int] = {}
    out = []
    for h in sorted(hits, key=lambda h: h.start):
        key = (h.kind, h.code or h.rule)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > _EVIDENCE_PER_KEY:
            continue
        out.append(
            Evidence(
                kind=h.kind,  # type: ignore[arg-type]
                matched=full[h.start : h.end],
                snippet=_snippet(full, bounds, h.start, h.end),
                start=h.start,
                end=h.end,
                country=h.code,
                rule=h.rule,
            )
        )
    return tuple(out)


def _snippet(full: str, bounds: list[int], start: int, end: int) -> str:
    """The sentence around a match, cut to about 200 characters centred on it."""
    k = bisect.bisect_right(bounds, start)
    s = bounds[k - 1] if k else 0
    e = bounds[k] if k < len(bounds) else len(full)
    if e - s > _SNIPPET_MAX:
        half = (_SNIPPET_MAX - (end - start)) // 2
        s = max(s, start - max(half, 0))
        e = min(e, s + _SNIPPET_MAX)
    return " ".join(full[s:e].split())


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
