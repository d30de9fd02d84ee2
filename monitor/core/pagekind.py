"""Whether a page that discovery led to is a news item at all: by what the page is.

Sitemaps list every page of a site and menus link the same few pages from every listing, so a
pass meets about, team, contact, profile, section and topic pages among the articles. A list
of slugs ("/about", "/team") is one site's habit; what such pages are is general: they call
themselves pages in their structured data, or their text is mostly the titles of other pages
(an index), or they carry no date and little text (a profile, a contact page, a section
blurb). A report of news has a date, on the page or where it was listed.
"""

from __future__ import annotations

from monitor.core.models import Article

#: Share of the body that is link text above which a page is an index of other pages.
INDEX_SHARE = 0.5
#: An undated page with less body text than this is a section, profile or contact page.
SHORT_BODY = 1500
#: Date methods that guess from the whole page (copyright years, modification stamps).
_GUESSED = frozenset({"htmldate"})


def not_an_article(article: Article) -> str | None:
    """Why this page is not a news item, or None when it may be one."""
    shape = article.shape
    if shape.schema == "article":
        return None
    if shape.schema == "page":
        return "its structured data calls it a page, not an article"
    if shape.link_share >= INDEX_SHARE and article.text.count("\n") >= 2:
        return f"an index of other pages ({shape.link_share:.0%} of its text is links)"
    dated = article.published is not None and article.methods.get("published") not in _GUESSED
    if not dated and len(article.text) < SHORT_BODY:
        return "no date and little text (a section, profile or contact page)"
    return None
