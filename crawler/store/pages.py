"""The fetched pages kept beside versions: compressed on the way in, read back for re-extraction."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.store.models import Article, ArticleVersion, PageHtml, SourceRow
from crawler.store.page_codec import decompress_page


@dataclass(frozen=True, slots=True)
class StoredPage:
    """One version with the page it was extracted from."""

    version_id: int
    article_id: int
    source_id: int
    source: str
    url: str
    fetch_url: str
    version: int
    content_hash: str
    extractor_version: str
    html: str | None  # None for versions stored before pages were kept


def iter_stored_pages(
    session: Session, source: str | None = None, urls: Collection[str] | None = None
) -> Iterator[StoredPage]:
    """Versions (of one source, or of some URLs) with their pages, each article's in order."""
    query = (
        select(
            ArticleVersion.id,
            Article.id,
            SourceRow.id,
            SourceRow.name,
            Article.url,
            Article.fetch_url,
            ArticleVersion.version,
            ArticleVersion.content_hash,
            ArticleVersion.extractor_version,
            PageHtml.encoding,
            PageHtml.body,
        )
        .join(Article, ArticleVersion.article_id == Article.id)
        .join(SourceRow, Article.source_id == SourceRow.id)
        .outerjoin(PageHtml, PageHtml.version_id == ArticleVersion.id)
        .order_by(Article.id, ArticleVersion.version)
    )
    if source is not None:
        query = query.where(SourceRow.name == source)
    if urls is not None:
        query = query.where(Article.url.in_(list(urls)))
    for row in session.execute(query.execution_options(yield_per=200)):
        *fields, encoding, body = row
        html = decompress_page(encoding, body) if body is not None else None
        yield StoredPage(*fields, html=html)
