"""Stories: the articles of many sites and languages that report one piece of news.

An analyst wants each piece of news once, however many institutes repost it and in however many
languages. Grouping must work offline, so languages meet on what they share without translation:

- links: a page's hreflang / language-switch alternates name its other-language versions;
- URL ids: ``/en/news/412-...`` and ``/ru/news/412-...`` on one host are one item;
- *evidence tokens* that read the same in en, ru, kk and ms: names transliterated from Cyrillic
  and reduced to a phonetic key ("Тукумовым" and "Tukumov" both give ``n:tukum``), acronyms with
  their Cyrillic twins (КазИСС/ҚСЗИ/KazISS, ШОС/ШЫҰ/SCO), countries as ISO codes matched on
  stems so that case endings do not matter, numbers, day-and-month dates, and a small bilingual
  dictionary of the field's terms (memorandum/меморандум/persefahaman) mapped to concept ids;
- within one language, title and text word overlap.

Pure functions and data, no I/O: :func:`features` runs once per article and its result is
storable as JSON; :func:`index_keys` gives the keys of an inverted index through which candidates
are found (the store's table ``story_keys``, searched by ``articles.fetch_story_candidates``);
:func:`score` compares two articles and :func:`assign` picks the story a new article joins.

The package: ``words`` (transliteration, phonetic keys and the small dictionaries), ``features``
(one article's comparable features), ``scoring`` (two articles compared, a story chosen) and
``index`` (the inverted index's keys, and the weights its counts give).
"""

from monitor.core.stories.features import StoryDoc, StoryFeatures, features
from monitor.core.stories.index import (
    MAX_CANDIDATES,
    MAX_KEYS,
    index_keys,
    key_weights,
)
from monitor.core.stories.scoring import (
    THRESHOLD,
    WINDOW_DAYS,
    assign,
    date_factor,
    evidence_similarity,
    linked,
    same_language,
    score,
    text_similarity,
)
from monitor.core.stories.words import CONCEPTS, ORGS, latin, name_key

__all__ = [
    "CONCEPTS",
    "MAX_CANDIDATES",
    "MAX_KEYS",
    "ORGS",
    "THRESHOLD",
    "WINDOW_DAYS",
    "StoryDoc",
    "StoryFeatures",
    "assign",
    "date_factor",
    "evidence_similarity",
    "features",
    "index_keys",
    "key_weights",
    "latin",
    "linked",
    "name_key",
    "same_language",
    "score",
    "text_similarity",
]
