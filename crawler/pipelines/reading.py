"""The job each extraction worker process runs, kept free of Scrapy so workers start light."""

from __future__ import annotations

from crawler.extract import PageReading, read_page
from crawler.store.pages import compress_page


def read_and_pack(html: str, url: str) -> tuple[PageReading, bytes]:
    """Read the page, and compress it for keeping beside its version."""
    return read_page(html, url), compress_page(html)
