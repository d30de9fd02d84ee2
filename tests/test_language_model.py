"""langmodel's compact model: same answers as py3langid, cached and mapped once.

Every test points ``MONITOR_CACHE_DIR`` at its own temporary directory and clears language.py's
per-process detector before and after, so none touches the real cache or leaks its model.
``langmodel.load`` is not memoised: each call is what a new process would do.
"""

from __future__ import annotations

import gc
import json
import os
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from monitor.core import langmodel, language

PLAUSIBLE = language.PLAUSIBLE

SAMPLES = {
    "en": "The government announced on Tuesday that it would expand the programme to cover rural "
    "districts, where access to clinics remains limited and waiting times have doubled.",
    "ru": "Правительство во вторник объявило о расширении программы на сельские районы, где "
    "доступ к поликлиникам по-прежнему ограничен, а время ожидания удвоилось.",
    "kk": "Үкімет сейсенбі күні бағдарламаны ауылдық аудандарға кеңейтетінін хабарлады, онда "
    "емханаларға қолжетімділік әлі де шектеулі.",
    "ms": "Kerajaan mengumumkan pada hari Selasa bahawa ia akan meluaskan program itu ke daerah "
    "luar bandar, di mana akses kepada klinik masih terhad.",
    "id": "Pemerintah mengumumkan pada hari Selasa bahwa pihaknya akan memperluas program "
    "tersebut ke kabupaten pedesaan, di mana akses ke puskesmas masih terbatas.",
    "uz": "Hukumat seshanba kuni dasturni qishloq tumanlariga kengaytirishini e'lon qildi, u "
    "yerda poliklinikalarga kirish hali ham cheklangan.",
    "ky": "Өкмөт шейшемби күнү программаны айылдык райондорго кеңейтүүнү жарыялады, ал жерде "
    "ооруканаларга жетүү дагы эле чектелүү.",
    "de": "Die Regierung kündigte am Dienstag an, das Programm auf ländliche Bezirke "
    "auszuweiten, in denen der Zugang zu Kliniken nach wie vor eingeschränkt ist.",
    "fr": "Le gouvernement a annoncé mardi qu'il étendrait le programme aux districts ruraux, "
    "où l'accès aux cliniques reste limité.",
    "zh": "政府周二宣布，将把该计划扩大到农村地区，"
    "那里的诊所服务仍然有限，等待时间自去年以来翻了一番。",
}
#: Short, odd and long inputs besides: py3langid's uniform answer for nothing, capitals, repeats.
TEXTS = [
    *SAMPLES.values(),
    *((text + " ") * (1500 // len(text) + 1) for text in SAMPLES.values()),
    "Hello world",
    "Привет",
    "",
    "12345 67890 !!!",
    "THE GOVERNMENT ANNOUNCED NEW MEASURES",
    "Mixed: the ministry said что решение принято, dan kerajaan setuju.",
]


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    """py3langid's own identifier, restricted as language.py restricted it before the cache."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in PLAUSIBLE if lang in identifier.labels])
    return identifier


@pytest.fixture(scope="module")
def built() -> tuple[list[str], dict[str, np.ndarray]]:
    """The restricted tables, built once for the tests that only need something to rebuild."""
    return langmodel.build(PLAUSIBLE)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "cache"
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(directory))
    language._identifier.cache_clear()
    yield directory
    language._identifier.cache_clear()  # later tests load from their own place again


@pytest.fixture
def count_builds(
    monkeypatch: pytest.MonkeyPatch, built: tuple[list[str], dict[str, np.ndarray]]
) -> list[int]:
    """Replace the (slow) build by the module's tables, counting the calls."""
    calls: list[int] = []

    def fake_build(languages: Sequence[str]) -> tuple[list[str], dict[str, np.ndarray]]:
        assert list(languages) == list(PLAUSIBLE)
        calls.append(1)
        return built

    monkeypatch.setattr(langmodel, "build", fake_build)
    return calls


def _cache_files(directory: Path) -> list[Path]:
    return sorted(directory.iterdir()) if directory.exists() else []


def test_cached_model_answers_as_py3langid(cache_dir: Path, reference: LanguageIdentifier) -> None:
    model = langmodel.load(PLAUSIBLE)
    assert isinstance(model, langmodel.CompactModel)
    assert [path.suffix for path in _cache_files(cache_dir)] == [".bin"]  # no temporary left
    for text in TEXTS:
        expected, got = reference.classify(text), model.classify(text)
        assert got[0] == expected[0], text
        assert got[1] == pytest.approx(expected[1], abs=1e-3), text
        # rank: every language's probability, as py3langid ranks them
        want, have = dict(reference.rank(text)), dict(model.rank(text))
        assert set(have) == set(want), text
        assert all(have[lang] == pytest.approx(p, abs=1e-3) for lang, p in want.items()), text


def test_public_functions_use_the_cached_model(cache_dir: Path) -> None:
    assert language.detect_language(SAMPLES["ru"]) == "ru"
    assert language.detect_language(SAMPLES["ms"]) == "ms"
    assert language.detect_language(SAMPLES["zh"] * 3) == "zh"
    assert language.detect_language(SAMPLES["kk"]) == "kk"
    assert language.detect_language("too short") is None
    assert language.contradicts("en", SAMPLES["ru"] * 3) == "ru"
    assert language.contradicts("ru", SAMPLES["ru"] * 3) is None
    language.warm_up()
    assert _cache_files(cache_dir)
    model = language._identifier()
    assert isinstance(model, langmodel.CompactModel)
    assert language._identifier() is model  # loaded once per process


def test_second_load_maps_the_cache_without_rebuilding(
    cache_dir: Path, count_builds: list[int]
) -> None:
    langmodel.load(PLAUSIBLE)
    assert count_builds == [1]
    (path,) = _cache_files(cache_dir)
    before = path.stat()
    model = langmodel.load(PLAUSIBLE)
    assert count_builds == [1]
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert isinstance(model, langmodel.CompactModel)
    assert model.classify(SAMPLES["de"])[0] == "de"


def _mapped_kb(path: Path) -> int:
    """Resident kilobytes of this process's mappings of ``path`` (Linux smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
            inside = line.endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux smaps")
def test_loading_the_cache_maps_little_of_it(cache_dir: Path, count_builds: list[int]) -> None:
    """A forkserver loads the model for its workers: the 39 MB DFA table must not become
    resident in it just by being checked (only the pages a classification reads should)."""
    langmodel.load(PLAUSIBLE)
    (path,) = _cache_files(cache_dir)
    model = langmodel.load(PLAUSIBLE)
    assert _mapped_kb(path) * 1024 < path.stat().st_size // 10
    assert model.classify(SAMPLES["en"])[0] == "en"


def test_cache_name_follows_py3langid_version_and_languages(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = langmodel.cache_path(PLAUSIBLE)
    assert path.parent == cache_dir
    assert langmodel.cache_path(list(PLAUSIBLE)) == path  # the languages, not their container
    other_languages = langmodel.cache_path((*PLAUSIBLE, "nl"))
    monkeypatch.setattr(langmodel, "_py3langid_version", lambda: "9.9.9")
    other_version = langmodel.cache_path(PLAUSIBLE)
    assert len({path, other_languages, other_version}) == 3
    assert "9.9.9" in other_version.name


def test_cache_directory_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert langmodel.cache_path(PLAUSIBLE).parent == tmp_path / "xdg" / "monitor"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert langmodel.cache_path(PLAUSIBLE).parent == tmp_path / "home" / ".cache" / "monitor"


def test_unwritable_cache_dir_falls_back_to_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: LanguageIdentifier
) -> None:
    # a directory below a regular file cannot be created, even by root
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("MONITOR_CACHE_DIR", str(blocker / "cache"))
    full_tables: list[weakref.ref[np.ndarray]] = []
    load = LanguageIdentifier.from_model_file

    def recording_load(*args: object, **kwargs: object) -> LanguageIdentifier:
        identifier = load(*args, **kwargs)
        full_tables.append(weakref.ref(identifier.nb_ptc))
        return identifier

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", staticmethod(recording_load))
    model = langmodel.load(PLAUSIBLE)
    assert isinstance(model, langmodel.CompactModel)
    for text in TEXTS[:10]:
        expected, got = reference.classify(text), model.classify(text)
        assert got[0] == expected[0]
        assert got[1] == pytest.approx(expected[1], abs=1e-3)
    gc.collect()
    assert len(full_tables) == 1
    assert full_tables[0]() is None  # the 142-language table is not kept alive
    assert blocker.read_text() == ""


def test_failed_write_leaves_no_temporary_file(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, count_builds: list[int]
) -> None:
    def refuse(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    model = langmodel.load(PLAUSIBLE)
    assert isinstance(model, langmodel.CompactModel)
    assert model.classify(SAMPLES["fr"])[0] == "fr"
    assert _cache_files(cache_dir) == []


def test_cache_built_for_other_languages_is_not_read(
    cache_dir: Path, count_builds: list[int]
) -> None:
    langmodel.load(PLAUSIBLE)
    (path,) = _cache_files(cache_dir)
    assert langmodel.read_cache(path, PLAUSIBLE) is not None
    assert langmodel.read_cache(path, (*PLAUSIBLE, "nl")) is None
    assert langmodel.read_cache(path, PLAUSIBLE[:-1]) is None


def _truncate(data: bytes, offsets: dict[str, int]) -> bytes:
    return data[: len(data) // 2]


def _garbage(data: bytes, offsets: dict[str, int]) -> bytes:
    return os.urandom(len(data))


def _empty(data: bytes, offsets: dict[str, int]) -> bytes:
    return b""


def _bad_header(data: bytes, offsets: dict[str, int]) -> bytes:
    return data[:16] + b"{not json" + data[25:]


def _wild_transition(data: bytes, offsets: dict[str, int]) -> bytes:
    """Header intact, one DFA entry pointing far outside the table."""
    at = offsets["nextmove"] + 4 * 1000
    return data[:at] + b"\xff\xff\xff\x7f" + data[at + 4 :]


def _wild_feature(data: bytes, offsets: dict[str, int]) -> bytes:
    at = offsets["out_feat"] + 4 * 7
    return data[:at] + b"\xff\xff\xff\x7f" + data[at + 4 :]


@pytest.mark.parametrize(
    "damage", [_truncate, _garbage, _empty, _bad_header, _wild_transition, _wild_feature]
)
def test_damaged_cache_is_rebuilt(
    cache_dir: Path, count_builds: list[int], damage: Callable[[bytes, dict[str, int]], bytes]
) -> None:
    langmodel.load(PLAUSIBLE)
    (path,) = _cache_files(cache_dir)
    data = path.read_bytes()
    header = json.loads(data[16 : 16 + int.from_bytes(data[8:16], "little")])
    offsets = {name: spec["offset"] for name, spec in header["arrays"].items()}
    path.write_bytes(damage(data, offsets))

    model = langmodel.load(PLAUSIBLE)

    assert count_builds == [1, 1]
    assert model.classify(SAMPLES["ru"])[0] == "ru"
    assert path.read_bytes() == data  # rebuilt, whole again
    assert langmodel.read_cache(path, PLAUSIBLE) is not None


def test_foreign_py3langid_scoring_falls_back_to_py3langid(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If py3langid ever scores differently, its own identifier is used and nothing cached."""
    monkeypatch.setattr(langmodel.CompactModel, "classify", lambda self, text: ("en", 0.5))
    model = language._identifier()
    assert isinstance(model, LanguageIdentifier)
    assert language.detect_language(SAMPLES["ms"]) == "ms"
    assert _cache_files(cache_dir) == []


def test_writing_a_cache_removes_other_versions_left_for_a_month(
    cache_dir: Path, count_builds: list[int]
) -> None:
    """An upgrade writes a new ~45 MB file; old ones do not pile up in the user's cache."""
    cache_dir.mkdir(parents=True)
    month_ago = time.time() - (langmodel.STALE_DAYS + 1) * 86400
    old = cache_dir / "langid-0.3.0-aaaaaaaaaaaa.bin"
    recent = cache_dir / "langid-0.3.9-bbbbbbbbbbbb.bin"  # another install may still use it
    leftover = cache_dir / ".langid-0.3.0-aaaaaaaaaaaa.bin.x1y2.tmp"
    unrelated = cache_dir / "notes.txt"
    for path in (old, recent, leftover, unrelated):
        path.write_bytes(b"x")
    for path in (old, leftover, unrelated):
        os.utime(path, (month_ago, month_ago))
    langmodel.load(PLAUSIBLE)
    assert count_builds == [1]
    current = langmodel.cache_path(PLAUSIBLE)
    assert _cache_files(cache_dir) == sorted([current, recent, unrelated])
