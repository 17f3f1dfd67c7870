"""Redirects that lead nowhere are dropped here and counted by why, instead of vanishing.

Scrapy's RedirectMiddleware follows a 3xx by scheduling a new request; a
redirect back to a URL already asked for is then silently dropped by the
duplicate filter (a loop, a self-redirect), one to another host by the
offsite filter, and the eleventh hop ends with a bare "max redirections
reached". This middleware sits just before it (it sees the 3xx first),
names the case, counts it as ``crawler/dropped/redirect_<case>`` and drops
the request with :class:`RedirectDropped`; a retried request (``dont_filter``,
which Scrapy's filters let through) too. Scrapy's own robots.txt fetches
(``dont_obey_robotstxt``) are left to it.
"""

from __future__ import annotations

from typing import Self
from urllib.parse import urldefrag, urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import safe_url_string

from crawler.canonical import same_site

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})  # those Scrapy follows


class RedirectDropped(IgnoreRequest):
    """A request dropped for where its redirect leads; ``kind`` is the count's key suffix."""

    def __init__(self, kind: str, target: str) -> None:
        super().__init__(f"{kind}: redirect to {target}")
        self.kind = kind


def redirect_drop(
    url: str, target: str, earlier: list[str], hosts: list[str], hops: int, max_hops: int
) -> str | None:
    """Why following a redirect from ``url`` to ``target`` leads nowhere, or None to follow it.

    ``earlier``: the URLs redirected from before ``url`` (Scrapy's
    ``redirect_urls`` meta); ``hops``: redirects followed so far; ``max_hops``:
    ``REDIRECT_MAX_TIMES``. Cases, checked in this order: ``redirect_self``
    (to the same URL), ``redirect_loop`` (to a URL earlier in the chain),
    fragments aside, as Scrapy's duplicate filter sees them; ``redirect_offsite``
    (to a host outside ``hosts`` and their subdomains; no ``hosts``: any host),
    ``redirect_too_many`` (one hop over ``max_hops``).
    """
    target = urldefrag(target).url
    if target == urldefrag(url).url:
        return "redirect_self"
    if target in {urldefrag(u).url for u in earlier}:
        return "redirect_loop"
    if hosts and not same_site(target, hosts):
        return "redirect_offsite"
    if hops + 1 > max_hops:
        return "redirect_too_many"
    return None


class RedirectDropMiddleware:
    """Counts and drops redirects that :func:`redirect_drop` names; others pass to Scrapy's."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_hops = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if (
            response.status not in REDIRECT_STATUSES
            or not location
            or request.meta.get("dont_obey_robotstxt")
            or request.meta.get("dont_redirect")
            or response.status in request.meta.get("handle_httpstatus_list", ())
        ):
            return response
        target = urljoin(request.url, safe_url_string(location))
        spider = self.crawler.spider
        kind = redirect_drop(
            request.url,
            target,
            request.meta.get("redirect_urls", []),
            list(getattr(spider, "allowed_domains", None) or []),
            request.meta.get("redirect_times", 0),
            self.max_hops,
        )
        if kind is None:
            return response
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"crawler/dropped/{kind}")
        raise RedirectDropped(kind, target)
