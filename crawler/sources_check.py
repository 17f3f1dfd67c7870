"""``crawler sources check``: does each source still give us anything, and if not, why not?

For each source: robots.txt of its hosts, then each feed, sitemap and start
page fetched once, with the source's User-Agent and timeout. A ``home`` page
is read for the routes it leads to (its ``<link rel="alternate">`` feeds,
robots.txt ``Sitemap:`` lines, the usual sitemap paths that answer), each
checked like a configured route and listed so the user can pin it. Each route gets
a verdict: reachable, or the reason it is not (DNS, timeout, refused, HTTP
status, blocked by robots.txt, not a feed or sitemap, a bot wall or
JavaScript challenge served with 200); how many candidate article URLs it
yields; its newest item's date. Then one candidate article is fetched and
read, to say whether it carries the metadata the extractor needs.

The verdict functions are pure (they read a response or an exception); the
fetching uses httpx, one request at a time per source, nothing followed
further than one sitemap level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser
import httpx
from parsel import Selector
from rich.console import Console
from rich.table import Table

from crawler.canonical import canonical_url, same_site
from crawler.config import Source
from crawler.extract import read_page
from crawler.robots import HostRules, origin_of, rules_from_answer
from crawler.spiders.discovery import (
    BadSitemapError,
    feed_links,
    home_feeds,
    read_sitemap_or_feed,
    usual_sitemap_urls,
)
from crawler.spiders.links import is_article_url, is_pagination_url

CONNECT_TIMEOUT_S = 5.0
TOO_MANY_REDIRECTS = "too many redirects"
# What anti-bot walls and JavaScript challenges put in pages they serve with 200.
_CHALLENGE = re.compile(
    r"just a moment\.\.\.|cf-chl|challenge-platform|checking your browser|"
    r"enable javascript and cookies to continue|attention required! \| cloudflare|"
    r"px-captcha|_incapsula_resource|ddos-guard|please verify you are a human",
    re.IGNORECASE,
)
_SLUG = re.compile(r"/[^/]*\w+-\w+-\w+[^/]*/?$|/\d{4}/\d{1,2}/")


@dataclass(frozen=True, slots=True)
class RouteCheck:
    kind: str  # feed, sitemap, section, home
    url: str
    ok: bool
    reason: str
    candidates: int = 0
    newest: datetime | None = None
    sample: str | None = None  # one candidate article URL


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    body: bytes


@dataclass(slots=True)
class SourceCheck:
    source: str
    routes: list[RouteCheck] = field(default_factory=list)
    metadata: str = "-"
    found: list[RouteCheck] = field(default_factory=list)  # routes found from `home:` that answer

    @property
    def yields(self) -> bool:
        return any(r.candidates for r in self.routes)


def error_reason(exc: Exception, timeout_s: float) -> str:
    """One short reason for a failed request."""
    text = str(exc).lower()
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout after {timeout_s:g}s"
    if isinstance(exc, httpx.ConnectError):
        if any(s in text for s in ("name or service", "nodename", "getaddrinfo", "no address")):
            return "DNS: the host does not resolve"
        if "refused" in text:
            return "connection refused"
        if "unreachable" in text:
            return "no network"
        return f"cannot connect: {exc}"
    if isinstance(exc, httpx.TooManyRedirects):
        return TOO_MANY_REDIRECTS
    return f"{type(exc).__name__}: {exc}"


def is_challenge(body: bytes) -> bool:
    """A bot wall or JavaScript challenge page rather than the content asked for."""
    return bool(_CHALLENGE.search(body[:30000].decode("utf-8", "replace")))


def _looks_like_html(body: bytes) -> bool:
    head = body[:1000].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def feed_verdict(url: str, body: bytes) -> RouteCheck:
    links = feed_links(body, url)
    if not links:
        what = "an HTML page" if _looks_like_html(body) else "not RSS or Atom"
        return RouteCheck("feed", url, False, f"not a feed: {what}")
    dates = []
    for entry in feedparser.parse(body).entries:
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            dates.append(datetime(*stamp[:6], tzinfo=UTC))
    return RouteCheck("feed", url, True, "ok", len(links), max(dates, default=None), links[0])


def sitemap_verdict(url: str, body: bytes, max_size: int) -> tuple[RouteCheck, str | None]:
    """The verdict, and for a sitemap index the first child sitemap to count instead."""
    try:
        doc = read_sitemap_or_feed(body, url, max_size)
    except BadSitemapError as exc:
        what = "an HTML page" if _looks_like_html(body) else str(exc)
        return RouteCheck("sitemap", url, False, f"not a sitemap: {what}"), None
    if doc.kind == "feed":
        return feed_verdict(url, body), None
    if doc.kind == "sitemapindex":
        first = doc.locs[0] if doc.locs else None
        return RouteCheck("sitemap", url, True, f"index of {len(doc.locs)} sitemaps"), first
    sample = doc.locs[0] if doc.locs else None
    return RouteCheck("sitemap", url, True, "ok", len(doc.locs), None, sample), None


def section_verdict(url: str, body: bytes, source: Source) -> RouteCheck:
    page = Selector(text=body.decode("utf-8", "replace"))
    pattern = re.compile(source.article_url_pattern) if source.article_url_pattern else None
    found = []
    for href in page.xpath("//a/@href").getall():
        link = canonical_url(href.strip(), url)
        if not link.startswith("http") or not same_site(link, source.hosts):
            continue
        if is_pagination_url(link) or link == canonical_url(url):
            continue
        if is_article_url(link, pattern) if pattern else _SLUG.search(urlsplit(link).path):
            found.append(link)
    found = list(dict.fromkeys(found))
    if not found:
        return RouteCheck("section", url, False, "no article links found")
    return RouteCheck("section", url, True, "ok", len(found), None, found[0])


def metadata_verdict(html: bytes, url: str) -> str:
    """Which of title, date and author an article page gives the extractor."""
    meta = read_page(html, url).meta
    present = {
        "title": bool(meta.title),
        "date": bool(meta.published),
        "author": bool(meta.authors),
    }
    missing = [k for k, ok in present.items() if not ok]
    return "title, date, author" if not missing else "missing " + ", ".join(missing)


class Checker:
    """Fetches for one source, politely: its User-Agent, its timeout, one request at a time."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.timeout_s = source.timeout.total_seconds()
        self.client = httpx.Client(
            headers={"User-Agent": source.user_agent},
            timeout=httpx.Timeout(self.timeout_s, connect=min(self.timeout_s, CONNECT_TIMEOUT_S)),
            follow_redirects=True,
            max_redirects=5,
        )
        self.robots: dict[str, HostRules] = {}  # by origin

    def close(self) -> None:
        self.client.close()

    def get(self, url: str) -> Fetched | str:
        """The status and body (read up to the source's size cap), or why there is none."""
        cap = int(self.source.max_response_size)
        try:
            with self.client.stream("GET", url) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > cap:
                        return "over max_response_size"
                return Fetched(response.status_code, bytes(body))
        except httpx.HTTPError as exc:
            return error_reason(exc, self.timeout_s)

    def robots_for(self, url: str) -> HostRules:
        """The rules of ``url``'s origin, read as a crawl reads them (RFC 9309)."""
        origin = origin_of(url)
        if origin not in self.robots:
            got = self.get(f"{origin}/robots.txt")
            if got == TOO_MANY_REDIRECTS:  # over 5: unavailable, as a 4xx (RFC 9309 §2.3.1.2)
                self.robots[origin] = HostRules()
            elif isinstance(got, str):
                self.robots[origin] = HostRules(unreachable=got)
            else:
                self.robots[origin] = rules_from_answer(got.status, got.body)
        return self.robots[origin]

    def route(self, kind: str, url: str, within: tuple[str, ...] = ()) -> RouteCheck:
        """The verdict on one route; a sitemap index is judged by its first sitemap.

        ``within``: the indexes that led here, from the configured sitemap
        (depth 0) down. A first sitemap that is one of them (a loop) or that
        lies deeper than ``sitemap_max_depth`` is not read, as a crawl would not.
        """
        if self.source.obey_robots:
            robots = self.robots_for(url)
            if robots.unreachable is not None:
                reason = f"robots.txt unreachable ({robots.unreachable}): a crawl stays out"
                return RouteCheck(kind, url, False, reason)
            if not robots.allows(url, self.source.user_agent):
                return RouteCheck(kind, url, False, "blocked by robots.txt")
        got = self.get(url)
        if isinstance(got, str):
            return RouteCheck(kind, url, False, got)
        if got.status >= 400:
            wall = " (bot wall)" if is_challenge(got.body) else ""
            return RouteCheck(kind, url, False, f"HTTP {got.status}{wall}")
        if is_challenge(got.body):
            return RouteCheck(kind, url, False, "bot wall or JavaScript challenge (HTTP 200)")
        body = got.body
        if kind == "feed":
            return feed_verdict(url, body)
        if kind == "section":
            return section_verdict(url, body, self.source)
        check, child = sitemap_verdict(url, body, int(self.source.max_response_size))
        if child is None:
            return check
        chain = (*within, url)
        if child in chain:
            return RouteCheck(
                "sitemap", url, False, f"{check.reason}; the first: a loop to {child}"
            )
        if len(chain) > self.source.sitemap_max_depth:
            reason = f"{check.reason}; the first: deeper than sitemap_max_depth"
            return RouteCheck("sitemap", url, False, reason)
        first = self.route("sitemap", child, chain)
        return RouteCheck(
            "sitemap",
            url,
            first.ok,
            f"{check.reason}; the first: {first.reason}",
            first.candidates,
            None,
            first.sample,
        )

    def discover(self, home: str) -> tuple[RouteCheck, list[RouteCheck]]:
        """The home page's verdict, and the routes found from it that answer.

        Feeds its ``<link rel="alternate">`` names and sitemaps its robots.txt
        names are checked and listed whatever their verdict; of the usual
        sitemap paths, only those that read as a sitemap.
        """
        got = self.get(home)
        if isinstance(got, str) or got.status >= 400:
            reason = got if isinstance(got, str) else f"HTTP {got.status}"
            return RouteCheck("home", home, False, reason), []
        named = [("feed", url) for url in home_feeds(got.body.decode("utf-8", "replace"), home)]
        robots = self.robots_for(home)
        named += [("sitemap", url) for url in robots.sitemaps(f"{origin_of(home)}/robots.txt")]
        found = [self.route(kind, url) for kind, url in dict.fromkeys(named)]
        asked = {url for _, url in named}
        for url in usual_sitemap_urls(home):
            if url not in asked and (check := self.route("sitemap", url)).ok:
                found.append(check)
        feeds = sum(r.kind == "feed" for r in found)
        reason = f"feeds found: {feeds}, sitemaps found: {len(found) - feeds}"
        return RouteCheck("home", home, bool(found), reason), found

    def check(self) -> SourceCheck:
        result = SourceCheck(self.source.name)
        routes = [
            *(("feed", u) for u in self.source.feeds),
            *(("sitemap", u) for u in self.source.sitemaps),
            *(("section", u) for u in self.source.start_urls),
        ]
        for kind, url in routes:
            result.routes.append(self.route(kind, url))
        if self.source.home:
            home, result.found = self.discover(self.source.home)
            result.routes += [home, *result.found]
        sample = next((r.sample for r in result.routes if r.sample), None)
        if sample:
            got = self.get(sample)
            if isinstance(got, str):
                result.metadata = f"article unreachable: {got}"
            elif got.status >= 400:
                result.metadata = f"article: HTTP {got.status}"
            else:
                result.metadata = metadata_verdict(got.body, sample)
        return result


def check_source(source: Source) -> SourceCheck:
    checker = Checker(source)
    try:
        return checker.check()
    finally:
        checker.close()


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def print_checks(checks: list[SourceCheck], console: Console | None = None) -> None:
    """One row per route, then each source's article metadata and verdict."""
    console = console or Console()
    if not console.is_terminal:
        console.width = max(console.width, 200)
    table = Table(title="sources check")
    for column in (
        "source",
        "route",
        "url",
        "reachable",
        "candidates",
        "newest",
        "article metadata",
    ):
        table.add_column(column, overflow="fold")
    for check in checks:
        for i, r in enumerate(check.routes):
            table.add_row(
                check.source if i == 0 else "",
                r.kind,
                r.url,
                "yes" if r.ok else f"no: {r.reason}",
                str(r.candidates),
                _date(r.newest),
                check.metadata if i == 0 else "",
            )
    console.print(table)
    for check in checks:
        if not check.yields:
            console.print(f"[bold red]{check.source}[/]: no route yields candidate articles")
        if pins := pin_lines(check):
            console.print(f"{check.source}: found from its home page; to pin them in sources.yaml:")
            for line in pins:
                console.print(f"    {line}", markup=False, soft_wrap=True)


def pin_lines(check: SourceCheck) -> list[str]:
    """``feeds: [...]`` / ``sitemaps: [...]`` YAML lines for the found routes that yield candidates."""
    lines = []
    for kind, key in (("feed", "feeds"), ("sitemap", "sitemaps")):
        urls = [r.url for r in check.found if r.kind == kind and r.ok]
        if urls:
            lines.append(f"{key}: [{', '.join(urls)}]")
    return lines
