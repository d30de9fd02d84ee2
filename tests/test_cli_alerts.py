"""Alerts end to end through the CLI: fetch-once queues and delivers, the outbox commands."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from httpserver import SiteServer, reply
from smtpserver import SMTPServer
from test_alerts import Receiver

from monitor.cli import cli

ARTICLE = (
    "<html lang='en'><body><h1>{title}</h1><p class='date'>November 2{n}, 2026</p>"
    "<div class='entry-content'><p>{body}</p><p>The institute will publish a report on the "
    "results of meeting number {n} next month, its press service said.</p></div></body></html>"
)
ITEMS = {
    1: ("Round table on Caspian logistics", "Experts discussed ferry lines and port tariffs."),
    2: (
        "KazISS and ISIS Malaysia sign a memorandum",
        "The Kazakhstan Institute for Strategic Studies and ISIS Malaysia signed a memorandum "
        "of understanding on joint research into ASEAN and Central Asian economies.",
    ),
}


def test_a_flagged_story_is_mailed_and_posted_once(tmp_path: Path) -> None:
    listed = [1]

    def listing(req: object) -> None:
        cards = "".join(
            f'<article><a href="/news/item-{i}-story">{ITEMS[i][0]}</a></article>' for i in listed
        )
        reply(req, 200, f"<html><body><main>{cards}</main></body></html>".encode())  # type: ignore[arg-type]

    def article(req: object) -> None:
        n = int(req.path.split("-")[1])  # type: ignore[attr-defined]
        title, body = ITEMS[n]
        reply(req, 200, ARTICLE.format(title=title, body=body, n=n).encode())  # type: ignore[arg-type]

    hook = Receiver()
    routes = {"/news/": listing, "/news/item-1-story": article, "/news/item-2-story": article}
    with (
        SiteServer(routes=routes) as site,
        SiteServer(routes={"/hook": hook}) as hooks,
        SMTPServer() as smtp,
    ):
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(
            f"min_delay: 0\ncountries: [MY]\nalerts:\n"
            f"  - {{kind: email, to: [analyst@example.org], from: monitor@example.org,"
            f" smtp_host: 127.0.0.1, smtp_port: {smtp.port}, security: none}}\n"
            f"  - {{kind: webhook, url: '{hooks.url('/hook')}', secret: '${{HOOK_SECRET}}'}}\n"
            f"sources:\n  - {{name: site, url: '{site.url('/news/')}', kind: html}}\n"
        )
        env = {"HOOK_SECRET": "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="}

        def run(*args: str) -> Result:
            return CliRunner().invoke(
                cli, ["--config", str(cfg), "--db", str(tmp_path / "m.db"), *args], env=env
            )

        assert run("fetch-once").exit_code == 0  # baseline: nothing to send
        assert (smtp.received, hook.posts) == ([], [])
        listed.insert(0, 2)
        assert run("fetch-once").exit_code == 0
        assert run("fetch-once").exit_code == 0  # nothing new, nothing sent again
        assert len(smtp.received) == 1 and len(hook.posts) == 1
        mail = smtp.received[0].message
        assert "memorandum" in str(mail["Subject"]).lower()
        assert hook.json()["type"] == "story.flagged"

        sent = run("alerts", "--state", "sent", "--json")
        assert {a["channel"] for a in json.loads(sent.output)} == {"email", "webhook"}
        probe = run("test-alert")
        assert probe.exit_code == 0, probe.output
        assert "email: ok" in probe.output and "webhook: ok" in probe.output
        assert len(smtp.received) == 2 and len(hook.posts) == 2

        smtp.stop()
        broken = run("test-alert", "email")
        assert broken.exit_code == 1 and "email: FAILED" in broken.output
        assert run("alerts", "retry", "999").exit_code == 1


def test_sources_kinds_prints_each_kind_with_its_help_and_options() -> None:
    from monitor.shell.kinds import KINDS

    result = CliRunner().invoke(cli, ["--config", "no-such.yaml", "sources", "kinds"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name, kind in KINDS.items():
        (line,) = [x for x in lines if x.startswith(f"{name} ")]
        assert kind.help.splitlines()[0] in line
    assert "options: include ([]), exclude ([]), max_pages (5), link_selector (none)" in (
        result.output
    )
    assert "options: include ([]), exclude ([]), max_pages (5)\n" in result.output  # json
    assert result.output.count("options: none of its own") == 2  # rss, sitemap
    assert "every kind also reads: name, url, kind, language, interval" in result.output
