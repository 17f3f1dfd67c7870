"""A source's day/month order, learnt from its pages, settles the dates a page cannot order.

With the real writer on both databases: a page whose only date is ``04/03/2024``
on an ``en`` page is stored undated while nothing tells its order; once the
source's other pages have shown ``13/03/2024``, the crawl's end reads it as
4 March, and the next crawl reads such a date as it stores it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from crawler.items import FetchedPage
from crawler.pipelines.writer import Writer
from crawler.store import articles as store
from crawler.store.db import session_scope
from crawler.store.retry import FaultRetry
from tests.extract.metadata_pages import DAYBOOK_AMBIGUOUS, DAYBOOK_SHOWN, Page, daybook
from tests.pipelines.helpers import fetched_html
from tests.store.helpers import T0

BASE = "https://daybook.example"


def fetched(page: Page) -> FetchedPage:
    return fetched_html(BASE + page.path, page.html, source="daybook")


def published(engine: Engine, page: Page) -> datetime | None:
    with session_scope(engine) as session:
        (current,) = store.current_versions(session, [BASE + page.path])
    return current.published


@pytest.fixture
def source_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return store.ensure_source(session, "daybook", T0)


def test_the_order_shown_later_in_a_crawl_settles_an_earlier_page(
    engine: Engine, source_id: int
) -> None:
    writer = Writer(engine, source_id, frozenset(), FaultRetry(5))
    writer.write([fetched(DAYBOOK_AMBIGUOUS)])
    assert published(engine, DAYBOOK_AMBIGUOUS) is None  # nothing tells its order yet
    written = writer.write([fetched(p) for p in DAYBOOK_SHOWN])
    assert written.counts["new"] == 2
    assert published(engine, DAYBOOK_SHOWN[0]) == datetime(2024, 3, 13, tzinfo=UTC)

    assert writer.strip_learnt()["dates_ordered_by_source"] == 1
    assert published(engine, DAYBOOK_AMBIGUOUS) == datetime(2024, 3, 4, tzinfo=UTC)
    with session_scope(engine) as session:
        assert store.count_date_orders(session, source_id) == (2, 0)

    # The next crawl knows the order before it stores anything.
    later = daybook("pier", "05/03/2024", "pier")
    nxt = Writer(engine, source_id, frozenset(), FaultRetry(5))
    assert nxt.write([fetched(later)]).counts["dates_ordered_by_source"] == 1
    assert published(engine, later) == datetime(2024, 3, 5, tzinfo=UTC)
    # Revisits count nothing twice: the order rests on distinct articles.
    nxt.write([fetched(p) for p in DAYBOOK_SHOWN])
    with session_scope(engine) as session:
        assert store.count_date_orders(session, source_id) == (2, 0)


def test_a_source_split_between_orders_leaves_the_date_empty(
    engine: Engine, source_id: int
) -> None:
    writer = Writer(engine, source_id, frozenset(), FaultRetry(5))
    us = daybook("ferry", "03/14/2024", "ferry")
    writer.write([fetched(p) for p in [DAYBOOK_AMBIGUOUS, *DAYBOOK_SHOWN, us]])
    assert writer.strip_learnt()["dates_ordered_by_source"] == 0
    assert published(engine, DAYBOOK_AMBIGUOUS) is None  # no date rather than a wrong one


def test_an_order_the_first_pages_showed_is_undone_when_the_source_turns_out_split(
    engine: Engine, source_id: int
) -> None:
    # A source with US and UK sections: its first batch shows month-first only, and the
    # ambiguous page in it is stored as 3 April; the next batch shows day-first twice.
    writer = Writer(engine, source_id, frozenset(), FaultRetry(5))
    us = daybook("ferry", "03/14/2024", "ferry")
    writer.write([fetched(us), fetched(DAYBOOK_AMBIGUOUS)])
    assert published(engine, DAYBOOK_AMBIGUOUS) == datetime(2024, 4, 3, tzinfo=UTC)
    writer.write([fetched(p) for p in DAYBOOK_SHOWN])
    writer.strip_learnt()
    assert published(engine, DAYBOOK_AMBIGUOUS) is None  # no date rather than a wrong one
