"""Crawls of a batch of sources in a child process: ``crawler crawl --source A --source B``, with a deadline.

A child per batch gives its crawls a fresh reactor and returns their memory
to the system when it exits; a crash stays inside it, and the runs of the
batch it cut short are recorded ``failed`` (those done before keep their
status and everything they stored). The child runs in its own process group
so that a hard kill also reaches its extraction workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from crawler.config import CRAWLS_AT_ONCE
from crawler.store import runs
from crawler.store.db import session_scope

# After SIGTERM, a crawl gets this long to flush and close before it is killed.
KILL_AFTER_S = 10.0


def workers_per_child(cores: int, children: int) -> int:
    """Extraction workers for each of ``children`` crawl children running at once on
    ``cores`` cores: the cores shared out, at least one each. Each worker holds its own
    copy of the parser's and extractor's memory (33 to 37 MB of PSS once it has read
    pages), and more workers than cores add processes without adding speed.
    """
    return max(1, cores // max(1, children))


def batch_deadline(run_timeout: timedelta, sources: int) -> timedelta:
    """How long a child of ``sources`` crawls may take: each stops itself after ``run_timeout``,
    :data:`~crawler.config.CRAWLS_AT_ONCE` at a time; past this the child itself is stuck."""
    waves = -(-sources // CRAWLS_AT_ONCE)
    return run_timeout * waves + timedelta(seconds=KILL_AFTER_S)


@dataclass(frozen=True, slots=True)
class ChildResult:
    returncode: int
    timed_out: bool


class CrawlChild:
    """A running ``crawler crawl --source NAME ...`` child: its sources crawl side by side."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(
        cls,
        config: Path,
        sources: Sequence[str],
        db_url: str,
        run_timeout: timedelta,
        *,
        die_with_parent: bool = False,
        workers: int | None = None,
    ) -> CrawlChild:
        """Start the crawls; each stops itself ``run_timeout`` after it starts (``timed_out``).

        ``workers``: the child's extraction worker processes (None: one per core).

        ``die_with_parent``: the kernel kills it if this process dies.

        A queue worker asks for that: when a worker is killed, its task is run
        again elsewhere, and an orphaned crawl must not race the new one. The
        daemon too: a crawl it started has no deadline once the daemon is gone.
        The crawl's own helper processes follow it (crawler/pipelines/processes.py).
        """
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            "--config",
            str(config),
            *(arg for name in sources for arg in ("--source", name)),
            "--db",
            db_url,
            "--run-timeout",
            f"{run_timeout // timedelta(milliseconds=1)}ms",
            *(("--workers", str(workers)) if workers else ()),
            "--quiet",  # the daemon logs the run's summary itself, from its crawl_runs row
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if die_with_parent else None,
        )
        return cls(proc)

    def terminate(self) -> None:
        """Ask the crawl to stop cleanly (it flushes what it has and records the run)."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Stop the crawl and its workers now."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    async def wait(self, timeout_s: float) -> ChildResult:
        """Wait for the crawl; past ``timeout_s`` stop it (cleanly, then hard)."""
        try:
            code = await asyncio.wait_for(self.proc.wait(), timeout_s)
            return ChildResult(code, timed_out=False)
        except TimeoutError:
            self.terminate()
            try:
                code = await asyncio.wait_for(self.proc.wait(), KILL_AFTER_S)
            except TimeoutError:
                self.kill()
                code = await self.proc.wait()
            return ChildResult(code, timed_out=True)


# Looked up here, in the parent: between fork and exec only the call itself is safe
# when the parent has other threads (the daemon's scheduler and metrics server).
_prctl = ctypes.CDLL(None, use_errno=True).prctl


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the parent dies (Linux ``PR_SET_PDEATHSIG``)."""
    _prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """How one run ended, from the child's exit and the crawl_runs row it wrote."""

    source: str
    status: str
    started: datetime
    ended: datetime
    returncode: int
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    def log_line(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "event": "run",
            "source": self.source,
            "status": self.status,
            "started": self.started.isoformat(timespec="seconds"),
            "duration_s": round((self.ended - self.started).total_seconds(), 2),
            "exit_code": self.returncode,
            "counts": self.counts,
        }
        if self.error:
            line["error"] = self.error
        return line


def record_outcome(
    engine: Engine, source: str, spawned: datetime, result: ChildResult, limit: timedelta
) -> RunOutcome:
    """Close the run the child left open (timed out, or died), and say how it ended.

    A run that ended ``ok`` before its batch's deadline stays ``ok``; one still
    going (or stopped by the deadline's SIGTERM) is ``timed_out``.
    """
    ended = datetime.now(UTC)
    with session_scope(engine) as session:
        recorded = runs.runs_since(session, source, spawned)
        run = recorded[-1] if recorded else None
        status = run.status if run else runs.FAILED
        if run is not None and result.timed_out and run.status in (runs.RUNNING, runs.STOPPED):
            status = runs.TIMED_OUT
            runs.close_run(session, run.id, ended, status, f"timed out after {limit}")
        elif run is not None and run.status == runs.RUNNING:
            status = runs.FAILED
            runs.close_run(session, run.id, ended, status, f"crawl exited with {result.returncode}")
    error = None if run else f"the crawl recorded no run (exit code {result.returncode})"
    return RunOutcome(
        source, status, spawned, ended, result.returncode, run.counts if run else {}, error
    )
