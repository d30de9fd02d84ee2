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
from monitor.core.stories.scoring import agreement

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


def test_a_subject_is_read_in_every_language_and_security_alone_is_not_one() -> None:
    """What an item is about meets across languages ("продовольственной безопасности",
    "keselamatan makanan"), and two kinds of security are two subjects: "cybersecurity" and
    "food security" share the word, not the subject."""
    subject = {
        lang: {t for t in features(doc(i, "a.kz", "T", text, language=lang)).subjects}
        for i, (lang, text) in enumerate(
            [
                ("en", "A seminar on food security and youth employment."),
                ("ru", "Семинар по продовольственной безопасности и занятости молодёжи."),
                ("kk", "Азық-түлік қауіпсіздігі және жастарды жұмыспен қамту семинары."),
                ("ms", "Seminar mengenai keselamatan makanan dan pekerjaan belia."),
            ]
        )
    }
    assert all(s == subject["en"] for s in subject.values()), subject
    cyber = features(doc(9, "a.kz", "T", "A seminar on cybersecurity.")).subjects
    assert cyber and not cyber <= subject["en"], (cyber, subject["en"])
    # "beliau" (Malay "he, she") is no youth
    assert not features(doc(10, "a.my", "T", "Beliau berkata.", language="ms")).subjects


def test_two_reports_of_one_conference_may_each_tell_of_another_subject() -> None:
    """A conference, forum or round table has many panels: one report tells of its energy
    session, another of a speaker on connectivity, and they contradict nothing."""
    energy = doc(
        11,
        "isis.org.my",
        "38th Asia-Pacific Roundtable gathers experts in Kuala Lumpur",
        "The 38th Asia-Pacific Roundtable opened in Kuala Lumpur, organised by ISIS Malaysia. "
        "Speakers from 32 countries discussed the energy transition.",
    )
    connectivity = doc(
        12,
        "kisi.kz",
        "KazISS expert took part in the 38th Asia-Pacific Roundtable",
        "Aigerim Sadykova of KazISS spoke at the 38th Asia-Pacific Roundtable organised by ISIS "
        "Malaysia in Kuala Lumpur, on connectivity. The roundtable brought together experts from "
        "32 countries.",
    )
    a, b = features(energy), features(connectivity)
    assert a.subjects and b.subjects and not a.subjects & b.subjects
    assert agreement(a, b) == 1.0 and score(a, b) >= THRESHOLD


def test_two_round_tables_whose_figures_disagree_are_two_stories_whatever_their_subjects() -> None:
    """The gatherings' exemption holds for reports of one gathering, whose figures agree: two
    round tables of one week, on two subjects with two sets of figures, stay apart."""
    table = features(
        doc(
            21,
            "kisi.kz",
            "Claire Martin at a round table on cybersecurity",
            "Claire Martin of Sciences Po spoke at a round table on cybersecurity with 35 young "
            "researchers. She presented 8 case studies on the digital economy.",
        )
    )
    other = features(
        doc(
            22,
            "kisi.kz",
            "Клэр Мартен на круглом столе о продовольственной безопасности",
            "Клэр Мартен (Sciences Po) выступила на круглом столе о продовольственной "
            "безопасности перед 120 молодыми исследователями и представила 14 кейсов.",
            language="ru",
        )
    )
    assert score(table, other) < THRESHOLD
