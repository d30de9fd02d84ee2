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

The package: ``names`` holds the country-name trie, ``agreements`` the instrument nouns and
their rules; the Flagger here runs both and gives the verdict with its evidence.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from monitor.core import countries as ct
from monitor.core.flags.agreements import (
    _AGREEMENT_RULES,
    _ANAPHORA_RE,
    _TRIGGER_RE,
    _agreement_counts,
    _all_phrases,
    _phrase_pattern,
)
from monitor.core.flags.names import (
    _KIND_ORDER,
    WORD_RE,
    _build_names,
    _looks_like_person,
    _Name,
    _NameIndex,
    _sentence_initial,
    fold,
)
from monitor.core.models import Evidence, Flags

log = logging.getLogger(__name__)

_SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s)|\n")
_SNIPPET_MAX = 200
#: Evidence kept per (kind, country or rule): enough to check the verdict, not every mention.
_EVIDENCE_PER_KEY = 3


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int
    code: str | None
    rule: str


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
        lines: list[str] = []
        hits = flags.evidence  # in text order: the hits of one sentence come together
        for i, e in enumerate(hits):
            lines.append(
                f"{e.kind} {e.country or ''} {e.matched!r} at {e.start}-{e.end} "
                f"[rule {e.rule}]".replace("  ", " ")
            )
            if i + 1 == len(hits) or hits[i + 1].snippet != e.snippet:
                lines.append(f"  in: {e.snippet}")  # once, after its sentence's last hit
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
    """The first few hits per (kind, country or rule), in text order, with their sentence.

    The hits of one sentence share one snippet, cut around all of them: a reader is shown each
    sentence once, every match in it marked, not one cut of it per match.
    """
    bounds = [m.end() for m in _SENTENCE_END_RE.finditer(full)]
    seen: dict[tuple[str, str], int] = {}
    kept = []
    for h in sorted(hits, key=lambda h: h.start):
        key = (h.kind, h.code or h.rule)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= _EVIDENCE_PER_KEY:
            kept.append(h)
    spans: dict[int, tuple[int, int]] = {}  # sentence -> where its first and last hits lie
    for h in kept:
        k = bisect.bisect_right(bounds, h.start)
        first, last = spans.get(k, (h.start, h.end))
        spans[k] = (min(first, h.start), max(last, h.end))
    snippets = {k: _snippet(full, bounds, *span) for k, span in spans.items()}
    return tuple(
        Evidence(
            kind=h.kind,  # type: ignore[arg-type]
            matched=full[h.start : h.end],
            snippet=snippets[bisect.bisect_right(bounds, h.start)],
            start=h.start,
            end=h.end,
            country=h.code,
            rule=h.rule,
        )
        for h in kept
    )


def _snippet(full: str, bounds: list[int], start: int, end: int) -> str:
    """The sentence around the matches from ``start`` to ``end``; a long one cut to about 200
    characters centred on them, at word boundaries, with "…" where words were left out (never
    "iti Malaya")."""
    k = bisect.bisect_right(bounds, start)
    s = bounds[k - 1] if k else 0
    e = bounds[k] if k < len(bounds) else len(full)
    head = tail = ""
    if e - s > _SNIPPET_MAX:
        half = (_SNIPPET_MAX - (end - start)) // 2
        cut_s = max(s, start - max(half, 0))
        cut_e = min(e, cut_s + _SNIPPET_MAX)
        if cut_s > s:
            space = full.find(" ", cut_s, start)  # the first whole word after the cut
            cut_s = space + 1 if space != -1 else start
            head = "…"
        if cut_e < e:
            space = full.rfind(" ", end, cut_e)  # the last whole word before it
            cut_e = space if space != -1 else end
            tail = "…"
        s, e = cut_s, cut_e
    text = " ".join(full[s:e].split())
    return f"{head}{text}{tail}" if text else text
