"""Story clusters in a real store, on SQLite and PostgreSQL: measured, chain-proof, stable, concurrent."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from crawler.dedupe.clusters import record_article, record_articles
from crawler.dedupe.fingerprint import content_hash
from crawler.dedupe.minhash import THRESHOLD, signature, similarity
from crawler.store.articles import ensure_source
from crawler.store.clusters import lock_clusters
from crawler.store.db import make_engine, session_scope
from crawler.store.models import Article, Cluster
from tests.dedupe.corpus import labelled_set, pair_scores
from tests.store.helpers import T0, record


def store(
    engine: Engine, source: str, url: str, title: str, body: str, hours: int = 0
) -> str | None:
    """Record a fetch and place it in a cluster, as the store pipeline does."""
    with session_scope(engine) as s:
        lock_clusters(s)
        source_id = ensure_source(s, source, T0)
        rec = record(url=url, title=title, text=body, at=T0 + timedelta(hours=hours))
        record_article(s, source_id, rec, signature(body))
        return s.execute(select(Article.cluster_id).where(Article.url == url)).scalar_one()


def test_labelled_set_precision_is_one_and_recall_at_least_095(engine: Engine) -> None:
    items, truth = labelled_set()
    assigned = {
        key: store(engine, f"pub{i % 5}", f"https://pub{i % 5}.example/{key}", title, body)
        for i, (key, title, body) in enumerate(items)
    }
    precision, recall = pair_scores(assigned, truth)
    assert precision == 1.0
    assert recall >= 0.95


A = " ".join(
    f"Sentence {i} of the original wire story says something specific about topic {i}."
    for i in range(12)
)


def edit(text: str, drop: range) -> str:
    sentences = text.split(". ")
    return ". ".join(s for i, s in enumerate(sentences) if i not in drop)


def test_no_chaining_a_copy_of_a_copy_joins_only_if_close_to_the_representative(
    engine: Engine,
) -> None:
    b = edit(A, range(4)) + " Local detail one is added here. Local detail two as well."
    c = edit(b, range(6)) + " Yet another added paragraph with new facts about other things."
    assert similarity(signature(A), signature(b)) >= THRESHOLD
    assert similarity(signature(b), signature(c)) >= THRESHOLD
    assert similarity(signature(A), signature(c)) < THRESHOLD
    ka = store(engine, "p1", "https://p1.example/a", "Original", A)
    kb = store(engine, "p2", "https://p2.example/b", "Copy", b)
    kc = store(engine, "p3", "https://p3.example/c", "Copy of copy", c)
    assert ka == kb
    assert kc != ka, "c is close to b but not to the representative a: it must not chain in"


def test_a_new_version_rechecks_its_cluster(engine: Engine) -> None:
    other = " ".join(
        f"An unrelated report line {i} on gardening, roses and the June flower show."
        for i in range(12)
    )
    ka = store(engine, "p1", "https://p1.example/a", "Original", A)
    kb = store(engine, "p2", "https://p2.example/b", "Copy", edit(A, range(11, 12)))
    assert ka == kb
    # a small edit keeps it; a rewrite into another story moves it; back again rejoins
    assert (
        store(engine, "p2", "https://p2.example/b", "Copy", edit(A, range(10, 12)), hours=1) == ka
    )
    moved = store(engine, "p2", "https://p2.example/b", "Copy", other, hours=2)
    assert moved != ka
    assert store(engine, "p2", "https://p2.example/b", "Copy", A, hours=3) == ka


def _writer(url: str, worker: int, rounds: int) -> None:
    engine = make_engine(url)
    for story in range(rounds):
        body = " ".join(
            f"Story {story} line {i} reports fact {i * story} about district {story}."
            for i in range(10)
        )
        body += f" Worker {worker} adds a local closing line."
        store(engine, f"w{worker}", f"https://w{worker}.example/{story}", f"Story {story}", body)
    engine.dispose()


@pytest.mark.slow
def test_concurrent_writers_put_each_story_in_exactly_one_cluster(
    engine: Engine, db_url: str
) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db_url, w, 12)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with session_scope(engine) as s:
        per_story = (
            s.execute(
                select(func.count(func.distinct(Article.cluster_id))).group_by(
                    func.substr(Article.url, 20)
                )
            )
            .scalars()
            .all()
        )
        assert per_story == [1] * 12
        assert s.scalar(select(func.count()).select_from(Cluster)) == 12


def test_stories_view_gives_the_earliest_member_and_its_sources(engine: Engine) -> None:
    store(engine, "wire", "https://wire.example/a", "Original", A, hours=0)
    store(
        engine,
        "b-paper",
        "https://b.example/a",
        "Report: Original",
        edit(A, range(11, 12)),
        hours=2,
    )
    store(engine, "a-paper", "https://a.example/a", "Original", edit(A, range(10, 11)), hours=1)
    store(
        engine,
        "wire",
        "https://wire.example/z",
        "Other",
        "Nothing in common with the wire story at all, just roses.",
    )
    with session_scope(engine) as s:
        rows = s.execute(
            text("SELECT url, source, articles, sources FROM stories ORDER BY articles DESC")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("https://wire.example/a", "wire", 3, "a-paper, b-paper, wire"),
        ("https://wire.example/z", "wire", 1, "wire"),
    ]
    with session_scope(engine) as s:
        key = s.execute(
            select(Article.cluster_id).where(Article.url == "https://wire.example/a")
        ).scalar_one()
    assert key == content_hash("Original", A)[:16], "a cluster is keyed by its founding text"


def test_copies_in_one_batch_join_the_cluster_the_first_founded(engine: Engine) -> None:
    copy = edit(A, range(11, 12))
    other = " ".join(
        f"A separate story line {i} about rail timetables and fares." for i in range(12)
    )
    batch = [("a", A), ("b", copy), ("c", other), ("d", A)]
    with session_scope(engine) as s:
        lock_clusters(s)
        source_id = ensure_source(s, "p1", T0)
        recs = [(record(url=f"https://p1.example/{u}", text=t), signature(t)) for u, t in batch]
        record_articles(s, source_id, recs)
    with session_scope(engine) as s:
        keys = dict(s.execute(select(Article.url, Article.cluster_id)).all())
        assert s.scalar(select(func.count()).select_from(Cluster)) == 2
    assert (
        keys["https://p1.example/a"] == keys["https://p1.example/b"] == keys["https://p1.example/d"]
    )
    assert keys["https://p1.example/c"] != keys["https://p1.example/a"]
