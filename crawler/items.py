"""Typed items that flow from the spider through the pipelines to the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.extract import ExtractedArticle, PageReading


@dataclass(slots=True)
class FetchedPage:
    """A 200 response that may hold an article; pipelines fill in the rest."""

    source: str
    fetch_url: str
    html: str
    fetched_at: datetime
    route: str  # feed, sitemap, section, revisit
    etag: str | None = None
    last_modified: str | None = None
    known_url: str | None = None  # the stored canonical URL, on revisits
    url_matches_pattern: bool = False
    reading: PageReading | None = None  # set by the extract pipeline
    page: bytes | None = None  # the page, compressed for keeping; set by the extract pipeline
    url: str | None = None  # canonical URL, set by the extract pipeline
    article: ExtractedArticle | None = None  # set by the clean pipeline
    line_hashes: frozenset[int] = frozenset()  # the article's lines, for furniture learning
    content_hash: str | None = None  # set by the dedupe pipeline
    signature: bytes | None = None  # MinHash of the body, set by the dedupe pipeline


@dataclass(frozen=True, slots=True)
class NotModified:
    """A revisit answered 304: only ``last_fetched`` moves."""

    source: str
    url: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Gone:
    """A revisit answered 404 or 410: the article is marked gone, history kept."""

    source: str
    url: str
    fetched_at: datetime
    status: int = field(default=410)
