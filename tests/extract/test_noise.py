"""Each kind of noise, on a small page: every paragraph of the story kept, no noise line stored."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from crawler.extract import extract_article
from crawler.extract.page import drop_from, read_page

URL = "https://daily.example/2026/03/03/trams.html"
TITLE = "Tram line to run every six minutes from May"
STORY = [
    "The regional tram line will run every six minutes from May, the transport authority said on "
    "Monday, after the new vehicles passed their final safety checks.",
    "Engineers spent the winter testing the signalling on the northern branch, where the old "
    "system had caused most of last year's delays.",
    "The authority expects ridership to grow by a fifth within two years and plans to extend the "
    "line to the new hospital once funding for the second phase is agreed.",
]
LIST = "".join(
    f'<li><a href="/2026/03/0{i}/story-{i}.html">Other story number {i} about the city</a></li>'
    for i in range(1, 5)
)

# kind -> (html put before the story, between its 1st and 2nd paragraph, after it)
NOISE: dict[str, tuple[str, str, str]] = {
    "headline repeated as print title, h1, h2 and bold": (
        f'<div class="print-title">{TITLE}</div><h1>{TITLE}</h1><h2>{TITLE}</h2>'
        f"<p><b>{TITLE}</b></p>",
        "",
        "",
    ),
    "advertisement label by class": (
        "",
        '<div class="ad-slot"><span>Advertisement</span></div>',
        "",
    ),
    "advertisement label by wording": ("", "<p>ADVERTISEMENT</p>", ""),
    "clickbait teaser linking off the site": (
        "",
        '<div><a href="https://clickbait.example/x"><h3>This Actor Won the Award For Best Smile '
        "- Here's How</h3></a><p>The clip went viral with everyone sharing it, while also making "
        "light of the moment.</p></div>",
        "",
    ),
    "image teaser linking off the site": (
        "",
        '<div><a href="https://ads.example/c?id=7"><img src="/t.jpg" alt=""></a>'
        "<p>Thousands of readers have already tried this simple trick; see what happened next "
        "when they did.</p></div>",
        "",
    ),
    "promo block by class": (
        "",
        '<div class="inline-promo"><p>Try our new puzzle app, free for a month for every reader '
        "who signs up this week.</p></div>",
        "",
    ),
    "related news list by wording": ("", "", f"<p>Related news</p><ul>{LIST}</ul>"),
    "related list by class": ("", "", f'<div class="related-articles"><ul>{LIST}</ul></div>'),
    "most popular list": ("", "", f"<h3>Most popular</h3><ol>{LIST}</ol>"),
    "read more list": ("", "", f"<p>Read more:</p><ul>{LIST}</ul>"),
    "trending list": ("", "", f"<h4>Trending now</h4><ul>{LIST}</ul>"),
    "share bar and share line": (
        '<div class="social-share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>',
        "",
        "<p>Share this article</p>",
    ),
    "cookie banner": (
        "",
        "",
        '<div id="cookie-banner"><p>We use cookies to improve your experience on our website. '
        "By continuing to browse you accept their use.</p><button>Accept</button></div>",
    ),
    "cookie notice without markup": (
        "",
        "",
        "<p>This website uses cookies to give you the best experience. You can opt out in your "
        "browser settings at any time.</p>",
    ),
    "newsletter and subscribe blurbs": (
        "",
        '<div class="newsletter-signup"><p>Get the morning briefing in your inbox every weekday, '
        "free.</p></div>",
        "<p>Subscribe to our newsletter for daily updates</p>",
    ),
    "comment section": (
        "",
        "",
        '<section id="comments"><h3>3 comments</h3><div class="comment"><p>About time! I have '
        "waited for a better tram service for ten years, and it is still too slow.</p></div>"
        '<div class="comment"><p>Does anyone know whether the night trams will change too?</p>'
        "</div></section>",
    ),
    "byline and dateline": (
        '<p class="byline">By Ann Lee and Bo Chen</p><p>Updated: March 3, 2026 10:00</p>'
        "<p>By Ann Lee</p>",
        "",
        "",
    ),
    "copyright footer": (
        "",
        "",
        "<p>© 2026 Daily Example Media Ltd. All rights reserved.</p>",
    ),
    "pull quote stitched from sentences of a paragraph": (
        "",
        "<blockquote><p>Engineers spent the winter testing the signalling. The old system had "
        "caused most of last year's delays.</p><p>Transport authority</p></blockquote>",
        "",
    ),
    "copyright notice inside a line": (
        "",
        "",
        "<p>This report may not be published or redistributed without permission. ©2026 Daily "
        "Example Ltd.</p>",
    ),
    "a short last line opening what follows": (
        "",
        "",
        "<p>More from the transport desk on the radio:</p>",
    ),
    "caption and photo credit": (
        "",
        '<figure><img src="/tram.jpg" alt=""><figcaption>The new trams at the depot. Photo: Jo '
        "Smith/Agency</figcaption></figure><p>Photo: Getty Images</p>",
        "",
    ),
}


def page(before: str, middle: str, after: str) -> str:
    p = [f"<p>{x}</p>" for x in STORY]
    return (
        f"<html><head><title>{TITLE} | Daily</title>"
        f'<meta property="og:title" content="{TITLE}"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/city">City</a></nav>'
        f"<article>{before}{p[0]}{middle}{p[1]}{p[2]}{after}</article>"
        "<footer><p>Daily Example, 1 Main Street</p></footer></body></html>"
    )


@pytest.mark.parametrize("kind", list(NOISE))
def test_noise_is_removed_and_every_story_paragraph_kept(kind: str) -> None:
    art = extract_article(page(*NOISE[kind]), url=URL)
    assert art.title == TITLE
    assert art.text.split("\n") == STORY


def test_every_kind_at_once() -> None:
    before = "".join(n[0] for n in NOISE.values())
    middle = "".join(n[1] for n in NOISE.values())
    after = "".join(n[2] for n in NOISE.values())
    assert extract_article(page(before, middle, after), url=URL).text.split("\n") == STORY


LONG = (
    "The depot was built in 1911 for the first electric trams, and its brick halls were listed in "
    "1988, which is why the authority had to keep the old roof when it fitted the new charging "
    "points for the fleet that arrives this spring."
)
# kind -> html put between the story's 1st and 2nd paragraph, whose text is the story's own
LOOKS_LIKE_NOISE: dict[str, tuple[str, list[str]]] = {
    "a long paragraph beside a picture, with no sign of a caption": (
        f'<div><img src="/depot.jpg" width="400"><div>{LONG}</div></div>',
        [LONG],
    ),
    "a section of the story in a box named for its picture": (
        f'<div class="photo-wide"><img src="/depot.jpg"><h2>The depot</h2><p>{LONG}</p>'
        "<p>The listed halls will stay open to visitors on the first Sunday of every month.</p>"
        "</div>",
        [
            "The depot",
            LONG,
            "The listed halls will stay open to visitors on the first Sunday of every month.",
        ],
    ),
    "a paragraph in a box of its own that repeats nothing": (
        f'<div class="css-4f2a9c"><p>{LONG}</p></div>',
        [LONG],
    ),
    "a long sentence about the rights to a picture": (
        "<p>The authority said the design of the trams, © 2019 by the Basel studio that drew them, "
        "would be licensed to two other cities that have asked to buy the same vehicles.</p>",
        [
            "The authority said the design of the trams, © 2019 by the Basel studio that drew "
            "them, would be licensed to two other cities that have asked to buy the same vehicles."
        ],
    ),
    "a sentence leading into a link": (
        '<p><span>Read the authority\'s</span> <a href="/2026/03/01/tram-report.html">full report '
        "on the tram timetable</a></p>",
        ["Read the authority's full report on the tram timetable"],
    ),
}


@pytest.mark.parametrize("kind", list(LOOKS_LIKE_NOISE))
def test_the_storys_own_text_that_looks_like_noise_stays(kind: str) -> None:
    middle, own = LOOKS_LIKE_NOISE[kind]
    art = extract_article(page("", middle, ""), url=URL)
    assert art.text.split("\n") == [STORY[0], *own, *STORY[1:]]


def test_drop_from_removes_the_element_and_everything_after_it() -> None:
    tree = lxml.html.fromstring(
        "<div><section><p>Kept one</p> tail kept<h2>Second story</h2>tail gone<p>Gone</p>"
        "</section>after gone<p>Gone too</p></div>"
    )
    drop_from(tree.find(".//h2"))
    assert " ".join(tree.text_content().split()) == "Kept one tail kept"


def test_a_second_story_is_cut_when_trafilatura_reads_the_page_too() -> None:
    """A page the body finder is unsure of (prose in a column before the story, a menu
    between): trafilatura reads it without the story that follows the page's own."""
    fixture = Path(__file__).parent.parent / "fixtures" / "noise" / "second-story-long-divs"
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    column = "".join(
        f"<div>From the archive, part {i}: the canal was dug in 1794 to carry coal from the "
        "hill pits down to the river port, and it carried coal for more than a century.</div>"
        for i in range(6)
    )
    menu = " ".join(f'<a href="/topics/{i}">Topic number {i} of the day</a>' for i in range(30))
    html = fixture.with_suffix(".html").read_text(encoding="utf-8")
    html = html.replace('<div id="w">', f'<div>{column}</div><div>{menu}</div><div id="w">')
    reading = read_page(html, expected["url"])
    assert reading.fallback
    assert set(expected["paragraphs"]) <= set(reading.paragraphs)
    assert not any("pool" in p.lower() for p in reading.paragraphs)
