"""The headline is the heading nearest the body, whatever its level (issue 16, class 1).

Old table layouts put "SITE - News" in every page's <title>, the site's name in an <h1> logo
and the headline in an <h2> or a bold line above the date; no og:title, no JSON-LD.
"""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.core.extract import extract_article

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
URL = "http://www.iss-almaty.kz/news.php?id=412"
BODY = (
    "<p>Сегодня в Алматы Институт стратегических исследований и Центр региональных "
    "исследований подписали меморандум о сотрудничестве в области водной безопасности.</p>"
    "<p>Стороны договорились провести совместную конференцию и подготовить три доклада.</p>"
)


def table_page(headline: str) -> str:
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>ИСИ – Новости</title></head><body>
<table width="100%"><tr><td><h1>ИСИ</h1></td></tr>
<tr><td><a href="/">Главная</a> | <a href="/news.php">Новости</a> | <a href="/about.php">О нас</a>
</td></tr>
<tr><td width="200"><h3>Новости</h3><a href="/news.php?id=411">Семинар по вопросам энергетики
в Астане</a></td>
<td>{headline}<p class="date">25.11.2026</p>{BODY}</td></tr>
<tr><td colspan="2">© ИСИ, 2001–2026</td></tr></table></body></html>"""


WANT = "Подписан меморандум о сотрудничестве в области водной безопасности"


@pytest.mark.parametrize(
    "headline",
    [
        f"<h2>{WANT}</h2>",
        f"<h3><a href='{URL}'>{WANT}</a></h3>",  # a heading that links to the page itself
        f"<p><strong>{WANT}</strong></p>",
    ],
)
def test_the_heading_above_the_body_is_the_title_not_the_sites_title_tag(headline: str) -> None:
    article = extract_article(table_page(headline).encode(), URL, now=NOW)
    assert article.title == WANT


def test_a_logo_h1_above_the_headline_names_the_site_not_the_page() -> None:
    page = f"""<html><head><meta charset="utf-8">
<title>{WANT} | Институт стратегических исследований</title></head><body>
<header><h1 class="site-title"><a href="/">Институт стратегических исследований</a></h1></header>
<main><div class="post"><h2 class="post-title">{WANT}</h2>
<div class="post-meta">25 ноября 2026</div><div class="post-content">{BODY}</div></div></main>
<aside><h3>Новости</h3><ul><li><a href="/news/411/">Семинар по энергетике</a></li></ul></aside>
</body></html>"""
    article = extract_article(page.encode(), "https://iss.example.kz/news/412/", now=NOW)
    assert article.title == WANT
