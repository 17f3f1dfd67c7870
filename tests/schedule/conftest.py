"""The schedule tests' fixture: daemons and workers started as real processes, always reaped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.schedule.helpers import RunningDaemon


@pytest.fixture
def daemon_factory(tmp_path: Path) -> Iterator[Callable[..., RunningDaemon]]:
    started: list[RunningDaemon] = []

    def start(
        config: Path | None, db_url: str, *extra: str, command: str = "daemon"
    ) -> RunningDaemon:
        log = tmp_path / f"{command}-{len(started)}.log"
        d = RunningDaemon(config, db_url, log, *extra, command=command)
        started.append(d)
        return d

    yield start
    for d in started:
        if d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait()
        d.close()
