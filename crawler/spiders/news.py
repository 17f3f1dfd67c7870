"""One generic news spider, built from a validated :class:`~crawler.config.Source`.

It discovers candidate articles from feeds (RSS/Atom via feedparser), sitemaps
(Scrapy's sitemap parser: indexes, urlsets, news sitemaps, gzip, robots.txt
``Sitemap:`` lines) and section pages (article links plus pagination, bounded
by ``max_depth`` and ``max_pages``), and revisits known articles with
conditional GET. Every candidate is requested once per crawl under its
tracking-free URL; articles stored earlier and not due for a revisit are not
fetched again.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.canonical import canonical_url, same_site, url_key
from crawler.config import Source
from crawler.items import FetchedPage, Gone, NotModified
from crawler.spiders.continuation import MAX_PAGES, next_page
from crawler.spiders.discovery import BadSitemapError, feed_links, read_sitemap
from crawler.spiders.links import is_article_url, is_pagination_url, pagination_links
from crawler.store.articles import KnownArticle

REVISIT_STATUSES = [304, 404, 410]
MAX_KEPT_ERRORS = 200


def conditional_headers(known: KnownArticle) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the validators of the last 200."""
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def error_kind(failure: Failure) -> str:
    """A short, stable name for why a request failed, for counts and logs."""
    message = str(failure.value).lower()
    if "max size" in message or "maxsize" in message:
        return "too_large"  # over DOWNLOAD_MAXSIZE, on the wire or once decompressed
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(DNSLookupError):
        return "dns"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(IgnoreRequest):
        return "ignored"
    name = failure.type.__name__ if failure.type else "error"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class NewsSpider(Spider):
    """Crawl one source: discovery routes, then its article pages."""

    name = "news"

    def __init__(
        self,
        source: Source,
        known_urls: frozenset[str] = frozenset(),
        revisits: list[KnownArticle] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=source.name, **kwargs)
        self.source = source
        self.allowed_domains = source.hosts
        self.known_urls = set(known_urls)
        self.revisits = revisits or []
        # With revisit.trust_lastmod, revisits wait for the sitemaps: those a <lastmod>
        # vouches for are skipped, the rest are requested once discovery is done.
        self.held: dict[str, KnownArticle] = {}  # by canonical URL and by fetch URL
        self.pattern = (
            re.compile(source.article_url_pattern) if source.article_url_pattern else None
        )
        self.requested: set[str] = set()
        # url_key of every listing page the crawl knows: a canonical naming one is refused.
        self.listings = {
            url_key(canonical_url(u)) for u in (*source.feeds, *source.sitemaps, *source.start_urls)
        }
        self.errors: list[str] = []
        self._links = LinkExtractor(unique=True)  # hosts are checked in _candidate

    # -- start -------------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.release_revisits, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        hold = self.source.revisit.trust_lastmod and bool(self.source.sitemaps)
        for known in self.revisits:  # both URLs were stored canonical (see parse_page)
            self.requested.update({known.url, known.fetch_url})
            if hold:
                self.held[known.url] = self.held[known.fetch_url] = known
            else:
                yield self._revisit(known)
        for url in self.source.feeds:
            yield Request(url, callback=self.parse_feed, errback=self.on_error, priority=5)
        for url in self.source.sitemaps:
            yield Request(url, callback=self.parse_sitemap, errback=self.on_error, priority=5)
        for url in self.source.start_urls:
            yield Request(
                url,
                callback=self.parse_section,
                errback=self.on_error,
                priority=5,
                meta={"section_depth": 0},
            )

    def _revisit(self, known: KnownArticle) -> Request:
        return Request(
            known.fetch_url,
            callback=self.parse_page,
            errback=self.on_error,
            headers=conditional_headers(known),
            priority=10,
            meta={
                "route": "revisit",
                "known_url": known.url,
                "handle_httpstatus_list": REVISIT_STATUSES,
            },
        )

    def release_revisits(self) -> None:
        """When discovery is done (the spider is idle), revisit what no <lastmod> vouched for."""
        if not self.held:
            return
        pending = list({id(known): known for known in self.held.values()}.values())
        self.held = {}
        assert self.crawler.engine is not None
        for known in pending:
            self.crawler.engine.crawl(self._revisit(known))
        raise DontCloseSpider

    def _vouched(self, url: str, lastmod: datetime) -> None:
        """A sitemap says ``url`` last changed at ``lastmod``: skip its revisit if we have that."""
        known = self.held.get(url)
        if known is None or known.last_fetched is None or lastmod > known.last_fetched:
            return
        self.held.pop(known.url, None)
        self.held.pop(known.fetch_url, None)
        self._count("unchanged_by_lastmod")

    # -- discovery ---------------------------------------------------------------------

    def _count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"crawler/{key}", n)

    def _candidate(self, url: str, route: str, base: str | None = None) -> Request | None:
        """A request for a candidate article, unless it is known, seen, off-site or over the cap."""
        cleaned = canonical_url(url, base)
        if not cleaned.startswith(("http://", "https://")) or not same_site(
            cleaned, self.source.hosts
        ):
            self._count("skipped/offsite")
            return None
        if cleaned in self.requested or cleaned in self.known_urls:
            return None
        if len(self.requested) >= self.source.max_pages:
            self._count("skipped/page_cap")
            return None
        self.requested.add(cleaned)
        self._count(f"candidates/{route}")
        return Request(
            cleaned, callback=self.parse_page, errback=self.on_error, meta={"route": route}
        )

    def parse_feed(self, response: Response) -> Iterator[Request]:
        links = feed_links(response.body, response.url)
        if not links:
            self._note(f"not a feed or empty feed: {response.url}", "bad_feed")
            return
        for link in links:
            if req := self._candidate(link, "feed", response.url):
                yield req

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield Request(url, callback=self.parse_sitemap, errback=self.on_error, priority=5)
            return
        try:
            doc = read_sitemap(response.body, self.source.max_response_size)
        except BadSitemapError as exc:
            self._note(f"{exc}: {response.url}", "bad_sitemap")
            return
        for loc in doc.locs:
            if doc.kind == "sitemapindex":
                yield Request(loc, callback=self.parse_sitemap, errback=self.on_error, priority=5)
                continue
            if self.held and (lastmod := doc.lastmod.get(loc)):
                self._vouched(canonical_url(loc), lastmod)
            if req := self._candidate(loc, "sitemap"):
                yield req

    def parse_section(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            self._note(f"section page is not text: {response.url}", "not_html")
            return
        depth = int(response.meta.get("section_depth", 0))
        self._count("section_pages")
        here = canonical_url(response.url)
        next_pages = {canonical_url(h, response.url) for h in pagination_links(response)}
        self.listings.update(map(url_key, {here, *next_pages}))
        for link in self._links.extract_links(response):
            url = canonical_url(link.url)
            if url in next_pages or is_pagination_url(url) or url == here:
                next_pages.add(url)
                continue
            if self.pattern and not is_article_url(url, self.pattern):
                continue
            if req := self._candidate(url, "section"):
                yield req
        if depth >= self.source.max_depth:
            return
        for url in sorted(next_pages):
            if same_site(url, self.source.hosts) and url != here:
                yield Request(
                    url,
                    callback=self.parse_section,
                    errback=self.on_error,
                    priority=5,
                    meta={"section_depth": depth + 1},
                )

    # -- article pages -------------------------------------------------------------------

    def parse_page(
        self, response: Response
    ) -> Iterator[FetchedPage | NotModified | Gone | Request]:
        now = datetime.now(UTC)
        known = response.meta.get("known_url")
        self._count("pages_fetched")
        if response.status == 304 and known:
            yield NotModified(
                self.source.name,
                known,
                now,
                _header(response, "ETag"),
                _header(response, "Last-Modified"),
            )
            return
        if response.status in (404, 410) and known:
            yield Gone(self.source.name, known, now, response.status)
            return
        if not isinstance(response, TextResponse) or b"\x00" in response.body[:2048]:
            self._note(f"not an HTML page: {response.url}", "not_html")
            return
        first = response.meta.get("first_page")
        if first is not None:  # a later page of an article split over several
            first.continuations.append(response.text)
            yield from self._article(first, response)
            return
        page = FetchedPage(
            source=self.source.name,
            fetch_url=canonical_url(response.url),
            html=response.text,
            fetched_at=now,
            route=response.meta.get("route", "section"),
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            known_url=known,
            url_matches_pattern=is_article_url(response.url, self.pattern),
        )
        yield from self._article(page, response)

    def _article(
        self, first: FetchedPage, response: TextResponse
    ) -> Iterator[FetchedPage | Request]:
        """``first`` (an article's page 1) once its pages so far end in ``response``'s, or a
        request for the next one."""
        after = self._continuation(response.text, canonical_url(response.url), first)
        if after is not None:
            yield after
            return
        if first.continuations:
            # Validators of page 1 say nothing of the others: revisits fetch them all again.
            first.etag = first.last_modified = None
            self._count("multi_page_articles")
        yield first

    def _continuation(self, html: str, here: str, first: FetchedPage) -> Request | None:
        """A request for the article's next page, if it has one within MAX_PAGES."""
        if 1 + len(first.continuations) >= MAX_PAGES:
            return None
        after = next_page(html, here)
        if after is None or after == first.fetch_url or not same_site(after, self.source.hosts):
            return None
        self.requested.add(after)
        self._count("continuation_pages")
        return Request(
            after,
            callback=self.parse_page,
            errback=self.on_error,
            priority=10,
            dont_filter=True,  # bounded by MAX_PAGES; a page seen on another route still joins
            meta={"route": first.route, "known_url": first.known_url, "first_page": first},
        )

    # -- failures ------------------------------------------------------------------------

    def _note(self, message: str, kind: str) -> None:
        self._count(f"errors/{kind}")
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(f"{kind}: {message}")
        self.logger.warning("%s: %s", kind, message)

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            return  # counted by Scrapy as robotstxt/forbidden
        self._note(f"{url}: {failure.getErrorMessage()}", error_kind(failure))


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
