"""Version semantics of the storage entry points, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select

from crawler.store.articles import (
    Outcome,
    Touch,
    due_for_revisit,
    ensure_source,
    known_urls,
    mark_gone,
    record_fetch,
    record_fetches,
    touch_many,
)
from crawler.store.db import session_scope
from crawler.store.export import iter_articles
from crawler.store.models import GONE, LIVE, Article, ArticleVersion
from tests.store.helpers import T0, later, record


def _store(engine: Engine, *recs: object) -> list[Outcome]:
    outcomes = []
    for rec in recs:
        with session_scope(engine) as s:
            sid = ensure_source(s, "pub0", T0)
            outcomes.append(record_fetch(s, sid, rec))  # type: ignore[arg-type]
    return outcomes


def _versions(engine: Engine) -> list[tuple[int, str, str]]:
    with session_scope(engine) as s:
        return [
            tuple(r)
            for r in s.execute(
                select(ArticleVersion.version, ArticleVersion.title, ArticleVersion.text).order_by(
                    ArticleVersion.version
                )
            )
        ]


def test_same_content_twice_is_one_version(engine: Engine) -> None:
    outcomes = _store(engine, record(), record(at=later(1)))
    assert outcomes == [Outcome.NEW, Outcome.UNCHANGED]
    assert len(_versions(engine)) == 1
    with session_scope(engine) as s:
        art = s.execute(select(Article)).scalar_one()
        assert art.last_fetched == later(1)
        assert art.last_changed == T0
        assert art.first_seen == T0


def test_whitespace_and_quote_noise_is_not_a_version(engine: Engine) -> None:
    _store(
        engine,
        record(text="It\u2019s one.\nTwo."),
        record(text="It's one.\n\n  Two. ", at=later(1)),
    )
    assert len(_versions(engine)) == 1


def test_title_change_gives_version_2(engine: Engine) -> None:
    outcomes = _store(engine, record(), record(title="New title", at=later(1)))
    assert outcomes == [Outcome.NEW, Outcome.CHANGED]
    assert [v[:2] for v in _versions(engine)] == [(1, "Title"), (2, "New title")]
    with session_scope(engine) as s:
        art = s.execute(select(Article)).scalar_one()
        assert art.current_version == 2
        assert art.last_changed == later(1)


def test_body_change_gives_version_2(engine: Engine) -> None:
    _store(engine, record(), record(text="Para one.\nPara two.\nPara three.", at=later(1)))
    assert [v[0] for v in _versions(engine)] == [1, 2]


def test_gone_keeps_versions_and_text(engine: Engine) -> None:
    _store(engine, record(), record(text="Edited.", at=later(1)))
    with session_scope(engine) as s:
        assert mark_gone(s, "https://pub0.example/a", later(2))
    with session_scope(engine) as s:
        assert not mark_gone(s, "https://pub0.example/a", later(3)), "already gone"
        art = s.execute(select(Article)).scalar_one()
        assert art.status == GONE
        exported = list(iter_articles(s))
    assert len(_versions(engine)) == 2
    assert exported[0]["status"] == "gone"
    assert exported[0]["text"] == "Edited."


def test_gone_article_that_returns_is_live_again(engine: Engine) -> None:
    _store(engine, record())
    with session_scope(engine) as s:
        mark_gone(s, "https://pub0.example/a", later(1))
    assert _store(engine, record(at=later(2))) == [Outcome.UNCHANGED]
    with session_scope(engine) as s:
        assert s.execute(select(Article.status)).scalar_one() == LIVE


def test_touch_moves_only_last_fetched_and_renews_validators_a_304_carries(
    engine: Engine,
) -> None:
    _store(engine, record(etag='"v1"'), record(url="https://pub0.example/b", etag='"b1"'))
    with session_scope(engine) as s:
        touch_many(
            s,
            [
                Touch("https://pub0.example/a", later(5)),
                Touch("https://pub0.example/b", later(6), etag='"b2"'),
            ],
        )
    with session_scope(engine) as s:
        rows = s.execute(
            select(Article.last_fetched, Article.last_changed, Article.etag).order_by(Article.url)
        ).all()
        assert [tuple(r) for r in rows] == [(later(5), T0, '"v1"'), (later(6), T0, '"b2"')]


def test_one_batch_equals_the_same_fetches_one_by_one(engine: Engine) -> None:
    """Same URL twice in a batch, a change, an unchanged copy: applied in order."""
    recs = [
        record(url="https://pub0.example/b", title="B1"),
        record(url="https://pub0.example/a", title="A1"),
        record(url="https://pub0.example/a", title="A1", at=later(1)),
        record(url="https://pub0.example/a", title="A2", at=later(2)),
    ]
    with session_scope(engine) as s:
        sid = ensure_source(s, "pub0", T0)
        outcomes = [r.outcome for r in record_fetches(s, sid, recs)]
    assert outcomes == [Outcome.NEW, Outcome.NEW, Outcome.UNCHANGED, Outcome.CHANGED]
    with session_scope(engine) as s:
        a = s.execute(select(Article).where(Article.url == "https://pub0.example/a")).scalar_one()
        assert (a.current_version, a.last_fetched, a.last_changed) == (2, later(2), later(2))
        titles = s.scalars(
            select(ArticleVersion.title)
            .where(ArticleVersion.article_id == a.id)
            .order_by(ArticleVersion.version)
        ).all()
        assert titles == ["A1", "A2"]


def test_validators_of_last_200_are_kept(engine: Engine) -> None:
    _store(engine, record(etag='"v1"', last_modified="Sun, 01 Mar 2026 09:00:00 GMT"))
    with session_scope(engine) as s:
        art = s.execute(select(Article)).scalar_one()
        assert art.etag == '"v1"'
        assert art.last_modified == "Sun, 01 Mar 2026 09:00:00 GMT"


def test_known_and_due(engine: Engine) -> None:
    _store(
        engine,
        record(url="https://pub0.example/old", at=T0),
        record(
            url="https://pub0.example/new", fetch_url="https://pub0.example/new?x=1", at=later(48)
        ),
    )
    with session_scope(engine) as s:
        sid = ensure_source(s, "pub0", T0)
        assert set(known_urls(s, sid)) == {
            "https://pub0.example/old",
            "https://pub0.example/new",
            "https://pub0.example/new?x=1",
        }
        due = due_for_revisit(s, sid, later(50), timedelta(days=1), timedelta(hours=1))
        assert [k.url for k in due] == ["https://pub0.example/new"]
        assert due[0].fetch_url == "https://pub0.example/new?x=1"
        assert due_for_revisit(s, sid, later(50), timedelta(days=1), timedelta(hours=3)) == []


def test_no_article_without_a_version(engine: Engine) -> None:
    _store(engine, record(url="https://pub0.example/1"), record(url="https://pub0.example/2"))
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar_one() == 2
        assert s.execute(select(func.min(Article.current_version))).scalar_one() == 1
