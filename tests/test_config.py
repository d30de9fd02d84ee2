"""sources.yaml validation: every mistake is one line naming file, line, source and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor import config
from monitor.config import COUNTRY_CODES, ConfigError, parse_duration

GOOD = """
database: test.db
countries: [kz, MY]
sources:
  - name: kisi-en
    url: https://kisi.kz/en/
    language: en
    interval: 30m
    timezone: Asia/Almaty
  - name: isis
    url: https://www.isis.org.my/
    kind: html
    link_selector: "h3.entry-title a"
    include: ['/20\\d\\d/']
"""


def problems(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        config.loads(text, label="sources.yaml", env=env or {})
    return info.value.problems


def test_good_file_loads_with_defaults() -> None:
    cfg = config.loads(GOOD, env={})
    assert cfg.countries == ("KZ", "MY")
    kisi = cfg.source("kisi-en")
    assert kisi.kind == "auto" and kisi.interval == 1800 and kisi.max_pages >= 1
    assert cfg.source("isis").link_selector == "h3.entry-title a"


def test_shipped_sources_yaml_is_valid() -> None:
    cfg = config.load(Path(__file__).resolve().parent.parent / "sources.yaml", env={})
    names = {s.name for s in cfg.sources}
    assert {"kisi-en", "kisi-ru", "kisi-kz", "isis-my"} <= names
    assert len(cfg.sources) >= 6


def test_unknown_key_names_line_source_and_suggests() -> None:
    text = GOOD.replace("link_selector:", "link_selectr:")
    assert problems(text) == [
        "sources.yaml:13: sources[1] 'isis': unknown key 'link_selectr' "
        "(did you mean 'link_selector'?)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "url: https://kisi.kz/en/",
            "url: kisi.kz/en",
            "sources.yaml:6: sources[0] 'kisi-en': url:",
        ),
        (
            "interval: 30m",
            "interval: 30 minutes",
            "sources.yaml:8: sources[0] 'kisi-en': interval:",
        ),
        ("interval: 30m", "interval: 10s", "under 1 minute"),
        (
            "countries: [kz, MY]",
            "countries: [KZ, XY]",
            "sources.yaml:3: countries: unknown country",
        ),
        ("timezone: Asia/Almaty", "timezone: Asia/Nowhere", "unknown timezone 'Asia/Nowhere'"),
        ("kind: html", "kind: atom", "sources.yaml:12: sources[1] 'isis': kind:"),
        ('link_selector: "h3.entry-title a"', 'link_selector: "h3[["', "bad CSS selector"),
        ("include: ['/20\\d\\d/']", "include: ['/20(']", "bad regular expression"),
        ("language: en", "language: english", "is not an ISO 639-1 language code"),
        (
            "database: test.db",
            "databse: test.db",
            "unknown key 'databse' (did you mean 'database'?)",
        ),
    ],
)
def test_each_mistake_is_one_clear_line(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    found = problems(GOOD.replace(old, new))
    assert len(found) == 1, found
    assert expected in found[0]


def test_duplicate_names_and_all_mistakes_at_once() -> None:
    text = GOOD.replace("name: isis", "name: kisi-en").replace("interval: 30m", "interval: x")
    found = problems(text)
    assert any("duplicate name (also sources[0])" in p for p in found)
    assert any("interval" in p for p in found)


def test_missing_url_and_bad_yaml() -> None:
    assert problems("sources:\n  - name: a\n") == [
        "sources.yaml:2: sources[0] 'a': missing required key 'url'"
    ]
    (line,) = problems("sources:\n  - name: a\n   url: [\n")
    assert line.startswith("sources.yaml:") and "not valid YAML" in line


def test_environment_references_and_missing_variables() -> None:
    text = GOOD.replace("test.db", "${MONITOR_TEST_DB}")
    assert config.loads(text, env={"MONITOR_TEST_DB": "x.db"}).database == "x.db"
    assert problems(text) == [
        "sources.yaml:2: database: environment variable MONITOR_TEST_DB is not set"
    ]


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        config.load(tmp_path / "sources.yaml")


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("1h30m", 5400), ("1d", 86400), (120, 120)]
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_country_codes_are_cldrs_region_codes() -> None:
    """The written-out list accepts exactly the two-letter regions CLDR (babel) knows."""
    from babel import Locale

    cldr = {code for code in Locale("en").territories if re.fullmatch(r"[A-Z]{2}", code)}
    assert cldr == COUNTRY_CODES


def test_an_option_the_kind_does_not_read_is_an_error_naming_kind_and_source() -> None:
    found = problems(GOOD.replace("kind: html", "kind: rss"))
    assert found == [
        "sources.yaml:13: sources[1] 'isis': option 'link_selector' is not read by kind 'rss' "
        "(it reads: no options of its own; kinds that read it: auto, html)",
        "sources.yaml:14: sources[1] 'isis': option 'include' is not read by kind 'rss' "
        "(it reads: no options of its own; kinds that read it: auto, html, json)",
    ]
    sitemap = GOOD.replace("kind: html", "kind: sitemap") + "    max_pages: 3\n"
    (line,) = [p for p in problems(sitemap) if "max_pages" in p]
    assert line == (
        "sources.yaml:15: sources[1] 'isis': option 'max_pages' is not read by kind 'sitemap' "
        "(it reads: no options of its own; kinds that read it: auto, html, json)"
    )


def test_kinds_and_channels_are_the_registries() -> None:
    from monitor.options import CHANNEL_OPTIONS, KIND_OPTIONS
    from monitor.shell.alerts import CHANNELS
    from monitor.shell.kinds import KINDS

    assert list(KINDS) == list(KIND_OPTIONS) and list(CHANNELS) == list(CHANNEL_OPTIONS)
    assert all(KINDS[name].options is KIND_OPTIONS[name] for name in KINDS)
    every = set(config.SourceConfig.model_fields)
    for options in KIND_OPTIONS.values():
        assert set(options.model_fields) <= every
    assert "sitemap" in problems(GOOD.replace("kind: html", "kind: atom"))[0]


def test_a_listing_source_keeps_its_options() -> None:
    cfg = config.loads(GOOD + "    max_pages: 2\n", env={})
    assert cfg.source("isis").max_pages == 2 and cfg.source("kisi-en").max_pages == 5
    rss = config.loads(
        GOOD.replace("kind: html", "kind: rss").split("    link_selector")[0], env={}
    )
    shown = config.masked(rss)["sources"]
    assert "max_pages" in shown[0] and "max_pages" not in shown[1]  # only what the kind reads


def test_check_config_names_the_option_the_kind_does_not_read(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from monitor.cli import cli

    cfg = tmp_path / "sources.yaml"
    cfg.write_text(
        GOOD.replace("kind: html", "kind: rss").replace(
            '    link_selector: "h3.entry-title a"\n', ""
        )
    )
    result = CliRunner().invoke(cli, ["--config", str(cfg), "check-config"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {cfg} is not valid, nothing was run:",
        f"{cfg}:13: sources[1] 'isis': option 'include' is not read by kind 'rss' "
        "(it reads: no options of its own; kinds that read it: auto, html, json)",
    ]
