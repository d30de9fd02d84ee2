"""The world: sites of every family, their articles and pages, and the truth behind each URL.

Deterministic from the seed (the calendar is anchored on the day the bench runs, since monitor
reads relative dates against its own clock). ``World.publish()`` is phase 2: new stories,
translations and reposts of baseline stories, unflagged follow-ups that join flagged stories.
The truth (``World.truth``) never reaches the HTML: it is what the scorer compares with.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote

from . import content as C
from .content import Story

PORT = 8490
PER_PAGE = 10


@dataclass
class Item:
    """One article on one site in one language."""

    story: Story
    lang: str
    variant: int
    day: dt.date
    phase: int
    num: int
    followup: bool = False
    title: str = ""
    paras: list[str] = field(default_factory=list)
    slug: str = ""
    path: str = ""


@dataclass
class Site:
    index: int
    family: str
    address: str
    langs: list[str]
    orgs: dict[str, str]
    host: str
    variant: int  # which of the family's habits this site has (0, 1, 2, ...)
    items: dict[str, list[Item]] = field(default_factory=dict)  # newest first
    archive: int = 12  # baseline articles per language
    pending: list[Story] = field(default_factory=list)  # translations published in phase 2
    menu: dict[str, list[str]] = field(default_factory=dict)  # pages the menus link, per language


@dataclass(frozen=True)
class Truth:
    url: str
    site: int
    family: str
    is_article: bool
    title: str
    day: dt.date | None
    lang: str
    story: str
    phase: int
    flagged: bool


@dataclass(frozen=True)
class Page:
    body: str
    ctype: str = "text/html"
    encoding: str = "utf-8"
    charset_header: bool = True
    modified: dt.date | None = None


ORG_WORDS = {
    "en": ["Institute for {a} Studies", "Centre for {a} Research", "{a} Policy Institute"],
    "ru": ["Институт {a} исследований", "Центр {a} исследований"],
    "kk": ["{a} зерттеулер институты", "{a} талдау орталығы"],
    "ms": ["Institut Kajian {a}", "Pusat Penyelidikan {a}"],
}
ORG_ADJ = {
    "en": ["Strategic", "Eurasian", "Regional", "Applied Economic", "Caspian", "Steppe",
           "Silk Road", "Foreign Policy", "Security", "Development"],
    "ru": ["стратегических", "евразийских", "региональных", "прикладных экономических",
           "каспийских", "внешнеполитических", "социальных", "экономических"],
    "kk": ["Стратегиялық", "Еуразиялық", "Өңірлік", "Қолданбалы экономикалық", "Каспий",
           "Сыртқы саясат", "Әлеуметтік"],
    "ms": ["Dasar Serantau", "Strategik Selangor", "Ekonomi Pulau Pinang", "Hal Ehwal Asia",
           "Keselamatan Maritim", "Pembangunan Lestari"],
}  # fmt: skip

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
_LATIN = (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh sch - y - e yu ya a g q n o u u h i"
)
ORG_PLACE = {
    "en": [", Almaty", ", Karaganda", ", Shymkent", ", Aktobe", ", Pavlodar", ", Kostanay"],
    "ru": [" (Алматы)", " (Караганда)", " (Шымкент)", " (Актобе)", " (Павлодар)", " (Костанай)"],
    "kk": [" (Алматы)", " (Қарағанды)", " (Шымкент)", " (Ақтөбе)", " (Павлодар)", " (Қостанай)"],
    "ms": [" Johor", " Pulau Pinang", " Sabah", " Sarawak", " Perak", " Melaka"],
}

_TRANSLIT = dict(zip(_CYRILLIC, _LATIN.split(" "), strict=True))


def slugify(text: str, limit: int = 6) -> str:
    out = []
    for ch in text.lower():
        t = _TRANSLIT.get(ch)
        out.append((t if t != "-" else "") if t is not None else ch)
    text = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text)
    return "-".join(words[:limit]) or "news"


def address(index: int) -> str:
    return f"127.0.1.{10 + index}"


def norm_url(url: str) -> str:
    """The key both sides are compared on: lower host, no fragment, sorted query.

    ``/index.php?...`` and ``/?...`` are one page (the directory index), as on a real server.
    """
    url = url.split("#", 1)[0]
    rest = url.partition("://")[2]
    host, _, path = rest.partition("/")
    path, _, query = ("/" + path).partition("?")
    path = path.removesuffix("index.php")
    # a client may spell "page[offset]" as "page%5Boffset%5D": one key for both
    params = sorted(unquote(p) for p in query.split("&") if p and not p.startswith("utm_"))
    path = path.rstrip("/") or "/"
    return f"{host.lower()}{path}" + ("?" + "&".join(params) if params else "")


class World:
    """Every site of every family, what it serves in each phase, and the truth."""

    def __init__(self, seed: int, families: list, sites_per_family: int = 6) -> None:
        self.seed = seed
        self.today = dt.datetime.now(dt.UTC).date()
        self.phase = 1
        self.families = {f.name: f for f in families}
        self.rng = random.Random(f"families:{seed}")
        self._org_combos = {}
        for lang in C.LANGS:
            combos = [(p, a) for p in ORG_WORDS[lang] for a in ORG_ADJ[lang]]
            self.rng.shuffle(combos)
            self._org_combos[lang] = combos
        self.sites: list[Site] = []
        for family in families:
            for k in range(sites_per_family):
                self.sites.append(self._make_site(family, k))
        self._story_n = 0
        self._num = 1000 + self.rng.randrange(500)
        self._baseline()
        self.pages: dict[tuple[str, str], Page] = {}
        self.truth: dict[str, Truth] = {}
        self.render()

    # -- sites ---------------------------------------------------------------------------

    def _make_site(self, family, k: int) -> Site:
        index = len(self.sites)
        langs = family.languages(k)
        orgs = {}
        for lang in C.LANGS:  # a name no other site of the world has, in every language
            combos = self._org_combos[lang]
            pattern, adj = combos[index % len(combos)]
            orgs[lang] = pattern.format(a=adj)
            orgs[lang] = orgs[lang][0].upper() + orgs[lang][1:]
            if index >= len(combos):
                orgs[lang] += ORG_PLACE[lang][(index // len(combos) - 1) % len(ORG_PLACE[lang])]
        site = Site(
            index=index,
            family=family.name,
            address=address(index),
            langs=langs,
            orgs=orgs,
            host=f"{slugify(orgs['en'], 3).replace('-', '')}{index}.example",
            variant=k,
        )
        site.archive = family.archive(k)
        return site

    def base(self, site: Site) -> str:
        return f"http://{site.address}:{PORT}"

    # -- stories -------------------------------------------------------------------------

    def _new_story(self, day_offset: int, **kw) -> Story:
        self._story_n += 1
        return C.make_story(self.rng, f"T{self._story_n}", day_offset, **kw)

    def _item(self, site: Site, story: Story, lang: str, phase: int, day_shift: int = 0,
              followup: bool = False, variant: int | None = None) -> Item:  # fmt: skip
        self._num += 1 + self.rng.randrange(3)
        day = self.today - dt.timedelta(days=max(0, story.day_offset - day_shift))
        variant = self.rng.randrange(4) if variant is None else variant
        item = Item(story, lang, variant, day, phase, self._num, followup)
        org = site.orgs[lang]
        # the text dates the event, not the page: a late translation or a repost keeps the
        # day it happened (a follow-up is news of its own day)
        event = day if followup else self.today - dt.timedelta(days=story.day_offset)
        iso = event.isoformat()
        item.title = C.title_for(story, lang, org, item.variant, iso, followup=followup)
        item.paras = C.body_for(story, lang, org, item.variant, iso, followup=followup)
        item.slug = slugify(item.title)
        return item

    def _place(self, site: Site, story: Story, phase: int, day_shift: int = 0,
               followup: bool = False, variant: int | None = None,
               langs: list[str] | None = None) -> None:  # fmt: skip
        taken = {i.slug for items in site.items.values() for i in items}
        for lang in langs or site.langs:
            item = self._item(site, story, lang, phase, day_shift, followup, variant)
            base, n = item.slug, 1
            while item.slug in taken:  # as WordPress does: one slug, one page
                n += 1
                item.slug = f"{base}-{n}"
            taken.add(item.slug)
            site.items.setdefault(lang, []).append(item)

    def _baseline(self) -> None:
        rng = self.rng
        for site in self.sites:
            for offset in sorted(rng.sample(range(3, 70), site.archive), reverse=True):
                story = self._new_story(offset)
                self._place(site, story, 1)
        # reposts: one press release on three sites under three titles, and pairs
        mono = [s for s in self.sites if len(s.langs) == 1]
        for _ in range(len(self.sites) // 3):
            group = rng.sample(mono, rng.choice((2, 3, 3)))
            story = self._new_story(rng.randrange(3, 60), flagged=rng.random() < 0.5)
            for n, site in enumerate(group):
                self._place(site, story, 1, day_shift=-min(n, 1), variant=n)
        # one day of unrelated news that share numbers, a date and a country
        day = rng.randrange(5, 40)
        partner = rng.randrange(len(C.PARTNERS))
        for site in rng.sample(mono, 6):
            self._place(site, self._new_story(day, numbers=(50, 12), partner=partner), 1)
        for site in self.sites:
            for items in site.items.values():
                items.sort(key=lambda it: (it.day, it.num), reverse=True)
            if "kk" in site.langs and len(site.langs) > 1:  # the Kazakh version comes later
                newest = site.items["kk"][:2]
                site.items["kk"] = site.items["kk"][2:]
                site.pending = [it.story for it in newest]

    def publish(self) -> None:
        """Phase 2: what the sites put out between the two passes."""
        self.phase = 2
        rng = random.Random(f"families:{self.seed}:publish")
        self.rng = rng
        mono = [s for s in self.sites if len(s.langs) == 1]
        for site in self.sites:  # a new story of its own on most sites, some flagged
            if rng.random() < 0.75:
                self._place(
                    site, self._new_story(rng.choice((0, 1)), flagged=rng.random() < 0.4), 2
                )
        for _ in range(len(self.sites) // 4):  # a new flagged story reported by two or three
            story = self._new_story(
                rng.choice((0, 1)), flagged=True, kind=rng.choice(("mou", "mou", "visit"))
            )
            for site in rng.sample(mono, rng.choice((2, 3))):
                self._place(site, story, 2)
        for _ in range(len(self.sites) // 6):  # a new memorandum, then an unflagged follow-up
            story = self._new_story(1, kind="mou", partner=rng.randrange(2, len(C.PARTNERS)))
            a, b = rng.sample(mono, 2)
            self._place(a, story, 2)
            self._place(b, story, 2, day_shift=1, followup=True)
        for _ in range(len(self.sites) // 5):  # a recent baseline story reposted elsewhere, today
            src = rng.choice(mono)
            recent = [
                it for it in src.items[src.langs[0]] if it.phase == 1 and it.story.day_offset <= 12
            ]
            if not recent:
                continue
            old = rng.choice(recent)
            dst = rng.choice([s for s in mono if s is not src])
            self._place(dst, old.story, 2, day_shift=old.story.day_offset, variant=old.variant + 1)
        for site in self.sites:
            for story in site.pending:
                self._place(site, story, 2, day_shift=story.day_offset, langs=["kk"])
            for items in site.items.values():
                items.sort(key=lambda it: (it.day, it.num), reverse=True)
        self.render()

    # -- pages ---------------------------------------------------------------------------

    def render(self) -> None:
        self.pages = {}
        self.truth = {}
        for site in self.sites:
            family = self.families[site.family]
            for items in site.items.values():
                for item in items:
                    item.path = family.article_path(site, item)
            pages, extras = family.render(self, site)
            for path, page in pages.items():
                self.pages[(site.address, norm_path(path))] = page
            for lang, items in site.items.items():
                for item in items:
                    url = self.base(site) + item.path
                    self.truth[norm_url(url)] = Truth(
                        url, site.index, site.family, True, item.title, item.day, lang,
                        item.story.id, item.phase,
                        item.story.flagged and not item.followup,
                    )  # fmt: skip
            for path, (title, lang) in extras.items():
                url = self.base(site) + path
                self.truth.setdefault(
                    norm_url(url),
                    Truth(url, site.index, site.family, False, title, None, lang,
                          f"page:{site.index}:{path}", 1, False),
                )  # fmt: skip

    def sources(self) -> list[tuple[str, Site, str, str]]:
        """(name, site, url, language) of every source a user would configure."""
        out = []
        for site in self.sites:
            family = self.families[site.family]
            for lang in site.langs:
                name = f"{site.family}-{site.variant}-{lang}"
                out.append((name, site, self.base(site) + family.news_path(site, lang), lang))
        return out


def norm_path(target: str) -> str:
    """A request target as the server looks it up (the query's order does not matter)."""
    path, _, query = target.partition("?")
    path = path.removesuffix("index.php")
    # a client may spell "page[offset]" as "page%5Boffset%5D": one key for both
    params = sorted(unquote(p) for p in query.split("&") if p and not p.startswith("utm_"))
    return path + ("?" + "&".join(params) if params else "")
