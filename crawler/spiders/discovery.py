"""Reading discovery documents: feeds and sitemaps to lists of URLs. Pure, and safe on hostile bytes.

Feeds go through feedparser, sitemaps through Scrapy's ``Sitemap`` (lxml with
entity resolution off). Neither expands external entities (XXE) nor
recursive ones ("billion laughs"); gzipped sitemaps are decompressed under a
size cap, so a gzip bomb stops at the cap. Any bytes give a result or
``None``: never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import feedparser
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

GZIP_MAGIC = b"\x1f\x8b"


def feed_links(body: bytes, url: str) -> list[str] | None:
    """The entry links of an RSS/Atom feed, or None when ``body`` is not a feed with entries."""
    try:
        parsed = feedparser.parse(body, response_headers={"content-location": url})
    except Exception:  # feedparser is lenient, but this runs on untrusted bytes
        return None
    if not parsed.entries:
        return None
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None
        )
        if isinstance(link, str) and link:
            links.append(link)
    return links


@dataclass(frozen=True, slots=True)
class SitemapDoc:
    kind: str  # "sitemapindex" or "urlset"
    locs: list[str]
    lastmod: dict[str, datetime] = field(default_factory=dict)  # by loc, where given


_LASTMOD_PRECISION = re.compile(r"T\d\d:\d\d(?P<seconds>:\d\d(?P<fraction>\.\d+)?)?")


def lastmod_time(value: str) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime) as the latest instant it can mean, in UTC.

    ``2026-11-24`` means "some time that day", so it stands for the day's end;
    likewise a time to the minute or second stands for the end of that minute
    or second. A time without a zone is read as UTC. Unreadable is None.
    """
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    time = _LASTMOD_PRECISION.search(value)
    if time is None:
        parsed += timedelta(days=1)
    elif not time["seconds"]:
        parsed += timedelta(minutes=1)
    elif not time["fraction"]:
        parsed += timedelta(seconds=1)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class BadSitemapError(ValueError):
    """Not a sitemap, or a gzip that is broken or larger than the cap."""


def read_sitemap(body: bytes, max_size: int) -> SitemapDoc:
    """The ``<loc>`` URLs of a sitemap index or urlset (gzipped or not)."""
    if body[:2] == GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=max_size)
        except (OSError, ValueError, EOFError) as exc:
            raise BadSitemapError(f"bad gzip: {exc}") from None
    try:
        sitemap = Sitemap(body)
    except Exception as exc:  # lxml on hostile bytes
        raise BadSitemapError(f"unreadable XML: {exc}") from None
    if sitemap.type not in {"sitemapindex", "urlset"}:
        raise BadSitemapError("not a sitemap")
    doc = SitemapDoc(sitemap.type, [])
    for entry in sitemap:
        loc = entry.get("loc")
        if isinstance(loc, str) and loc.strip():
            doc.locs.append(loc.strip())
            lastmod = entry.get("lastmod")
            if isinstance(lastmod, str) and (when := lastmod_time(lastmod)):
                doc.lastmod[loc.strip()] = when
    return doc
