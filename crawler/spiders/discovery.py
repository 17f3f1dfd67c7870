"""Reading discovery documents: feeds and sitemaps to lists of URLs. Pure, and safe on hostile bytes.

Feeds go through feedparser, sitemaps through Scrapy's ``Sitemap`` (lxml with
entity resolution off); plain-text sitemaps (one URL per line, sitemaps.org
"Text file") and a home page's ``<link rel="alternate">`` feeds are read
here. Neither expands external entities (XXE) nor
recursive ones ("billion laughs"); gzipped sitemaps are decompressed under a
size cap, so a gzip bomb stops at the cap. Any bytes give a result or
``None``: never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

GZIP_MAGIC = b"\x1f\x8b"
# Where sites put sitemaps when robots.txt does not say: the sitemaps.org default, the
# index names of WordPress (core and Yoast) and other CMSs, and Google News sitemap names.
USUAL_SITEMAP_PATHS = (
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/sitemap-index.xml",
    "/wp-sitemap.xml",
    "/news-sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap_news.xml",
    "/news_sitemap.xml",
)
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})


def feed_links(body: bytes, url: str, headers: Mapping[str, str] | None = None) -> list[str] | None:
    """The entry links of an RSS/Atom feed, or None when ``body`` is not a feed with entries.

    ``headers`` are the HTTP response headers (lower-case names): feedparser
    reads the charset of ``Content-Type`` before the XML declaration's, as RFC
    7303 section 3.2 says it must. An entry's link is its ``<link>`` or
    ``rel="alternate"`` link; an entry whose only link is an enclosure (a
    podcast's mp3, a video) gives none.
    """
    import feedparser  # here: a crawl whose feeds all answer 304 never imports it

    try:
        parsed = feedparser.parse(
            body, response_headers={**(headers or {}), "content-location": url}
        )
    except Exception:  # feedparser is lenient, but this runs on untrusted bytes
        return None
    if not parsed.entries:
        return None
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (
                lk.get("href")
                for lk in entry.get("links", [])
                if lk.get("href") and lk.get("rel", "alternate") == "alternate"
            ),
            None,
        )
        if isinstance(link, str) and link:
            links.append(link)
    return links


def home_feeds(html: str, url: str) -> list[str]:
    """Feed URLs a page announces: ``<link rel="alternate" type="application/rss+xml|atom+xml">``.

    The RSS autodiscovery convention (rssboard.org/rss-autodiscovery); hrefs
    are made absolute against ``url``; order kept, repeats dropped.
    """
    page = Selector(text=html)
    found = []
    for link in page.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            found.append(urljoin(url, link.attrib["href"].strip()))
    return list(dict.fromkeys(found))


def robots_txt_url(url: str) -> str:
    """The robots.txt of ``url``'s origin (RFC 9309 section 2.3)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def usual_sitemap_urls(home: str) -> list[str]:
    """The :data:`USUAL_SITEMAP_PATHS` on the host of ``home``."""
    parts = urlsplit(home)
    return [urlunsplit((parts.scheme, parts.netloc, path, "", "")) for path in USUAL_SITEMAP_PATHS]


@dataclass(frozen=True, slots=True)
class SitemapDoc:
    kind: str  # "sitemapindex", "urlset" (also a plain-text sitemap) or "feed"
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


def text_sitemap_urls(body: bytes) -> list[str] | None:
    """The URLs of a plain-text sitemap, or None when ``body`` is not one.

    sitemaps.org ("Text file"): UTF-8, one fully specified URL per line and
    nothing else; blank lines and a byte-order mark are tolerated.
    """
    if _XML_START.match(body):
        return None
    try:
        lines = [line.strip() for line in body.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        return None
    urls = [line for line in lines if line]
    if not urls or not all(_TEXT_SITEMAP_LINE.match(u) for u in urls):
        return None
    return urls


_XML_START = re.compile(rb"\s*<")
_TEXT_SITEMAP_LINE = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)


def read_sitemap(body: bytes, max_size: int) -> SitemapDoc:
    """The ``<loc>`` URLs of a sitemap index or urlset, or the lines of a text sitemap (gzipped or not)."""
    if body[:2] == GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=max_size)
        except (OSError, ValueError, EOFError) as exc:
            raise BadSitemapError(f"bad gzip: {exc}") from None
    if (urls := text_sitemap_urls(body)) is not None:
        return SitemapDoc("urlset", urls)
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


def read_sitemap_or_feed(
    body: bytes, url: str, max_size: int, headers: Mapping[str, str] | None = None
) -> SitemapDoc:
    """What a route given under ``sitemaps:`` holds: a sitemap, or else an RSS/Atom feed (kind "feed").

    Raises :class:`BadSitemapError` (the sitemap's reason) when it is neither.
    """
    try:
        return read_sitemap(body, max_size)
    except BadSitemapError:
        links = feed_links(body, url, headers)
        if links:
            return SitemapDoc("feed", links)
        raise


def newest_first(doc: SitemapDoc) -> list[str]:
    """``doc.locs`` by ``<lastmod>``, newest first; those without one after, in document order."""
    undated = float("inf")
    return sorted(
        dict.fromkeys(doc.locs),
        key=lambda loc: -doc.lastmod[loc].timestamp() if loc in doc.lastmod else undated,
    )
