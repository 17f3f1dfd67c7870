"""Link classification on small HTML."""

import re

from parsel import Selector

from crawler.spiders.links import is_article_url, is_pagination_url, pagination_links


def test_pagination_links() -> None:
    page = Selector(
        text='<html><head><link rel="next" href="/s?page=2"></head><body>'
        '<a href="/s?page=2">Next page</a><a href="/older">Older posts »</a>'
        '<a href="/story">Next-gen chips arrive</a><a rel="next nofollow" href="/p3">3</a></body></html>'
    )
    assert pagination_links(page) == ["/s?page=2", "/p3", "/older"]


def test_is_pagination_url() -> None:
    assert is_pagination_url("https://p.example/section?page=3")
    assert is_pagination_url("https://p.example/news/page/4/")
    assert not is_pagination_url("https://p.example/news/2026/03/page-one-story.html")
    assert not is_pagination_url("https://p.example/section?page=last")


def test_is_article_url() -> None:
    pattern = re.compile(r"/\d{4}/\d{2}/")
    assert is_article_url("https://p.example/2026/03/story", pattern)
    assert not is_article_url("https://p.example/tag/ai", pattern)
    assert not is_article_url("https://p.example/2026/03/story", None)
