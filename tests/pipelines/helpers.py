"""Pages as the extraction pipeline hands them to the store writer, built from paragraphs."""

from __future__ import annotations

from datetime import datetime

from crawler.items import FetchedPage
from crawler.pipelines.worker import process_page
from tests.store.helpers import T0


def fetched_page(
    url: str,
    title: str,
    paragraphs: list[str],
    fetched_at: datetime = T0,
    author: str = "",
    furniture: frozenset[int] = frozenset(),
) -> FetchedPage:
    """A feed page of ``paragraphs`` under ``title`` (by ``author``, if one), extracted,
    cleaned of ``furniture`` and fingerprinted for real, as the extraction workers do."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    byline = f'<meta name="author" content="{author}">' if author else ""
    html = (
        f"<html><head><title>{title}</title>{byline}</head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    )
    return fetched_html(url, html, fetched_at, furniture)


def fetched_html(
    url: str,
    html: str,
    fetched_at: datetime = T0,
    furniture: frozenset[int] = frozenset(),
    source: str = "pub",
) -> FetchedPage:
    """The page ``html``, fetched from ``url`` by a feed route and processed for real."""
    done = process_page(html, url, furniture)
    return FetchedPage(
        source=source,
        fetch_url=url,
        html="",
        fetched_at=fetched_at,
        route="feed",
        url=url,
        article=done.article,
        line_hashes=done.line_hashes,
        positions=done.positions,
        content_hash=done.content_hash,
        signature=done.signature,
        page=done.page,
    )
