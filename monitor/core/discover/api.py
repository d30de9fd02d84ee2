"""JSON listings: the items a page's script fetches from its site's API, and where it names it.

A site built as a JavaScript app serves its news page as an empty shell: no links, only a
script that asks the site's own JSON API for the items and draws them. Discovery reads what
that script reads:

- where the API is: a same-site URL in the page's inline state or config (``__NUXT__``,
  ``window.config = {...}``, JSON in a ``<script type="application/json">``, its slashes
  escaped or not) or in a ``data-`` attribute of the element the app mounts on, whose path says
  it serves data (``/api/``, ``/jsonapi/``, ``/wp-json/``, ``.json``, ...);
- what it answers, whatever its schema: the array of objects that each name a page of the
  site (with a title and a date, when it has them) is the listing; a key naming the next page
  pages it (WordPress's REST API, Drupal's JSON:API, a portal's own all look so).

Pure: the caller fetches. A body that is no JSON is a ``ValueError``.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from monitor.core.discover.links import (
    _article_shaped,
    _clean_url,
    _dedupe,
    _filter,
    _iso,
    _language,
    _rejected,
    same_site,
)
from monitor.core.htmldoc import HtmlPage
from monitor.core.models import Discovery, Link, Published

#: Data URLs of one page tried in turn (the one listing most article pages wins), and how
#: many are gathered before the rest of the page is not searched further.
MAX_ENDPOINTS = 4
_MAX_CANDIDATES = 20
#: Links read from one answer, as from one listing page.
MAX_JSON_LINKS = 500
#: How deep and how wide an API's answer is searched for its items.
_MAX_DEPTH = 6
_MAX_NODES = 20_000
_MAX_TITLE = 500

#: A JS or JSON string literal (its quotes, escapes inside).
_STRING = re.compile(r'"((?:[^"\\\n]|\\.){2,400})"|\'((?:[^\'\\\n]|\\.){2,400})\'')
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)")
#: A path that serves data, not pages.
_DATA_PATH = re.compile(
    r"(?:^|[/._-])(?:api|jsonapi|wp-json|rest|ajax|json|data)(?:$|[/._?-])|\.json(?:$|\?)", re.I
)
_ASSET = re.compile(r"\.(?:js|mjs|css|map|png|jpe?g|gif|svg|webp|ico|woff2?|ttf|pdf)(?:$|\?)", re.I)

_TITLE_KEYS = ("title", "headline", "name", "heading", "label")
_URL_KEYS = ("url", "link", "href", "permalink", "path", "alias", "uri", "slug", "canonical")
_DATE_KEYS = ("date", "created", "published", "publish", "time", "posted", "issued")
_LANG_KEYS = ("lang", "langcode", "language", "locale")


def api_endpoints(page: HtmlPage, url: str) -> list[str]:
    """Same-site data URLs a page's inline scripts and ``data-`` attributes name, in order."""
    root = page.root
    if root is None:
        return []
    found: dict[str, None] = {}
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "script" and not el.get("src") and "ld+json" not in (el.get("type") or ""):
            candidates: Iterator[str] = _literals(el.text or "")
        else:
            candidates = (v for k, v in el.attrib.items() if k.startswith("data-"))
        for raw in candidates:
            endpoint = _data_url(raw, url)
            if endpoint:
                found[endpoint] = None
                if len(found) >= _MAX_CANDIDATES:
                    return list(found)
    return list(found)


def _literals(script: str) -> Iterator[str]:
    for m in _STRING.finditer(script):
        yield _unescape(m.group(1) if m.group(1) is not None else m.group(2))


def _unescape(text: str) -> str:
    """A JS string's escapes ("\\u002F" is "/", as Nuxt and others write it in their state)."""
    if "\\" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return {"n": "\n", "t": "\t", "r": "\r"}.get(code, code)

    return _ESCAPE.sub(one, text)


def _data_url(raw: str, base: str) -> str | None:
    raw = raw.strip()
    if not raw.startswith(("/", "http://", "https://")) or " " in raw or raw.startswith("/*"):
        return None
    absolute = _clean_url(raw, base)
    if not absolute or not same_site(absolute, base):
        return None
    parts = urlsplit(absolute)
    target = parts.path + ("?" + parts.query if parts.query else "")
    if _ASSET.search(parts.path) or not _DATA_PATH.search(target):
        return None
    return absolute


def parse_json_listing(
    body: bytes, url: str, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Discovery:
    """The items of an API's answer as links, and the next page it names; ``include`` and
    ``exclude`` are the source's URL patterns, as for a listing page."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"JSON listing {url}: not JSON ({exc})") from None
    except RecursionError:
        raise ValueError(f"JSON listing {url}: nested too deep to be a listing") from None
    best: tuple[Link, ...] = ()
    best_list: list[Any] | None = None
    for candidate in _lists_of_objects(data):
        links = tuple(
            _dedupe(link for obj in candidate[:MAX_JSON_LINKS] if (link := _item(obj, url)))
        )
        if len(links) > len(best):
            best, best_list = links, candidate
    links = tuple(_filter(list(best), include, exclude))
    return Discovery("json", links, next_page=_next(data, url, best_list))


def articles_listed(links: Iterable[Link]) -> int:
    """How many links look like article pages (dated, or article-shaped): what tells a news
    API from the menu or search API beside it on one page."""
    return sum(1 for link in links if link.published or _article_shaped(link.url))


def _lists_of_objects(data: Any) -> Iterator[list[Any]]:
    """Every list of JSON objects in ``data``, breadth first, bounded."""
    queue: deque[tuple[Any, int]] = deque([(data, 0)])
    seen = 0
    while queue and seen < _MAX_NODES:
        node, depth = queue.popleft()
        seen += 1
        if depth > _MAX_DEPTH:
            continue
        if isinstance(node, list):
            if any(isinstance(x, dict) for x in node):
                yield node
            queue.extend((x, depth + 1) for x in node[:200] if isinstance(x, dict | list))
        elif isinstance(node, dict):
            queue.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))


def _item(obj: Any, base: str) -> Link | None:
    """One listed item: the page of the site it names (with its title, date and language)."""
    if not isinstance(obj, dict):
        return None
    fields = dict(_flat(obj))
    url = None
    for key, value in fields.items():
        if isinstance(value, str) and _keyed(key, _URL_KEYS):
            page = _page_url(value, base)
            if page:
                url = page
                break
    if url is None:
        return None
    return Link(
        url,
        title=_title(fields),
        published=_date(fields),
        language=next(
            (lang for k, v in fields.items() if _keyed(k, _LANG_KEYS) and (lang := _language(v))),
            None,
        ),
    )


def _flat(obj: dict[str, Any], prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """An item's fields, nested ones as "attributes.path.alias", the outer ones first."""
    nested = []
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 3:
            nested.append((value, name + "."))
        elif not isinstance(value, list):
            yield name, value
    for value, name in nested:
        yield from _flat(value, name, depth + 1)


def _keyed(name: str, keys: tuple[str, ...]) -> bool:
    """Whether a field's own name (the last part of a dotted one) is one of ``keys``, in any
    case and with a prefix or suffix of its own ("publishedAt", "post_title", "web_url")."""
    own = [p for p in re.split(r"[._]|(?<=[a-z])(?=[A-Z])", name) if p]
    return any(part.lower() in keys for part in own[-2:])


def _page_url(value: str, base: str) -> str | None:
    value = value.strip()
    if not value.startswith(("/", "http://", "https://")):
        return None
    page = _clean_url(value, base)
    if not page or not same_site(page, base) or _rejected(page, base):
        return None
    parts = urlsplit(page)
    if _DATA_PATH.search(parts.path) and not _article_shaped(page):
        return None  # the item's own API URL ("self"), not its page
    return page


def _title(fields: dict[str, Any]) -> str | None:
    """The field named most like a title ("title" before "headline" before "name"...), nested
    ones included ("attributes.title", WordPress's "title.rendered"): an item that holds its
    author's "name" is still titled by its "title"."""
    for wanted in _TITLE_KEYS:
        for key, value in fields.items():
            if isinstance(value, str) and value.strip() and _keyed(key, (wanted,)):
                return " ".join(value.split())[:_MAX_TITLE]
    return None


def _date(fields: dict[str, Any]) -> Published:
    for key, value in fields.items():
        if isinstance(value, str) and _keyed(key, _DATE_KEYS):
            parsed = _iso(value[:40])
            if parsed is not None:
                return parsed
    return None


#: The names a key gives the next page by ("next", "next_page", "nextPageUrl", links.next).
_NEXT_KEY = re.compile(r"next(?:[_-]?(?:page)?[_-]?(?:url|uri|href|link)?)?", re.I)


def _next(data: Any, base: str, items: list[Any] | None) -> str | None:
    """The next page's URL, from a key that names it, when it is another page of this API."""
    queue: deque[tuple[Any, int]] = deque([(data, 0)])
    seen = 0
    while queue and seen < _MAX_NODES:
        node, depth = queue.popleft()
        seen += 1
        if not isinstance(node, dict) or depth > 3:
            continue
        for key, value in node.items():
            if value is items:
                continue
            if isinstance(key, str) and _NEXT_KEY.fullmatch(key):
                target = value
                if isinstance(value, dict):
                    target = value.get("href") or value.get("url")
                if isinstance(target, str) and (nxt := _next_url(target, base)):
                    return nxt
            if isinstance(value, dict):
                queue.append((value, depth + 1))
    return None


def _next_url(target: str, base: str) -> str | None:
    """A next page is this API's own path again, or another data URL of the site."""
    nxt = _clean_url(target.strip(), base)
    if not nxt or nxt == base or not same_site(nxt, base):
        return None
    path = urlsplit(nxt).path
    if path == urlsplit(base).path or _DATA_PATH.search(path + "?" + urlsplit(nxt).query):
        return nxt
    return None
