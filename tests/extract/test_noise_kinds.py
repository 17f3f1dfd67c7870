"""Each kind of noise that leaked on unseen publishers, in three markups, as HTML + expected JSON.

``tests/fixtures/noise/<kind>-<markup>.html`` is a whole page of a made-up
publisher in one of three templates (semantic class names that no rule
knows, anonymous divs, an old table layout) with one kind of noise in it;
``<kind>-<markup>.json`` has the URL it is read as and the exact title and
paragraphs a crawl must store. The rules that pass these name no site and
no class: add a page by adding the two files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_article

NOISE = Path(__file__).parent.parent / "fixtures" / "noise"
PAGES = sorted(p.stem for p in NOISE.glob("*.html"))
KINDS = (
    "bio", "teaser-card", "pull-quote", "caption", "read-more", "comments", "second-story",
    "interface-strings",
)  # fmt: skip
MARKUPS = ("semantic", "divs", "table")


def test_every_kind_has_three_markups() -> None:
    assert {f"{k}-{m}" for k in KINDS for m in MARKUPS} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_only_the_articles_own_paragraphs_are_kept(page: str) -> None:
    expected = json.loads((NOISE / f"{page}.json").read_text(encoding="utf-8"))
    art = extract_article((NOISE / f"{page}.html").read_bytes(), url=expected["url"])
    assert art.title == expected["title"]
    assert art.text.split("\n") == expected["paragraphs"]
