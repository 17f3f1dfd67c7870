"""The store writer: one process per crawl process that writes its crawls' batches, in order.

Writing a batch (recording fetches, placing stories in clusters, counting
furniture lines, teasers, bios and template slots) is CPU work in SQLAlchemy:
on the reactor's process it took a quarter of that process's time, on its
thread or another, since a thread shares the GIL. The store pipeline hands
each batch to this process instead (a one-process pool started with
:func:`open_writer`) and counts what :func:`write_batch` returns. Being one process, batches are written one at a
time, as the store's lock order wants. The crawls of a batch of sources share
it, each source with a :class:`Writer` of its own in it: a writer process per
crawl held four at once in each child, the largest part of a daemon's memory
in its first cycle.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from crawler.canonical import canonical_url, url_key
from crawler.dedupe import identity
from crawler.dedupe.clusters import record_articles
from crawler.dedupe.fingerprint import content_hash
from crawler.extract import EXTRACTOR_VERSION
from crawler.extract.dates import DateOrder, DateReadings, source_order
from crawler.extract.furniture import FURNITURE_MIN_PAGES, strip_furniture
from crawler.extract.passages import (
    Key,
    ParagraphKeys,
    Passages,
    is_known,
    learn,
    passage_drops,
    strip_passages,
    text_keys,
)
from crawler.extract.slots import Positions, Seen, adds_only_around, observe, strip_slots
from crawler.items import FetchedPage, Gone, NotModified
from crawler.store import aliases
from crawler.store import articles as store
from crawler.store.clusters import lock_clusters
from crawler.store.db import SQLITE_BUSY_TIMEOUT_S, make_engine, session_scope
from crawler.store.furniture import count_lines, forget_rare, load_furniture
from crawler.store.passages import count_passages, load_passages
from crawler.store.retry import FaultRetry, is_fault, one_line
from crawler.store.slots import count_slots, load_slots

Item = FetchedPage | NotModified | Gone
DateReading = tuple[datetime | None, datetime | None]  # (published, modified)
# An article whose page could not order an ambiguous date: its dates in each order, and
# as the page read them (the ambiguous one unread).
Undecided = tuple[DateReadings, DateReading]
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


@dataclass(frozen=True, slots=True)
class _WrittenArticle:
    """An article this crawl wrote: what tells, at its end, whether new knowledge touches it."""

    authors: tuple[str, ...]
    keys: tuple[ParagraphKeys, ...]  # of the text its current version holds
    versioned: bool  # this crawl gave it a version
    where: Positions  # where its page's paragraphs sat: template slots

    def seen(self) -> list[Seen]:
        """What its page teaches about its paths (:func:`crawler.extract.slots.observe`)."""
        return observe(self.where, {k.line for k in self.keys})


@dataclass
class _Learning:
    """What a batch teaches this writer; applied only once the batch's transaction commits."""

    written: dict[str, _WrittenArticle] = field(default_factory=dict)
    lines: frozenset[int] = frozenset()  # furniture
    passages: list[Key] = field(default_factory=list)  # known now (see is_known)
    date_orders: tuple[int, int] | None = None  # the source's counts, after the batch
    undecided: dict[str, Undecided] = field(default_factory=dict)
    slots: dict[int, bool] = field(default_factory=dict)  # path -> whether a slot now


@dataclass
class Writer:
    """A crawl's connection to the store, and the articles it wrote.

    Lines that become furniture during the crawl (see :mod:`crawler.store.furniture`),
    the leads, titles and bios its articles teach (:mod:`crawler.store.passages`)
    and the template slots their element paths show (:mod:`crawler.store.slots`),
    are learnt as they are written: from then on this writer strips them from
    each page before storing it, so that only what was stored before they were
    learnt needs correcting when the crawl ends. A page of an article stored
    before is compared with that article's last version cleaned with today's
    knowledge, so learning never makes a version.
    """

    engine: Engine
    source_id: int
    # The source's furniture before this crawl counted a line; None: read in the first
    # transaction (a crawl that writes nothing never reads it).
    furniture_at_open: frozenset[int] | None
    retry: FaultRetry
    # Read in the first batch's transaction (so a fault then is retried like any write).
    passages: Passages | None = None
    slots: set[int] = field(default_factory=set)
    learnt: frozenset[int] = frozenset()
    written: dict[str, _WrittenArticle] = field(default_factory=dict)  # by canonical URL
    # How many of the source's articles showed day-first and month-first dates (read in the
    # first batch), and the articles written whose page could not tell an ambiguous date's
    # order: their dates read in each order and unordered, settled by the source's at the
    # crawl's end.
    date_orders: tuple[int, int] | None = None
    undecided: dict[str, Undecided] = field(default_factory=dict)  # by canonical URL

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
        outcomes: Counter[str] = Counter()
        learning = _Learning()
        with session_scope(self.engine) as session:
            self._read_furniture(session)
            if fetched:
                lock_clusters(session)  # first, before any row lock: one lock order for all
                outcomes += self._record_pages(session, fetched, learning)
            not_modified = [item for item in batch if isinstance(item, NotModified)]
            store.touch_many(
                session,
                [store.Touch(i.url, i.fetched_at, i.etag, i.last_modified) for i in not_modified],
                self.source_id,
            )
            outcomes["not_modified"] += len(not_modified)
            for item in batch:
                if isinstance(item, Gone):
                    gone = store.mark_gone(session, item.url, item.fetched_at, self.source_id)
                    outcomes["gone" if gone else "already_gone"] += 1
        self.written.update(learning.written)
        self.learnt |= learning.lines
        self.date_orders = learning.date_orders or self.date_orders
        self.undecided.update(learning.undecided)
        for key in learning.passages:
            assert self.passages is not None  # learning comes from written pages
            self.passages.add(*key)
        for path, slot in learning.slots.items():
            (self.slots.add if slot else self.slots.discard)(path)
        return +outcomes

    def _record_pages(
        self, session: Any, items: list[FetchedPage], learning: _Learning
    ) -> Counter[str]:
        """Record ``items`` cleaned with what is known; what they teach goes in ``learning``."""
        counts: Counter[str] = Counter()
        if self.passages is None:
            self.passages = load_passages(session, self.source_id)
            self.slots = load_slots(session, self.source_id)
        if self.date_orders is None:
            self.date_orders = store.count_date_orders(session, self.source_id)
        # The batch's own pages show the site's order too, whether or not the batch commits.
        day, month = self.date_orders
        shown = Counter(item.article.date_order for item in items if item.article)
        order = source_order(day + shown["DMY"], month + shown["MDY"])
        # A batch's leads and titles are known before any of its pages is cleaned (true of
        # the site whether or not the batch commits).
        for item in items:
            assert item.article is not None
            assert item.url
            article = item.article
            for kind, passage, owner in learn(item.url, article.title, _lines(article.text), ()):
                self.passages.add(kind, passage, owner)
        stored = {
            c.url: c for c in store.current_versions(session, [i.url for i in items if i.url])
        }
        corrections: dict[int, store.VersionText] = {}
        candidates: list[identity.Page] = []
        cleaned: list[str] = []
        places: list[Positions] = []
        for item in items:
            article = item.article
            assert article is not None
            assert item.url
            assert item.content_hash
            assert item.signature is not None
            assert item.positions is not None
            where = item.positions
            text, stripped = self._clean(
                item.url, article.text, article.authors, self.learnt, where
            )
            counts += stripped
            digest = content_hash(article.title, text) if stripped else item.content_hash
            if (current := stored.get(item.url)) is not None:
                now = current.title, current.text
                if (fix := self._recleaned(current, digest, where)) is not None:
                    corrections[current.version_id], fixed = fix
                    counts += fixed
                    now = fix[0].title, fix[0].text
                if now[0] == article.title and adds_only_around(now[1], text, where):
                    text, digest = now[1], content_hash(*now)  # the story did not change
                    counts["lines_around_ignored"] += 1
            cleaned.append(text)
            places.append(where)
            candidates.append(
                identity.Page(
                    self._record(item, text, digest, order),
                    item.signature,
                    revisit=item.known_url is not None,
                )
            )
        store.correct_versions(session, corrections)
        resolved = identity.resolve(session, self.source_id, candidates)
        for url, to in resolved.moves.items():
            aliases.move_article(session, self.source_id, url, to, url_key(to))
        kept = [
            (item, text, record, page.signature, where)
            for item, text, record, page, where in zip(
                items, cleaned, resolved.records, candidates, places, strict=True
            )
            if record is not None
        ]
        outcomes = record_articles(
            session, self.source_id, [(record, sig) for _, _, record, sig, _ in kept]
        )
        aliases.add_aliases(session, resolved.aliases, max(i.fetched_at for i in items))
        counts.update(o.value for o in outcomes)
        counts["aliases"] += len(resolved.aliases)
        counts.update(resolved.counts)
        for (item, text, record, _, where), outcome in zip(kept, outcomes, strict=True):
            assert item.article
            versioned = outcome in (store.Outcome.NEW, store.Outcome.CHANGED)
            if (before := self.written.get(record.url)) is not None:
                versioned |= before.versioned
            learning.written[record.url] = _WrittenArticle(
                tuple(item.article.authors), text_keys(text), versioned, where
            )
            if item.article.dates_if_order:
                learning.undecided[record.url] = (
                    item.article.dates_if_order,
                    item.article.dates(None),
                )
                # a stored version's dates read in the source's order (a revisit's are not)
                counts["dates_ordered_by_source"] += order is not None and outcome in (
                    store.Outcome.NEW,
                    store.Outcome.CHANGED,
                )
        self._learn(session, [(item, record) for item, _, record, *_ in kept], outcomes, learning)
        return +counts

    def _learn(
        self,
        session: Any,
        items: list[tuple[FetchedPage, store.FetchRecord]],
        outcomes: list[store.Outcome],
        learning: _Learning,
    ) -> None:
        """Count what the batch teaches; the lines, bios and slots that crossed their
        threshold (and the slots a page vetoed) go in ``learning``.

        A new article counts its lines (furniture), its bio candidates and its
        paths (slots), once: a new version of it counted again would make its
        own paragraphs look like its author's on several articles. Every new
        version adds its lead and title. What a page teaches is keyed by the
        URL its article is stored under (``record.url``), which identity may
        have made its fetch URL rather than its declared canonical.
        """
        if not items:
            return
        when = max(item.fetched_at for item, _ in items)
        new = [pair for pair, o in zip(items, outcomes, strict=True) if o is store.Outcome.NEW]
        shown = Counter(item.article.date_order for item, _ in new if item.article)
        learning.date_orders = store.count_date_orders(
            session, self.source_id, shown["DMY"], shown["MDY"]
        )
        lines = count_lines(session, self.source_id, [item.line_hashes for item, _ in new], when)
        learning.lines = (
            frozenset(line for line, pages in lines.items() if pages >= FURNITURE_MIN_PAGES)
            - self.at_open
        )
        taught = [
            key
            for (item, record), o in zip(items, outcomes, strict=True)
            if o is not store.Outcome.UNCHANGED and item.article
            for key in learn(
                record.url,
                item.article.title,
                _lines(item.article.text),
                item.article.authors if o is store.Outcome.NEW else (),
            )
        ]
        counted = count_passages(session, self.source_id, taught, when)
        learning.passages = [key for key, n in counted.items() if is_known(key[0], n)]
        seen = [path for _, record in new for path in learning.written[record.url].seen()]
        learning.slots = count_slots(session, self.source_id, seen, when)

    def _record(
        self, item: FetchedPage, text: str, digest: str, order: DateOrder | None
    ) -> store.FetchRecord:
        """What to store of ``item``; an ambiguous date its page left unread, in ``order``."""
        article = item.article
        assert article is not None
        assert item.url
        published, modified = article.dates(order)
        return store.FetchRecord(
            url=item.url,
            fetch_url=item.fetch_url,
            title=article.title,
            text=text,
            content_hash=digest,
            fetched_at=item.fetched_at,
            authors=article.authors,
            published=published,
            modified=modified,
            etag=item.etag,
            last_modified=item.last_modified,
            page=item.page,
            http_status=item.http_status,
            http_headers=item.http_headers,
            extractor_version=EXTRACTOR_VERSION,
            declared_canonical=_story_canonical(item),
            url_key=url_key(item.url),
        )

    def _clean(
        self,
        url: str,
        text: str,
        authors: Iterable[str],
        furniture: frozenset[int],
        where: Positions,
    ) -> tuple[str, Counter[str]]:
        """``text`` without ``furniture`` lines, the known passages and the paragraphs in
        the source's slots (by ``where`` they sat on the page), and what went.

        Counts ``furniture_stripped`` once per text, and each passage kind per
        paragraph (``teaser_paragraphs_stripped``, ``bio_paragraphs_stripped``,
        ``slot_paragraphs_stripped``). Text that would be left empty is kept whole.
        """
        counts: Counter[str] = Counter()
        if furniture:
            clean = strip_furniture(text, furniture)
            if clean != text and clean.strip():
                text = clean
                counts["furniture_stripped"] = 1
        text, removed = strip_passages(text, url, authors, self.passages or Passages())
        counts.update({f"{kind}_paragraphs_stripped": n for kind, n in removed.items()})
        if self.slots:
            text, counts["slot_paragraphs_stripped"] = strip_slots(text, where, self.slots)
        return text, +counts

    def _recleaned(
        self, current: store.CurrentVersion, digest: str, where: Positions
    ) -> tuple[store.VersionText, Counter[str]] | None:
        """The article's last version cleaned with today's knowledge, if that changes it.

        Only when the new page's hash ``digest`` differs from the stored one:
        then the stored text is what cleaning has learnt since, not an edit.
        Its paragraphs' places are those of the same paragraphs on the new page
        (``where``): a stored paragraph the page no longer holds is kept.
        """
        if content_hash(current.title, current.text) == digest:
            return None
        furniture = self.at_open | self.learnt
        text, stripped = self._clean(current.url, current.text, current.authors, furniture, where)
        if not stripped:
            return None
        return _corrected(current, text), stripped

    @property
    def at_open(self) -> frozenset[int]:
        """:attr:`furniture_at_open`, once read."""
        assert self.furniture_at_open is not None, "read in the first transaction"
        return self.furniture_at_open

    def _read_furniture(self, session: Any) -> frozenset[int]:
        """:attr:`furniture_at_open`, read in ``session`` the first time (before any line is counted)."""
        if self.furniture_at_open is None:
            self.furniture_at_open = load_furniture(session, self.source_id, FURNITURE_MIN_PAGES)
        return self.furniture_at_open

    def strip_learnt(self) -> Counter[str]:
        """:meth:`_strip_learnt`, a database fault retried (see :class:`FaultRetry`)."""
        return self.retry.run(self._strip_learnt)

    def _strip_learnt(self) -> Counter[str]:
        """Take what this crawl learnt (furniture lines, teasers, bios, slots) out of what it wrote.

        Only the cleaning changes, not the publisher's text, so each version is
        corrected in place. A version this crawl added that becomes identical to
        its predecessor (the "edit" was a teaser of a story first stored later
        in the crawl) was never an edit: it is folded into its predecessor
        (:func:`crawler.store.articles.fold_into_previous`) and counted as
        ``noise_versions_folded``, and its fetch moves from ``changed`` to
        ``unchanged`` in the run's counts. An older one is counted, not removed.
        """
        with session_scope(self.engine) as session:
            new = load_furniture(session, self.source_id, FURNITURE_MIN_PAGES)
            new -= self._read_furniture(session)
            forget_rare(session, self.source_id, datetime.now(UTC))
            self.passages = load_passages(session, self.source_id)  # with other crawls' too
            self.slots = load_slots(session, self.source_id)
            urls = sorted(
                url
                for url, written in self.written.items()
                if any(k.line in new for k in written.keys)
                or passage_drops(written.keys, url, written.authors, self.passages)
                or written.where.any_in_slot((k.line for k in written.keys), self.slots)
            )
            counts: Counter[str] = Counter()
            for start in range(0, len(urls), store.URL_CHUNK):  # a chunk in memory at a time
                currents = store.current_versions(session, urls[start : start + store.URL_CHUNK])
                corrections: dict[int, store.VersionText] = {}
                noise: list[int] = []
                for current in currents:
                    text, stripped = self._clean(
                        current.url,
                        current.text,
                        current.authors,
                        new,
                        self.written[current.url].where,
                    )
                    if not stripped:
                        continue
                    corrections[current.version_id] = fixed = _corrected(current, text)
                    counts += stripped
                    if fixed.content_hash != current.previous_hash:
                        continue
                    if self.written[current.url].versioned:
                        noise.append(current.version_id)
                    else:
                        counts["furniture_identical"] += 1
                store.correct_versions(session, corrections)
                counts["noise_versions_folded"] += store.fold_into_previous(session, noise)
            counts += self._settle_dates(session)
        if new:
            counts["furniture_learnt"] = len(new)
        counts = +counts
        if folded := counts["noise_versions_folded"]:  # their fetches changed nothing after all
            counts["changed"] -= folded
            counts["unchanged"] += folded
        return counts

    def _settle_dates(self, session: Any) -> Counter[str]:
        """Read the dates this crawl's pages could not order in the order its source shows now.

        For the pages written before the crawl had seen enough of the source: each
        current version holding another reading is corrected in place and counted
        ``dates_ordered_by_source``. When the source shows no order any more (its
        first pages showed one, later ones the other: US and UK sections), a date
        stored in the order it seemed to show is unread again, as its page left
        it, and counted ``dates_order_undone``: no date rather than a wrong one.
        """
        order = source_order(*store.count_date_orders(session, self.source_id))
        if not self.undecided:
            return Counter()
        fixes = {
            current.version_id: readings
            for current in store.current_versions(session, sorted(self.undecided))
            if (readings := _settled(self.undecided[current.url], order))
            != (current.published, current.modified)
        }
        store.set_dates(session, fixes)
        return Counter({"dates_ordered_by_source" if order else "dates_order_undone": len(fixes)})


def _settled(undecided: Undecided, order: DateOrder | None) -> DateReading:
    """An undecided page's dates in the source's ``order``, or as the page read them."""
    readings, unordered = undecided
    return readings[order] if order else unordered


def _story_canonical(item: FetchedPage) -> str | None:
    """The page's declared canonical, unless the crawl found it names no story (the site
    root, a listing): kept with the article for story clusters and syndicated copies."""
    declared = item.article.canonical if item.article else None
    if not declared or item.canonical_refused in ("site_root", "listing"):
        return None
    return canonical_url(declared, item.fetch_url)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _corrected(current: store.CurrentVersion, text: str) -> store.VersionText:
    """``current`` with its text cleaned to ``text``, in place, by this extractor."""
    return store.VersionText(
        title=current.title,
        text=text,
        content_hash=content_hash(current.title, text),
        extractor_version=EXTRACTOR_VERSION,
        authors=current.authors,
        published=current.published,
        modified=current.modified,
    )


@dataclass
class _Store:
    """This process's connection to the store, and a :class:`Writer` per source being crawled."""

    engine: Engine
    retry_s: float
    writers: dict[int, Writer] = field(default_factory=dict)  # by source id

    def writer(self, source_id: int) -> Writer:
        """``source_id``'s writer, made with its crawl's first batch."""
        writer = self.writers.get(source_id)
        if writer is None:
            retry = FaultRetry(self.retry_s)
            writer = self.writers[source_id] = Writer(self.engine, source_id, None, retry)
        return writer


_store: _Store | None = None  # this process's: set by open_writer, the pool's initializer


def open_writer(db_url: str, retry_s: float) -> None:
    """Pool initializer: connect this process to the store, for the crawls of the process that started it.

    Each source's furniture is read in its first batch's transaction.

    Database faults are retried for ``retry_s`` seconds per outage, SQLite's
    own wait for a lock included (its busy timeout is capped to that).
    """
    global _store  # one store connection per process is the point
    engine = make_engine(db_url, busy_timeout_s=min(SQLITE_BUSY_TIMEOUT_S, retry_s))
    _store = _Store(engine, retry_s)


def write_batch(source_id: int, items: list[Item]) -> Written:
    """Write one batch of ``source_id``'s crawl (see :meth:`Writer.write`) and return its outcomes."""
    assert _store is not None, "open_writer first"
    return _store.writer(source_id).write(items)


def finish(source_id: int) -> Counter[str]:
    """``source_id``'s crawl is over: strip what it learnt (:meth:`Writer.strip_learnt`) and
    forget its writer; the last one disconnects (a crawl to come connects again).

    Raises ``LookupError`` when this process never wrote for ``source_id`` (the
    writer process that did died, and this one replaced it): what it learnt is lost.
    """
    assert _store is not None, "open_writer first"
    writer = _store.writers.pop(source_id, None)
    try:
        if writer is None:
            raise LookupError(f"source {source_id}'s writer died with its process")
        return writer.strip_learnt()
    finally:
        if not _store.writers:
            _store.engine.dispose()
