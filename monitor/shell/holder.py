"""Who holds a claim: this process, named so that its successor can tell it is gone.

A delivery run claims the alerts it is about to send (``outbox.claim_due``) for a lease, so a
second run at the same moment does not send them too. A run killed mid-way used to hold them for
the whole lease (ten minutes). A claim now names its holder as ``host:pid:start``; on the same
host, a holder whose pid is not running, or runs another program started at another time (the
pid was reused), is dead and its claims are free at once. Another host's holder cannot be
checked, and its claims wait for the lease.
"""

from __future__ import annotations

import functools
import os
import socket
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux ``/proc``), None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces: split after it
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


@functools.cache
def this_holder() -> str:
    """``host:pid:start`` of this process (start ``0`` where it cannot be read)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or 0}"


def is_dead(holder: str) -> bool:
    """Whether a holder is known to be gone: on this host, and its process is not running."""
    host, pid_text, start = _parts(holder)
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return holder != this_holder()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # running, as another user
    now = _start_ticks(pid)
    return start != "0" and now is not None and now != start


def _parts(holder: str) -> tuple[str, str, str]:
    host_pid, _, start = holder.rpartition(":")
    host, _, pid = host_pid.rpartition(":")
    return host, pid, start
