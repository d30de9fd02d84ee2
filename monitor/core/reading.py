"""How an analyst reads an alert or a report entry: what is new first, evidence as sentences.

A story alerts when its first flagged article arrives after the baseline; the articles it
already held are context for that one, not news. :func:`alert_order` puts the new ones first,
the one the alert is about leading, and says which are new. Evidence comes one rule per hit
(a sentence with "memorandum" and "Malaysia" in it is two hits); the reader wants the sentence
once with both marked: :func:`evidence_lines` groups hits by their sentence, :func:`marked`
writes it as HTML with every match in ``<mark>``. Pure: plain data in, plain data out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core.text import EVIDENCE_LIMIT, evidence_label, story_lead, xml_text


@dataclass(frozen=True)
class EvidenceLine:
    """One sentence of an article and every rule that matched in it."""

    sentence: str
    #: ``agreement``, ``country MY``: the rules, each once, in the order they matched.
    labels: tuple[str, ...]
    #: The words that matched, each once.
    matched: tuple[str, ...]


def evidence_lines(
    evidence: Iterable[Mapping[str, Any]], limit: int = EVIDENCE_LIMIT
) -> list[EvidenceLine]:
    """The hits grouped by sentence, in text order; at most ``limit`` sentences.

    Characters XML cannot hold are dropped first (:func:`xml_text`): snippets that differ only
    in them are one sentence, and every output (mail, feed, report) can hold what is left.
    """
    order: list[str] = []
    labels: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    for e in evidence:
        sentence = xml_text(e.get("snippet"))
        if not sentence:
            continue
        if sentence not in labels:
            order.append(sentence)
            labels[sentence], words[sentence] = [], []
        label, word = evidence_label(e), xml_text(e.get("matched"))
        if label not in labels[sentence]:
            labels[sentence].append(label)
        if word and word.casefold() not in {w.casefold() for w in words[sentence]}:
            words[sentence].append(word)
    return [EvidenceLine(s, tuple(labels[s]), tuple(words[s])) for s in order[:limit]]


def pieces(line: EvidenceLine) -> list[tuple[str, bool]]:
    """The sentence in pieces, each occurrence of any matched word (any case) flagged True;
    joined, they give the sentence back."""
    if not line.matched:
        return [(line.sentence, False)]
    terms = sorted(line.matched, key=len, reverse=True)  # "меморандум о" before "меморандум"
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.I)
    out, pos = [], 0
    for m in pattern.finditer(line.sentence):
        out += [(line.sentence[pos : m.start()], False), (m.group(0), True)]
        pos = m.end()
    out.append((line.sentence[pos:], False))
    return out


def marked(line: EvidenceLine) -> str:
    """The sentence as HTML, escaped, every occurrence of every matched word in ``<mark>``."""
    return "".join(
        f"<mark>{html.escape(text)}</mark>" if hit else html.escape(text)
        for text, hit in pieces(line)
    )


def alert_order(
    articles: Sequence[Mapping[str, Any]], languages: Sequence[str] = ()
) -> tuple[list[Mapping[str, Any]], set[int]]:
    """The articles in the order an alert lists them, and the ids of those that are new.

    ``articles`` come oldest first. New: the first flagged article stored after the baseline
    (the one that made the alert) and every one stored after it. The lead among them (the
    first flagged, in a preferred language when one is there: :func:`story_lead`) comes
    first, the other new ones follow, then the story's older articles, oldest first. A story
    whose articles are all older (a revision made one flagged) is led the same way, by
    :func:`story_lead` of them all, the others following oldest first; none is new.
    """
    fresh = [a for a in articles if a.get("flagged") and not a.get("baseline")]
    if not fresh:
        lead = story_lead(articles, languages)
        if lead is None:
            return [], set()
        return [lead, *(a for a in articles if a is not lead)], set()
    first = _seen_key(fresh[0])
    new = [a for a in articles if not a.get("baseline") and _seen_key(a) >= first]
    lead = story_lead(new, languages) or new[0]
    ordered = [lead, *(a for a in new if a is not lead)]
    ordered += [a for a in articles if all(a is not b for b in new)]
    return ordered, {int(a["id"]) for a in new if a.get("id") is not None}


def _seen_key(article: Mapping[str, Any]) -> tuple[str, int]:
    return str(article.get("first_seen") or ""), int(article.get("id") or 0)
