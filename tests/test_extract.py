"""Extraction of realistic institute pages: which evidence wins, and what the reader gets."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from monitor.core.extract import clean_body, extract_article
from monitor.core.language import detect_language, language_from_url, normalize_language

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
ALMATY = ZoneInfo("Asia/Almaty")
KUALA_LUMPUR = ZoneInfo("Asia/Kuala_Lumpur")

SEED_TITLE = (
    "A Memorandum of Understanding was signed between the Kazakhstan Institute for Strategic "
    "Studies under the President of the Republic of Kazakhstan and the Institute of Strategic "
    "and International Studies of Malaysia"
)
SEED_PARAGRAPHS = [
    "The cooperation between Kazakhstan and Malaysia is taking on a more profound character. "
    "Active work is being done in areas such as information technology, education, tourism, "
    "energy, and agriculture. Kazakhstan may gain access to ASEAN markets through Malaysia, "
    "while Malaysia, in turn, through our transit potential, gains access to Central Asia.",
    "The development trajectory of bilateral relations is aimed at establishing cooperation in "
    "the intellectual sphere. Today, within the framework of the forum with the participation "
    "of the prime ministers of both countries, a Memorandum was signed between the two "
    "institutes.",
    "During the meeting with the Chairman of the Institute, Dr. Mohd Faiz Abdullah, the director "
    "of the Kazakhstan Institute for Strategic Studies, Yerkin Tukumov, noted that cooperation "
    "between analytical institutions would contribute to the development of scientific and "
    "expert ties between our countries.",
]
KISI_URL = "https://kisi.kz/en/a-memorandum-of-understanding-was-signed/"
SITE = (
    "Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan"
)

RU_PARAGRAPHS = [
    "Сотрудничество между Казахстаном и Малайзией приобретает более глубокий характер. "
    "Активная работа ведётся в сферах информационных технологий, образования, туризма, "
    "энергетики и сельского хозяйства.",
    "Сегодня в рамках форума с участием премьер-министров двух стран подписан меморандум "
    "между Казахстанским институтом стратегических исследований и Институтом стратегических "
    "и международных исследований Малайзии.",
]
KK_PARAGRAPHS = [
    "Қазақстан мен Малайзия арасындағы ынтымақтастық тереңдей түсуде. Ақпараттық "
    "технологиялар, білім беру, туризм, энергетика және ауыл шаруашылығы салаларында белсенді "
    "жұмыс жүргізілуде.",
    "Бүгін екі елдің премьер-министрлерінің қатысуымен өткен форум аясында Қазақстан "
    "стратегиялық зерттеулер институты мен Малайзияның стратегиялық және халықаралық "
    "зерттеулер институты арасында меморандумға қол қойылды.",
]
MS_PARAGRAPHS = [
    "Kerjasama antara Kazakhstan dan Malaysia semakin mendalam. Kerja aktif sedang dijalankan "
    "dalam bidang teknologi maklumat, pendidikan, pelancongan, tenaga dan pertanian.",
    "Hari ini, dalam rangka forum yang disertai oleh perdana menteri kedua-dua negara, satu "
    "memorandum persefahaman telah ditandatangani antara kedua-dua institut tersebut.",
]

# Malay that the detector splits with Indonesian (about 0.8 / 0.2): never English for all that.
MS_NEWS = [
    "Pada 3 Disember 2026, Institut Kajian Dasar Serantau mengadakan meja bulat mengenai "
    "keselamatan makanan bersama pakar dari beberapa negara jiran. Perbincangan tertumpu kepada "
    "rantaian bekalan, harga beras dan kerjasama penyelidikan antara institusi. Para peserta "
    "bersetuju untuk meneruskan dialog pada tahun hadapan.",
]


def paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{item}</p>\n" for item in items)


def kisi_page(graph: list[dict[str, object]] | None = None) -> str:
    """A KazISS WordPress post as the real site renders it (INSTITUTES.md)."""
    graph = graph or [
        {
            "@type": "WebPage",
            "@id": KISI_URL,
            "inLanguage": "en-US",
            "datePublished": "2024-02-26T04:00:00+00:00",
        },
        {
            "@type": "Article",
            "headline": SEED_TITLE,
            "inLanguage": "en-US",
            "datePublished": "2024-02-26T09:00:00+05:00",
        },
    ]
    ld = json.dumps({"@context": "https://schema.org", "@graph": graph})
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>{SEED_TITLE} – {SITE}</title>
<link rel="canonical" href="{KISI_URL}">
<link rel="alternate" hreflang="en" href="{KISI_URL}">
<link rel="alternate" hreflang="ru" href="/ru/podpisan-memorandum/">
<link rel="alternate" hreflang="x-default" href="{KISI_URL}">
<script type="application/ld+json" class="yoast-schema-graph">{ld}</script>
</head><body class="post-template-default single">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead"><div class="site-branding">{SITE}</div>
<ul class="lang-switcher"><li><a href="/ru/podpisan-memorandum/">RU</a></li>
<li><a href="/kz/memorandumga-kol-koyyldy/">ҚАЗ</a></li><li><a href="{KISI_URL}">EN</a></li></ul>
<nav><a href="/en/">Main page</a> <a href="/en/category/analytics/">Analytics</a></nav></header>
<main id="content"><article class="post type-post">
<div class="breadcrumbs"><a href="/en/">Main page</a> » {SEED_TITLE}</div>
<h1 class="entry-title">{SEED_TITLE}</h1>
<div class="entry-content">
{paragraphs(SEED_PARAGRAPHS)}
<p>[bws_pdfprint display='pdf,print']</p>
</div>
<div class="share-buttons">Share <a href="#">Facebook</a> <a href="#">Twitter</a>
<a href="#">Telegram</a></div>
</article></main>
<footer>© 2026 {SITE}</footer>
</body></html>"""


def isis_page(*, og_title: str = "KazISS and ISIS Malaysia sign MoU - ISIS") -> str:
    """An ISIS Malaysia post in the tagDiv Newspaper theme."""
    return f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">
<title>KazISS and ISIS Malaysia sign MoU - ISIS</title>
<meta property="og:title" content="{og_title}">
<meta property="og:site_name" content="ISIS">
<meta property="article:published_time" content="2024-02-26T01:00:00+00:00">
</head><body>
<div class="td-header-wrap"><a href="/">ISIS Malaysia</a></div>
<div class="td-post-header"><h1 class="entry-title">KazISS and ISIS Malaysia sign memorandum</h1>
<span class="td-post-date"><time class="entry-date updated td-module-date"
 datetime="2024-02-26T16:30:00">26 February 2024</time></span></div>
<div class="td-post-content">
{paragraphs(SEED_PARAGRAPHS)}
<div class="td-a-rec"><span>- Advertisement -</span></div>
<p><a href="/wp-content/uploads/2024/02/mou.pdf">Read in PDF</a></p>
</div>
<div class="td-related"><h4>Related</h4><p>ISIS Malaysia hosts the Asia-Pacific Roundtable
for the 37th time this June with speakers from twenty countries.</p></div>
</body></html>"""


ISIS_SELECTORS = {
    "title": "h1.entry-title",
    "date": "time.entry-date",
    "body": "div.td-post-content",
}


def plain_page(body: str, *, head: str = "", lang_attr: str = "") -> str:
    return f"<html{lang_attr}><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def test_kisi_wordpress_post() -> None:
    article = extract_article(kisi_page().encode(), KISI_URL, now=NOW)
    assert article.title == SEED_TITLE
    assert article.published == dt.datetime(
        2024, 2, 26, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))
    )
    assert article.language == "en"
    assert article.canonical_url == KISI_URL
    assert article.alternates == {
        "en": KISI_URL,
        "ru": "https://kisi.kz/ru/podpisan-memorandum/",
        "kk": "https://kisi.kz/kz/memorandumga-kol-koyyldy/",
    }
    assert article.methods == {
        "title": "json-ld",
        "published": "json-ld",
        "text": "trafilatura",
        "language": "html-lang",
    }
    assert article.text == "\n\n".join(SEED_PARAGRAPHS)


def test_boilerplate_lines_are_stripped() -> None:
    raw = "\n".join(
        [
            "Skip to content",
            f"Main page » {SEED_TITLE}",
            SEED_TITLE,
            "Home » Blogs » Central Asia and ASEAN",
            "Главная » Аналитика",
            "Басты бет » Жаңалықтар",
            SEED_PARAGRAPHS[0] + "   [bws_pdfprint display='pdf,print']",
            "Share",
            "Поделиться",
            "Facebook Twitter Telegram",
            "- Advertisement -",
            "Read in PDF",
            "   " + SEED_PARAGRAPHS[1] + "  ",
            "Home rule for the regions was discussed in Parliament » with some heat.",
        ]
    )
    cleaned = clean_body(raw, SEED_TITLE)
    assert cleaned.split("\n\n") == [
        SEED_PARAGRAPHS[0],
        SEED_PARAGRAPHS[1],
        "Home rule for the regions was discussed in Parliament » with some heat.",
    ]


def test_configured_selectors_win_over_metadata() -> None:
    article = extract_article(
        isis_page(),
        "https://www.isis.org.my/2024/02/26/kaziss-isis-mou/",
        selectors=ISIS_SELECTORS,
        tz=KUALA_LUMPUR,
        now=NOW,
    )
    assert article.title == "KazISS and ISIS Malaysia sign memorandum"
    assert article.published == dt.datetime(2024, 2, 26, 16, 30, tzinfo=KUALA_LUMPUR)
    assert article.methods["title"] == article.methods["published"] == "selector"
    assert article.methods["text"] == "selector"
    assert article.text == "\n\n".join(SEED_PARAGRAPHS)  # no ad label, no PDF link, no related


def test_without_selectors_metadata_is_used_and_the_site_suffix_dropped() -> None:
    article = extract_article(
        isis_page(), "https://isis.org.my/2024/02/26/kaziss-isis-mou/", now=NOW
    )
    assert article.title == "KazISS and ISIS Malaysia sign MoU"
    assert article.methods["title"] == "og"
    assert article.published == dt.datetime(2024, 2, 26, 1, 0, tzinfo=dt.UTC)
    assert article.methods["published"] == "meta"
    assert SEED_PARAGRAPHS[2] in article.text
    assert "Advertisement" not in article.text and "Read in PDF" not in article.text


def test_an_invalid_selector_falls_back_instead_of_failing() -> None:
    article = extract_article(
        isis_page(),
        "https://isis.org.my/2024/02/26/x/",
        selectors={"title": "h1[", "date": "time..x", "body": "div::nope("},
        now=NOW,
    )
    assert article.methods["title"] == "og"
    assert SEED_PARAGRAPHS[0] in article.text


def test_russian_page_with_a_textual_date_under_the_title() -> None:
    html = plain_page(
        f"""<div class="top">Курс валют на 1 ноября 2025</div>
<h1>Подписан меморандум о сотрудничестве с ISIS Malaysia</h1>
<div class="meta">28 ноября 2025 г., 14:30</div>
<div class="content">{paragraphs(RU_PARAGRAPHS)}</div>""",
        head="<title>Подписан меморандум о сотрудничестве с ISIS Malaysia | КИСИ</title>",
    )
    article = extract_article(
        html.encode(), "https://kisi.kz/ru/podpisan-memorandum/", tz=ALMATY, now=NOW
    )
    assert article.title == "Подписан меморандум о сотрудничестве с ISIS Malaysia"
    assert article.methods["title"] == "h1"
    assert article.published == dt.datetime(2025, 11, 28, 14, 30, tzinfo=ALMATY)
    assert article.methods["published"] == "text"
    assert article.language == "ru" and article.methods["language"] == "url"
    assert article.text.startswith(RU_PARAGRAPHS[0])


def test_kazakh_page_dated_in_kazakh_and_detected_as_kazakh_not_russian() -> None:
    html = plain_page(
        f"""<h1>Малайзиямен ынтымақтастық туралы меморандумға қол қойылды</h1>
<p class="date">2025 жылғы 28 қарашада</p>
<div class="content">{paragraphs(KK_PARAGRAPHS)}</div>"""
    )
    article = extract_article(html, "https://kisi.kz/?p=9320", now=NOW)
    assert article.published == dt.date(2025, 11, 28)
    assert article.language == "kk"
    assert article.methods["language"] == "detector"


def test_malay_page() -> None:
    html = plain_page(
        f"""<h1 class="entry-title">Memorandum persefahaman dengan KazISS</h1>
<span class="date">12 Mac 2026</span>
<div class="td-post-content">{paragraphs(MS_PARAGRAPHS)}</div>""",
        head='<meta property="og:locale" content="ms_MY">',
    )
    article = extract_article(html, "https://www.isis.org.my/my/memorandum-kaziss/", now=NOW)
    assert article.published == dt.date(2026, 3, 12)
    assert (article.language, article.methods["language"]) == ("ms", "og")


def test_json_ld_inside_a_yoast_graph_gives_the_headline_and_date() -> None:
    graph = [
        {"@type": "Organization", "name": "KazISS"},
        {"@type": ["WebPage", "ItemPage"], "name": "Ignored page name"},
        {
            "@type": "NewsArticle",
            "headline": "Kazakhstan &#038; Malaysia: Headline from the graph",
            "datePublished": "2025-06-02T10:00:00+05:00",
            "inLanguage": "ru-RU",
        },
    ]
    article = extract_article(kisi_page(graph), KISI_URL, now=NOW)
    assert article.title == "Kazakhstan & Malaysia: Headline from the graph"
    assert article.published == dt.datetime(2025, 6, 2, 5, 0, tzinfo=dt.UTC)
    assert article.methods["title"] == article.methods["published"] == "json-ld"


def test_a_future_date_is_rejected_for_the_next_evidence() -> None:
    graph = [{"@type": "Article", "headline": SEED_TITLE, "datePublished": "2027-01-15T09:00:00Z"}]
    html = kisi_page(graph).replace(
        "</h1>", '</h1><time class="entry-date published" datetime="2026-11-20">20.11.2026</time>'
    )
    article = extract_article(html, KISI_URL, now=NOW)
    assert article.published == dt.date(2026, 11, 20)
    assert article.methods["published"] == "time"


def test_naive_meta_dates_take_the_source_timezone() -> None:
    html = plain_page(
        f"<h1>Title</h1>{paragraphs(SEED_PARAGRAPHS)}",
        head='<meta property="article:published_time" content="2026-11-27 18:45:00">',
    )
    article = extract_article(html, "https://kisi.kz/en/x/", tz=ALMATY, now=NOW)
    assert article.published == dt.datetime(2026, 11, 27, 18, 45, tzinfo=ALMATY)


def test_date_in_the_url_is_the_last_resort() -> None:
    html = plain_page(f"<h1>Regional security outlook</h1>{paragraphs(SEED_PARAGRAPHS)}")
    article = extract_article(html, "https://sszi.kz/en/20240226", now=NOW)
    assert article.published == dt.date(2024, 2, 26)
    assert article.methods["published"] == "url"


def test_no_date_anywhere_gives_none() -> None:
    html = plain_page(f"<h1>Regional security outlook</h1>{paragraphs(SEED_PARAGRAPHS)}")
    article = extract_article(html, "https://kisi.kz/?p=9319", now=NOW)
    assert article.published is None and "published" not in article.methods


def russian_cp1251_page(meta: str) -> bytes:
    html = plain_page(
        f"<h1>Меморандум подписан</h1>{paragraphs(RU_PARAGRAPHS)}", head=meta
    ).replace("<meta charset='utf-8'>", "")
    return html.encode("windows-1251")


@pytest.mark.parametrize("meta", ['<meta charset="windows-1251">', ""])
def test_windows_1251_bytes(meta: str) -> None:
    article = extract_article(russian_cp1251_page(meta), "https://example.kz/news/1", now=NOW)
    assert article.title == "Меморандум подписан"
    assert RU_PARAGRAPHS[1] in article.text
    assert article.language == "ru"


def test_http_charset_is_used_when_given() -> None:
    article = extract_article(
        russian_cp1251_page(""), "https://example.kz/news/1", charset="cp1251", now=NOW
    )
    assert article.title == "Меморандум подписан"


def test_malformed_html_still_yields_the_article() -> None:
    html = (
        "<html><head><title>Broken page</title><body><div><h1>Broken page</h1></span>"
        f"<p>{SEED_PARAGRAPHS[0]}<p>{SEED_PARAGRAPHS[1]}</td></tr><div><b><i>{SEED_PARAGRAPHS[2]}"
        "<script>var x = '<p>not text</p>';</script><!-- unclosed comment"
    )
    article = extract_article(html, "https://kisi.kz/en/broken", now=NOW)
    assert article.title == "Broken page"
    assert SEED_PARAGRAPHS[0] in article.text and "not text" not in article.text


@pytest.mark.parametrize(
    "body", [b"", b"   \n ", "", b"\x00\xff\xfe\x89PNG\r\n\x1a\n" + bytes(range(256)), b"Not found"]
)
def test_empty_or_garbage_input_gives_an_empty_article(body: bytes | str) -> None:
    article = extract_article(body, "https://kisi.kz/en/gone/", now=NOW)
    assert article.text == ""
    assert article.title is None and article.published is None


def test_biggest_block_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "monitor.core.extract.body.trafilatura.extract", lambda *args, **kwargs: None
    )
    html = plain_page(
        "<nav><p>Главная</p></nav><div class='post'><p>Короткий <b>текст</b>.</p>"
        "<p>Ещё строка.<br>И ещё.</p></div>"
    )
    article = extract_article(html, "https://kisi.kz/ru/x", now=NOW)
    assert article.text == "Короткий текст.\n\nЕщё строка.\n\nИ ещё."
    assert article.methods["text"] == "largest-block"


@pytest.mark.parametrize(
    ("head", "lang_attr", "url", "hint", "expected", "method"),
    [
        ("", ' lang="ru-RU"', "https://kisi.kz/en/x", None, "ru", "html-lang"),
        ('<meta property="og:locale" content="kk_KZ">', "", "https://kisi.kz/x", None, "kk", "og"),
        (
            '<script type="application/ld+json">'
            '{"@type": "BlogPosting", "inLanguage": "ms"}</script>',
            "",
            "https://x.org/a",
            None,
            "ms",
            "json-ld",
        ),
        (
            '<link rel="alternate" hreflang="kz" href="https://kisi.kz/memorandum/">'
            '<link rel="alternate" hreflang="ru" href="https://kisi.kz/ru/memorandum/">',
            "",
            "https://kisi.kz/memorandum",
            None,
            "kk",
            "hreflang",
        ),
        ("", "", "https://kisi.kz/kz/memorandum/", None, "kk", "url"),
        ("", "", "https://kisi.kz/index.php/en/news", None, "en", "url"),
        ("", "", "https://www.isis.org.my/my/berita/", None, "ms", "url"),
        ("", "", "https://example.com/a", "ru_RU", "ru", "hint"),
    ],
)
def test_language_evidence_in_order(
    head: str, lang_attr: str, url: str, hint: str | None, expected: str, method: str
) -> None:
    # a short body: too little text for the detector to overrule what the page declares
    html = plain_page("<h1>Title</h1><p>KazISS, ISIS, 2026.</p>", head=head, lang_attr=lang_attr)
    article = extract_article(html, url, language_hint=hint, now=NOW)
    assert (article.language, article.methods["language"]) == (expected, method)


@pytest.mark.parametrize(
    ("lang_attr", "body", "expected"),
    [
        (' lang="en-US"', "MS_PARAGRAPHS", "ms"),  # ISIS Malaysia marks Malay posts en-US
        (' lang="en"', "MS_NEWS", "ms"),
        (' lang="ru-RU"', "KK_PARAGRAPHS", "kk"),  # a Kazakh page left with the Russian default
        (' lang="ru-RU"', "RU_PARAGRAPHS", "ru"),
        (' lang="en-US"', "SEED_PARAGRAPHS", "en"),
    ],
)
def test_a_site_wide_language_is_overruled_by_clear_text(
    lang_attr: str, body: str, expected: str
) -> None:
    html = plain_page(f"<h1>Title</h1>{paragraphs(globals()[body])}", lang_attr=lang_attr)
    article = extract_article(html, "https://www.isis.org.my/2026/05/16/x/", now=NOW)
    assert article.language == expected


def test_detector_tells_kazakh_from_russian_and_malay_from_english() -> None:
    assert detect_language(" ".join(KK_PARAGRAPHS)) == "kk"
    assert detect_language(" ".join(RU_PARAGRAPHS)) == "ru"
    assert detect_language(" ".join(MS_PARAGRAPHS)) == "ms"
    assert detect_language(" ".join(SEED_PARAGRAPHS)) == "en"
    assert detect_language("OK") is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("kz", "kk"),
        ("ru-RU", "ru"),
        ("en_US", "en"),
        ("KK-kz", "kk"),
        ("x-default", None),
        ("", None),
        ("ms-MY", "ms"),
    ],
)
def test_language_codes_are_normalised(code: str, expected: str | None) -> None:
    assert normalize_language(code) == expected


def test_my_is_malay_only_on_malaysian_hosts() -> None:
    assert language_from_url("https://www.isis.org.my/my/berita/") == "ms"
    assert language_from_url("https://example.com/my/account") is None


def test_canonical_from_og_url_is_made_absolute() -> None:
    html = plain_page(
        f"<h1>Title</h1>{paragraphs(SEED_PARAGRAPHS)}",
        head='<meta property="og:url" content="/en/memorandum/">',
    )
    article = extract_article(html, "https://kisi.kz/?p=9319", now=NOW)
    assert article.canonical_url == "https://kisi.kz/en/memorandum/"


def test_title_tag_suffix_is_dropped_when_nothing_better_exists() -> None:
    html = plain_page(
        f"<div>{paragraphs(SEED_PARAGRAPHS)}</div>",
        head="<title>Kazakhstan and Malaysia: new horizons | KazISS</title>",
    )
    article = extract_article(html, "https://kisi.kz/en/x/", now=NOW)
    assert article.title == "Kazakhstan and Malaysia: new horizons"
    assert article.methods["title"] == "title-tag"


def test_a_site_name_suffix_in_og_title_is_recognised_from_the_domain() -> None:
    html = plain_page(
        f"<h1>x</h1>{paragraphs(SEED_PARAGRAPHS)}",
        head='<meta property="og:title" content="Kazakhstan - Malaysia: new horizons | KISI">',
    )
    article = extract_article(html, "https://kisi.kz/en/x/", now=NOW)
    assert article.title == "Kazakhstan - Malaysia: new horizons"


@pytest.mark.parametrize("marker", ['class="LangSwitcher"', 'id="Wpml-Ls"', 'class="lAnG-menu"'])
def test_a_language_menu_is_found_whatever_its_spelling(marker: str) -> None:
    """The other-language versions come from the menu however the theme capitalises it."""
    menu = (
        f'<ul {marker}><li><a href="/ru/podpisan-memorandum/">RU</a></li>'
        '<li><a href="/kz/memorandumga-kol-koyyldy/">ҚАЗ</a></li></ul>'
    )
    page = plain_page(menu + paragraphs(SEED_PARAGRAPHS), lang_attr=' lang="en"')
    article = extract_article(page.encode(), KISI_URL, now=NOW)
    assert article.alternates == {
        "ru": "https://kisi.kz/ru/podpisan-memorandum/",
        "kk": "https://kisi.kz/kz/memorandumga-kol-koyyldy/",
    }


@pytest.mark.parametrize("chrome", ["footer", "aside", "nav"])
def test_a_date_only_in_page_chrome_is_still_found_and_the_chrome_kept_out_of_the_body(
    chrome: str,
) -> None:
    # trafilatura reads the page without its chrome; the date search afterwards reads it whole
    paragraphs = "".join(
        f"<p>The institute held meeting {i} on regional water policy with experts and partners "
        "from the neighbouring countries of the region.</p>"
        for i in range(8)
    )
    body = (
        f"<article><h1>Water policy meeting</h1>{paragraphs}"
        f"<{chrome} class='entry-meta'><span class='date'>12.03.2025</span> Share this</{chrome}>"
        "</article>"
    )
    article = extract_article(plain_page(body).encode(), "https://example.org/news/water/", now=NOW)
    assert article.published == dt.date(2025, 3, 12)
    assert article.methods["text"] == "trafilatura"
    assert article.text.count("regional water policy") == 8
    assert "Share this" not in article.text and "12.03.2025" not in article.text


def test_a_dated_permalink_beats_a_related_posts_date_in_the_text() -> None:
    html = plain_page(
        "<h1>A delegation visits the institute</h1><div class='meta'>27 days ago</div>"
        "<p>A delegation of the Center for Strategic Research visited the institute and "
        "discussed joint research on water security and transport corridors.</p>"
        "<div class='related'><h3><a href='/2026/12/01/other/'>Another item</a></h3>"
        "<span class='date'>1 December 2026</span></div>"
    )
    url = "https://iss.example.kz/2026/11/10/a-delegation-visits/"
    article = extract_article(html, url, now=NOW.replace(month=12, day=7))
    assert (article.published, article.methods["published"]) == (dt.date(2026, 11, 10), "url")
