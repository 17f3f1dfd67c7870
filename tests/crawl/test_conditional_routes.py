"""Discovery routes asked for conditionally: 304s and unchanged bodies skip parsing, changes do not.

A loopback publisher (the demo site) whose feed and sitemaps carry an ETag
and answer 304 to a matching If-None-Match; its section pages carry none, so
only their body hash says they are unchanged (their reader counter, which
changes on every request, is held still here).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demo.site import DemoSite, LoggedRequest, Reply, serve
from tests.crawl.helpers import crawl, export, last_counts, write_config
from tests.schedule.test_daemon import new_article

CONDITIONAL = frozenset(
    {"/feed.xml", "/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml.gz"}
)


class ConditionalSite(DemoSite):
    """The demo publisher with ETags on its feed and sitemaps, counting the 304s it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.not_modified = 0

    def respond(self, path_qs: str, headers: dict[str, str]) -> Reply:
        if path_qs == "/sitemap-news.xml.gz":  # the same bytes each time, as a static file is
            self.log_request(path_qs, headers)
            reply = Reply(200, gzip.compress(self.news_sitemap(), mtime=0), "application/gzip")
        else:
            reply = super().respond(path_qs, headers)
        if path_qs.startswith("/section/"):
            reply = Reply(200, re.sub(rb"Trending now: \d+", b"Trending now: many", reply.body))
        if path_qs not in CONDITIONAL or reply.status != 200:
            return reply
        etag = '"' + hashlib.sha256(reply.body).hexdigest()[:16] + '"'
        if headers.get("if-none-match") == etag:
            with self.lock:
                self.not_modified += 1
            return Reply(304, headers=(("ETag", etag),))
        return Reply(200, reply.body, reply.content_type, (*reply.headers, ("ETag", etag)))

    def log_request(self, path_qs: str, headers: dict[str, str]) -> None:
        with self.lock:
            self.log.append(LoggedRequest(path_qs, headers))


@pytest.fixture
def publisher() -> Iterator[ConditionalSite]:
    with serve(ConditionalSite()) as running:
        yield running  # type: ignore[misc]


def test_unchanged_routes_are_not_parsed_and_a_failed_candidate_or_a_changed_feed_are(
    publisher: ConditionalSite, db_url: str, tmp_path: Path
) -> None:
    base = publisher.base
    flaky = {publisher.url(a) for a in publisher.public() if a.fail_first}  # 503 once
    assert flaky
    source = {
        "name": "pub",
        "feeds": [f"{base}/feed.xml"],
        "sitemaps": [f"{base}/sitemap.xml"],
        "start_urls": [f"{base}/section/tech"],
        "retries": 0,
    }
    cfg = write_config(
        tmp_path / "s.yaml", [source], revisit={"within_days": 3650, "min_interval": "1d"}
    )
    crawl(cfg, db_url)
    first = last_counts(db_url, "pub")
    assert first["errors/http_503"] == len(flaky)
    assert "routes_not_modified" not in first
    assert not flaky & set(export(db_url))

    # The route the failed candidate came from was not kept: it is read again, the rest 304.
    crawl(cfg, db_url)
    second = last_counts(db_url, "pub")
    assert flaky <= set(export(db_url))
    assert second["routes_not_modified"] >= 3, second  # the index and other sitemaps at least

    # Nothing changed: every request but robots.txt is a route, and every route is unchanged.
    asked_before, answered_304 = len(publisher.log), publisher.not_modified
    crawl(cfg, db_url)
    third = last_counts(db_url, "pub")
    asked = [r.path for r in publisher.log[asked_before:] if r.path != "/robots.txt"]
    assert third.get("pages_fetched", 0) == 0, str(sorted(third.items()))
    assert third["routes_not_modified"] == len(asked) >= 6  # feed, 3 sitemaps, 2 section pages
    assert publisher.not_modified - answered_304 == len(CONDITIONAL)
    conditional = [r for r in publisher.log[asked_before:] if r.path in CONDITIONAL]
    assert all("if-none-match" in r.headers for r in conditional)

    # Changed routes are parsed: the new article is stored; the index is still a 304.
    publisher.add(new_article("harbour-tunnel-opens"))
    crawl(cfg, db_url)
    fourth = last_counts(db_url, "pub")
    assert f"{base}/news/harbour-tunnel-opens.html" in export(db_url)
    assert fourth["new"] == 1
    assert fourth["routes_not_modified"] >= 1
