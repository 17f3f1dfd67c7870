"""What a robots.txt answer means (RFC 9309), as pure functions on statuses and bytes.

- 2xx: its rules apply (read by Protego, with Google's extensions).
- 4xx, or a redirect chain longer than five (§2.3.1.2): "unavailable",
  everything is allowed (§2.3.1.3). 429 is the exception: Google reads it
  as a server error, and so do we.
- 5xx, a timeout, a refused connection: "unreachable", complete disallow
  (§2.3.1.4) until robots.txt is read again.

How long a read robots.txt may be used without asking again (§2.4: a crawler
MAY cache it, MAY use RFC 9111's cache control, SHOULD NOT use a copy older
than 24 hours) is :func:`cache_lifetime` and :func:`fresh_until`.

The crawl (:mod:`crawler.middlewares.robots`) and ``crawler sources check``
read answers alike through these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from protego import Protego

from crawler.config import ROBOTS_MAX_FRESH

DELTA_SECONDS_MAX = 2**31 - 1  # the longest lifetime kept (RFC 9111 §1.2.2)


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


def cache_lifetime(
    cache_control: str | None,
    expires: str | None,
    date: str | None,
    age: str | None,
    received: datetime,
) -> int | None:
    """Seconds a response stays fresh by its own headers (RFC 9111 §4.2.1), less its ``Age``.

    ``Cache-Control: no-store`` or ``no-cache`` give 0 (ask every time), else its
    ``max-age``; without one, ``Expires`` less ``Date`` (or less ``received``,
    an aware datetime, when there is no valid ``Date``); an ``Expires`` that is
    not a date means already expired (§5.3). None when the headers say nothing
    (the caller's default applies); never below 0 nor above :data:`DELTA_SECONDS_MAX`.
    """
    directives = {
        name.strip().lower(): value.strip().strip('"')
        for name, _, value in (d.partition("=") for d in (cache_control or "").split(","))
    }
    lifetime: float
    if "no-store" in directives or "no-cache" in directives:
        lifetime = 0
    elif _is_delta(max_age := directives.get("max-age", "")):
        lifetime = _delta_seconds(max_age)
    elif expires is not None:
        until = _http_date(expires)
        sent = (_http_date(date) if date else None) or received
        lifetime = 0 if until is None else (until - sent).total_seconds()
    else:
        return None
    held = _delta_seconds(age.strip()) if age and _is_delta(age.strip()) else 0
    return max(0, min(int(lifetime), DELTA_SECONDS_MAX) - held)


def _is_delta(value: str) -> bool:
    """Whether ``value`` is delta-seconds: ASCII digits only (RFC 9111 §1.2.2); a Latin-1
    header's "²" passes ``isdigit`` but not ``int``."""
    return value.isascii() and value.isdigit()


def _delta_seconds(digits: str) -> int:
    """RFC 9111 §1.2.2: a delta-seconds too large to represent counts as 2^31 (here 2^31 - 1,
    which a 32-bit column holds)."""
    return int(digits) if len(digits) <= 10 else DELTA_SECONDS_MAX


def fresh_until(fetched_at: datetime, lifetime_s: int | None, default: timedelta) -> datetime:
    """Until when a robots.txt read at ``fetched_at`` is used without asking again.

    ``lifetime_s``: from :func:`cache_lifetime` (None: ``default``); either way
    at most :data:`~crawler.config.ROBOTS_MAX_FRESH` (RFC 9309 §2.4).
    """
    lifetime = default if lifetime_s is None else timedelta(seconds=lifetime_s)
    return fetched_at + min(lifetime, ROBOTS_MAX_FRESH)


def _http_date(value: str) -> datetime | None:
    """An HTTP date (RFC 9110 §5.6.7) as an aware datetime; None if it is not one."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
