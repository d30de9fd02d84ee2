"""Agreement and country flagging on the hard cases of the issue, the seed story and the knobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.core.flags import Flagger

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "flags"


@pytest.fixture(scope="module")
def flagger() -> Flagger:
    return Flagger(["KZ", "MY"])


# (id, language, text, is an agreement)
AGREEMENTS = [
    ("mou-en", "en", "The two institutes signed a memorandum of understanding.", True),
    ("mou-abbr", "en", "An MoU on education was signed in Putrajaya.", True),
    ("coop-agreement", "en", "They signed a cooperation agreement on energy.", True),
    ("fta-planned", "en", "Talks on a free-trade agreement will start in May.", True),
    ("treaty-refused", "en", "Parliament refused to ratify the border treaty.", True),
    (
        "protocol-instrument",
        "en",
        "The sides signed a protocol on amendments to the 2017 deal.",
        True,
    ),
    ("named-pact", "en", "Both countries joined the trade pact last year.", True),
    ("agreed-to", "en", "The ministers agreed to meet again in autumn.", False),
    ("in-agreement", "en", "Experts were in agreement with the speaker.", False),
    ("understanding-reached", "en", "An understanding was reached on the next steps.", False),
    ("joint-statement", "en", "The leaders adopted a joint statement on partnership.", False),
    ("declaration", "en", "The summit ended with a declaration of intent on digital ties.", False),
    ("internal-memo", "en", "An internal memo was sent to staff on Monday.", False),
    ("decree", "en", "The President signed a decree creating a new agency.", False),
    ("discussed", "en", "The ministers discussed cooperation in tourism.", False),
    ("security-protocol", "en", "The plant reviewed its security protocols.", False),
    ("covid-protocols", "en", "Hospitals relaxed their COVID protocols.", False),
    (
        "diplomatic-protocol",
        "en",
        "According to diplomatic protocol, guests were met at the airport.",
        False,
    ),
    ("ru-memorandum", "ru", "Стороны подписали меморандум о взаимопонимании.", True),
    ("ru-soglashenie-instr", "ru", "Соглашением предусмотрен обмен студентами.", True),
    ("ru-dogovor-prep", "ru", "Обсуждается проект договора о защите инвестиций.", True),
    ("ru-protocol", "ru", "Подписан протокол о внесении изменений в соглашение.", True),
    ("ru-dogovorilis", "ru", "Стороны договорились продолжить консультации.", False),
    ("ru-soglasie", "ru", "Согласие сторон было достигнуто после переговоров.", False),
    ("ru-soglasno", "ru", "Согласно данным статистики, товарооборот вырос.", False),
    ("ru-ukaz", "ru", "Глава государства подписал указ о создании агентства.", False),
    ("ru-dogovorennost", "ru", "Достигнута договоренность о новом раунде консультаций.", False),
    ("ru-po-protokolu", "ru", "Делегацию встретили по протоколу в аэропорту.", False),
    ("ru-gentlemen", "ru", "Между компаниями было лишь джентльменское соглашение.", False),
    ("kk-memorandum", "kk", "Институттар өзара түсіністік туралы меморандумға қол қойды.", True),
    ("kk-kelisim", "kk", "Ынтымақтастық туралы келісімге қол қойылды.", True),
    ("kk-kelisimshart", "kk", "Компаниялар жеткізу туралы келісімшарт жасасты.", True),
    ("kk-shart-treaty", "kk", "Достық туралы шартқа қол қойылды.", True),
    ("kk-hattama", "kk", "Тараптар шекара туралы хаттамаға қол қойды.", True),
    ("kk-kelisti", "kk", "Тараптар кездесуді жалғастыруға келісті.", False),
    ("kk-shart-condition", "kk", "Жобаның басты шарты – инвесторлардың сенімі.", False),
    ("kk-conditions", "kk", "Инвесторлар үшін қолайлы шарттар жасалды.", False),
    ("kk-social-accord", "kk", "Қоғамдық келісім мен ұлттық бірлік – басты құндылық.", False),
    ("kk-unity-accord", "kk", "Бірлік пен келісім – Ассамблеяның ұстанымы.", False),
    ("kk-consent", "kk", "Әкімдіктің келісімімен ескерткіш орнатылды.", False),
    ("kk-came-to-agreement", "kk", "Ұзақ келіссөздерден кейін тараптар келісімге келді.", False),
    ("kk-decree", "kk", "Мемлекет басшысы агенттікті құру туралы Жарлыққа қол қойды.", False),
    ("ms-mou", "ms", "Kedua-dua pihak menandatangani memorandum persefahaman.", True),
    ("ms-perjanjian", "ms", "Malaysia menandatangani perjanjian perdagangan bebas.", True),
    ("ms-triti", "ms", "Pegawai berkata triti itu meliputi kapal pengawal pantai.", True),
    ("ms-bersetuju", "ms", "Kedua-dua pihak bersetuju untuk meneruskan dialog.", False),
    (
        "ms-petition",
        "ms",
        "NGO menyerahkan memorandum kepada Perdana Menteri. Memorandum itu "
        "ditandatangani oleh 50 pertubuhan.",
        False,
    ),
    ("ms-health-protocol", "ms", "Hospital melonggarkan protokol kesihatan.", False),
    ("ms-pakatan", "ms", "Pakatan Harapan memenangi kerusi tambahan.", False),
    ("ms-joint-statement", "ms", "Kenyataan bersama dikeluarkan selepas pertemuan.", False),
]


@pytest.mark.parametrize(
    ("case", "lang", "text", "expected"), AGREEMENTS, ids=[c[0] for c in AGREEMENTS]
)
def test_agreement(flagger: Flagger, case: str, lang: str, text: str, expected: bool) -> None:
    assert flagger.flag("", text, lang).agreement is expected


# (id, language, text, strict countries, weak countries)
COUNTRIES = [
    ("georgia-country", "en", "Georgia and Armenia met in Tbilisi.", {"AM", "GE"}, set()),
    ("georgia-atlanta", "en", "Storms hit Atlanta, Georgia, on Sunday.", set(), set()),
    ("georgia-governor", "en", "Georgia's governor declared an emergency.", set(), set()),
    ("georgia-university", "en", "The University of Georgia sent a delegation.", set(), set()),
    ("turkey-bird", "en", "They bought a Thanksgiving turkey.", set(), set()),
    ("turkey-country", "en", "Turkey and Türkiye are the same country.", {"TR"}, set()),
    ("chad-person", "en", "Chad Smith spoke about oil prices.", set(), set()),
    ("chad-country", "en", "Chad and Niger signed a deal.", {"NE", "TD"}, set()),
    ("jordan-person", "en", "Michael Jordan attended the gala.", set(), set()),
    ("jordan-country", "en", "King Abdullah II of Jordan visited Malaysia.", {"JO", "MY"}, set()),
    ("guinea-pig", "en", "The vaccine was tested on a Guinea pig model.", set(), set()),
    (
        "new-mexico-jersey",
        "en",
        "Voters in New Mexico and New Jersey go to the polls.",
        set(),
        set(),
    ),
    (
        "blocs",
        "en",
        "The EU, ASEAN, Central Asia, the Middle East, Southeast Asia and Africa.",
        set(),
        set(),
    ),
    ("isis-group", "en", "The Islamic State of Iraq and Syria lost its territory.", set(), set()),
    ("isis-fighters", "en", "ISIS fighters in Syria regrouped.", {"SY"}, set()),
    ("isil-iraq", "en", "ISIL and the Islamic State in Iraq were defeated.", set(), set()),
    ("isis-malaysia", "en", "Researchers from ISIS Malaysia spoke.", {"MY"}, set()),
    (
        "isis-malaysia-long",
        "en",
        "The Institute of Strategic and International Studies of Malaysia hosted the panel.",
        {"MY"},
        set(),
    ),
    (
        "kaziss",
        "en",
        "The Kazakhstan Institute for Strategic Studies published a report.",
        {"KZ"},
        set(),
    ),
    ("us-pronoun", "en", "Let us sign the guest book.", set(), set()),
    ("us-abbrev", "en", "The US and the U.S.A. and the U.S. are one.", {"US"}, set()),
    (
        "abbrevs-en",
        "en",
        "The UK, the UAE, the PRC and the Netherlands.",
        {"AE", "CN", "GB", "NL"},
        set(),
    ),
    (
        "demonyms-en",
        "en",
        "Malaysian and Kazakhstani experts met Kazakh diplomats.",
        set(),
        {"KZ", "MY"},
    ),
    ("capitals-en", "en", "Astana and Putrajaya issued statements.", set(), {"KZ", "MY"}),
    (
        "ru-cases",
        "ru",
        "Из Казахстана, с Казахстаном, в Казахстане и с Малайзией.",
        {"KZ", "MY"},
        set(),
    ),
    ("ru-abbrevs", "ru", "РК, РФ и США подписали документ.", {"KZ", "RU", "US"}, set()),
    (
        "ru-official",
        "ru",
        "Посол в Республике Казахстан и в Российской Федерации.",
        {"KZ", "RU"},
        set(),
    ),
    (
        "ru-demonyms",
        "ru",
        "Казахстанская сторона и малайзийский бизнес, казахстанских компаний.",
        set(),
        {"KZ", "MY"},
    ),
    (
        "ru-isis",
        "ru",
        "Боевики ИГИЛ и ДАИШ, «Исламское государство Ирака и Леванта».",
        set(),
        set(),
    ),
    ("ru-togo", "ru", "Того же мнения придерживаются эксперты.", set(), set()),
    (
        "kk-cases",
        "kk",
        "Қазақстанның, Қазақстанға, Қазақстанда, Малайзияға, Ресейдің.",
        {"KZ", "MY", "RU"},
        set(),
    ),
    ("kk-abbrevs", "kk", "ҚР, АҚШ және ҚХР өкілдері.", {"CN", "KZ", "US"}, set()),
    ("kk-demonyms", "kk", "Қазақстандық және малайзиялық сарапшылар.", set(), {"KZ", "MY"}),
    ("kk-isis", "kk", "Сириядағы ДАИШ содырлары.", {"SY"}, set()),
    ("ms-as", "ms", "Pegawai AS bertemu rakan dari Amerika Syarikat.", {"US"}, set()),
    ("ms-as-lower", "en", "As expected, the talks went well.", set(), set()),
    ("ms-rakyat", "ms", "Rakyat Malaysia perlu bersedia.", {"MY"}, set()),
    ("ms-isis-syria", "ms", "Militan ISIS di Syria kembali aktif.", {"SY"}, set()),
    ("ms-isis-name", "ms", "Negara Islam Iraq dan Syria kehilangan wilayah.", set(), set()),
    ("south-china-sea", "en", "Patrols in the South China Sea increased.", set(), set()),
]


@pytest.mark.parametrize(
    ("case", "lang", "text", "strict", "weak"), COUNTRIES, ids=[c[0] for c in COUNTRIES]
)
def test_countries(
    flagger: Flagger, case: str, lang: str, text: str, strict: set[str], weak: set[str]
) -> None:
    flags = flagger.flag("", text, lang)
    assert set(flags.countries) == strict
    assert set(flags.weak_countries) == weak


def test_seed_story_is_an_agreement_between_kazakhstan_and_malaysia(flagger: Flagger) -> None:
    text = (FIXTURES / "kaziss-isis-memorandum.txt").read_text(encoding="utf-8")
    flags = flagger.flag("", text, "en")
    assert flags.agreement
    assert flags.countries == ("KZ", "MY")
    assert flags.flagged


def test_evidence_points_into_title_and_text(flagger: Flagger) -> None:
    title, text = "Astana talks", "Kazakhstan and Malaysia signed a memorandum. It covers trade."
    full = title + "\n\n" + text
    flags = flagger.flag(title, text, "en")
    kinds = {(e.kind, e.country) for e in flags.evidence}
    assert kinds == {("capital", "KZ"), ("country", "KZ"), ("country", "MY"), ("agreement", None)}
    for e in flags.evidence:
        assert full[e.start : e.end] == e.matched
        assert e.matched in e.snippet and len(e.snippet) <= 200
    memo = next(e for e in flags.evidence if e.kind == "agreement")
    assert memo.snippet == "Kazakhstan and Malaysia signed a memorandum."


def test_long_sentence_snippet_is_capped(flagger: Flagger) -> None:
    text = "word " * 100 + "Malaysia " + "word " * 100
    (evidence,) = flagger.flag("", text).evidence
    assert "Malaysia" in evidence.snippet and len(evidence.snippet) <= 200


def test_explain_names_rules_and_verdict(flagger: Flagger) -> None:
    lines = flagger.explain("", "ISIS fighters in Syria signed nothing. Atlanta, Georgia.")
    text = "\n".join(lines)
    assert "rule country:en:Syria" in text
    assert "'ISIS'" in text and "not a country" in text
    assert "'Atlanta, Georgia'" in text
    assert lines[-1].startswith("verdict: not flagged")
    lines = flagger.explain("", "Both sides signed a memorandum of understanding.")
    assert any("rule agreement:memorandum" in line for line in lines)
    assert lines[-1] == "verdict: flagged because an agreement is mentioned"


def test_chosen_countries_decide_the_verdict() -> None:
    text = "Malaysia and Vietnam discussed fisheries."
    assert Flagger(["MY"]).flag("", text).flagged
    assert not Flagger(["KZ"]).flag("", text).flagged
    assert not Flagger().flag("", text).flagged


def test_demonyms_flag_only_when_counted() -> None:
    text = "Malaysian officials discussed fisheries."
    assert Flagger(["my"]).flag("", text).flagged
    flags = Flagger(["MY"], count_demonyms=False).flag("", text)
    assert not flags.flagged and flags.weak_countries == ("MY",)


def test_capitals_never_flag() -> None:
    flags = Flagger(["KZ"]).flag("", "Astana hosted a conference on water.")
    assert flags.weak_countries == ("KZ",) and not flags.flagged


def test_extra_agreement_terms_with_wildcard() -> None:
    text = "The sides adopted a roadmap and a joint action plan. Бірлескен жол картасын қабылдады."
    assert not Flagger().flag("", text).agreement
    flagger = Flagger(agreement_terms={"en": ["joint action plan"], "kk": ["жол карта*"]})
    flags = flagger.flag("", text)
    assert flags.agreement and flags.flagged
    assert [e.matched for e in flags.evidence] == ["joint action plan", "жол картасын"]


def test_exclude_terms_cancel_overlapping_hits() -> None:
    text = "The Treaty of Malaysia Fan Club met. Kazakhstan signed a treaty."
    flagger = Flagger(["MY"], exclude_terms={"en": ["Treaty of Malaysia Fan Club"]})
    flags = flagger.flag("", text)
    assert flags.countries == ("KZ",)
    assert [e.matched for e in flags.evidence if e.kind == "agreement"] == ["treaty"]
    cancelled = Flagger(exclude_terms={"en": ["signed a treaty"]}).flag("", "Chad signed a treaty.")
    assert not cancelled.agreement and cancelled.countries == ("TD",)


def test_bad_terms_shape_is_reported() -> None:
    with pytest.raises(TypeError, match="agreement_terms"):
        Flagger(agreement_terms={"en": "memo"})  # type: ignore[dict-item]
