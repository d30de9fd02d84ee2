"""The fixture websites agree with their expected.json, so end-to-end failures mean code bugs.

Each site under fixtures/sites/ is served by the real SiteServer, exactly as the end-to-end tests
serve it; these tests check the fixtures themselves: every expected article answers with its
title, every feed and sitemap is well-formed and points at live pages, every internal link
resolves (or is a deliberately dead link listed in ``absent_links``), the countries and dates in
expected.json are really on the page, and the discovery traps (pagination, sitemap-only
articles, an event outside the feed, a windows-1251 page) are really there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from monitor.core.htmldoc import decode, parse
from tests.httpserver import SiteServer

SITES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
SITES = ("kaziss", "isis", "sitemaponly", "plain")
COUNTS = {
    "kaziss": {"en": 12, "ru": 8, "kk": 8},
    "isis": {"en": 8, "ms": 3},
    "sitemaponly": {"ru": 4, "en": 4},
    "plain": {"en": 5, "ru": 1},
}
LANGUAGES = {"en", "ru", "kk", "ms"}
NOT_XML = {".xml", ".txt", ".json", ".md"}
KK = r"(?!дық|дік|лық|лік|тық|тік)"  # Kazakh adjective suffixes make demonyms, not names
RU = r"(?:а|е|ом|у)?\b"  # Russian case endings of -стан names
RU_IA = r"(?:я|и|ю|ей)\b"  # Russian case endings of -ия names
# A country counts when its name (or abbreviation) is written; demonyms and capitals do not.
COUNTRY_NAMES: dict[str, str] = {
    "AF": rf"Afghanistan\b|Афганистан{RU}|Ауғанстан{KK}",
    "AM": rf"Armenia\b|Армени{RU_IA}",
    "AU": rf"Australia\b|Австрали{RU_IA}|Аустралия",
    "AZ": rf"Azerbaijan\b|Азербайджан{RU}|Әзербайжан{KK}",
    "BY": r"Belarus\b|Беларус(?:ь|и|ью)\b|Белорусси(?:я|и)\b",
    "CN": rf"China\b|PRC\b|Кита(?:й|я|е|ем|ю)\b|Қытай{KK}",
    "DE": rf"Germany\b|Германи{RU_IA}",
    "EG": r"Egypt\b|Египт",
    "FR": rf"France\b|Франци{RU_IA}",
    "GB": rf"United Kingdom|Britain\b|Великобритани{RU_IA}",
    "GE": rf"Georgia\b|Грузи{RU_IA}",
    "HU": rf"Hungary\b|Венгри{RU_IA}|Венгрия",
    "ID": rf"Indonesia\b|Индонези{RU_IA}",
    "IN": rf"India\b|Инди{RU_IA}|Үндістан",
    "IQ": r"Iraq\b|Ирак(?:а|е|ом)?\b",
    "IR": r"Iran\b|Иран(?:а|е|ом)?\b",
    "JP": rf"Japan\b|Jepun\b|Япони{RU_IA}|Жапония",
    "KG": rf"Kyrgyzstan\b|Kyrgyz Republic|Кыргызстан{RU}|Киргизи{RU_IA}|Қырғызстан{KK}",
    "KR": rf"Korea\b|Коре{RU_IA}|Корея",
    "KZ": rf"Kazakhstan\b|Казахстан{RU}|Қазақстан{KK}",
    "MM": r"Myanmar\b|Мьянм(?:а|ы|е)\b",
    "MN": rf"Mongolia\b|Монголи{RU_IA}|Моңғолия",
    "MY": rf"Malaysia\b|Малайзи{RU_IA}|Малайзия",
    "PH": r"Philippines\b|Filipina\b|Филиппин(?:ы|ах|ам)\b",
    "PK": rf"Pakistan\b|Пакистан{RU}|Пәкістан",
    "RU": rf"Russia\b|Russian Federation|Rusia\b|Росси{RU_IA}|Российск\w+ Федераци|Ресей{KK}",
    "SA": r"Saudi Arabia",
    "SG": r"Singapore\b|Singapura\b|Сингапур",
    "SY": rf"Syria\b|Сири{RU_IA}|Сирия",
    "TH": rf"Thailand\b|Таиланд{RU}|Тайланд",
    "TJ": rf"Tajikistan\b|Таджикистан{RU}|Тәжікстан{KK}",
    "TM": rf"Turkmenistan\b|Туркменистан{RU}|Түрікменстан{KK}",
    "TR": rf"Türkiye\b|Turkey\b|Турци{RU_IA}|Түркия",
    "UA": r"Ukraine\b|Украин(?:а|ы|е|у|ой)\b",
    "US": r"United States|\bUSA?\b|США|АҚШ|Amerika Syarikat",
    "UZ": rf"Uzbekistan\b|Узбекистан{RU}|Өзбекстан{KK}",
    "VN": r"Viet ?[Nn]am\b|Вьетнам(?:а|е|ом|у)?\b",
}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "kk": [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
}


def expected(site: str) -> dict:
    """The site's expected.json, the contract the end-to-end tests read."""
    return json.loads((SITES_DIR / site / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, SiteServer]]:
    started = {site: SiteServer(root=SITES_DIR / site) for site in SITES}
    for server in started.values():
        server.__enter__()
    yield started
    for server in started.values():
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    # trust_env=False: a proxy from the environment must never see these requests.
    # No keep-alive: SiteServer writes headers and body apart, and on a reused connection
    # Nagle plus delayed ACK costs 40 ms a request; a fresh connection answers in 2 ms.
    limits = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(trust_env=False, timeout=5.0, limits=limits) as c:
        yield c


def fetch_page(client: httpx.Client, server: SiteServer, path: str) -> tuple[httpx.Response, str]:
    """GET a page and decode it like a browser (the <meta> charset counts)."""
    response = client.get(server.url(path))
    ctype = response.headers.get("content-type", "")
    match = re.search(r"charset=([\w-]+)", ctype)
    charset = match.group(1) if match else None
    return response, decode(response.content, charset)


def squash(text: str) -> str:
    return " ".join(text.split())


def local_links(html: str, base: str = "{{BASE}}") -> set[str]:
    """Paths of the in-site links of a page (a fixture file, or a served page with its base)."""
    soup = BeautifulSoup(html, "lxml")
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    hrefs += [link["href"] for link in soup.find_all("link", href=True)]
    paths = set()
    for href in hrefs:
        if href.startswith(base):
            paths.add(href[len(base) :] or "/")
        elif href.startswith("/") and not href.startswith("//"):
            paths.add(href)
    return paths


def foreign_links(html: str) -> list[str]:
    """Links that are neither in-site nor clearly external: relative links break the contract."""
    soup = BeautifulSoup(html, "lxml")
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    hrefs += [link["href"] for link in soup.find_all("link", href=True)]
    ok = ("{{BASE}}", "/", "http://", "https://", "mailto:", "tel:", "data:", "#")
    return [h for h in hrefs if not h.startswith(ok)]


def html_files(site: str) -> list[Path]:
    root = SITES_DIR / site
    return [p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix not in NOT_XML]


def countries_named(text: str) -> set[str]:
    return {code for code, pattern in COUNTRY_NAMES.items() if re.search(pattern, text)}


def date_forms(published: str, language: str) -> list[str]:
    """Ways a page may write its publication date (machine or human)."""
    day = dt.date.fromisoformat(published)
    forms = [published, day.strftime("%d.%m.%Y")]
    en = MONTHS["en"][day.month - 1]
    forms += [f"{en} {day.day}, {day.year}", f"{day.day} {en} {day.year}"]
    if language in ("ru", "kk"):
        forms.append(f"{day.day} {MONTHS[language][day.month - 1]} {day.year}")
    return forms


@pytest.mark.parametrize("site", SITES)
def test_expected_json_follows_the_documented_format(site: str) -> None:
    data = expected(site)
    listing = data["listing"]
    assert all(p.startswith("/") for p in ([listing] if isinstance(listing, str) else listing))
    articles = data["articles"]
    paths = [a["path"] for a in articles]
    assert len(paths) == len(set(paths)), f"{site}: duplicate article paths"
    languages: dict[str, int] = {}
    for a in articles:
        where = f"{site} {a['path']}"
        assert set(a) >= {
            "path",
            "title",
            "published",
            "language",
            "agreement",
            "countries",
            "story",
        }, where
        assert a["path"].startswith("/") and a["title"].strip(), where
        if a["published"] is not None:
            day = dt.date.fromisoformat(a["published"])
            assert dt.date(2026, 1, 1) <= day < dt.date(2026, 11, 28), where
        assert a["language"] in LANGUAGES, where
        assert isinstance(a["agreement"], bool), where
        assert a["countries"] == sorted(set(a["countries"])), where
        assert all(c in COUNTRY_NAMES for c in a["countries"]), where
        languages[a["language"]] = languages.get(a["language"], 0) + 1
    assert languages == COUNTS[site]
    assert not set(paths) & set(data["not_articles"]), f"{site}: a page is both article and not"


@pytest.mark.parametrize("site", SITES)
def test_every_expected_article_answers_200_with_its_title(
    site: str, servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    for article in expected(site)["articles"]:
        response, text = fetch_page(client, servers[site], article["path"])
        assert response.status_code == 200, f"{site} {article['path']}: {response.status_code}"
        assert response.headers["content-type"].startswith("text/html")
        heading = parse(text).find(["h1", "h2"])
        assert heading is not None, f"{site} {article['path']}: no heading"
        assert squash(heading.get_text()) == article["title"], f"{site} {article['path']}"


@pytest.mark.parametrize("site", SITES)
def test_every_internal_link_resolves_or_is_listed_as_absent(
    site: str, servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    absent = set(expected(site)["absent_links"])
    linked: set[str] = set()
    for file in html_files(site):
        html = decode(file.read_bytes())
        assert not foreign_links(html), f"{file}: relative links {foreign_links(html)}"
        linked |= local_links(html)
    broken = {}
    for path in sorted(linked):
        status = client.get(servers[site].url(path)).status_code
        if (status == 404) != (path in absent) or status not in (200, 404):
            broken[path] = status
    assert not broken, f"{site}: unexpected answers {broken}"
    assert absent <= linked, f"{site}: absent_links never linked: {absent - linked}"


@pytest.mark.parametrize("site", SITES)
def test_every_non_article_page_answers_200(
    site: str, servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    for path in expected(site)["not_articles"]:
        assert client.get(servers[site].url(path)).status_code == 200, f"{site} {path}"


def xml_urls(client: httpx.Client, server: SiteServer, path: str, xpath: str) -> list[str]:
    response = client.get(server.url(path))
    assert response.status_code == 200, path
    assert response.headers["content-type"] == "application/xml", path
    root = etree.fromstring(response.content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [str(u).strip() for u in root.xpath(xpath, namespaces=ns)]


def test_isis_feed_lists_every_post_but_not_the_event(
    servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    server, data = servers["isis"], expected("isis")
    _, home = fetch_page(client, server, data["listing"])
    feed_link = parse(home).find("link", rel="alternate", type="application/rss+xml")
    assert feed_link is not None and feed_link["href"] == server.url(data["feed"])
    response = client.get(server.url(data["feed"]))
    root = etree.fromstring(response.content)
    items = root.findall("./channel/item")
    assert len(items) == 10
    by_path = {a["path"]: a for a in data["articles"]}
    dc = "{http://purl.org/dc/elements/1.1/}creator"
    for item in items:
        link = item.findtext("link")
        assert link.startswith(server.base)
        path = link[len(server.base) :]
        article = by_path[path]
        assert client.get(link).status_code == 200, link
        assert item.findtext("title") == article["title"]
        assert item.findtext("description").strip() and item.findtext(dc).strip()
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert (
            published.astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
            == (article["published"])
        )
    in_feed = {item.findtext("link")[len(server.base) :] for item in items}
    assert in_feed == set(by_path) - set(data["not_in_feed"])


def test_sitemap_only_site_is_found_through_robots_txt(
    servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    server, data = servers["sitemaponly"], expected("sitemaponly")
    robots = client.get(server.url(data["robots"]))
    assert robots.headers["content-type"].startswith("text/plain")
    assert f"Sitemap: {server.base}{data['sitemap']}" in robots.text.splitlines()
    children = xml_urls(
        client, server, data["sitemap"], "/sm:sitemapindex/sm:sitemap/sm:loc/text()"
    )
    assert [urlsplit(u).path for u in children] == ["/sitemap-posts.xml", "/sitemap-pages.xml"]
    posts = xml_urls(client, server, "/sitemap-posts.xml", "//sm:url/sm:loc/text()")
    pages = xml_urls(client, server, "/sitemap-pages.xml", "//sm:url/sm:loc/text()")
    for url in posts + pages:
        assert url.startswith(server.base) and client.get(url).status_code == 200, url
    assert [u[len(server.base) :] for u in posts] == [a["path"] for a in data["articles"]]
    assert [u[len(server.base) :] for u in pages] == data["not_articles"]
    lastmods = xml_urls(client, server, "/sitemap-posts.xml", "//sm:url/sm:lastmod/text()")
    assert [m[:10] for m in lastmods] == [a["published"] for a in data["articles"]]


@pytest.mark.parametrize("site", ["kaziss", "sitemaponly", "plain"])
def test_sites_without_a_feed_offer_none(
    site: str, servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    for file in html_files(site):
        soup = BeautifulSoup(decode(file.read_bytes()), "lxml")
        assert not soup.find("link", type=re.compile("rss|atom")), file
    for path in ("/feed/", "/en/feed/", "/rss"):
        assert client.get(servers[site].url(path)).status_code == 404
    if site != "sitemaponly":
        for path in ("/robots.txt", "/sitemap.xml", "/sitemap_index.xml"):
            assert client.get(servers[site].url(path)).status_code == 404


def test_some_articles_are_linked_only_from_later_pages(
    servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    checks = [
        ("kaziss", lang, [f"/{lang}/page/2/", f"/{lang}/page/3/"]) for lang in ("en", "ru", "kz")
    ]
    checks.append(("isis", "", ["/page/2/"]))
    for site, lang, later in checks:
        data = expected(site)
        hidden = {p for p in data["pagination_only"] if p.startswith(f"/{lang}")}
        assert hidden, f"{site} {lang}: nothing hidden behind pagination"
        base = servers[site].base
        first = local_links(
            fetch_page(client, servers[site], f"/{lang}/" if lang else "/")[1], base
        )
        later_links: set[str] = set()
        for path in later:
            response, html = fetch_page(client, servers[site], path)
            if response.status_code == 200:
                later_links |= {p if p.endswith("/") else p + "/" for p in local_links(html, base)}
        assert not hidden & first, f"{site}: {hidden & first} linked from page 1"
        assert hidden <= later_links, f"{site}: {hidden - later_links} not on later pages"
    data = expected("sitemaponly")
    assert len(data["sitemap_only"]) == 2
    for home in ("/", "/en/", "/ru/yangiliklar", "/en/news"):
        links = local_links(fetch_page(client, servers["sitemaponly"], home)[1])
        assert not links & set(data["sitemap_only"]), home


def test_cp1251_page_decodes_to_russian_only_through_its_meta(
    servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    data = expected("plain")
    (path,) = data["cp1251"]
    article = next(a for a in data["articles"] if a["path"] == path)
    response = client.get(servers["plain"].url(path))
    assert response.headers["content-type"] == "text/html"  # no charset in the header
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    text = decode(response.content, None)
    assert article["title"] in text and "Таджикистан" in text
    assert response.content.decode("cp1251") == text


@pytest.mark.parametrize("site", SITES)
def test_countries_in_expected_json_are_named_in_title_or_body(
    site: str, servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    data = expected(site)
    for article in data["articles"]:
        _, html = fetch_page(client, servers[site], article["path"])
        bodies = parse(html).select(data["body_selector"])
        assert len(bodies) == 1, f"{site} {article['path']}: body selector"
        text = article["title"] + "\n" + bodies[0].get_text(" ")
        assert sorted(countries_named(text)) == article["countries"], f"{site} {article['path']}"


@pytest.mark.parametrize("site", SITES)
def test_publication_dates_appear_on_the_page(
    site: str, servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    for article in expected(site)["articles"]:
        _, html = fetch_page(client, servers[site], article["path"])
        if article["published"] is None:
            assert "event_date" in article
            continue
        forms = date_forms(article["published"], article["language"])
        assert any(f in html for f in forms), f"{site} {article['path']}: no {forms}"


def test_kaziss_metadata_mix_is_as_labelled(
    servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    seen = set()
    for article in expected("kaziss")["articles"]:
        _, html = fetch_page(client, servers["kaziss"], article["path"])
        soup = parse(html)
        ld = soup.find("script", type="application/ld+json")
        og = soup.find("meta", property="article:published_time")
        kind = article["metadata"]
        seen.add(kind)
        if kind == "json-ld":
            graph = json.loads(ld.string)["@graph"]
            dates = [
                n["datePublished"][:10]
                for n in graph
                if "NewsArticle" in str(n["@type"]) or n["@type"] == "Article"
            ]
            assert dates == [article["published"]], article["path"]
        else:
            assert ld is None, article["path"]
        if kind == "text-only":
            assert og is None and article["published"] not in html, article["path"]
        else:
            assert og["content"][:10] == article["published"], article["path"]
    assert seen == {"json-ld", "opengraph", "text-only"}


def test_kaziss_articles_look_like_kisi_kz(
    servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    home = {"en": "Main page", "ru": "Главная", "kk": "Басты бет"}
    lang_attr = {"en": "en-US", "ru": "ru-RU", "kk": "kk"}
    full_name = {
        "en": "Kazakhstan Institute for Strategic Studies under the President",
        "ru": "Казахстанский институт стратегических исследований при Президенте",
        "kk": "Қазақстан стратегиялық зерттеулер институты",
    }
    articles = expected("kaziss")["articles"]
    stories: dict[str, set[str]] = {}
    for a in articles:
        stories.setdefault(a["story"], set()).add(a["path"])
    server = servers["kaziss"]
    for a in articles:
        _, html = fetch_page(client, server, a["path"])
        soup = parse(html)
        text = squash(soup.get_text(" "))
        lang = a["language"]
        assert soup.html["lang"] == lang_attr[lang]
        assert soup.find("link", rel="canonical")["href"] == server.url(a["path"])
        assert f"{home[lang]} » {a['title']}" in text, a["path"]
        assert full_name[lang] in soup.find("header").get_text(), a["path"]
        assert text.count("[bws_pdfprint display='pdf,print']") == 1
        alternates = {
            urlsplit(link["href"]).path
            for link in soup.find_all("link", rel="alternate", hreflang=True)
        }
        assert alternates == (stories[a["story"]] if len(stories[a["story"]]) > 1 else set())
    (seed,) = [a for a in articles if a["story"] == "kaziss-isis-mou" and a["language"] == "en"]
    shortlink = expected("kaziss")["aliases"]
    assert shortlink["/?p=9319"] == seed["path"]
    _, html = fetch_page(client, server, seed["path"])
    assert parse(html).find("link", rel="shortlink")["href"] == server.url("/?p=9319")


def test_shared_stories_span_languages_and_sites_within_two_days() -> None:
    stories: dict[str, list[tuple[str, dict]]] = {}
    for site in SITES:
        for a in expected(site)["articles"]:
            stories.setdefault(a["story"], []).append((site, a))
    sites_of = {label: {s for s, _ in items} for label, items in stories.items()}
    assert sites_of["kaziss-isis-mou"] == {"kaziss", "isis"}
    assert sites_of["kaziss-isrs-mou"] == {"kaziss", "sitemaponly"}
    assert sites_of["kaziss-css-tj-mou"] == {"kaziss", "plain"}
    assert len(stories["kaziss-isis-mou"]) == 5
    for label, items in stories.items():
        days = [dt.date.fromisoformat(a["published"]) for _, a in items if a["published"]]
        assert not days or max(days) - min(days) <= dt.timedelta(days=2), label
        assert len({a["agreement"] for _, a in items}) == 1, label


def test_isis_event_page_glues_labels_to_values(
    servers: dict[str, SiteServer], client: httpx.Client
) -> None:
    (path,) = expected("isis")["not_in_feed"]
    _, html = fetch_page(client, servers["isis"], path)
    details = parse(html).select_one("div.event-meta").get_text()
    assert "Date26 February 2026 (Thursday)" in details
    assert "VenueISIS Malaysia" in details
