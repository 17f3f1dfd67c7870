"""Two real processes record the same URLs at the same moment: no duplicates, no gaps."""

from __future__ import annotations

import multiprocessing as mp
from datetime import timedelta

from sqlalchemy import func, select

from crawler.store.articles import ensure_source, record_fetch
from crawler.store.db import make_engine, session_scope
from crawler.store.export import iter_articles
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


def _batch_writer(db_url: str, start: mp.synchronize.Barrier) -> None:
    """Each transaction adds a version to every article at once."""
    engine = make_engine(db_url)
    start.wait()
    for rnd in range(12):
        with session_scope(engine) as s:
            sid = ensure_source(s, "pub0", T0)
            for url in URLS:
                record_fetch(
                    s, sid, record(url=url, text=f"Round {rnd}.", at=T0 + timedelta(minutes=rnd))
                )
    engine.dispose()


def test_export_while_a_crawl_writes_sees_whole_transactions(db_url: str) -> None:
    """Every export is one snapshot: all articles at the same round, versions matching the top level."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    writer = ctx.Process(target=_batch_writer, args=(db_url, barrier))
    writer.start()
    barrier.wait()
    engine = make_engine(db_url, write=False)
    seen_rounds: set[int] = set()
    while writer.is_alive() or not seen_rounds:
        with session_scope(engine) as s:
            rows = list(iter_articles(s))
        if not rows:
            continue
        rounds = {len(r["versions"]) for r in rows}
        assert len(rows) == len(URLS), "a transaction's articles appear together"
        assert len(rounds) == 1, f"one snapshot, one round: {rounds}"
        for r in rows:
            assert [v["version"] for v in r["versions"]] == list(range(1, len(r["versions"]) + 1))
            assert r["text"] == r["versions"][-1]["text"]
        seen_rounds |= rounds
    assert len(seen_rounds) >= 2, "the exports ran while the writer wrote"
    writer.join(120)
    assert writer.exitcode == 0
    engine.dispose()
