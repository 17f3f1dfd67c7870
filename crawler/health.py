"""Is a source still giving us anything? Flags drawn from its recent runs, for people to look at.

A source that silently returns nothing is the commonest complaint about news
crawlers. These signs are read from ``crawl_runs`` (pure functions, so the crawl
summary, ``crawler status`` and the web's sources page say the same thing):

- its last run ``failed`` (every route failed, or the crawl ended early) or was
  ``partial`` (items it fetched could not be stored); the run's errors say why;
- its last :data:`QUIET_RUNS` finished runs that read their routes found no
  new candidate URL on any of them (a moved feed, a section page whose links
  no longer match, a blocked crawler). A run that found nothing because its
  routes answered unchanged (304 or the same body) says the publisher posted
  nothing new, which is no fault, and is left out: polled every 20 minutes,
  any publisher has quiet hours;
- its last run extracted far less text per page than its runs before
  (:data:`SHRINK` of the earlier median): a layout change the extractor no
  longer reads well;
- its last run found a host's robots.txt unreachable (5xx, timeout, refused),
  so nothing was fetched from that host (RFC 9309 §2.3.1.4).
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from sqlalchemy.orm import Session

from crawler.store.runs import FAILED, PARTIAL, RunRecord, recent_runs

QUIET_RUNS = 3
SHRINK = 0.5  # flagged below half the earlier median of characters per page
MIN_PAGES = 3  # runs with fewer extracted pages say too little about text length
MIN_HISTORY = 3


def candidates(run: RunRecord) -> int:
    """New candidate article URLs a run found, over all routes."""
    return sum(v for k, v in run.counts.items() if k.startswith("candidates/"))


def idle(run: RunRecord) -> bool:
    """Nothing new, because the routes answered unchanged: the routes work, the publisher rests."""
    return not candidates(run) and run.counts.get("routes_not_modified", 0) > 0


def chars_per_page(run: RunRecord) -> float | None:
    pages = run.counts.get("extracted_pages", 0)
    return run.counts.get("extracted_chars", 0) / pages if pages >= MIN_PAGES else None


def health_flags(runs: Sequence[RunRecord]) -> list[str]:
    """What looks wrong with a source, from its finished runs, oldest first."""
    finished = [r for r in runs if r.finished_at is not None]
    flags = []
    if finished and finished[-1].status == FAILED:
        flags.append("last run failed")
    elif finished and finished[-1].status == PARTIAL:
        flags.append(f"last run partial: {finished[-1].counts.get('lost', 0)} items not stored")
    last = [r for r in finished if not idle(r)][-QUIET_RUNS:]
    if len(last) == QUIET_RUNS and not any(candidates(r) for r in last):
        flags.append(f"no new candidates in the last {QUIET_RUNS} runs")
    if finished and (hosts := finished[-1].counts.get("errors/robots_unreachable")):
        flags.append(f"robots.txt unreachable on {hosts} host(s) in the last run: nothing fetched")
    sizes = [s for s in map(chars_per_page, finished) if s is not None]
    if finished and chars_per_page(finished[-1]) is not None and len(sizes) > MIN_HISTORY:
        before = median(sizes[:-1])
        if sizes[-1] < SHRINK * before:
            flags.append(
                f"pages extract {sizes[-1]:.0f} characters, down from {before:.0f}: layout change?"
            )
    return flags


def source_flags(session: Session, source: str) -> list[str]:
    """:func:`health_flags` over the source's last ten runs."""
    return health_flags(list(reversed(recent_runs(session, source, limit=10))))
