"""Metadata sources and their precedence, on small HTML."""

from datetime import UTC, datetime

import pytest

from crawler.extract import extract_article, parse_html
from crawler.extract.authors import clean_authors
from crawler.extract.metadata import extract_metadata
from tests.extract.metadata_pages import PAGES, Page

JSONLD = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"LD headline","author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chen"}],
"datePublished":"2026-03-01T09:00:00+01:00","dateModified":"2026-03-02T10:00:00Z"}</script>"""
MICRODATA = """<div itemscope itemtype="https://schema.org/NewsArticle">
<h1 itemprop="headline">Micro headline</h1><span itemprop="author">Cy Dee</span>
<meta itemprop="datePublished" content="2026-02-01T08:00:00Z"></div>"""
OG = """<meta property="og:title" content="OG headline"><meta property="og:type" content="article">
<meta property="article:published_time" content="2026-01-01T07:00:00Z"><meta name="author" content="Di Eve">"""
TIME = '<time datetime="2025-12-01T06:00:00Z">Dec 1</time>'
BYLINE = '<p class="byline">By Fay Gee and Hal Ivy</p>'


def meta(head: str, body: str = ""):
    tree = parse_html(
        f"<html><head><title>Page title | Site</title>{head}</head><body><h1>H1 title</h1>{body}</body></html>"
    )
    assert tree is not None
    return extract_metadata(tree, "https://p.example/a")


def test_jsonld_wins() -> None:
    m = meta(JSONLD + OG, MICRODATA + TIME + BYLINE)
    assert m.title == "LD headline"
    assert m.authors == ["Ann Lee", "Bo Chen"]
    assert m.published == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert m.modified == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert m.has_article_markup


def test_microdata_next() -> None:
    m = meta(OG, MICRODATA + TIME + BYLINE)
    assert (m.title, m.authors) == ("Micro headline", ["Cy Dee"])
    assert m.published == datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


def test_microdata_author_item_and_nested_article() -> None:
    """Microdata read only where the reading uses it still gives an author item's name parts,
    and an article nested in a page's ``mainEntity`` stays no top-level one."""
    page = (
        '<div itemscope itemtype="https://schema.org/WebPage"><span itemprop="name">A page</span>'
        '<div itemprop="mainEntity" itemscope itemtype="https://schema.org/NewsArticle">'
        '<h2 itemprop="headline">Nested headline</h2></div></div>'
        '<div itemscope itemtype="https://schema.org/NewsArticle">'
        '<h2 itemprop="headline">Micro headline</h2><p itemprop="articleBody">The story.</p>'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<span itemprop="givenName">Cy</span> <span itemprop="familyName">Dee</span></span></div>'
    )
    m = meta("", page)
    assert (m.title, m.authors) == ("Micro headline", ["Cy Dee"])


def test_opengraph_next() -> None:
    m = meta(OG, TIME + BYLINE)
    assert (m.title, m.authors) == ("OG headline", ["Di Eve"])
    assert m.published == datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    assert m.has_article_markup


def test_time_and_byline_last() -> None:
    m = meta("", TIME + BYLINE)
    assert m.title == "H1 title"
    assert m.authors == ["Fay Gee", "Hal Ivy"]
    assert m.published == datetime(2025, 12, 1, 6, 0, tzinfo=UTC)
    assert not m.has_article_markup


def test_listing_with_many_article_cards_is_not_an_article() -> None:
    m = meta("", "<article><h2>a</h2></article><article><h2>b</h2></article>")
    assert not m.has_article_markup
    assert meta("", "<article><p>one</p></article>").has_article_markup


def test_split_authors() -> None:
    assert clean_authors(["By Ann Lee, Bo Chen & Cy Dee · March 1, 2026"]) == [
        "Ann Lee",
        "Bo Chen",
        "Cy Dee",
    ]
    assert clean_authors(["Staff"]) == []


def test_bytes_decode_like_a_browser() -> None:
    page = '<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body><article><p>Na\xefve caf\xe9 prices rose again this spring in the old town, locals said.</p></article></body></html>'
    art = extract_article(page.encode("cp1252"), url="https://p.example/a")
    assert art.title == "Café"
    assert "Naïve café" in art.text


def test_empty_and_binary_input() -> None:
    assert extract_article(b"").text == ""
    assert extract_article(b"\x00\x01\x02garbage").text == ""


@pytest.mark.parametrize("page", PAGES, ids=[p.path for p in PAGES])
def test_tricky_pages_read_right(page: Page) -> None:
    art = extract_article(page.html, url=f"https://demogazette.example{page.path}")
    assert (art.title, art.authors, art.published) == (page.title, page.authors, page.published)
    assert art.published is None or art.published.utcoffset() == page.published.utcoffset()


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # entities, once or twice encoded, in every place a title is read
        ('<meta property="og:title" content="It&amp;#8217;s &amp;amp; more">', "", "It’s & more"),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "headline": "Caf&eacute; &#039;open&#039; &amp;amp; busy"}</script>',
            "",
            "Café 'open' & busy",
        ),
        (
            "",
            '<div itemscope itemtype="https://schema.org/Article"><h2 itemprop="headline">A &amp;amp; B</h2></div>',
            "A & B",
        ),
        # a site tail goes: named by og:site_name, the host, or the rest being the h1
        (
            '<meta property="og:title" content="Rates held steady | Demo Gazette">',
            "",
            "Rates held steady",
        ),
        (
            '<meta property="og:title" content="Rates held steady - demogazette.example">',
            "",
            "Rates held steady",
        ),
        (
            '<meta property="og:title" content="Rates held steady – Politics">',
            "<h1>Rates held steady</h1>",
            "Rates held steady",
        ),
        # ... but a headline's own dash or colon stays, even where its words begin with the site's name
        (
            '<meta property="og:title" content="Board review: Demo Gazette staff to get raises next year">',
            "",
            "Board review: Demo Gazette staff to get raises next year",
        ),
        (
            '<meta property="og:title" content="Rates held - for now">',
            "<h1>Other</h1>",
            "Rates held - for now",
        ),
        (
            '<meta property="og:title" content="Gazette: the paper that was">',
            "",
            "Gazette: the paper that was",
        ),
        # a site's name or a section before the headline goes too
        (
            '<meta property="og:title" content="Demo Gazette | Rates held steady">',
            "",
            "Rates held steady",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "headline": "DEMOGAZETTE.EXAMPLE » Politics » Rates held steady"}</script>',
            '<div class="headline"><h2>Rates held steady</h2></div>',
            "Politics » Rates held steady",
        ),
        (
            '<meta property="og:title" content="Markets - Rates held steady">',
            "<table><tr><td><h1>Rates held steady</h1></td></tr></table>",
            "Rates held steady",
        ),
        (
            '<meta property="og:title" content="Demo Gazette staff - a year on the picket line">',
            "",
            "Demo Gazette staff - a year on the picket line",
        ),
        (
            '<meta property="og:title" content="Brexit - what happens next">',
            "<div><div><h1>Brexit explained</h1></div></div>",
            "Brexit - what happens next",
        ),
    ],
)
def test_titles_decoded_and_without_site_tail_or_prefix(head: str, body: str, title: str) -> None:
    assert (
        title_of(
            '<html><head><title>Something | Demo Gazette</title><meta property="og:site_name" '
            f'content="Demo Gazette">{head}</head><body>{body}</body></html>'
        )
        == title
    )


def title_of(html: str) -> str | None:
    """The title :func:`extract_metadata` reads from ``html`` on the Demo Gazette's site."""
    tree = parse_html(html)
    assert tree is not None
    return extract_metadata(tree, "https://www.demogazette.example/a").title


def test_the_page_title_loses_its_tail_when_nothing_better_is_there() -> None:
    page = "<html><head><title>Bridge closed for repairs | Demo Gazette</title></head></html>"
    assert title_of(page) == "Bridge closed for repairs"


@pytest.mark.parametrize(
    ("title", "notice", "expected"),
    [
        # the tail is the holder a copyright notice names, or its first words
        ("Ferry fares rise | Harbour Ledger", "© 2026 Harbour Ledger. All rights reserved.", "Ferry fares rise"),
        ("Ferry fares rise - Harbour Ledger", "Copyright © 1999-2026 Harbour Ledger Ltd", "Ferry fares rise"),
        ("Ferry fares rise | Harbour Ledger", 'Copyright <a href="/">Harbour Ledger</a>', "Ferry fares rise"),
        # ... a tail the notice does not name stays
        ("Ferry fares rise - for now", "© 2026 Harbour Ledger", "Ferry fares rise - for now"),
        ("Ferry fares rise | Harbour", "(c) Harbourside Media", "Ferry fares rise | Harbour"),
        ("Ferry fares rise | Harbour Ledger", "Harbour Ledger, 3 Quay Street", "Ferry fares rise | Harbour Ledger"),
    ],
)  # fmt: skip
def test_a_title_tail_goes_when_the_copyright_notice_names_it(
    title: str, notice: str, expected: str
) -> None:
    page = (
        f"<html><head><title>{title}</title></head><body><p>Text.</p>"
        f"<div><font size='1'>{notice}</font></div></body></html>"
    )
    tree = parse_html(page)
    assert tree is not None
    assert extract_metadata(tree, "http://127.0.0.1:8080/a").title == expected


# Each place a title is read, alone on the page: entities (encoded once or twice) decoded
# and a " | Site" tail cut, in every one.
TITLE_PLACES = {
    "json-ld": '<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{}"}}</script>',
    "microdata": '<div itemscope itemtype="https://schema.org/NewsArticle"><h2 itemprop="headline">{}</h2></div>',
    "meta headline": '<meta name="headline" content="{}">',
    "og:title": '<meta property="og:title" content="{}">',
    "twitter:title": '<meta name="twitter:title" content="{}">',
    "h1": "<h1>{}</h1>",
    "title": "<title>{}</title>",
}


@pytest.mark.parametrize("place", TITLE_PLACES)
@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("Caf&amp;eacute; &amp;#8216;open&amp;#8217; again | Demo Gazette", "Café ‘open’ again"),
        ("Caf&eacute; &#039;open&#039; &amp; busy - demogazette.example", "Café 'open' & busy"),
    ],
)
def test_every_title_place_is_decoded_and_loses_the_site_tail(
    place: str, written: str, title: str
) -> None:
    page = (
        '<html><head><meta property="og:site_name" content="Demo Gazette">'
        f"{TITLE_PLACES[place].format(written)}</head><body><p>Text.</p></body></html>"
    )
    assert title_of(page) == title


def test_a_continuation_line_is_not_the_title() -> None:
    page = (
        '<html><head><meta property="og:title" content="Pipeline flagged - Demo Gazette">'
        '</head><body><div itemscope itemtype="https://schema.org/Article">'
        '<meta itemprop="headline" content="… environmental groups concerned">'
        "<h1>Pipeline flagged</h1></div></body></html>"
    )
    assert title_of(page) == "Pipeline flagged"


def test_names_beside_the_date_under_a_headline_that_is_no_h1() -> None:
    page = (
        "<html><head><title>Ferry fares frozen for the winter</title></head><body>"
        '<center><font size="5"><b>Ferry fares frozen for the winter</b></font></center><hr>'
        "<small>by ANN LEE | 12 June 2026</small><br><br>"
        "The operator froze fares on Monday.<br><br></body></html>"
    )
    tree = parse_html(page)
    assert tree is not None
    assert extract_metadata(tree).authors == ["ANN LEE"]
    untitled = page.replace("<title>Ferry fares frozen for the winter</title>", "")
    tree = parse_html(untitled)
    assert tree is not None
    assert extract_metadata(tree).authors == []
