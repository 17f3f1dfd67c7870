"""Whole pages in the common themes, as stored HTML with the expected article beside it.

Each ``tests/fixtures/pages/<theme>.html`` has a ``<theme>.json`` with the
URL it is extracted as and the exact title, authors, dates and paragraphs a
crawl must store: add a page by adding the two files.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.extract import extract_article

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
THEMES = sorted(p.stem for p in PAGES.glob("*.html"))


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def test_every_theme_is_covered() -> None:
    assert {"wordpress", "divsoup", "microdata", "table-layout", "modern-article"} <= set(THEMES)


@pytest.mark.parametrize("theme", THEMES)
def test_page_extracts_to_its_expected_article(theme: str) -> None:
    expected = json.loads((PAGES / f"{theme}.json").read_text(encoding="utf-8"))
    html = (PAGES / f"{theme}.html").read_bytes()
    art = extract_article(html, url=expected["url"])
    assert art.text.split("\n") == expected["paragraphs"]
    assert art.title == expected["title"]
    assert art.authors == expected["authors"]
    assert art.published == _when(expected["published"])
    assert art.modified == _when(expected["modified"])
