"""A claim dies with its holder: a killed delivery run holds nothing once it is gone.

Claims stop a second delivery run from sending what a first is sending. A run killed mid-way
held its alerts for the whole ten-minute lease; now the claim names its holder, and a holder on
this host that is not running any more frees its claims at once. A live holder, or one on
another host (which cannot be checked), keeps them for the lease.
"""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from monitor.core.policy import OutboxRow
from monitor.shell import holder
from monitor.shell.store import Database, open_db, outbox

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=10)
SOON = NOW + dt.timedelta(seconds=5)


@pytest.fixture
def store() -> Iterator[Database]:
    db = open_db(":memory:")
    outbox.save_alerts(db, [OutboxRow("s1", "mail"), OutboxRow("s2", "mail")], NOW)
    yield db
    db.close()


def _holder_of(proc: subprocess.Popen[bytes]) -> str:
    return f"{socket.gethostname()}:{proc.pid}:{holder._start_ticks(proc.pid) or 0}"


def test_the_claims_of_a_run_that_died_on_this_host_are_taken_at_once(store: Database) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    dead = _holder_of(proc)
    proc.wait()
    assert len(outbox.claim_due(store, NOW, ["mail"], LEASE, holder=dead)) == 2
    assert holder.is_dead(dead)
    taken = outbox.claim_due(store, SOON, ["mail"], LEASE)
    assert [i.story for i in taken] == ["s1", "s2"]
    assert outbox.claim_due(store, SOON, ["mail"], LEASE) == []  # now held by this process


def test_a_live_run_keeps_its_claims_for_the_lease(store: Database) -> None:
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as proc:
        try:
            live = _holder_of(proc)
            assert len(outbox.claim_due(store, NOW, ["mail"], LEASE, holder=live)) == 2
            assert outbox.claim_due(store, SOON, ["mail"], LEASE) == []
            later = NOW + LEASE + dt.timedelta(seconds=1)
            assert len(outbox.claim_due(store, later, ["mail"], LEASE)) == 2
        finally:
            proc.kill()


def test_a_reused_pid_is_not_the_holder_that_died(store: Database) -> None:
    # the pid runs, but a process started at another time: the holder that claimed is gone
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as proc:
        try:
            host, pid, start = _holder_of(proc).split(":")
            if start == "0":
                pytest.skip("no process start times on this system")
            other = f"{host}:{pid}:{int(start) - 1}"
            assert holder.is_dead(other) and not holder.is_dead(_holder_of(proc))
        finally:
            proc.kill()


def test_another_hosts_claims_wait_for_the_lease(store: Database) -> None:
    elsewhere = "another-host.example:1:12345"
    assert len(outbox.claim_due(store, NOW, ["mail"], LEASE, holder=elsewhere)) == 2
    assert not holder.is_dead(elsewhere)
    assert outbox.claim_due(store, SOON, ["mail"], LEASE) == []
