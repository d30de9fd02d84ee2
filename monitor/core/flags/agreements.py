"""Agreements: instrument nouns in en, ru, kk and ms, and the rule that says when one counts.

One regex finds the nouns; each noun's rule then reads the words just before and after it
(negatives first, then context for ambiguous nouns such as "шарт", treaty or condition). The
user's own ``agreement_terms`` and ``exclude_terms`` become patterns here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from monitor.core.flags.names import fold

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
