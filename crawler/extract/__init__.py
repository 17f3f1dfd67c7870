"""``extract_article(html, url=...)``: the article's own text and metadata.

The same function the crawl uses, so what it returns is what a crawl stores.
Two steps, which the crawl runs in its extraction worker processes (see
:mod:`crawler.pipelines.worker`): :func:`read_page` parses the page once, reads
its metadata, skips markup-named noise and finds the body's paragraphs;
:func:`clean_article` drops the headline repeats, boilerplate and the source's
furniture from them (it needs the source's learnt furniture).

Those functions live in :mod:`crawler.extract.page` and are imported from
there on first use: the crawl's own process names this package (for
:class:`ExtractedArticle` and :data:`EXTRACTOR_VERSION`) but never extracts,
and trafilatura and extruct took 0.4 s of every crawl's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.extract.dates import DateOrder, DateReadings
    from crawler.extract.page import (
        PageReading,
        clean_article,
        decode_html,
        extract_article,
        parse_html,
        read_page,
    )

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractedArticle",
    "PageReading",
    "clean_article",
    "decode_html",
    "extract_article",
    "parse_html",
    "read_page",
]

# Recorded with every stored version; bump it when extraction or cleaning
# changes what is stored, so ``crawler reextract`` can tell old text from new.
EXTRACTOR_VERSION = "8"


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What one page says: its article, and what the crawl needs to file it."""

    title: str
    text: str
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    canonical: str | None = None
    has_article_markup: bool = False
    reads_as_article: bool = False  # a title and a run of real paragraphs, markup or not
    # The day/month order the page's dates show, and its dates read in each order where
    # the page could not tell (crawler.extract.metadata.Metadata): the source settles them.
    date_order: DateOrder | None = None
    dates_if_order: DateReadings = field(default_factory=dict)

    # Each line of ``text``'s element path, and the (path, words) of the body's paragraphs
    # cleaning removed as noise: what template slots are learnt from (crawler.extract.slots).
    paths: tuple[int, ...] = ()
    removed: tuple[tuple[int, int], ...] = ()

    def dates(self, source_order: DateOrder | None) -> tuple[datetime | None, datetime | None]:
        """(published, modified): the page's own reading, or where the page could not tell
        the order of an ambiguous date, its reading in ``source_order`` (the order the
        source's other pages show, :func:`crawler.extract.dates.source_order`)."""
        if source_order and source_order in self.dates_if_order:
            return self.dates_if_order[source_order]
        return self.published, self.modified


def __getattr__(name: str) -> Any:
    """The page functions, imported from :mod:`crawler.extract.page` when first asked for."""
    if name in __all__:
        from crawler.extract import page

        return getattr(page, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
