"""Database faults: which errors are worth retrying, and retrying them for a bounded time.

A fault is of the database or the way to it, not of the data: PostgreSQL
stopped or restarting, a dropped connection, an SQLite file locked by another
writer, made read-only, or on a full disk. DB-API 2.0 (PEP 249) names these
``OperationalError`` and ``InterfaceError``, which SQLAlchemy wraps under the
same names; an error about the data (``DataError``, ``IntegrityError``, a value
the driver cannot encode) is not retried, since it fails the same way again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

T = TypeVar("T")
FIRST_DELAY_S = 0.25
MAX_DELAY_S = 5.0  # a database back after an outage is written to within this long
logger = logging.getLogger(__name__)


def is_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is a fault of the database or its connection, worth retrying."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)


def backoff_delay(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` (0, 1, ...): 0.25, 0.5, 1, 2, 4, then 5."""
    return float(min(MAX_DELAY_S, FIRST_DELAY_S * 2**attempt))


def one_line(exc: BaseException) -> str:
    """``exc`` as one line: the driver's error class and the first line of its message."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else ''}".rstrip(": ")


@dataclass
class FaultRetry:
    """Runs jobs, retrying database faults with backoff for ``budget_s`` per outage.

    An outage starts with the first fault after a success and is shared by
    every job run through this object: once a job has given up, the next one
    is tried once, not for another full budget, until the database answers again.
    """

    budget_s: float
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    down_since: float | None = field(default=None, init=False)

    def run(self, job: Callable[[], T]) -> T:
        """``job()``; a fault is retried until the outage is ``budget_s`` old, then raised."""
        attempt = 0
        while True:
            try:
                result = job()
            except Exception as exc:
                if not is_fault(exc):
                    raise
                now = self.clock()
                if self.down_since is None:
                    self.down_since = now
                left = self.down_since + self.budget_s - now
                if left <= 0:
                    raise
                delay = min(backoff_delay(attempt), left)
                logger.warning("database fault, retrying in %.2fs: %s", delay, one_line(exc))
                self.sleep(delay)
                attempt += 1
            else:
                self.down_since = None
                return result
