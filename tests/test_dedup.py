"""Tests for monitor.core.dedup: one spelling per article URL, copies recognised by their text."""

from __future__ import annotations

import random

import pytest

from monitor.core.dedup import (
    canonical_url,
    content_hash,
    from_sqlite_int,
    hamming,
    is_material_change,
    near_duplicate,
    normalise_text,
    numbers_agree,
    origin_key,
    simhash,
    simhash_bands,
    site_key,
    to_sqlite_int,
)

CYRILLIC_RAW = "https://kisi.kz/ru/меморандум-подписан/"
CYRILLIC_ENCODED = (
    "https://kisi.kz/ru/%D0%BC%D0%B5%D0%BC%D0%BE%D1%80%D0%B0%D0%BD%D0%B4%D1%83%D0%BC"
    "-%D0%BF%D0%BE%D0%B4%D0%BF%D0%B8%D1%81%D0%B0%D0%BD"
)

# (input, expected canonical form); the id names the rule the case checks.
CANONICAL_CASES = [
    pytest.param("https://kisi.kz/en/slug", "https://kisi.kz/en/slug", id="already-canonical"),
    pytest.param(
        "https://KISI.kz:443/en/slug/?utm_source=fb#top",
        "https://kisi.kz/en/slug",
        id="host-case-port-slash-utm-fragment",
    ),
    pytest.param("https://kisi.kz/?p=9319", "https://kisi.kz/?p=9319", id="wordpress-short-link"),
    pytest.param("https://kisi.kz?p=9319", "https://kisi.kz/?p=9319", id="empty-path-with-query"),
    pytest.param(
        "https://kisi.kz/?p=9319&utm_medium=social&fbclid=IwAR0xYz",
        "https://kisi.kz/?p=9319",
        id="tracking-dropped-meaningful-kept",
    ),
    pytest.param(
        "https://nisi.gov.kg/en/news?page=2&id=17&gclid=abc&yclid=1&_ga=2.1",
        "https://nisi.gov.kg/en/news?id=17&page=2",
        id="id-and-page-kept-sorted",
    ),
    pytest.param(
        "https://isis.org.my/2024/02/26/slug/?mc_cid=a1&mc_eid=b2&igshid=c3&ref_src=twsrc"
        "&spm=a2c&share=facebook&utm_campaign=x",
        "https://isis.org.my/2024/02/26/slug",
        id="every-tracking-kind",
    ),
    pytest.param("https://mts.tj/?feed=rss2&cat=73", "https://mts.tj/?cat=73&feed=rss2", id="sort"),
    pytest.param(
        "https://kisi.kz/en/search?tag=b&tag=a",
        "https://kisi.kz/en/search?tag=b&tag=a",
        id="repeated-param-keeps-order",
    ),
    pytest.param(CYRILLIC_RAW, CYRILLIC_ENCODED, id="cyrillic-raw-gets-encoded"),
    pytest.param(CYRILLIC_ENCODED.lower(), CYRILLIC_ENCODED, id="cyrillic-lowercase-hex"),
    pytest.param(
        "https://kisi.kz/kz/ақпарат/",
        "https://kisi.kz/kz/%D0%B0%D2%9B%D0%BF%D0%B0%D1%80%D0%B0%D1%82",
        id="kazakh-letters-encoded",
    ),
    pytest.param(
        "https://kisi.kz/en/%7Eteam/%41nalytics%2fold",
        "https://kisi.kz/en/~team/Analytics%2Fold",
        id="unreserved-decoded-reserved-kept",
    ),
    pytest.param("https://kisi.kz/en/a b", "https://kisi.kz/en/a%20b", id="space-encoded"),
    pytest.param(
        "https://kisi.kz/index.php/en/component/content/article/12-news/345-memorandum",
        "https://kisi.kz/index.php/en/component/content/article/12-news/345-memorandum",
        id="joomla-index-php-prefix-kept",
    ),
    pytest.param("https://kisi.kz/en/index.php", "https://kisi.kz/en", id="trailing-index-php"),
    pytest.param("https://isis.org.my/index.html", "https://isis.org.my/", id="root-index-html"),
    pytest.param(
        "https://kisi.kz/en/blogs/../analytics/./slug/",
        "https://kisi.kz/en/analytics/slug",
        id="dot-segments",
    ),
    pytest.param("https://kisi.kz//en//slug/", "https://kisi.kz/en/slug", id="double-slashes"),
    pytest.param("https://kisi.kz", "https://kisi.kz/", id="empty-path"),
    pytest.param("https://kisi.kz/", "https://kisi.kz/", id="root-keeps-slash"),
    pytest.param(
        "HTTP://ISIS.org.my:80/recent-event/forum/",
        "http://isis.org.my/recent-event/forum",
        id="http-default-port",
    ),
    pytest.param(
        "https://kisi.kz:8443/en/slug", "https://kisi.kz:8443/en/slug", id="other-port-kept"
    ),
    pytest.param("http://kisi.kz/en/slug/", "http://kisi.kz/en/slug", id="http-not-upgraded"),
    pytest.param(
        "https://www.isis.org.my/recent-event/x/",
        "https://www.isis.org.my/recent-event/x",
        id="www-kept",
    ),
    pytest.param("https://КИСИ.kz/en/slug", "https://xn--h1aae3a.kz/en/slug", id="idna-host"),
    pytest.param("https://кисі.kz/", "https://xn--h1adw8f.kz/", id="idna-kazakh-letter"),
    pytest.param("https://kisi.kz./en/slug", "https://kisi.kz/en/slug", id="trailing-dot-host"),
    pytest.param("  https://kisi.kz/en/slug\n", "https://kisi.kz/en/slug", id="surrounding-space"),
]


@pytest.mark.parametrize(("url", "expected"), CANONICAL_CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("../analytics/slug/", "https://kisi.kz/en/analytics/slug"),
        ("/en/slug/?utm_campaign=newsletter", "https://kisi.kz/en/slug"),
        ("?p=9319", "https://kisi.kz/en/blogs?p=9319"),
        ("//www.isis.org.my/2024/02/26/slug/", "https://www.isis.org.my/2024/02/26/slug"),
        ("https://nisi.gov.kg/en/feed/", "https://nisi.gov.kg/en/feed"),
    ],
)
def test_relative_url_resolved_against_base(href: str, expected: str) -> None:
    assert canonical_url(href, base="https://kisi.kz/en/blogs/") == expected


def test_variants_of_one_article_share_one_spelling() -> None:
    variants = [
        "https://kisi.kz/en/kaziss-and-isis-malaysia-sign-memorandum",
        "https://kisi.kz/en/kaziss-and-isis-malaysia-sign-memorandum/",
        "https://KISI.KZ:443/en/kaziss-and-isis-malaysia-sign-memorandum/?utm_source=fb#top",
        "https://kisi.kz/en/./kaziss-and-isis-malaysia-sign-memorandum/index.php",
        "https://kisi.kz/en/kaziss-and-isis-malaysia-sign-memorandum?fbclid=IwAR2",
    ]
    assert len({canonical_url(url) for url in variants}) == 1
    assert canonical_url(CYRILLIC_RAW) == canonical_url(CYRILLIC_ENCODED.lower())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://kisi.kz/en/slug", "https://kisi.kz/en/slug"),
        ("https://www.isis.org.my/x", "https://isis.org.my/x"),
        ("https://kisi.kz/?p=9319", "https://kisi.kz/?p=9320"),
        ("https://kisi.kz/?p=9319", "https://kisi.kz/"),
        ("https://kisi.kz/index.php/en/slug", "https://kisi.kz/en/slug"),
        ("https://kisi.kz/en/a%2Fb", "https://kisi.kz/en/a/b"),
    ],
)
def test_different_resources_stay_different(a: str, b: str) -> None:
    assert canonical_url(a) != canonical_url(b)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/en/slug", "needs base"),
        ("mailto:info@kisi.kz", "not an absolute http"),
        ("https://kisi.kz:99999/en/slug", "invalid port"),
        ("https://kisi.kz:44x/en/slug", "invalid port"),
        ("https://./en/slug", "empty host"),
    ],
)
def test_canonical_url_rejects_what_is_not_a_web_page(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        canonical_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.isis.org.my/2024/02/26/slug/", "isis.org.my"),
        ("http://ISIS.org.my:8080/events/list", "isis.org.my"),
        ("https://kisi.kz/?p=9319", "kisi.kz"),
        ("https://КИСИ.kz/", "xn--h1aae3a.kz"),
        ("https://wwwnews.example.kg/", "wwwnews.example.kg"),
    ],
)
def test_site_key(url: str, expected: str) -> None:
    assert site_key(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.isis.org.my/2024/02/26/slug/", ("isis.org.my", None)),
        ("http://KISI.kz:80/en/", ("kisi.kz", None)),
        ("https://kisi.kz./", ("kisi.kz", None)),
        ("kisi.kz", ("kisi.kz", None)),
        ("kisi.kz:8080", ("kisi.kz", 8080)),
        ("http://127.0.0.1:8765/a", ("127.0.0.1", 8765)),
        ("mailto:office@kisi.kz", None),
        ("javascript:void(0)", None),
        ("https://kisi.kz:99999/", None),
        ("", None),
    ],
)
def test_origin_key(url: str, expected: tuple[str, int | None] | None) -> None:
    assert origin_key(url) == expected


def test_site_key_and_origin_key_differ_where_their_questions_do() -> None:
    # one publisher on two ports; discovery treats the second server as off the source's site
    assert site_key("http://isis.org.my:8080/a") == site_key("https://isis.org.my/b")
    assert origin_key("http://isis.org.my:8080/a") != origin_key("https://isis.org.my/b")
    # discovery reads what it is given; an article URL must be one
    assert origin_key("mailto:office@kisi.kz") is None
    with pytest.raises(ValueError):
        site_key("mailto:office@kisi.kz")


# --- Texts -----------------------------------------------------------------------------------

ARTICLE = """\
Main page » KazISS experts discussed regional water security in Almaty
26 February 2024
Views: 1204
KazISS experts discussed regional water security in Almaty
On Monday the Kazakhstan Institute for Strategic Studies under the President of the Republic of \
Kazakhstan held an expert round table on water security in Central Asia. Researchers from \
Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan took part, together with \
representatives of international organisations accredited in Almaty.
The participants noted that the transboundary rivers of the region are under growing pressure \
from population growth, irrigated agriculture and the melting of glaciers in the Tian Shan and \
Pamir mountains. Several speakers called for a joint monitoring network and for the exchange of \
hydrological data between the national agencies of the five countries.
The deputy director of the Institute stressed that water diplomacy must remain a field of \
pragmatic cooperation rather than rivalry, and proposed that the expert community prepare joint \
recommendations for the next meeting of the heads of state of Central Asia. The round table \
ended with an agreement to hold the next session in Tashkent in the autumn.
"""

MEMO_A = """\
A Memorandum of Understanding was signed between the Kazakhstan Institute for Strategic Studies \
under the President of the Republic of Kazakhstan and the Institute of Strategic and International \
Studies of Malaysia.
The document was signed in Kuala Lumpur on the margins of the business forum attended by the prime \
ministers of both countries. The parties agreed to hold joint seminars on ASEAN integration, to \
exchange analytical materials on energy transition and digital trade, and to organise internships \
for young researchers.
The Chairman of ISIS Malaysia, Dr. Mohd Faiz Abdullah, said that Malaysia sees Kazakhstan as a \
gateway to Central Asia, while Kazakhstan may reach Southeast Asian markets through Malaysian \
ports. The director of KazISS noted that cooperation between analytical centres strengthens \
expert ties between middle powers and supports the new tourism and palm oil projects discussed \
at the forum.
"""

MEMO_B = """\
A Memorandum of Understanding was signed between the Kazakhstan Institute for Strategic Studies \
under the President of the Republic of Kazakhstan and the Center for Analysis of International \
Relations of Azerbaijan.
The document was signed in Baku during a visit of the KazISS delegation to the Caspian expert \
conference. The parties agreed to prepare a joint report on the Trans-Caspian International \
Transport Route, to study the Middle Corridor freight tariffs, and to hold an annual dialogue of \
experts in Astana and Baku in turn.
The head of the Azerbaijani centre, Farid Shafiyev, said that the Caspian Sea connects rather than \
divides the two states, and that new ferry lines at Aktau and Alat will double container traffic. \
The director of KazISS noted that coordination of transit policy is a priority for Kazakhstan as \
the largest landlocked country and for its partners in the South Caucasus.
"""


def test_counter_and_date_change_is_same_content() -> None:
    refetched = ARTICLE.replace("Views: 1204", "Views: 1377").replace("26 February", "27 February")
    assert near_duplicate(simhash(refetched), simhash(ARTICLE))
    assert not is_material_change(ARTICLE, refetched)


def test_share_line_and_date_widget_keep_a_near_duplicate() -> None:
    other_copy = (
        ARTICLE.replace("Views: 1204", "Friday, 1 March 2024 | Views: 2051")
        + "Share: Facebook Twitter Telegram WhatsApp\n"
    )
    assert content_hash(other_copy) != content_hash(ARTICLE)
    assert near_duplicate(simhash(other_copy), simhash(ARTICLE))


def test_two_memorandum_stories_of_one_week_are_not_duplicates() -> None:
    assert 130 <= len(MEMO_A.split()) <= 170 and 130 <= len(MEMO_B.split()) <= 170
    distance = hamming(simhash(MEMO_A), simhash(MEMO_B))
    assert distance > 3
    assert not near_duplicate(simhash(MEMO_A), simhash(MEMO_B))
    assert not set(simhash_bands(simhash(MEMO_A))) & set(simhash_bands(simhash(MEMO_B)))


def test_content_hash_keeps_numbers_so_bulletins_stay_apart() -> None:
    march = "Exchange rates of the National Bank on 12 March: 1 USD = 447 tenge, 1 EUR = 489 tenge."
    april = march.replace("12 March", "13 March").replace("447", "451")
    assert content_hash(march) != content_hash(april)


def test_content_hash_ignores_case_whitespace_and_compatibility_forms() -> None:
    flat = "KazISS and ISIS Malaysia signed a Memorandum of Understanding."
    messy = "  kaziss AND isis\u00a0malaysia\n\n signed a  memorandum\tof understanding ."
    assert content_hash(flat) == content_hash(messy)
    assert len(content_hash(flat)) == 64
    assert content_hash(flat) != content_hash(flat.replace("Malaysia", "Indonesia"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Қазақстан  Стратегиялық\nЗерттеулер", "қазақстан стратегиялық зерттеулер"),
        ("Views: 1 204 — 26.02.2024, 12:30", "views"),
        ("February 26th, 2024 at the G20 summit", "february at the g20 summit"),
        ("26 февраля 2024 г. в Астане", "февраля г в астане"),
        ("Memorandum\u00a0of ﬁnance", "memorandum of finance"),
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


def test_simhash_is_stable_across_processes() -> None:
    # Golden value: hash() is salted per process, blake2b is not; this fails if hash() creeps in.
    golden = 0xD860_1436_3502_0066
    assert simhash("Kazakhstan and Malaysia sign a memorandum of understanding") == golden
    assert 0 <= simhash(ARTICLE) < 1 << 64
    assert simhash("") == 0
    assert simhash("Read in PDF") != 0  # a text of short lines only still has a fingerprint


def test_simhash_rejects_empty_shingle() -> None:
    with pytest.raises(ValueError, match="shingle"):
        simhash(ARTICLE, shingle=0)


def test_added_paragraph_is_material() -> None:
    updated = ARTICLE + (
        "Following the round table, the Institute published an analytical note with five "
        "proposals on the joint management of the Syr Darya and Amu Darya basins.\n"
    )
    assert is_material_change(ARTICLE, updated)


def test_short_added_sentence_in_long_article_is_material() -> None:
    long_article = ARTICLE + ARTICLE.replace("Tashkent", "Bishkek") * 4
    added = "The memorandum enters into force upon signature.\n"
    # The added sentence is well under 1% of the words, so only the sentence rule can see it.
    assert (
        len(normalise_text(added).split()) * 100 < len(normalise_text(long_article).split()) - 100
    )
    updated = long_article + added
    assert is_material_change(long_article, updated)
    assert is_material_change(updated, long_article)  # a withdrawn sentence counts too


def test_counter_and_typo_fix_are_not_material() -> None:
    assert not is_material_change(ARTICLE, ARTICLE.replace("Views: 1204", "Views: 1530"))
    typo = ARTICLE.replace("hydrological", "hydrologcal")
    assert not is_material_change(typo, ARTICLE)
    assert not is_material_change(ARTICLE, ARTICLE.replace("\n", "\n\n").upper())


def test_rewritten_sentence_is_material() -> None:
    updated = ARTICLE.replace("in Tashkent in the autumn", "in Dushanbe in the spring of next year")
    assert is_material_change(ARTICLE, updated)
    assert is_material_change("", ARTICLE)


# --- Hash storage and lookup -----------------------------------------------------------------


def _flip(h: int, bits: list[int]) -> int:
    for bit in bits:
        h ^= 1 << bit
    return h


def test_hashes_within_three_bits_share_a_band() -> None:
    rng = random.Random(9319)
    for _ in range(3000):
        h = rng.getrandbits(64)
        flipped = _flip(h, rng.sample(range(64), rng.randint(0, 3)))
        assert hamming(h, flipped) <= 3
        assert set(simhash_bands(h)) & set(simhash_bands(flipped))


def test_four_bits_in_four_bands_can_escape_the_index() -> None:
    # The pigeonhole bound is tight: this is why max_distance and bands must be chosen together.
    h = random.Random(1).getrandbits(64)
    far = _flip(h, [0, 16, 32, 48])
    assert hamming(h, far) == 4
    assert not set(simhash_bands(h)) & set(simhash_bands(far))


def test_band_keys_fit_sqlite_and_keep_bands_apart() -> None:
    same_halves = 0xABCD_ABCD_ABCD_ABCD
    keys = simhash_bands(same_halves)
    assert len(set(keys)) == 4  # equal 16-bit values in different bands are different keys
    for h in (0, (1 << 64) - 1, same_halves):
        for bands in (2, 4, 8):
            assert all(-(1 << 63) <= key < 1 << 63 for key in simhash_bands(h, bands))
    with pytest.raises(ValueError, match="bands"):
        simhash_bands(same_halves, 3)


@pytest.mark.parametrize("h", [0, 1, (1 << 63) - 1, 1 << 63, (1 << 64) - 1, 0xDEADBEEF_CAFEBABE])
def test_sqlite_int_round_trip(h: int) -> None:
    stored = to_sqlite_int(h)
    assert -(1 << 63) <= stored < 1 << 63
    assert from_sqlite_int(stored) == h
    assert hamming(stored, h) == 0  # hamming accepts either form


def test_sqlite_int_rejects_out_of_range() -> None:
    with pytest.raises(ValueError, match="unsigned 64-bit"):
        to_sqlite_int(-1)
    with pytest.raises(ValueError, match="signed 64-bit"):
        from_sqlite_int(1 << 63)


def test_near_duplicate_threshold() -> None:
    h = 0x0123_4567_89AB_CDEF
    assert near_duplicate(h, _flip(h, [1, 20, 40]))
    assert not near_duplicate(h, _flip(h, [1, 20, 40, 60]))
    assert near_duplicate(h, _flip(h, [1, 20, 40, 60]), max_distance=4)


def test_near_copies_must_agree_on_their_figures() -> None:
    march = (
        "The National Bank set the base rate at 16.5 percent on 12 March after its board met.\n"
        "Inflation stood at 8.7 percent and the tenge traded at 447 to the dollar that week.\n"
    )
    april = march.replace("16.5", "15.25").replace("8.7", "8.1").replace("447", "451")
    counter = march + "Views: 1204\n"
    assert near_duplicate(simhash(march), simhash(april))  # SimHash alone cannot tell them
    assert not numbers_agree(march, april)
    assert numbers_agree(march, counter)  # a counter line is furniture
