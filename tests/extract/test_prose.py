"""A page that reads as an article without article markup, and a listing that does not."""

from __future__ import annotations

import gzip

from bench.site import make_articles, render
from crawler.demo.site import DemoSite
from crawler.extract import extract_article
from tests.crawl.static_site import page, prose


def test_paragraphs_of_prose_read_as_an_article_without_markup() -> None:
    art = extract_article(page("Harbour story", prose(1)), url="https://pub.example/a")
    assert not art.has_article_markup
    assert art.reads_as_article


def test_a_listing_of_headlines_and_teasers_does_not() -> None:
    cards = "".join(
        f"<div class='card'><h2><a href='/a/{i}'>Story {i}</a></h2><p>{prose(i, 1)[0]}</p></div>"
        for i in range(8)
    )
    art = extract_article(page("Latest news", [], body_extra=cards), url="https://pub.example/")
    assert not art.reads_as_article


def test_two_paragraphs_or_no_title_are_not_enough() -> None:
    assert not extract_article(page("Brief", prose(2, 2))).reads_as_article
    untitled = page("", prose(3)).replace("<title></title>", "").replace("<h1></h1>", "")
    assert not extract_article(untitled).reads_as_article


def test_a_page_mostly_of_links_does_not() -> None:
    links = "".join(f"<li><a href='/t/{i}'>{prose(50 + i, 1)[0]}</a></li>" for i in range(12))
    html = page("Tags", prose(4), body_extra=f"<ul>{links}</ul>")
    assert not extract_article(html, url="https://pub.example/tags").reads_as_article


def test_the_demo_and_bench_listings_stay_out_and_their_articles_read_as_prose() -> None:
    site = DemoSite()
    for path in ("/", "/section/tech", "/section/tech?page=2", "/tag/chips"):
        reply = site.respond(path, {})
        assert not extract_article(reply.body, url=f"http://demo{path}").reads_as_article, path
    story = site.public()[0]
    assert extract_article(site.article_html(story)).reads_as_article
    pages = render(make_articles(30), "http://bench")
    listings = [p for p in pages if p == "/" or p.startswith("/section/")]
    assert listings
    for path in listings:
        html = gzip.decompress(pages[path].gz)
        assert not extract_article(html, url=f"http://bench{path}").reads_as_article, path


KEY_POINTS = [
    "Bills for households in the region rise from April",
    "The regulator approved the increase after a review",
    "Charities warn that poorer families will struggle",
]
STORY = [
    "Households across the region will pay a fifth more for their water from April, after the"
    " regulator approved the company's plan to rebuild its ageing pipes.",
    "The company said the money would pay for two new reservoirs and the replacement of a"
    " thousand miles of mains laid before the war.",
    "Charities said the rise would fall hardest on families already behind with their bills,"
    " and asked for a social tariff to be widened.",
    "The regulator said it had cut the company's first request by a third and would watch how"
    " quickly leaks were fixed.",
]


def test_a_summary_list_above_the_story_stays_with_it() -> None:
    # "Key points" bullets (25 to 79 characters, no full stop) in a list beside the story's
    # own box: kept before _story_child narrowed the container to the box holding every
    # sentence, taking the bullets for labels such as a footer row's address.
    bullets = "".join(f"<li>{line}</li>" for line in KEY_POINTS)
    paragraphs = "".join(f"<p>{line}</p>" for line in STORY)
    html = (
        "<html><head><title>Water bills to rise by a fifth</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f'<article><h1>Water bills to rise by a fifth</h1><ul class="summary">{bullets}</ul>'
        f'<div class="story">{paragraphs}</div></article>'
        "<footer><p>Copyright Example News</p></footer></body></html>"
    )
    assert extract_article(html, "https://news.example/water").text.split("\n") == [
        *KEY_POINTS,
        *STORY,
    ]
