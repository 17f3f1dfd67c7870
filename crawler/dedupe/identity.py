"""Which stored article a fetched page is: its key, or an alias of an article already stored.

Run by the store writer on each batch, in the batch's transaction, before it
is recorded. Two checks need the store, so they live here rather than with
the pure URL checks of :func:`crawler.canonical.canonical_refusal`:

- A declared canonical already held by a page fetched from elsewhere whose
  text differs substantially (MinHash similarity under the story threshold,
  :data:`crawler.dedupe.minhash.THRESHOLD`) is refused (``claimed``), as is
  one held by another source's article (``other_source``); the page is then
  keyed by the URL it was fetched from.
- A page with no canonical of its own under an address whose spelling
  (:func:`crawler.canonical.url_key`), alias or cleaned title and text
  (content hash) matches an article of the same source stored under another
  URL is that article: its URL is kept as an alias, and nothing else is
  written.

Pages of the batch count as stored for the pages after them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from crawler.canonical import url_key
from crawler.dedupe.minhash import THRESHOLD, signature, similarity
from crawler.store import aliases as store
from crawler.store.articles import FetchRecord


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched article page of a batch: its record, text signature and whether a revisit."""

    record: FetchRecord
    signature: bytes
    revisit: bool = False


@dataclass
class Identities:
    """A batch resolved: records to write (None for an alias), aliases, and counts."""

    records: list[FetchRecord | None]
    aliases: dict[str, str]  # alias URL → the article URL it is another address of
    counts: Counter[str]
    # Article URL → the URL to move it to, before the records are written (see resolve).
    moves: dict[str, str] = field(default_factory=dict)


def resolve(session: Session, source_id: int, pages: list[Page]) -> Identities:
    """Key each page of a batch; see the module docstring."""
    recs = [p.record for p in pages if not p.revisit]  # a revisit's key is settled
    held = store.by_url(session, {u for r in recs for u in (r.url, r.fetch_url)})
    aliased = store.by_alias(session, source_id, {r.fetch_url for r in recs})
    keyed = store.by_url_key(session, source_id, {url_key(r.fetch_url) for r in recs})
    same_text = store.by_content(session, source_id, {r.content_hash for r in recs})
    out = Identities([], {}, Counter())
    for page in pages:
        rec = page.record
        if not page.revisit and rec.url != rec.fetch_url:
            reason = _claim_refusal(held.get(rec.url), rec, page.signature, source_id)
            if reason is not None:
                out.counts[f"canonical_ignored/{reason}"] += 1
                rec = replace(
                    rec,
                    url=rec.fetch_url,
                    url_key=url_key(rec.fetch_url),
                    declared_canonical=None if reason == "claimed" else rec.declared_canonical,
                )
        elif (
            not page.revisit
            and _claim_refusal(held.get(rec.url), rec, page.signature, source_id) == "claimed"
        ):
            # The article at this page's own URL was keyed there by a page naming it, with
            # other text, in an earlier batch: that article moves to its own fetch URL.
            claimant = held.pop(rec.url)
            out.moves[rec.url] = claimant.fetch_url
            out.counts["canonical_ignored/claimed"] += 1
            held[claimant.fetch_url] = replace(claimant, url=claimant.fetch_url)
        if not page.revisit and rec.url == rec.fetch_url and rec.url not in held:
            twin = (
                aliased.get(rec.url)
                or keyed.get(url_key(rec.url))
                or same_text.get(rec.content_hash)
            )
            if twin is not None and twin.url != rec.url:
                out.records.append(None)
                out.aliases[rec.url] = twin.url
                continue
        out.records.append(rec)
        mine = store.Holder(rec.url, source_id, rec.fetch_url, rec.text)
        held.setdefault(rec.url, mine)
        keyed.setdefault(url_key(rec.url), mine)
        same_text.setdefault(rec.content_hash, mine)
    return out


def _claim_refusal(
    holder: store.Holder | None, rec: FetchRecord, sig: bytes, source_id: int
) -> str | None:
    """Why ``rec`` may not be keyed by its canonical ``rec.url`` held by ``holder``, or None."""
    if holder is None:
        return None
    if holder.source_id != source_id:
        return "other_source"
    if holder.fetch_url == rec.fetch_url or not holder.text.strip():
        return None
    return "claimed" if similarity(sig, signature(holder.text)) < THRESHOLD else None
