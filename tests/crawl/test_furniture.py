"""Learnt furniture: a source's first crawl already stores clean text, and the knowledge persists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.demo.content import STANDING_NOTE, DemoArticle
from crawler.demo.site import DemoSite
from crawler.extract import EXTRACTOR_VERSION
from crawler.extract.furniture import FURNITURE_MIN_PAGES, line_hash
from crawler.store.db import make_engine, session_scope
from crawler.store.furniture import FORGET_AFTER
from crawler.store.models import ArticleVersion, PageHtml, SourceLine
from tests.crawl.helpers import crawl, export, last_counts, write_config

pytestmark = pytest.mark.slow


def test_first_crawl_learns_furniture_and_stores_every_paragraph_and_no_note(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    assert len(site.public()) >= FURNITURE_MIN_PAGES
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}])
    done = crawl(cfg, db_url)
    assert "WARNING" not in done.stderr, done.stderr  # a clean site crawls quietly

    stored = export(db_url)
    by_path = {f"{site.base}{site.article_path(a)}": a for a in site.public()}
    assert set(stored) == set(by_path)
    for url, row in stored.items():
        assert STANDING_NOTE not in row["text"]
        assert row["text"].split("\n") == by_path[url].paragraphs
    counts = last_counts(db_url, "pub")
    assert counts["furniture_learnt"] >= 1
    assert counts["furniture_stripped"] == len(by_path)

    engine = make_engine(db_url, write=False)
    with session_scope(engine) as s:
        note = s.execute(
            select(SourceLine.pages).where(SourceLine.line_hash == line_hash(STANDING_NOTE))
        ).scalar_one()
        assert note == len(by_path)
        versions = s.scalar(select(func.count()).select_from(ArticleVersion))
        assert s.scalar(select(func.count()).select_from(PageHtml)) == versions
        assert set(s.scalars(select(ArticleVersion.extractor_version))) == {EXTRACTOR_VERSION}
    engine.dispose()

    # The next crawl knows the note from the start: a new article is clean as it is stored.
    site.add(
        DemoArticle(
            "quantum-startup-demo",
            "Quantum startup demonstrates error-corrected qubit",
            "Lin Park",
            datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            [
                "A quantum computing startup said it had kept a logical qubit stable for a full "
                "second using a new error-correction scheme.",
                "Independent researchers called the result promising but said it must be repeated "
                "on larger machines before it can be judged.",
            ],
        )
    )
    crawl(cfg, db_url)
    new = export(db_url)[f"{site.base}/news/quantum-startup-demo.html"]
    assert STANDING_NOTE not in new["text"]
    assert last_counts(db_url, "pub").get("furniture_stripped", 0) == 0


def test_a_crawl_that_stores_nothing_still_forgets_lines_seen_once_long_ago(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}],
        revisit={"within_days": 0},  # the next crawl fetches nothing: its feed is unchanged
    )
    crawl(cfg, db_url)
    engine = make_engine(db_url)
    rare = select(func.count()).where(SourceLine.pages == 1)
    with session_scope(engine) as s:
        assert s.scalar(rare)  # each article's own lines
        for line in s.scalars(select(SourceLine)):
            line.last_seen -= FORGET_AFTER + timedelta(days=1)
    crawl(cfg, db_url)
    counts = last_counts(db_url, "pub")
    assert counts.get("pages_fetched", 0) == 0  # an idle poll: no writer, the runner forgot
    with session_scope(engine) as s:
        assert s.scalar(rare) == 0
        assert s.scalar(select(func.count()).select_from(SourceLine))  # furniture is kept
    engine.dispose()
