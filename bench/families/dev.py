"""The dev families: the markup habits the developers may look at and tune on."""

from __future__ import annotations

import json
from typing import ClassVar

from . import content as C
from .base import (
    Standard,
    atom,
    cookie_banner,
    dotted,
    esc,
    footer,
    iso,
    json_ld,
    long_date,
    mega_menu,
    menu_href,
    paras_html,
    popular,
    rss,
    sitemap,
)  # fmt: skip
from .world import Item, Page


def rel_or_long(site_today, item: Item, lang: str) -> str:
    days = (site_today - item.day).days
    return C.relative(days, lang) if 2 <= days <= 30 else long_date(item.day, lang)


class WordPressFeed(Standard):
    name = "wp-feed"
    traits = (
        "WordPress, RSS feed linked in <head> (site 0: the feed carries the latest 10 of a "
        "30-item archive), h1.entry-title, time.entry-date, 'Main page » title' breadcrumb, "
        "a leaked [bws_pdfprint] shortcode, <html lang=en-US> on a Malay site, /slug/ or "
        "/YYYY/MM/DD/slug/ URLs, wp-sitemap.xml"
    )

    def languages(self, k):
        return [("en", "ru", "ms", "kk", "en", "ru")[k % 6]]

    def archive(self, k):
        return 30 if k == 0 else 12 + k % 3

    def news_path(self, site, lang):
        return "/category/news/"

    def listing_path(self, site, lang, page):
        return "/category/news/" + (f"page/{page}/" if page > 1 else "")

    def article_path(self, site, item):
        return f"/{item.day:%Y/%m/%d}/{item.slug}/" if site.variant % 2 == 0 else f"/{item.slug}/"

    def sitemaps(self, site):
        return ["/wp-sitemap.xml"]

    def _doc(self, site, lang, title, main, og=""):
        base = self.world.base(site)
        html_lang = "en-US" if lang == "ms" else lang
        head = f'<link rel="alternate" type="application/rss+xml" title="{esc(site.orgs[lang])} &raquo; Feed" href="{base}/feed/">'
        return (
            f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="UTF-8"><title>{esc(title)}</title>{head}{og}'
            f'</head><body class="wp-theme"><a class="skip-link" href="#content">Skip to content</a>'
            f'<header class="site-header"><div class="site-branding">{esc(site.orgs[lang])}</div>{mega_menu(site, lang, base)}</header>'
            f'<div id="content" class="site-content">{main}{popular(site, lang)}</div>{footer(site, lang)}{cookie_banner(lang)}</body></html>'
        )

    def article_page(self, site, item):
        lang = item.lang
        shortcode = "<p>[bws_pdfprint display='pdf,print']</p>" if site.variant % 3 == 1 else ""
        main = (
            f'<div class="breadcrumbs">{esc(C.MENU[lang][0])} » {esc(item.title)}</div>'
            f'<article class="post type-post"><header class="entry-header"><h1 class="entry-title">{esc(item.title)}</h1>'
            f'<div class="entry-meta"><time class="entry-date published" datetime="{iso(item.day)}">{long_date(item.day, lang)}</time></div></header>'
            f'<div class="entry-content">{paras_html(item)}{shortcode}</div></article>'
        )
        og = f'<meta property="og:title" content="{esc(item.title)}">'
        return self.page(
            self._doc(site, lang, f"{item.title} – {site.orgs[lang]}", main, og), site, item.day
        )

    def listing_page(self, site, lang, items, n, total):
        posts = "".join(
            f'<article class="post"><h2 class="entry-title"><a href="{it.path}">{esc(it.title)}</a></h2>'
            f'<div class="entry-meta"><time datetime="{iso(it.day)}">{long_date(it.day, lang)}</time></div>'
            f'<div class="entry-summary"><p>{esc(it.paras[0][:160])}…</p></div></article>'
            for it in items
        )
        nav = "".join(
            f'<a class="page-numbers" href="{self.listing_path(site, lang, p)}">{p}</a>'
            for p in range(1, total + 1)
        )
        main = f'<h1 class="page-title">{esc(C.NEWS_WORD[lang])}</h1>{posts}<nav class="pagination">{nav}</nav>'
        return self.page(
            self._doc(site, lang, f"{C.NEWS_WORD[lang]} – {site.orgs[lang]}", main), site
        )

    def extra_page(self, site, lang, path, title, text):
        body = (
            f"<p>{esc(text)}</p>"
            if text
            else "".join(
                f'<h2><a href="{it.path}">{esc(it.title)}</a></h2>'
                for it in self.tag_items(site, lang)
            )
        )
        main = f'<article class="page"><h1 class="entry-title">{esc(title)}</h1><div class="entry-content">{body}</div></article>'
        return self.page(self._doc(site, lang, f"{title} – {site.orgs[lang]}", main), site)

    def more(self, site, lang, items, extras, pages):
        count = 10 if site.variant == 0 else 20
        pages["/feed/"] = rss(self.world, site, lang, items[:count], site.orgs[lang])
        pages["/wp-sitemap.xml"] = sitemap(
            self.world, site, [(it.path, it.day) for it in items] + [(p, None) for p in extras]
        )


class WordPressNoFeed(WordPressFeed):
    name = "wp-nofeed"
    traits = (
        "WordPress with feeds switched off: a site-title <h1> on every page, the headline in "
        "h2.post-title on half the sites, a generic '<org> – News' <title> on a third, "
        "?p=N shortlinks, long local dates in span.posted-on, a sitemap on half the sites"
    )

    def languages(self, k):
        return [("ru", "en", "kk", "ms", "ru", "en")[k % 6]]

    def archive(self, k):
        return 12 + k % 3

    def news_path(self, site, lang):
        return "/news/"

    def listing_path(self, site, lang, page):
        return "/news/" + (f"page/{page}/" if page > 1 else "")

    def article_path(self, site, item):
        return f"/{item.slug}/"

    def sitemaps(self, site):
        return ["/wp-sitemap.xml"] if site.variant % 2 == 0 else []

    def _doc(self, site, lang, title, main, og=""):
        base = self.world.base(site)
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="UTF-8"><title>{esc(title)}</title>{og}</head>'
            f'<body><header><h1 class="site-title"><a href="{base}/">{esc(site.orgs[lang])}</a></h1>{mega_menu(site, lang, base, "nav")}</header>'
            f'<main class="content-area">{main}</main><aside class="sidebar">{popular(site, lang, 5)}</aside>{footer(site, lang)}{cookie_banner(lang)}</body></html>'
        )

    def article_page(self, site, item):
        lang = item.lang
        tag = "h2" if site.variant % 2 else "h1"
        cls = "post-title" if site.variant % 2 else "entry-title"
        main = (
            f'<link rel="shortlink" href="/?p={item.num}"><div class="post"><{tag} class="{cls}">{esc(item.title)}</{tag}>'
            f'<div class="post-meta"><span class="posted-on">{long_date(item.day, lang)}</span></div>'
            f'<div class="post-content">{paras_html(item)}</div></div>'
        )
        title = (
            f"{site.orgs[lang]} – {C.NEWS_WORD[lang]}"
            if site.variant % 3 == 2
            else f"{item.title} | {site.orgs[lang]}"
        )
        return self.page(self._doc(site, lang, title, main), site, item.day)

    def more(self, site, lang, items, extras, pages):
        if site.variant % 2 == 0:
            pages["/wp-sitemap.xml"] = sitemap(
                self.world, site, [(it.path, it.day) for it in items] + [(p, None) for p in extras]
            )


class TagDiv(Standard):
    name = "tagdiv"
    traits = (
        "tagDiv Newspaper / jNews news theme: td- and jeg_ classes, a tile block of four "
        "other headlines above the post, '- Advertisement -' blocks, <html lang=en-US> on "
        "Malay posts, relative dates ('3 hari lalu', '3 days ago') without a machine date "
        "on the jNews half, a feed on the Newspaper half, a sitemap index on the jNews half"
    )

    def languages(self, k):
        return [("ms", "en", "ms", "en", "ms", "ms")[k % 6]]

    def news_path(self, site, lang):
        return "/category/berita/" if lang == "ms" else "/category/news/"

    def listing_path(self, site, lang, page):
        return self.news_path(site, lang) + (f"page/{page}/" if page > 1 else "")

    def sitemaps(self, site):
        return ["/sitemap_index.xml"] if site.variant % 2 else []

    def _tiles(self, site, lang):
        tiles = "".join(
            f'<div class="td_module_flex td_module_flex_1"><div class="td-module-thumb"></div>'
            f'<h3 class="entry-title td-module-title"><a href="{it.path}">{esc(it.title)}</a></h3>'
            f'<span class="td-post-date">{long_date(it.day, "en")}</span></div>'
            for it in site.items.get(lang, [])[:4]
        )
        return f'<div class="td_block_wrap td_flex_block_1"><div class="td_block_inner">{tiles}</div></div>'

    def _doc(self, site, lang, title, main, head=""):
        base = self.world.base(site)
        feed = (
            f'<link rel="alternate" type="application/rss+xml" href="{base}/feed/">'
            if site.variant % 2 == 0
            else ""
        )
        ad = '<div class="td-a-rec td-a-rec-id-content_top"><span class="td-adspot-title">- Advertisement -</span></div>'
        return (
            f'<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>{esc(title)}</title>{feed}{head}</head>'
            f'<body class="td-theme-newspaper"><div class="td-header-wrap"><div class="td-logo">{esc(site.orgs[lang])}</div>'
            f'{mega_menu(site, lang, base, "td-menu")}</div>{self._tiles(site, lang)}{ad}<div class="td-main-content-wrap">{main}</div>'
            f'{ad}<div class="td-footer-wrap">{footer(site, lang, "td-footer")}</div>{cookie_banner(lang, "td-cookie")}</body></html>'
        )

    def article_page(self, site, item):
        lang = item.lang
        head = f'<meta property="og:title" content="{esc(item.title)}">'
        if site.variant % 2 == 0:
            head += f'<meta property="article:published_time" content="{iso(item.day)}">'
            meta = f'<time class="entry-date updated td-module-date" datetime="{iso(item.day)}">{long_date(item.day, lang)}</time>'
            title = f'<h1 class="tdb-title-text entry-title">{esc(item.title)}</h1>'
        else:
            meta = f'<div class="jeg_meta_date"><a href="{item.path}">{rel_or_long(self.world.today, item, lang)}</a></div>'
            title = f'<h1 class="jeg_post_title">{esc(item.title)}</h1>'
        main = (
            f'<article class="td-post-template-default">{title}<div class="td-module-meta-info">{meta}</div>'
            f'<div class="td-post-content tagdiv-type">{paras_html(item)}<p><a href="#">Read in PDF</a></p></div></article>'
        )
        return self.page(
            self._doc(site, lang, f"{item.title} - {site.orgs[lang]}", main, head), site, item.day
        )

    def listing_page(self, site, lang, items, n, total):
        mods = "".join(
            f'<div class="td_module_10 td_module_wrap"><h3 class="entry-title td-module-title"><a href="{it.path}" rel="bookmark">{esc(it.title)}</a></h3>'
            f'<div class="td-excerpt">{esc(it.paras[0][:140])}</div></div>'
            for it in items
        )
        nav = "".join(
            f'<a href="{self.listing_path(site, lang, p)}" class="page">{p}</a>'
            for p in range(1, total + 1)
        )
        main = f'<h1 class="tdb-title-text">{esc(C.NEWS_WORD[lang])}</h1>{mods}<div class="page-nav td-pb-padding-side">{nav}</div>'
        return self.page(
            self._doc(site, lang, f"{C.NEWS_WORD[lang]} Archives - {site.orgs[lang]}", main), site
        )

    def extra_page(self, site, lang, path, title, text):
        body = f"<p>{esc(text)}</p>" if text else ""
        main = f'<div class="td-page-content"><h1 class="entry-title td-page-title">{esc(title)}</h1>{body}</div>'
        return self.page(self._doc(site, lang, f"{title} - {site.orgs[lang]}", main), site)

    def more(self, site, lang, items, extras, pages):
        if site.variant % 2 == 0:
            pages["/feed/"] = rss(self.world, site, lang, items[:10], site.orgs[lang])
        else:
            base = self.world.base(site)
            pages["/sitemap_index.xml"] = Page(
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{base}/post-sitemap.xml</loc></sitemap><sitemap><loc>{base}/page-sitemap.xml</loc></sitemap></sitemapindex>",
                "application/xml; charset=UTF-8",
            )
            pages["/post-sitemap.xml"] = sitemap(
                self.world, site, [(it.path, it.day) for it in items]
            )
            pages["/page-sitemap.xml"] = sitemap(self.world, site, [(p, None) for p in extras])


class Drupal(Standard):
    name = "drupal"
    traits = (
        "Drupal views listing (div.views-row, ?page=1), /node/N URLs for articles AND for "
        "about/contact/profile pages, '<title> | <org>', US-style 'Sat, 12/05/2026 - 10:00' "
        "dates on half the sites, /rss.xml linked on a third"
    )

    def languages(self, k):
        return [("en", "ru", "en", "kk", "ru", "en")[k % 6]]

    def news_path(self, site, lang):
        return "/news"

    def listing_path(self, site, lang, page):
        return "/news" + (f"?page={page - 1}" if page > 1 else "")

    def article_path(self, site, item):
        return f"/node/{item.num}"

    def extras(self, world, site, lang):
        out = {}
        for n, (path, value) in enumerate(super().extras(world, site, lang).items()):
            key = (
                f"/node/{40 + n * 7}"
                if not path.startswith("/tag/")
                else f"/taxonomy/term/{3 + site.index % 9}"
            )
            out[key] = value
        return out

    def _doc(self, site, lang, title, main, head=""):
        base = self.world.base(site)
        feed = (
            f'<link rel="alternate" type="application/rss+xml" title="{esc(site.orgs[lang])} RSS" href="{base}/rss.xml">'
            if site.variant % 3 == 0
            else ""
        )
        return (
            f'<!DOCTYPE html><html lang="{lang}" dir="ltr"><head><meta charset="utf-8"><title>{esc(title)}</title>{feed}{head}</head>'
            f'<body class="path-node"><div class="dialog-off-canvas-main-canvas"><header role="banner"><div class="region region-header">'
            f'<div class="site-name">{esc(site.orgs[lang])}</div></div>{mega_menu(site, lang, base, "menu--main")}</header>'
            f'<main role="main"><div class="region region-content">{main}</div></main>'
            f'<div class="region region-sidebar-first">{popular(site, lang, 3, "block-views")}</div>{footer(site, lang)}</div></body></html>'
        )

    def _date(self, site, item):
        if site.variant % 2:
            return f'<div class="field field--name-created">{item.day:%a, %m/%d/%Y} - 10:00</div>'
        return f'<div class="node__meta"><time datetime="{iso(item.day)}">{dotted(item.day)}</time></div>'

    def article_page(self, site, item):
        main = (
            f'<h1 class="page-title"><span class="field field--name-title">{esc(item.title)}</span></h1>'
            f'<article class="node node--type-news">{self._date(site, item)}<div class="field--name-body">{paras_html(item)}</div></article>'
        )
        return self.page(
            self._doc(site, item.lang, f"{item.title} | {site.orgs[item.lang]}", main),
            site,
            item.day,
        )

    def listing_page(self, site, lang, items, n, total):
        rows = "".join(
            f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content"><a href="{it.path}" hreflang="{lang}">{esc(it.title)}</a></span></div>'
            f'<div class="views-field views-field-created">{dotted(it.day)}</div></div>'
            for it in items
        )
        pager = "".join(
            f'<li class="pager__item"><a href="{self.listing_path(site, lang, p)}">{p}</a></li>'
            for p in range(1, total + 1)
        )
        main = f'<h1 class="page-title">{esc(C.NEWS_WORD[lang])}</h1><div class="view view-news"><div class="view-content">{rows}</div><nav class="pager"><ul>{pager}</ul></nav></div>'
        return self.page(
            self._doc(site, lang, f"{C.NEWS_WORD[lang]} | {site.orgs[lang]}", main), site
        )

    def extra_page(self, site, lang, path, title, text):
        body = f"<p>{esc(text)}</p>" if text else ""
        main = f'<h1 class="page-title"><span class="field--name-title">{esc(title)}</span></h1><article class="node node--type-page"><div class="field--name-body">{body}</div></article>'
        return self.page(self._doc(site, lang, f"{title} | {site.orgs[lang]}", main), site)

    def more(self, site, lang, items, extras, pages):
        if site.variant % 3 == 0:
            pages["/rss.xml"] = rss(self.world, site, lang, items[:10], site.orgs[lang])


class Joomla(Standard):
    name = "joomla"
    traits = (
        "Joomla: index.php?option=com_content&view=article&id=N:slug&catid=8&Itemid=101 URLs, "
        "a category listing paginated with &start=10, the headline in <h2 itemprop=headline>, "
        "'Опубликовано: ...' dates, relative dates ('2 дня назад') on half the sites, a "
        "generic menu-item <title> on half, a format=feed RSS link on a third"
    )

    def languages(self, k):
        return [("ru", "kk", "ru", "en", "kk", "ru")[k % 6]]

    def news_path(self, site, lang):
        return "/index.php?option=com_content&view=category&id=8&Itemid=101"

    def listing_path(self, site, lang, page):
        return self.news_path(site, lang) + (f"&start={(page - 1) * 10}" if page > 1 else "")

    def article_path(self, site, item):
        return f"/index.php?option=com_content&view=article&id={item.num}:{item.slug}&catid=8&Itemid=101"

    def extras(self, world, site, lang):
        out = {}
        for n, value in enumerate(super().extras(world, site, lang).values()):
            out[f"/index.php?option=com_content&view=article&id={10 + n}&Itemid={102 + n}"] = value
        return out

    def _doc(self, site, lang, title, main):
        base = self.world.base(site)
        feed = (
            f'<link href="{self.news_path(site, lang)}&amp;format=feed&amp;type=rss" rel="alternate" type="application/rss+xml" title="RSS 2.0">'
            if site.variant % 3 == 0 else ""
        )  # fmt: skip
        return (
            f'<!DOCTYPE html><html lang="{lang}-{lang}" dir="ltr"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f'<meta name="generator" content="Joomla! - Open Source Content Management">{feed}</head>'
            f'<body class="site com_content view-article"><div class="container"><header class="header"><a class="brand" href="{base}/">{esc(site.orgs[lang])}</a></header>'
            f'{mega_menu(site, lang, base, "nav")}<div class="row-fluid"><main id="content" class="span9">{main}</main>'
            f'<div id="aside" class="span3"><div class="moduletable"><h3>{esc(C.NEWS_WORD[lang])}</h3>{popular(site, lang, 4, "latestnews")}</div></div></div>'
            f"{footer(site, lang, 'footer')}</div></body></html>"
        )

    def _date(self, site, item):
        label = {"ru": "Опубликовано", "kk": "Жарияланды", "en": "Published", "ms": "Diterbitkan"}[
            item.lang
        ]
        if site.variant % 2:
            return f'<dd class="published"><span class="icon-calendar"></span> {label}: {rel_or_long(self.world.today, item, item.lang)}</dd>'
        return f'<dd class="published"><time datetime="{iso(item.day)}" itemprop="datePublished">{label}: {dotted(item.day)}</time></dd>'

    def article_page(self, site, item):
        lang = item.lang
        main = (
            f'<div class="item-page" itemscope itemtype="https://schema.org/Article"><div class="page-header">'
            f'<h2 itemprop="headline">{esc(item.title)}</h2></div><dl class="article-info">{self._date(site, item)}</dl>'
            f'<div itemprop="articleBody">{paras_html(item)}</div></div>'
        )
        title = C.NEWS_WORD[lang] if site.variant % 2 else item.title
        return self.page(self._doc(site, lang, title, main), site, item.day)

    def listing_page(self, site, lang, items, n, total):
        rows = "".join(
            f'<div class="items-row"><div class="item"><div class="page-header"><h2 itemprop="name"><a href="{it.path.replace("&", "&amp;")}" itemprop="url">{esc(it.title)}</a></h2></div>'
            f"<p>{esc(it.paras[0][:150])}</p></div></div>"
            for it in items
        )
        pager = "".join(
            f'<li><a href="{self.listing_path(site, lang, p).replace("&", "&amp;")}">{p}</a></li>'
            for p in range(1, total + 1)
        )
        main = f'<div class="blog">{rows}<div class="pagination"><ul>{pager}</ul></div></div>'
        return self.page(self._doc(site, lang, C.NEWS_WORD[lang], main), site)

    def extra_page(self, site, lang, path, title, text):
        body = f"<p>{esc(text)}</p>" if text else ""
        main = f'<div class="item-page"><div class="page-header"><h2 itemprop="headline">{esc(title)}</h2></div><div itemprop="articleBody">{body}</div></div>'
        return self.page(self._doc(site, lang, title, main), site)

    def more(self, site, lang, items, extras, pages):
        if site.variant % 3 == 0:
            pages[self.news_path(site, lang) + "&format=feed&type=rss"] = rss(
                self.world, site, lang, items[:10], site.orgs[lang]
            )


class StaticGen(Standard):
    name = "static"
    traits = (
        "Hugo / Jekyll: /posts/2026/11/slug/ URLs, clean semantic <article><h1><time>, an Atom "
        "feed (Jekyll half) or RSS index.xml (Hugo half) linked in <head>, /tags/ pages, "
        "sitemap.xml"
    )

    def languages(self, k):
        return [("en", "en", "ms", "ru", "en", "kk")[k % 6]]

    def news_path(self, site, lang):
        return "/posts/"

    def listing_path(self, site, lang, page):
        return "/posts/" + (f"page/{page}/" if page > 1 else "")

    def article_path(self, site, item):
        return f"/posts/{item.day:%Y/%m}/{item.slug}/"

    def extras(self, world, site, lang):
        out = {}
        for path, value in super().extras(world, site, lang).items():
            out[path.replace("/tag/", "/tags/")] = value
        return out

    def sitemaps(self, site):
        return ["/sitemap.xml"]

    def _feed(self, site):
        return (
            ("/feed.xml", "application/atom+xml")
            if site.variant % 2 == 0
            else ("/index.xml", "application/rss+xml")
        )

    def _doc(self, site, lang, title, main):
        href, kind = self._feed(site)
        nav = "".join(
            f'<a href="/{p}/">{esc(label)}</a>'
            for p, label in zip(("", "about", "posts", "contacts"), C.MENU[lang][:4], strict=False)
        )
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><meta name="generator" content="Hugo 0.139.0">'
            f'<title>{esc(title)}</title><link rel="alternate" type="{kind}" href="{href}" title="{esc(site.orgs[lang])}"></head>'
            f"<body><header><nav>{nav}</nav></header><main>{main}</main>"
            f"<footer><p>© 2026 {esc(site.orgs[lang])} · Built with Hugo</p></footer></body></html>"
        )

    def article_page(self, site, item):
        main = (
            f'<article><header><h1>{esc(item.title)}</h1><time datetime="{item.day.isoformat()}">{long_date(item.day, item.lang)}</time></header>'
            f"{paras_html(item)}</article>"
        )
        return self.page(
            self._doc(site, item.lang, f"{item.title} | {site.orgs[item.lang]}", main),
            site,
            item.day,
        )

    def listing_page(self, site, lang, items, n, total):
        lis = "".join(
            f'<li><a href="{it.path}">{esc(it.title)}</a> <time>{it.day.isoformat()}</time></li>'
            for it in items
        )
        older = (
            f'<a class="next" href="{self.listing_path(site, lang, n + 1)}">Older posts</a>'
            if n < total
            else ""
        )
        main = f'<h1>Posts</h1><ul class="posts">{lis}</ul>{older}'
        return self.page(self._doc(site, lang, f"Posts | {site.orgs[lang]}", main), site)

    def extra_page(self, site, lang, path, title, text):
        body = (
            f"<p>{esc(text)}</p>"
            if text
            else "".join(
                f'<li><a href="{it.path}">{esc(it.title)}</a></li>'
                for it in self.tag_items(site, lang)
            )
        )
        return self.page(
            self._doc(
                site,
                lang,
                f"{title} | {site.orgs[lang]}",
                f"<article><h1>{esc(title)}</h1>{body}</article>",
            ),
            site,
        )

    def more(self, site, lang, items, extras, pages):
        href, _ = self._feed(site)
        make = atom if site.variant % 2 == 0 else rss
        pages[href] = make(self.world, site, lang, items[:20], site.orgs[lang])
        pages["/sitemap.xml"] = sitemap(
            self.world, site, [(it.path, it.day) for it in items] + [(p, None) for p in extras]
        )


class NextJS(Standard):
    name = "nextjs"
    traits = (
        "Next.js: a thin server-rendered shell (header, footer, an empty skeleton), the "
        "article in __NEXT_DATA__ and in JSON-LD NewsArticle only, cards on the listing, "
        "?page=2 pagination, sitemap.xml in robots.txt"
    )

    def languages(self, k):
        return [("en", "ms", "en", "ru", "en", "ms")[k % 6]]

    def news_path(self, site, lang):
        return "/news"

    def listing_path(self, site, lang, page):
        return "/news" + (f"?page={page}" if page > 1 else "")

    def article_path(self, site, item):
        return f"/news/{item.slug}-{item.num}"

    def sitemaps(self, site):
        return ["/sitemap.xml"]

    def _doc(self, site, lang, title, data, head=""):
        base = self.world.base(site)
        nd = json.dumps(
            {
                "props": {"pageProps": data},
                "page": "/news/[slug]",
                "buildId": "b8x2k",
                "isFallback": False,
            },
            ensure_ascii=False,
        )
        nd = nd.replace("</", "<\\/")
        nav = "".join(
            f'<a href="{base}{menu_href(site, lang, k)}">{esc(label)}</a>'
            for k, label in enumerate(C.MENU[lang])
        )
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>{head}'
            f'<link rel="preload" href="/_next/static/chunks/main-3f2a.js" as="script"></head>'
            f'<body><div id="__next"><header class="Header_root__x1"><span class="Header_logo__k2">{esc(site.orgs[lang])}</span><nav>{nav}</nav></header>'
            f'<main class="Main_root__p0"><div class="Skeleton_block__q9" aria-busy="true"></div></main>'
            f'<footer class="Footer_root__z3">© {esc(site.orgs[lang])}</footer></div>'
            f'<script id="__NEXT_DATA__" type="application/json">{nd}</script></body></html>'
        )

    def article_page(self, site, item):
        base = self.world.base(site)
        data = {"article": {"id": item.num, "title": item.title, "publishedAt": iso(item.day),
                            "locale": item.lang, "body": "".join(f"<p>{esc(p)}</p>" for p in item.paras)}}  # fmt: skip
        ld = json.loads(
            json_ld(item, base, site.orgs[item.lang]).split(">", 1)[1].rsplit("<", 1)[0]
        )
        ld["articleBody"] = "\n\n".join(item.paras)
        head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        return self.page(
            self._doc(site, item.lang, f"{item.title} | {site.orgs[item.lang]}", data, head),
            site,
            item.day,
        )

    def listing_page(self, site, lang, items, n, total):
        data = {
            "items": [
                {"title": it.title, "href": it.path, "date": it.day.isoformat()} for it in items
            ],
            "page": n,
            "pages": total,
        }
        page = self._doc(site, lang, f"{C.NEWS_WORD[lang]} | {site.orgs[lang]}", data)
        cards = "".join(
            f'<a class="Card_root__c1" href="{it.path}"><h3 class="Card_title__t4">{esc(it.title)}</h3><span>{it.day.isoformat()}</span></a>'
            for it in items
        )
        more = (
            f'<a href="{self.listing_path(site, lang, n + 1)}">Load more</a>' if n < total else ""
        )
        page = page.replace(
            '<div class="Skeleton_block__q9" aria-busy="true"></div>',
            f'<section class="Grid_root__g2">{cards}</section>{more}',
        )
        return self.page(page, site)

    def extra_page(self, site, lang, path, title, text):
        data = {"page": {"title": title, "body": text}}
        return self.page(self._doc(site, lang, f"{title} | {site.orgs[lang]}", data), site)

    def more(self, site, lang, items, extras, pages):
        pages["/sitemap.xml"] = sitemap(
            self.world, site, [(it.path, it.day) for it in items] + [(p, None) for p in extras]
        )


class Hreflang(Standard):
    name = "hreflang"
    traits = (
        "WordPress + WPML with translations en/ru/kk: /en/news/slug/, /ru/novosti/slug/, "
        "/kk/zhanalyqtar/slug/, <link rel=alternate hreflang> between the versions, a "
        "language switcher; one source per language; some kk versions published a pass later"
    )
    SECTION: ClassVar[dict[str, str]] = {"en": "news", "ru": "novosti", "kk": "zhanalyqtar"}

    def languages(self, k):
        return ["en", "ru", "kk"]

    def archive(self, k):
        return 7 + k % 2

    def news_path(self, site, lang):
        return f"/{lang}/{self.SECTION[lang]}/"

    def listing_path(self, site, lang, page):
        return self.news_path(site, lang) + (f"page/{page}/" if page > 1 else "")

    def article_path(self, site, item):
        return f"/{item.lang}/{self.SECTION[item.lang]}/{item.slug}/"

    def sitemaps(self, site):
        return ["/sitemap.xml"] if site.variant % 2 == 0 else []

    def _versions(self, site, item):
        return {
            lang: it
            for lang in site.langs
            for it in site.items.get(lang, [])
            if it.story.id == item.story.id
        }

    def _doc(self, site, lang, title, main, head="", switch=None):
        base = self.world.base(site)
        switch = switch or {lg: self.news_path(site, lg) for lg in site.langs}
        links = "".join(
            f'<li class="wpml-ls-item"><a href="{href}">{lg.upper()}</a></li>'
            for lg, href in switch.items()
        )
        return (
            f'<!DOCTYPE html><html lang="{lang}-{lang.upper()}"><head><meta charset="UTF-8"><title>{esc(title)}</title>{head}</head>'
            f'<body><header><div class="logo">{esc(site.orgs[lang])}</div><ul class="wpml-ls">{links}</ul>{mega_menu(site, lang, base)}</header>'
            f'<div class="container">{main}{popular(site, lang)}</div>{footer(site, lang)}{cookie_banner(lang)}</body></html>'
        )

    def article_page(self, site, item):
        versions = self._versions(site, item)
        base = self.world.base(site)
        head = "".join(
            f'<link rel="alternate" hreflang="{lg}" href="{base}{it.path}">'
            for lg, it in versions.items()
        )
        head += f'<meta property="og:title" content="{esc(item.title)}">'
        main = (
            f'<article><h1 class="entry-title">{esc(item.title)}</h1><span class="date">{dotted(item.day)}</span>'
            f'<div class="entry-content">{paras_html(item)}</div></article>'
        )
        switch = {lg: it.path for lg, it in versions.items()}
        return self.page(
            self._doc(
                site, item.lang, f"{item.title} – {site.orgs[item.lang]}", main, head, switch
            ),
            site,
            item.day,
        )

    def listing_page(self, site, lang, items, n, total):
        rows = "".join(
            f'<div class="news-item"><span class="date">{dotted(it.day)}</span><h3><a href="{it.path}">{esc(it.title)}</a></h3></div>'
            for it in items
        )
        nav = "".join(
            f'<a href="{self.listing_path(site, lang, p)}">{p}</a>' for p in range(1, total + 1)
        )
        main = f'<h1>{esc(C.NEWS_WORD[lang])}</h1>{rows}<div class="nav-links">{nav}</div>'
        return self.page(
            self._doc(site, lang, f"{C.NEWS_WORD[lang]} – {site.orgs[lang]}", main), site
        )

    def extra_page(self, site, lang, path, title, text):
        body = f"<p>{esc(text)}</p>" if text else ""
        return self.page(
            self._doc(
                site,
                lang,
                f"{title} – {site.orgs[lang]}",
                f'<article><h1 class="entry-title">{esc(title)}</h1>{body}</article>',
            ),
            site,
        )

    def more(self, site, lang, items, extras, pages):
        if site.variant % 2 == 0:
            every = [(it.path, it.day) for lg in site.langs for it in site.items.get(lg, [])]
            pages["/sitemap.xml"] = sitemap(self.world, site, every + [(p, None) for p in extras])


class Polylang(Hreflang):
    name = "polylang"
    traits = (
        "WordPress + Polylang with translations en/ru/kk and no hreflang: "
        "/en/2026/12/<id>-slug/, /ru/..., each version its own post id, a language menu that "
        "links only to the other languages' home pages, the headline in h2.post-title, "
        "'<title> | <org>'; one source per language; some kk versions published a pass later"
    )

    def article_path(self, site, item):
        return f"/{item.lang}/{item.day:%Y/%m}/{item.num}-{item.slug}/"

    def article_page(self, site, item):
        main = (
            f'<div class="post"><h2 class="post-title">{esc(item.title)}</h2>'
            f'<div class="meta">{dotted(item.day)}</div>'
            f'<div class="post-body">{paras_html(item)}</div></div>'
        )
        title = f"{item.title} | {site.orgs[item.lang]}"
        return self.page(self._doc(site, item.lang, title, main), site, item.day)


class Headless(Standard):
    name = "headless"
    traits = (
        "decoupled Drupal behind a Nuxt front-end: the news page is an empty app shell whose "
        "only way to the items is a JSON:API URL (in the inline __NUXT__ state, its slashes "
        "escaped, on half the sites; in a data- attribute of the mount element on the other), "
        "items at data[].attributes {title, created, path.alias}, links.next.href paging by "
        "offset; no feed, no sitemap, no <noscript> list; server-rendered article pages"
    )
    api = "/jsonapi/node/news"

    def languages(self, k):
        return [("ru", "en", "kk", "ms", "en", "ru")[k % 6]]

    def news_path(self, site, lang):
        return "/press-center/news"

    def listing_path(self, site, lang, page):
        # the API's pages, which is all the listing there is
        return f"{self.api}?page%5Blimit%5D=10&page%5Boffset%5D={(page - 1) * 10}&sort=-created"

    def article_path(self, site, item):
        return f"/press-center/news/{item.slug}"

    def _shell(self, site, lang, title, main, state):
        base = self.world.base(site)
        nav = "".join(
            f'<li><a href="{base}{menu_href(site, lang, k)}">{esc(label)}</a></li>'
            for k, label in enumerate(C.MENU[lang])
        )
        return (
            f'<!DOCTYPE html><html lang="{lang}" data-n-head="%7B%7D"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title>"
            '<link rel="preload" href="/_nuxt/7f3c1e2.js" as="script"></head>'
            f'<body><div id="__nuxt"><div id="__layout"><header class="app-header">'
            f'<a class="logo" href="{base}/">{esc(site.orgs[lang])}</a><ul class="app-nav">{nav}</ul>'
            f'</header>{main}<footer class="app-footer">© {esc(site.orgs[lang])}</footer></div></div>'
            f"<script>{state}</script>"
            '<script src="/_nuxt/7f3c1e2.js" defer></script></body></html>'
        )

    def _state(self, endpoint):
        escaped = endpoint.replace("/", "\\u002F")
        return (
            'window.__NUXT__=(function(a,b,c){return {layout:"default",data:[{}],fetch:{},'
            f'error:a,serverRendered:b,config:{{_app:{{basePath:"\\u002F"}},jsonapi:{{news:c}}}}}}}}'
            f'(null,true,"{escaped}"));'
        )

    def listing_page(self, site, lang, items, n, total):
        base = self.world.base(site)
        data = [
            {
                "type": "node--news",
                "id": f"{it.num:08d}-5c1e-4b7a-9d3f-{it.num:012d}",
                "attributes": {
                    "title": it.title,
                    "created": iso(it.day),
                    "langcode": lang,
                    "path": {"alias": it.path, "langcode": lang},
                },
            }
            for it in items
        ]
        links = {"self": {"href": base + self.listing_path(site, lang, n)}}
        if n < total:
            links["next"] = {"href": base + self.listing_path(site, lang, n + 1)}
        body = json.dumps(
            {"jsonapi": {"version": "1.0"}, "data": data, "links": links}, ensure_ascii=False
        )
        return Page(
            body, "application/vnd.api+json", modified=max((it.day for it in items), default=None)
        )

    def _news_shell(self, site, lang):
        endpoint = self.listing_path(site, lang, 1)
        if site.variant % 2:
            main = f'<main id="news-app" data-source="{esc(endpoint)}" class="news-list"></main>'
            state = 'window.__NUXT__={layout:"default",data:[{}],serverRendered:true};'
        else:
            main = '<main class="news-list"><div class="spinner"></div></main>'
            state = self._state(endpoint)
        return self.page(
            self._shell(site, lang, f"{C.NEWS_WORD[lang]} | {site.orgs[lang]}", main, state), site
        )

    def article_page(self, site, item):
        main = (
            f'<main><article class="node node--type-news"><h1 class="page-title"><span>{esc(item.title)}</span></h1>'
            f'<div class="node__meta"><span class="date">{dotted(item.day)}</span></div>'
            f'<div class="text-formatted field--name-body">{paras_html(item)}</div></article></main>'
        )
        state = 'window.__NUXT__={layout:"default",data:[{}],serverRendered:true};'
        return self.page(
            self._shell(site, item.lang, f"{item.title} | {site.orgs[item.lang]}", main, state),
            site,
            item.day,
        )

    def extra_page(self, site, lang, path, title, text):
        main = f'<main><h1 class="page-title">{esc(title)}</h1><div class="text-formatted"><p>{esc(text)}</p></div></main>'
        state = 'window.__NUXT__={layout:"default",data:[{}],serverRendered:true};'
        return self.page(self._shell(site, lang, f"{title} | {site.orgs[lang]}", main, state), site)

    def more(self, site, lang, items, extras, pages):
        shell = self._news_shell(site, lang)
        pages[self.news_path(site, lang)] = shell
        pages["/"] = shell  # the home page is the same app


DEV = [
    WordPressFeed(),
    WordPressNoFeed(),
    TagDiv(),
    Drupal(),
    Joomla(),
    StaticGen(),
    NextJS(),
    Hreflang(),
    Polylang(),
    Headless(),
]
