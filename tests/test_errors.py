"""The one error tree: every library error is a MonitorError, survives pickling, and reaches the
user as one line through the CLI."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import errors
from monitor.cli import cli
from monitor.core.inflate import InflateError
from monitor.errors import (
    BlockedByRobots,
    ChannelError,
    ConfigError,
    DeliveryError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    MonitorError,
    NetworkError,
    NotFound,
    RedirectError,
    TooLarge,
    UnsupportedContent,
)

URL = "https://kisi.kz/en/"
SAMPLES: list[MonitorError] = [
    FetchError(URL, "not an http(s) URL"),
    HTTPStatusError(URL, 503, "HTTP 503 Service Unavailable", retry_after=120.0),
    FetchTimeout(URL, "no complete answer within 30s"),
    TooLarge(URL, "too large: body is above the 10.0 MiB cap"),
    RedirectError(URL, "redirect loop"),
    BlockedByRobots(URL, "disallowed by robots.txt"),
    UnsupportedContent(URL, "a PDF, not HTML"),
    NetworkError(URL, "Connection refused"),
    ConfigError(["sources.yaml:3: countries: unknown country code 'XY'"], "sources.yaml"),
    NotFound("no source named 'x' (known: a, b)"),
    ChannelError("alert channel 'tg': the apprise package is not installed"),
    DeliveryError("webhook hook: HTTP 429", retry_after=60.0, permanent=False),
    InflateError(f"{URL}: corrupt compressed body: invalid block type"),
]


@pytest.mark.parametrize("exc", SAMPLES, ids=lambda e: type(e).__name__)
def test_errors_survive_pickling_with_their_message_and_fields(exc: MonitorError) -> None:
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc)
    assert str(back) == str(exc)
    assert back.__dict__ == exc.__dict__


def test_fetch_errors_keep_their_fields_and_one_line() -> None:
    exc = pickle.loads(pickle.dumps(HTTPStatusError(URL, 429, "HTTP 429", retry_after=5.0)))
    assert (exc.url, exc.status, exc.retry_after, exc.message) == (URL, 429, 5.0, "HTTP 429")
    assert str(exc) == f"{URL}: HTTP 429" == exc.reason


def test_every_library_error_is_under_the_root() -> None:
    from monitor.shell import fetch
    from monitor.shell.alerts import channel

    for name in errors.__all__:
        assert issubclass(getattr(errors, name), MonitorError), name
    assert fetch.FetchError is FetchError and channel.DeliveryError is DeliveryError
    assert issubclass(InflateError, MonitorError) and issubclass(InflateError, ValueError)
    assert isinstance(NotFound("x"), KeyError) and str(NotFound("no source named 'x'")) == (
        "no source named 'x'"
    )


def test_the_tree_drawn_in_the_docstring_names_every_error() -> None:
    doc = errors.__doc__ or ""
    for name in [*errors.__all__, "InflateError"]:
        assert f" {name} " in doc, name


CONFIG = """\
alerts:
  - {kind: webhook, url: 'http://127.0.0.1:9/hook'}
sources:
  - {name: kisi-en, url: 'https://kisi.kz/en/'}
  - {name: isis, url: 'https://www.isis.org.my/', kind: html}
"""


def _invoke(tmp_path: Path, *args: str, text: str = CONFIG) -> tuple[int, str]:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(cfg), "--db", str(tmp_path / "m.db"), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("fetch-once", "--source", "nope"),
            "Error: no source named 'nope' (known: kisi-en, isis)\n",
        ),
        (("sources", "test", "nope"), "Error: no source named 'nope' (known: kisi-en, isis)\n"),
        (("test-alert", "pager"), "Error: no alert channel named 'pager' (known: webhook)\n"),
    ],
)
def test_a_library_error_is_one_line_on_the_cli(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, output = _invoke(tmp_path, *args)
    assert (code, output) == (1, message)


def test_a_bad_url_option_is_a_usage_error_checked_as_the_files_urls(tmp_path: Path) -> None:
    code, output = _invoke(tmp_path, "sources", "test", "isis", "--url", "www.isis.org.my")
    assert code == 2
    assert output.splitlines()[-1] == (
        "Error: Invalid value for '--url': 'www.isis.org.my' is not an http(s) URL"
    )


def test_an_invalid_file_is_its_name_then_one_line_per_mistake(tmp_path: Path) -> None:
    code, output = _invoke(tmp_path, "check-config", text=CONFIG.replace("url: 'https", "url: 'x"))
    cfg = tmp_path / "sources.yaml"
    assert code == 1
    assert output.splitlines()[0] == f"Error: {cfg} is not valid, nothing was run:"
    assert output.splitlines()[1].startswith(f"{cfg}:4: sources[0] 'kisi-en': url:")
    assert "Traceback" not in output
