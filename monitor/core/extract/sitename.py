"""The site's name in a title: "Headline | Site – its motto" is the headline.

A <title> or an og:title often carries the site's name before or after the headline, set off
by a separator, sometimes with the site's motto after it. A segment names the site when it is
og:site_name, a domain ("petri-heil.ch", "FASSETTE.NET"), or spells a label of the page's host
in its words ("Schweizer Jäger Online" for schweizerjaeger.ch, "Parco Nazionale d'Abruzzo" for
parcoabruzzo.it, "AOC media" for aoc.media). What follows that segment is the site's too.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

#: What sets a site's name off from a headline (with spaces around it).
TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|»|::|-|·|•)\s+")
_BARE_SEPARATOR = re.compile(r"\s+(?:\||–|—|»|::|-|·|•)$|^(?:\||–|—|»|::|-|·|•)\s+")
#: A segment that is a host name: "petri-heil.ch", "FASSETTE.NET".
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.I)
#: Host labels that name no site: public second levels and the like.
_NO_NAME = frozenset({"www", "com", "co", "org", "net", "gov", "gv", "ac", "edu", "or", "go"})
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe"})


def drop_site_name(title: str, site: str | None, url: str, *, strict: bool) -> str:
    """'Title – Site name' -> 'Title'; from <title> (not ``strict``) also guess the site part
    when nothing names it (the shorter side)."""
    title = _BARE_SEPARATOR.sub("", title).strip()
    separators = list(TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    bounds = [0, *(m.start() for m in separators), len(title)]
    starts = [0, *(m.end() for m in separators)]
    segments = [title[s:e].strip() for s, e in zip(starts, bounds[1:], strict=True)]
    # the site's name and what follows it (a motto), after the headline
    for k in range(1, len(segments)):
        if names_site(segments[k], site, url) and title[: separators[k - 1].start()].strip():
            return title[: separators[k - 1].start()].strip()
    # the site's name before the headline
    if names_site(segments[0], site, url):
        rest = title[separators[0].end() :].strip()
        if rest:
            return rest
    if strict:
        return title
    head, tail = title[: separators[-1].start()].strip(), segments[-1]
    if len(tail) < len(head):
        return head
    return title[separators[0].end() :].strip() or title  # 'Site | Title'


def names_site(part: str, site: str | None, url: str) -> bool:
    """Whether a title segment is the site's name: og:site_name, a domain, or the host's
    label spelled out in words."""
    if not part or len(part) > 60:
        return False
    folded = _fold(part)
    squeezed = re.sub(r"\W", "", folded)
    if not squeezed:
        return False
    if site and squeezed == re.sub(r"\W", "", _fold(site)):
        return True
    if _DOMAIN.fullmatch(part.strip()):
        return True
    labels = (urlsplit(url).hostname or "").split(".")[:-1]
    words = [w for w in re.split(r"\W+", folded) if w]
    for label in (x for x in labels if len(x) >= 3 and x not in _NO_NAME):
        name = label.replace("-", "")
        if name in squeezed or squeezed in name or _spelled(name, words):
            return True
    return False


def _fold(text: str) -> str:
    """Casefolded, umlauts as a host writes them (ä -> ae), other accents dropped."""
    text = text.casefold().translate(_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _spelled(name: str, words: list[str]) -> bool:
    """Whether the host label is the segment's words run together, some of them left out
    ("parcoabruzzo" in "parco nazionale d abruzzo"): at least two words, in order."""
    rest, used = name, 0
    for word in words:
        if len(word) >= 2 and rest.startswith(word):
            rest, used = rest[len(word) :], used + 1
    return not rest and used >= 2
