"""The pass's decisions on plain data, no database: where an article belongs, and what alerts."""

from __future__ import annotations

import datetime as dt

from monitor.core import dedup, identity, policy
from monitor.core.identity import NearCopy, Seen
from monitor.core.models import Article

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
TEXT = (
    "The Kazakhstan Institute for Strategic Studies and ISIS Malaysia signed a memorandum of "
    "understanding on joint research in Astana on 27 November 2026, with 12 projects planned."
)


def fp(
    url: str = "https://kisi.kz/en/mou", text: str = TEXT, source: str = "kisi-en"
) -> identity.Fingerprint:
    article = Article(url, "KISI and ISIS sign a memorandum", dt.date(2026, 11, 27), text, "en")
    return identity.fingerprint(article, url, source, NOW.date())


def copy(of: identity.Fingerprint, url: str, text: str = TEXT, story: str = "s7") -> NearCopy:
    return NearCopy(id=7, simhash=of.simhash, url=url, story=story, text=text)


def test_a_known_url_is_that_article() -> None:
    placed = identity.place(fp(), TEXT, Seen(known={"https://kisi.kz/en/mou?amp": 4}))
    assert (placed.article_id, placed.reason) == (4, "known URL")


def test_identical_text_is_the_same_article_but_empty_text_is_no_evidence() -> None:
    assert identity.place(fp(), TEXT, Seen(identical=3)).article_id == 3
    assert identity.place(fp(text=""), "", Seen(identical=3)).article_id is None


def test_a_near_copy_is_the_same_article_on_its_site_and_the_same_story_elsewhere() -> None:
    mine = fp()
    same_site = identity.place(mine, TEXT, Seen(near=[copy(mine, "https://kisi.kz/en/other")]))
    assert same_site.article_id == 7
    elsewhere = identity.place(mine, TEXT, Seen(near=[copy(mine, "https://isis.org.my/mou")]))
    assert (elsewhere.article_id, elsewhere.story) == (None, "s7")


def test_a_copy_with_other_figures_is_another_article() -> None:
    mine = fp()
    other = TEXT.replace("12 projects", "19 projects")
    assert not dedup.numbers_agree(TEXT, other)
    placed = identity.place(mine, TEXT, Seen(near=[copy(mine, "https://kisi.kz/en/b", other)]))
    assert placed.article_id is None and placed.story is None


def test_nothing_known_is_a_new_story() -> None:
    placed = identity.place(fp(), TEXT, Seen())
    assert placed == identity.Placement(reason="new story")


def test_a_candidate_of_the_same_event_gives_its_story() -> None:
    mine = fp()
    other = fp("https://isis.org.my/kisi-mou", source="isis-en")
    seen = Seen(
        candidates=[("s9", other.features.to_dict())],
        key_counts={key: 1 for key in other.keys},
    )
    assert identity.place(mine, TEXT, seen).story == "s9"


def test_a_new_flagged_article_alerts_once_per_channel_and_the_baseline_never() -> None:
    rows = policy.story_alerts("s1", flagged=True, baseline=False, channels=["mail", "hook"])
    assert [(r.story, r.channel, r.kind) for r in rows] == [
        ("s1", "mail", "story"),
        ("s1", "hook", "story"),
    ]
    assert len({r.message_id for r in rows}) == 2
    assert policy.story_alerts("s1", flagged=True, baseline=True, channels=["mail"]) == []
    assert policy.story_alerts("s1", flagged=False, baseline=False, channels=["mail"]) == []


def test_the_same_alert_has_the_same_id_on_every_try() -> None:
    (a,) = policy.story_alerts("s1", flagged=True, baseline=False, channels=["mail"])
    (b,) = policy.story_alerts("s1", flagged=True, baseline=False, channels=["mail"])
    assert a.message_id == b.message_id


def test_a_revision_alerts_only_when_it_makes_an_article_flagged() -> None:
    def rows(was: bool, now: bool, baseline: bool = False) -> int:
        return len(
            policy.revision_alerts(
                "s1", was_flagged=was, flagged=now, baseline=baseline, channels=["mail"]
            )
        )

    assert rows(was=False, now=True) == 1
    assert rows(was=True, now=True) == 0, "already alerted (or silent) when it was first flagged"
    assert rows(was=False, now=False) == 0
    assert rows(was=False, now=True, baseline=True) == 0


def test_a_health_episode_notifies_at_its_start_and_its_end_only() -> None:
    start = policy.health_notices(
        "kisi-en", {"failing": "failed 6 passes"}, {}, NOW, ["hook"], ("failing", "empty")
    )
    assert dict(start.start) == {"failing": "failed 6 passes"} and not start.end
    (notice,) = start.notices
    assert notice.kind == "health" and notice.payload is not None
    assert notice.payload["type"] == "source.failing"
    going_on = policy.health_notices(
        "kisi-en",
        {"failing": "x"},
        {"failing": (3, "2026-11-27T09:00")},
        NOW,
        ["hook"],
        ["failing"],
    )
    assert going_on == policy.HealthChange()
    ended = policy.health_notices(
        "kisi-en", {}, {"failing": (3, "2026-11-27T09:00")}, NOW, ["hook"], ["failing"]
    )
    assert list(ended.end) == [3] and ended.notices[0].payload["type"] == "source.recovered"
