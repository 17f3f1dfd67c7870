"""``crawler daemon`` and ``crawler worker`` as real processes, and their config, for the schedule tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from crawler.store import runs
from crawler.store.db import make_engine, session_scope, upgrade
from tests.crawl.helpers import FAST_DEFAULTS

WAIT_S = 120  # generous: child crawls start slowly on a loaded 2-core machine


def write(path: Path, sources: list[dict[str, Any]], **daemon: Any) -> Path:
    defaults = {**FAST_DEFAULTS, "schedule": {"every": "1s"}}
    path.write_text(yaml.safe_dump({"defaults": defaults, "sources": sources, "daemon": daemon}))
    return path


class RunningDaemon:
    """``crawler daemon`` (or, with ``command="worker"``, ``crawler worker``) as a real process."""

    def __init__(
        self, config: Path | None, db_url: str, log: Path, *extra: str, command: str = "daemon"
    ) -> None:
        self.log_path = log
        self.db_url = db_url
        upgrade(db_url)  # so the test can read crawl_runs before the daemon's first run
        env = {k: v for k, v in os.environ.items() if k != "CRAWLER_DATABASE_URL"}
        self.log_file = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler",
                command,
                *(["--config", str(config)] if config else []),
                "--db",
                db_url,
                *extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
            env=env,
        )
        self.engine = make_engine(db_url, write=False)

    def log(self) -> str:
        return self.log_path.read_text()

    def run_records(self, source: str) -> list[runs.RunRecord]:
        with session_scope(self.engine) as s:
            return runs.runs_since(s, source, datetime(2000, 1, 1, tzinfo=UTC))

    def finished(self, source: str, status: str = runs.OK) -> int:
        return sum(r.status == status for r in self.run_records(source))

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if condition():
                return
            assert self.proc.poll() is None, (
                f"{self.log_path.name} exited early:\n{self.log()[-3000:]}"
            )
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}:\n{self.log()[-3000:]}")

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self) -> int:
        self.signal(signal.SIGTERM)
        code = self.proc.wait(timeout=WAIT_S)
        self.close()
        return code

    def close(self) -> None:
        self.engine.dispose()
        self.log_file.close()
