"""Per-source path counts on both databases: a slot after enough noise pages, vetoed by body."""

from __future__ import annotations

from sqlalchemy import Engine, select

from crawler.extract.slots import SLOT_MIN_PAGES, SLOT_MIN_SHARE
from crawler.store.articles import ensure_source
from crawler.store.db import session_scope
from crawler.store.models import SourceSlot
from crawler.store.slots import count_slots, load_slots
from tests.store.helpers import T0, later


def test_a_path_becomes_a_slot_on_enough_noise_pages_and_one_body_page_vetoes_it(
    engine: Engine,
) -> None:
    with session_scope(engine) as s:
        a, b = ensure_source(s, "a", T0), ensure_source(s, "b", T0)
    for n in range(SLOT_MIN_PAGES):
        with session_scope(engine) as s:
            now = count_slots(
                s, a, [(7, True, False), (8, False, False), (-(2**63), True, False)], later(n)
            )
            assert now[7] is (n == SLOT_MIN_PAGES - 1)  # learnt as it reaches the threshold
            assert not now[8]  # kept text there: no evidence
    with session_scope(engine) as s:
        assert load_slots(s, a) == {7, -(2**63)}
        assert load_slots(s, b) == set()  # per source
        assert count_slots(s, a, [(7, False, True)], later(9)) == {7: False}  # body text: vetoed
        assert count_slots(s, a, [], later(9)) == {}
    with session_scope(engine) as s:
        assert load_slots(s, a) == {-(2**63)}
        row = s.execute(
            select(SourceSlot.pages, SourceSlot.noise_pages, SourceSlot.body_pages).where(
                SourceSlot.source_id == a, SourceSlot.path_hash == 7
            )
        ).one()
        assert tuple(row) == (SLOT_MIN_PAGES + 1, SLOT_MIN_PAGES, 1)
        # one statement may carry several articles' observations of one path
        assert count_slots(s, b, [(5, True, False)] * SLOT_MIN_PAGES, T0) == {5: True}


def test_a_path_kept_on_most_pages_is_no_slot_however_often_rules_removed_it(
    engine: Engine,
) -> None:
    with session_scope(engine) as s:
        a = ensure_source(s, "a", T0)
    noise = [(7, True, False)] * SLOT_MIN_PAGES
    kept = [(7, False, False)] * (SLOT_MIN_PAGES * SLOT_MIN_SHARE - SLOT_MIN_PAGES)
    with session_scope(engine) as s:
        assert count_slots(s, a, kept + noise, T0) == {7: True}  # one page in four: a slot
        assert load_slots(s, a) == {7}
    with session_scope(engine) as s:
        assert count_slots(s, a, [(7, False, False)], later(1)) == {7: False}  # under its share
        assert load_slots(s, a) == set()
