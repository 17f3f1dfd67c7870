"""Database faults are retried with backoff for a bounded time per outage; data errors are not.

The clock and sleep are a list of instants, so the budget is checked without waiting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from crawler.store.retry import FaultRetry, backoff_delay, is_fault, one_line

LOCKED = OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))
DUPLICATE = IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))


class Clock:
    """Time that moves only when something sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def failing(times: int, error: Exception) -> Callable[[], str]:
    calls = {"n": 0}

    def job() -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise error
        return "done"

    return job


def test_backoff_doubles_from_a_quarter_second_and_stops_at_five() -> None:
    assert [backoff_delay(n) for n in range(7)] == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_faults_are_the_database_being_away_not_bad_data() -> None:
    assert is_fault(LOCKED)
    assert not is_fault(DUPLICATE)
    assert not is_fault(ValueError("x"))
    assert one_line(LOCKED) == "OperationalError: database is locked"


def test_a_fault_is_retried_until_the_database_answers() -> None:
    clock = Clock()
    retry = FaultRetry(60, sleep=clock.sleep, clock=lambda: clock.now)
    assert retry.run(failing(3, LOCKED)) == "done"
    assert clock.slept == [0.25, 0.5, 1.0]
    assert retry.down_since is None


def test_an_outage_longer_than_the_budget_gives_up_and_the_next_job_tries_once() -> None:
    clock = Clock()
    retry = FaultRetry(10, sleep=clock.sleep, clock=lambda: clock.now)
    with pytest.raises(OperationalError):
        retry.run(failing(100, LOCKED))
    assert sum(clock.slept) == pytest.approx(10)  # the last wait shortened to the budget
    slept = len(clock.slept)
    with pytest.raises(OperationalError):
        retry.run(failing(100, LOCKED))
    assert len(clock.slept) == slept, "the same outage: no second budget"
    assert retry.run(failing(0, LOCKED)) == "done"
    assert retry.down_since is None  # answered: the next fault starts a new budget


def test_a_data_error_is_raised_at_once() -> None:
    clock = Clock()
    retry = FaultRetry(60, sleep=clock.sleep, clock=lambda: clock.now)
    with pytest.raises(IntegrityError):
        retry.run(failing(1, DUPLICATE))
    assert clock.slept == []
