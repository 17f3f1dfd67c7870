"""Typed items that flow from the spider through the pipelines to the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from crawler.extract import ExtractedArticle

if TYPE_CHECKING:  # the crawl's own process never extracts (see crawler.extract)
    from scrapy.http import Response

    from crawler.extract.slots import Positions


class Validators(Protocol):
    """What a stored answer kept of its HTTP validators (RFC 9110 §8.8)."""

    @property
    def etag(self) -> str | None: ...

    @property
    def last_modified(self) -> str | None: ...


def conditional_headers(known: Validators) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the validators of the last 200 (RFC 9110 §13.1)."""
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def header_text(response: Response, name: str) -> str | None:
    """Header ``name`` of ``response`` as text (Latin-1, as HTTP/1.1 sends it), or None."""
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


@dataclass(slots=True)
class FetchedPage:
    """A 200 response that may hold an article; the extract pipeline fills in the rest.

    Bulky fields stay out of ``repr``, which Scrapy logs when an item fails.
    """

    source: str
    fetch_url: str
    html: str = field(repr=False)
    fetched_at: datetime
    route: str  # feed, sitemap, section, revisit
    http_status: int = 200
    # The response's headers as served, ``(name, value)`` in order; kept with the page (WARC).
    http_headers: list[tuple[str, str]] = field(default_factory=list, repr=False)
    etag: str | None = None
    last_modified: str | None = None
    known_url: str | None = None  # the stored canonical URL, on revisits
    url_matches_pattern: bool = False
    # The article's later pages (crawler.spiders.continuation), in order: one text with page 1.
    continuations: list[str] = field(default_factory=list, repr=False)
    page: bytes | None = field(default=None, repr=False)  # the page, compressed for keeping
    url: str | None = None  # the URL the article is keyed by (crawler.dedupe.identity)
    canonical_refused: str | None = None  # why the page's declared canonical is not ``url``
    article: ExtractedArticle | None = field(default=None, repr=False)  # extracted and cleaned
    line_hashes: frozenset[int] = field(default=frozenset(), repr=False)  # furniture learning
    positions: Positions | None = field(default=None, repr=False)  # template slots
    content_hash: str | None = None  # of the cleaned title and text: change detection
    signature: bytes | None = field(default=None, repr=False)  # MinHash, for story clusters


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
