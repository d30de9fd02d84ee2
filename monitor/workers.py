"""Extraction on every core: a process pool for the CPU-bound part of a pass.

Fetching is I/O and stays on the event loop; parsing, extraction, flagging and fingerprinting
are CPU and, under the GIL, would use one core. Each worker builds its own Flagger once (its
compiled tables are costly to build and to pickle), so a task carries only the page bytes; the
forkserver builds the tables every Flagger shares (see ``monitor.worker_boot``).
Starting workers costs a second or two, so a small pass is analysed in a thread and the pool
starts only when there is more to do: idle and small passes never pay for it, and a large pass
(a first run) goes to the pool at once, so this process never loads the analysis tables.
A worker that dies (out of memory on a hostile page) costs only the article it held: the
pool is rebuilt. Scripts that use the library must guard their entry point with
``if __name__ == "__main__":`` (workers start by the "forkserver" method), or set ``workers: 1``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from monitor.config import Config
from monitor.flags import Flagger

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The worker's own Flagger, built by the pool's initializer (one per worker process).
_worker_flagger: Flagger | None = None


#: Pages analysed in a thread before the process pool is started.
WARM_UP = 32


def _init_worker(config: Config) -> None:
    global _worker_flagger
    from monitor.poll import make_flagger

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
    """A lazily started, self-healing process pool for :func:`monitor.poll.analyse`."""

    def __init__(self, config: Config, flagger: Flagger, workers: int | None = None) -> None:
        global _worker_flagger
        _worker_flagger = flagger  # for the warm-up tasks run in this process
        self.config = config
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None
        self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analyse")
        self._submitted = 0
        self._expected = 0

    def expect(self, pages: int) -> None:
        """Say that ``pages`` more pages are coming: a large batch starts the pool at once."""
        self._expected += pages

    def _ensure(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: workers fork from a clean server process with our modules preloaded,
            # never from this one (whose threads may hold locks at fork time).
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["monitor.worker_boot"])
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(self.config,),
            )
            log.debug("analysis pool started with %d workers", self.workers)
        return self._pool

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        self._submitted += 1
        small = self._submitted <= WARM_UP and self._expected <= WARM_UP
        if self.workers == 1 or (small and self._pool is None):
            return self._threads.submit(fn, *args, **kwargs)
        try:
            return self._ensure().submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            log.warning("an analysis worker died; starting a new pool")
            self._restart()
            return self._ensure().submit(fn, *args, **kwargs)

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=cancel_futures)
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
            self._pool = None
