"""The store writer: one process per crawl that writes its batches, in order.

Writing a batch (recording fetches, placing stories in clusters, counting
furniture lines) is CPU work in SQLAlchemy: on the reactor's process it took
a quarter of that process's time, on its thread or another, since a thread
shares the GIL. The store pipeline hands each batch to this process instead
(a one-process pool started with :func:`open_writer`) and counts what
:func:`write_batch` returns. Being one process, batches are written one at a
time, as the store's lock order wants.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from crawler.canonical import canonical_url, url_key
from crawler.dedupe import identity
from crawler.dedupe.clusters import record_articles
from crawler.dedupe.fingerprint import content_hash
from crawler.extract import EXTRACTOR_VERSION
from crawler.extract.furniture import FURNITURE_MIN_PAGES, strip_furniture
from crawler.items import FetchedPage, Gone, NotModified
from crawler.store import aliases
from crawler.store import articles as store
from crawler.store.clusters import lock_clusters
from crawler.store.db import SQLITE_BUSY_TIMEOUT_S, make_engine, session_scope
from crawler.store.furniture import count_lines, forget_rare_lines, load_furniture
from crawler.store.retry import FaultRetry, is_fault, one_line

Item = FetchedPage | NotModified | Gone
logger = logging.getLogger(__name__)


@dataclass
class Written:
    """What writing some items did: outcome counts, and one line per item not stored.

    An item not stored counts as ``lost`` and ``errors/store``; its line (the
    run's errors) names its URL and the database's reason.
    """

    counts: Counter[str]
    failures: list[str] = field(default_factory=list)

    @classmethod
    def lost_all(cls, items: list[Item], exc: BaseException) -> Written:
        """``items``, none of them stored, because of ``exc``."""
        reason = one_line(exc)
        urls = [i.url or (i.fetch_url if isinstance(i, FetchedPage) else "?") for i in items]
        logger.error("could not store %d items (%s): %s", len(urls), ", ".join(urls), reason)
        counts = Counter({"lost": len(urls), "errors/store": len(urls)})
        return cls(counts, [f"store: {url}: {reason}" for url in urls])

    def add(self, other: Written) -> None:
        self.counts += other.counts
        self.failures += other.failures


@dataclass
class Writer:
    """A crawl's connection to the store, and the articles it gave a version.

    Lines that become furniture during the crawl (see :mod:`crawler.store.furniture`)
    are learnt as their counts are written: from then on this writer strips them
    from each page before storing it, so that only the versions stored before a
    line was learnt need correcting when the crawl ends.
    """

    engine: Engine
    source_id: int
    furniture_at_open: frozenset[int]
    retry: FaultRetry
    learnt: frozenset[int] = frozenset()
    # Each article given a version, with how many lines had been learnt when it was.
    stored_urls: dict[str, int] = field(default_factory=dict)

    def write(self, items: list[Item]) -> Written:
        """Write ``items`` in one transaction: fetched pages, then 304s, then gone pages.

        A database fault is retried (see :class:`~crawler.store.retry.FaultRetry`);
        one that outlasts the retry budget gives the items up. Any other failure
        (an item the database refuses) has the items written one by one, each in
        its own transaction, so that every good one is stored. Returns how many
        of each outcome, once committed, and one line per item not stored.
        """
        # By URL; a page fetched at its own URL before pages naming it as their canonical.
        batch = sorted(
            items,
            key=lambda item: (item.url or "", getattr(item, "fetch_url", item.url) != item.url),
        )
        try:
            return Written(self.retry.run(lambda: self._transaction(batch)))
        except Exception as exc:
            if is_fault(exc) or len(batch) == 1:  # the database is away: no item would do
                return Written.lost_all(batch, exc)
            logger.warning(
                "a batch of %d failed, writing it item by item: %s", len(batch), one_line(exc)
            )
        written = Written(Counter())
        for n, item in enumerate(batch):
            try:
                written.add(Written(self.retry.run(lambda item=item: self._transaction([item]))))
            except Exception as exc:
                if is_fault(exc):
                    written.add(Written.lost_all(batch[n:], exc))
                    break
                written.add(Written.lost_all([item], exc))
        return written

    def _transaction(self, batch: list[Item]) -> Counter[str]:
        """Write ``batch`` in one transaction; this writer's state moves only once it commits."""
        fetched = [item for item in batch if isinstance(item, FetchedPage)]
        outcomes: list[str] = []
        learnt: frozenset[int] = frozenset()
        stored: dict[str, int] = {}
        with session_scope(self.engine) as session:
            if fetched:
                lock_clusters(session)  # first, before any row lock: one lock order for all
                page_outcomes, stored, learnt = self._record_pages(session, fetched)
                outcomes += page_outcomes
            not_modified = [item for item in batch if isinstance(item, NotModified)]
            store.touch_many(
                session,
                [store.Touch(i.url, i.fetched_at, i.etag, i.last_modified) for i in not_modified],
                self.source_id,
            )
            outcomes += ["not_modified"] * len(not_modified)
            for item in batch:
                if isinstance(item, Gone):
                    gone = store.mark_gone(session, item.url, item.fetched_at, self.source_id)
                    outcomes.append("gone" if gone else "already_gone")
        self.stored_urls.update(stored)
        self.learnt |= learnt
        return Counter(outcomes)

    def _record_pages(
        self, session: Any, items: list[FetchedPage]
    ) -> tuple[list[str], dict[str, int], frozenset[int]]:
        """Record ``items``: their outcomes, the URLs given a version, and the lines learnt."""
        candidates = []
        stripped = 0
        for item in items:
            article = item.article
            assert article is not None
            assert item.url
            assert item.content_hash
            assert item.signature is not None
            text, digest = article.text, item.content_hash
            if (clean := _without(article.title, text, self.learnt)) is not None:
                text, digest = clean
                stripped += 1
            record = store.FetchRecord(
                url=item.url,
                fetch_url=item.fetch_url,
                title=article.title,
                text=text,
                content_hash=digest,
                fetched_at=item.fetched_at,
                authors=article.authors,
                published=article.published,
                modified=article.modified,
                etag=item.etag,
                last_modified=item.last_modified,
                page=item.page,
                http_status=item.http_status,
                http_headers=item.http_headers,
                extractor_version=EXTRACTOR_VERSION,
                declared_canonical=_story_canonical(item),
                url_key=url_key(item.url),
            )
            candidates.append(
                identity.Page(record, item.signature, revisit=item.known_url is not None)
            )
        resolved = identity.resolve(session, self.source_id, candidates)
        for url, to in resolved.moves.items():
            aliases.move_article(session, self.source_id, url, to, url_key(to))
        kept = [
            (item, (rec, page.signature))
            for item, rec, page in zip(items, resolved.records, candidates, strict=True)
            if rec is not None
        ]
        written = record_articles(session, self.source_id, [pair for _, pair in kept])
        outcomes = list(zip([item for item, _ in kept], written, strict=True))
        aliases.add_aliases(session, resolved.aliases, max(i.fetched_at for i in items))
        generation = len(self.learnt)
        stored = {
            item.url: generation
            for item, o in outcomes
            if item.url and o in (store.Outcome.NEW, store.Outcome.CHANGED)
        }
        new_pages = [item.line_hashes for item, o in outcomes if o is store.Outcome.NEW]
        counts = count_lines(session, self.source_id, new_pages, max(i.fetched_at for i in items))
        learnt = (
            frozenset(line for line, pages in counts.items() if pages >= FURNITURE_MIN_PAGES)
            - self.furniture_at_open
        )
        page_outcomes = (
            [o.value for _, o in outcomes]
            + ["aliases"] * len(resolved.aliases)
            + list(resolved.counts.elements())
            + ["furniture_stripped"] * stripped
        )
        return page_outcomes, stored, learnt

    def strip_new_furniture(self) -> Counter[str]:
        """Take lines that became furniture during this crawl out of what it stored.

        Only the cleaning changes, not the publisher's text, so each version is
        corrected in place. One that becomes identical to its predecessor (the
        "edit" was a furniture line) is counted, not removed.
        """
        return self.retry.run(self._strip_new_furniture)

    def _strip_new_furniture(self) -> Counter[str]:
        with session_scope(self.engine) as session:
            new = load_furniture(session, self.source_id, FURNITURE_MIN_PAGES)
            new -= self.furniture_at_open
            forget_rare_lines(session, self.source_id, datetime.now(UTC))
            if not new or not self.stored_urls:
                return Counter()
            # Versions stored with every line learnt are clean already; a line learnt
            # elsewhere (another crawl of the source) sends all of them to be checked.
            final = len(self.learnt) if new <= self.learnt else len(self.learnt) + 1
            urls = sorted(url for url, seen in self.stored_urls.items() if seen < final)
            stripped = identical = 0
            for start in range(0, len(urls), store.URL_CHUNK):  # a chunk in memory at a time
                currents = store.current_versions(session, urls[start : start + store.URL_CHUNK])
                corrections, same = _corrections(currents, new)
                store.correct_versions(session, corrections)
                stripped, identical = stripped + len(corrections), identical + same
        counts = Counter({"furniture_learnt": len(new), "furniture_stripped": stripped})
        if identical:
            counts["furniture_identical"] = identical
        return counts


def _story_canonical(item: FetchedPage) -> str | None:
    """The page's declared canonical, unless the crawl found it names no story (the site
    root, a listing): kept with the article for story clusters and syndicated copies."""
    declared = item.article.canonical if item.article else None
    if not declared or item.canonical_refused in ("site_root", "listing"):
        return None
    return canonical_url(declared, item.fetch_url)


def _without(title: str, text: str, furniture: frozenset[int]) -> tuple[str, str] | None:
    """``text`` without ``furniture`` lines, and its content hash; None if that changes
    nothing or leaves nothing."""
    if not furniture:
        return None
    clean = strip_furniture(text, furniture)
    if clean == text or not clean.strip():
        return None
    return clean, content_hash(title, clean)


def _corrections(
    currents: list[store.CurrentVersion], furniture: frozenset[int]
) -> tuple[dict[int, store.VersionText], int]:
    """The versions that change without ``furniture``, by id, and how many then equal their
    predecessor."""
    corrections: dict[int, store.VersionText] = {}
    identical = 0
    for current in currents:
        if (clean := _without(current.title, current.text, furniture)) is None:
            continue
        text, new_hash = clean
        corrections[current.version_id] = store.VersionText(
            title=current.title,
            text=text,
            content_hash=new_hash,
            extractor_version=EXTRACTOR_VERSION,
            authors=current.authors,
            published=current.published,
            modified=current.modified,
        )
        identical += new_hash == current.previous_hash
    return corrections, identical


_writer: Writer | None = None  # this process's: set by open_writer, the pool's initializer


def open_writer(
    db_url: str, source_id: int, furniture_at_open: frozenset[int], retry_s: float
) -> None:
    """Pool initializer: connect this process to the store for one source's crawl.

    Database faults are retried for ``retry_s`` seconds per outage, SQLite's
    own wait for a lock included (its busy timeout is capped to that).
    """
    global _writer  # one writer per process is the point
    engine = make_engine(db_url, busy_timeout_s=min(SQLITE_BUSY_TIMEOUT_S, retry_s))
    _writer = Writer(engine, source_id, furniture_at_open, FaultRetry(retry_s))


def write_batch(items: list[Item]) -> Written:
    """Write one batch (see :meth:`Writer.write`) and return its outcomes."""
    assert _writer is not None, "open_writer first"
    return _writer.write(items)


def finish() -> Counter[str]:
    """Strip furniture learnt during the crawl (:meth:`Writer.strip_new_furniture`); disconnect."""
    assert _writer is not None, "open_writer first"
    try:
        return _writer.strip_new_furniture()
    finally:
        _writer.engine.dispose()
