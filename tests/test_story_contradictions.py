"""What two reports disagree on counts against their being one story.

Reports of one event quote its figures and treat its subject: one press release, reposted or
translated, says "40 experts" and "12 projects" on every site. Two seminars of one week by the
same lecturer share her name, the event's kind and most of a templated sentence, and are still
two pieces of news when one speaks of 35 participants on cybersecurity and the other of 120 on
food security. Shared tokens alone cannot tell them apart; what each side has and the other
contradicts can.
"""

from __future__ import annotations

from factories import story_doc as doc

from monitor.core.stories import THRESHOLD, features, score

LECTURE = doc(
    1,
    "kisi.kz",
    "Claire Martin gives a lecture on cybersecurity",
    "Claire Martin of Sciences Po gave a lecture on cybersecurity to 35 young researchers. "
    "She presented 8 case studies and answered questions about the digital economy.",
)
OTHER_LECTURE = doc(
    2,
    "isis.org.my",
    "Claire Martin gives a lecture on food security",
    "Claire Martin of Sciences Po gave a lecture on food security to 120 young researchers. "
    "She presented 14 case studies and answered questions about water and energy.",
)
REPOST = doc(
    3,
    "isis.org.my",
    "Sciences Po expert lectures young researchers on cyber threats",
    "35 young researchers heard Claire Martin of Sciences Po on cybersecurity; her 8 case studies "
    "covered the digital economy.",
)
TRANSLATION = doc(
    4,
    "kisi.kz",
    "Клэр Мартен прочитала лекцию по кибербезопасности",
    "Клэр Мартен (Sciences Po) прочитала лекцию для 35 молодых исследователей и представила 8 "
    "кейсов о цифровой экономике.",
    language="ru",
)
OTHER_TRANSLATION = doc(
    5,
    "kisi.kz",
    "Клэр Мартен прочитала лекцию о продовольственной безопасности",
    "Клэр Мартен (Sciences Po) прочитала лекцию для 120 молодых исследователей и представила 14 "
    "кейсов о воде и энергетике.",
    language="ru",
)


def test_reports_of_one_event_agree_on_its_figures() -> None:
    lecture = features(LECTURE)
    assert score(lecture, features(REPOST)) >= THRESHOLD
    assert score(lecture, features(TRANSLATION)) >= THRESHOLD


def test_two_events_whose_figures_and_subjects_disagree_are_two_stories() -> None:
    lecture, other = features(LECTURE), features(OTHER_LECTURE)
    assert score(lecture, other) < THRESHOLD
    assert score(lecture, features(OTHER_TRANSLATION)) < THRESHOLD
    assert score(other, features(TRANSLATION)) < THRESHOLD
