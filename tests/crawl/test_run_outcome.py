"""How a run ended, from its crawl's finish reason, counts and failed routes (pure)."""

from __future__ import annotations

from crawler.crawl.runner import run_outcome
from crawler.store import runs

ROUTES_DOWN = [
    "connection_refused_error: http://127.0.0.1:9/feed.xml: Connection was refused",
    "dns: http://nosuch.invalid/sitemap.xml: DNS lookup failed",
]


def test_a_finished_crawl_is_ok() -> None:
    assert run_outcome("finished", {"pages_fetched": 3}, []) == (runs.OK, [])


def test_lost_items_make_it_partial_even_when_stopped() -> None:
    status, errors = run_outcome("finished", {"lost": 2, "pages_fetched": 9}, [])
    assert status == runs.PARTIAL
    assert errors[0].startswith("2 items not stored")
    status, errors = run_outcome("shutdown", {"lost": 1}, [])
    assert status == runs.PARTIAL
    assert errors[-1] == "stopped by a signal before the crawl was done"


def test_every_route_failing_with_nothing_fetched_fails_with_one_line_per_route() -> None:
    assert run_outcome("finished", {}, ROUTES_DOWN) == (runs.FAILED, ROUTES_DOWN)
    # A revisit got through: the site answers, so the run is not a failure.
    assert run_outcome("finished", {"pages_fetched": 1}, ROUTES_DOWN) == (runs.OK, [])


def test_a_crawl_ended_early_or_stopped_says_so() -> None:
    assert run_outcome("closespider_timeout", {}, []) == (
        runs.FAILED,
        ["crawl ended early: closespider_timeout"],
    )
    assert run_outcome("shutdown", {}, ROUTES_DOWN)[0] == runs.STOPPED
