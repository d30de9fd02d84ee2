"""Extraction on every core: a process pool for the CPU-bound part of a pass.

Fetching is I/O and stays on the event loop; parsing, extraction, flagging and fingerprinting
are CPU and, under the GIL, would use one core. So every page goes to a worker process, and
this process (the daemon's, long-lived) never loads the analysis tables: it stays small and
flat. Workers fork from a forkserver that has loaded the modules and the tables every Flagger
shares (``monitor.shell.worker_boot``), so starting them costs a fraction of a second and they share
those pages; each builds its own small Flagger for the configured countries and terms, so a
task carries only the page bytes. Workers are replaced after ``RECYCLE`` pages each: a fresh one
owns ~10 MB (the shared pages its first steps write to are copied), ~16 MB after 20 pages and
~18 MB after 90, levelling off near 20 MB (trafilatura's caches, copied pages; still 20 MB after
1,000), and a fork from the forkserver costs a few milliseconds. A worker that dies (out of
memory on a hostile page) costs only the article it held: the pool is rebuilt. Workers run
niced, so that the polling process that feeds them never waits for a core.

The forkserver also loads the program's main module (``monitor.cli`` for the command), so that
the workers need not each run it again; that module therefore imports the rest of the library
only where a command uses it. Scripts that use the library must guard their entry point with
``if __name__ == "__main__":`` (the forkserver start method), and keep their own top-level
imports light for the same reason, or set ``workers: 1``, which analyses in a thread of this
process instead.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from monitor.config import Config
from monitor.core.flags import Flagger

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The worker's own Flagger, built by the pool's initializer (one per worker process).
_worker_flagger: Flagger | None = None


#: Pages a worker analyses before it is replaced by a fresh one. A safety net for the daemon
#: (a leak in a parser would otherwise grow for weeks): workers level off near 20 MB, the same
#: after 150, 500 and 1,000 pages, and each replacement stalls the pass ~60 ms, so not often.
RECYCLE = 500


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere a no-op).

    A ProcessPoolExecutor never notices that the process which fed it is gone: after a
    ``kill -9`` of the daemon its forkserver and workers would wait forever, holding memory and
    the daemon's stdout. The forkserver asks this of the daemon (workers see ``exit_with``).
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError) as exc:  # an odd libc: live without it
        log.debug("cannot ask to die with the parent process: %s", exc)


_PR_SET_PDEATHSIG = 1


def exit_with(pid: int) -> None:
    """Exit this process as soon as process ``pid`` (the one that feeds us tasks) is gone.

    A worker's parent is the forkserver, which lives as long as any worker holds its "alive"
    pipe, so the kernel's parent-death signal would never fire for the worker: it watches the
    daemon itself, on a pidfd (Linux 5.3+), else by polling once a second.
    """

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # no pidfd: poll
            while _alive(pid):
                time.sleep(1.0)
        else:
            select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, and not ours to signal
        return True
    return True


def tune_allocator() -> None:
    """Have glibc hand large freed blocks back at once (Linux; elsewhere a no-op).

    A page's lxml trees and trafilatura's copies of them are freed after each article, but by
    default glibc raises its mmap threshold after each large free, so later large blocks come
    from the heap, which then stays fragmented: a worker's heap grew by ~2 MB over its pages.
    Fixed thresholds keep large blocks in their own mappings, returned when freed, at no cost
    per page (a ``malloc_trim`` after each page saved ~1 MB more and cost ~0.3 ms a page).
    The polling process, which holds each page's bytes on their way to a worker, calls it too
    (from the CLI): after a pass over 200 sites it held 4.5 MB less (PSS 64.4 -> 59.7 MB).
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 128 * 1024)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 * 1024)
    except (OSError, AttributeError) as exc:  # not glibc: its defaults, then
        log.debug("cannot tune the allocator: %s", exc)


_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def lower_priority() -> None:
    """Let the polling process win the CPU whenever it wants it (``nice`` +10 for this worker).

    Workers and the event loop share the cores, and the loop is what keeps the workers fed:
    each time the scheduler made it wait behind two busy workers, fetching and storing paused
    and the workers' queue ran dry. In a 40 s pass of the bench, SQLite statements that took
    over 5 ms of wall time added up to ~3.8 s (for ~1.1 s of CPU); with niced workers, 2.3 s,
    and the cores were busy 95% of the pass instead of 94%. Niced workers lose nothing while the
    loop idles; it is also what a background job owes the rest of its machine.
    """
    with contextlib.suppress(OSError, AttributeError):  # not permitted, or not on this system
        os.nice(_WORKER_NICENESS)


_WORKER_NICENESS = 10


def _init_worker(config: Config, parent: int) -> None:
    global _worker_flagger
    exit_with(parent)
    lower_priority()
    _worker_flagger = make_flagger(config)


def worker_flagger() -> Flagger:
    """The Flagger of the current worker process."""
    if _worker_flagger is None:
        raise RuntimeError("not in a monitor worker process")
    return _worker_flagger


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class AnalysisPool(Executor):
    """A lazily started, self-healing process pool for :func:`monitor.shell.analysis.analyse`."""

    def __init__(self, config: Config, workers: int) -> None:
        self.config = config
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._tasks = 0  # submitted to the current pool

    def _ensure(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: workers fork from a clean server process with our modules preloaded,
            # never from this one (whose threads may hold locks at fork time).
            context = multiprocessing.get_context("forkserver")
            # "__main__" too: every worker would otherwise run the program's main script again
            # (multiprocessing's spawn preparation), importing the whole CLI privately; loaded
            # once in the forkserver, it is shared, and the workers skip it.
            context.set_forkserver_preload(["__main__", "monitor.shell.worker_boot"])
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(self.config, os.getpid()),
            )
            log.debug("analysis pool started with %d workers", self.workers)
        return self._pool

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if self._tasks >= RECYCLE * self.workers:
            self._retire()
        self._tasks += 1
        try:
            return self._ensure().submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            log.warning("an analysis worker died; starting a new pool")
            self._restart()
            return self._ensure().submit(fn, *args, **kwargs)

    def _retire(self) -> None:
        """Hand further pages to fresh workers; the old ones finish theirs, then exit.

        By hand, not with ``max_tasks_per_child``: on Python 3.11 and 3.12 that deadlocks once a
        worker reaches its limit while tasks are queued (CPython gh-115634).
        """
        if self._pool is not None:
            # Waiting (the pages in flight, tens of milliseconds) keeps old and new workers
            # from being alive at once, which would make each rotation a memory peak.
            self._pool.shutdown(wait=True)
        self._pool = None
        self._tasks = 0

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        self._tasks = 0

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
            self._pool = None


def make_flagger(config: Config) -> Flagger:
    """The configured flagger (built once: compiling its tables is the costly part)."""
    return Flagger(
        config.countries,
        count_demonyms=config.count_demonyms,
        agreement_terms=config.agreement_terms,
        exclude_terms=config.exclude_terms,
    )
