"""The safe-text helpers against hostile scraped strings.

Each table row is ``(input, expected)``; the cases are the ones a naive helper gets wrong:
``str.replace("\\n", " ")`` keeps CR and NUL, ``startswith("http")`` lets ``httpx:`` and
`` javascript:`` through, a plain ``html.escape`` keeps NUL, and a cut at ``[:limit]`` breaks
the cap by one once the ellipsis is added.
"""

from __future__ import annotations

import pytest

from monitor.core.reading import EvidenceLine, evidence_lines, marked, pieces
from monitor.core.text import (
    EVIDENCE_LIMIT,
    SUBJECT_LIMIT,
    article_meta,
    country_label,
    evidence_label,
    html_text,
    http_url,
    one_line,
    xml_line,
    xml_text,
)

LONG = "word " * 1000

ONE_LINE = [
    ("Title\r\nBcc: victim@example.org", "Title Bcc: victim@example.org"),
    ("Title\rBcc: x", "Title Bcc: x"),
    ("Title\nBcc: x", "Title Bcc: x"),
    ("a\x00b", "a b"),
    ("a\x1bb", "a b"),
    ("a\x7fb", "a b"),
    ("a\x85b", "a b"),
    ("a\x9bb", "a b"),
    ("a\u2028b\u2029c", "a b c"),
    ("a\tb\x0bc\x0cd", "a b c d"),
    ("  padded \n\n", "padded"),
    ("a \u00a0\u3000 b", "a b"),
    (None, ""),
    ("", ""),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
]


@pytest.mark.parametrize(("value", "expected"), ONE_LINE)
def test_one_line_leaves_no_control_character_and_no_line_break(
    value: str | None, expected: str
) -> None:
    assert one_line(value) == expected


CAPS = [
    ("x" * SUBJECT_LIMIT, SUBJECT_LIMIT, "x" * SUBJECT_LIMIT),
    ("x" * (SUBJECT_LIMIT + 1), SUBJECT_LIMIT, "x" * (SUBJECT_LIMIT - 1) + "…"),
    (LONG, 20, "word word word word…"),
    ("abcdef", 5, "abcd…"),
    ("abc  \r\n  def", 7, "abc def"),
]


@pytest.mark.parametrize(("value", "limit", "expected"), CAPS)
def test_one_line_caps_with_an_ellipsis_inside_the_limit(
    value: str, limit: int, expected: str
) -> None:
    out = one_line(value, limit)
    assert out == expected
    assert len(out) <= limit


XML_TEXT = [
    ("a\x00b\x01c\x08d\x0be\x0cf\x1fg", "abcdefg"),
    ("keeps\ttab\nnewline\rcr", "keeps\ttab\nnewline\rcr"),
    ("lone \ud800 surrogate", "lone  surrogate"),
    ("non\ufffe\uffffchar", "nonchar"),
    ("emoji \U0001f600 stays", "emoji \U0001f600 stays"),
    ("<b>&</b>", "<b>&</b>"),
    (None, ""),
    (42, "42"),
]


@pytest.mark.parametrize(("value", "expected"), XML_TEXT)
def test_xml_text_drops_what_xml_forbids(value: object, expected: str) -> None:
    assert xml_text(value) == expected


XML_LINE = [
    ("Title\r\nBcc: x", "Title Bcc: x"),
    ("a\x00b", "ab"),
    ("a\u2028b", "a b"),
    ("a \ud800 b", "a b"),
    ("  padded \n\t", "padded"),
    (LONG, LONG.strip()),
    (None, ""),
    (7, "7"),
]


@pytest.mark.parametrize(("value", "expected"), XML_LINE)
def test_xml_line_is_one_line_xml_can_hold_and_never_cut(value: object, expected: str) -> None:
    assert xml_line(value) == expected


HTML_TEXT = [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('" onmouseover="x', "&quot; onmouseover=&quot;x"),
    ("it's", "it&#x27;s"),
    ("a & b", "a &amp; b"),
    ("a\x00<b", "a&lt;b"),
    (None, ""),
]


@pytest.mark.parametrize(("value", "expected"), HTML_TEXT)
def test_html_text_escapes_markup_and_quotes(value: object, expected: str) -> None:
    assert html_text(value) == expected


HTTP_URL = [
    ("https://kisi.kz/en/news", "https://kisi.kz/en/news"),
    ("http://kisi.kz/", "http://kisi.kz/"),
    ("HTTPS://KISI.KZ/", "HTTPS://KISI.KZ/"),
    ("  https://kisi.kz/ \n", "https://kisi.kz/"),
    ("https://kisi.kz/\x00x", "https://kisi.kz/x"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    (" javascript:alert(1)", None),
    ("java\x00script:alert(1)", None),
    ("vbscript:msgbox(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("httpx://kisi.kz/", None),
    ("http:/kisi.kz/", None),
    ("//kisi.kz/", None),
    ("/relative", None),
    ("ftp://kisi.kz/", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("url", "expected"), HTTP_URL)
def test_only_http_urls_become_links(url: object, expected: str | None) -> None:
    assert http_url(url) == expected


HIGHLIGHT = [
    ("signed a MoU today", "mou", "signed a <mark>MoU</mark> today"),
    ("mou and MOU", "MoU", "<mark>mou</mark> and <mark>MOU</mark>"),
    (
        "<script>alert(1)</script> MoU",
        "MoU",
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>MoU</mark>",
    ),
    ("a <b>MoU</b>", "<b>MoU", "a <mark>&lt;b&gt;MoU</mark>&lt;/b&gt;"),
    ("the U.S. and UxSx", "U.S.", "the <mark>U.S.</mark> and UxSx"),
    ("a (b) c", "(b)", "a <mark>(b)</mark> c"),
    ('say "MoU"', "", "say &quot;MoU&quot;"),
    ("nothing here", "MoU", "nothing here"),
]


def _line(sentence: str, *matched: str) -> EvidenceLine:
    return EvidenceLine(sentence, (), tuple(m for m in matched if m))


@pytest.mark.parametrize(("snippet", "matched", "expected"), HIGHLIGHT)
def test_marked_escapes_every_piece_and_marks_each_match(
    snippet: str, matched: str, expected: str
) -> None:
    assert marked(_line(snippet, matched)) == expected


def test_marked_marks_every_word_of_the_sentence_longest_first() -> None:
    line = _line("ISIS Malaysia signed a memorandum of understanding", "memorandum", "Malaysia")
    assert (
        marked(line)
        == "ISIS <mark>Malaysia</mark> signed a <mark>memorandum</mark> of understanding"
    )
    both = _line("меморандум о взаимопонимании", "меморандум", "меморандум о взаимопонимании")
    assert marked(both) == "<mark>меморандум о взаимопонимании</mark>"


def test_pieces_give_back_the_text() -> None:
    text = "MoU, mou. MOU"
    split = pieces(_line(text, "mou"))
    assert "".join(p for p, _ in split) == text
    assert [p for p, hit in split if hit] == ["MoU", "mou", "MOU"]
    assert pieces(_line(text)) == [(text, False)]


COUNTRIES = [
    ("KZ", "Kazakhstan (KZ)"),
    ("MY", "Malaysia (MY)"),
    ("XX", "XX"),
    ("", ""),
]


@pytest.mark.parametrize(("code", "expected"), COUNTRIES)
def test_country_label_names_the_code(code: str, expected: str) -> None:
    assert country_label(code) == expected


def test_evidence_lines_give_each_sentence_once_with_all_its_rules_and_words() -> None:
    mou = {"kind": "agreement", "matched": "MoU", "snippet": "signed a MoU with Malaysia"}
    again = {**mou, "rule": "another rule"}
    country = {"kind": "country", "country": "MY", "matched": "Malaysia", "snippet": mou["snippet"]}
    many = [{"kind": "country", "matched": "x", "snippet": f"s{i}"} for i in range(50)]
    (line,) = evidence_lines([mou, again, country])
    assert line == EvidenceLine(mou["snippet"], ("agreement", "country MY"), ("MoU", "Malaysia"))
    assert [x.sentence for x in evidence_lines(many)] == [f"s{i}" for i in range(EVIDENCE_LIMIT)]
    assert len(evidence_lines([mou, *many], limit=2)) == 2
    assert evidence_lines([]) == []


EVIDENCE_LABELS = [
    ({"kind": "agreement", "country": None}, "agreement"),
    ({"kind": "agreement"}, "agreement"),
    ({"kind": "country", "country": "MY"}, "country MY"),
    ({"kind": "capital", "country": ""}, "capital"),
]


@pytest.mark.parametrize(("evidence", "expected"), EVIDENCE_LABELS)
def test_evidence_label(evidence: dict[str, object], expected: str) -> None:
    assert evidence_label(evidence) == expected


ARTICLE_META = [
    (
        {"source": "kisi-en", "language": "en", "published": "2026-11-27"},
        "kisi-en · en · 27 November 2026",
    ),
    (
        {"source": "kisi-en", "language": None, "published": "2026-11-27T15:00:00+05:00"},
        "kisi-en · 27 November 2026, 15:00 UTC+05:00",
    ),
    (
        {"source": "kisi-en", "published": "2026-11-27T09:30:00+00:00"},
        "kisi-en · 27 November 2026, 09:30 UTC",
    ),
    ({"source": "kisi-en", "published": "November 2026"}, "kisi-en · November 2026"),
    ({"source": "kisi-en"}, "kisi-en"),
    ({}, ""),
]


@pytest.mark.parametrize(("article", "expected"), ARTICLE_META)
def test_article_meta_skips_what_is_missing(article: dict[str, object], expected: str) -> None:
    assert article_meta(article) == expected
