"""A long non-ASCII subject reaches the mailbox with every space, as the analyst's client shows it;
one too long for a subject is cut after a whole word.

Python 3.11's header folding (``policy=SMTP``) splits a long subject into encoded words so that
the space between two of them is lost when a client decodes them ("15процентов"). The test
reads the bytes the SMTP server received with ``email.policy.default``, as a mail client would.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from httpserver import SiteServer, reply
from smtpserver import SMTPServer

from monitor.cli import cli

TITLES = {
    "ru": "Грузооборот между портами Актау и Баку вырос на 15 процентов: институты подписали "
    "меморандум о совместном исследовании",
    "kk": "Қазақстан Стратегиялық зерттеулер институты мен Малайзияның Стратегиялық және "
    "халықаралық зерттеулер институты меморандумға қол қойды",
    "ms": "ISIS Malaysia dan Institut Kajian Strategik Kazakhstan menandatangani memorandum "
    "persefahaman mengenai kerjasama penyelidikan",
    "en": "KazISS and the Institute of Strategic and International Studies Malaysia signed a "
    "memorandum of understanding on joint research into transport corridors and port tariffs "
    "between Aktau, Baku and Port Klang",
}
BODY = {
    "ru": "Стороны подписали меморандум о сотрудничестве в области исследований транспортных "
    "коридоров. Документ предусматривает обмен экспертами и совместные публикации.",
    "kk": "Тараптар көлік дәліздерін зерттеу саласындағы ынтымақтастық туралы меморандумға қол "
    "қойды. Құжат сарапшылар алмасуды және бірлескен жарияланымдарды көздейді.",
    "ms": "Kedua-dua pihak menandatangani memorandum persefahaman mengenai kerjasama penyelidikan "
    "koridor pengangkutan. Dokumen itu merangkumi pertukaran pakar dan penerbitan bersama.",
    "en": "The two institutes signed a memorandum of understanding on research into transport "
    "corridors. It provides for expert exchanges and joint publications.",
}

OLD = "Seminar 2026"
#: Weeks apart: four pieces of news, four alerts (grouping is not what is tested here).
DAYS = {"ru": "2026-10-01", "kk": "2026-10-20", "ms": "2026-11-10", "en": "2026-12-01"}


def test_long_subjects_in_ru_kk_ms_keep_their_spaces(tmp_path: Path) -> None:
    published: list[str] = []

    def listing(req: object) -> None:
        lang = req.path.strip("/").split("/")[0]  # type: ignore[attr-defined]
        slugs = (["mou-story"] if published else []) + ["old-story"]
        cards = "".join(
            f"<article><h2><a href='/{lang}/news/{slug}'>{slug}</a></h2></article>"
            for slug in slugs
        )
        reply(req, 200, f"<html><body><main>{cards}</main></body></html>".encode())  # type: ignore[arg-type]

    def article(req: object) -> None:
        lang, _, slug = req.path.strip("/").split("/")  # type: ignore[attr-defined]
        title, body = (TITLES[lang], BODY[lang]) if slug == "mou-story" else (OLD, OLD)
        day = DAYS[lang] if slug == "mou-story" else "2026-09-01"
        page = (
            f"<html lang='{lang}'><body><article><h1>{title}</h1>"
            f"<time datetime='{day}T10:00:00+05:00'></time>"
            f"<p>{body}</p><p>{body}</p></article></body></html>"
        )
        reply(req, 200, page.encode())  # type: ignore[arg-type]

    routes = {}
    for lang in TITLES:
        routes[f"/{lang}/news/"] = listing
        routes[f"/{lang}/news/mou-story"] = article
        routes[f"/{lang}/news/old-story"] = article
    with SiteServer(routes=routes) as site, SMTPServer() as smtp:
        sources = "".join(
            f"  - {{name: site-{lang}, url: '{site.url(f'/{lang}/news/')}', kind: html,"
            f" language: {lang}}}\n"
            for lang in TITLES
        )
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(
            "min_delay: 0\ncountries: [MY]\nalerts:\n"
            f"  - {{kind: email, to: [analyst@example.org], from: monitor@example.org,"
            f" smtp_host: 127.0.0.1, smtp_port: {smtp.port}, security: none}}\n"
            f"sources:\n{sources}"
        )

        def run(*args: str) -> Result:
            return CliRunner().invoke(
                cli, ["--config", str(cfg), "--db", str(tmp_path / "m.db"), *args]
            )

        assert run("fetch-once").exit_code == 0  # the baseline: an older item
        published.append("now")
        result = run("fetch-once")
        assert result.exit_code == 0, result.output

    subjects = {str(mail.message["Subject"]) for mail in smtp.received}
    whole = {f"[monitor] {TITLES[lang]}" for lang in ("ru", "kk", "ms")}
    assert whole <= subjects  # 128-143 characters: whole, every space kept
    (cut,) = subjects - whole  # the English title is longer than a subject may be
    assert cut.endswith("…") and len(cut) <= 150
    kept = cut[: -len("…")]
    assert f"[monitor] {TITLES['en']}".startswith(kept) and TITLES["en"][len(kept) - 10] == " "
    for mail in smtp.received:
        head = mail.data.split(b"\r\n\r\n", 1)[0]
        assert max(len(line) for line in head.split(b"\r\n")) <= 78  # still folded for SMTP
