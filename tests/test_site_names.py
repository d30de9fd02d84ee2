"""A title is the headline, not the site's name around it: "Headline | Site – its motto",
"Headline | site.ch | motto", a host spelled out in words ("Schweizer Jäger" on
schweizerjaeger.ch), a host under a public second level (bundeskanzleramt.gv.at), a separator
left dangling at the end."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.core.extract import extract_article

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
BODY = (
    "<p>The institute's experts met their colleagues from three countries to discuss the "
    "region's water policy and agreed on a joint report to be published next spring.</p>"
    "<p>The next meeting will take place in Astana in the autumn, the press service said.</p>"
)


def page(title: str) -> bytes:
    """A page whose only title is its <title> (no h1, no og:title): the site's name must go."""
    return (
        f"<html lang='en'><head><title>{title}</title></head><body><div class='content'>"
        f"{BODY}</div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        (
            "https://aoc.media/opinion/2026/11/27/water/",
            "Water policy after the summit | AOC media - Analyse Opinion Critique",
            "Water policy after the summit",
        ),
        (
            "https://www.petri-heil.ch/de/water-1026",
            "Water policy after the summit | petri-heil.ch | Dein Fischereimagazin",
            "Water policy after the summit",
        ),
        (
            "https://schweizerjaeger.ch/aktuell/water.html",
            "Water policy after the summit | Schweizer Jäger Online",
            "Water policy after the summit",
        ),
        (
            "http://www.parcoabruzzo.it/dettaglio.php?id=58354",
            "Water policy after the summit | Parco Nazionale d'Abruzzo, Lazio e Molise",
            "Water policy after the summit",
        ),
        (
            "https://www.bundeskanzleramt.gv.at/nachrichten/2026/11/water.html",
            "Water policy after the summit - Bundeskanzleramt Österreich",
            "Water policy after the summit",
        ),
        (
            "https://www.st-georg.de/news/water/",
            "Water policy after the summit -",
            "Water policy after the summit",
        ),
        (  # a headline with a dash of its own keeps it
            "https://kisi.kz/en/news/water/",
            "Kazakhstan - Uzbekistan: water policy after the summit | KazISS",
            "Kazakhstan - Uzbekistan: water policy after the summit",
        ),
    ],
)
def test_the_sites_name_is_cut_from_the_title(url: str, title: str, expected: str) -> None:
    assert extract_article(page(title), url, now=NOW).title == expected
