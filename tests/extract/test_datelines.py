"""The date a page shows its readers when its markup names none: datelines and date fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.extract import parse_html
from crawler.extract.dates import shown_date
from crawler.extract.metadata import Metadata, extract_metadata
from tests.extract.metadata_pages import prose

EST = timezone(timedelta(hours=-5))
CEST = timezone(timedelta(hours=2))


def meta(body: str, lang: str = "en-GB", head: str = "") -> Metadata:
    tree = parse_html(
        f'<html lang="{lang}"><head><title>Harbor reopens</title>{head}</head>'
        f"<body>{body}</body></html>"
    )
    assert tree is not None
    return extract_metadata(tree, "https://site.example/a")


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("erstellt: 01. April 2025, 15:25 | 3 Kommentare", "01. April 2025, 15:25"),
        ("Do 25.04.24 | 14:07 Uhr | Von Ann Lee", "25.04.24, 14:07 Uhr"),
        ("Published on March 4, 2024 at 10:00 EST", "March 4, 2024 at 10:00 EST"),
        ("Published 11:11 PM EST Nov 19, 2019", "11:11 PM EST Nov 19, 2019"),
        ("Updated 5 March 2024 · Published 4 March 2024, 9:30 a.m.", "4 March 2024, 9:30 a.m."),
        ("04.03.2024 - Güncelleme: 05.03.2024", "04.03.2024"),
        ("Stand: 28.04.2023, 10:00 Uhr", None),  # an update's date alone
        ("Version 1.2.3, 5 min read", None),
    ],
)
def test_the_date_a_line_shows(line: str, date: str | None) -> None:
    assert shown_date(line) == date


# The same dateline under the headline, in the markups templates use.
DATELINES = {
    "semantic classes": (
        '<article><header><h1 class="entry-title">Harbor reopens</h1>'
        '<div class="entry-meta"><span class="posted-on">Published: '
        "<strong>4 March 2024, 10:00 EST</strong></span></div></header>"
        '<div class="entry-content">{prose}</div></article>'
    ),
    "anonymous divs": (
        "<div><div><div>News</div><div>Harbor reopens</div></div>"
        "<div><h1>Harbor reopens</h1><div>Mon 04.03.24 | 10:00 EST | By Ann Lee</div>"
        "<div>{prose}</div></div></div>"
    ),
    "table layout": (
        '<table width="600"><tr><td><font size="5"><b><h2>Weekend: Harbor reopens</h2></b>'
        '</font></td></tr><tr><td><font size="1">March 4, 2024 at 10:00 EST</font></td></tr>'
        "<tr><td>{prose}</td></tr></table>"
    ),
}


@pytest.mark.parametrize("markup", sorted(DATELINES))
def test_a_dateline_under_the_headline_gives_the_published_date(markup: str) -> None:
    found = meta(DATELINES[markup].format(prose=prose("harbor")))
    assert found.published == datetime(2024, 3, 4, 10, tzinfo=EST)


LABELLED = {
    "bold label": "<ul><li><strong>Datum</strong> 04.03.2024</li><li><strong>Autor</strong>"
    " Ann Lee</li></ul>",
    "definition list": "<dl><dt>Author</dt><dd>Ann Lee</dd><dt>Published:</dt>"
    "<dd>4 March 2024</dd></dl>",
    "table": "<table><tr><th>Date:</th><td>04/03/2024</td></tr></table>",
}


@pytest.mark.parametrize("markup", sorted(LABELLED))
def test_a_labelled_date_field_gives_the_published_date(markup: str) -> None:
    body = f"<h1>Harbor reopens</h1>{prose('harbor')}<div>{LABELLED[markup]}</div>"
    assert meta(body).published == datetime(2024, 3, 4, tzinfo=UTC)


def test_what_is_no_dateline_of_the_page() -> None:
    """Other stories' linked dates, captions, dates in the story, the header's clock."""
    body = (
        "<header><div>Monday 30 November 2026</div><h1>Harbor reopens</h1></header>"
        "<ul><li><a href='/b'>Ferry strike ends <span>01.03.2024</span></a></li></ul>"
        "<figure><img src='x.jpg'><figcaption>The harbor, 2 March 2024</figcaption></figure>"
        + prose("harbor")
        + "<p>The first ship docked on 4 March 2024.</p>"
    )
    assert meta(body).published is None
    updated = "<h1>Harbor reopens</h1><div>Updated 5 March 2024</div>" + prose("harbor")
    assert meta(updated).published is None


def test_the_markup_date_wins_and_a_shown_time_takes_the_pages_zone() -> None:
    shown = "<h1>Harbor reopens</h1><div>Veröffentlicht am 4. März 2024 um 10:00</div>"
    head = '<meta property="article:published_time" content="2024-03-01T08:00:00+01:00">'
    assert meta(shown + prose("x"), "de", head).published == datetime(
        2024, 3, 1, 8, tzinfo=timezone(timedelta(hours=1))
    )
    # no published date in the markup; its modified one, of the same minute, names the zone
    modified = '<meta property="article:modified_time" content="2024-03-04T10:00:30+02:00">'
    assert meta(shown + prose("x"), "de", modified).published == datetime(
        2024, 3, 4, 10, tzinfo=CEST
    )


def test_an_ambiguous_dateline_follows_the_page_or_waits_for_the_source() -> None:
    body = "<h1>Harbor reopens</h1><div>04/03/2024</div>" + prose("harbor")
    assert meta(body, "en-US").published == datetime(2024, 4, 3, tzinfo=UTC)
    undecided = meta(body, "en")
    assert undecided.published is None
    assert undecided.dates_if_order["DMY"] == (datetime(2024, 3, 4, tzinfo=UTC), None)
    # an unambiguous one teaches its source the order, as a date field's does
    shown = meta(body.replace("04/03/2024", "13/03/2024"), "en")
    assert (shown.published, shown.date_order) == (datetime(2024, 3, 13, tzinfo=UTC), "DMY")
