"""Errors that read like their cause, through the CLI: what an operator types wrong or meets
in the first week, each answered in one line that says what to do."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from factories import save
from httpserver import SiteServer
from smtpserver import free_port
from test_alerts import Receiver

from monitor.cli import cli
from monitor.shell.fetch.wire import network_reason
from monitor.shell.store import open_db

SECRETS = """
alerts:
  - {kind: email, to: [a@example.org], from: m@example.org, smtp_host: 127.0.0.1,
     password: '${MONITOR_SMTP_PASSWORD}'}
sources:
  - {name: kisi-en, url: 'https://kisi.kz/en/'}
"""


def _invoke(cfg: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        cli, ["--config", str(cfg), "--db", str(cfg.parent / "m.db"), *args], env=env
    )


def _lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def test_a_missing_alert_secret_does_not_block_reading(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(SECRETS)
    store = open_db(tmp_path / "m.db")
    save(store, "https://kisi.kz/en/news/mou", "KazISS signs a memorandum", source="kisi-en")
    store.close()
    unset = {"MONITOR_SMTP_PASSWORD": None}  # CliRunner: a key mapped to None is unset
    for command in (["articles"], ["search", "memorandum"], ["export"], ["status"], ["stories"]):
        result = _invoke(cfg, *command, env=unset)  # type: ignore[arg-type]
        assert result.exit_code == 0, (command, result.output)
        assert "MONITOR_SMTP_PASSWORD" not in result.output
    sending = _invoke(cfg, "fetch-once", env=unset)  # type: ignore[arg-type]
    assert sending.exit_code == 1 and "MONITOR_SMTP_PASSWORD is not set" in sending.output


def test_check_config_and_fetch_once_agree_on_an_empty_file(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("")
    checked, fetched = _invoke(cfg, "check-config"), _invoke(cfg, "fetch-once")
    assert checked.exit_code == fetched.exit_code == 1
    assert _lines(checked) == _lines(fetched) == [f"Error: {cfg}: no sources configured"]


def test_a_space_in_a_host_is_refused_at_load(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("sources:\n  - {name: isis, url: 'https://www.isis .org.my/news/'}\n")
    result = _invoke(cfg, "check-config")
    assert result.exit_code == 1
    assert f"{cfg}:2: sources[0] 'isis': url:" in result.output
    assert "space in its host" in result.output


def test_unknown_source_and_channel_names_list_the_known_ones(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(
        "alerts:\n  - {kind: webhook, name: desk, url: 'http://127.0.0.1:9/hook'}\n"
        "sources:\n  - {name: kisi-en, url: 'https://kisi.kz/en/'}\n"
        "  - {name: isis, url: 'https://www.isis.org.my/'}\n"
    )
    articles = _invoke(cfg, "articles", "--source", "nosuch")
    assert articles.exit_code == 1
    assert _lines(articles) == ["Error: no source named 'nosuch' (known: isis, kisi-en)"]
    exported = _invoke(cfg, "export", "--source", "nosuch")
    assert exported.exit_code == 1 and "known: isis, kisi-en" in exported.output
    enable = _invoke(cfg, "alerts", "enable", "nosuch")
    assert enable.exit_code == 1
    assert _lines(enable) == ["Error: no alert channel named 'nosuch' (known: desk)"]


def test_a_refused_connection_says_so(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"min_delay: 0\nsources:\n  - {{name: gone, url: 'http://127.0.0.1:{port}/'}}\n")
    result = _invoke(cfg, "fetch-once")
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "[gone]" in line]
    assert "FAILED: " in line
    reason = line.split("FAILED: ", 1)[1]
    cause = f"cannot connect to 127.0.0.1:{port}: Connection refused"
    assert cause in reason and reason.index(cause) < reason.find("robots.txt"), reason


def test_a_name_that_does_not_resolve_says_so() -> None:
    # A DNS failure cannot be made on loopback alone: the error httpx raises for one, as its
    # transport chains it (ConnectError from socket.gaierror).
    cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    try:
        try:
            raise cause
        except socket.gaierror as exc:
            raise httpx.ConnectError(str(exc)) from exc
    except httpx.ConnectError as error:
        reason = network_reason(error, "https://kisi.kz/en/")
    assert reason.startswith("cannot resolve kisi.kz: no such host"), reason


def test_the_webhook_says_the_configured_user_agent(tmp_path: Path) -> None:
    hook = Receiver()
    with SiteServer(routes={"/hook": hook}) as server:
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(
            "user_agent: 'desk-monitor/1.0 (+mailto:desk@example.org)'\n"
            f"alerts:\n  - {{kind: webhook, url: '{server.url('/hook')}'}}\n"
            "sources:\n  - {name: kisi-en, url: 'https://kisi.kz/en/'}\n"
        )
        result = _invoke(cfg, "test-alert")
    assert result.exit_code == 0, result.output
    ((headers, _),) = hook.posts
    assert headers["user-agent"] == "desk-monitor/1.0 (+mailto:desk@example.org)"


def test_intervals_have_a_floor_that_min_interval_lowers(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    source = "sources:\n  - {name: lab, url: 'http://127.0.0.1:8080/news/', interval: 10s}\n"
    cfg.write_text(source)
    refused = _invoke(cfg, "check-config")
    assert refused.exit_code == 1
    assert f"{cfg}:2: sources[0] 'lab': interval:" in refused.output
    assert "under 1 minute" in refused.output and "min_interval" in refused.output
    cfg.write_text("min_interval: 5s\n" + source)
    allowed = _invoke(cfg, "check-config")
    assert allowed.exit_code == 0, allowed.output
    assert "intervals of 5 seconds or more (min_interval)" in allowed.output.splitlines()[0]


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder and its database that nobody may write, root included (``chattr +i``): a
    read-only mount, or the daemon's files as another user sees them."""
    folder = tmp_path / "ro"
    folder.mkdir()
    store = open_db(folder / "m.db")
    save(store, "https://kisi.kz/en/news/mou", "KazISS signs a memorandum", source="kisi-en")
    store.close()
    for leftover in folder.glob("m.db-*"):
        leftover.unlink()
    locked = [folder / "m.db", folder]
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = subprocess.run(["chattr", "+i", *map(str, locked)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"this file system cannot make files immutable: {done.stderr!r}")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", *map(str, locked)], check=True)


def test_a_read_only_database_can_still_be_read(read_only_folder: Path) -> None:
    cfg = read_only_folder / "none.yaml"
    for command in (["articles"], ["stories"], ["search", "memorandum"], ["export"]):
        result = _invoke(cfg, *command)
        assert result.exit_code == 0, (command, result.output)
        assert "KazISS signs a memorandum" in result.output, (command, result.output)
    assert not list(read_only_folder.glob("m.db-*"))  # nothing written beside it
