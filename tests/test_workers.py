"""The analysis pool: pages are analysed in worker processes, never in the polling process.

What a user relies on: a pass uses every core; the daemon's own process stays small because
it never loads the analysis tables; a page that kills its worker costs only that page; and on
one core (``workers: 1``) nothing is forked at all.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from monitor import run
from monitor.config import loads
from monitor.core import flags
from monitor.shell import workers


@pytest.fixture
def pool() -> Iterator[workers.AnalysisPool]:
    config = loads("sources: []\n", env={})
    analysis = workers.AnalysisPool(config, workers=2)
    yield analysis
    analysis.shutdown(wait=True, cancel_futures=True)


def _flagged(title: str) -> bool:
    return workers.worker_flagger().flag(title, "").flagged


def test_pages_are_analysed_in_worker_processes(pool: workers.AnalysisPool) -> None:
    pids = {pool.submit(os.getpid).result(timeout=60) for _ in range(6)}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


def test_workers_flag_with_the_configured_countries() -> None:
    config = loads("countries: [KZ]\nsources: []\n", env={})
    analysis = workers.AnalysisPool(config, workers=2)
    try:
        title = "Kazakhstan and Malaysia sign a memorandum of understanding"
        assert analysis.submit(_flagged, title).result(timeout=60)
        assert not analysis.submit(_flagged, "Weather in Oslo").result(timeout=60)
    finally:
        analysis.shutdown()


def test_the_polling_process_loads_no_analysis_stack() -> None:
    """The daemon's own process imports neither the extractors nor numpy (~15 MB by itself)."""
    heavy = ("numpy", "trafilatura", "htmldate", "py3langid")
    code = (
        "import sys, monitor.cli, monitor.poll, monitor.scheduler\n"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert loaded.stdout.strip() == ""


def test_this_process_never_builds_the_country_index(
    pool: workers.AnalysisPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flags, "_NAMES", None)  # as in a fresh daemon process
    assert pool.submit(_flagged, "Kazakhstan and Malaysia sign a treaty").result(timeout=60)
    assert flags._NAMES is None


def test_a_worker_that_dies_costs_only_its_page(pool: workers.AnalysisPool) -> None:
    before = pool.submit(os.getpid).result(timeout=60)
    doomed = pool.submit(functools.partial(os._exit, 1))
    with pytest.raises(BrokenProcessPool):
        doomed.result(timeout=60)
    after = pool.submit(os.getpid).result(timeout=60)  # a new pool, started on demand
    assert after not in (before, os.getpid())


def test_one_worker_or_one_core_analyses_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run.make_executor(loads("workers: 1\nsources: []\n", env={})) is None
    monkeypatch.setattr(workers, "default_workers", lambda: 1)
    assert run.make_executor(loads("sources: []\n", env={})) is None
    monkeypatch.setattr(workers, "default_workers", lambda: 2)
    pool = run.make_executor(loads("sources: []\n", env={}))
    assert isinstance(pool, workers.AnalysisPool) and pool.workers == 2


_ORPHAN_SCRIPT = """
import os, sys, time
from monitor.shell import workers
from monitor.config import loads

if __name__ == "__main__":
    pool = workers.AnalysisPool(loads("sources: []\\n", env={}), workers=2)
    print(pool.submit(os.getpid).result(timeout=60), flush=True)
    time.sleep(600)
"""


def test_workers_do_not_outlive_a_killed_daemon(tmp_path: Path) -> None:
    script = tmp_path / "daemon.py"
    script.write_text(_ORPHAN_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        worker = int(proc.stdout.readline())  # type: ignore[union-attr]
        assert _running(worker)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(worker), "an analysis worker outlived the process that fed it"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_are_replaced_after_their_share_of_pages(
    pool: workers.AnalysisPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "RECYCLE", 3)
    futures = [pool.submit(os.getpid) for _ in range(20)]  # queued faster than they run
    pids = [future.result(timeout=60) for future in futures]
    assert len(set(pids)) > 2  # fresh workers took over, and nothing hung
    assert os.getpid() not in pids


def test_workers_yield_the_cpu_to_the_polling_process(pool: workers.AnalysisPool) -> None:
    # the event loop keeps the workers fed: it must not wait behind them for a core
    assert pool.submit(os.nice, 0).result(timeout=60) > os.nice(0)


def test_the_cli_module_loads_neither_the_http_client_nor_the_store() -> None:
    """The forkserver preloads the command's main module: what it imports, every worker holds."""
    code = (
        "import sys, monitor.cli; "
        "print(sorted(m for m in ('httpx', 'sqlite_utils', 'sqlite3', 'apscheduler')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
