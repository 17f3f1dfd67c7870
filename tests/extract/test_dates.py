"""Dates: the page's day/month order, zone names and written offsets kept, else no date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.extract import ExtractedArticle, extract_article, parse_html
from crawler.extract.dates import (
    language_orders,
    orders_seen,
    page_order,
    read_date,
    source_order,
)
from crawler.extract.metadata import extract_metadata, with_offset
from tests.extract.metadata_pages import prose


def published(lang: str, head: str = "", body: str = "") -> datetime | None:
    tree = parse_html(
        f'<html lang="{lang}"><head><title>T</title>{head}</head>'
        f"<body><h1>Headline</h1>{body}</body></html>"
    )
    assert tree is not None
    return extract_metadata(tree, "https://site.example/a").published


def test_cldr_orders_of_a_language_and_its_regions() -> None:
    assert language_orders("en-GB") == {"DMY"}
    assert language_orders("en_US") == {"MDY"}
    assert language_orders("de") == {"DMY"}
    assert {"DMY", "MDY"} <= language_orders("en")  # its regions disagree
    assert language_orders("xx-nonsense") == frozenset()


def test_unambiguous_dates_show_the_order() -> None:
    assert orders_seen(["Updated 13/03/2024", "04/03/2024"]) == {"DMY"}
    assert orders_seen(["03/13/2024"]) == {"MDY"}
    assert orders_seen(["04/03/2024", "version 1.2.3"]) == frozenset()
    assert page_order(["en"], ["13.03.2024"]) == "DMY"
    assert page_order(["en-US"], []) == "MDY"
    assert page_order(["en"], ["13/03/2024", "03/14/2024"]) is None


@pytest.mark.parametrize(
    ("lang", "markup", "expected"),
    [
        ("en-GB", "<time>04/03/2024</time>", datetime(2024, 3, 4, tzinfo=UTC)),
        ("de", "<time>04.03.2024</time>", datetime(2024, 3, 4, tzinfo=UTC)),
        ("en-US", "<time>04/03/2024</time>", datetime(2024, 4, 3, tzinfo=UTC)),
        ("en", "<time>04/03/2024</time>", None),  # no way to tell: no date rather than a wrong one
        (
            "en",
            "<time>04/03/2024</time><p>Updated 13/03/2024</p>",
            datetime(2024, 3, 4, tzinfo=UTC),
        ),
        ("en", "<time>03/03/2024</time>", datetime(2024, 3, 3, tzinfo=UTC)),  # same either way
        # a script's numbers are no date the page writes: a version, a tracker's US date
        (
            "en-GB",
            '<time>04/03/2024</time><script src="/app.js?v=1.13.24"></script>'
            '<script>var t = {"published": "03/14/2024"};</script><style>/* 2.13.24 */</style>',
            datetime(2024, 3, 4, tzinfo=UTC),
        ),
    ],
)
def test_ambiguous_numeric_dates_follow_the_page(
    lang: str, markup: str, expected: datetime | None
) -> None:
    assert published(lang, body=markup) == expected


def test_language_from_og_locale_and_content_language() -> None:
    meta = '<meta name="date" content="04/03/2024">'
    assert published("", head=meta + '<meta property="og:locale" content="en_GB">') == datetime(
        2024, 3, 4, tzinfo=UTC
    )
    assert published(
        "", head=meta + '<meta http-equiv="content-language" content="en-US">'
    ) == datetime(2024, 4, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "hours"),
    [
        ("March 4, 2024 10:00 EST", -5),
        ("Mon, 04 Mar 2024 10:00:00 PST", -8),
        ("2024-03-04 10:00 CET", 1),
        ("2024-07-04 10:00 BST", 1),
        ("Fri Apr 28 19:20:36 CEST 2023", 2),
        ("2024-03-04T10:00:00-04:00", -4),
    ],
)
def test_named_zones_and_written_offsets_are_kept(value: str, hours: int) -> None:
    parsed = read_date(value)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=hours)
    assert (parsed.hour, parsed.minute) in {(10, 0), (19, 20)}


@pytest.mark.parametrize(
    ("value", "hours"),
    [
        ("July 4, 2024 10:00 ET", -4),  # Eastern Time in summer: EDT
        ("January 4, 2024 10:00 a.m. ET", -5),  # ... in winter: EST
        ("11:11 PM PT Jul 19, 2019", -7),
        ("Dec 19, 2019 10:00 PT", -8),
        ("2024-07-04 10:00 CT", -5),
        ("2024-07-04 10:00 MT", -6),
    ],
)
def test_a_generic_zone_takes_the_offset_in_force_on_its_date(value: str, hours: int) -> None:
    parsed = read_date(value)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=hours)
    assert parsed.minute in {0, 11}


def test_what_is_not_a_date() -> None:
    assert read_date("vor 5 Minuten") is None  # relative: never read against today
    assert read_date("March 2024") is None  # no day
    assert read_date("04/03/1875") is None
    assert read_date(None) is None


def test_an_offset_in_one_value_beats_the_same_minute_written_as_utc() -> None:
    edt = timezone(timedelta(hours=-4))
    as_utc = datetime(2021, 12, 25, 13, 46, tzinfo=UTC)
    with_zone = datetime(2021, 12, 25, 13, 46, tzinfo=edt)
    assert with_offset(as_utc, [with_zone]) == with_zone
    assert with_offset(datetime(2021, 12, 25, 13, 46), [with_zone]) == with_zone  # naive
    assert with_offset(with_zone, [as_utc]) == with_zone
    assert with_offset(datetime(2021, 12, 25, 9, 0), [with_zone]).tzinfo == UTC  # another minute
    head = (
        '<meta property="article:published_time" content="2021-12-25T13:46:00-04:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2021-12-25T13:46:00+00:00"}</script>'
    )
    assert published("en", head=head) == with_zone
    microdata = (
        '<div itemscope itemtype="https://schema.org/NewsArticle">'
        '<meta itemprop="datePublished" content="2021-12-25 13:46"></div>'
    )
    assert published("en", head=head.split("<script")[0], body=microdata) == with_zone


ZONES = {  # how a value writes its zone, and the offset it must keep
    "named": ("March 4, 2024 10:00 EST", timedelta(hours=-5)),
    "named summer": ("2024-07-04 10:00 CEST", timedelta(hours=2)),
    "numeric": ("2024-03-04T10:00:00-04:00", timedelta(hours=-4)),
    "Z": ("2024-03-04T10:00:00Z", timedelta(0)),
    "naive": ("2024-03-04T10:00:00", timedelta(0)),  # no zone written: read as UTC
}
MARKUPS = {
    "json-ld": lambda v: (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        f' "datePublished": "{v}"}}</script>',
        "",
    ),
    "meta": lambda v: (f'<meta property="article:published_time" content="{v}">', ""),
    "time attribute": lambda v: ("", f'<time datetime="{v}">4 March</time>'),
    "visible time": lambda v: ("", f"<p>Posted <time>{v}</time></p>"),
}


@pytest.mark.parametrize("markup", sorted(MARKUPS))
@pytest.mark.parametrize("zone", sorted(ZONES))
def test_every_kind_of_zone_keeps_its_offset_in_every_markup(zone: str, markup: str) -> None:
    value, offset = ZONES[zone]
    head, body = MARKUPS[markup](value)
    found = published("en", head=head, body=body)
    assert found is not None
    assert found.utcoffset() == offset
    assert (found.hour, found.minute) == (10, 0)  # the publisher's clock, not UTC's


def test_a_source_order_needs_a_clear_majority() -> None:
    assert source_order(12, 0) == "DMY"
    assert source_order(1, 9) == "MDY"
    assert source_order(9, 1) == "DMY"
    assert source_order(8, 1) is None  # a split source decides nothing
    assert source_order(0, 0) is None


def test_orders_seen_skips_numbers_that_run_on() -> None:
    assert orders_seen(["113/03/2024", "13/03/20245", "v2.13.03.24"]) == frozenset()
    assert orders_seen(['{"d":"x"}' * 1000 + " 13.03.24 "]) == {"DMY"}


def undecided(markup: str) -> ExtractedArticle:
    """An ``en`` page (its regions disagree on the order) whose only date is ambiguous."""
    return extract_article(
        f'<html lang="en"><head><title>Harbor reopens</title>{markup}</head><body><article>'
        "<h1>Harbor reopens</h1>" + prose("harbor") + "</article></body></html>",
        url="https://site.example/a",
    )


def test_a_page_that_cannot_order_its_date_leaves_it_for_the_source() -> None:
    article = undecided('<meta name="date" content="04/03/2024 10:00 EST">')
    assert (article.published, article.date_order) == (None, None)
    est = timezone(timedelta(hours=-5))
    assert article.dates("DMY") == (datetime(2024, 3, 4, 10, tzinfo=est), None)
    assert article.dates("MDY") == (datetime(2024, 4, 3, 10, tzinfo=est), None)
    assert article.dates(None) == (None, None)


def test_a_page_that_shows_its_order_teaches_it_and_needs_no_source() -> None:
    article = undecided(
        '<meta name="date" content="04/03/2024"><meta name="last-modified" content="13/03/2024">'
    )
    assert article.date_order == "DMY"
    assert article.published == datetime(2024, 3, 4, tzinfo=UTC)
    assert article.dates("MDY") == (article.published, article.modified)  # the page decided
    same_either_way = undecided('<meta name="date" content="03/03/2024">')
    assert (same_either_way.date_order, same_either_way.dates_if_order) == (None, {})


def test_an_article_given_as_a_pages_main_entity_gives_its_dates() -> None:
    """schema.org ``WebPage.mainEntity``: the article inside, its offset kept over a
    ``<time>`` that wrote the same minute without one."""
    head = (
        '<script type="application/ld+json">{"@type": "WebPage", "datePublished": "2023-01-01",'
        ' "mainEntity": {"@type": "NewsArticle", "headline": "Harbor reopens",'
        ' "datePublished": "2023-04-28T18:16:04+0200",'
        ' "dateModified": "2023-04-29T08:00:00+0200"}}</script>'
    )
    cest = timezone(timedelta(hours=2))
    tree = parse_html(
        f'<html lang="de"><head><title>T</title>{head}</head><body><h1>Harbor reopens</h1>'
        '<time datetime="2023-04-28 18:16">28.04.2023, 18:16 Uhr</time></body></html>'
    )
    assert tree is not None
    meta = extract_metadata(tree, "https://site.example/a")
    assert meta.published == datetime(2023, 4, 28, 18, 16, 4, tzinfo=cest)
    assert meta.modified == datetime(2023, 4, 29, 8, tzinfo=cest)
    in_graph = head.replace('{"@type": "WebPage"', '{"@graph": [{"@type": "WebPage"').replace(
        "}}</script>", "}}]}</script>"
    )
    assert published("de", head=in_graph) == datetime(2023, 4, 28, 18, 16, 4, tzinfo=cest)
