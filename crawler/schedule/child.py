"""One crawl of one source in a child process: ``crawler crawl --source NAME``, with a deadline.

A child per run gives every crawl a fresh reactor and returns its memory to
the system when it exits; a crash stays inside it. The child runs in its own
process group so that a hard kill also reaches its extraction workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

# After SIGTERM, a crawl gets this long to flush and close before it is killed.
KILL_AFTER_S = 10.0


@dataclass(frozen=True, slots=True)
class ChildResult:
    returncode: int
    timed_out: bool


class CrawlChild:
    """A running ``crawler crawl --source NAME`` child."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, config: Path, source: str, db_url: str) -> CrawlChild:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            "--config",
            str(config),
            "--source",
            source,
            "--db",
            db_url,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,  # the daemon logs the run's summary itself
            start_new_session=True,
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
