"""Health flags from a source's runs: quiet sources and shrinking text, on small run lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from crawler.health import QUIET_RUNS, health_flags
from crawler.store.runs import FAILED, PARTIAL, RunRecord

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def run(
    i: int,
    candidates: int = 5,
    pages: int = 10,
    chars: int = 3000,
    finished: bool = True,
    unchanged_routes: int = 0,
) -> RunRecord:
    counts = {
        "candidates/feed": candidates,
        "extracted_pages": pages,
        "extracted_chars": pages * chars,
        "routes_not_modified": unchanged_routes,
    }
    start = T0 + timedelta(hours=i)
    return RunRecord(
        i, "pub", start, start + timedelta(minutes=1) if finished else None, "ok", counts
    )


def test_a_healthy_source_has_no_flags() -> None:
    assert health_flags([run(i) for i in range(6)]) == []


def test_the_last_runs_finding_nothing_new_are_flagged_and_one_find_clears_it() -> None:
    quiet = [run(0)] + [run(i, candidates=0) for i in range(1, QUIET_RUNS + 1)]
    assert health_flags(quiet) == [f"no new candidates in the last {QUIET_RUNS} runs"]
    assert health_flags([*quiet, run(9, candidates=1)]) == []
    assert health_flags(quiet[:QUIET_RUNS]) == [], "too few quiet runs yet"
    assert health_flags([*quiet, run(9, candidates=0, finished=False)])  # a running one counts not


def test_runs_whose_routes_answered_unchanged_are_a_quiet_publisher_not_a_fault() -> None:
    # `crawler demo` run again, or a daemon polling a feed that has nothing new: 304s
    idle = [run(0)] + [run(i, candidates=0, unchanged_routes=1) for i in range(1, 6)]
    assert health_flags(idle) == []
    # routes read afresh (a changed body) that still give nothing: that is what is flagged
    read = [run(i, candidates=0) for i in range(6, 6 + QUIET_RUNS)]
    assert health_flags([*idle, *read]) == [f"no new candidates in the last {QUIET_RUNS} runs"]
    mixed = [idle[0], read[0], idle[1], read[1], idle[2], read[2], idle[3]]
    assert health_flags(mixed) == [f"no new candidates in the last {QUIET_RUNS} runs"]


def test_a_sudden_drop_in_text_per_page_is_a_layout_change() -> None:
    history = [run(i, chars=3000 + 10 * i) for i in range(5)]
    (flag,) = health_flags([*history, run(9, chars=900)])
    assert flag.startswith("pages extract 900 characters, down from 30")
    assert health_flags([*history, run(9, chars=2000)]) == []  # a smaller drop is not flagged
    assert health_flags([*history, run(9, pages=1, chars=10)]) == []  # one page says little
    assert health_flags([run(0), run(1, chars=100)]) == []  # no history to compare with


def test_an_unreachable_robots_txt_in_the_last_run_is_flagged_until_a_run_reads_it() -> None:
    blocked = run(1)
    blocked.counts["errors/robots_unreachable"] = 2
    flag = "robots.txt unreachable on 2 host(s) in the last run: nothing fetched"
    assert health_flags([run(0), blocked]) == [flag]
    assert health_flags([run(0), blocked, run(2)]) == []


def test_a_failed_or_partial_last_run_is_flagged_until_a_run_goes_well() -> None:
    history = [run(i) for i in range(4)]
    failed = replace(run(4, candidates=0, pages=0), status=FAILED)
    assert health_flags([*history, failed]) == ["last run failed"]
    partial = replace(run(4), status=PARTIAL, counts={**run(4).counts, "lost": 7})
    assert health_flags([*history, partial]) == ["last run partial: 7 items not stored"]
    assert health_flags([*history, failed, run(5)]) == []
