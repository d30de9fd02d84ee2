"""Health conditions and back-off: the silent failures of scrapers, told apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from monitor.core.health import HealthPolicy, backoff, conditions, typical_gap

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def stats(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "consecutive_failures": 0,
        "last_error": None,
        "recent_links": [12, 12, 11],
        "ever_had_links": True,
        "recent_new_seen_at": [NOW - dt.timedelta(days=d) for d in range(6)],
    }
    return {**base, **changes}


def test_a_healthy_source_has_no_problem() -> None:
    assert conditions(stats(), HealthPolicy(), NOW) == {}


def test_a_layout_change_is_a_source_that_yields_nothing_any_more() -> None:
    problems = conditions(stats(recent_links=[0, 0, 0, 12]), HealthPolicy(empty_after=3), NOW)
    assert set(problems) == {"empty"} and "layout" in problems["empty"]
    # a source that never had links is said to be unreadable: it may be wrongly configured,
    # or a page monitor cannot read, and either way nothing comes of it
    never = conditions(stats(recent_links=[0, 0, 0], ever_had_links=False), HealthPolicy(), NOW)
    assert set(never) == {"empty"} and "any pass so far" in never["empty"]
    assert conditions(stats(recent_links=[0, 0], ever_had_links=False), HealthPolicy(), NOW) == {}
    # two empty passes are not yet a problem
    assert conditions(stats(recent_links=[0, 0, 9]), HealthPolicy(empty_after=3), NOW) == {}


def test_silence_is_measured_against_the_source_own_rhythm() -> None:
    daily = [NOW - dt.timedelta(days=10 + d) for d in range(6)]  # daily, silent for 10 days
    assert "silent" in conditions(stats(recent_new_seen_at=daily), HealthPolicy(), NOW)
    weekly = [NOW - dt.timedelta(days=10 + 7 * d) for d in range(6)]  # weekly: 10 days is normal
    assert conditions(stats(recent_new_seen_at=weekly), HealthPolicy(), NOW) == {}
    assert typical_gap(daily[:3]) is None, "too few articles to know a rhythm"


def test_failing_hides_silence() -> None:
    quiet = [NOW - dt.timedelta(days=30 + d) for d in range(6)]
    problems = conditions(
        stats(consecutive_failures=6, last_error="HTTP 503", recent_new_seen_at=quiet),
        HealthPolicy(failing_after=6),
        NOW,
    )
    assert set(problems) == {"failing"} and "HTTP 503" in problems["failing"]


@pytest.mark.parametrize(
    ("failures", "retry_after", "expected"),
    [
        (0, None, 1800),
        (1, None, 1800),
        (2, None, 3600),
        (3, None, 7200),
        (9, None, 21600),
        (1, 7200, 7200),
        (1, 10**7, 86400),
    ],
)
def test_backoff_doubles_to_a_cap_and_honours_retry_after(
    failures: int, retry_after: float | None, expected: float
) -> None:
    assert backoff(1800, failures, retry_after, cap=6 * 3600) == expected
