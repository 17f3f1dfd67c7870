"""The standfirst above the body: shown on the page and vouched for by its own description."""

from __future__ import annotations

import json

import pytest

from crawler.extract import extract_article, parse_html
from crawler.extract.blocks import segment
from crawler.extract.metadata import extract_metadata
from crawler.extract.standfirst import near_equal, standfirst

DESC = (
    "The night crossing stopped during the pandemic. It comes back in June, with two boats a night."
)
TITLE = "Night ferry returns to the harbour timetable"
BODY = (
    "<div class='text'><p>The harbour board voted on Tuesday to bring back the night ferry across "
    "the estuary from the first week of June.</p><p>Two boats will leave the north pier each "
    "night, and residents with a harbour card will pay half the day fare.</p></div>"
)


@pytest.mark.parametrize(
    ("shown", "description"),
    [
        (DESC, DESC),
        (DESC.upper().replace(".", "!"), DESC),  # case and punctuation do not count
        (DESC.replace("two boats", "three boats"), DESC),  # edited by a word
        (DESC, DESC[:70] + "…"),  # the description cut short
        (DESC, DESC[:73] + "…"),  # cut inside a word
    ],
)
def test_near_equal_texts(shown: str, description: str) -> None:
    assert near_equal(shown, description)


@pytest.mark.parametrize(
    ("shown", "description"),
    [
        ("Fishermen on the north pier say the new mooring fees will push small boats out.", DESC),
        (DESC, DESC[:40] + "…"),  # too short a beginning to vouch for the rest
        (DESC, ""),
        ("", DESC),
    ],
)
def test_texts_that_are_not_near_equal(shown: str, description: str) -> None:
    assert not near_equal(shown, description)


def dek_of(article: str, descriptions: tuple[str, ...] = (DESC,), title: str = TITLE) -> str | None:
    """The standfirst of a page whose body is ``BODY``, found with ``article`` around it."""
    root = parse_html(f"<html><body>{article}</body></html>").find("body")
    blocks = segment(root).blocks
    first = next(i for i, b in enumerate(blocks) if b.text.startswith("The harbour board"))
    return standfirst(blocks, first, title, descriptions)


def test_the_description_shown_under_the_headline_is_the_standfirst() -> None:
    assert dek_of(f"<article><h1>{TITLE}</h1><p class='x'>{DESC}</p>{BODY}</article>") == DESC
    # The headline found by its words when it is no <h1>; the standfirst as the page shows it.
    shown = DESC.replace("two boats", "three boats")
    assert dek_of(f"<article><div><b>{TITLE}</b></div><div>{shown}</div>{BODY}</article>") == shown


@pytest.mark.parametrize(
    "article",
    [
        f"<div><h1>{TITLE}</h1><p>{DESC}</p>{BODY}</div>",  # no <article> around both
        f"<div><article><h1>{TITLE}</h1><p>{DESC}</p></article>{BODY}</div>",  # not the same one
        f"<article><h1>{TITLE}</h1><h2>{DESC}</h2>{BODY}</article>",  # a heading
        f"<article><p>{DESC}</p>{BODY}</article>",  # no headline above it
        f"<article><p>{DESC}</p><h1>{TITLE}</h1>{BODY}</article>",  # above the headline
        f"<article><h1>{TITLE}</h1><p><a href='/x'>{DESC}</a></p>{BODY}</article>",  # a link
    ],
)
def test_no_standfirst_where_the_rule_does_not_hold(article: str) -> None:
    assert dek_of(article) is None


def test_words_outside_ten_to_sixty_are_no_standfirst() -> None:
    short = "The night ferry is back from June, with cheaper fares."  # 10 words: kept
    assert dek_of(f"<article><h1>{TITLE}</h1><p>{short}</p>{BODY}</article>", (short,)) == short
    shorter = "The night ferry is back from June, cheaper fares."  # 9 words
    assert dek_of(f"<article><h1>{TITLE}</h1><p>{shorter}</p>{BODY}</article>", (shorter,)) is None
    long = " ".join([DESC] * 4)  # 68 words
    assert dek_of(f"<article><h1>{TITLE}</h1><p>{long}</p>{BODY}</article>", (long,)) is None


def test_no_description_no_standfirst() -> None:
    assert dek_of(f"<article><h1>{TITLE}</h1><p>{DESC}</p>{BODY}</article>", ()) is None


def test_the_descriptions_read_from_jsonld_and_meta_tags_in_that_order_once_each() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": TITLE, "description": "From JSON-LD."})
    head = (
        f'<script type="application/ld+json">{ld}</script>'
        '<meta name="description" content="Plain &amp; simple.">'
        '<meta property="og:description" content="Plain &amp; simple.">'
        '<meta name="twitter:description" content="For the cards.">'
    )
    tree = parse_html(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert extract_metadata(tree).descriptions == (
        "From JSON-LD.",
        "Plain & simple.",
        "For the cards.",
    )


MORE = (
    "<p>The board said the late crossings had lost money before they stopped, but that the new "
    "electric boats cost far less to run than the old diesel ones.</p><p>Bar and restaurant owners "
    "on the south bank had asked for the service for two years, saying that their late customers "
    "could only go home by taxi.</p>"
)


def page(dek: str, first: str = "") -> str:
    """A page with a confident body (four paragraphs), ``dek`` above it and ``first`` atop it."""
    return (
        f"<html><head><title>{TITLE}</title><meta name='description' content='{DESC}'></head>"
        f"<body><article><h1>{TITLE}</h1>{dek}<div class='m'><div>By Nora Vale</div>"
        f"<div>12 May 2026</div></div><div class='text'>{first}{BODY}{MORE}</div>"
        "</article>"
        "</body></html>"
    )


FIRST = (
    "The harbour board voted on Tuesday to bring back the night ferry across the estuary from the "
    "first week of June."
)


def test_the_standfirst_is_stored_as_the_bodys_first_paragraph() -> None:
    art = extract_article(page(f"<p class='lede'>{DESC}</p>"), url="https://harbour.example/a")
    assert art.text.split("\n")[:2] == [DESC, FIRST]


def test_a_standfirst_the_body_repeats_is_stored_once_and_an_unshown_one_not_at_all() -> None:
    twice = page(f"<p class='lede'>{DESC}</p>", first=f"<p>{DESC}</p>")
    assert extract_article(twice, url="https://harbour.example/a").text.split("\n")[:2] == [
        DESC,
        FIRST,
    ]
    unshown = extract_article(page(""), url="https://harbour.example/a")
    assert unshown.text.split("\n")[0] == FIRST
    assert DESC not in unshown.text
