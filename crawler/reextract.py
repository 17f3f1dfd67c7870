"""``crawler reextract``: redo extraction and cleaning over the stored pages, without fetching.

When the extractor improves, or a source's furniture, teaser, bio or slot knowledge,
or the day/month order of its dates, grows (:mod:`crawler.extract.passages`,
:mod:`crawler.extract.slots`), the text stored earlier can be brought up to date from the page kept beside each
version. Each version is corrected in place and records which extractor
wrote it: this fixes our reading of the page, it is not a publisher's edit,
so no version is added or removed. Versions that become identical to the one
before them are reported; a page that now yields no text keeps its old text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy.orm import Session

from crawler.dedupe.fingerprint import content_hash
from crawler.extract import EXTRACTOR_VERSION, extract_article
from crawler.extract.dates import DateOrder, source_order
from crawler.extract.furniture import FURNITURE_MIN_PAGES
from crawler.extract.passages import Passages, strip_passages
from crawler.extract.slots import Positions, article_shape, strip_slots
from crawler.store.articles import VersionText, correct_version, count_date_orders
from crawler.store.db import make_engine, session_scope
from crawler.store.furniture import load_furniture
from crawler.store.pages import StoredPage, iter_stored_pages
from crawler.store.passages import load_passages
from crawler.store.slots import load_slots

BATCH = 100  # versions per write transaction


@dataclass(slots=True)
class ReextractReport:
    examined: int = 0
    corrected: int = 0
    no_page: int = 0  # stored before pages were kept
    no_text: int = 0  # the page yields no text now; the old text stays
    identical: list[tuple[str, int]] = field(default_factory=list)  # (url, version) == version - 1


def reextract(db_url: str, source: str | None = None) -> ReextractReport:
    """Re-extract every stored version (of ``source``, or all) from its kept page."""
    report = ReextractReport()
    reader, writer = make_engine(db_url, write=False), make_engine(db_url)
    knowledge: dict[int, tuple[frozenset[int], Passages, set[int], DateOrder | None]] = {}
    previous: tuple[int, str, bool] | None = (
        None  # (article id, hash, corrected) of the last version
    )
    try:
        with session_scope(reader) as reading:
            for batch in _batches(iter_stored_pages(reading, source), BATCH):
                with session_scope(writer) as session:
                    for page in batch:
                        if page.source_id not in knowledge:
                            knowledge[page.source_id] = (
                                load_furniture(session, page.source_id, FURNITURE_MIN_PAGES),
                                load_passages(session, page.source_id),
                                load_slots(session, page.source_id),
                                source_order(*count_date_orders(session, page.source_id)),
                            )
                        new_hash, corrected = _reextract_one(
                            session, page, *knowledge[page.source_id], report
                        )
                        if (
                            previous is not None
                            and previous[0] == page.article_id
                            and previous[1] == new_hash
                            and (corrected or previous[2])
                        ):
                            report.identical.append((page.url, page.version))
                        previous = (page.article_id, new_hash, corrected)
    finally:
        reader.dispose()
        writer.dispose()
    return report


def _batches(pages: Iterable[StoredPage], size: int) -> Iterator[list[StoredPage]]:
    it = iter(pages)
    while batch := list(islice(it, size)):
        yield batch


def _reextract_one(
    session: Session,
    page: StoredPage,
    furniture: frozenset[int],
    passages: Passages,
    slots: set[int],
    order: DateOrder | None,
    report: ReextractReport,
) -> tuple[str, bool]:
    """Correct one version; its hash afterwards, and whether its text changed."""
    report.examined += 1
    if page.html is None:
        report.no_page += 1
        return page.content_hash, False
    article = extract_article(page.html, url=page.fetch_url, furniture=furniture)
    if not article.text.strip():
        report.no_text += 1
        return page.content_hash, False
    text, _ = strip_passages(article.text, page.url, article.authors, passages)
    text, _ = strip_slots(text, Positions.of_page(*article_shape(article)), slots)
    new_hash = content_hash(article.title, text)
    published, modified = article.dates(order)
    changed = correct_version(
        session,
        page.version_id,
        VersionText(
            title=article.title,
            text=text,
            content_hash=new_hash,
            extractor_version=EXTRACTOR_VERSION,
            authors=article.authors,
            published=published,
            modified=modified,
        ),
    )
    report.corrected += changed
    return new_hash, changed
