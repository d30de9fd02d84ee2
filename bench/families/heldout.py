"""The held-out families: nobody tunes monitor on these; their figures are the ones reported."""

from __future__ import annotations

import json
from urllib.parse import quote

from . import content as C
from .base import (
    Standard,
    cookie_banner,
    dotted,
    esc,
    footer,
    iso,
    long_date,
    mega_menu,
    menu_href,
    paras_html,
    popular,
    sitemap,
)  # fmt: skip
from .dev import rel_or_long
from .world import Page, slugify


class Bitrix(Standard):
    name = "bitrix"
    heldout = True
    traits = (
        "1C-Bitrix (Kazakh and Russian sites): /news/detail.php?ID=N or /press-center/news/N/, "
        "?PAGEN_1=2 pagination, bx- classes, the headline in h3.bx-newsdetail-title, dates "
        "'05.12.2026' or '2 күн бұрын', windows-1251 on half the sites (in the header on one, "
        "in <meta> on the others), <html lang=ru> on Kazakh pages, '<org> — Новости' titles"
    )

    def languages(self, k):
        return [("ru", "kk", "ru", "kk", "ru", "kk")[k % 6]]

    def news_path(self, site, lang):
        return "/news/" if site.variant % 2 == 0 else "/press-center/news/"

    def listing_path(self, site, lang, page):
        return self.news_path(site, lang) + (f"?PAGEN_1={page}" if page > 1 else "")

    def article_path(self, site, item):
        return (
            f"/news/detail.php?ID={item.num}"
            if site.variant % 2 == 0
            else f"/press-center/news/{item.num}/"
        )

    def sitemaps(self, site):
        return ["/sitemap.xml"] if site.variant % 3 == 0 else []

    def page(self, body, site, modified=None):
        if site.variant % 2:
            header = site.variant == 1
            ctype = "text/html; charset=windows-1251" if header else "text/html"
            body = body.replace(
                '<meta charset="UTF-8">',
                '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
            )
            return Page(body, ctype, "cp1251", header, modified)
        return Page(body, "text/html; charset=UTF-8", modified=modified)

    def _doc(self, site, lang, title, main):
        base = self.world.base(site)
        return (
            f'<!DOCTYPE html><html lang="ru"><head><meta charset="UTF-8"><title>{esc(title)}</title>'
            f'<link href="/bitrix/templates/main/styles.css?17012" rel="stylesheet"><script>BX.setJSList(["/bitrix/js/main/core/core.js"]);</script></head>'
            f'<body><div id="panel"></div><div class="bx-wrapper"><header class="bx-header"><div class="bx-logo">{esc(site.orgs[lang])}</div>'
            f'{mega_menu(site, lang, base, "bx-top-nav")}</header><div class="bx-breadcrumb"><a href="/">{esc(C.MENU[lang][0])}</a> / {esc(C.NEWS_WORD[lang])}</div>'
            f'<div class="workarea">{main}</div>{popular(site, lang, 3, "bx-sidebar")}{footer(site, lang, "bx-footer")}{cookie_banner(lang)}</div></body></html>'
        )

    def _date(self, site, item):
        if site.variant % 3 == 2:
            return rel_or_long(self.world.today, item, item.lang)
        return dotted(item.day)

    def article_page(self, site, item):
        lang = item.lang
        main = (
            f'<div class="bx-newsdetail"><div class="bx-newsdetail-block"><h3 class="bx-newsdetail-title">{esc(item.title)}</h3>'
            f'<div class="bx-newsdetail-content">{paras_html(item)}</div>'
            f'<div class="bx-newsdetail-date"><i class="fa fa-calendar-o"></i> {self._date(site, item)}</div></div></div>'
        )
        title = f"{site.orgs[lang]} — {C.NEWS_WORD[lang]}" if site.variant % 2 == 0 else item.title
        return self.page(self._doc(site, lang, title, main), site, item.day)

    def listing_page(self, site, lang, items, n, total):
        rows = "".join(
            f'<div class="bx-newslist-container"><div class="bx-newslist-block"><h3 class="bx-newslist-title"><a href="{it.path}">{esc(it.title)}</a></h3>'
            f'<div class="bx-newslist-content">{esc(it.paras[0][:120])}</div><div class="bx-newslist-date">{dotted(it.day)}</div></div></div>'
            for it in items
        )
        pager = "".join(
            f'<a class="bx-pagination-item" href="{self.listing_path(site, lang, p)}">{p}</a>'
            for p in range(1, total + 1)
        )
        main = f'<div class="bx-newslist">{rows}</div><div class="bx-pagination">{pager}</div>'
        return self.page(
            self._doc(site, lang, f"{site.orgs[lang]} — {C.NEWS_WORD[lang]}", main), site
        )

    def extra_page(self, site, lang, path, title, text):
        body = f"<p>{esc(text)}</p>" if text else ""
        return self.page(
            self._doc(site, lang, f"{site.orgs[lang]} — {title}", f"<h3>{esc(title)}</h3>{body}"),
            site,
        )

    def more(self, site, lang, items, extras, pages):
        if site.variant % 3 == 0:
            pages["/sitemap.xml"] = sitemap(
                self.world, site, [(it.path, it.day) for it in items] + [(p, None) for p in extras]
            )


class Table2000(Standard):
    name = "table2000"
    heldout = True
    traits = (
        "a 2000s layout: nested <table>s, <font>, the same '<ORG> – Новости' <title> on every "
        "page, no <h1>, no og:title, no JSON-LD, the headline in <h2> or <b> above a date "
        "line (or, on half the sites, the date only on the listing), windows-1251 with no "
        "charset header (a <meta> on a third), /news.php?id=N; one site's listing is a <ul> "
        "of two <h2><a> items"
    )

    def languages(self, k):
        return [("ru", "ru", "kk", "ru", "en", "ru")[k % 6]]

    def archive(self, k):
        return 2 if k == 5 else 11 + k % 3

    def news_path(self, site, lang):
        return "/news.php"

    def listing_path(self, site, lang, page):
        return "/news.php" + (f"?page={page}" if page > 1 else "")

    def article_path(self, site, item):
        return f"/news.php?id={item.num}" if site.variant % 2 == 0 else f"/news/{item.num}.html"

    def extras(self, world, site, lang):
        out = {}
        names = iter(
            ("/about.php", "/contacts.php", "/staff.php?id=1", "/staff.php?id=2", "/news.php?tag=1")
        )
        for value in super().extras(world, site, lang).values():
            out[next(names)] = value
        return out

    def page(self, body, site, modified=None):
        if site.variant % 3 == 0:
            body = body.replace(
                "<head>",
                '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
                1,
            )
        return Page(body, "text/html", "cp1251", False, modified)

    def _doc(self, site, lang, main):
        menu = "".join(
            f'<tr><td bgcolor="#003366"><a href="{menu_href(site, lang, k)}"><font color="#ffffff" size="2">{esc(label)}</font></a></td></tr>'
            for k, label in enumerate(C.MENU[lang])
        )
        return (
            f"<html><head><title>{esc(site.orgs[lang])} – {esc(C.NEWS_WORD[lang])}</title></head>"
            f'<body bgcolor="#ffffff" topmargin="0"><table width="100%" border="0" cellpadding="0" cellspacing="0">'
            f'<tr><td colspan="2" bgcolor="#003366"><font face="Arial" size="5" color="#ffffff"><b>{esc(site.orgs[lang])}</b></font></td></tr>'
            f'<tr><td width="180" valign="top"><table width="100%" cellpadding="4">{menu}</table></td>'
            f'<td valign="top"><table width="100%" cellpadding="6"><tr><td><font face="Verdana" size="2">{main}</font></td></tr></table></td></tr>'
            f'<tr><td colspan="2" align="center"><font size="1">{footer(site, lang, "f")}</font></td></tr></table></body></html>'
        )

    def article_page(self, site, item):
        head = (
            f"<h2>{esc(item.title)}</h2>"
            if site.variant % 2 == 0
            else f"<b>{esc(item.title)}</b><br>"
        )
        date = (
            f'<font size="1" color="#666666">{dotted(item.day)}</font><br>'
            if site.variant % 2 == 0
            else ""
        )
        body = "".join(f"<p>{esc(p)}</p>" for p in item.paras)
        return self.page(
            self._doc(
                site, item.lang, f'{head}{date}{body}<p><a href="/news.php">&lt;&lt; Назад</a></p>'
            ),
            site,
            item.day,
        )

    def listing_page(self, site, lang, items, n, total):
        if site.variant == 5:
            rows = "".join(
                f'<li><h2><a href="{it.path}">{esc(it.title)}</a></h2>{dotted(it.day)}</li>'
                for it in items
            )
            return self.page(self._doc(site, lang, f"<ul>{rows}</ul>"), site)
        rows = "".join(
            f'<tr><td valign="top" width="80"><font size="1" color="#666666">{dotted(it.day)}</font></td>'
            f'<td><a href="{it.path}"><font size="2"><b>{esc(it.title)}</b></font></a></td></tr>'
            for it in items
        )
        pager = " | ".join(
            f'<a href="{self.listing_path(site, lang, p)}">{p}</a>' for p in range(1, total + 1)
        )
        return self.page(
            self._doc(site, lang, f'<table width="100%" cellpadding="3">{rows}</table><br>{pager}'),
            site,
        )

    def extra_page(self, site, lang, path, title, text):
        return self.page(self._doc(site, lang, f"<b>{esc(title)}</b><br><p>{esc(text)}</p>"), site)


class Tilda(Standard):
    name = "tilda"
    heldout = True
    traits = (
        "Tilda: pages made of t-rec records and tn-elem absolute-positioned text atoms, "
        "/tpost/<id>-<slug> posts, the headline in a styled div (og:title present), the date "
        "as '5 декабря 2026' in a t-uptitle div, the post repeated in inline JSON, "
        "<html lang=ru> on an English site, sitemap.xml with /page123.html pages"
    )

    def languages(self, k):
        return [("ru", "kk", "en", "ru", "ms", "ru")[k % 6]]

    def news_path(self, site, lang):
        return "/news"

    def listing_path(self, site, lang, page):
        return "/news" + (f"?tfeeds_page={page}" if page > 1 else "")

    def article_path(self, site, item):
        return f"/tpost/{item.num}x{item.num % 97}-{item.slug}"

    def extras(self, world, site, lang):
        return {
            f"/page{3400 + 17 * n}.html": v
            for n, v in enumerate(super().extras(world, site, lang).values())
        }

    def sitemaps(self, site):
        return ["/sitemap.xml"]

    def _rec(self, n, inner, rtype="396"):
        return f'<div id="rec{7100 + n}" class="r t-rec" data-record-type="{rtype}"><div class="t396"><div class="t396__artboard">{inner}</div></div></div>'

    def _atom(self, text, top, size=20, cls=""):
        return (
            f'<div class="t396__elem tn-elem {cls}" data-elem-type="text" data-field-top-value="{top}">'
            f'<div class="tn-atom" style="font-size:{size}px;font-weight:600">{text}</div></div>'
        )

    def _doc(self, site, lang, title, records, head=""):
        html_lang = "ru" if site.variant == 2 else lang
        menu = self._rec(
            0,
            "".join(
                self._atom(f'<a href="{menu_href(site, lang, k)}">{esc(label)}</a>', 10, 14)
                for k, label in enumerate(C.MENU[lang])
            ),
            "121",
        )
        foot = self._rec(99, self._atom(footer(site, lang, "t-footer"), 900, 12), "344")
        return (
            f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>{head}'
            f'<script src="https://static.tildacdn.com/js/tilda-scripts-3.0.min.js"></script></head>'
            f'<body class="t-body"><div id="allrecords" class="t-records" data-tilda-project-id="{site.index * 911}">{menu}{records}{foot}</div>{cookie_banner(lang, "t-cookie")}</body></html>'
        )

    def article_page(self, site, item):
        lang = item.lang
        data = {
            "post": {
                "uid": item.num,
                "title": item.title,
                "date": f"{item.day.isoformat()} 10:00",
                "text": "\n".join(item.paras),
            }
        }
        inner = (
            f'<div class="t-feed__post-popup__container"><div class="js-feed-post-date t-feed__post-popup__date t-uptitle t-uptitle_xs">{long_date(item.day, lang)}</div>'
            + self._atom(esc(item.title), 120, 36, "t-feed__post-popup__title")
            + f'<div class="t-redactor__text">{paras_html(item)}</div></div>'
        )
        head = f'<meta property="og:title" content="{esc(item.title)}"><script>window.tildaFeedPost = {json.dumps(data, ensure_ascii=False)};</script>'
        return self.page(
            self._doc(site, lang, item.title, self._rec(5, inner, "t-feed"), head), site, item.day
        )

    def listing_page(self, site, lang, items, n, total):
        cards = "".join(
            self._atom(f'<a href="{it.path}">{esc(it.title)}</a>', 200 + 90 * k, 22)
            + self._atom(long_date(it.day, lang), 240 + 90 * k, 12)
            for k, it in enumerate(items)
        )
        more = (
            self._atom(
                f'<a href="{self.listing_path(site, lang, n + 1)}">{esc(C.READ_MORE[lang])}</a>',
                2000,
                14,
            )
            if n < total
            else ""
        )
        recs = self._rec(1, self._atom(esc(C.NEWS_WORD[lang]), 100, 48)) + self._rec(
            2, cards + more
        )
        return self.page(
            self._doc(site, lang, f"{C.NEWS_WORD[lang]} — {site.orgs[lang]}", recs), site
        )

    def extra_page(self, site, lang, path, title, text):
        recs = self._rec(1, self._atom(esc(title), 100, 42) + self._atom(esc(text), 200, 16))
        return self.page(
            self._doc(
                site, lang, title, recs, f'<meta property="og:title" content="{esc(title)}">'
            ),
            site,
        )

    def more(self, site, lang, items, extras, pages):
        pages["/sitemap.xml"] = sitemap(
            self.world, site, [(p, None) for p in extras] + [(it.path, None) for it in items]
        )


class ApiPortal(Standard):
    name = "apiportal"
    heldout = True
    traits = (
        "a portal whose listing is an empty <div id=app> filled from a JSON API: a <noscript> "
        "fallback list on half the sites, only the API URL in an inline config on the other "
        "half (a sitemap on one of those), server-rendered article pages with h1.news-title "
        "and '05 декабря 2026, 10:00' dates"
    )

    def languages(self, k):
        return [("ru", "en", "kk", "ru", "en", "ms")[k % 6]]

    def news_path(self, site, lang):
        return "/news"

    def listing_path(self, site, lang, page):
        return "/news" + (f"?page={page}" if page > 1 else "")

    def article_path(self, site, item):
        return f"/news/{item.num}"

    def sitemaps(self, site):
        return ["/sitemap.xml"] if site.variant % 4 == 1 else []

    def _doc(self, site, lang, title, main, head=""):
        base = self.world.base(site)
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>{head}'
            f'<script type="module" src="/assets/index-8c1f.js"></script></head><body><header class="app-header"><span>{esc(site.orgs[lang])}</span>{mega_menu(site, lang, base, "app-nav")}</header>'
            f"{main}{footer(site, lang)}</body></html>"
        )

    def article_page(self, site, item):
        main = (
            f'<main class="news-page"><h1 class="news-title">{esc(item.title)}</h1><div class="news-meta"><span class="news-date">{long_date(item.day, item.lang)}, 10:00</span></div>'
            f'<div class="news-body">{paras_html(item)}</div>{popular(site, item.lang, 3, "related")}</main>'
        )
        head = f'<meta property="og:title" content="{esc(item.title)}"><meta property="og:type" content="article">'
        return self.page(
            self._doc(site, item.lang, f"{item.title} — {site.orgs[item.lang]}", main, head),
            site,
            item.day,
        )

    def listing_page(self, site, lang, items, n, total):
        api = f"/api/v1/news?page={n}&limit=10"
        if site.variant % 2 == 0:
            lis = "".join(
                f'<li><a href="{it.path}">{esc(it.title)}</a> <span>{dotted(it.day)}</span></li>'
                for it in items
            )
            nxt = f'<a href="{self.listing_path(site, lang, n + 1)}">→</a>' if n < total else ""
            main = f'<div id="app" data-api="{api}"></div><noscript><ul class="news-fallback">{lis}</ul>{nxt}</noscript>'
        else:
            main = f'<div id="app"></div><script>window.__CONFIG__ = {json.dumps({"newsApi": api, "locale": lang})};</script>'
        return self.page(
            self._doc(site, lang, f"{C.NEWS_WORD[lang]} — {site.orgs[lang]}", main), site
        )

    def extra_page(self, site, lang, path, title, text):
        main = f'<main class="static-page"><h1 class="news-title">{esc(title)}</h1><p>{esc(text)}</p></main>'
        return self.page(self._doc(site, lang, f"{title} — {site.orgs[lang]}", main), site)

    def more(self, site, lang, items, extras, pages):
        parts = [items[i : i + 10] for i in range(0, len(items), 10)] or [[]]
        for n, part in enumerate(parts, 1):
            data = {"items": [{"id": it.num, "title": it.title, "url": it.path, "published": iso(it.day)} for it in part],
                    "next": f"/api/v1/news?page={n + 1}&limit=10" if n < len(parts) else None}  # fmt: skip
            pages[f"/api/v1/news?page={n}&limit=10"] = Page(
                json.dumps(data, ensure_ascii=False), "application/json"
            )
        if site.variant % 4 == 1:
            pages["/sitemap.xml"] = sitemap(
                self.world, site, [(it.path, it.day) for it in items] + [(p, None) for p in extras]
            )


class LangMenu(Standard):
    name = "langmenu"
    heldout = True
    traits = (
        "translations en/ru/kk with no hreflang: the language menu links only to the other "
        "languages' home pages, each version has its own numeric id, the headline in h3 or "
        "<strong>, a generic local-language '<News> – <org>' <title> on half the sites"
    )

    def languages(self, k):
        return ["en", "ru", "kk"]

    def archive(self, k):
        return 7 + k % 2

    def news_path(self, site, lang):
        return f"/{lang}/news/"

    def listing_path(self, site, lang, page):
        return self.news_path(site, lang) + (f"?page={page}" if page > 1 else "")

    def article_path(self, site, item):
        return f"/{item.lang}/news/{item.num}/"

    def _doc(self, site, lang, title, main):
        switch = "".join(f'<a class="lang" href="/{lg}/">{lg.upper()}</a>' for lg in site.langs)
        base = self.world.base(site)
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title></head>'
            f'<body><div class="top"><div class="langs">{switch}</div><div class="logo">{esc(site.orgs[lang])}</div></div>'
            f'{mega_menu(site, lang, base)}<div class="content">{main}</div>{footer(site, lang)}{cookie_banner(lang)}</body></html>'
        )

    def article_page(self, site, item):
        lang = item.lang
        head = (
            f'<h3 class="news-title">{esc(item.title)}</h3>'
            if site.variant % 2 == 0
            else f'<p><strong class="title">{esc(item.title)}</strong></p>'
        )
        main = f'<div class="news-detail">{head}<span class="date">{dotted(item.day)}</span>{paras_html(item)}</div>{popular(site, lang, 3)}'
        title = (
            f"{C.NEWS_WORD[lang]} – {site.orgs[lang]}"
            if site.variant % 2
            else f"{site.orgs[lang]} | {item.title}"
        )
        return self.page(self._doc(site, lang, title, main), site, item.day)

    def listing_page(self, site, lang, items, n, total):
        rows = "".join(
            f'<div class="news-item"><a href="{it.path}">{esc(it.title)}</a><span class="date">{dotted(it.day)}</span></div>'
            for it in items
        )
        pager = "".join(
            f'<a href="{self.listing_path(site, lang, p)}">{p}</a>' for p in range(1, total + 1)
        )
        return self.page(
            self._doc(
                site,
                lang,
                f"{C.NEWS_WORD[lang]} – {site.orgs[lang]}",
                f'{rows}<div class="pager">{pager}</div>',
            ),
            site,
        )

    def extra_page(self, site, lang, path, title, text):
        return self.page(
            self._doc(
                site,
                lang,
                f"{title} – {site.orgs[lang]}",
                f'<h3 class="news-title">{esc(title)}</h3><p>{esc(text)}</p>',
            ),
            site,
        )

    def more(self, site, lang, items, extras, pages):
        home = self._doc(
            site,
            lang,
            site.orgs[lang],
            "".join(f'<a href="{it.path}">{esc(it.title)}</a><br>' for it in items[:5]),
        )
        pages[f"/{lang}/"] = self.page(home, site)


DLE_WORDS = {
    "today": {"ru": "Сегодня", "kk": "Бүгін", "en": "Today"},
    "yesterday": {"ru": "Вчера", "kk": "Кеше", "en": "Yesterday"},
    "views": {"ru": "Просмотров", "kk": "Қаралды", "en": "Views"},
    "comments": {"ru": "Комментарии", "kk": "Пікірлер", "en": "Comments"},
    "author": {"ru": "Автор", "kk": "Авторы", "en": "Author"},
    "on": {"ru": "от", "kk": "", "en": "on"},
    "category": {"ru": "Категория", "kk": "Санат", "en": "Category"},
    "tags": {"ru": "Теги", "kk": "Тегтер", "en": "Tags"},
    "related": {"ru": "Похожие новости", "kk": "Ұқсас жаңалықтар", "en": "Related news"},
    "popular": {"ru": "Популярные статьи", "kk": "Танымал мақалалар", "en": "Popular articles"},
    "page": {"ru": "Страница", "kk": "Бет", "en": "Page"},
    "next": {"ru": "Далее", "kk": "Келесі", "en": "Next"},
    "prev": {"ru": "Назад", "kk": "Артқа", "en": "Back"},
    "info": {"ru": "Информация", "kk": "Ақпарат", "en": "Information"},
    "guests": {
        "ru": "Посетители, находящиеся в группе Гости, не могут оставлять комментарии к данной публикации.",
        "kk": "Қонақтар тобындағы келушілер бұл жарияланымға пікір қалдыра алмайды.",
        "en": "Members of the Guests group cannot leave comments on this publication.",
    },
    "login": {"ru": "Авторизация", "kk": "Кіру", "en": "Log in"},
    "user": {"ru": "Логин", "kk": "Логин", "en": "Login"},
    "password": {"ru": "Пароль", "kk": "Құпиясөз", "en": "Password"},
    "enter": {"ru": "Войти", "kk": "Кіру", "en": "Sign in"},
    "add": {"ru": "Добавить комментарий", "kk": "Пікір қосу", "en": "Add comment"},
    "name": {"ru": "Ваше имя", "kk": "Атыңыз", "en": "Your name"},
    "code": {"ru": "Введите код", "kk": "Кодты енгізіңіз", "en": "Enter the code"},
    "tagged": {"ru": "Новости по тегу", "kk": "Тег бойынша жаңалықтар", "en": "News tagged"},
}  # fmt: skip


class DataLife(Standard):
    name = "dle"
    heldout = True
    traits = (
        "DataLife Engine (Russian, Kazakh, English sites): /news/N-slug.html, "
        "/YYYY/MM/DD/slug.html or /index.php?newsid=N (no mod_rewrite) articles, "
        "/news/page/2/ or &cstart=2 pagination, shortstory/fullstory blocks with the headline "
        "in h1.title, span.ntitle in an old table template or h3.btl, 'Автор: admin от "
        "Сегодня, 10:30' / 'Вчера, 14:05' / '5-12-2026, 10:30' / '5 декабря 2026' dates, "
        "'<title> » <org>' titles, div#news-id-N bodies (<br /><br /> paragraphs on the old "
        "template), related-news, login and guest-comment boilerplate, /rss.xml or "
        "/engine/rss.php (10 items, windows-1251 on one site), a sitemap index under /uploads/ "
        "on a third, windows-1251 on a third (numeric entities for Kazakh letters), "
        "<html lang=ru> on an English site, Cyrillic /tags/ URLs"
    )

    def languages(self, k):
        return [("ru", "ru", "kk", "en", "kk", "ru")[k % 6]]

    def _v(self, site):
        return site.variant % 3

    def _section(self, site, lang):
        return "news" if self._v(site) != 1 else slugify(C.NEWS_WORD[lang])

    def news_path(self, site, lang):
        if self._v(site) == 2:
            return "/index.php?do=cat&category=news"
        return f"/{self._section(site, lang)}/"

    def listing_path(self, site, lang, page):
        if page == 1:
            return self.news_path(site, lang)
        if self._v(site) == 2:
            return f"/index.php?do=cat&category=news&cstart={page}"
        return f"/{self._section(site, lang)}/page/{page}/"

    def article_path(self, site, item):
        v = self._v(site)
        if v == 0:
            return f"/news/{item.num}-{item.slug}.html"
        if v == 1:
            return f"/{item.day:%Y/%m/%d}/{item.slug}.html"
        return f"/index.php?newsid={item.num}"

    def _feed(self, site):
        if site.variant == 4:  # the admin switched RSS off
            return None
        return "/engine/rss.php" if self._v(site) == 2 else "/rss.xml"

    def sitemaps(self, site):
        return ["/sitemap.xml"] if self._v(site) == 0 else []

    def _topic(self, site, lang):
        return C.TOPICS[site.index % len(C.TOPICS)][lang].capitalize()

    def _tag_path(self, site, lang):
        tag = quote(self._topic(site, lang), safe="")
        return f"/index.php?do=tags&tag={tag}" if self._v(site) == 2 else f"/tags/{tag}/"

    def _static(self, site, name):
        return f"/index.php?do=static&page={name}" if self._v(site) == 2 else f"/{name}.html"

    def extras(self, world, site, lang):
        values = list(super().extras(world, site, lang).values())
        paths = [self._static(site, "about"), self._static(site, "contacts")]
        paths += [self._static(site, self.profile_slug(v[0])) for v in values[2:4]]
        paths.append(self._tag_path(site, lang))
        return dict(zip(paths, values, strict=True))

    # -- bits -------------------------------------------------------------------------

    @staticmethod
    def _time(item):
        return f"{9 + item.num % 9:02d}:{item.num * 7 % 60:02d}"

    def _date(self, site, item):
        lang = item.lang
        if self._v(site) == 1:  # the template's own {date=j F Y}
            return long_date(item.day, lang)
        days = (self.world.today - item.day).days
        if days == 0:
            return f"{DLE_WORDS['today'][lang]}, {self._time(item)}"
        if days == 1:
            return f"{DLE_WORDS['yesterday'][lang]}, {self._time(item)}"
        if self._v(site) == 0:  # DLE's default "j-m-Y, H:i"
            return f"{item.day.day}-{item.day:%m-%Y}, {self._time(item)}"
        return f"{item.day:%d.%m.%Y} {self._time(item)}"

    @staticmethod
    def _views(item):
        return 20 + item.num * 37 % 900

    def _w(self, key, lang):
        return DLE_WORDS[key][lang]

    def _byline(self, site, item):
        lang = item.lang
        on = self._w("on", lang)
        return f"{self._w('author', lang)}: admin {on + ' ' if on else ''}{self._date(site, item)}"

    def page(self, body, site, modified=None):
        if self._v(site) == 1:
            header = site.variant == 1
            ctype = "text/html; charset=windows-1251" if header else "text/html"
            return Page(body, ctype, "cp1251", header, modified)
        return Page(body, "text/html; charset=utf-8", modified=modified)

    def _head(self, site, lang, title, extra=""):
        base = self.world.base(site)
        charset = (
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251" />'
            if self._v(site) == 1
            else '<meta charset="utf-8">'
        )
        feed = self._feed(site)
        link = (
            f'<link rel="alternate" type="application/rss+xml" title="{esc(site.orgs[lang])}" href="{base}{feed}">'
            if feed
            else ""
        )
        return (
            f"<head>{charset}<title>{esc(title)}</title>"
            f'<meta name="description" content="{esc(site.orgs[lang])}"><meta name="generator" content="DataLife Engine (http://dle-news.ru)">'
            f'{extra}{link}<link rel="search" type="application/opensearchdescription+xml" href="{base}/index.php?do=opensearch" title="{esc(site.orgs[lang])}">'
            f'<link href="/templates/Default/css/style.css" type="text/css" rel="stylesheet">'
            f"<script>var dle_root = '/'; var dle_admin = ''; var dle_login_hash = ''; var dle_group = 5; var dle_skin = 'Default';"
            f" var dle_wysiwyg = '0'; var quick_wysiwyg = '0'; var dle_act_lang = ['Да', 'Нет', 'Ввод', 'Отмена'];</script>"
            f'<script src="/engine/classes/min/index.php?g=general&amp;v=24"></script></head>'
        )

    def _speedbar(self, site, lang, last):
        news = f'<a href="{esc(self.news_path(site, lang))}">{esc(C.NEWS_WORD[lang])}</a>'
        tail = f" &raquo; {esc(last)}" if last else ""
        return (
            f'<div class="speedbar"><span id="dle-speedbar"><a href="/">{esc(C.MENU[lang][0])}</a>'
            f" &raquo; {news}{tail}</span></div>"
        )

    def _sidebar(self, site, lang):
        top = "".join(
            f'<li><a href="{esc(it.path)}">{esc(it.title)}</a></li>'
            for it in site.items.get(lang, [])[1:5]
        )
        login = (
            f'<div class="loginbox"><h4>{self._w("login", lang)}</h4><form method="post" action="">'
            f'<label>{self._w("user", lang)}:</label><input type="text" name="login_name">'
            f'<label>{self._w("password", lang)}:</label><input type="password" name="login_password">'
            f'<button type="submit">{self._w("enter", lang)}</button><input name="login" type="hidden" value="submit"></form></div>'
        )
        return f'<aside class="sidebar">{login}<div class="block"><h4>{self._w("popular", lang)}</h4><ul class="topnews">{top}</ul></div></aside>'

    def _counters(self, site, lang):
        li = (
            '<!--LiveInternet counter--><a href="https://www.liveinternet.ru/click" target="_blank">'
            '<img src="https://counter.yadro.ru/hit?t44.6" alt="" title="LiveInternet" width="31" height="31"></a><!--/LiveInternet-->'
            if lang != "en"
            else ""
        )
        return f'<div class="counters">{li}<a href="https://dle-news.ru/">Powered by DataLife Engine</a> © 2004-2026</div>'

    def _doc(self, site, lang, title, main, extra_head="", crumb=None):
        base = self.world.base(site)
        v = self._v(site)
        if v == 1:  # the old table template, XHTML, no lang
            return (
                '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
                f'<html xmlns="http://www.w3.org/1999/xhtml">{self._head(site, lang, title, extra_head)}<body>'
                f'<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td colspan="2" class="header"><div class="logo">{esc(site.orgs[lang])}</div>'
                f"{mega_menu(site, lang, base, 'topmenu')}</td></tr>"
                f'<tr><td colspan="2">{self._speedbar(site, lang, crumb)}</td></tr>'
                f'<tr><td valign="top" class="content">{main}</td><td width="240" valign="top">{self._sidebar(site, lang)}</td></tr>'
                f'<tr><td colspan="2">{footer(site, lang, "footer")}{self._counters(site, lang)}</td></tr></table></body></html>'
            )
        html_lang = ' lang="ru"' if v == 0 else ""
        return (
            f"<!DOCTYPE html><html{html_lang}>{self._head(site, lang, title, extra_head)}<body>"
            f'<div class="wrp"><header class="header"><a class="logotype" href="/">{esc(site.orgs[lang])}</a>'
            f"{mega_menu(site, lang, base, 'topmenu')}</header>{self._speedbar(site, lang, crumb)}"
            f'<div class="cols"><main id="dle-content" class="content">{main}</main>{self._sidebar(site, lang)}</div>'
            f"{footer(site, lang, 'footer')}{self._counters(site, lang)}</div></body></html>"
        )

    def _has_tag(self, site, item):
        return item in self.tag_items(site, item.lang)

    def _tags(self, site, item):
        if not self._has_tag(site, item):
            return ""
        lang = item.lang
        return (
            f'<div class="tags">{self._w("tags", lang)}: '
            f'<a href="{esc(self._tag_path(site, lang))}">{esc(self._topic(site, lang))}</a></div>'
        )

    def _related(self, site, item):
        others = [it for it in site.items.get(item.lang, []) if it is not item]
        at = sum(1 for it in others if (it.day, it.num) > (item.day, item.num))
        near = others[max(0, at - 2) : at + 2]
        if not near:
            return ""
        lis = "".join(f'<li><a href="{esc(it.path)}">{esc(it.title)}</a></li>' for it in near)
        return f'<div class="related"><h4>{self._w("related", item.lang)}</h4><ul>{lis}</ul></div>'

    def _comments(self, site, item):
        lang = item.lang
        if self._v(site) == 1:  # guests may comment on the old site: the form, a captcha
            return (
                f'<div class="addcomment"><h4>{self._w("add", lang)}</h4><form method="post" name="dle-comments-form" id="dle-comments-form" action="">'
                f'<table><tr><td>{self._w("name", lang)}:</td><td><input type="text" name="name"></td></tr>'
                f'<tr><td>E-Mail:</td><td><input type="text" name="mail"></td></tr>'
                f'<tr><td colspan="2"><textarea name="comments" rows="8"></textarea></td></tr>'
                f'<tr><td>{self._w("code", lang)}:</td><td><img src="/engine/modules/antibot/antibot.php" alt=""><input type="text" name="sec_code"></td></tr></table>'
                f'<input type="hidden" name="post_id" value="{item.num}"></form></div>'
            )
        return f'<div class="berrors"><b>{self._w("info", lang)}</b><br>{self._w("guests", lang)}</div>'

    # -- pages --------------------------------------------------------------------------

    def article_page(self, site, item):
        lang, v = item.lang, self._v(site)
        base = self.world.base(site)
        views = f"{self._w('views', lang)}: {self._views(item)}"
        if v == 1:
            text = "<br /><br />".join(esc(p) for p in item.paras)
            story = (
                f'<table width="100%" class="fullstory"><tr><td class="ntitle"><span class="ntitle">{esc(item.title)}</span></td></tr>'
                f'<tr><td class="slink">{self._date(site, item)} | {views}</td></tr>'
                f'<tr><td class="news"><div id="news-id-{item.num}" style="display:inline;">{text}</div></td></tr>'
                f'<tr><td class="slink">{self._tags(site, item)}</td></tr></table>'
            )
            head = ""
        elif v == 0:
            cat = f'<a href="{self.news_path(site, lang)}">{esc(C.NEWS_WORD[lang])}</a>'
            story = (
                f'<article class="box story fullstory"><div class="box_in"><h1 class="title">{esc(item.title)}</h1>'
                f'<div class="meta"><ul><li class="story_date"><time datetime="{item.day.isoformat()}" class="grey">{self._date(site, item)}</time></li>'
                f'<li class="grey">{self._w("category", lang)}: {cat}</li><li class="grey">{views}</li></ul></div>'
                f'<div class="text"><div id="news-id-{item.num}" style="display:inline;">{paras_html(item)}</div></div>'
                f"{self._tags(site, item)}</div></article>"
            )
            head = (
                f'<meta property="og:site_name" content="{esc(site.orgs[lang])}"><meta property="og:type" content="article">'
                f'<meta property="og:title" content="{esc(item.title)}"><meta property="og:url" content="{base}{item.path}">'
                f'<link rel="canonical" href="{base}{item.path}">'
            )
        else:
            story = (
                f'<div class="base fullstory"><div class="dpad"><h3 class="btl">{esc(item.title)}</h3>'
                f'<div class="bhinfo"><span class="baseinfo radial">{esc(self._byline(site, item))}</span></div>'
                f'<div class="maincont"><div id="news-id-{item.num}" style="display:inline;">{paras_html(item)}</div><div class="clr"></div></div>'
                f'{self._tags(site, item)}<div class="mlink"><span class="argviews">{views}</span></div></div></div>'
            )
            head = ""
        main = story + self._related(site, item) + self._comments(site, item)
        title = f"{item.title} » {site.orgs[lang]}"
        return self.page(self._doc(site, lang, title, main, head, crumb=item.title), site, item.day)

    def _short(self, site, it):
        lang, v = it.lang, self._v(site)
        more = f'<a href="{esc(it.path)}">{esc(C.READ_MORE[lang])}</a>'
        coms = f'<a href="{esc(it.path)}#comment">{self._w("comments", lang)} (0)</a>'
        img = (
            f'<img src="/uploads/posts/{it.day:%Y-%m}/thumbs/{it.num}_1.jpg" alt="{esc(it.title)}">'
        )
        if v == 1:
            return (
                f'<table width="100%" class="shortstory"><tr><td class="ntitle"><a href="{esc(it.path)}">{esc(it.title)}</a></td></tr>'
                f'<tr><td class="slink">{self._date(site, it)} | {self._w("views", lang)}: {self._views(it)}</td></tr>'
                f'<tr><td class="news">{img}{esc(it.paras[0])}</td></tr>'
                f'<tr><td class="slink">{more} | {coms}</td></tr></table>'
            )
        if v == 0:
            return (
                f'<article class="box story shortstory"><div class="box_in"><h2 class="title"><a href="{esc(it.path)}">{esc(it.title)}</a></h2>'
                f'<div class="text">{img}{esc(it.paras[0])}</div><div class="story_tools">{more}</div></div>'
                f'<div class="meta"><ul class="right"><li class="grey">{self._views(it)}</li><li>{coms}</li></ul>'
                f'<ul class="left"><li class="story_date"><time datetime="{it.day.isoformat()}" class="grey">{self._date(site, it)}</time></li></ul></div></article>'
            )
        return (
            f'<div class="base shortstory"><div class="dpad"><h3 class="btl"><a href="{esc(it.path)}">{esc(it.title)}</a></h3>'
            f'<p class="binfo small">{esc(self._byline(site, it))}</p>'
            f'<div class="maincont">{img}{esc(it.paras[0])}<div class="clr"></div></div>'
            f'<div class="mlink"><span class="argmore">{more}</span><p class="lcol argcoms">{coms}</p></div></div></div>'
        )

    def _pager(self, site, lang, n, total):
        if total < 2:
            return ""
        href = lambda p: esc(self.listing_path(site, lang, p))  # noqa: E731
        prev = (
            f'<a href="{href(n - 1)}">{self._w("prev", lang)}</a>'
            if n > 1
            else f"<span>{self._w('prev', lang)}</span>"
        )
        nxt = (
            f'<a href="{href(n + 1)}">{self._w("next", lang)}</a>'
            if n < total
            else f"<span>{self._w('next', lang)}</span>"
        )
        nums = " ".join(
            f"<span>{p}</span>" if p == n else f'<a href="{href(p)}">{p}</a>'
            for p in range(1, total + 1)
        )
        return f'<div class="navigation">{prev} {nums} {nxt}</div>'

    def listing_page(self, site, lang, items, n, total):
        main = "".join(self._short(site, it) for it in items) + self._pager(site, lang, n, total)
        org = site.orgs[lang]
        if n > 1:
            title = f"{C.NEWS_WORD[lang]} » {self._w('page', lang)} {n} » {org}"
        else:
            title = f"{C.NEWS_WORD[lang]} » {org}"
        return self.page(self._doc(site, lang, title, main), site)

    def extra_page(self, site, lang, path, title, text):
        org = site.orgs[lang]
        if not text:  # the tag: a listing of short stories
            main = "".join(self._short(site, it) for it in self.tag_items(site, lang))
            crumb = f"{self._w('tagged', lang)}: {title}"
            return self.page(self._doc(site, lang, f"{title} » {org}", main, crumb=crumb), site)
        if self._v(site) == 1:
            main = (
                f'<table width="100%" class="static"><tr><td class="ntitle">{esc(title)}</td></tr>'
                f'<tr><td class="news">{esc(text)}</td></tr></table>'
            )
        else:
            main = f'<div class="base static"><h1 class="title">{esc(title)}</h1><div class="maincont">{esc(text)}</div></div>'
        return self.page(self._doc(site, lang, f"{title} » {org}", main, crumb=title), site)

    def _rss(self, site, lang, items):
        base = self.world.base(site)
        cp = self._v(site) == 1
        entries = "".join(
            f'<item><title>{esc(it.title)}</title><guid isPermaLink="true">{base}{esc(it.path)}</guid>'
            f"<link>{base}{esc(it.path)}</link><dc:creator>admin</dc:creator>"
            f"<pubDate>{it.day:%a, %d %b %Y} {self._time(it)}:00 +0500</pubDate>"
            f"<category>{esc(C.NEWS_WORD[lang])}</category>"
            f"<description><![CDATA[{esc(it.paras[0])}]]></description></item>"
            for it in items
        )
        encoding = "windows-1251" if cp else "utf-8"
        body = (
            f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{esc(site.orgs[lang])}</title><link>{base}/</link><language>{lang}</language>"
            f"<description>{esc(site.orgs[lang])}</description><generator>DataLife Engine</generator>{entries}</channel></rss>"
        )
        ctype = f"application/xml; charset={encoding}"
        return Page(
            body,
            ctype,
            "cp1251" if cp else "utf-8",
            modified=max((it.day for it in items), default=None),
        )

    def more(self, site, lang, items, extras, pages):
        feed = self._feed(site)
        if feed:
            pages[feed] = self._rss(site, lang, items[:10])
        base = self.world.base(site)
        lines = ["User-agent: *", "Disallow: /engine/go.php", "Disallow: /engine/download.php",
                 "Disallow: /user/", "Disallow: /newposts/", "Disallow: /statistics.html",
                 "Disallow: /*subaction=userinfo", "Disallow: /*subaction=newposts",
                 "Disallow: /*do=lastcomments", "Disallow: /*do=feedback", "Disallow: /*do=register",
                 "Disallow: /*do=lostpassword", "Disallow: /*do=addnews", "Disallow: /*do=stats",
                 "Disallow: /*do=pm", "Disallow: /*do=search", f"Host: {base.partition('://')[2]}"]  # fmt: skip
        if self._v(site) == 0:
            lines.append(f"Sitemap: {base}/sitemap.xml")
            news = sitemap(self.world, site, [(it.path, it.day) for it in items])
            static = sitemap(self.world, site, [(p, None) for p in list(extras)[:4]])
            cats = sitemap(self.world, site, [(self.news_path(site, lang), None)])
            pages["/uploads/news_pages.xml"] = news
            pages["/uploads/static_pages.xml"] = static
            pages["/uploads/category_pages.xml"] = cats
            day = max((it.day for it in items), default=self.world.today).isoformat()
            index = "".join(
                f"<sitemap><loc>{base}/uploads/{name}.xml</loc><lastmod>{day}</lastmod></sitemap>"
                for name in ("news_pages", "static_pages", "category_pages")
            )
            pages["/sitemap.xml"] = Page(
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{index}</sitemapindex>",
                "application/xml; charset=UTF-8",
            )
        pages["/robots.txt"] = Page("\n".join(lines) + "\n", "text/plain; charset=utf-8")
        home = "".join(self._short(site, it) for it in items[:5])
        pages["/"] = self.page(self._doc(site, lang, site.orgs[lang], home), site)


HELDOUT = [Bitrix(), Table2000(), Tilda(), ApiPortal(), LangMenu(), DataLife()]
