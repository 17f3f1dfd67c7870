"""Article identity at the store: no source writes into another's, claims and aliases; both DBs."""

from __future__ import annotations

from sqlalchemy import Engine, select

from crawler.dedupe.identity import Page, resolve
from crawler.dedupe.minhash import signature
from crawler.store.aliases import add_aliases, move_article
from crawler.store.articles import (
    Outcome,
    Touch,
    ensure_source,
    known_urls,
    mark_gone,
    record_fetches,
    touch_many,
)
from crawler.store.db import session_scope
from crawler.store.models import Article, ArticleVersion
from tests.crawl.static_site import prose
from tests.store.helpers import T0, later, record

STORY = "\n".join(prose(1))
OTHER = "\n".join(prose(2))


def test_a_source_never_writes_into_another_sources_article(engine: Engine) -> None:
    url = "https://a.example/story"
    with session_scope(engine) as s:
        a = ensure_source(s, "a", T0)
        record_fetches(s, a, [record(url, text=STORY)])
    with session_scope(engine) as s:
        b = ensure_source(s, "b", T0)
        theirs = record(url, text=OTHER, at=later(1), fetch_url="https://b.example/copy")
        mine = record("https://b.example/own", text=OTHER, at=later(1))
        done = record_fetches(s, b, [theirs, mine])
    assert [r.outcome for r in done] == [Outcome.REFUSED, Outcome.NEW]
    with session_scope(engine) as s:  # nor a 304 or a 404 of b's
        touch_many(s, [Touch(url, later(2), etag='"b"')], b)
        assert not mark_gone(s, url, later(2), b)
    with session_scope(engine) as s:
        row = s.execute(select(Article).where(Article.url == url)).scalar_one()
        assert (row.source_id, row.fetch_url, row.current_version) == (a, url, 1)
        assert (row.status, row.etag, row.last_fetched) == ("live", None, T0)
        texts = s.scalars(select(ArticleVersion.text).where(ArticleVersion.article_id == row.id))
        assert list(texts) == [STORY]


def test_claimed_canonicals_and_twins_are_resolved_against_the_store(engine: Engine) -> None:
    canon = "https://a.example/story"
    with session_scope(engine) as s:
        a = ensure_source(s, "a", T0)
        record_fetches(s, a, [record(canon, text=STORY, fetch_url="https://a.example/p1")])
    later_pages = [
        # the same canonical, other text, from another page: keyed by its fetch URL
        record(canon, text=OTHER, fetch_url="https://a.example/p2", declared_canonical=canon),
        # the same canonical and text from yet another page (an AMP copy): the article
        record(canon, text=STORY, fetch_url="https://a.example/amp/p1"),
        # a spelling of p2 and the same text as p2 in this batch: aliases of p2
        record("https://a.example/p2/", text=OTHER + "\nMore."),
        record("https://a.example/print-p2", text=OTHER),
    ]
    pages = [Page(rec, signature(rec.text)) for rec in later_pages]
    with session_scope(engine) as s:
        out = resolve(s, a, pages)
        assert [r.url if r else None for r in out.records] == [
            "https://a.example/p2",
            canon,
            None,
            None,
        ]
        assert out.records[0] is not None
        assert out.records[0].declared_canonical is None  # names another story
        assert out.aliases == {
            "https://a.example/p2/": "https://a.example/p2",
            "https://a.example/print-p2": "https://a.example/p2",
        }
        assert out.counts == {"canonical_ignored/claimed": 1}
        record_fetches(s, a, [r for r in out.records if r])
        assert add_aliases(s, out.aliases, T0) == 2
        assert add_aliases(s, out.aliases, T0) == 0  # kept once
    with session_scope(engine) as s:
        known = set(known_urls(s, a))
        assert {"https://a.example/p2/", "https://a.example/print-p2"} <= known
        # A later crawl meeting an alias again: it is the article, nothing new is written.
        again = resolve(s, a, [Page(record("https://a.example/p2/", text="x"), signature("x"))])
        assert again.records == [None]
        assert again.aliases == {"https://a.example/p2/": "https://a.example/p2"}
    with session_scope(engine) as s:
        b = ensure_source(s, "b", T0)
        # Another source's page naming a's article as its canonical: never a's.
        rec = record(canon, text=STORY, fetch_url="https://b.example/copy")
        out = resolve(s, b, [Page(rec, signature(STORY))])
        assert out.records[0] is not None
        assert out.records[0].url == "https://b.example/copy"
        assert out.counts == {"canonical_ignored/other_source": 1}


def test_a_page_met_at_its_own_url_after_a_claimant_moves_the_claimant_out(
    engine: Engine,
) -> None:
    canon, claimant = "https://a.example/story", "https://a.example/p1"
    with session_scope(engine) as s:
        a = ensure_source(s, "a", T0)
        record_fetches(s, a, [record(canon, text=OTHER, fetch_url=claimant)])
    own = record(canon, text=STORY, at=later(1))
    with session_scope(engine) as s:
        out = resolve(s, a, [Page(own, signature(STORY))])
        assert out.moves == {canon: claimant}
        assert out.counts == {"canonical_ignored/claimed": 1}
        assert move_article(s, a, canon, claimant, "a.example/p1")
        assert [r.outcome for r in record_fetches(s, a, out.records)] == [Outcome.NEW]  # type: ignore[arg-type]
    with session_scope(engine) as s:
        rows = s.execute(select(Article.url, Article.fetch_url, Article.current_version))
        assert sorted(tuple(r) for r in rows) == [(claimant, claimant, 1), (canon, canon, 1)]
        assert not move_article(s, a, canon, claimant, "a.example/p1")  # taken: nothing moves
