"""When a (re)started daemon runs each source first: from the schedule and the last run."""

from datetime import UTC, datetime, timedelta

from crawler.config import Schedule
from crawler.schedule.plan import first_run, trigger_for

HOURLY = Schedule(every=timedelta(hours=1))
ON_THE_HOUR = Schedule(cron="0 * * * *")
GRACE = timedelta(minutes=10)


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def test_every_resumes_from_the_last_run_not_at_once_and_not_never() -> None:
    assert first_run(HOURLY, at(9, 30), at(10, 5), GRACE) == at(10, 30)
    assert first_run(HOURLY, None, at(10, 5), GRACE) == at(10, 5), "never run: now"
    assert first_run(HOURLY, at(8, 0), at(10, 5), GRACE) == at(10, 5), "overdue: now, once"


def test_cron_runs_a_missed_tick_once_within_grace_else_waits() -> None:
    assert first_run(ON_THE_HOUR, at(9, 0), at(9, 30), GRACE) == at(10, 0), "nothing missed"
    assert first_run(ON_THE_HOUR, at(9, 0), at(10, 5), GRACE) == at(10, 5), "10:00 missed by 5 min"
    assert first_run(ON_THE_HOUR, at(9, 0), at(10, 25), GRACE) == at(11, 0), "missed beyond grace"
    assert first_run(ON_THE_HOUR, None, at(10, 25), GRACE) == at(11, 0)


def test_triggers_follow_the_schedule_with_jitter() -> None:
    start = at(10, 30)
    every = trigger_for(Schedule(every=timedelta(minutes=30), jitter=timedelta(seconds=20)), start)
    fire = every.get_next_fire_time(None, start)
    assert fire is not None
    assert start <= fire <= start + timedelta(seconds=20)
    later = every.get_next_fire_time(fire, fire + timedelta(seconds=1))
    assert later is not None
    assert timedelta(minutes=29) < later - fire <= timedelta(minutes=31)
    cron = trigger_for(ON_THE_HOUR, start)
    assert cron.get_next_fire_time(None, at(10, 30)) == at(11, 0)
