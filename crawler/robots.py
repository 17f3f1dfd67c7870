"""What a robots.txt answer means (RFC 9309), as pure functions on statuses and bytes.

- 2xx: its rules apply (read by Protego, with Google's extensions).
- 4xx, or a redirect chain longer than five (§2.3.1.2): "unavailable",
  everything is allowed (§2.3.1.3). 429 is the exception: Google reads it
  as a server error, and so do we.
- 5xx, a timeout, a refused connection: "unreachable", complete disallow
  (§2.3.1.4) until robots.txt is read again.

The crawl (:mod:`crawler.middlewares.robots`) and ``crawler sources check``
read answers alike through these.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from protego import Protego


@dataclass(frozen=True, slots=True)
class HostRules:
    """What one origin's robots.txt says: rules, or allow all, or (``unreachable``) disallow all."""

    parser: Protego | None = None
    unreachable: str | None = None  # why robots.txt could not be read; set: stay out

    def allows(self, url: str, user_agent: str) -> bool:
        """May ``url`` (exactly as it will be requested) be fetched by ``user_agent``?"""
        if urlsplit(url).path == "/robots.txt":
            return True  # RFC 9309 §2.2.2: robots.txt itself is always allowed
        if self.unreachable is not None:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, user_agent))

    def sitemaps(self, base_url: str) -> list[str]:
        """Its ``Sitemap:`` (and ``Site-map:``) URLs, resolved against ``base_url``; [] without rules."""
        if self.parser is None:
            return []
        return [urljoin(base_url, url.strip()) for url in self.parser.sitemaps]

    def delay(self, user_agent: str) -> float:
        """Seconds between requests asked for: ``Crawl-delay``, or ``Request-rate`` n/s as s/n.

        The larger of the two when both are given; 0.0 when neither is.
        """
        if self.parser is None:
            return 0.0
        delay = float(self.parser.crawl_delay(user_agent) or 0.0)
        rate = self.parser.request_rate(user_agent)
        if rate is not None and rate.requests > 0:
            delay = max(delay, rate.seconds / rate.requests)
        return delay


def rules_from_answer(status: int, body: bytes) -> HostRules:
    """The rules a robots.txt answer with HTTP ``status`` and ``body`` gives (RFC 9309 §2.3.1).

    429 counts as a server error, as Google reads it (Search Central, "How Google
    interprets the robots.txt specification"); other 4xx as "unavailable".
    """
    if status == 429 or status >= 500:
        return HostRules(unreachable=f"HTTP {status}")
    if 200 <= status < 300:
        return HostRules(Protego.parse(body.decode("utf-8", "replace")))
    return HostRules()  # 4xx, or a redirect not followed: unavailable, everything allowed


def sitemap_urls(body: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` (and ``Site-map:``, a spelling Google accepts) URLs of a robots.txt, resolved."""
    return HostRules(Protego.parse(body.decode("utf-8", "replace"))).sitemaps(base_url)


def origin_of(url: str) -> str:
    """``scheme://host[:port]``, lower-cased: the unit a robots.txt speaks for (RFC 9309 §2.3)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
