"""Reading discovery documents: feeds and sitemaps to lists of URLs. Pure, and safe on hostile bytes.

Feeds go through feedparser, sitemaps through Scrapy's ``Sitemap`` (lxml with
entity resolution off). Neither expands external entities (XXE) nor
recursive ones ("billion laughs"); gzipped sitemaps are decompressed under a
size cap, so a gzip bomb stops at the cap. Any bytes give a result or
``None``: never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    locs = []
    for entry in sitemap:
        loc = entry.get("loc")
        if isinstance(loc, str) and loc.strip():
            locs.append(loc.strip())
    return SitemapDoc(sitemap.type, locs)
