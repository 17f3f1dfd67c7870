"""Small article pages whose metadata is tricky: our own text, one markup each.

Shared by the extraction tests, the loopback crawl and the ``reextract`` test,
with what a correct reading of each page gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

EST = timezone(timedelta(hours=-5))
EDT = timezone(timedelta(hours=-4))


def prose(topic: str) -> str:
    """Three paragraphs of plain news prose about ``topic``, enough for any body finder."""
    return (
        f"<p>Members of the council met on Monday evening to discuss the {topic}, after a week "
        "in which residents wrote hundreds of letters asking for more time to read the plans "
        "and for a public hearing before any vote was taken.</p>"
        f"<p>Officials said the {topic} would be published in full on the town's website, "
        "together with the costs of each option and the reports that the planning office "
        "had commissioned from outside engineers over the past two years.</p>"
        "<p>A final decision is now expected before the summer recess, the chair of the "
        "finance committee said, adding that no option had been ruled out and that the "
        "hearing would be held in the library so that more people could attend.</p>"
    )


@dataclass(frozen=True)
class Page:
    path: str
    html: str
    title: str
    authors: list[str]
    published: datetime | None
    notes: list[str] = field(default_factory=list)


# en-GB, OpenGraph and meta tags: a double-encoded apostrophe, a " | Site" tail,
# a byline with a role, an image credit, and a day-first date in visible text.
EN_GB = Page(
    "/gb/budget-vote.html",
    '<html lang="en-GB"><head><title>Council&amp;#039;s budget vote delayed | Demo Gazette</title>'
    '<meta property="og:site_name" content="Demo Gazette">'
    '<meta property="og:type" content="article">'
    '<meta property="og:title" content="Council&amp;#039;s budget vote delayed | Demo Gazette">'
    "</head><body><article><h1>Council&#039;s budget vote delayed</h1>"
    '<p class="byline">By Dana Whitfield, Senior Reporter</p>'
    '<p class="dateline">Published <time>04/03/2024</time></p>'
    '<figure><img src="/hall.jpg" alt=""><figcaption class="credit">(Image: Getty Images)'
    "</figcaption></figure>" + prose("budget") + "</article></body></html>",
    "Council's budget vote delayed",
    ["Dana Whitfield"],
    datetime(2024, 3, 4, tzinfo=UTC),
)

# German, JSON-LD: entities inside the headline, "und" between two names, a day-first
# dotted date in a meta tag, the site's name after " - " in <title>.
DE = Page(
    "/de/haushalt.html",
    '<html lang="de"><head><title>Stadtrat vertagt Haushalt - Demo Zeitung</title>'
    '<meta name="date" content="04.03.2024">'
    '<script type="application/ld+json">{"@context": "https://schema.org",'
    ' "@type": "NewsArticle", "headline": "Stadtrat vertagt &#8216;Haushalt&#8217;",'
    ' "author": "Anna Berg und Jonas Keller",'
    ' "publisher": {"@type": "Organization", "name": "Demo Zeitung"}}</script>'
    "</head><body><article><h1>Stadtrat vertagt ‘Haushalt’</h1>"
    '<p class="author">Von Anna Berg und Jonas Keller, dpa</p>'
    + prose("Haushalt")
    + "</article></body></html>",
    "Stadtrat vertagt ‘Haushalt’",
    ["Anna Berg", "Jonas Keller"],
    datetime(2024, 3, 4, tzinfo=UTC),
)

# en-US, microdata: a month-first date with a named zone, an escaped ampersand in the
# headline, and an agency byline that the microdata author beats.
EN_US = Page(
    "/us/transit-fares.html",
    '<html lang="en-US"><head><title>Transit fares to rise</title></head><body>'
    '<article itemscope itemtype="https://schema.org/NewsArticle">'
    '<h1 itemprop="headline">Transit fares to rise &amp;amp; service to grow</h1>'
    '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
    '<span itemprop="name">Chris Ortiz</span></span>'
    '<meta itemprop="datePublished" content="04/03/2024 10:00 EST">'
    '<p class="byline">By Reuters Staff</p>' + prose("fares") + "</article></body></html>",
    "Transit fares to rise & service to grow",
    ["Chris Ortiz"],
    datetime(2024, 4, 3, 10, 0, tzinfo=EST),
)

# JSON-LD author list against a byline; an offset in one value and the same wall-clock
# minute written as UTC in another (a CMS that dropped the zone).
OFFSET = Page(
    "/us/harbor-opening.html",
    '<html lang="en"><head><title>Harbor reopens after storm repairs</title>'
    '<meta property="article:published_time" content="2021-12-25T13:46:00-04:00">'
    '<script type="application/ld+json">{"@context": "https://schema.org",'
    ' "@type": "NewsArticle", "headline": "Harbor reopens after storm repairs",'
    ' "datePublished": "2021-12-25T13:46:00+00:00",'
    ' "author": [{"@type": "Person", "name": "Lee Park"},'
    ' {"@type": "Person", "name": "Sam Reyes"}]}</script>'
    "</head><body><article><h1>Harbor reopens after storm repairs</h1>"
    '<p class="byline">By Sam Reyes | Staff Writer</p>'
    + prose("harbor")
    + "</article></body></html>",
    "Harbor reopens after storm repairs",
    ["Lee Park", "Sam Reyes"],
    datetime(2021, 12, 25, 13, 46, tzinfo=EDT),
)

# An old table layout: a dateline place after the name, interface buttons whose class
# names the author ("follow author"), an entity encoded twice in <title> with a site tail.
TABLE = Page(
    "/de/bruecke.html",
    '<html lang="de"><head><title>Br&amp;uuml;cke bleibt gesperrt | Demo Zeitung</title>'
    '<meta property="og:site_name" content="Demo Zeitung">'
    '<meta property="article:published_time" content="2024-03-04T09:30:00+01:00">'
    '<meta name="author" content="a.berg@zeitung.example">'
    "</head><body><table><tr><td><article>"
    '<font size="4"><b>Brücke bleibt gesperrt</b></font>'
    '<table><tr><td class="byline"><font size="1">Von Anna Berg, Frankfurt</font></td>'
    '<td><button class="followAuthorBtn">Folgen</button>'
    '<button class="followAuthorBtn">Abbruch</button>'
    '<a class="followAuthorBtn" href="/themen">Themen bearbeiten</a></td></tr></table>'
    + prose("bridge")
    + "</article></td></tr></table></body></html>",
    "Brücke bleibt gesperrt",
    ["Anna Berg"],
    datetime(2024, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=1))),
)

# Anonymous divs: a magazine's lower-case name and desk initials where a byline sits, the
# author only as a link to their page (with an honorific, kept), a navigation link to the
# authors' overview, a continuation line marked up as the headline.
DIVS = Page(
    "/capital/rates.html",
    '<html lang="en"><head><title>Rates held steady as prices cool | Demo Gazette</title>'
    '<meta property="og:title" content="Rates held steady as prices cool | Demo Gazette">'
    '<meta property="og:type" content="article">'
    '<meta property="article:published_time" content="2024-05-02T08:00:00Z">'
    '</head><body><div><a href="/authors/">Our authors</a></div>'
    '<div itemscope itemtype="https://schema.org/Article">'
    '<meta itemprop="headline" content="… and what comes next">'
    "<div><h1>Rates held steady as prices cool</h1>"
    '<div class="authors"><span class="authors__brand">capital</span></div>'
    '<div class="authors__initials">amw</div>'
    '<div><div>by <a href="/author/max-kolter">Dr. Max Kolter</a></div></div>'
    + prose("rates")
    + "</div></div></body></html>",
    "Rates held steady as prices cool",
    ["Dr. Max Kolter"],
    datetime(2024, 5, 2, 8, 0, tzinfo=UTC),
)

# Korean, meta tags only: the outlet and a name with the role after it ("기자", reporter),
# a <meta name="headline"> beside an og:title whose site tail has no spaces.
KO = Page(
    "/ko/budget.html",
    '<html lang="ko"><head><title>예산안 처리 지연-정치ㅣ데모일보</title>'
    '<meta property="og:site_name" content="데모일보">'
    '<meta property="og:type" content="article">'
    '<meta property="og:title" content="예산안 처리 지연-정치ㅣ데모일보">'
    '<meta name="headline" content="예산안 처리 지연">'
    '<meta name="author" content="데모일보"><meta name="author" content="신현주 기자">'
    '<meta property="article:published_time" content="2024-03-04T10:00:00+09:00">'
    "</head><body><article>" + prose("budget") + "</article></body></html>",
    "예산안 처리 지연",
    ["신현주"],
    datetime(2024, 3, 4, 10, 0, tzinfo=timezone(timedelta(hours=9))),
)

# No date in the markup: the one shown under the headline, with its zone's name, beside
# a teaser's linked date (another story's) and a caption's.
SHOWN = Page(
    "/us/ferry.html",
    '<html lang="en"><head><title>Ferry service resumes</title></head><body>'
    '<div><a href="/us/strike.html">Strike ends <span>March 1, 2024</span></a></div>'
    "<div><h1>Ferry service resumes</h1>"
    '<div><span>Published March 4, 2024 at 10:00 EST</span> | <span class="byline">By Lee Park'
    "</span></div>"
    "<figure><figcaption>The pier, March 2, 2024</figcaption></figure>"
    + prose("ferry")
    + "</div></body></html>",
    "Ferry service resumes",
    ["Lee Park"],
    datetime(2024, 3, 4, 10, 0, tzinfo=EST),
)

PAGES = [EN_GB, DE, EN_US, OFFSET, TABLE, DIVS, KO, SHOWN]


def daybook(slug: str, day: str, topic: str) -> Page:
    """A page of "Daybook", a source writing ``lang="en"`` (whose regions disagree on the
    day/month order) and its dates only as ``dd/mm/yyyy`` in a dateline."""
    return Page(
        f"/daybook/{slug}.html",
        f'<html lang="en"><head><title>{topic.capitalize()} plans</title></head><body>'
        f"<article><h1>{topic.capitalize()} plans</h1>"
        f'<p class="dateline">Published <time>{day}</time></p>'
        + prose(topic)
        + "</article></body></html>",
        f"{topic.capitalize()} plans",
        [],
        None,
    )


# Two pages whose dates can only be day-first, and one whose date could be either: the
# source's other pages say 4 March.
DAYBOOK_SHOWN = [daybook("tram", "13/03/2024", "tram"), daybook("dock", "21/03/2024", "dock")]
DAYBOOK_AMBIGUOUS = daybook("library", "04/03/2024", "library")
