"""One generic news spider, built from a validated :class:`~crawler.config.Source`.

It discovers candidate articles from feeds (RSS/Atom via feedparser), sitemaps
(Scrapy's sitemap parser: indexes, urlsets, news sitemaps, gzip, plain text,
robots.txt ``Sitemap:`` and ``Site-map:`` lines, or a feed given as a sitemap;
bounded by ``sitemap_max_depth`` and ``max_sitemaps``, an index read newest
first by ``<lastmod>``), the routes a ``home`` page leads to, and section pages
(article links plus pagination, bounded by ``max_depth`` and ``max_pages``),
and revisits known articles with conditional GET. Every candidate is requested
once per crawl (one per canonical URL), as the publisher spelled it less
tracking parameters and fragment, which is also the URL robots.txt is asked
about; articles stored earlier and not due for a revisit are not fetched again.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.canonical import canonical_url, request_url, same_site, url_key
from crawler.config import Source
from crawler.items import (
    FetchedPage,
    Gone,
    NotModified,
    conditional_headers,
    header_text,
)
from crawler.middlewares.redirect_drops import RedirectDropped
from crawler.middlewares.robots import RobotsUnreachable
from crawler.robots import sitemap_urls
from crawler.spiders.continuation import MAX_PAGES, next_page
from crawler.spiders.discovery import (
    BadSitemapError,
    SitemapDoc,
    feed_links,
    home_feeds,
    newest_first,
    read_sitemap_or_feed,
    robots_txt_url,
    usual_sitemap_urls,
)
from crawler.spiders.links import is_article_url, is_pagination_url, pagination_links
from crawler.store.articles import KnownArticle
from crawler.store.robots import StoredRobots
from crawler.store.routes import RouteState

REVISIT_STATUSES = [304, 404, 410]
MAX_KEPT_ERRORS = 200


def body_hash(body: bytes) -> str:
    """SHA-256 of a route's body, hex: the same hash means the same document, validators or not."""
    return hashlib.sha256(body).hexdigest()


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


class QueuedSitemap(NamedTuple):
    """A sitemap waiting to be asked for; the heap orders by ``newest`` then ``seq``."""

    newest: float  # minus its <lastmod> as a POSIX time; +inf when it has none
    seq: int  # queue order, for ties
    url: str
    depth: int  # index levels above it; the configured sitemaps are 0
    guessed: bool  # a usual path tried for `home:`: its absence is no error


class NewsSpider(Spider):
    """Crawl one source: discovery routes, then its article pages."""

    name = "news"

    def __init__(
        self,
        source: Source,
        source_id: int,
        known_urls: Callable[[], Iterable[str]] = frozenset,
        revisits: list[KnownArticle] | None = None,
        routes: dict[str, RouteState] | None = None,
        robots: dict[str, StoredRobots] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=source.name, **kwargs)
        self.source = source
        self.source_id = source_id  # its row in the store, for the pipelines
        self.allowed_domains = source.hosts
        # Every URL the source has stored, read when the first candidate comes: a crawl whose
        # routes are all unchanged never reads it, however long the source's history.
        self._load_known = known_urls
        self._known: set[str] | None = None
        self.revisits = revisits or []
        # Discovery routes as last read (by URL as requested), what this crawl saw of them,
        # and those a candidate of which was not dealt with (see routes_to_keep).
        self.routes = routes or {}
        self.route_updates: dict[str, RouteState] = {}
        # robots.txt as last read, by origin, and what this crawl read (None: no rules now);
        # asked for conditionally by crawler.middlewares.robots, stored whatever the outcome.
        self.robots = robots or {}
        self.robots_updates: dict[str, StoredRobots | None] = {}
        self.incomplete_routes: set[str] = set()
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
        # Sitemaps wait here, newest <lastmod> first, and leave a few at a time (see
        # _next_sitemaps), so the bounds and max_pages are checked before each is asked for.
        self.sitemap_queue: list[QueuedSitemap] = []  # a heap
        self.sitemaps_seen: set[str] = set()
        self.sitemaps_in_flight = 0
        self.sitemaps_asked = 0
        # The configured routes (as requested), and those whose download failed, with why.
        self.route_urls = frozenset(Request(url).url for url in source.routes)
        self.failed_routes: dict[str, str] = {}
        self._links = LinkExtractor(unique=True)  # hosts are checked in _candidate

    # -- start -------------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        hold = self.source.revisit.trust_lastmod and bool(self.source.sitemaps or self.source.home)
        for known in self.revisits:  # both URLs were stored canonical (see parse_page)
            self.requested.update({known.url, known.fetch_url})
            if hold:
                self.held[known.url] = self.held[known.fetch_url] = known
            else:
                yield self._revisit(known)
        for url in self.source.feeds:
            yield self._route(url, self.parse_feed)
        self._queue_sitemaps(((url, None) for url in self.source.sitemaps), 0)
        if home := self.source.home:
            yield self._route(home, self.parse_home)
            routes = [robots_txt_url(home), *usual_sitemap_urls(home)]
            self._queue_sitemaps(((url, None) for url in routes), 0, guessed=True)
        for request in self._next_sitemaps():
            yield request
        for url in self.source.start_urls:
            yield self._route(url, self.parse_section, meta={"section_depth": 0})

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

    def on_idle(self) -> None:
        """Nothing in flight: ask for sitemaps still queued, else release the held revisits."""
        if self.sitemap_queue:
            self.sitemaps_in_flight = 0  # any not answered were dropped without a callback
            self._schedule(list(self._next_sitemaps()))
        self.release_revisits()

    def _schedule(self, requests: list[Request]) -> None:
        if not requests:
            return
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def release_revisits(self) -> None:
        """When discovery is done (the spider is idle), revisit what no <lastmod> vouched for."""
        if not self.held:
            return
        pending = list({id(known): known for known in self.held.values()}.values())
        self.held = {}
        self._schedule([self._revisit(known) for known in pending])

    def _vouched(self, url: str, lastmod: datetime) -> None:
        """A sitemap says ``url`` last changed at ``lastmod``: skip its revisit if we have that."""
        known = self.held.get(url)
        if known is None or known.last_fetched is None or lastmod > known.last_fetched:
            return
        self.held.pop(known.url, None)
        self.held.pop(known.fetch_url, None)
        self._count("unchanged_by_lastmod")

    # -- discovery routes, asked for conditionally ---------------------------------------

    def _route(
        self,
        url: str,
        callback: Any,
        errback: Any = None,
        meta: dict[str, Any] | None = None,
        *,
        needs_body: bool = False,
    ) -> Request:
        """A request for a discovery route, conditional on its last complete read.

        ``needs_body``: ask unconditionally (a sitemap whose ``<lastmod>`` may
        spare held revisits); an unchanged body is still recognised by its hash.
        """
        known = self.routes.get(url)
        return Request(
            url,
            callback=callback,
            errback=errback or self.on_error,
            priority=5,
            headers=conditional_headers(known) if known and not needs_body else None,
            meta={**(meta or {}), "route_url": url, "handle_httpstatus_list": [304]},
        )

    def _unchanged(self, response: Response) -> RouteState | None:
        """The route's last state if ``response`` is a 304 or the same body again (counted), else None."""
        url = response.meta.get("route_url", response.url)
        known = self.routes.get(url)
        if known is None or (
            response.status != 304 and known.body_hash != body_hash(response.body)
        ):
            return None
        self._count("routes_not_modified")
        self.route_updates[url] = RouteState(
            header_text(response, "ETag") or known.etag,
            header_text(response, "Last-Modified") or known.last_modified,
            known.body_hash,
            known.children,
        )
        return known

    def _remember(self, response: Response, children: Iterable[str] = ()) -> None:
        """What this read of a route saw, kept if the crawl deals with all its candidates."""
        self.route_updates[response.meta.get("route_url", response.url)] = RouteState(
            header_text(response, "ETag"),
            header_text(response, "Last-Modified"),
            body_hash(response.body),
            list(children),
        )

    def routes_to_keep(self) -> dict[str, RouteState]:
        """Routes seen in this crawl, changed since their last read, with every candidate dealt with.

        The runner stores them only when the run ended ``ok``: a route kept
        before its candidates were fetched would hide them behind a 304.
        """
        return {
            url: state
            for url, state in self.route_updates.items()
            if url not in self.incomplete_routes and self.routes.get(url) != state
        }

    # -- discovery ---------------------------------------------------------------------

    def _count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"crawler/{key}", n)

    @property
    def known_urls(self) -> set[str]:
        """Every canonical, fetch and alias URL of the source's stored articles, read on first use."""
        if self._known is None:
            self._known = set(self._load_known())
        return self._known

    def _candidate(
        self, url: str, route: str, base: str | None = None, origin: str | None = None
    ) -> Request | None:
        """A request for a candidate article, unless it is known, seen, off-site or over the cap.

        ``origin``: the route (URL as requested) it was found on, not kept unless it is fetched.
        """
        cleaned = canonical_url(url, base)
        if not cleaned.startswith(("http://", "https://")) or not same_site(
            cleaned, self.source.hosts
        ):
            self._count("skipped/offsite")
            return None
        try:
            known = cleaned in self.known_urls
        except Exception:  # the store could not say: the route is read again next time
            if origin:
                self.incomplete_routes.add(origin)
            raise
        if known or cleaned in self.requested:
            return None
        if len(self.requested) >= self.source.max_pages:
            self._count("skipped/page_cap")
            if origin:
                self.incomplete_routes.add(origin)
            return None
        self.requested.add(cleaned)
        self._count(f"candidates/{route}")
        return Request(
            request_url(url, base),
            callback=self.parse_page,
            errback=self.on_error,
            meta={"route": route, "origin": origin},
        )

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """A feed's new candidates; an unchanged feed gives none (its articles' revisits go on)."""
        if self._unchanged(response):
            return
        links = feed_links(response.body, response.url, _feed_headers(response))
        if not links:
            self._note(f"not a feed or empty feed: {response.url}", "bad_feed")
            return
        self._remember(response)
        yield from self._candidates(links, "feed", response)

    def _candidates(self, urls: Iterable[str], route: str, found_on: Response) -> Iterator[Request]:
        """Requests for those of ``urls`` (relative to ``found_on``) that are new candidates."""
        origin = found_on.meta.get("route_url")
        for url in urls:
            if req := self._candidate(url, route, found_on.url, origin):
                yield req

    def parse_home(self, response: Response) -> Iterator[Request]:
        """A source's home page: follow the feeds it announces (its sitemaps are guessed in start)."""
        if known := self._unchanged(response):
            feeds = known.children
        elif not isinstance(response, TextResponse):
            self._note(f"home page is not text: {response.url}", "not_html")
            return
        else:
            feeds = home_feeds(response.text, response.url)
            self._count("home/found_feeds", len(feeds))
            self._remember(response, feeds)
        for url in feeds:
            yield self._route(url, self.parse_feed)

    # -- sitemaps: bounded in depth and number, newest first -----------------------------

    def _queue_sitemaps(
        self, found: Iterable[tuple[str, datetime | None]], depth: int, guessed: bool = False
    ) -> None:
        """Queue sitemap URLs found at ``depth`` (the configured ones are 0), unless over the depth bound."""
        for url, lastmod in found:
            if url in self.sitemaps_seen:
                continue
            if not same_site(url, self.source.hosts):
                self._count("skipped/offsite")
                continue
            if depth > self.source.sitemap_max_depth:
                self._skip_sitemaps("sitemap_depth", 1, f"beyond sitemap_max_depth: {url}")
                continue
            self.sitemaps_seen.add(url)
            newest = -lastmod.timestamp() if lastmod else float("inf")
            queued = QueuedSitemap(newest, len(self.sitemaps_seen), url, depth, guessed)
            heapq.heappush(self.sitemap_queue, queued)

    def _next_sitemaps(self) -> Iterator[Request]:
        """Queued sitemaps to ask for now: a few at a time, none once max_pages or max_sitemaps is reached.

        With revisits held for ``trust_lastmod``, sitemaps are still read after
        max_pages: their ``<lastmod>`` spares revisits.
        """
        while self.sitemap_queue and self.sitemaps_in_flight < self.source.concurrency_per_host:
            if len(self.requested) >= self.source.max_pages and not self.held:
                self._drop_queue("sitemap_page_cap", "max_pages candidates are known")
            elif self.sitemaps_asked >= self.source.max_sitemaps:
                self._drop_queue("sitemap_cap", f"max_sitemaps {self.source.max_sitemaps} asked")
            else:
                queued = heapq.heappop(self.sitemap_queue)
                self.sitemaps_in_flight += 1
                self.sitemaps_asked += 1
                self._count("sitemaps_fetched")
                yield self._route(
                    queued.url,
                    self.parse_sitemap,
                    self.on_sitemap_error,
                    meta={"sitemap_depth": queued.depth, "guessed": queued.guessed},
                    needs_body=bool(self.held),
                )

    def _drop_queue(self, why: str, detail: str) -> None:
        self._skip_sitemaps(why, len(self.sitemap_queue), detail)
        self.sitemap_queue.clear()

    def _skip_sitemaps(self, why: str, n: int, detail: str) -> None:
        """Count ``n`` sitemaps not asked for (``skipped/<why>``); the first time, say why in the log."""
        assert self.crawler.stats is not None
        if not self.crawler.stats.get_value(f"crawler/skipped/{why}"):
            self.logger.warning("sitemaps not fetched: %s", detail)
        self._count(f"skipped/{why}", n)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Queue an index's children, or take a urlset's (or feed's) candidates; then the next sitemaps.

        An unchanged index (or robots.txt) queues the sitemaps it led to last
        time, each asked for conditionally in turn; an unchanged urlset gives
        no candidates, but when revisits wait on ``<lastmod>`` (its body came,
        see :meth:`_route`) it still vouches for them.
        """
        self.sitemaps_in_flight -= 1
        depth = int(response.meta.get("sitemap_depth", 0))
        known = self._unchanged(response)
        if response.url.endswith("/robots.txt"):
            found = known.children if known else sitemap_urls(response.body, response.url)
            if known is None:
                self._remember(response, found)
            self._queue_sitemaps(((url, None) for url in found), depth)
        elif known is not None:
            self._queue_sitemaps(((url, None) for url in known.children), depth + 1)
            if self.held and response.status != 304:
                yield from self._read_sitemap(response, depth, candidates=False)
        else:
            yield from self._read_sitemap(response, depth)
        yield from self._next_sitemaps()

    def _read_sitemap(
        self, response: Response, depth: int, *, candidates: bool = True
    ) -> Iterator[Request]:
        """Read a sitemap's body: queue an index's children, vouch for held revisits, take candidates."""
        guessed = bool(response.meta.get("guessed"))
        try:
            doc = read_sitemap_or_feed(
                response.body, response.url, self.source.max_response_size, _feed_headers(response)
            )
        except BadSitemapError as exc:
            if guessed:
                self._count("home/not_found")
            else:
                self._note(f"{exc}: {response.url}", "bad_sitemap")
            return
        if not candidates:
            self._vouch(doc)
            return
        if guessed:
            self._count("home/found_sitemaps")
        if doc.kind == "sitemapindex":
            children = newest_first(doc)
            self._queue_sitemaps(((loc, doc.lastmod.get(loc)) for loc in children), depth + 1)
            self._remember(response, children)
            return
        self._remember(response)
        if doc.kind == "feed":
            yield from self._candidates(doc.locs, "feed", response)
            return
        self._vouch(doc)
        yield from self._candidates(doc.locs, "sitemap", response)

    def _vouch(self, doc: SitemapDoc) -> None:
        """Spare the held revisits of a urlset's pages whose ``<lastmod>`` we have already fetched."""
        if not self.held or doc.kind != "urlset":
            return
        for loc in doc.locs:
            if lastmod := doc.lastmod.get(loc):
                self._vouched(canonical_url(loc), lastmod)

    def on_sitemap_error(self, failure: Failure) -> Iterator[Request]:
        """A sitemap that failed: an error, or for a guessed path just ``home/not_found``; then the next."""
        self.sitemaps_in_flight -= 1
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("guessed"):
            self._count("home/not_found")
        else:
            self.on_error(failure)
        yield from self._next_sitemaps()

    def parse_section(self, response: Response) -> Iterator[Request]:
        """A section page's article links, then its next pages; unchanged, just the next pages.

        Next pages are asked for conditionally in turn: a list that pushes old
        items down changes its later pages too, an unchanged first page need not.
        """
        depth = int(response.meta.get("section_depth", 0))
        if known := self._unchanged(response):
            follow = known.children
        elif not isinstance(response, TextResponse):
            self._note(f"section page is not text: {response.url}", "not_html")
            return
        else:
            follow = yield from self._read_section(response)
        if depth >= self.source.max_depth:
            return
        for given in follow:
            yield self._route(given, self.parse_section, meta={"section_depth": depth + 1})

    def _read_section(self, response: TextResponse) -> Generator[Request, None, list[str]]:
        """Yield the page's candidates; return its next pages, as the publisher spells them."""
        self._count("section_pages")
        here = canonical_url(response.url)
        origin = response.meta.get("route_url")
        # Pagination by canonical URL (one request each), requested as the publisher spells it.
        next_pages = {
            canonical_url(h, response.url): request_url(h, response.url)
            for h in pagination_links(response)
        }
        self.listings.update(map(url_key, {here, *next_pages}))
        for link in self._links.extract_links(response):
            url = canonical_url(link.url)
            if url in next_pages or is_pagination_url(url) or url == here:
                next_pages.setdefault(url, request_url(link.url))
                continue
            if self.pattern and not is_article_url(url, self.pattern):
                continue
            if req := self._candidate(link.url, "section", origin=origin):
                yield req
        follow = [
            given
            for url, given in sorted(next_pages.items())
            if same_site(url, self.source.hosts) and url != here
        ]
        self._remember(response, follow)
        return follow

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
                header_text(response, "ETag"),
                header_text(response, "Last-Modified"),
            )
            return
        if response.status in (404, 410) and known:
            yield Gone(self.source.name, known, now, response.status)
            return
        html = page_html(response.text) if isinstance(response, TextResponse) else None
        if html is None:
            self._note(f"not an HTML page: {response.url}", "not_html")
            return
        first = response.meta.get("first_page")
        if first is not None:  # a later page of an article split over several
            first.continuations.append(html)
            yield from self._article(first, response, html)
            return
        page = FetchedPage(
            source=self.source.name,
            fetch_url=canonical_url(response.url),
            html=html,
            fetched_at=now,
            route=response.meta.get("route", "section"),
            http_status=response.status,
            http_headers=served_headers(response),
            etag=header_text(response, "ETag"),
            last_modified=header_text(response, "Last-Modified"),
            known_url=known,
            url_matches_pattern=is_article_url(response.url, self.pattern),
        )
        yield from self._article(page, response, html)

    def _article(
        self, first: FetchedPage, response: TextResponse, html: str
    ) -> Iterator[FetchedPage | Request]:
        """``first`` (an article's page 1) once its pages so far end in ``response``'s
        (``html``, its text), or a request for the next one."""
        after = self._continuation(html, canonical_url(response.url), first)
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
        """Count and log a failed request; a candidate that may yet be fetched keeps its route unkept."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        origin = request.meta.get("origin") if request is not None else None
        if failure.check(RobotsUnreachable):
            if failure.value.first:
                self._note(str(failure.value), "robots_unreachable")  # once per host
            if url in self.route_urls:  # the host is down, not refusing us
                self.failed_routes[url] = f"robots_unreachable: {url}: {failure.value}"
            self._retry_later(origin)
            return
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            return  # counted as robotstxt/forbidden
        if failure.check(RedirectDropped):
            return  # counted by the middleware as dropped/redirect_*
        kind, message = error_kind(failure), f"{url}: {failure.getErrorMessage()}"
        self._note(message, kind)
        if url in self.route_urls and not failure.check(
            IgnoreRequest
        ):  # refused by policy: not down
            self.failed_routes[url] = f"{kind}: {message}"
        if kind not in ("http_404", "http_410"):  # gone for good: no reason to ask again
            self._retry_later(origin)

    def every_route_failed(self) -> bool:
        """Whether every feed, sitemap and start URL of the source failed to download."""
        return self.failed_routes.keys() >= self.route_urls

    def _retry_later(self, origin: str | None) -> None:
        if origin:
            self.incomplete_routes.add(origin)


# WHATWG MIME Sniffing, "binary data byte": the controls that text does not hold.
_BINARY_CHARS = frozenset(map(chr, [*range(0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)]))
SNIFF_CHARS = 2048  # how much of a page is looked at
BINARY_SHARE = 0.05  # binary when more of it than this is binary data characters


def page_html(text: str) -> str | None:
    """A decoded page as extraction takes it, or None when it is a binary file, not a page.

    ``text`` is the body decoded by its charset (so UTF-16 is no NUL soup).
    Binary (a file its server calls ``text/html``): more than
    :data:`BINARY_SHARE` of its first :data:`SNIFF_CHARS` characters are
    WHATWG's binary data bytes, of which random or compressed bytes hold about
    one in ten (27 of 256 values) and text none but strays. A stray NUL (a CMS
    fault) is dropped, as an HTML parser ignores it (WHATWG HTML,
    "unexpected-null-character"); lxml would refuse the whole page for it.
    """
    start = text[:SNIFF_CHARS]
    if start and sum(c in _BINARY_CHARS for c in start) > BINARY_SHARE * len(start):
        return None
    return text.replace("\x00", "") if "\x00" in text else text


def served_headers(response: Response) -> list[tuple[str, str]]:
    """Every response header as ``(name, value)``, a repeated header once per value.

    Bytes are read as Latin-1, which maps each byte to one character (RFC 9110 §5.5
    leaves other octets opaque), so the WARC export writes back the same bytes.
    Scrapy drops ``Content-Encoding`` once it has decoded the body.
    """
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    ]


def _feed_headers(response: Response) -> dict[str, str]:
    """The response's Content-Type for feedparser, which prefers its charset to the XML's."""
    value = header_text(response, "Content-Type")
    return {"content-type": value} if value else {}
