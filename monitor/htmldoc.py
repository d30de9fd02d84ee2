"""Bytes to a parsed HTML document, once per page, with the page's real encoding.

httpx decodes by the Content-Type header alone and ignores ``<meta charset>``; in this field
windows-1251 pages without a charset header are common, so decoding follows the HTML rule
(BOM, then the HTTP charset, then ``<meta>``, then detection) and always parses with lxml:
``html.parser`` needs 20+ s on a dense 6 MB page.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, UnicodeDammit

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(body: bytes, charset: str | None = None) -> str:
    """Decode an HTML or XML body the way a browser would."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    declared = [charset] if charset else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        declared.append(meta.group(1).decode("ascii", "replace"))
    for name in declared:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 page with one cut-off character is still UTF-8; guessing would garble all of it.
    lenient = body.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(2, len(lenient) // 1000):
        return lenient
    dammit = UnicodeDammit(body, ["utf-8", "windows-1251", "windows-1252"], is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup
    return body.decode("utf-8", errors="replace")


def parse(html: bytes | str, charset: str | None = None) -> BeautifulSoup:
    """Parse a page with lxml; never raises on malformed markup."""
    text = decode(html, charset) if isinstance(html, bytes) else html
    return BeautifulSoup(text, "lxml")
