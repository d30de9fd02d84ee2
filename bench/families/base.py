"""What the families share: boilerplate blocks, feeds, sitemaps, robots.txt, a listing pager.

A family is a class with a name, a split (``heldout``), the languages and archive size of its
k-th site, the URL shapes (``news_path``, ``article_path``, ``listing_path``) and ``render``,
which returns every page of one site plus the non-article pages it links (their truth).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random

from . import content as C
from .world import PER_PAGE, Item, Page, Site, World

esc = html.escape


def iso(day: dt.date, hour: int = 10) -> str:
    return f"{day.isoformat()}T{hour:02d}:{day.day % 60:02d}:00+05:00"


def rfc822(day: dt.date) -> str:
    import email.utils

    moment = dt.datetime(day.year, day.month, day.day, 5, 0, tzinfo=dt.UTC)
    return email.utils.format_datetime(moment)


def dotted(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def long_date(day: dt.date, lang: str) -> str:
    month = C.MONTHS[lang][day.month - 1]
    if lang == "kk":
        return f"{day.year} ж. {day.day} {month}"
    return f"{day.day} {month} {day.year}"


def paras_html(item: Item) -> str:
    return "\n".join(f"<p>{esc(p)}</p>" for p in item.paras)


def cookie_banner(lang: str, cls: str = "cookie-notice") -> str:
    return f'<div class="{cls}" id="cookie-law-info-bar"><span>{esc(C.COOKIE[lang])}</span></div>'


def menu_href(site: Site, lang: str, n: int) -> str:
    """The n-th page a menu links: the site's own pages (about, contacts, experts, tags, news)."""
    paths = site.menu.get(lang) or ["/"]
    return paths[n % len(paths)]


def mega_menu(site: Site, lang: str, base: str, cls: str = "menu") -> str:
    rng = random.Random(f"menu:{site.index}:{lang}")
    labels = C.MENU[lang]
    sub = [t[lang] for t in C.TOPICS]
    out = [f'<nav class="{cls}-main"><ul class="{cls}">']
    for n, label in enumerate(labels):
        items = "".join(
            f'<li><a href="{base}{menu_href(site, lang, n + k)}">{esc(sub[(n + k) % len(sub)].capitalize())}</a></li>'
            for k in range(rng.randrange(3, 7))
        )
        out.append(
            f'<li class="{cls}-item"><a href="{base}{menu_href(site, lang, n)}">{esc(label)}</a><ul class="sub-{cls}">{items}</ul></li>'
        )
    out.append("</ul></nav>")
    return "".join(out)


def footer(site: Site, lang: str, cls: str = "site-footer") -> str:
    rng = random.Random(f"footer:{site.index}")
    org = site.orgs[lang]
    street = {"en": "12 Beibitshilik street", "ru": "ул. Бейбитшилик, 12",
              "kk": "Бейбітшілік к-сі, 12", "ms": "Jalan Tun Razak 1"}[lang]  # fmt: skip
    phone = f"{rng.randrange(200, 999)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}"
    return (
        f'<footer class="{cls}"><div class="footer-col"><h4>{esc(org)}</h4>'
        f"<p>{esc(street)}</p><p>Tel.: +7 (7172) {phone}, Fax: +7 (7172) {phone[:-2]}00</p>"
        f"<p>E-mail: info@{site.host}</p></div>"
        f'<div class="footer-col"><p>© 2009–2026 {esc(org)}. All rights reserved.</p></div></footer>'
    )


def popular(site: Site, lang: str, count: int = 4, cls: str = "widget") -> str:
    """A sidebar of other headlines: text that must not become an article's title."""
    items = site.items.get(lang, [])[:count]
    links = "".join(f'<li><a href="{it.path}">{esc(it.title)}</a></li>' for it in items)
    return f'<aside class="{cls}"><h3 class="widget-title">{esc(C.NEWS_WORD[lang])}</h3><ul>{links}</ul></aside>'


def chunks(items: list[Item], size: int = PER_PAGE) -> list[list[Item]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def rss(world: World, site: Site, lang: str, items: list[Item], title: str) -> Page:
    base = world.base(site)
    entries = "".join(
        f"<item><title>{esc(it.title)}</title><link>{base}{it.path}</link>"
        f'<guid isPermaLink="false">{base}/?p={it.num}</guid><pubDate>{rfc822(it.day)}</pubDate>'
        f"<description>{esc(it.paras[0])}</description></item>"
        for it in items
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{esc(title)}</title><link>{base}/</link><language>{lang}</language>{entries}</channel></rss>"
    )
    return Page(body, "application/rss+xml; charset=UTF-8", modified=newest(items))


def atom(world: World, site: Site, lang: str, items: list[Item], title: str) -> Page:
    base = world.base(site)
    entries = "".join(
        f'<entry><title>{esc(it.title)}</title><link href="{base}{it.path}"/>'
        f"<id>{base}{it.path}</id><updated>{iso(it.day)}</updated><published>{iso(it.day)}</published>"
        f"<summary>{esc(it.paras[0])}</summary></entry>"
        for it in items
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{esc(title)}</title><link href="{base}/"/><id>{base}/</id>'
        f"<updated>{iso(newest(items) or world.today)}</updated>{entries}</feed>"
    )
    return Page(body, "application/atom+xml; charset=utf-8", modified=newest(items))


def sitemap(world: World, site: Site, paths: list[tuple[str, dt.date | None]]) -> Page:
    base = world.base(site)
    urls = "".join(
        f"<url><loc>{base}{p}</loc>"
        + (f"<lastmod>{d.isoformat()}</lastmod>" if d else "")
        + "</url>"
        for p, d in paths
    )
    body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    return Page(body, "application/xml; charset=UTF-8")


def robots(world: World, site: Site, sitemaps: list[str]) -> Page:
    lines = ["User-agent: *", "Disallow: /wp-admin/", "Disallow: /search/"]
    lines += [f"Sitemap: {world.base(site)}{s}" for s in sitemaps]
    return Page("\n".join(lines) + "\n", "text/plain; charset=utf-8")


def newest(items: list[Item]) -> dt.date | None:
    return max((it.day for it in items), default=None)


def json_ld(item: Item, base: str, org: str) -> str:
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": item.title,
        "datePublished": iso(item.day), "inLanguage": item.lang,
        "publisher": {"@type": "Organization", "name": org}, "mainEntityOfPage": base + item.path,
    }  # fmt: skip
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


class Family:
    """Defaults shared by every family; each overrides what its sites do differently."""

    name = "family"
    heldout = False
    traits = ""

    def languages(self, k: int) -> list[str]:
        return [("en", "ru", "kk", "ms")[k % 4]]

    def archive(self, k: int) -> int:
        return 12 + k % 3

    def news_path(self, site: Site, lang: str) -> str:
        return f"/{lang}/news/" if len(site.langs) > 1 else "/news/"

    def listing_path(self, site: Site, lang: str, page: int) -> str:
        return self.news_path(site, lang) + (f"page/{page}/" if page > 1 else "")

    def article_path(self, site: Site, item: Item) -> str:
        return f"/{item.day:%Y/%m/%d}/{item.slug}/"

    def extras(self, world: World, site: Site, lang: str) -> dict[str, tuple[str, str, str]]:
        """Non-article pages: path -> (headline, body text, language)."""
        rng = random.Random(f"extras:{site.index}:{lang}")
        org = site.orgs[lang]
        prefix = f"/{lang}" if len(site.langs) > 1 else ""
        about_t, about = C.ABOUT[lang]
        contact_t, contact = C.CONTACT[lang]
        fill = {"org": org, "founded": str(1993 + site.index % 20), "staff": str(20 + site.index),
                "street": "Beibitshilik 12", "city_en": "Astana", "phone": f"{rng.randrange(200, 999)}-14-{rng.randrange(10, 99)}",
                "host": site.host}  # fmt: skip
        out = {
            f"{prefix}/about/": (about_t, about.format(**fill), lang),
            f"{prefix}/contacts/": (contact_t, contact.format(**fill), lang),
        }
        for n in range(2):
            p = C.person(rng)
            who = C.name(p, lang)
            text = C.PROFILE[lang].format(person=who, org=org, topic=C.TOPICS[rng.randrange(len(C.TOPICS))][lang],
                                          figure=rng.randrange(20, 90), mail=f"expert{n}@{site.host}")  # fmt: skip
            out[f"{prefix}/experts/{self.profile_slug(who)}/"] = (who, text, lang)
        topic = C.TOPICS[site.index % len(C.TOPICS)][lang]
        out[f"{prefix}/tag/{self.profile_slug(topic)}/"] = (topic.capitalize(), "", lang)
        return out

    @staticmethod
    def profile_slug(text: str) -> str:
        from .world import slugify

        return slugify(text, 3)

    def render(
        self, world: World, site: Site
    ) -> tuple[dict[str, Page], dict[str, tuple[str, str]]]:
        raise NotImplementedError


class Standard(Family):
    """The render loop most families share: listing pages, articles, extra pages, feeds."""

    feed_items = 20

    def render(
        self, world: World, site: Site
    ) -> tuple[dict[str, Page], dict[str, tuple[str, str]]]:
        pages: dict[str, Page] = {}
        truth: dict[str, tuple[str, str]] = {}
        self.world = world
        for lang in site.langs:
            items = site.items.get(lang, [])
            extras = self.extras(world, site, lang)
            site.menu[lang] = [*extras, self.news_path(site, lang)]
            for path, (title, text, xlang) in extras.items():
                pages[path] = self.extra_page(site, lang, path, title, text)
                truth[path] = (title, xlang)
            for item in items:
                pages[item.path] = self.article_page(site, item)
            parts = chunks(items)
            for n, part in enumerate(parts, 1):
                pages[self.listing_path(site, lang, n)] = self.listing_page(
                    site, lang, part, n, len(parts)
                )
            self.more(site, lang, items, extras, pages)
        pages.setdefault("/robots.txt", robots(world, site, self.sitemaps(site)))
        first = site.langs[0]  # the home page: the latest news, as most institutes' are
        pages.setdefault("/", self.listing_page(site, first, site.items.get(first, [])[:5], 1, 1))
        return pages, truth

    def sitemaps(self, site: Site) -> list[str]:
        return []

    def more(
        self, site: Site, lang: str, items: list[Item], extras: dict, pages: dict[str, Page]
    ) -> None:
        """Feeds and sitemaps, where the family has them."""

    def article_page(self, site: Site, item: Item) -> Page:
        raise NotImplementedError

    def listing_page(self, site: Site, lang: str, items: list[Item], n: int, total: int) -> Page:
        raise NotImplementedError

    def extra_page(self, site: Site, lang: str, path: str, title: str, text: str) -> Page:
        raise NotImplementedError

    def tag_items(self, site: Site, lang: str) -> list[Item]:
        return site.items.get(lang, [])[2:7]

    def page(self, body: str, site: Site, modified: dt.date | None = None) -> Page:
        return Page(body, "text/html; charset=UTF-8", modified=modified)
