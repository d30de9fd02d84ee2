"""What the benchmark scripts share: resource readings and the PASS/FAIL table."""

from __future__ import annotations

import os
import resource
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Row:
    """One line of a results table: a measure, its value, its target and whether it is met."""

    measure: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: informative, no target

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "FAIL")


def print_table(title: str, rows: list[Row]) -> None:
    """A plain-text table that reads well in a terminal and pastes into an issue."""
    headers = ("measure", "value", "target", "")
    cells = [headers, *((r.measure, r.value, r.target, r.verdict) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    print(f"\n{title}")
    for i, cell in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Resident memory now, from /proc (what "flat between passes" compares)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def median_p95(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile of a list of timings."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (None once the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def descendants(root: int, exclude: int | None = None) -> list[int]:
    """Live processes under ``root`` (not ``exclude`` nor its own subtree)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child != exclude:
                found.append(child)
                todo.append(child)
    return found


def tree_cpu_seconds(exclude: int | None = None) -> float:
    """CPU of this process and of every descendant, live or reaped by a live one.

    Forkserver workers are grandchildren, which getrusage(RUSAGE_CHILDREN) never sees; /proc
    counts each process's own time plus that of the children it reaped.
    """
    total = 0.0
    for pid in [os.getpid(), *descendants(os.getpid(), exclude)]:
        fields = _stat(pid)
        if fields:  # utime, stime, cutime, cstime: fields 14-17 of /proc/PID/stat
            total += sum(int(v) for v in fields[11:15]) / _TICK
    return total


def process_cpu_seconds(pid: int | None) -> float:
    """CPU of one process (the world's server: it shares the cores with what is measured)."""
    fields = _stat(pid) if pid else None
    return sum(int(v) for v in fields[11:13]) / _TICK if fields else 0.0


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (forkserver preloads) counted once over the tree."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeMemory:
    """Samples the summed PSS of this process and its descendants: the peak of the tree.

    Twice a second: a sample costs ~8 ms of CPU (the kernel walks each process's page tables
    for smaps_rollup), so sampling five times a second took 4% of a core from the pass it
    measures. The tree's memory moves slowly (workers grow by ~0.1 MB a page and are replaced
    one pool at a time), so the slower rate misses no peak worth the name.
    """

    def __init__(self, exclude: int | None = None, every: float = 0.5) -> None:
        self.exclude = exclude
        self.every = every
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            pids = [os.getpid(), *descendants(os.getpid(), self.exclude)]
            self.peak = max(self.peak, sum(_pss_mb(pid) for pid in pids))
