"""When each source runs: triggers from the config, and the first run after a (re)start.

Pure functions of the schedule, the last run's start (from ``crawl_runs``) and
the clock, so a restarted daemon picks up where the last one left off: a
source due every hour that last ran at 09:30 runs next at 10:30 whether the
daemon restarts at 10:05 or never stopped; one whose run was missed while no
daemon was up runs once at start, if the miss is within the grace period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config import Schedule

UTC_NAME = "UTC"


def _jitter(schedule: Schedule) -> int | None:
    return int(schedule.jitter.total_seconds()) or None if schedule.jitter else None


def cron_trigger(schedule: Schedule) -> CronTrigger:
    assert schedule.cron is not None
    return CronTrigger.from_crontab(schedule.cron, timezone=UTC_NAME)


def first_run(
    schedule: Schedule, last_started: datetime | None, now: datetime, grace: timedelta
) -> datetime:
    """When the source should run next, given when its last run started.

    This is also the "next due" that ``crawler status`` shows.
    """
    if schedule.every is not None:
        if last_started is None:
            return now
        return max(now, last_started + schedule.every)
    trigger = cron_trigger(schedule)
    upcoming = trigger.get_next_fire_time(None, now)
    assert upcoming is not None
    if last_started is None:
        return upcoming
    missed = trigger.get_next_fire_time(None, last_started + timedelta(microseconds=1))
    if missed is not None and missed < now and now - missed <= grace:
        return now
    return upcoming


def trigger_for(schedule: Schedule, start: datetime) -> BaseTrigger:
    """The APScheduler trigger of a source whose first run is at ``start``."""
    if schedule.every is not None:
        return IntervalTrigger(
            seconds=schedule.every.total_seconds(),
            start_date=start,
            timezone=UTC_NAME,
            jitter=_jitter(schedule),
        )
    trigger = cron_trigger(schedule)
    trigger.jitter = _jitter(schedule)
    return trigger
