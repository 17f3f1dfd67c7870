"""``crawler status``: per source, the last run, the next due run and the last error, from the database.

Everything comes from ``crawl_runs`` (and the config, for schedules), so it
works from any machine that reaches the database while the daemon runs elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from crawler.config import Config
from crawler.console import make_console
from crawler.health import source_flags
from crawler.schedule.plan import first_run
from crawler.store import runs


@dataclass(frozen=True, slots=True)
class SourceStatus:
    source: str
    last: runs.RunRecord | None
    next_due: datetime | None
    last_error: tuple[datetime, str] | None
    flags: list[str]  # see crawler.health: what someone should look at


def source_statuses(session: Session, config: Config | None, now: datetime) -> list[SourceStatus]:
    """One status per source in the config, then any other source that has runs."""
    latest = {r.source: r for r in runs.latest_runs(session)}
    configured = {s.name: s for s in config.sources} if config else {}
    names = [*configured, *sorted(set(latest) - set(configured))]
    statuses = []
    for name in names:
        last = latest.get(name)
        due = None
        if config is not None and name in configured:
            started = last.started_at if last else None
            due = first_run(configured[name].schedule, started, now, config.daemon.misfire_grace)
        error = runs.last_error(session, name)
        statuses.append(SourceStatus(name, last, due, error, source_flags(session, name)))
    return statuses


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def print_statuses(statuses: list[SourceStatus], console: Console | None = None) -> None:
    table = Table(title="sources")
    for column in (
        "source",
        "last run (UTC)",
        "took",
        "outcome",
        "new",
        "versions",
        "errors",
        "next due (UTC)",
        "health",
        "last error",
    ):
        table.add_column(column, overflow="fold")
    for st in statuses:
        last = st.last
        took = "-"
        if last and last.finished_at:
            took = f"{(last.finished_at - last.started_at).total_seconds():.1f}s"
        counts = last.counts if last else {}
        error = f"{_when(st.last_error[0])}: {st.last_error[1]}" if st.last_error else "-"
        table.add_row(
            st.source,
            _when(last.started_at if last else None),
            took,
            last.status if last else "never run",
            str(counts.get("new", 0)),
            str(counts.get("changed", 0)),
            str(counts.get("errors", 0)),
            _when(st.next_due),
            "; ".join(st.flags) or "ok",
            error,
        )
    console = console or make_console()
    console.print(table)
