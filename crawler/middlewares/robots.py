"""robots.txt, checked before any other request to a host leaves (RFC 9309), with its Crawl-delay.

Scrapy's own RobotsTxtMiddleware hands the parsed rules only to the first
request that waited on the robots.txt download; requests of the same host
queued meanwhile pass unchecked. Here every request of an origin (scheme,
host and port) waits on one shared task, so none leaves before its origin's
rules are known: start URLs, feed and sitemap entries, redirects to other
hosts, links found on pages alike. The rules come from Protego, and the URL
asked about is the one requested (``request.url``), byte for byte.

The spider hands over the origins' last 2xx answers (``robots``, from the
store). One still fresh is used without asking: RFC 9309 §2.4 lets a crawler
cache robots.txt, by RFC 9111's cache control, for up to 24 hours; fresh
means read (or confirmed by a 304) less than its server's ``Cache-Control:
max-age`` (or ``Expires`` less ``Date``) ago, or, when the server gave
neither, less than the source's ``robots_max_age`` (1 hour by default), and
never more than 24 hours ago (counted as ``robots/fresh``). So an idle poll
of a source makes one request, its feed, not two. A stale one is asked for
conditionally, and a 304 reads the same body again, fresh anew. What this
crawl read goes back to the spider (``robots_updates``: a 2xx's body,
validators and lifetime, or None after a 4xx) for the runner to store. A 5xx
or an unreachable server changes nothing stored: the copy stays stale and
the next crawl asks again (an unreachable robots.txt is never used as fresh).

What an answer means is :mod:`crawler.robots`. Redirects of robots.txt are
followed up to five (RFC 9309 §2.3.1.2), and a 5xx or a network error is
tried once more. When robots.txt is unreachable nothing on that origin is
fetched in this crawl; the first request refused so raises
:class:`RobotsUnreachable`, which the spider records as a run error.

``Crawl-delay`` and ``Request-rate`` for our user agent become the least
time between two requests to the host (Scrapy's downloader slot, jitter
off), when longer than ``download_delay``, and never longer than
``max_crawl_delay``; a cap that bites is logged and counted as
``robots/crawl_delay_capped``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK

from crawler.items import conditional_headers, header_text
from crawler.robots import HostRules, cache_lifetime, origin_of, rules_from_answer
from crawler.store.robots import StoredRobots

ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 §2.3.1.2
ROBOTS_RETRIES = 1  # one more try on a 5xx or a network error before staying out
ROBOTS_PRIORITY = 1000  # ahead of everything queued
logger = logging.getLogger(__name__)


class RobotsUnreachable(IgnoreRequest):
    """A request refused because its origin's robots.txt could not be read.

    ``first`` is set on the first such request of its origin, which the
    spider records as the run's error; every one tells a route that could not
    be fetched from one refused by a robots.txt rule.
    """

    def __init__(self, origin: str, reason: str, *, first: bool) -> None:
        super().__init__(
            f"robots.txt unreachable ({reason}): nothing fetched from {origin} in this crawl"
        )
        self.origin = origin
        self.first = first


class RobotsTxtMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.user_agent: str = settings.get("USER_AGENT")
        self.min_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.max_delay = settings.getfloat("CRAWLER_MAX_CRAWL_DELAY", 30.0)
        self.max_age = timedelta(seconds=settings.getfloat("CRAWLER_ROBOTS_MAX_AGE", 3600.0))
        self._rules: dict[str, HostRules] = {}
        self._pending: dict[str, asyncio.Task[HostRules]] = {}
        self._reported: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("CRAWLER_OBEY_ROBOTS"):
            raise NotConfigured("obey_robots is off")
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        origin = origin_of(request.url)
        rules = self._rules.get(origin) or await self._rules_of(origin)
        if not rules.allows(request.url, self.user_agent):
            self._inc("robotstxt/forbidden")
            if rules.unreachable is not None:
                first = origin not in self._reported
                self._reported.add(origin)
                raise RobotsUnreachable(origin, rules.unreachable, first=first)
            raise IgnoreRequest(f"forbidden by robots.txt: {request.url}")
        self._slow_down(request, rules)

    async def _rules_of(self, origin: str) -> HostRules:
        """The origin's rules: stored ones still fresh, else one download that every request
        of the origin awaits."""
        task = self._pending.get(origin)
        if task is None:
            stored: StoredRobots | None = getattr(self.crawler.spider, "robots", {}).get(origin)
            if stored is not None and stored.fresh(_now(), self.max_age):
                self._inc("crawler/robots/fresh")
                rules = self._rules[origin] = rules_from_answer(200, stored.body)
                return rules
            task = self._pending[origin] = asyncio.ensure_future(self._download(origin, stored))
        return await asyncio.shield(task)

    async def _download(self, origin: str, stored: StoredRobots | None) -> HostRules:
        request = Request(
            f"{origin}/robots.txt",
            callback=NO_CALLBACK,
            priority=ROBOTS_PRIORITY,
            headers=conditional_headers(stored) if stored else None,
            meta={
                "dont_obey_robotstxt": True,
                "redirect_ttl": ROBOTS_MAX_REDIRECTS,
                "max_retry_times": ROBOTS_RETRIES,
            },
        )
        assert self.crawler.engine is not None
        try:
            response: Response = await self.crawler.engine.download_async(request)
            rules = self._read(origin, response, stored)
        except IgnoreRequest as exc:  # over ROBOTS_MAX_REDIRECTS, or refused by the address guard
            logger.info("robots.txt of %s not read (%s): everything allowed", origin, exc)
            rules = HostRules()
        except Exception as exc:  # timeout, refused connection, DNS: unreachable
            rules = HostRules(unreachable=str(exc) or type(exc).__name__)
        if rules.unreachable is not None:
            logger.warning(
                "robots.txt of %s unreachable (%s): nothing fetched there in this crawl",
                origin,
                rules.unreachable,
            )
        self._inc("robotstxt/request_count")
        self._rules[origin] = rules
        del self._pending[origin]
        return rules

    def _read(self, origin: str, response: Response, stored: StoredRobots | None) -> HostRules:
        """The rules of ``response`` (the stored body again on a 304), and what to store of it.

        A 304 renews the stored copy (RFC 9111 §4.3.4): read now, its ETag and
        lifetime replaced by the 304's where it gives them.
        """
        updates: dict[str, Any] | None = getattr(self.crawler.spider, "robots_updates", None)
        status, body, now = response.status, response.body, _now()
        lifetime = cache_lifetime(
            _field_lines(response, "Cache-Control"),
            header_text(response, "Expires"),
            header_text(response, "Date"),
            header_text(response, "Age"),
            now,
        )
        if status == 304 and stored is not None:
            self._inc("crawler/robots/not_modified")
            status, body = 200, stored.body
            if updates is not None:
                updates[origin] = StoredRobots(
                    header_text(response, "ETag") or stored.etag,
                    stored.last_modified,
                    body,
                    now,
                    stored.max_age if lifetime is None else lifetime,
                )
        elif updates is not None and 200 <= status < 300:
            updates[origin] = StoredRobots(
                header_text(response, "ETag"),
                header_text(response, "Last-Modified"),
                body,
                now,
                lifetime,
            )
        elif updates is not None and stored is not None and 400 <= status < 500 and status != 429:
            updates[origin] = None  # no rules any more: everything allowed
        return rules_from_answer(status, body)

    def _slow_down(self, request: Request, rules: HostRules) -> None:
        """Make the request's downloader slot keep the host's Crawl-delay (capped) between requests.

        Scrapy reads a new slot's delay from ``DOWNLOAD_SLOTS`` (the downloader's
        ``per_slot_settings``); the throttle reads the same entry as its floor.
        """
        asked = rules.delay(self.user_agent)
        delay = min(asked, self.max_delay)
        if delay <= self.min_delay:  # download_delay already keeps it (max_crawl_delay 0s: off)
            return
        downloader = self.crawler.engine.downloader  # type: ignore[union-attr]
        key = downloader.get_slot_key(request)
        slot_settings = downloader.per_slot_settings.setdefault(key, {})
        if slot_settings.get("delay", 0.0) >= delay:
            return
        if asked > delay:
            self._inc("crawler/robots/crawl_delay_capped")
            logger.warning(
                "robots.txt of %s asks for %gs between requests: capped at max_crawl_delay %gs",
                origin_of(request.url),
                asked,
                delay,
            )
        slot_settings.update(delay=delay, jitter=0.0)
        if slot := downloader.slots.get(key):
            slot.delay, slot.jitter = max(slot.delay, delay), 0.0

    def _inc(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key)


def _now() -> datetime:
    return datetime.now(UTC)


def _field_lines(response: Response, name: str) -> str | None:
    """Every ``name`` line of ``response``'s header as one comma-separated value (RFC 9110
    §5.3), Latin-1; None if there is none. Scrapy's ``headers.get`` gives only the last line:
    a ``no-store`` line before a ``max-age`` line was lost."""
    lines = response.headers.getlist(name)
    return ", ".join(line.decode("latin-1") for line in lines) if lines else None
