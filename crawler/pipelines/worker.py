"""The job each extraction worker process runs: extract, clean and fingerprint one page.

All of it is CPU work on one page with no shared state but the source's
furniture, so all of it runs in the pool, never on the reactor's thread: the
main process is left with fetching and storing. Kept free of Scrapy so
workers start light; and the extraction stack (trafilatura, extruct) is
imported by :func:`process_page`, not here, because the crawl's own process
imports this module only to name that function. The fork server preloads it
(see :mod:`crawler.pipelines.processes`), so in a worker that import is a
dictionary lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.dedupe.fingerprint import content_hash
from crawler.dedupe.minhash import signature
from crawler.extract import ExtractedArticle
from crawler.extract.slots import Positions, article_shape
from crawler.store.page_codec import compress_page


@dataclass(frozen=True, slots=True)
class ProcessedPage:
    """One page, read and cleaned, with what the store needs to file it."""

    article: ExtractedArticle
    fallback: bool  # the fast body finder was unsure and trafilatura read the page
    page: bytes  # the page, compressed for keeping beside its version
    line_hashes: frozenset[int]  # the article's lines, for furniture learning
    positions: Positions  # where its lines sat on the page, for template slots
    content_hash: str  # of the cleaned title and text: change detection
    signature: bytes | None  # MinHash of the body, for story clusters; None if no text


# HTML, URL, the source's furniture, the article's later pages: process_page's arguments
Page = tuple[str, str, frozenset[int], tuple[str, ...]]


def process_pages(pages: list[Page]) -> list[ProcessedPage | Exception]:
    """:func:`process_page` of each page, in order; a page that raises gives its exception,
    so that one bad page fails alone rather than its whole batch."""
    results: list[ProcessedPage | Exception] = []
    for page in pages:
        try:
            results.append(process_page(*page))
        except Exception as exc:  # handed back to the page's own item, which fails with it
            results.append(exc)
    return results


def process_page(
    html: str, url: str, furniture: frozenset[int], continuations: Sequence[str] = ()
) -> ProcessedPage:
    """Extract (:func:`read_page`), clean (:func:`clean_article`), then fingerprint.

    ``continuations`` are the article's later pages, in order
    (:mod:`crawler.spiders.continuation`): their bodies follow page 1's in the
    one text, and all are kept (joined by :data:`crawler.extract.page.PAGE_BREAK`);
    the metadata is page 1's.
    """
    from crawler.extract.page import (  # see the module docstring
        PAGE_BREAK,
        clean_article,
        read_page,
        with_continuations,
    )

    reading = read_page(html, url)
    article = with_continuations(clean_article(reading, furniture), continuations, url, furniture)
    text = article.text
    positions = Positions.of_page(*article_shape(article))
    return ProcessedPage(
        article=article,
        fallback=reading.fallback,
        page=compress_page(PAGE_BREAK.join([html, *continuations])),
        line_hashes=frozenset(positions.paths),  # every line's hash: its place's key
        positions=positions,
        content_hash=content_hash(article.title, text),
        signature=signature(text) if text.strip() else None,
    )
