"""Discovery reads lxml's tree: what the port from BeautifulSoup could have changed.

BeautifulSoup gave ``class`` and ``rel`` as lists, skipped the text of scripts, styles, templates
and ruby notes, and kept what follows a stray ``</html>``; lxml gives strings, reads every text
node and puts trailing content in further top-level elements. These pin the old behaviour, and
that BeautifulSoup is built only for a configured ``link_selector``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.core.discover import feed_links, listing_links, next_page
from monitor.core.htmldoc import HtmlPage, iter_elements, parse_html
from monitor.core.models import Discovery, Link
from tests.test_discover import ISIS_LISTING, ISIS_URL, KISI_LISTING, KISI_URL

SITE = "https://kisi.kz/en/news/"


def _cards(*slugs: str, card_class: str = "post") -> str:
    return "".join(
        f'<article class="{card_class}"><h2><a href="/en/{slug}/">{slug.replace("-", " ")}</a>'
        f"</h2></article>"
        for slug in slugs
    )


SLUGS = ("water-security-in-asia", "the-middle-corridor-today", "a-new-trade-agenda")


def test_soup_is_built_for_a_link_selector_only() -> None:
    page = HtmlPage(ISIS_LISTING)

    auto = listing_links(page, ISIS_URL)
    feed_links(page, ISIS_URL)
    next_page(page, ISIS_URL)
    assert auto.links and not page.has_soup

    selected = listing_links(page, ISIS_URL, link_selector="h3.entry-title")
    assert page.has_soup
    assert selected.links and {link.url for link in selected.links} <= {
        link.url for link in auto.links
    }
    assert selected.next_page == auto.next_page


def test_link_selector_finds_the_selected_twin_of_an_anchor() -> None:
    # The same href twice: the featured block's link and the list's; the selector names the
    # list's, whose card gives the title and the date.
    html = f"""<html><body><div class="featured"><a href="/en/{SLUGS[0]}/">Top</a></div>
      <ul class="list">
        <li><a href="/en/{SLUGS[0]}/">Water security in Asia</a>
          <time datetime="2024-02-20">20 Feb</time></li>
        <li><a href="/en/{SLUGS[1]}/">The Middle Corridor today</a></li></ul></body></html>"""

    found = listing_links(HtmlPage(html), SITE, link_selector="ul.list li")

    assert found.links == (
        Link(
            url=f"https://kisi.kz/en/{SLUGS[0]}/",
            title="Water security in Asia",
            published=dt.date(2024, 2, 20),
        ),
        Link(url=f"https://kisi.kz/en/{SLUGS[1]}/", title="The Middle Corridor today"),
    )


def test_class_and_rel_with_several_tokens_and_odd_whitespace() -> None:
    cards = _cards(*SLUGS, card_class=" post\n\ttype-post ")
    html = f"""<html><head><link rel="alternate
        home" type="application/rss+xml" href="/en/feed/"></head><body>
      <main id="main">{cards}</main>
      <div class="nav-links	pagination"><a class="nextish" href="/en/news/?page=7">Go</a>
        <span class="page-numbers
          nav-next "><a href="/en/news/?page=5">Go</a></span></div>
      </body></html>"""
    page = HtmlPage(html)

    assert [link.url for link in listing_links(page, SITE).links] == [
        f"https://kisi.kz/en/{slug}/" for slug in SLUGS
    ]
    # "nextish" is not the class "next"; "nav-next" among other tokens is.
    assert next_page(page, SITE) == "https://kisi.kz/en/news/?page=5"
    assert feed_links(page, SITE) == ["https://kisi.kz/en/feed/"]
    rel = HtmlPage('<html><body><a rel="prev  NEXT" href="/en/news/?page=9">x</a></body></html>')
    assert next_page(rel, SITE) == "https://kisi.kz/en/news/?page=9"


def test_titles_leave_out_scripts_styles_templates_and_comments() -> None:
    html = f"""<html><body><main>
      <article><h2><a href="/en/{SLUGS[0]}/">Water <!-- x -->security<script>var a = 1;</script>
        <style>.a {{}}</style> in Asia</a></h2></article>
      <article><a href="/en/{SLUGS[1]}/"><template><b>hidden</b></template>Middle Corridor
        <ruby>today<rt>note</rt></ruby> and tomorrow</a></article>
      <template><a href="/en/{SLUGS[2]}/">In a template</a></template>
      </main></body></html>"""

    titles = [link.title for link in listing_links(HtmlPage(html), SITE).links]

    # BeautifulSoup's get_text() gave no text for an anchor inside a <template>.
    assert titles == ["Water security in Asia", "Middle Corridor today and tomorrow", None]


def test_base_href_resolves_relative_links_and_the_next_page() -> None:
    html = f"""<html><head><base href="https://kisi.kz/en/blogs/"></head><body><main>
      {"".join(f'<h2><a href="{slug}/">{slug}</a></h2>' for slug in SLUGS)}
      <a class="next" href="page/2/">More</a></main></body></html>"""

    found = listing_links(HtmlPage(html), SITE)

    assert [link.url for link in found.links] == [
        f"https://kisi.kz/en/blogs/{slug}/" for slug in SLUGS
    ]
    assert found.next_page == "https://kisi.kz/en/blogs/page/2/"


def test_links_after_a_stray_closing_html_tag_are_still_read() -> None:
    # lxml puts what follows </html> in a second top-level <html>; root.iter() alone misses it.
    html = f"""<html><body><p>Header</p></body></html>
      <main>{_cards(*SLUGS)}</main><a class="next" href="/en/news/page/2/">Next</a>"""
    page = HtmlPage(html)

    assert page.root is not None and len(list(page.root.itersiblings())) == 1
    assert [e.tag for e in iter_elements(page.root, "article")] == ["article"] * 3
    found = listing_links(page, SITE)
    assert [link.url for link in found.links] == [f"https://kisi.kz/en/{s}/" for s in SLUGS]
    assert found.next_page == "https://kisi.kz/en/news/page/2/"


@pytest.mark.parametrize("body", ["", b"", "   \n\t", b"\xef\xbb\xbf"])
def test_a_page_lxml_cannot_read_gives_an_empty_discovery(body: str | bytes) -> None:
    page = HtmlPage(body)

    assert page.root is None and parse_html(body) is None
    assert listing_links(page, SITE) == Discovery(kind="html")
    assert listing_links(page, SITE, link_selector="h2 a") == Discovery(kind="html")
    assert next_page(page, SITE) is None
    assert feed_links(page, SITE) == []
    # Configuration mistakes are still reported, whatever the page.
    with pytest.raises(ValueError, match="not a valid CSS selector"):
        listing_links(page, SITE, link_selector="h3..entry")
    with pytest.raises(ValueError, match="not a valid regex"):
        listing_links(page, SITE, include=["(unclosed"])


@pytest.mark.parametrize(
    "body",
    [
        "plain text, no markup at all",
        "\x00\x00",
        "<",
        "<!-- only a comment -->",
        "<?php echo 1; ?><a href='/en/2024/01/02/x/'>x</a>",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 50,
        "<html><body>" + "<div>" * 3000 + "<a href='/en/deep-link-here/'>deep</a>",
        "<a href='/en/one-two-three/'><a href='/en/four-five-six/'>nested</a></a></p></td>",
        KISI_LISTING[: len(KISI_LISTING) // 2],
    ],
)
def test_malformed_pages_never_crash(body: str | bytes) -> None:
    page = HtmlPage(body)

    found = listing_links(page, SITE)
    listing_links(page, SITE, link_selector="a")
    feed_links(page, SITE)

    assert isinstance(found, Discovery)


def test_windows_1251_bytes_are_decoded_before_lxml_reads_them() -> None:
    html = f"""<html><head><meta charset="windows-1251"></head><body><main>
      <h2><a href="/ru/{SLUGS[0]}/">Водная безопасность</a></h2></main></body></html>"""

    found = listing_links(HtmlPage(html.encode("cp1251")), "https://kisi.kz/ru/news/")

    assert [link.title for link in found.links] == ["Водная безопасность"]


def test_kisi_listing_is_read_without_beautifulsoup() -> None:
    page = HtmlPage(KISI_LISTING.encode(), "utf-8")

    assert len(listing_links(page, KISI_URL).links) == 10
    assert not page.has_soup
