"""The analysis pool: small passes stay in this process, large ones go to worker processes.

What a user relies on: a first run over many sources uses every core (and this process never
loads the analysis tables), while an idle or small pass never pays for starting workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from monitor import workers
from monitor.config import loads
from monitor.flags import Flagger


@pytest.fixture
def pool() -> Iterator[workers.AnalysisPool]:
    config = loads("sources: []\n", env={})
    analysis = workers.AnalysisPool(config, Flagger(), workers=2)
    yield analysis
    analysis.shutdown(wait=True, cancel_futures=True)


def test_a_small_pass_is_analysed_in_this_process(pool: workers.AnalysisPool) -> None:
    pool.expect(3)
    pids = {pool.submit(os.getpid).result(timeout=30) for _ in range(3)}
    assert pids == {os.getpid()}
    assert pool._pool is None  # no worker was started


def test_a_large_batch_goes_to_worker_processes_at_once(pool: workers.AnalysisPool) -> None:
    pool.expect(workers.WARM_UP + 1)
    pids = [pool.submit(os.getpid).result(timeout=60) for _ in range(4)]
    assert os.getpid() not in pids


def test_many_small_batches_start_the_pool_after_the_warm_up(
    pool: workers.AnalysisPool,
) -> None:
    pids = []
    for _ in range(workers.WARM_UP + 2):
        pool.expect(1)
        pids.append(pool.submit(os.getpid).result(timeout=60))
    assert set(pids[: workers.WARM_UP]) == {os.getpid()}
    assert os.getpid() not in pids[workers.WARM_UP :]


def test_workers_1_never_starts_a_process() -> None:
    config = loads("workers: 1\nsources: []\n", env={})
    analysis = workers.AnalysisPool(config, Flagger(), workers=1)
    try:
        analysis.expect(1000)
        assert analysis.submit(os.getpid).result(timeout=30) == os.getpid()
    finally:
        analysis.shutdown()
