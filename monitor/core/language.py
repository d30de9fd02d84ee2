"""Language codes: normalising what pages declare, reading URL prefixes, and a last-resort detector.

Declared evidence beats statistics; the detector (py3langid) is restricted to the languages our
sources publish in, and Kazakh is told from Russian by its own letters before any model runs,
because short Kazakh texts share most of their character n-grams with Russian.
"""

from __future__ import annotations

import functools
import logging
import re
from urllib.parse import parse_qs, urlsplit

from monitor.core import langmodel

log = logging.getLogger(__name__)

#: Languages the detector may answer; everything else our sources publish is declared.
PLAUSIBLE = (
    "en",
    "ru",
    "kk",
    "ms",
    "id",
    "ky",
    "uz",
    "tg",
    "tk",
    "zh",
    "th",
    "vi",
    "tl",
    "de",
    "fr",
    "es",
    "ar",
    "tr",
    "uk",
)
#: First path segments that name a language on the sites we watch.
URL_PREFIXES = {
    "en": "en",
    "ru": "ru",
    "kk": "kk",
    "kz": "kk",
    "qz": "kk",
    "ms": "ms",
    "bm": "ms",
    "uz": "uz",
    "ky": "ky",
    "kg": "ky",
    "tj": "tg",
    "tg": "tg",
    "zh": "zh",
    "cn": "zh",
    "id": "id",
    "de": "de",
    "fr": "fr",
    "es": "es",
}
_ALIASES = {
    "kz": "kk",
    "qz": "kk",
    "in": "id",
    "iw": "he",
    "my-ms": "ms",
    "zsm": "ms",
    "may": "ms",
    "kaz": "kk",
    "rus": "ru",
    "eng": "en",
    "msa": "ms",
    "ind": "id",
}
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: Share of Kazakh-only letters among Cyrillic ones above which a text is Kazakh, not Russian.
_KAZAKH_SHARE = 0.01


def normalize_language(code: str | None) -> str | None:
    """'ru-RU' -> 'ru', 'en_US' -> 'en', 'kz' -> 'kk'; None for 'x-default' or junk."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in _ALIASES:
        return _ALIASES[code]
    primary = code.split("-", 1)[0]
    primary = _ALIASES.get(primary, primary)
    if re.fullmatch(r"[a-z]{2,3}", primary) and primary not in ("x", "und", "mul", "zxx"):
        return primary
    return None


def language_from_url(url: str) -> str | None:
    """/ru/..., /kz/... (Kazakh), index.php/en/..., ?lang=ru; /my/ is Malay on .my hosts only."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if segments and segments[0] in ("index.php", "index.html"):
        segments = segments[1:]
    if segments:
        first = segments[0]
        if first in URL_PREFIXES:
            return URL_PREFIXES[first]
        if first == "my" and (parts.hostname or "").endswith(".my"):
            return "ms"
        if re.fullmatch(r"[a-z]{2}-[a-z]{2}", first) and first[:2] in URL_PREFIXES:
            return URL_PREFIXES[first[:2]]
    for key in ("lang", "language", "hl"):
        values = parse_qs(parts.query).get(key)
        if values:
            return normalize_language(values[0])
    return None


def looks_kazakh(text: str) -> bool:
    """Kazakh Cyrillic uses әғқңөұүһі; Russian never does, so a handful settles it."""
    cyrillic = len(_CYRILLIC.findall(text))
    if cyrillic < 20:
        return False
    kazakh = sum(1 for char in text if char in _KAZAKH_LETTERS)
    return kazakh / cyrillic >= _KAZAKH_SHARE


@functools.cache
def _identifier() -> langmodel.Classifier:
    """The detector restricted to PLAUSIBLE, loaded once per process; our own, not py3langid's.

    Usually a read-only mapping of a cache file that every process shares; langmodel says why,
    where the file lives and what happens when it cannot be used.
    """
    return langmodel.load(PLAUSIBLE)


def detect_language(text: str) -> str | None:
    """Guess the language of a body text; None when there is too little text to tell."""
    sample = text[:5000]
    if sum(map(str.isalpha, sample)) < 20:
        return None
    return _classify(sample)[0]


def _classify(sample: str) -> tuple[str | None, float, dict[str, float]]:
    """(language, confidence, every language's probability): Kazakh letters first, then the
    model, restricted to PLAUSIBLE (one run of it gives all three)."""
    if looks_kazakh(sample):
        return "kk", 1.0, {"kk": 1.0}
    ranked = _identifier().rank(sample)
    language, confidence = ranked[0]
    log.debug("detected %s (%.2f)", language, confidence)
    chances = dict(ranked)
    if language == "kk" and _CYRILLIC.search(sample):
        # no Kazakh letters at all (checked above): the model confused Russian
        return "ru", confidence, chances
    return normalize_language(language), confidence, chances


#: A declared language is overruled, on at least _OVERRULE_LETTERS of text, by a detector this
#: sure of another, or when the detector gives the declared one no more than _IMPLAUSIBLE.
_OVERRULE_CONFIDENCE = 0.9
_IMPLAUSIBLE = 0.01
_OVERRULE_LETTERS = 200


def contradicts(declared: str, text: str) -> str | None:
    """The text's own language when it clearly is not the declared one, else None.

    Sites declare one language for every page (ISIS Malaysia marks its Malay posts ``en-US``,
    multilingual WordPress sites leave ``ru-RU`` on Kazakh pages); flags depend on the right one.
    Two ways to be clear: the detector is sure of another language, or it finds the declared
    one all but impossible. The second matters where the text's language has a close sibling
    among the candidates: Malay text splits its probability with Indonesian (0.7 / 0.3) yet
    gives English 1e-18; that is not doubt about English.
    """
    sample = text[:1500]  # enough to be sure; the model's cost grows with the text
    if sum(map(str.isalpha, sample)) < _OVERRULE_LETTERS:
        return None
    found, confidence, chances = _classify(sample)
    if not found or found == declared:
        return None
    if confidence >= _OVERRULE_CONFIDENCE or chances.get(declared, 0.0) <= _IMPLAUSIBLE:
        return found
    return None


def warm_up() -> None:
    """Load the detector's model now (a worker's forkserver does, to share it)."""
    _identifier()
