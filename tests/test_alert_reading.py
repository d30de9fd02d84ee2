"""An alert reads as news: the article that made it is named and first (marked new), what the
story held before follows; each evidence sentence once, every match in it marked, cut at word
boundaries; dates as people write them. Through the CLI, into a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from click.testing import CliRunner, Result
from httpserver import SiteServer, reply
from smtpserver import SMTPServer

from monitor.cli import cli
from monitor.shell.alerts.message import story_payload

EN_TITLE = "Experts of two institutes discuss research on water"
RU_TITLE = "КИСИ и ISIS Малайзии подписали меморандум о взаимопонимании"
LONG = (
    "В ходе продолжительной встречи в Астане, которая прошла при участии представителей "
    "министерств, университетов, аналитических центров и дипломатического корпуса нескольких "
    "государств региона, стороны подписали меморандум о сотрудничестве в исследованиях водных "
    "ресурсов, а также договорились о регулярных консультациях экспертов и совместных "
    "публикациях по вопросам региональной безопасности и устойчивого развития"
)
BODY = {
    "en": "<p>Experts of the Kazakhstan Institute for Strategic Studies and their colleagues "
    "discussed joint research on water resources in Astana on 3 December 2026.</p>"
    "<p>The sides agreed to continue consultations next year, the press service said.</p>",
    "ru": "<p>КИСИ и ISIS подписали меморандум о взаимопонимании с Малайзией 3 декабря 2026 года."
    f"</p><p>{LONG}.</p><p>Следующая встреча экспертов пройдёт в следующем году.</p>",
}


def test_the_new_article_leads_and_evidence_is_one_marked_line_per_sentence(
    tmp_path: Path,
) -> None:
    live: list[str] = []
    with SiteServer() as site:
        pages = {"en": site.url("/en/news/water-talks"), "ru": site.url("/ru/news/water-talks")}

        def listing(req: object) -> None:
            lang = req.path.split("/")[1]  # type: ignore[attr-defined]
            items = ([f"/{lang}/news/water-talks"] if lang in live else []) + [f"/{lang}/news/old"]
            cards = "".join(f"<article><h2><a href='{u}'>{u}</a></h2></article>" for u in items)
            reply(req, 200, f"<html><body><main>{cards}</main></body></html>".encode())  # type: ignore[arg-type]

        def article(req: object) -> None:
            _, lang, _, slug = req.path.split("/")  # type: ignore[attr-defined]
            if slug == "old":
                title, body, when = f"Archive note {lang}", "<p>An older note.</p>", "2026-11-02"
            else:
                title = EN_TITLE if lang == "en" else RU_TITLE
                body, when = BODY[lang], "2026-12-03T15:00:00+05:00"
            alternates = "".join(
                f"<link rel='alternate' hreflang='{k}' href='{v}'>"
                for k, v in pages.items()
                if slug != "old"
            )
            page = (
                f"<html lang='{lang}'><head>{alternates}</head><body><article><h1>{title}</h1>"
                f"<time datetime='{when}'>{when}</time>{body}</article></body></html>"
            )
            reply(req, 200, page.encode())  # type: ignore[arg-type]

        for lang in pages:
            site.routes[f"/{lang}/news/"] = listing
            site.routes[f"/{lang}/news/water-talks"] = article
            site.routes[f"/{lang}/news/old"] = article
        with SMTPServer() as smtp:
            cfg = tmp_path / "sources.yaml"
            cfg.write_text(
                "min_delay: 0\ncountries: [MY]\nalerts:\n"
                f"  - {{kind: email, to: [a@example.org], from: m@example.org,"
                f" smtp_host: 127.0.0.1, smtp_port: {smtp.port}, security: none}}\n"
                "sources:\n"
                + "".join(
                    f"  - {{name: site-{k}, url: '{site.url(f'/{k}/news/')}', kind: html,"
                    f" language: {k}}}\n"
                    for k in pages
                )
            )

            def run(*args: str) -> Result:
                return CliRunner().invoke(
                    cli, ["--config", str(cfg), "--db", str(tmp_path / "m.db"), *args]
                )

            assert run("fetch-once").exit_code == 0  # the baseline: the archive notes
            live.append("en")  # an unflagged report: stored, no alert
            assert run("fetch-once").exit_code == 0
            assert smtp.received == []
            live.append("ru")  # its Russian version names a memorandum and Malaysia
            assert run("fetch-once").exit_code == 0
            (mail,) = smtp.received

    message = mail.message
    assert str(message["Subject"]) == f"[monitor] {RU_TITLE} (+1 more)"
    text = message.get_body(("plain",)).get_content()
    entries = [line for line in text.splitlines() if line.startswith("- ")]
    assert entries[0] == f"- NEW: {RU_TITLE}" and entries[1] == f"- {EN_TITLE}"
    assert "3 December 2026, 15:00 UTC+05:00" in text and "2026-12-03" not in text
    evidence = [line.strip() for line in text.splitlines() if line.strip().startswith("[")]
    sentences = [line.split("] ", 1)[1] for line in evidence]
    assert len(sentences) == len(set(sentences)), evidence  # each sentence once
    # LONG has two hits (Астане, меморандум): one line for it, with both marked
    flat = " ".join(LONG.split())
    of_long = [s for s in sentences if s.strip("…")[:40] in flat]
    assert len(of_long) == 1, evidence
    source = BODY["ru"] + BODY["en"]
    for sentence in sentences:  # whole words at both ends, "…" where words were left out
        words = sentence.strip("…").split()
        for word in (words[0], words[-1]):
            word = word.strip(",.;:")
            assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", source), (word, sentence)
        assert sentence[0].isupper() or sentence.startswith("…"), sentence
    first = next(s for s in sentences if "меморандум о взаимопонимании" in s)
    html = message.get_body(("html",)).get_content()
    assert html.count("<mark>") >= 2
    marked = re.findall(r"<mark>([^<]+)</mark>", html)
    assert "меморандум" in marked and "Малайзией" in marked
    assert "<li" in html and first.split(" ")[0] in html
    assert 'style="' in html  # a small inline style that common clients keep


def test_explain_shows_each_sentence_once_after_its_hits(tmp_path: Path) -> None:
    text = tmp_path / "item.txt"
    text.write_text(f"{RU_TITLE}\n{LONG}. Малайзия и Казахстан подписали меморандум.\n")
    result = CliRunner().invoke(
        cli,
        ["--config", str(tmp_path / "none.yaml"), "--db", str(tmp_path / "m.db"), "explain",
         "--text", str(text), "--language", "ru"],
    )  # fmt: skip
    sentences = [line for line in result.output.splitlines() if line.startswith("  in: ")]
    assert len(sentences) == len(set(sentences)) >= 2, result.output
    flat = " ".join(LONG.split())
    of_long = [s for s in sentences if s.removeprefix("  in: ").strip("…")[:40] in flat]
    assert len(of_long) == 1, result.output  # LONG's two hits, one sentence shown
    assert any(line.startswith("  in: …") for line in sentences), sentences  # cut at a word


def test_a_story_a_revision_made_flagged_is_named_and_led_by_its_flagged_article() -> None:
    # Every article predates the baseline: nothing is new, yet the alert is about the flagged
    # one, in the reader's language, not about the oldest unflagged report.
    def article(i: int, title: str, language: str, flagged: bool) -> dict[str, object]:
        return {"id": i, "url": f"https://kisi.kz/{language}/{i}", "title": title,
                "language": language, "flagged": flagged, "baseline": True,
                "first_seen": f"2026-12-0{i}T10:00:00+00:00"}  # fmt: skip

    articles = [
        article(1, EN_TITLE, "en", False),
        article(2, "KazISS and ISIS Malaysia sign a memorandum", "en", True),
        article(3, RU_TITLE, "ru", True),
    ]
    now = dt.datetime(2026, 12, 8, tzinfo=dt.UTC)
    payload = story_payload("s1", articles, now, languages=["ru"])
    assert payload["title"] == RU_TITLE
    assert payload["articles"][0]["title"] == RU_TITLE
    assert not any(a["new"] for a in payload["articles"])
    assert (
        story_payload("s1", articles, now)["title"] == "KazISS and ISIS Malaysia sign a memorandum"
    )
