"""A generated world of institute websites on loopback, for benchmarks of whole passes.

Usage: .venv/bin/python bench/world.py --serve [--sites 500] [--seed 1] [--port 8480]

N sites of three kinds (an RSS feed linked from the news page, a sitemap index named in
robots.txt, a plain paginated HTML listing) in English, Russian, Kazakh and Malay, 40 articles
each. Pages weigh 60-300 KB like real WordPress themes: mega menus, sidebars, footers, inline
styles and scripts around a few KB of article. Every page answers conditional requests (ETag
and Last-Modified, 304) and is gzip-compressed when asked. The fetcher keys politeness on the
host name, so each site gets its own loopback address (127.0.1.1, 127.0.1.2, ...: Linux routes
all of 127.0.0.0/8 to ``lo``) on one port, all served by ONE asyncio server in a child process
(so that serving does not steal the measured process's CPU).

Everything is generated from the seed, on request: nothing is kept but each site's article
count, which :meth:`World.mutate` raises to publish news. Article texts draw names, numbers,
dates and most content words from large generated pools, so that neither deduplication nor
story grouping merges two different articles.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import email.utils
import functools
import gzip
import multiprocessing
import multiprocessing.connection
import random
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

KINDS = ("rss", "sitemap", "html")
LANGUAGES = ("en", "ru", "kk", "ms")
HTML_LANG = {"en": "en-US", "ru": "ru-RU", "kk": "kk", "ms": "ms-MY"}
PER_PAGE = 10
#: The first article's date; each site publishes every two to four days after it.
EPOCH = dt.date(2025, 3, 3)

#: Real words of each language: what makes a page read as its language and flags fire.
COMMON = {
    "en": "the of and to in for with on that this by from as at is was are were will has have "
    "institute experts research strategic studies cooperation region regional policy development "
    "security economic international conference meeting report analysis participants discussed "
    "government ministry director agreement partners academic forum delegation country trade "
    "investment energy transport water digital education climate president program",
    "ru": "и в на с по для о что это как из к от за при также было были будет его их "
    "институт эксперты исследований стратегических сотрудничество региона политика развитие "
    "безопасность экономического международной конференция встреча доклад анализ участники "
    "обсудили правительство министерство директор соглашение партнеры форум делегация страны "
    "торговли инвестиции энергетики транспорта водных цифровой образования климата президента",
    "kk": "және мен бен үшін туралы осы бұл да де бойынша арқылы сондай ақ болды болады "
    "институты сарапшылар зерттеулер стратегиялық ынтымақтастық өңірлік саясат даму "
    "қауіпсіздік экономикалық халықаралық конференция кездесу баяндама талдау қатысушылар "
    "талқылады үкімет министрлігі директоры келісім серіктестер форум делегация елдер сауда "
    "инвестиция энергетика көлік су цифрлық білім климат президенті бағдарлама",
    "ms": "dan yang di untuk dengan pada ini itu oleh dari sebagai akan telah adalah juga "
    "institut pakar penyelidikan strategik kerjasama serantau dasar pembangunan keselamatan "
    "ekonomi antarabangsa persidangan mesyuarat laporan analisis peserta membincangkan "
    "kerajaan kementerian pengarah perjanjian rakan forum delegasi negara perdagangan "
    "pelaburan tenaga pengangkutan air digital pendidikan iklim presiden program",
}
#: A sentence that makes an article report an agreement (a few per hundred articles do).
AGREEMENT = {
    "en": "{a} and {b} signed a memorandum of understanding on cooperation in {topic}.",
    "ru": "{a} и {b} подписали меморандум о взаимопонимании и сотрудничестве в области {topic}.",
    "kk": "{a} мен {b} {topic} саласындағы ынтымақтастық туралы меморандумға қол қойды.",
    "ms": "{a} dan {b} menandatangani memorandum persefahaman mengenai kerjasama {topic}.",
}
COUNTRIES = {
    "en": ("Kazakhstan", "Malaysia", "Uzbekistan", "Indonesia", "Kyrgyzstan", "Singapore"),
    "ru": ("Казахстан", "Малайзия", "Узбекистан", "Индонезия", "Кыргызстан", "Сингапур"),
    "kk": ("Қазақстан", "Малайзия", "Өзбекстан", "Индонезия", "Қырғызстан", "Сингапур"),
    "ms": ("Kazakhstan", "Malaysia", "Uzbekistan", "Indonesia", "Kyrgyzstan", "Singapura"),
}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "kk": "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан",
    "ms": "Januari Februari Mac April Mei Jun Julai Ogos September Oktober November Disember",
}
NEWS = {"en": "News", "ru": "Новости", "kk": "Жаңалықтар", "ms": "Berita"}
LATIN_SYLLABLES = [
    "ka",
    "ren",
    "tor",
    "mi",
    "lan",
    "sa",
    "vel",
    "dor",
    "nu",
    "pe",
    "ri",
    "an",
    "ko",
    "bar",
    "zen",
    "tal",
    "mo",
    "ris",
    "ga",
    "hul",
    "per",
    "sin",
    "ta",
    "lo",
    "ve",
    "ber",
    "nok",
    "dal",
    "fi",
    "ma",
    "ser",
    "tun",
    "gor",
    "ha",
    "li",
    "em",
    "ur",
    "bo",
    "nam",
    "kes",
    "ol",
    "vin",
    "ja",
    "ru",
]
CYRILLIC_SYLLABLES = [
    "ка",
    "рен",
    "тор",
    "ми",
    "лан",
    "са",
    "вел",
    "дор",
    "ну",
    "пе",
    "ри",
    "ан",
    "ко",
    "бар",
    "зен",
    "тал",
    "мо",
    "рис",
    "га",
    "хул",
    "пер",
    "син",
    "та",
    "ло",
    "ве",
    "бер",
    "нок",
    "дал",
    "фи",
    "ма",
    "сер",
    "тун",
    "гор",
    "ха",
    "ли",
    "ем",
    "ур",
    "бо",
    "нам",
    "кес",
    "ол",
    "вин",
    "жа",
    "ру",
]
KAZAKH_SYLLABLES = (*CYRILLIC_SYLLABLES, *["қа", "ғы", "ұл", "өр", "ңа", "әл", "үй", "ік"])
#: Name syllables: Cyrillic names start with sounds Latin ones never have, so that stories do
#: not join an English and a Russian article over two unrelated people.
LATIN_NAME_SYLLABLES = tuple(s for s in LATIN_SYLLABLES if not s.startswith("j"))
NAME_SYLLABLES = {
    "en": LATIN_NAME_SYLLABLES,
    "ms": LATIN_NAME_SYLLABLES,
    "ru": ("жу", "шо", "ца", "чи", "жан", "шур", "цеп", "чок", "жош", "шеп", "чаж", "цуш"),
    "kk": ("жұ", "шө", "ца", "чі", "жан", "шұр", "цеп", "чоқ", "жош", "шеп", "чаж", "цуш"),
}
SYLLABLES = {
    "en": LATIN_SYLLABLES,
    "ms": LATIN_SYLLABLES,
    "ru": CYRILLIC_SYLLABLES,
    "kk": KAZAKH_SYLLABLES,
}


@dataclass(frozen=True)
class Site:
    """One generated institute website."""

    index: int
    address: str
    kind: str
    language: str
    name: str
    acronym: str
    #: How many bytes of theme (styles, scripts, menus) wrap each page.
    chrome_bytes: int
    #: The share of those bytes that is markup (menus, widgets): what parsing and extraction pay
    #: for, where inline styles and scripts are one text node each.
    markup: float = 0.22


@dataclass(frozen=True)
class PageProfile:
    """How heavy a world's pages are: their size (triangular) and how much of it is markup."""

    low: int
    high: int
    mode: int
    markup: float


#: ``heavy``: dense themes, trafilatura's extract ~10 ms a page on the 2-core machine (the
#: bench's pages since 2026-11). ``light``: the field's common WordPress/Drupal page, 80-300 KB
#: with most of its weight in inline styles and scripts, ~4-6 ms a page; there the pipeline's
#: own costs (listings, language, flags, stories, SQLite) are a larger share of the total.
PROFILES = {
    "heavy": PageProfile(55_000, 290_000, 100_000, 0.22),
    "light": PageProfile(80_000, 300_000, 130_000, 0.04),
}


@dataclass(frozen=True)
class Reply:
    """One HTTP answer, and what kind of resource was asked for (for the request counts)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    category: str


def address(index: int) -> str:
    """Site ``index`` lives at 127.0.1.1, 127.0.1.2, ... 127.0.1.250, 127.0.2.1, ..."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def http_date(day: dt.date) -> str:
    moment = dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=dt.UTC)
    return email.utils.format_datetime(moment, usegmt=True)


class World:
    """The sites, their articles (generated on demand) and the HTTP answers to every path."""

    def __init__(
        self,
        sites: int = 500,
        *,
        articles: int = 40,
        seed: int = 1,
        port: int = 8480,
        pages: str = "heavy",
    ) -> None:
        if not 1 <= sites <= 250 * 250:
            raise ValueError(f"--sites must be between 1 and 62500, not {sites}")
        self.seed = seed
        self.pages = pages
        self.profile = PROFILES[pages]
        self.port = port
        self.generation = 0
        self.sites = [self._make_site(i) for i in range(sites)]
        self.counts = [articles] * sites
        self.by_address = {site.address: site for site in self.sites}

    def _make_site(self, index: int) -> Site:
        rng = random.Random(f"{self.seed}:site:{index}")
        shape = self.profile
        language = LANGUAGES[index % len(LANGUAGES)]
        kind = KINDS[(index // len(LANGUAGES)) % len(KINDS)]
        words = [pseudo_word(rng, "en").capitalize() for _ in range(2)]
        name = f"Institute of {words[0]} and {words[1]} Studies"
        return Site(
            index=index,
            address=address(index),
            kind=kind,
            language=language,
            name=name,
            acronym="I" + words[0][0] + words[1][0] + "S" + str(index),
            chrome_bytes=int(rng.triangular(shape.low, shape.high, shape.mode)),
            markup=self.profile.markup,
        )

    # -- what a user configures -------------------------------------------------------------

    def base(self, site: Site) -> str:
        return f"http://{site.address}:{self.port}"

    def source_url(self, site: Site) -> str:
        return f"{self.base(site)}/{site.language}/news/"

    def sources_yaml(self, *, min_delay: float = 0) -> str:
        """A sources.yaml watching every site with ``kind: auto``, as a user would write it."""
        lines = [
            "countries: [KZ, MY]",
            f"min_delay: {min_delay}",
            "request_timeout: 60s",
            "sources:",
        ]
        for site in self.sites:
            lines += [
                f"  - name: site{site.index:04d}-{site.kind}-{site.language}",
                f"    url: {self.source_url(site)}",
                f"    language: {site.language}",
                "    max_articles: 200",
            ]
        return "\n".join(lines) + "\n"

    def mutate(self, fraction: float) -> list[int]:
        """Publish one new article on ``fraction`` of the sites (at least one); their indexes."""
        self.generation += 1
        rng = random.Random(f"{self.seed}:mutate:{self.generation}")
        k = max(1, round(fraction * len(self.sites)))
        chosen = sorted(rng.sample(range(len(self.sites)), k))
        for i in chosen:
            self.counts[i] += 1
        return chosen

    # -- articles --------------------------------------------------------------------------

    def published(self, site: Site, n: int) -> dt.date:
        rng = random.Random(f"{self.seed}:dates:{site.index}")
        day = EPOCH + dt.timedelta(days=rng.randrange(0, 30))
        for _ in range(n):
            day += dt.timedelta(days=rng.randrange(2, 5))
        return day

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one World per run, bounded
    def article(self, site_index: int, n: int) -> dict[str, Any]:
        """Title, URL path, date and paragraphs of article ``n`` (0 is the oldest) of a site."""
        site = self.sites[site_index]
        rng = random.Random(f"{self.seed}:article:{site.index}:{n}")
        lang = site.language
        pool = [pseudo_word(rng, lang) for _ in range(160)]  # this article's own content words
        names = [person_name(rng, lang) for _ in range(4)]
        # Function words, and a few of the field's terms: stories count shared terms as evidence.
        words = COMMON[lang].split()
        first_term = next(i for i, w in enumerate(words) if w.startswith(("instit", "инстит")))
        common = words[:first_term] + rng.sample(words[first_term:], 3)
        months = MONTHS[lang].split()
        topic = rng.choice(pool)
        title = " ".join([names[0], *(rng.choice(pool) for _ in range(rng.randrange(4, 8)))])
        paragraphs = []
        for p in range(rng.randrange(6, 14)):
            sentences = []
            for _ in range(rng.randrange(3, 6)):
                words = [
                    rng.choice(pool) if rng.random() < 0.55 else rng.choice(common)
                    for _ in range(rng.randrange(10, 22))
                ]
                if rng.random() < 0.3:
                    words.insert(rng.randrange(len(words)), rng.choice(names))
                if rng.random() < 0.2:
                    figure = f"{rng.randrange(100, 99999)}{rng.choice(['', ',5', '.2'])}"
                    words.insert(rng.randrange(len(words)), figure)
                if rng.random() < 0.03:
                    when = f"{rng.randrange(1, 29)} {rng.choice(months)}"
                    words.insert(rng.randrange(len(words)), when)
                sentences.append(" ".join(words).capitalize() + ".")
            if p == 1 and rng.random() < 0.04:
                other = rng.choice(COUNTRIES[lang])
                deal = AGREEMENT[lang].format(a=site.acronym, b=names[1] + " " + other, topic=topic)
                sentences.insert(0, deal)
            paragraphs.append(" ".join(sentences))
        day = self.published(site, n)
        slug = "-".join([*(_latin(w) for w in title.split()[:5]), str(n + 1)])
        path = f"/{lang}/news/{day.year}/{day.month:02d}/{slug}/"
        return {"title": title, "path": path, "date": day, "paragraphs": paragraphs}

    def article_urls(self, limit: int | None = None) -> list[tuple[Site, int]]:
        """(site, n) of every article, spread over the sites, at most ``limit``."""
        out = [
            (s, n) for n in range(max(self.counts)) for s in self.sites if n < self.counts[s.index]
        ]
        return out[:limit] if limit else out

    # -- pages -----------------------------------------------------------------------------

    def article_page(self, site: Site, n: int) -> str:
        art = self.article(site.index, n)
        url = self.base(site) + art["path"]
        day: dt.date = art["date"]
        body = "\n".join(f"<p>{p}</p>" for p in art["paragraphs"])
        main = (
            f'<article id="post-{1000 + n}" class="post type-post status-publish hentry">'
            f'<header class="entry-header"><h1 class="entry-title">{art["title"]}</h1>'
            f'<div class="entry-meta"><time class="entry-date published" '
            f'datetime="{day.isoformat()}T09:30:00+05:00">{day:%d.%m.%Y}</time> '
            f'<span class="byline"><a href="/author/editor/">editor</a></span></div></header>'
            f'<div class="entry-content">{body}</div>'
            f'<footer class="entry-footer"><span class="cat-links"><a href="/{site.language}/'
            f'category/news/" rel="category tag">{NEWS[site.language]}</a></span></footer>'
            f"</article>"
        )
        head = (
            f'<link rel="canonical" href="{url}">'
            f'<meta property="og:title" content="{art["title"]}">'
            f'<meta property="og:url" content="{url}">'
            f'<meta property="article:published_time" content="{day.isoformat()}T09:30:00+05:00">'
        )
        return self._page(site, f"{art['title']} – {site.name}", head, main, "single-post")

    def listing_page(self, site: Site, page: int) -> str:
        count = self.counts[site.index]
        newest = count - 1 - (page - 1) * PER_PAGE
        cards = []
        for n in range(newest, max(-1, newest - PER_PAGE), -1):
            art = self.article(site.index, n)
            first = art["paragraphs"][0][:220].rsplit(" ", 1)[0]
            cards.append(
                f'<article id="post-{1000 + n}" class="post-card post type-post">'
                f'<div class="entry-meta"><span class="posted-on">{art["date"]:%d.%m.%Y}</span>'
                f'</div><h2 class="entry-title"><a href="{art["path"]}" rel="bookmark">'
                f'{art["title"]}</a></h2><div class="entry-summary"><p>{first} […]</p></div>'
                f'<a class="more-link" href="{art["path"]}">Read more</a></article>'
            )
        pages = (count + PER_PAGE - 1) // PER_PAGE
        prefix = f"/{site.language}/news/"
        numbers = "".join(
            f'<a class="page-numbers" href="{prefix}page/{p}/">{p}</a>'
            if p != page
            else f'<span aria-current="page" class="page-numbers current">{p}</span>'
            for p in range(1, pages + 1)
        )
        if page < pages:
            numbers += f'<a class="next page-numbers" href="{prefix}page/{page + 1}/">Next »</a>'
        main = (
            f'<h1 class="page-title">{NEWS[site.language]}</h1>{"".join(cards)}'
            f'<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">'
            f"{numbers}</div></nav>"
        )
        head = ""
        if site.kind == "rss":
            head = (
                f'<link rel="alternate" type="application/rss+xml" title="{site.name}" '
                f'href="{self.base(site)}/{site.language}/feed/">'
            )
        if page > 1:
            head += f'<link rel="prev" href="{prefix}page/{page - 1}/">'
        return self._page(site, f"{NEWS[site.language]} – {site.name}", head, main, "blog")

    def _page(self, site: Site, title: str, head: str, main: str, body_class: str) -> str:
        css, js, header, footer = _chrome(self.seed, site)
        return (
            f'<!DOCTYPE html>\n<html lang="{HTML_LANG[site.language]}">\n<head>\n'
            f'<meta charset="UTF-8">\n<meta name="viewport" content="width=device-width">\n'
            f'<title>{title}</title>\n{head}\n<style id="theme-inline-css">{css}</style>\n'
            f"<script>{js[: len(js) // 2]}</script>\n</head>\n"
            f'<body class="{body_class} wp-theme-institute">\n<div id="page" class="site">\n'
            f'{header}\n<div id="content" class="site-content">\n<main id="main" '
            f'class="site-main">\n{main}\n</main>\n{self._sidebar(site)}\n</div>\n{footer}\n'
            f"</div>\n<script>{js[len(js) // 2 :]}</script>\n</body>\n</html>\n"
        )

    def _sidebar(self, site: Site) -> str:
        count = self.counts[site.index]
        recent = "".join(
            f'<li><a href="{self.article(site.index, n)["path"]}">'
            f"{self.article(site.index, n)['title']}</a></li>"
            for n in range(count - 1, max(-1, count - 6), -1)
        )
        return (
            '<aside id="secondary" class="widget-area"><section class="widget '
            'widget_recent_entries"><h2 class="widget-title">Recent</h2>'
            f"<ul>{recent}</ul></section>{_archives(self.seed, site)}</aside>"
        )

    def feed(self, site: Site) -> str:
        count = self.counts[site.index]
        items = []
        for n in range(count - 1, -1, -1):
            art = self.article(site.index, n)
            link = self.base(site) + art["path"]
            summary = art["paragraphs"][0][:300]
            items.append(
                f"<item><title>{art['title']}</title><link>{link}</link>"
                f'<guid isPermaLink="false">{self.base(site)}/?p={1000 + n}</guid>'
                f"<pubDate>{http_date(art['date'])}</pubDate>"
                f"<description><![CDATA[{summary} […]]]></description></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{site.name}</title><link>{self.source_url(site)}</link>"
            f"<language>{HTML_LANG[site.language]}</language>{''.join(items)}</channel></rss>\n"
        )

    def sitemap_index(self, site: Site) -> str:
        newest = self.published(site, self.counts[site.index] - 1)
        children = "".join(
            f"<sitemap><loc>{self.base(site)}/{name}</loc><lastmod>{newest}</lastmod></sitemap>"
            for name in ("post-sitemap.xml", "page-sitemap.xml", "category-sitemap.xml")
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>\n'
        )

    def post_sitemap(self, site: Site) -> str:
        urls = "".join(
            f"<url><loc>{self.base(site)}{self.article(site.index, n)['path']}</loc>"
            f"<lastmod>{self.article(site.index, n)['date']}</lastmod></url>"
            for n in range(self.counts[site.index])
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        )

    def robots(self, site: Site) -> str:
        text = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
        if site.kind == "sitemap":
            text += f"\nSitemap: {self.base(site)}/sitemap_index.xml\n"
        return text

    # -- HTTP ------------------------------------------------------------------------------

    def respond(self, site: Site, path: str, headers: dict[str, str]) -> Reply:
        """The answer to GET ``path`` on ``site`` (headers lower-cased)."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        count = self.counts[site.index]
        lang = site.language
        news = f"/{lang}/news/"
        newest = self.published(site, count - 1)
        if path == "/robots.txt":
            return _ok(self.robots(site), "text/plain; charset=utf-8", "robots", None, None)
        if path == news:
            return self._conditional(
                headers, "endpoint", f"list-{count}", newest,
                lambda: (self.listing_page(site, 1), "text/html; charset=UTF-8"),
            )  # fmt: skip
        if path.startswith(news + "page/"):
            page = path[len(news) + 5 :].strip("/")
            if page.isdigit() and 1 <= int(page) <= (count + PER_PAGE - 1) // PER_PAGE:
                return self._conditional(
                    headers, "listing-page", f"list-{count}-{page}", newest,
                    lambda: (self.listing_page(site, int(page)), "text/html; charset=UTF-8"),
                )  # fmt: skip
        if site.kind == "rss" and path == f"/{lang}/feed/":
            return self._conditional(
                headers, "endpoint", f"feed-{count}", newest,
                lambda: (self.feed(site), "application/rss+xml; charset=UTF-8"),
            )  # fmt: skip
        if site.kind == "sitemap" and path == "/sitemap_index.xml":
            return self._conditional(
                headers, "endpoint", f"index-{count}", newest,
                lambda: (self.sitemap_index(site), "application/xml; charset=UTF-8"),
            )  # fmt: skip
        if site.kind == "sitemap" and path == "/post-sitemap.xml":
            return self._conditional(
                headers, "endpoint", f"posts-{count}", newest,
                lambda: (self.post_sitemap(site), "application/xml; charset=UTF-8"),
            )  # fmt: skip
        n = self._article_number(site, path)
        if n is not None:
            day = self.article(site.index, n)["date"]
            return self._conditional(
                headers, "article", f"a{n}", day,
                lambda: (self.article_page(site, n), "text/html; charset=UTF-8"),
            )  # fmt: skip
        return _ok(
            "<html><body><h1>Not Found</h1></body></html>", "text/html", "missing", None, None, 404
        )

    def _article_number(self, site: Site, path: str) -> int | None:
        """Which article a path names (the slug ends with the article's number)."""
        if not path.startswith(f"/{site.language}/news/20"):
            return None
        last = path.rstrip("/").rsplit("-", 1)[-1]
        if not last.isdigit() or not 1 <= int(last) <= self.counts[site.index]:
            return None
        n = int(last) - 1
        return n if self.article(site.index, n)["path"] == path else None

    def _conditional(
        self, headers: dict[str, str], category: str, tag: str, modified: dt.date, make: Any
    ) -> Reply:
        etag = f'"{self.seed}-{tag}"'
        last_modified = http_date(modified)
        if headers.get("if-none-match") == etag or (
            "if-none-match" not in headers and headers.get("if-modified-since") == last_modified
        ):
            meta = (("ETag", etag), ("Last-Modified", last_modified))
            return Reply(304, meta, b"", category)
        text, ctype = make()
        return _ok(text, ctype, category, etag, last_modified)


def _ok(
    text: str, ctype: str, category: str, etag: str | None, modified: str | None, status: int = 200
) -> Reply:
    headers = [("Content-Type", ctype)]
    if etag:
        headers.append(("ETag", etag))
    if modified:
        headers.append(("Last-Modified", modified))
    return Reply(status, tuple(headers), text.encode("utf-8"), category)


def pseudo_word(rng: random.Random, lang: str) -> str:
    """A made-up content word: a large pool keeps two articles' vocabularies apart."""
    return "".join(rng.choice(SYLLABLES[lang]) for _ in range(rng.randrange(2, 5)))


def person_name(rng: random.Random, lang: str) -> str:
    """A made-up surname; Cyrillic and Latin ones never share a phonetic key (see stories)."""
    surname = "".join(
        rng.choice(NAME_SYLLABLES[lang]) for _ in range(rng.randrange(2, 4))
    ).capitalize()
    endings = {"en": "ov", "ms": "din", "ru": "ов", "kk": "ұлы"}
    return surname + endings[lang] if rng.random() < 0.5 else surname


_TRANSLIT = str.maketrans(
    dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщыэюяәғқңөұүһі",
            "abvgdeejziiklmnoprstufhccssyeuaagqnouuhi",
            strict=True,
        )
    )
)


def _latin(word: str) -> str:
    """A WordPress-like transliterated slug word."""
    return "".join(c for c in word.lower().translate(_TRANSLIT) if c.isascii() and c.isalnum())


@functools.lru_cache(maxsize=128)
def _chrome(seed: int, site: Site) -> tuple[str, str, str, str]:
    """A site's theme: inline CSS, inline scripts, header with mega menu, footer."""
    rng = random.Random(f"{seed}:chrome:{site.index}")
    lang = site.language
    items = []
    for i in range(rng.randrange(8, 14)):
        sub = "".join(
            f'<li class="menu-item"><a href="/{lang}/category/{pseudo_word(rng, "en")}-{i}-{j}/">'
            f"{pseudo_word(rng, lang).capitalize()}</a></li>"
            for j in range(rng.randrange(4, 12))
        )
        items.append(
            f'<li class="menu-item menu-item-has-children"><a href="/{lang}/section-{i}/">'
            f'{pseudo_word(rng, lang).capitalize()}</a><ul class="sub-menu">{sub}</ul></li>'
        )
    switch = "".join(
        f'<li class="lang-item"><a lang="{other}" hreflang="{other}" href="/{other}/">'
        f"{other.upper()}</a></li>"
        for other in LANGUAGES
    )
    header = (
        '<header id="masthead" class="site-header"><div class="site-branding">'
        f'<a href="/{lang}/" class="custom-logo-link" rel="home">{site.acronym}</a>'
        f'<p class="site-title">{site.name}</p></div><nav id="site-navigation" '
        f'class="main-navigation"><ul id="primary-menu" class="menu">{"".join(items)}</ul></nav>'
        f'<ul class="lang-switcher">{switch}</ul></header>'
    )
    social = "".join(
        f'<li><a href="https://{net}.com/{site.acronym.lower()}" rel="noopener">{net}</a></li>'
        for net in ("facebook", "twitter", "youtube", "telegram", "instagram", "linkedin")
    )
    footer = (
        '<footer id="colophon" class="site-footer"><div class="footer-widgets">'
        f"<p>{site.name}</p><p>{rng.randrange(1, 99)} {pseudo_word(rng, 'en').title()} street, "
        f'{rng.randrange(10000, 99999)}</p><ul class="social">{social}</ul></div>'
        f'<div class="site-info">© 1993–2025 {site.acronym}. '
        f'<a href="/{lang}/privacy-policy/">Privacy</a></div></footer>'
    )
    # Real themes carry about 8 elements per KB: most of the weight is markup, not text.
    budget = max(0, site.chrome_bytes - len(header) - len(footer) - 4000)
    # the markup share in menus as 12 : 6 : 4, the rest in styles and scripts as 35 : 43
    mega = _mega_menu(rng, lang, int(budget * site.markup * 12 / 22))
    mobile = _mega_menu(rng, lang, int(budget * site.markup * 6 / 22))
    columns = _mega_menu(rng, lang, int(budget * site.markup * 4 / 22))
    rest = (1.0 - site.markup) / 0.78
    header = header.replace("</nav>", f'<div class="mega-menu">{mega}</div></nav>').replace(
        "</header>", f'</header><div id="mobile-menu" class="mobile-navigation">{mobile}</div>'
    )
    footer = footer.replace(
        '<div class="site-info">',
        f'<div class="footer-columns">{columns}</div><div class="site-info">',
    )
    css_parts, size = [], 0
    while size < budget * 0.35 * rest:
        rule = (
            f".wp-block-{pseudo_word(rng, 'en')}-{rng.randrange(999)} .has-{pseudo_word(rng, 'en')}"
            f"{{margin:{rng.randrange(40)}px auto;padding:{rng.randrange(30)}px "
            f"{rng.randrange(30)}px;color:#{rng.randrange(0xFFFFFF):06x};"
            f"font-size:{rng.randrange(10, 40)}px;line-height:1.{rng.randrange(9)}}}"
        )
        css_parts.append(rule)
        size += len(rule)
    js_parts, size = [], 0
    while size < budget * 0.43 * rest:
        key = pseudo_word(rng, "en")
        stmt = (
            f'var {key}_{rng.randrange(999)}={{"ajaxurl":"\\/wp-admin\\/admin-ajax.php",'
            f'"nonce":"{rng.getrandbits(40):x}","i18n":{{"{key}":"{pseudo_word(rng, lang)}"}},'
            f'"items":[{",".join(str(rng.randrange(9999)) for _ in range(12))}]}};'
            f"!function(e,t){{e.{key}=t(e.jQuery||e.$,{rng.randrange(99)})}}(window,"
            f"function(n,o){{return n&&n.fn?n.fn.{key}=o:0}});\n"
        )
        js_parts.append(stmt)
        size += len(stmt)
    return "\n".join(css_parts), "".join(js_parts), header, footer


def _mega_menu(rng: random.Random, lang: str, size: int) -> str:
    """Columns of icon links in nested wrappers, as mega menus and footers have, ``size`` bytes."""
    parts: list[str] = []
    total = 0
    while total < size:
        links = "".join(
            f'<li class="menu-item"><a href="/{lang}/category/{pseudo_word(rng, "en")}/">'
            f'<span class="icon"><svg viewBox="0 0 24 24"><path d="M{rng.randrange(24)} '
            f'{rng.randrange(24)}h4v4z"/></svg></span><span class="label">'
            f"{pseudo_word(rng, lang).capitalize()}</span></a></li>"
            for _ in range(rng.randrange(4, 9))
        )
        block = (
            f'<div class="mega-col"><div class="mega-inner"><h4 class="mega-title"><span>'
            f'{pseudo_word(rng, lang).capitalize()}</span></h4><ul class="sub-menu">{links}</ul>'
            "</div></div>"
        )
        parts.append(block)
        total += len(block)
    return "".join(parts)


@functools.lru_cache(maxsize=128)
def _archives(seed: int, site: Site) -> str:
    rng = random.Random(f"{seed}:archives:{site.index}")
    months = "".join(
        f'<li><a href="/{site.language}/{2025 - m // 12}/{12 - m % 12:02d}/">'
        f"{MONTHS[site.language].split()[11 - m % 12]} {2025 - m // 12}</a></li>"
        for m in range(24)
    )
    tags = " ".join(
        f'<a href="/{site.language}/tag/{pseudo_word(rng, "en")}/" class="tag-cloud-link">'
        f"{pseudo_word(rng, site.language)}</a>"
        for _ in range(30)
    )
    return (
        '<section class="widget widget_archive"><h2 class="widget-title">Archives</h2>'
        f'<ul>{months}</ul></section><section class="widget widget_tag_cloud">'
        f'<div class="tagcloud">{tags}</div></section>'
    )


# -- the server ------------------------------------------------------------------------------


def _render_articles(args: tuple[World, list[int]]) -> list[tuple[tuple[int, str, int], Reply]]:
    """In a helper process: the 200 answer to every article of some sites, body compressed."""
    world, indexes = args
    out = []
    for i in indexes:
        site = world.sites[i]
        for n in range(world.counts[i]):
            path = world.article(i, n)["path"]
            reply = world.respond(site, path, {})
            body = gzip.compress(reply.body, compresslevel=5, mtime=0)
            out.append(((i, path, world.counts[i]), dataclasses.replace(reply, body=body)))
    return out


class Server:
    """ONE asyncio HTTP/1.1 server (keep-alive, gzip) listening on every site's address."""

    def __init__(self, world: World, *, compress: bool = True) -> None:
        self.world = world
        self.compress = compress
        self.counts: Counter[tuple[str, int]] = Counter()
        self.conditional = Counter[str]()
        self.bytes_sent = 0
        #: (site index, path, article count) -> an article's 200 answer, its body compressed
        self.rendered: dict[tuple[int, str, int], Reply] = {}

    def prerender(self, processes: int | None = None) -> None:
        """Render and compress every article page now, as a site's page cache would.

        Why: this server shares the measured machine's two cores, and rendering a 150 KB page
        from the seed and compressing it cost it ~4 ms per article, on the cores the pipeline
        is measured on. A real institute's server is elsewhere and costs the poller nothing.
        Pages rendered now are served from memory (~40 KB each); answers the cache cannot give
        (conditional or uncompressed requests, listings, feeds, articles published later) are
        still rendered on request.
        """
        chunks = [
            (self.world, list(range(k, len(self.world.sites), 64)))
            for k in range(min(64, len(self.world.sites)))
        ]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for part in pool.imap_unordered(_render_articles, chunks):
                self.rendered.update(part)

    async def start(self) -> asyncio.Server:
        hosts = [site.address for site in self.world.sites]
        return await asyncio.start_server(self._client, hosts, self.world.port, backlog=256)

    def stats(self) -> dict[str, Any]:
        return {
            "requests": sum(self.counts.values()),
            "by": {f"{c}:{s}": n for (c, s), n in sorted(self.counts.items())},
            "conditional": dict(self.conditional),
            "bytes": self.bytes_sent,
        }

    def reset(self) -> None:
        self.counts.clear()
        self.conditional.clear()
        self.bytes_sent = 0

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        site = self.world.by_address[writer.get_extra_info("sockname")[0]]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                writer.write(self._answer(site, method, target, headers))
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    def _answer(self, site: Site, method: str, target: str, headers: dict[str, str]) -> bytes:
        gzipped = self.compress and "gzip" in headers.get("accept-encoding", "")
        conditional = "if-none-match" in headers or "if-modified-since" in headers
        cached = None
        if gzipped and not conditional and self.rendered:
            cached = self.rendered.get((site.index, target, self.world.counts[site.index]))
        reply = cached or self.world.respond(site, target, headers)
        self.counts[reply.category, reply.status] += 1
        if conditional:
            self.conditional[reply.category] += 1
        body = reply.body
        extra = []
        if gzipped and body:
            if cached is None:
                body = gzip.compress(body, compresslevel=5, mtime=0)
            extra.append("Content-Encoding: gzip")
        self.bytes_sent += len(body)
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[reply.status]
        lines = [f"HTTP/1.1 {reply.status} {reason}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in reply.headers] + extra
        if method == "HEAD":
            body = b""
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _serve_child(
    world: World,
    conn: multiprocessing.connection.Connection,
    parent_end: multiprocessing.connection.Connection,
    compress: bool,
    prerender: bool,
) -> None:
    """The child process: serve until told to stop; answer control messages on the pipe."""
    parent_end.close()  # so that the pipe reads EOF here once the bench is gone

    server = Server(world, compress=compress)
    if prerender and compress:
        server.prerender()

    async def main() -> None:
        listener = await server.start()
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        def on_control() -> None:
            try:
                command, arg = conn.recv()
            except EOFError:  # the bench is gone: stop rather than serve for nobody
                command, arg = "stop", None
            if command == "mutate":
                conn.send(world.mutate(arg))
            elif command == "stats":
                conn.send(server.stats())
            elif command == "reset":
                server.reset()
                conn.send(None)
            elif command == "stop":
                loop.remove_reader(conn.fileno())
                done.set_result(None)

        loop.add_reader(conn.fileno(), on_control)
        conn.send("ready")
        await done
        listener.close()

    asyncio.run(main())
    with contextlib.suppress(OSError):
        conn.send("stopped")


class WorldProcess:
    """The world served from a child process; ``with WorldProcess(world) as served: ...``."""

    def __init__(self, world: World, *, compress: bool = True, prerender: bool = True) -> None:
        self.world = world
        self._conn, child = multiprocessing.get_context("fork").Pipe()
        # Not a daemon: pre-rendering needs a pool of its own. The child stops when the pipe
        # closes, so it does not outlive the bench either way.
        self._process = multiprocessing.get_context("fork").Process(
            target=_serve_child, args=(world, child, self._conn, compress, prerender)
        )
        self._child_end = child
        self._compress = compress

    def __enter__(self) -> WorldProcess:
        self._process.start()
        self._child_end.close()
        if not self._conn.poll(900) or self._conn.recv() != "ready":
            raise RuntimeError("the world server did not start within 15 minutes")
        return self

    def __exit__(self, *exc: object) -> None:
        self._ask("stop", None)
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()

    def _ask(self, command: str, arg: object) -> Any:
        self._conn.send((command, arg))
        return self._conn.recv()

    def mutate(self, fraction: float) -> list[int]:
        """Publish one article on ``fraction`` of the sites, in the server and in ``world``."""
        chosen = self._ask("mutate", fraction)
        local = self.world.mutate(fraction)
        assert local == chosen, "the served world and its copy disagree"
        return chosen

    @property
    def pid(self) -> int | None:
        """The server process (left out of the measured process tree)."""
        return self._process.pid

    def stats(self) -> dict[str, Any]:
        """Requests counted since the last reset: by category and status, conditional ones."""
        return self._ask("stats", None)

    def reset(self) -> None:
        self._ask("reset", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--articles", type=int, default=40, help="articles per site")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8480)
    parser.add_argument("--no-gzip", action="store_true")
    parser.add_argument("--pages", choices=sorted(PROFILES), default="heavy")
    args = parser.parse_args(argv)
    world = World(
        args.sites, articles=args.articles, seed=args.seed, port=args.port, pages=args.pages
    )
    print(world.sources_yaml(), end="", flush=True)
    if not args.serve:
        return 0

    async def serve() -> None:
        listener = await Server(world, compress=not args.no_gzip).start()
        print(f"# serving {len(world.sites)} sites on port {args.port}", file=sys.stderr)
        async with listener:
            await listener.serve_forever()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
