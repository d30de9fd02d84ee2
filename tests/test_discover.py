"""Discovery over realistic listing pages, feeds and sitemaps written inline (no I/O)."""

from __future__ import annotations

import datetime as dt
import gzip
from urllib.parse import quote

import pytest

from monitor.core import discover
from monitor.core.discover import (
    feed_links,
    listing_links,
    looks_like_feed,
    looks_like_sitemap,
    next_page,
    parse_feed,
    parse_sitemap,
    same_site,
    sitemap_urls,
)
from monitor.core.htmldoc import HtmlPage

UTC = dt.UTC

# --- a kisi.kz-like WordPress listing --------------------------------------------------------

KISI_POSTS = [
    ("central-asia-and-asean-new-horizons-of-cooperation", "Central Asia and ASEAN: new horizons"),
    ("a-memorandum-of-understanding-was-signed-with-isis-malaysia", "A Memorandum with ISIS"),
    ("kazakhstan-china-trade-in-2023-results", "Kazakhstan–China trade in 2023"),
    ("the-middle-corridor-and-its-prospects", "The Middle Corridor and its prospects"),
    ("water-security-in-central-asia", "Water security in Central Asia"),
    ("expert-round-table-on-regional-security", "Expert round table on regional security"),
    ("digital-economy-of-kazakhstan-trends", "Digital economy of Kazakhstan: trends"),
    ("climate-agenda-and-energy-transition", "Climate agenda and energy transition"),
    ("kisi-delegation-visits-kuala-lumpur", "KISI delegation visits Kuala Lumpur"),
    ("results-of-the-astana-international-forum", "Results of the Astana International Forum"),
]


def _kisi_card(i: int, slug: str, title: str) -> str:
    day = 26 - i
    return f"""
    <article id="post-{9300 + i}" class="post-{9300 + i} post type-post status-publish
        format-standard has-post-thumbnail hentry category-news tag-asean">
      <a class="post-thumbnail" href="https://kisi.kz/en/{slug}/" aria-hidden="true">
        <img src="https://kisi.kz/wp-content/uploads/2024/02/{slug}.jpg" alt=""></a>
      <header class="entry-header">
        <h2 class="entry-title"><a href="https://kisi.kz/en/{slug}/" rel="bookmark">{title}</a></h2>
        <div class="entry-meta"><span class="posted-on"><a href="https://kisi.kz/en/{slug}/">
          <time class="entry-date published" datetime="2024-02-{day:02d}T10:15:00+05:00">
            {day} February 2024</time>
          <time class="updated" datetime="2024-03-01T09:00:00+05:00">1 March 2024</time></a>
        </span> <span class="byline"><a href="https://kisi.kz/en/author/editor/">editor</a></span>
        </div>
      </header>
      <div class="entry-summary"><p>Short summary of the post…</p></div>
      <footer class="entry-footer">
        <span class="cat-links"><a href="https://kisi.kz/en/category/news/">News</a></span>
        <span class="tags-links"><a href="https://kisi.kz/en/tag/asean/" rel="tag">ASEAN</a></span>
        <a class="more-link" href="https://kisi.kz/en/{slug}/#more-{9300 + i}">Read more</a>
        <a href="https://kisi.kz/en/{slug}/#respond">Leave a comment</a>
      </footer>
    </article>"""


KISI_LISTING = f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>News – Kazakhstan Institute for Strategic Studies under the President</title>
<link rel="alternate" type="application/rss+xml" title="KISI » Feed" href="https://kisi.kz/en/feed/">
<link rel="alternate" type="application/rss+xml" title="KISI » Comments Feed"
      href="https://kisi.kz/en/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="News » Feed" href="/en/category/news/feed/">
<link rel="alternate" type="application/json+oembed" href="https://kisi.kz/wp-json/oembed/1.0/">
<link rel="alternate" hreflang="ru" href="https://kisi.kz/ru/category/news/">
<link rel="stylesheet" href="https://kisi.kz/wp-content/themes/kisi/style.css">
</head>
<body class="archive category category-news has-sidebar">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header">
  <div class="site-branding"><a href="https://kisi.kz/en/" rel="home">Kazakhstan Institute for
    Strategic Studies under the President of the Republic of Kazakhstan</a></div>
  <div class="lang-switch"><a href="https://kisi.kz/ru/">RU</a> <a href="https://kisi.kz/kz/">KZ</a>
    <a href="https://kisi.kz/en/">EN</a></div>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
    <li><a href="https://kisi.kz/en/about-the-institute-and-its-mission/">About us</a></li>
    <li><a href="https://kisi.kz/en/category/analytics/">Analytics</a></li>
    <li><a href="https://kisi.kz/en/publications">Publications</a></li>
    <li><a href="https://kisi.kz/en/contacts/">Contacts</a></li></ul></nav>
</header>
<div id="content" class="site-content">
  <div class="breadcrumbs"><a href="https://kisi.kz/en/">Main page</a> » News</div>
  <div id="primary" class="content-area"><main id="main" class="site-main">
    <header class="page-header"><h1 class="page-title">News</h1></header>
    {"".join(_kisi_card(i, slug, title) for i, (slug, title) in enumerate(KISI_POSTS))}
    <nav class="navigation pagination" aria-label="Posts"><div class="nav-links">
      <span aria-current="page" class="page-numbers current">1</span>
      <a class="page-numbers" href="https://kisi.kz/en/page/2/">2</a>
      <a class="page-numbers" href="https://kisi.kz/en/page/3/">3</a>
      <a class="next page-numbers" href="https://kisi.kz/en/page/2/">Next</a></div></nav>
  </main></div>
  <aside id="secondary" class="widget-area">
    <section id="search-2" class="widget widget_search"><form action="https://kisi.kz/en/">
      <input name="s"></form></section>
    <section id="popular-posts-2" class="widget popular-posts"><h2 class="widget-title">Popular</h2>
      <ul><li><a href="https://kisi.kz/en/the-geopolitics-of-the-caspian-sea-region/">Caspian</a></li>
          <li><a href="https://kisi.kz/en/eurasian-integration-achievements-and-risks/">EAEU</a></li>
      </ul></section>
    <section class="widget widget_archive"><ul>
      <li><a href="https://kisi.kz/en/2024/02/">February 2024</a></li></ul></section>
  </aside>
</div>
<div class="legal"><a href="https://kisi.kz/en/privacy-policy-of-the-institute/">Privacy</a></div>
<footer id="colophon" class="site-footer">
  <a href="https://kisi.kz/en/privacy-policy-of-the-institute/">Privacy policy</a>
  <a href="https://www.facebook.com/kisi.kz">Facebook</a> <a href="mailto:office@kisi.kz">Mail</a>
  <a href="tel:+77172000000">Call us</a>
</footer></div></body></html>"""

KISI_URL = "https://kisi.kz/en/"


def test_wordpress_listing_yields_the_ten_posts_in_order_and_nothing_else() -> None:
    found = listing_links(HtmlPage(KISI_LISTING), KISI_URL)

    assert found.kind == "html"
    assert [link.url for link in found.links] == [
        f"https://kisi.kz/en/{slug}/" for slug, _ in KISI_POSTS
    ]


def test_wordpress_listing_titles_and_dates_come_from_the_card() -> None:
    found = listing_links(HtmlPage(KISI_LISTING), KISI_URL)

    first = found.links[0]
    assert first.title == "Central Asia and ASEAN: new horizons"
    # The published <time>, not the "updated" one next to it.
    assert first.published == dt.datetime(2024, 2, 26, 5, 15, tzinfo=UTC)
    assert found.links[9].published == dt.datetime(2024, 2, 17, 5, 15, tzinfo=UTC)
    assert [link.title for link in found.links] == [title for _, title in KISI_POSTS]


def test_wordpress_listing_drops_menu_sidebar_and_footer_links() -> None:
    urls = {link.url for link in listing_links(HtmlPage(KISI_LISTING), KISI_URL).links}

    # Sidebar "popular posts" are article-shaped but off the main list: not kept.
    assert "https://kisi.kz/en/the-geopolitics-of-the-caspian-sea-region/" not in urls
    assert "https://kisi.kz/en/about-the-institute-and-its-mission/" not in urls
    assert "https://kisi.kz/en/privacy-policy-of-the-institute/" not in urls
    assert not any("/ru/" in u or "/kz/" in u or "/category/" in u or "/tag/" in u for u in urls)
    assert not any("author" in u or "wp-content" in u or "/page/" in u for u in urls)


def test_wordpress_listing_next_page() -> None:
    assert listing_links(HtmlPage(KISI_LISTING), KISI_URL).next_page == "https://kisi.kz/en/page/2/"


def test_feed_links_from_head_same_site_first_comments_last() -> None:
    feeds = feed_links(HtmlPage(KISI_LISTING), "https://kisi.kz/en/category/news/")

    assert feeds == [
        "https://kisi.kz/en/feed/",
        "https://kisi.kz/en/category/news/feed/",
        "https://kisi.kz/en/comments/feed/",
    ]


def test_feed_links_puts_other_sites_after_own() -> None:
    html = """<html><head>
      <link rel="alternate" type="application/atom+xml" href="https://feeds.example.org/isis">
      <link rel="alternate" type="application/feed+json" href="/feed.json">
      <link rel="alternate" type="text/html" href="/other"></head><body></body></html>"""

    feeds = feed_links(HtmlPage(html), "https://www.isis.org.my/")

    assert feeds == ["https://www.isis.org.my/feed.json", "https://feeds.example.org/isis"]


# --- an isis.org.my-like tagDiv "Newspaper" listing -------------------------------------------

ISIS_POSTS = [
    ("2024/02/26", "kazakhstan-and-malaysia-sign-memorandum-on-think-tank-cooperation"),
    ("2024/02/20", "asean-outlook-on-the-indo-pacific-five-years-on"),
    ("2024/02/14", "malaysia-energy-transition-roadmap-explained"),
    ("2024/02/02", "south-china-sea-code-of-conduct-negotiations"),
]


def _td_module(day: str, slug: str) -> str:
    title = slug.replace("-", " ").capitalize()
    link = f"https://isis.org.my/{day}/{slug}/"
    return f"""
    <div class="td_module_10 td_module_wrap td-animation-stack">
      <div class="td-module-thumb"><a href="{link}" rel="bookmark" class="td-image-wrap"
        title="{title}"><img class="entry-thumb" src="https://isis.org.my/wp-content/uploads/x.jpg"
        alt="" title="{title}"></a></div>
      <div class="item-details">
        <h3 class="entry-title td-module-title"><a href="{link}" rel="bookmark">{title}</a></h3>
        <div class="td-module-meta-info">
          <a href="https://isis.org.my/category/commentaries/" class="td-post-category">Comment</a>
          <span class="td-post-date"><time class="entry-date updated td-module-date"
            datetime="{day.replace("/", "-")}T08:00:00+08:00">{day}</time></span>
          <span class="td-module-comments"><a href="{link}#respond">0</a></span></div>
        <div class="td-excerpt">Excerpt…</div></div>
    </div>"""


ISIS_LISTING = f"""<html><head><title>Commentaries | ISIS Malaysia</title>
<link rel="next" href="https://www.isis.org.my/category/commentaries/page/2/"></head>
<body class="category td-standard-pack">
<div class="td-header-wrap td-header-style-1">
  <div class="td-header-top-menu"><a href="https://isis.org.my/about-isis-malaysia-and-its-board/">
    About</a></div>
  <div class="td-header-menu-wrap"><ul id="menu-main-menu" class="sf-menu">
    <li><a href="https://isis.org.my/publications/">Publications</a></li>
    <li><a href="https://www.isis.org.my/events/list/">Events</a></li>
    <li><a href="https://isis.org.my/recent-event/asia-pacific-roundtable-2024/">APR</a></li>
  </ul></div></div>
<div class="td-main-content-wrap td-container-wrap"><div class="td-container">
  <div class="td-crumb-container"><div class="entry-crumbs">
    <a href="https://isis.org.my/" class="entry-crumb">Home</a></div></div>
  <div class="td-pb-row"><div class="td-pb-span8 td-main-content">
    <div class="td-ss-main-content">
      {"".join(_td_module(day, slug) for day, slug in ISIS_POSTS)}
      <p>More in <a href="https://isis.org.my/2024/02/">February 2024</a> and the
        <a href="https://isis.org.my/events/list/?tribe-bar-date=2024-02-26">event calendar</a>
        (<a href="https://isis.org.my/events/?ical=1">iCal</a>,
        <a href="https://isis.org.my/wp-content/uploads/2024/02/report.pdf">Read in PDF</a>).</p>
      <div class="page-nav td-pb-padding-side"><span class="current">1</span>
        <a href="https://www.isis.org.my/category/commentaries/page/2/" class="page">2</a>
        <a href="https://www.isis.org.my/category/commentaries/page/2/">
          <i class="td-icon-menu-right"></i></a></div>
    </div></div>
  <div class="td-pb-span4 td-main-sidebar"><div class="td-ss-main-sidebar">
    <aside class="td_block_template_1 widget widget_recent_entries"><ul>
      <li><a href="https://isis.org.my/2023/12/01/looking-back-at-the-year-in-asean/">Year</a></li>
    </ul></aside></div></div>
  </div></div></div>
<div class="td-footer-wrapper"><a href="https://isis.org.my/2023/11/11/footer-featured-post/">
  Featured</a></div>
</body></html>"""

ISIS_URL = "https://www.isis.org.my/category/commentaries/"


def test_tagdiv_listing_keeps_dated_posts_from_td_modules() -> None:
    found = listing_links(HtmlPage(ISIS_LISTING), ISIS_URL)

    assert [link.url for link in found.links] == [
        f"https://isis.org.my/{day}/{slug}/" for day, slug in ISIS_POSTS
    ]
    assert found.links[0].title == (
        "Kazakhstan and malaysia sign memorandum on think tank cooperation"
    )
    assert found.links[0].published == dt.datetime(2024, 2, 26, 0, 0, tzinfo=UTC)
    assert found.next_page == "https://www.isis.org.my/category/commentaries/page/2/"


def test_link_selector_uses_exactly_the_selected_elements() -> None:
    found = listing_links(HtmlPage(ISIS_LISTING), ISIS_URL, link_selector="h3.entry-title")

    assert len(found.links) == 4
    assert found.links[1].url == "https://isis.org.my/2024/02/20/" + ISIS_POSTS[1][1] + "/"


def test_link_selector_on_anchors_takes_even_non_article_shapes_but_stays_on_site() -> None:
    html = """<html><body><div class="list">
      <a class="item" href="/en/publications">Publications</a>
      <a class="item" href="https://othersite.example/en/news/1">Elsewhere</a>
      <a class="item" href="mailto:a@kisi.kz">Mail</a>
      <a class="item" href="/en/blogs/energy-outlook/">Energy outlook</a></div></body></html>"""

    found = listing_links(HtmlPage(html), "https://kisi.kz/en/blogs/", link_selector="a.item")

    assert [(link.url, link.title) for link in found.links] == [
        ("https://kisi.kz/en/publications", "Publications"),
        ("https://kisi.kz/en/blogs/energy-outlook/", "Energy outlook"),
    ]


def test_invalid_link_selector_is_a_clear_error() -> None:
    with pytest.raises(
        ValueError, match=r"link_selector 'h3\.\.entry' is not a valid CSS selector"
    ):
        listing_links(HtmlPage(ISIS_LISTING), ISIS_URL, link_selector="h3..entry")


def test_include_and_exclude_apply_after_the_built_in_rules() -> None:
    page = HtmlPage(ISIS_LISTING)

    included = listing_links(page, ISIS_URL, include=[r"/2024/02/2\d/"])
    excluded = listing_links(page, ISIS_URL, exclude=[r"south-china-sea", r"energy"])

    assert [link.url.split("/")[-2] for link in included.links] == [
        ISIS_POSTS[0][1],
        ISIS_POSTS[1][1],
    ]
    assert [link.url.split("/")[-2] for link in excluded.links] == [
        ISIS_POSTS[0][1],
        ISIS_POSTS[1][1],
    ]


def test_invalid_include_regex_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="include pattern"):
        listing_links(HtmlPage(ISIS_LISTING), ISIS_URL, include=["(unclosed"])


# --- a plain hand-made listing ---------------------------------------------------------------

PLAIN_LISTING = """<html><head><meta charset="utf-8"><title>Новости</title></head><body>
<nav><a href="/en/about">About</a> <a href="/ru/">Русский</a> <a href="/en/?lang=tj">TJ</a></nav>
<table><tr><td>
<h1>News</h1>
<ul>
  <li>26.02.2024 <a href="/en/1234/news">Kazakhstan and Tajikistan discuss water security</a></li>
  <li>20.02.2024 <a href="/en/1230/news">Seminar on regional connectivity</a></li>
  <li>14.02.2024 <a href="https://mts.tj/?p=9319">Memorandum with partner institute</a></li>
  <li>10.02.2024 <a href="/news/1228-dushanbe-forum-results">Dushanbe forum results</a></li>
  <li><a href="/en/1234/news#comments">Comments</a></li>
  <li><a href="https://twitter.com/mts_tj/status/1234567">Our tweet</a></li>
  <li><a href="//cdn.example.net/en/1111/news">Mirror</a></li>
  <li><a href="javascript:void(0)">Print</a> <a href="#top">Top</a></li>
  <li><a href="tel:+992372">Tel</a></li>
  <li><a href="/upload/iblock/report-2024.pdf">Annual report (PDF)</a></li>
  <li><a href="/upload/photo_123.JPG">Photo</a> <a href="/files/plan.docx">Plan</a></li>
  <li><a href="/en/news/?date=2024-02-26">26 February</a> <a href="/en/search?q=asean">Find</a></li>
  <li><a href="/en/news/">All news</a> <a href="/">Home</a></li>
  <li><a href="/en/privacy-policy-and-terms/">Privacy policy</a></li>
</ul>
<a href="/en/news/?page=2">Next</a>
</td></tr></table>
<footer><a href="/en/2020/contacts-and-address-of-the-center">Contacts</a></footer>
</body></html>"""


def test_plain_listing_falls_back_to_the_page_and_finds_numeric_ids() -> None:
    found = listing_links(HtmlPage(PLAIN_LISTING), "https://mts.tj/en/news/")

    assert [(link.url, link.title) for link in found.links] == [
        ("https://mts.tj/en/1234/news", "Kazakhstan and Tajikistan discuss water security"),
        ("https://mts.tj/en/1230/news", "Seminar on regional connectivity"),
        ("https://mts.tj/?p=9319", "Memorandum with partner institute"),
        ("https://mts.tj/news/1228-dushanbe-forum-results", "Dushanbe forum results"),
    ]
    assert found.next_page == "https://mts.tj/en/news/?page=2"


def test_cyrillic_slugs_count_as_article_links() -> None:
    encoded = quote("/ru/yangiliklar/встреча-экспертов-центра")
    html = f"""<html><body><main><div class="news">
      <div class="item"><a href="{encoded}">Встреча экспертов центра</a></div>
      <div class="item"><a href="/ru/yangiliklar/новый-доклад-об-энергетике">Новый доклад</a></div>
      <div class="item"><a href="/ru/yangiliklar/">Все новости</a></div>
    </div></main></body></html>"""

    found = listing_links(HtmlPage(html), "https://isrs.uz/ru/yangiliklar")

    assert [link.title for link in found.links] == ["Встреча экспертов центра", "Новый доклад"]
    assert found.links[0].url == "https://isrs.uz" + encoded


def test_links_repeating_a_list_of_posts_are_kept_even_with_one_word_slugs() -> None:
    cards = "".join(
        f'<div class="post-card"><h2><a href="/{slug}/">{slug.title()}</a></h2></div>'
        for slug in [
            "diplomacy",
            "pakistan-afghanistan-border-talks",
            "kashmir-issue-and-un",
            "gwadar",
        ]
    )
    html = f"""<html><body><main>{cards}
      <p>See <a href="/about/">about</a> us.</p></main></body></html>"""

    found = listing_links(HtmlPage(html), "https://issi.org.pk/news/")

    assert [link.url for link in found.links] == [
        "https://issi.org.pk/diplomacy/",
        "https://issi.org.pk/pakistan-afghanistan-border-talks/",
        "https://issi.org.pk/kashmir-issue-and-un/",
        "https://issi.org.pk/gwadar/",
    ]


def test_sszi_dated_paths_and_the_500_link_cap() -> None:
    items = "".join(
        f'<li><a href="/en/{y}{m:02d}{d:02d}">Event {m}/{d}</a></li>'
        for y in (2023, 2022)
        for m in range(1, 13)
        for d in range(1, 29)
    )
    found = listing_links(
        HtmlPage(f"<html><body><ul>{items}</ul></body></html>"), "https://sszi.kz/en"
    )

    assert len(found.links) == discover.MAX_LISTING_LINKS
    assert found.links[0].url == "https://sszi.kz/en/20230101"


# --- next_page -------------------------------------------------------------------------------


NEXT_PAGE_CASES = [
    # (the page we are on, the pagination markup, the next page expected)
    ("https://kisi.kz/ru/news/", '<a href="/ru/news/page/2/">Следующая »</a>', "/ru/news/page/2/"),
    ("https://kisi.kz/kz/page/2/", '<a href="/kz/page/3/">Келесі</a>', "/kz/page/3/"),
    ("https://isis.org.my/ms/berita/", '<a href="?paged=2">Seterusnya</a>', "/ms/berita/?paged=2"),
    (KISI_URL, '<div class="nav-previous"><a href="page/2/">Older posts</a></div>', "/en/page/2/"),
    ("https://kisi.kz/en/blogs/", '<div class="nav-next"><a href="page/2/">Newer</a></div>',
     "/en/blogs/page/2/"),
    ("https://kisi.kz/ru/news/", '<div class="pagination"><a href="?PAGEN_1=2">Далее</a></div>',
     "/ru/news/?PAGEN_1=2"),
    ("https://kisi.kz/en/news?page=4", '<ul class="pager"><li><a href="?page=5">»</a></li></ul>',
     "/en/news?page=5"),
    # a pager of numbers only: Drupal counts its pages from 0, Joomla by item offset
    ("https://iss.kz/news", '<nav class="pager"><a href="/news">1</a> <a href="/news?page=1">2</a>'
     ' <a href="/news?page=2">3</a></nav>', "/news?page=1"),
    ("https://iss.kz/news?page=1", '<nav class="pager"><a href="/news">1</a>'
     ' <a href="/news?page=1">2</a> <a href="/news?page=2">3</a></nav>', "/news?page=2"),
    ("https://iss.kz/index.php?view=category&id=8",
     '<div class="pagination"><span>1</span> <a href="/index.php?view=category&amp;id=8&amp;'
     'start=10">2</a></div>', "/index.php?view=category&id=8&start=10"),
    ("https://iss.kz/index.php?view=category&id=8&start=10",
     '<div class="pagination"><a href="/index.php?view=category&amp;id=8">1</a> <a href="/index.'
     'php?view=category&amp;id=8&amp;start=10">2</a> <a href="/index.php?view=category&amp;id=8'
     '&amp;start=20">3</a></div>', "/index.php?view=category&id=8&start=20"),
]  # fmt: skip


def test_a_pager_number_is_not_an_article_and_index_php_articles_are() -> None:
    html = """<html><body><main><div class="items">
      <h2><a href="/index.php?option=com_content&amp;view=article&amp;id=2817:mou&amp;catid=8">
      A memorandum signed</a></h2><h2><a href="/index.php?option=com_content&amp;view=article&amp;
      id=2818:visit&amp;catid=8">A delegation visits</a></h2></div>
      <div class="pagination"><a href="/index.php?option=com_content&amp;view=category&amp;id=8">1
      </a> <a href="/index.php?option=com_content&amp;view=category&amp;id=8&amp;start=10">2</a>
      </div></main></body></html>"""
    found = listing_links(
        HtmlPage(html), "https://iss.kz/index.php?option=com_content&view=category&id=8&start=10"
    )
    assert [link.title for link in found.links] == ["A memorandum signed", "A delegation visits"]


@pytest.mark.parametrize(("url", "anchor", "expected"), NEXT_PAGE_CASES)
def test_next_page_variants(url: str, anchor: str, expected: str) -> None:
    page = HtmlPage(f"<html><body><main><p>Posts</p></main>{anchor}</body></html>")

    assert next_page(page, url) == "https://" + url.split("/")[2] + expected


def test_next_page_never_returns_the_current_page_an_earlier_one_or_another_site() -> None:
    html = """<html><head><link rel="next" href="https://othersite.example/page/2/"></head><body>
      <a class="next" href="/en/page/3/">Next</a>
      <a href="/en/page/2/">Previous</a> <a href="/en/page/1/">Next</a></body></html>"""

    assert next_page(HtmlPage(html), "https://kisi.kz/en/page/3/") is None


def test_read_more_links_named_dalee_are_not_pagination() -> None:
    html = """<html><body><main><article><h2><a href="/ru/vstrecha-ekspertov-centra/">Встреча</a>
      </h2><a href="/ru/vstrecha-ekspertov-centra/">Далее</a></article></main></body></html>"""

    assert next_page(HtmlPage(html), "https://kisi.kz/ru/") is None


# --- same_site and robots --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "site", "expected"),
    [
        ("https://www.isis.org.my/2024/02/26/x/", "https://isis.org.my/", True),
        ("http://KISI.kz:80/en/", "https://kisi.kz:443/en/", True),
        ("https://kisi.kz/en/", "kisi.kz", True),
        ("http://127.0.0.1:8765/a", "http://127.0.0.1:8765/", True),
        ("http://127.0.0.1:8766/a", "http://127.0.0.1:8765/", False),
        ("https://kisi.kz.evil.example/en/", "https://kisi.kz/", False),
        ("https://en.kisi.kz/", "https://kisi.kz/", False),
        ("mailto:office@kisi.kz", "https://kisi.kz/", False),
        ("https://kisi.kz:99999/", "https://kisi.kz/", False),
    ],
)
def test_same_site(url: str, site: str, expected: bool) -> None:
    assert same_site(url, site) is expected


def test_sitemap_urls_from_robots_then_usual_places() -> None:
    robots = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

SITEMAP: https://kisi.kz/sitemap_index.xml
Sitemap: /news-sitemap.xml   # Yoast news
Sitemap: https://cdn.othersite.example/sitemap.xml
"""

    assert sitemap_urls(robots, "https://kisi.kz/en/") == [
        "https://kisi.kz/sitemap_index.xml",
        "https://kisi.kz/news-sitemap.xml",
        "https://kisi.kz/sitemap.xml",
        "https://kisi.kz/wp-sitemap.xml",
    ]
    assert sitemap_urls(None, "http://127.0.0.1:8000/en/") == [
        "http://127.0.0.1:8000/sitemap.xml",
        "http://127.0.0.1:8000/sitemap_index.xml",
        "http://127.0.0.1:8000/wp-sitemap.xml",
    ]


# --- feeds -----------------------------------------------------------------------------------

RSS_RU = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>КИСИ при Президенте РК</title><link>https://kisi.kz/ru/</link>
<language>ru-RU</language>
<atom:link href="https://kisi.kz/ru/feed/" rel="self" type="application/rss+xml"/>
<item><title>Подписан меморандум между КИСИ и ISIS Malaysia</title>
  <link>https://kisi.kz/ru/podpisan-memorandum-mezhdu-kisi-i-isis-malaysia/</link>
  <pubDate>Mon, 26 Feb 2024 16:30:00 +0600</pubDate>
  <guid isPermaLink="false">https://kisi.kz/?p=9320</guid></item>
<item><title>Казахстан и Малайзия: новые горизонты</title>
  <link>/ru/kazakhstan-i-malajziya-novye-gorizonty/</link>
  <pubDate>Tue, 20 Feb 2024 09:00:00 GMT</pubDate></item>
<item><title>Чужая новость</title><link>https://othersite.example/ru/news/1</link></item>
</channel></rss>""".encode()


def test_rss_feed_with_cyrillic_titles_and_dates() -> None:
    found = parse_feed(RSS_RU, "https://kisi.kz/ru/feed/")

    assert found.kind == "rss"
    assert [(link.url, link.title, link.published, link.language) for link in found.links] == [
        (
            "https://kisi.kz/ru/podpisan-memorandum-mezhdu-kisi-i-isis-malaysia/",
            "Подписан меморандум между КИСИ и ISIS Malaysia",
            dt.datetime(2024, 2, 26, 10, 30, tzinfo=UTC),
            "ru",
        ),
        (
            "https://kisi.kz/ru/kazakhstan-i-malajziya-novye-gorizonty/",
            "Казахстан и Малайзия: новые горизонты",
            dt.datetime(2024, 2, 20, 9, 0, tzinfo=UTC),
            "ru",
        ),
    ]
    assert looks_like_feed(RSS_RU, "application/rss+xml; charset=UTF-8")


ATOM_KK = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="kk">
  <title>ҚСЗИ жаңалықтары</title><link href="https://kisi.kz/kz/"/>
  <id>https://kisi.kz/kz/feed/atom/</id><updated>2024-02-27T08:00:00+05:00</updated>
  <entry><title>Қазақстан мен Малайзия арасында меморандумға қол қойылды</title>
    <link rel="alternate" type="text/html" href="https://kisi.kz/kz/memorandum-qol-qoiyldy/"/>
    <link rel="enclosure" href="https://kisi.kz/wp-content/uploads/photo.jpg"/>
    <id>https://kisi.kz/?p=9321</id>
    <published>2024-02-26T16:30:00+05:00</published><updated>2024-02-27T08:00:00+05:00</updated>
  </entry>
  <entry><title>Тек жаңартылған күні бар жазба</title>
    <link href="https://www.kisi.kz/kz/tek-zhanartylgan-kuni-bar-zhazba/"/>
    <id>https://kisi.kz/?p=9322</id><updated>2024-02-25T12:00:00Z</updated></entry>
</feed>""".encode()


def test_atom_feed_with_kazakh_titles_and_dates() -> None:
    found = parse_feed(ATOM_KK, "https://kisi.kz/kz/feed/atom/")

    assert [(link.url, link.published, link.language) for link in found.links] == [
        (
            "https://kisi.kz/kz/memorandum-qol-qoiyldy/",
            dt.datetime(2024, 2, 26, 11, 30, tzinfo=UTC),
            "kk",
        ),
        (
            "https://www.kisi.kz/kz/tek-zhanartylgan-kuni-bar-zhazba/",
            dt.datetime(2024, 2, 25, 12, 0, tzinfo=UTC),
            "kk",
        ),
    ]
    assert found.links[0].title == "Қазақстан мен Малайзия арасында меморандумға қол қойылды"


JSON_FEED = b"""{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "ISIS Malaysia", "home_page_url": "https://www.isis.org.my/",
  "feed_url": "https://feeds.isis-mirror.example/feed.json", "language": "ms-MY",
  "items": [
    {"id": "1", "url": "https://www.isis.org.my/2024/02/26/memorandum-dengan-kiss/",
     "title": "Memorandum persefahaman dengan KazISS",
     "date_published": "2024-02-26T18:00:00+08:00"},
    {"id": "https://isis.org.my/2024/02/20/tinjauan-asean/", "title": "Tinjauan ASEAN",
     "date_modified": "2024-02-20", "language": "en"},
    {"id": "3", "url": "https://othersite.example/x", "title": "Elsewhere"}
  ]}"""


def test_json_feed_items_from_the_feed_host_and_the_home_page_site() -> None:
    url = "https://feeds.isis-mirror.example/feed.json"
    found = parse_feed(JSON_FEED, url)

    assert [(link.url, link.title, link.published, link.language) for link in found.links] == [
        (
            "https://www.isis.org.my/2024/02/26/memorandum-dengan-kiss/",
            "Memorandum persefahaman dengan KazISS",
            dt.datetime(2024, 2, 26, 10, 0, tzinfo=UTC),
            "ms",
        ),
        (
            "https://isis.org.my/2024/02/20/tinjauan-asean/",
            "Tinjauan ASEAN",
            dt.date(2024, 2, 20),
            "en",
        ),
    ]
    assert looks_like_feed(JSON_FEED, "application/feed+json")


def test_malformed_feed_with_raw_ampersands_still_yields_items() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>R&D news</title>
    <item><title>Science & technology cooperation</title>
      <link>https://nisi.gov.kg/en/news/?id=512&lang=en</link></item>
    <item><title>Second item</title><link>https://nisi.gov.kg/en/science-and-diplomacy-forum/</link>
    </item></channel></rss"""

    found = parse_feed(body, "https://nisi.gov.kg/en/feed/")

    assert [link.url for link in found.links] == [
        "https://nisi.gov.kg/en/news/?id=512&lang=en",
        "https://nisi.gov.kg/en/science-and-diplomacy-forum/",
    ]
    assert found.links[0].title == "Science & technology cooperation"


def test_feedburner_redirect_links_give_way_to_the_original_link() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"
      xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
      <title>RSIS</title><link>https://www.rsis.edu.sg/</link>
      <item><title>Commentary</title>
        <link>http://feeds.feedburner.com/~r/rsis/~3/AbC/asean-centrality-under-strain/</link>
        <feedburner:origLink>https://www.rsis.edu.sg/rsis-publication/asean-centrality-under-strain/</feedburner:origLink>
      </item></channel></rss>"""

    found = parse_feed(body, "http://feeds.feedburner.com/rsis")

    assert [link.url for link in found.links] == [
        "https://www.rsis.edu.sg/rsis-publication/asean-centrality-under-strain/"
    ]


def _entity_bomb(root: str) -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{"".join(levels)}]>\n'.encode()


def test_entity_bomb_feed_is_refused() -> None:
    body = _entity_bomb("rss") + (
        b'<rss version="2.0"><channel><title>&lol9;</title>'
        b"<item><title>&lol9;</title><link>https://kisi.kz/en/a-b-c/</link></item></channel></rss>"
    )

    with pytest.raises(ValueError, match=r"feed https://kisi\.kz/en/feed/: refused"):
        parse_feed(body, "https://kisi.kz/en/feed/")


def test_external_entity_feed_is_refused() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
    <rss version="2.0"><channel><item><title>&xxe;</title><link>https://kisi.kz/en/x-y-z/</link>
    </item></channel></rss>"""

    with pytest.raises(ValueError, match="declares XML entities"):
        parse_feed(body, "https://kisi.kz/en/feed/")


def test_rss_091_with_a_public_doctype_is_still_read() -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://rsis.edu.sg/</link>
<item><title>Old style</title><link>https://www.rsis.edu.sg/?p=1234</link></item></channel></rss>"""

    assert [link.url for link in parse_feed(body, "https://www.rsis.edu.sg/?feed=rss2").links] == [
        "https://www.rsis.edu.sg/?p=1234"
    ]


def test_html_page_served_as_a_feed_gives_no_links() -> None:
    body = b"""<head><title>Document Moved</title></head>
<body><h1>Object Moved</h1>This document may be found <a HREF="https://kisi.kz/en/feed/">here</a>"""

    assert not looks_like_feed(body, "application/rss+xml")
    assert parse_feed(body, "https://kisi.kz/en/feed").links == ()
    assert not looks_like_feed(KISI_LISTING.encode(), "text/html; charset=UTF-8")


# --- sitemaps --------------------------------------------------------------------------------

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="//kisi.kz/wp-content/plugins/seo/sitemap.xsl"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://kisi.kz/post-sitemap.xml</loc><lastmod>2024-02-26T10:00:00+00:00</lastmod>
  </sitemap>
  <sitemap><loc>https://kisi.kz/page-sitemap.xml</loc></sitemap>
  <sitemap><loc>https://kisi.kz/post-sitemap.xml</loc></sitemap>
  <sitemap><loc>https://othersite.example/sitemap.xml</loc></sitemap>
</sitemapindex>"""


def test_sitemap_index_lists_its_children() -> None:
    found = parse_sitemap(SITEMAP_INDEX, "https://kisi.kz/sitemap_index.xml")

    assert found.kind == "sitemap"
    assert found.links == ()
    assert found.children == (
        "https://kisi.kz/post-sitemap.xml",
        "https://kisi.kz/page-sitemap.xml",
    )
    assert looks_like_sitemap(SITEMAP_INDEX)
    assert not looks_like_feed(SITEMAP_INDEX, "application/xml")


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://kisi.kz/ru/podpisan-memorandum/</loc>
    <image:image><image:loc>https://kisi.kz/wp-content/uploads/memo.jpg</image:loc></image:image>
    <news:news><news:publication><news:name>КИСИ</news:name><news:language>ru</news:language>
      </news:publication>
      <news:publication_date>2024-02-26T16:30:00+06:00</news:publication_date>
      <news:title>Подписан меморандум</news:title></news:news>
    <lastmod>2024-03-01T00:00:00+06:00</lastmod></url>
  <url><loc>https://kisi.kz/en/results-of-the-forum/</loc><lastmod>2024-02-20</lastmod></url>
  <url><loc>https://kisi.kz/en/undated-page/</loc></url>
  <url><loc>https://othersite.example/ru/x/</loc></url>
</urlset>""".encode()


def test_news_sitemap_gives_publication_dates_titles_and_languages() -> None:
    found = parse_sitemap(NEWS_SITEMAP, "https://kisi.kz/news-sitemap.xml")

    assert [(link.url, link.title, link.published, link.language) for link in found.links] == [
        (
            "https://kisi.kz/ru/podpisan-memorandum/",
            "Подписан меморандум",
            dt.datetime(2024, 2, 26, 10, 30, tzinfo=UTC),
            "ru",
        ),
        ("https://kisi.kz/en/results-of-the-forum/", None, dt.date(2024, 2, 20), None),
        ("https://kisi.kz/en/undated-page/", None, None, None),
    ]


def test_gzipped_sitemap_is_read() -> None:
    body = gzip.compress(NEWS_SITEMAP)

    assert looks_like_sitemap(body)
    found = parse_sitemap(body, "https://www.kisi.kz/news-sitemap.xml.gz")
    assert len(found.links) == 3


def test_gzip_bomb_sitemap_is_refused() -> None:
    body = gzip.compress(b"<urlset>" + b" " * (discover.MAX_SITEMAP_BYTES + 10))

    with pytest.raises(ValueError, match="larger than"):
        parse_sitemap(body, "https://kisi.kz/sitemap.xml.gz")


def test_entity_bomb_sitemap_is_refused() -> None:
    body = _entity_bomb("urlset") + (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://kisi.kz/en/&lol9;</loc></url></urlset>"
    )

    with pytest.raises(ValueError, match=r"sitemap https://kisi\.kz/sitemap\.xml: refused"):
        parse_sitemap(body, "https://kisi.kz/sitemap.xml")


def test_sloppy_sitemap_xml_is_recovered() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://isis.org.my/2024/02/26/first-post-title/</loc></url>
  <url><loc>https://isis.org.my/2024/02/20/second-post-title/</loc><lastmod>2024-02-20</url>
  <url><loc>https://isis.org.my/2024/02/14/third-post-title/</loc></url>"""

    found = parse_sitemap(body, "https://isis.org.my/post-sitemap.xml")

    assert [link.url.split("/")[-2] for link in found.links] == [
        "first-post-title",
        "second-post-title",
        "third-post-title",
    ]


def test_a_web_page_is_not_a_sitemap() -> None:
    assert not looks_like_sitemap(KISI_LISTING.encode())
    assert parse_sitemap(KISI_LISTING.encode(), "https://kisi.kz/sitemap.xml").links == ()


def test_item_ids_that_look_like_years_are_items_when_their_links_read_as_headlines() -> None:
    # A Drupal listing's second page: /node/2016 ... /node/2024, no slug, no other shape.
    rows = "".join(
        f'<div class="views-row"><a href="/node/{n}">Round table on water policy number {n}'
        "</a></div>"
        for n in (2024, 2021, 2018, 2016)
    )
    html = f'<html><body><main><div class="view-content">{rows}</div></main></body></html>'
    found = listing_links(HtmlPage(html), "https://iss.kz/news?page=1")
    assert [link.url for link in found.links] == [
        f"https://iss.kz/node/{n}" for n in (2024, 2021, 2018, 2016)
    ]
    # a year archive menu stays out: short links to /news/2024/ and the like
    years = "".join(f'<li><a href="/news/{y}/">{y}</a></li>' for y in (2024, 2023, 2022))
    menu = f"<html><body><main><ul>{years}</ul></main></body></html>"
    assert listing_links(HtmlPage(menu), "https://iss.kz/news/").links == ()
