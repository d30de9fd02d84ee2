"""The held-out families: nobody tunes monitor on these; their figures are the ones reported."""

from __future__ import annotations

import json

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
from .world import Page


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


HELDOUT = [Bitrix(), Table2000(), Tilda(), ApiPortal(), LangMenu()]
