"""Where a pass's CPU goes, by process and stage, from a py-spy recording of bench/pipeline.py.

Usage:
    py-spy record --subprocesses --rate 200 --format raw -o pass.raw -- \\
        .venv/bin/python bench/pipeline.py --sites 56 --articles 38 --pages light
    .venv/bin/python bench/stages.py pass.raw [--rate 200] [--articles 2128]

py-spy (a sampling profiler, not a dependency of the project: ``pip install py-spy`` anywhere)
samples every process of the tree; cProfile sees one thread of one process and doubles the cost
of small functions. Each sample is charged to the innermost frame that belongs to a stage, so
trafilatura's own parse counts as trafilatura and ours as "our HTML parse". Samples whose
innermost frame is a wait (select, a lock, a pipe read) are idle and dropped. The processes:
the polling process (the recorded command's own, pid first in the file), the analysis workers
(children of the forkserver) and the bench's own (the world's server, the page renderers and
the yardstick's process), which a real pass does not have.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

#: (stage, pattern on a frame "function (file:line)"), the first match wins per frame.
STAGES: list[tuple[str, str]] = [
    ("trafilatura extract", r"\((trafilatura|justext|courlan|htmldate)/"),
    ("our HTML parse", r"core/htmldoc\.py|\(lxml/"),
    ("language", r"core/language\.py|core/langmodel\.py|\(py3langid/"),
    ("title, date, metadata", r"core/extract/|core/dates\.py|core/pagekind\.py"),
    ("story features", r"core/stories/(features|words)\.py"),
    ("near-copy fingerprint", r"core/dedup\.py"),
    ("flags", r"core/flags/|core/countries\.py"),
    ("gzip (un)compressing", r"core/inflate\.py|zlib|gzip"),
    ("listings, feeds, sitemaps", r"core/discover/|\(feedparser/|shell/kinds\.py"),
    ("HTTP client", r"\((httpx|httpcore|h11|anyio|ssl)/|shell/fetch/"),
    ("SQLite store", r"shell/store/|\(sqlite_utils/|sqlite3"),
    ("story choice", r"core/identity\.py|core/stories/(scoring|index)\.py|core/policy\.py"),
    ("analysis glue (shell/analysis)", r"shell/analysis\.py|shell/worker"),
    ("pickling, worker pipes", r"multiprocessing/|pickle|concurrent/futures/"),
    ("event loop", r"asyncio/"),
    ("bench world (not monitor)", r"bench/(world|_common)\.py"),
]
_COMPILED = [(name, re.compile(pattern)) for name, pattern in STAGES]
#: Innermost frames that mean the thread was waiting, not working.
WAITS = re.compile(
    r"^(select|poll|epoll|wait|_wait|acquire|recv|_recv|_recv_bytes|sleep|accept|read) \("
    r"|\((selectors|threading|queue)\.py"
)
#: A process frame: 'process PID:"command line"' (a command line may hold a ";", which then
#: splits it in two frames; the first part is enough).
PROCESS = re.compile(r'^process (\d+):"?(.*)')


def classify(path: Path) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """(process role, stage) -> samples, and role -> samples, over the busy samples."""
    root: str | None = None
    by_stage: Counter[tuple[str, str]] = Counter()
    by_role: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        procs = [(i, PROCESS.match(f)) for i, f in enumerate(frames) if f.startswith("process ")]
        procs = [(i, m) for i, m in procs if m]
        if not procs:
            continue
        root = root or procs[0][1].group(1)
        index, inner = procs[-1]
        if inner.group(1) == root:
            role = "polling process"
        elif any("forkserver" in m.group(2) for _, m in procs):
            role = "analysis workers"
        else:
            role = "bench's own processes"
        own = frames[index + 1 :]
        if not own or WAITS.search(own[-1]):
            continue
        stage = "other"
        for frame in reversed(own):
            found = next((name for name, rx in _COMPILED if rx.search(frame)), None)
            if found:
                stage = found
                break
        by_stage[(role, stage)] += int(count)
        by_role[role] += int(count)
    return by_stage, by_role


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", type=Path, help="py-spy record --format raw output")
    parser.add_argument("--rate", type=float, default=200.0, help="py-spy's --rate (default 200)")
    parser.add_argument("--articles", type=int, help="articles stored: adds ms per article")
    args = parser.parse_args(argv)
    by_stage, by_role = classify(args.raw)
    if not by_role:
        print(f"{args.raw}: no py-spy samples found", file=sys.stderr)
        return 1
    per = (lambda n: f"{1000 * n / args.rate / args.articles:6.2f} ms") if args.articles else None
    for role in ("polling process", "analysis workers", "bench's own processes"):
        total = by_role.get(role, 0)
        if not total:
            continue
        head = f"{total / args.rate:.1f} CPU s"
        if per:
            head += f", {per(total).strip()} an article"
        print(f"\n{role}: {head}")
        rows = sorted(((s, n) for (r, s), n in by_stage.items() if r == role), key=lambda x: -x[1])
        for stage, n in rows:
            extra = f"  {per(n)}" if per else ""
            print(f"  {stage:32s} {100 * n / total:5.1f} %{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
