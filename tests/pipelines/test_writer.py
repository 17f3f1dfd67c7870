"""The store writer, on both databases: it learns furniture as it counts lines, and one
bad item costs only itself.

A line that reaches the furniture threshold during a crawl is stripped from
every page written after that, and only the versions written before it are
corrected when the crawl ends. A batch whose transaction fails is written item
by item: every good item is stored, and each bad one is named with its reason.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from crawler.extract.furniture import FURNITURE_MIN_PAGES
from crawler.items import FetchedPage
from crawler.pipelines import writer as writer_process
from crawler.pipelines.writer import Writer
from crawler.store import articles as store
from crawler.store.db import make_engine, session_scope
from crawler.store.models import Article, ArticleVersion
from crawler.store.retry import FaultRetry
from tests.pipelines.helpers import fetched_page
from tests.store.helpers import T0

NOTE = "Every story on this site is checked by two editors before it is published here."


def _page(n: int) -> FetchedPage:
    paragraphs = [
        f"Story {n} opens with a sentence about the council's budget for year {2000 + n}.",
        f"Its second paragraph quotes official number {n} on the spending plan in full.",
        NOTE,
    ]
    page = fetched_page(f"https://pub.example/news/story-{n}", f"Story {n}", paragraphs)
    assert page.article is not None
    assert NOTE in page.article.text
    return page


def test_furniture_learnt_mid_crawl_is_stripped_on_write_and_corrected_only_before(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        source_id = store.ensure_source(session, "pub", T0)
    writer = Writer(engine, source_id, frozenset(), FaultRetry(5))

    first = writer.write([_page(n) for n in range(FURNITURE_MIN_PAGES)]).counts
    assert first["new"] == FURNITURE_MIN_PAGES
    assert "furniture_stripped" not in first
    assert len(writer.learnt) == 1  # the note reached the threshold with this batch

    second = writer.write(
        [_page(n) for n in range(FURNITURE_MIN_PAGES, FURNITURE_MIN_PAGES + 2)]
    ).counts
    assert second["new"] == 2
    assert second["furniture_stripped"] == 2  # stored clean: nothing left to correct later

    finished = writer.strip_learnt()
    assert finished["furniture_learnt"] == 1
    assert finished["furniture_stripped"] == FURNITURE_MIN_PAGES  # only the first batch

    with session_scope(engine) as session:
        texts = session.scalars(
            select(ArticleVersion.text).join(Article).order_by(Article.url)
        ).all()
    assert len(texts) == FURNITURE_MIN_PAGES + 2
    assert all(NOTE not in t and t.startswith("Story") for t in texts)
    engine.dispose()


def test_a_batch_with_an_item_the_database_refuses_stores_every_other_item(db_url: str) -> None:
    # A lone surrogate no driver can encode: what extraction's safe_article prevents,
    # handed to the writer directly, as any other bad value would be.
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        source_id = store.ensure_source(session, "pub", T0)
    writer = Writer(engine, source_id, frozenset(), FaultRetry(5))
    pages = [_page(n) for n in range(6)]
    bad = pages[2]
    assert bad.article is not None
    pages[2] = replace(bad, article=replace(bad.article, title="Story \ud800 2"))

    written = writer.write(pages)

    assert written.counts["new"] == 5
    assert written.counts["lost"] == 1
    assert len(written.failures) == 1
    assert written.failures[0].startswith(f"store: {bad.url}: ")
    assert "\n" not in written.failures[0]
    with session_scope(engine) as session:
        urls = session.scalars(select(Article.url).order_by(Article.url)).all()
    assert urls == sorted(p.url for n, p in enumerate(pages) if n != 2)
    assert writer.written.keys() == set(urls)  # only what was committed
    engine.dispose()


def test_one_writer_process_serves_several_crawls_each_source_learning_apart(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        first, other = (store.ensure_source(session, name, T0) for name in ("pub", "wire"))
    engine.dispose()
    monkeypatch.setattr(writer_process, "_store", None)
    writer_process.open_writer(db_url, 5)

    writer_process.write_batch(first, [_page(n) for n in range(FURNITURE_MIN_PAGES)])
    later = writer_process.write_batch(first, [_page(FURNITURE_MIN_PAGES)])
    assert later.counts["furniture_stripped"] == 1  # the note is pub's furniture now
    wire = [
        fetched_page(f"https://wire.example/{n}", f"Wire {n}", [f"Wire report {n} in full.", NOTE])
        for n in range(2)
    ]
    assert "furniture_stripped" not in writer_process.write_batch(other, wire).counts

    assert writer_process.finish(first)["furniture_learnt"] == 1
    assert "furniture_learnt" not in writer_process.finish(other)
    with pytest.raises(LookupError):  # its writer is gone with its crawl
        writer_process.finish(first)
