"""An article's own continuation pages, found on small HTML."""

from __future__ import annotations

import pytest

from crawler.spiders.continuation import next_page, page_number

URL = "https://pub.example/2026/03/story.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://pub.example/story?page=3", ("https://pub.example/story", 3)),
        ("https://pub.example/story/3/", ("https://pub.example/story", 3)),
        ("https://pub.example/story/", ("https://pub.example/story", 1)),
        ("https://pub.example/2026/03/story.html", ("https://pub.example/2026/03/story.html", 1)),
        ("https://pub.example/a?id=4&page=2", ("https://pub.example/a?id=4", 2)),
    ],
)
def test_page_number(url: str, expected: tuple[str, int]) -> None:
    assert page_number(url) == expected


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        ('<link rel="next" href="?page=2">', URL, f"{URL}?page=2"),
        ('<a rel="next nofollow" href="story.html?page=2">2</a>', URL, f"{URL}?page=2"),
        (
            '<a href="/s/2/">Next page &raquo;</a>',
            "https://pub.example/s/",
            "https://pub.example/s/2/",
        ),
        ('<a href="/s/3/">Weiter</a>', "https://pub.example/s/2/", "https://pub.example/s/3/"),
        ('<a href="?page=3">Next</a>', f"{URL}?page=2", f"{URL}?page=3"),
    ],
)
def test_next_page_of_the_same_article(html: str, url: str, expected: str) -> None:
    assert next_page(f"<html><body>{html}</body></html>", url) == expected


@pytest.mark.parametrize(
    "html",
    [
        '<a rel="next" href="/2026/03/other-story.html?page=2">Next story</a>',  # another article
        '<a href="/section/world?page=2">Next page</a>',  # a section's next page
        '<a href="?page=3">Next</a>',  # skips page 2
        '<a href="?page=2">Read the comments on page 2</a>',  # a link, not a "next" link
        "<p>page=2 is mentioned in the text only</p>",
    ],
)
def test_no_continuation(html: str) -> None:
    assert next_page(f"<html><body>{html}</body></html>", URL) is None
