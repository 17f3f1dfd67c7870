"""Each kind of noise that leaked on unseen publishers, in three markups, as HTML + expected JSON.

``tests/fixtures/noise/<kind>-<markup>.html`` is a whole page of a made-up
publisher in one of three templates (semantic class names that no rule
knows, anonymous divs, an old table layout) with one kind of noise in it;
``<kind>-<markup>.json`` has the URL it is read as and the exact title and
paragraphs a crawl must store. The rules that pass these name no site and
no class: add a page by adding the two files.

The pages not named ``<kind>-<markup>`` came from an adversarial review (our
own text in yet other templates: WordPress-like, hashed React classes, AMP,
German and French pages): noise in new shapes, and real text that looks like
noise and must stay (a paragraph that mentions the author, "In a statement,
the company said:", "By September ...", a results table with logos, an
article about cookie banners).

Three kinds are repeats: a meal plan whose days repeat their labels
(``section-labels``) and a buyer's guide whose products repeat spec lines
(``spec-lists``) must keep every repeat, while a headline printed again, a
sentence copied as a quote and a box rendered twice (``repeat-copies``) must not.
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
    "interface-strings", "kicker-card", "pull-quote-box", "caption-background", "caption-long",
    "second-story-long", "standfirst", "client-rendered", "byline-languages", "newsletter-call",
    "hidden-dialog", "bio-before-more", "trailing-label", "channel-call", "title-tail", "ruby",
    "dateline-stamp", "translation-credit", "copyright-notice", "teaser-time", "row-links",
    "comments-replied", "pointer-no-colon", "bio-beside-date", "bio-headed", "cell-boxes",
    "section-labels", "spec-lists", "repeat-copies",
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
