"""One engine per process and database for the crawls of a batch; a forked child makes its own."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from crawler.store.db import session_scope, shared_engine, upgrade
from crawler.store.runs import last_started


def test_one_engine_per_process_url_and_mode(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    upgrade(url)
    engine = shared_engine(url)
    assert shared_engine(url) is engine
    assert shared_engine(url, write=False) is not engine
    with session_scope(engine) as session:  # usable, and left open for the next crawl
        assert last_started(session, "nobody") is None
    assert shared_engine(url) is engine
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply(_same_in_child, (url,))
    assert child == (True, True)


def _same_in_child(url: str) -> tuple[bool, bool]:
    """In a forked child: its own engine (not the parent's pooled connections), then kept."""
    from crawler.store import db

    inherited = [e for (pid, u, _), e in db._SHARED.items() if u == url]
    mine = shared_engine(url)
    return all(mine is not e for e in inherited), shared_engine(url) is mine
