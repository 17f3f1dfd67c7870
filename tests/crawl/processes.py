"""The processes a test started, found by walking /proc, and a wait for them to end.

A process is named by its pid and its start time (field 22 of
``/proc/PID/stat``, proc(5)), so that a pid reused after it ended is not
taken for it. A zombie has ended: it waits only for a parent to reap it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

Proc = tuple[int, int]  # pid, start time in clock ticks since boot


def _stat(pid: int) -> tuple[str, int, int] | None:
    """State, parent pid and start time of ``pid``; None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) ", which may hold spaces
    return fields[0], int(fields[1]), int(fields[19])


def descendants(pid: int) -> set[Proc]:
    """Every living process below ``pid`` (children, their children, ...)."""
    children: dict[int, list[Proc]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[0] != "Z":
            children.setdefault(stat[1], []).append((int(entry.name), stat[2]))
    found: set[Proc] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def alive(procs: set[Proc]) -> set[Proc]:
    """Those of ``procs`` still running (not ended, not a zombie, pid not reused)."""
    living = set()
    for pid, started in procs:
        stat = _stat(pid)
        if stat is not None and stat[0] != "Z" and stat[2] == started:
            living.add((pid, started))
    return living


def wait_until_gone(procs: set[Proc], within_s: float) -> set[Proc]:
    """Wait up to ``within_s`` for ``procs`` to end; return those still alive, after killing
    them (they are the test's own) so that a failure leaves nothing behind either."""
    deadline = time.monotonic() + within_s
    while (left := alive(procs)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid, _ in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


def holding(procs: set[Proc], path: Path) -> set[Proc]:
    """Those of ``procs`` with ``path`` open (a database file: the store writer)."""
    target = str(path.resolve())
    found = set()
    for proc in alive(procs):
        with contextlib.suppress(FileNotFoundError, PermissionError, ProcessLookupError):
            fds = Path(f"/proc/{proc[0]}/fd").iterdir()
            if any(_link(fd) == target for fd in fds):
                found.add(proc)
    return found


def _link(fd: Path) -> str | None:
    try:
        return str(fd.readlink())
    except OSError:  # closed meanwhile
        return None


def children_running(pid: int, *argv: str) -> set[Proc]:
    """The direct children of ``pid`` whose command line holds each of ``argv``."""
    found = set()
    for proc in descendants(pid):
        stat = _stat(proc[0])
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            args = Path(f"/proc/{proc[0]}/cmdline").read_bytes().split(b"\0")
            if stat and stat[1] == pid and all(a.encode() in args for a in argv):
                found.add(proc)
    return found
