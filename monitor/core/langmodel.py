"""py3langid's model, restricted to a few languages, cached in a file and mapped read-only.

py3langid's identifier costs each process ~75 MB of private memory (the 142-language table kept
beside the restricted one, DFA tables as Python lists) and ~100 MB at its peak while the model
is decompressed; the forkserver, its workers and the main process may all load it. So the
restricted tables are built once, written to a cache file and mapped read-only: the pages live
in the page cache, shared by every process, and each one pays almost nothing for them.

The cache is one ~45 MB file in ``$MONITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/monitor``, else
``~/.cache/monitor``, named after the py3langid version and the languages, so a change of either
gets a new file. It is built on first use (about half a second) and may be deleted at any time;
other versions' files untouched for 30 days are deleted when a new one is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import math
import mmap
import os
import re
import sys
import tempfile
import time
import unicodedata
from array import array
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypedDict, cast

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

log = logging.getLogger(__name__)


class Classifier(Protocol):
    """What a caller needs from a detector: py3langid's ``classify`` and ``rank``."""

    def classify(self, text: str) -> tuple[str, float]: ...

    def rank(self, text: str) -> list[tuple[str, float]]: ...


class _ArraySpec(TypedDict):
    """Where one array lies in the cache file (its entry in the JSON header)."""

    dtype: str
    shape: list[int]
    offset: int


class _IncompatibleModel(Exception):
    """py3langid's model or scoring is no longer what ``CompactModel`` reproduces."""


#: Bump when the cache file's layout or the meaning of its arrays changes.
_CACHE_FORMAT = 1
_CACHE_MAGIC = b"MONLANG\x00"
#: Arrays start on page boundaries, so a page of ``nextmove`` holds whole DFA rows.
_ALIGN = 4096
#: Every array of the model: the dtype it is stored in and its number of dimensions.
_ARRAYS = {
    "ptc": ("<f2", 2),  # log P(feature | language), one row per feature, chosen columns only
    "pc": ("<f4", 1),  # log P(language)
    "nextmove": ("<u4", 1),  # the DFA's distinct rows, 256 next states each
    "rowbase": ("<u4", 1),  # per state: where its row starts in nextmove (py3langid's tk_row * 256)
    "out_feat": ("<i4", 1),  # per state: the feature it completes, or -1
}
#: A freshly built model must answer these as py3langid does before it is trusted or cached.
_PROBES = (
    "The government announced new measures for rural clinics on Tuesday.",
    "Правительство объявило о новых мерах для сельских поликлиник.",
    "Hukumat seshanba kuni yangi choralarni e'lon qildi.",
    "Kerajaan mengumumkan langkah baharu untuk klinik luar bandar.",
    "政府周二宣布了农村诊所的新措施。",
    "OK",
    "",
)


def load(languages: Sequence[str]) -> Classifier:
    """A detector answering only ``languages`` (those py3langid knows): mapped, built or py3langid.

    The cache file is mapped when it is there and sound; otherwise the tables are built, written
    and mapped. When no cache can be written the same tables are kept in memory; only if
    py3langid changed beyond what we reproduce is its own identifier used. Never fails for the
    cache's sake. Not memoised: callers keep what it returns.
    """
    try:
        path: Path | None = cache_path(languages)
    except Exception as exc:  # no home directory, no model file stat: build in memory
        log.debug("no language model cache: %s", exc)
        path = None
    if path is not None and (model := read_cache(path, languages)) is not None:
        return model
    try:
        labels, arrays = build(languages)
    except _IncompatibleModel as exc:
        log.warning(
            "py3langid %s not reproduced (%s): using it directly", _py3langid_version(), exc
        )
        return _py3langid_identifier(languages)
    if path is not None:
        try:
            _write_cache(path, languages, labels, arrays)
        except Exception as exc:  # unwritable, full, odd filesystem: keep the tables in memory
            log.debug("cannot write language model cache %s: %s", path, exc)
        else:
            _remove_stale(path)
            if (model := read_cache(path, languages)) is not None:
                return model
    return CompactModel(labels, arrays)


def _encode(text: str) -> bytes:
    """The bytes py3langid's model reads (``LanguageIdentifier._encode`` for a str)."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


class CompactModel:
    """py3langid's scoring (``classify`` with ``norm_probs=True``) over read-only arrays.

    Not a LanguageIdentifier over the same arrays, because its constructor builds a private
    list of 104k ints per process and keeps every table it is given; here every table can be a
    view of one shared file mapping. Answers match py3langid's to float32 rounding (features
    are summed in sorted, not first-seen, order); ``build`` checks that before trusting it.
    """

    __slots__ = ("_alias_pairs", "_labels", "_nextmove", "_out_feat", "_pc", "_ptc", "_rowbase")

    def __init__(self, labels: list[str], arrays: Mapping[str, np.ndarray]) -> None:
        self._labels = labels
        self._ptc = arrays["ptc"]
        self._pc = arrays["pc"]
        self._out_feat = arrays["out_feat"]
        # the DFA walk runs in Python: a memoryview returns plain ints, numpy scalars are slow
        self._nextmove = arrays["nextmove"].data.cast("B").cast("I")
        self._rowbase = arrays["rowbase"].data.cast("B").cast("I")
        # a label may own two columns (py3langid has two 'uz' models): the first gets both
        first: dict[str, int] = {}
        self._alias_pairs = [
            (first[label], i) for i, label in enumerate(labels) if first.setdefault(label, i) != i
        ]

    def classify(self, text: str) -> tuple[str, float]:
        """(language, probability) as ``LanguageIdentifier.classify`` gives them."""
        scores = self._probabilities(text)
        best = int(scores.argmax())
        return self._labels[best], float(scores[best])

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every language with its probability, likeliest first (``LanguageIdentifier.rank``)."""
        scores = self._probabilities(text)
        best: dict[str, float] = {}
        for lang, p in zip(self._labels, scores.tolist(), strict=True):
            best[lang] = max(p, best.get(lang, 0.0))  # an alias column holds 0 (folded in)
        return sorted(best.items(), key=lambda item: -item[1])

    def _probabilities(self, text: str) -> np.ndarray[Any, Any]:
        data = _encode(text)
        nextmove, rowbase = self._nextmove, self._rowbase
        state = 0
        states: list[int] = []
        append = states.append
        for byte in data:
            state = nextmove[rowbase[state] + byte]
            append(state)
        # array('I') from the list, then numpy: twice as fast as np.array(list)
        features = self._out_feat[np.frombuffer(array("I", states), dtype=np.uint32)]
        features = features[features >= 0]
        if features.size:
            index, counts = np.unique(features, return_counts=True)
            scores = np.log1p(counts.astype(np.float32)) @ self._ptc[index] + self._pc
        else:  # nothing to go on: py3langid's uniform answer
            scores = np.zeros(len(self._labels), dtype=np.float32)
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for i, j in self._alias_pairs:
            scores[i] += scores[j]
            scores[j] = 0.0
        return cast("np.ndarray[Any, Any]", scores)


def _check(
    labels: list[str], arrays: Mapping[str, np.ndarray], largest_move: int | None = None
) -> None:
    """Refuse tables that do not fit together, so a damaged cache cannot make classify fail.

    ``largest_move`` is ``nextmove``'s largest entry when the caller read it some other way
    than through the array: ``read_cache`` does, from the file, because scanning the mapped
    39 MB table would map every page of it into the process for good (the forkserver held
    13 MB of the table that no worker ever read).
    """
    ptc, pc, nextmove = arrays["ptc"], arrays["pc"], arrays["nextmove"]
    rowbase, out_feat = arrays["rowbase"], arrays["out_feat"]
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise ValueError("no labels")
    if ptc.shape[1] != len(labels) or pc.shape != (len(labels),):
        raise ValueError("tables disagree on the number of languages")
    if not nextmove.size or nextmove.size % 256 or not rowbase.size:
        raise ValueError("empty or ragged DFA")
    if rowbase.shape != out_feat.shape:
        raise ValueError("DFA tables disagree on the number of states")
    if np.any(rowbase & 255) or int(rowbase.max()) > nextmove.size - 256:
        raise ValueError("DFA row offsets out of range")
    if int(out_feat.min()) < -1 or int(out_feat.max()) >= ptc.shape[0]:
        raise ValueError("DFA features out of range")
    if largest_move is None:
        largest_move = int(nextmove.max())
    if largest_move >= rowbase.size:
        raise ValueError("DFA transitions out of range")


def build(languages: Sequence[str]) -> tuple[list[str], dict[str, np.ndarray]]:
    """The tables for ``languages``, from py3langid's full model, checked against py3langid.

    Only public attributes of LanguageIdentifier are read. Loading the full model costs ~100 MB
    for a moment; what is returned is the ~45 MB that classification reads, the 142-language
    table dropped. Raises _IncompatibleModel when py3langid changed in a way we do not follow.
    """
    try:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        classes = list(identifier.nb_classes)
        wanted = {lang for lang in languages if lang in classes}
        columns = [i for i, label in enumerate(classes) if label in wanted]  # py3langid's order
        labels = [classes[i] for i in columns]
        arrays: dict[str, np.ndarray] = {
            "ptc": np.ascontiguousarray(np.asarray(identifier.nb_ptc)[:, columns], np.float16),
            "pc": np.ascontiguousarray(np.asarray(identifier.nb_pc)[columns], np.float32),
            "nextmove": np.asarray(identifier.tk_nextmove).astype(np.uint32, copy=False),
            "rowbase": np.asarray(identifier.tk_row).astype(np.uint32) << 8,
            "out_feat": np.asarray(identifier.tk_output, dtype=np.int32),
        }
        _check(labels, arrays)
        identifier.set_languages(sorted(wanted))
        model = CompactModel(labels, arrays)
        for probe in _PROBES:
            expected, got = identifier.classify(probe), model.classify(probe)
            if expected[0] != got[0] or abs(expected[1] - got[1]) > 1e-3:
                raise _IncompatibleModel(f"{probe!r}: py3langid says {expected}, we say {got}")
    except (AttributeError, TypeError, ValueError, IndexError, KeyError) as exc:
        raise _IncompatibleModel(f"{type(exc).__name__}: {exc}") from exc
    return labels, arrays


def _py3langid_version() -> str:
    try:
        return importlib.metadata.version("py3langid")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cache_path(languages: Sequence[str]) -> Path:
    """The cache file for this py3langid and ``languages``: a new name whenever either changes.

    ``$MONITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/monitor``, else ``~/.cache/monitor``.
    """
    if directory := os.environ.get("MONITOR_CACHE_DIR"):
        base = Path(directory)
    elif xdg := os.environ.get("XDG_CACHE_HOME"):
        base = Path(xdg) / "monitor"
    else:
        base = Path.home() / ".cache" / "monitor"
    version = _py3langid_version()
    model_size = (MODEL_DIR / MODEL_FILE).stat().st_size  # a swapped model file, same version
    # a list and a tuple dump alike, so the name depends on the languages only, not their type
    key = json.dumps([_CACHE_FORMAT, version, model_size, list(languages), sys.byteorder])
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return base / f"langid-{re.sub(r'[^0-9A-Za-z.]+', '_', version)}-{digest}.bin"


#: Another version's cache (or a temporary file) unchanged this long is no one's any more.
STALE_DAYS = 30


def _remove_stale(current: Path) -> None:
    """Delete the caches of other versions and languages left beside ``current``.

    Each py3langid upgrade or language change writes a new ~45 MB file and would leave the old
    one behind for good. A file untouched for ``STALE_DAYS`` goes; should an older install
    still want it, that install rebuilds it (half a second) and it is fresh again. A process
    that has it mapped keeps its mapping: deleting a file does not take pages from under it.
    """
    cutoff = time.time() - STALE_DAYS * 86400
    for other in current.parent.glob("*langid-*"):
        if other == current or other.suffix not in (".bin", ".tmp"):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to delete
            if other.stat().st_mtime < cutoff:
                other.unlink()
                log.debug("removed stale language model cache %s", other)


def _align(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def _write_cache(
    path: Path, languages: Sequence[str], labels: list[str], arrays: Mapping[str, np.ndarray]
) -> None:
    """Write the model to ``path`` atomically (a temporary file beside it, then os.replace).

    A concurrent reader sees no file, an older one or this whole one, never a part; processes
    racing to build the same cache each replace it with identical bytes.

    Layout: magic, header length (uint64 LE), JSON header (labels, and each array's dtype,
    shape and offset), then the arrays, raw and page-aligned, for ``np.frombuffer`` over mmap.
    """
    start = _ALIGN
    while True:
        specs: dict[str, _ArraySpec] = {}
        offset = start
        for name in _ARRAYS:
            table = arrays[name]
            specs[name] = {"dtype": table.dtype.str, "shape": list(table.shape), "offset": offset}
            offset = _align(offset + table.nbytes)
        header = {
            "format": _CACHE_FORMAT,
            "py3langid": _py3langid_version(),
            "languages": list(languages),
            "labels": labels,
            "size": offset,
            "arrays": specs,
        }
        encoded = json.dumps(header).encode()
        if 16 + len(encoded) <= start:
            break
        start = _align(16 + len(encoded))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_CACHE_MAGIC + len(encoded).to_bytes(8, "little") + encoded)
            for name in _ARRAYS:
                out.write(b"\0" * (specs[name]["offset"] - out.tell()))
                out.write(np.ascontiguousarray(arrays[name]).data)
            out.write(b"\0" * (offset - out.tell()))
            out.flush()
            os.fsync(out.fileno())  # no renamed file whose blocks never reached the disk
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_cache(path: Path, languages: Sequence[str]) -> CompactModel | None:
    """The model mapped from ``path``; None (logged at debug) when missing or unusable.

    Unusable includes a file built for another py3langid or other ``languages``. The mapping
    is read-only and file-backed: its pages sit in the page cache, shared by every process that
    maps the file, and forked workers inherit it. A damaged file is never fatal, the caller
    rebuilds it.
    """
    try:
        with open(path, "rb") as file:
            buffer = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            return _read_mapped(file, buffer, languages)
    except FileNotFoundError:
        return None
    except Exception as exc:  # any damage at all: the cache is an optimisation, never a failure
        log.debug("ignoring language model cache %s: %s", path, exc)
        return None


def _read_mapped(file: BinaryIO, buffer: mmap.mmap, languages: Sequence[str]) -> CompactModel:
    """The model over ``buffer`` (``file`` mapped), checked; raises on any damage."""
    if buffer[: len(_CACHE_MAGIC)] != _CACHE_MAGIC:
        raise ValueError("not a model cache")
    length = int.from_bytes(buffer[8:16], "little")
    if length > len(buffer) - 16:
        raise ValueError("truncated header")
    header = json.loads(buffer[16 : 16 + length])
    if [header["format"], header["py3langid"], header["languages"]] != [
        _CACHE_FORMAT,
        _py3langid_version(),
        list(languages),
    ]:
        raise ValueError("built for another py3langid or language set")
    if header["size"] != len(buffer):
        raise ValueError(f"{len(buffer)} bytes, expected {header['size']}")
    arrays = {}
    for name, (dtype, ndim) in _ARRAYS.items():
        spec = header["arrays"][name]
        shape = tuple(int(n) for n in spec["shape"])
        count, offset = math.prod(shape), int(spec["offset"])
        if spec["dtype"] != dtype or len(shape) != ndim or min(shape) < 0:
            raise ValueError(f"{name}: unexpected {spec['dtype']} {shape}")
        if offset < 16 + length or offset + count * np.dtype(dtype).itemsize > len(buffer):
            raise ValueError(f"{name}: outside the file")
        table = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset)
        arrays[name] = table.reshape(shape)
    labels = header["labels"]
    moves = _largest(file, int(header["arrays"]["nextmove"]["offset"]), arrays["nextmove"].size)
    _check(labels, arrays, moves)
    return CompactModel(labels, arrays)


def _largest(file: BinaryIO, offset: int, count: int) -> int:
    """The largest of ``count`` uint32 (LE) at ``offset`` of ``file``, read, not mapped.

    The caller has checked that they lie inside the file.
    """
    largest, chunk = 0, 1 << 18  # values per read: 1 MB
    for start in range(0, count, chunk):
        data = os.pread(file.fileno(), 4 * min(chunk, count - start), offset + 4 * start)
        largest = max(largest, int(np.frombuffer(data, dtype="<u4").max()))
    return largest


def _py3langid_identifier(languages: Sequence[str]) -> Classifier:
    """py3langid's own identifier restricted to ``languages``: the last resort, ~75 MB private."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in languages if lang in identifier.labels])
    return cast(Classifier, identifier)  # py3langid is untyped; classify() and rank() it has
