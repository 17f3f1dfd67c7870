"""Two real processes record the same URLs at the same moment: no duplicates, no gaps."""

from __future__ import annotations

import multiprocessing as mp
from datetime import timedelta

from sqlalchemy import func, select

from crawler.store.articles import ensure_source, record_fetch
from crawler.store.db import make_engine, session_scope
from crawler.store.models import Article, ArticleVersion
from tests.store.helpers import T0, record

URLS = [f"https://pub0.example/story-{i}" for i in range(25)]
ROUNDS = 4


def _writer(db_url: str, worker: int, start: mp.synchronize.Barrier, same_text: bool) -> None:
    engine = make_engine(db_url)
    start.wait()
    for rnd in range(ROUNDS):
        for url in URLS:
            text = "Same body." if same_text else f"Body from worker {worker}, round {rnd}."
            with session_scope(engine) as s:
                sid = ensure_source(s, "pub0", T0)
                record_fetch(s, sid, record(url=url, text=text, at=T0 + timedelta(minutes=rnd)))
    engine.dispose()


def _run_two(db_url: str, same_text: bool) -> None:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(db_url, w, barrier, same_text)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0


def test_same_content_from_two_processes(db_url: str) -> None:
    _run_two(db_url, same_text=True)
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar_one() == len(URLS)
        assert s.execute(select(func.count()).select_from(ArticleVersion)).scalar_one() == len(URLS)
    engine.dispose()


def test_changing_content_from_two_processes_numbers_versions_without_gaps(db_url: str) -> None:
    _run_two(db_url, same_text=False)
    engine = make_engine(db_url)
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar_one() == len(URLS)
        for article in s.execute(select(Article)).scalars():
            numbers = (
                s.execute(
                    select(ArticleVersion.version)
                    .where(ArticleVersion.article_id == article.id)
                    .order_by(ArticleVersion.version)
                )
                .scalars()
                .all()
            )
            assert numbers == list(range(1, len(numbers) + 1))
            assert article.current_version == len(numbers)
            assert len(numbers) >= 2
    engine.dispose()
