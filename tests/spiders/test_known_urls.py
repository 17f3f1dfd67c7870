"""The source's stored URLs are read when the first candidate comes, not when the crawl opens."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import Response, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.config import parse
from crawler.spiders.news import NewsSpider
from crawler.store.routes import RouteState

FEED = "https://a.example/feed.xml"
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>A</title>'
    b"<item><title>Old</title><link>https://a.example/old.html</link></item>"
    b"<item><title>New</title><link>https://a.example/new.html</link></item>"
    b"</channel></rss>"
)


class Reads:
    """A stand-in for the store's read of known URLs that counts how often it is asked."""

    def __init__(self, urls: frozenset[str] | Exception) -> None:
        self.urls = urls
        self.calls = 0

    def __call__(self) -> frozenset[str]:
        self.calls += 1
        if isinstance(self.urls, Exception):
            raise self.urls
        return self.urls


def spider(known: Reads) -> NewsSpider:
    source = parse({"sources": [{"name": "a", "feeds": [FEED]}]}).sources[0]
    routes = {FEED: RouteState('"v1"', None, "0" * 64)}
    crawler = get_crawler(NewsSpider)
    return NewsSpider.from_crawler(
        crawler, source=source, source_id=1, known_urls=known, routes=routes
    )


def answer(status: int, body: bytes = b"") -> Response:
    request = Request(FEED, meta={"route_url": FEED})
    return XmlResponse(FEED, status=status, body=body, request=request)


def test_an_unchanged_feed_never_reads_the_known_urls() -> None:
    known = Reads(frozenset({"https://a.example/old.html"}))
    s = spider(known)
    assert list(s.parse_feed(answer(304))) == []
    assert known.calls == 0


def test_a_changed_feed_reads_them_once_and_skips_what_is_stored() -> None:
    known = Reads(frozenset({"https://a.example/old.html"}))
    s = spider(known)
    asked = [r.url for r in s.parse_feed(answer(200, RSS))]
    assert asked == ["https://a.example/new.html"]
    assert known.calls == 1


def test_a_store_that_cannot_say_keeps_the_route_for_the_next_crawl() -> None:
    s = spider(Reads(RuntimeError("database away")))
    with pytest.raises(RuntimeError):
        list(s.parse_feed(answer(200, RSS)))
    assert FEED not in s.routes_to_keep()  # else a 304 would hide its candidates for good
