"""Per-source line counts on both databases: counted per article, thresholded, forgotten when rare."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select

from crawler.store.articles import ensure_source
from crawler.store.db import session_scope
from crawler.store.furniture import FORGET_AFTER, count_lines, forget_rare_lines, load_furniture
from crawler.store.models import SourceLine
from tests.store.helpers import T0, later


def test_counts_add_one_page_per_call_and_threshold_picks_furniture(engine: Engine) -> None:
    with session_scope(engine) as s:
        a, b = ensure_source(s, "a", T0), ensure_source(s, "b", T0)
    for hour in range(4):
        with session_scope(engine) as s:
            counts = count_lines(s, a, [[11, 22, -(2**63)] if hour < 3 else [11]], later(hour))
    assert counts == {11: 4}  # the new count of each line just counted
    with session_scope(engine) as s:
        # once per page, however often on it
        assert count_lines(s, b, [[11, 11, 12], [11]], T0) == {11: 2, 12: 1}
        assert count_lines(s, b, [], T0) == {}
        assert load_furniture(s, a, 4) == {11}
        assert load_furniture(s, a, 3) == {11, 22, -(2**63)}
        assert load_furniture(s, b, 2) == {11}
        assert load_furniture(s, b, 1) == {11, 12}
        assert s.scalar(
            select(SourceLine.last_seen).where(
                SourceLine.line_hash == 11, SourceLine.source_id == a
            )
        ) == later(3)


def test_lines_seen_once_long_ago_are_forgotten_and_recurring_ones_kept(engine: Engine) -> None:
    with session_scope(engine) as s:
        src = ensure_source(s, "a", T0)
        count_lines(s, src, [[1, 2], [2]], T0)
        count_lines(s, src, [[3]], T0 + FORGET_AFTER)
    with session_scope(engine) as s:
        assert forget_rare_lines(s, src, T0 + FORGET_AFTER + timedelta(hours=1)) == 1
        left = set(s.scalars(select(SourceLine.line_hash)))
        assert left == {2, 3}
        assert s.scalar(select(func.count()).select_from(SourceLine)) == 2
