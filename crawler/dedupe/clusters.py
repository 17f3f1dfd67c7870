"""Put each stored article in its story's cluster: join the closest representative, or found one.

Called (through :func:`record_articles`) for every new article and every new
version, inside the store transaction that wrote them, after
:func:`crawler.store.clusters.lock_clusters`. A new version stays in its
cluster while it is still close to the cluster's representative; otherwise
it is placed afresh. Comparing with the representative only, never with any
member, keeps clusters from chaining: A≈B and B≈C do not put C with A unless
C is close to A's cluster itself.

A batch is placed with a fixed number of queries (the articles' clusters, the
clusters sharing a band with any of them, the keys already taken), then in
memory, one article after another, so an article can join a cluster founded
earlier in the same batch; the results are written in bulk.

Pages that declare the same canonical URL are one story whatever their text
(a syndicated copy naming its original): an article whose declared canonical
is another article's URL, or another article's declared canonical, joins
that article's cluster first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from crawler.dedupe.minhash import THRESHOLD, band_keys, similarity
from crawler.store import clusters as store
from crawler.store.articles import FetchRecord, Outcome, record_fetches

# Clusters compared per assignment, those sharing most bands first: the cost
# of one assignment stays bounded however large the store grows.
MAX_CANDIDATES = 20


def closest(signature: bytes, candidates: Sequence[store.ClusterSignature]) -> str | None:
    """The key of the candidate most similar to ``signature``, if any reaches THRESHOLD."""
    best, best_score = None, THRESHOLD
    for candidate in candidates:
        score = similarity(signature, candidate.signature)
        if score >= best_score:
            best, best_score = candidate.key, score
    return best


@dataclass(frozen=True, slots=True)
class Placement:
    """An article that got a new version, to be placed: its id, signature and founder key."""

    article_id: int
    signature: bytes
    founder_key: str
    at: datetime
    canonical: str | None = None  # the declared canonical: the same one is the same story


@dataclass
class BandIndex:
    """Which clusters hold each band key: the store's, plus those founded in this batch."""

    members: dict[int, list[int]]
    signatures: dict[int, store.ClusterSignature]
    founded: list[store.NewCluster] = field(default_factory=list)
    _keyed: dict[str, store.ClusterSignature] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._keyed.update({sig.key: sig for sig in self.signatures.values()})

    def by_key(self, key: str) -> store.ClusterSignature:
        return self._keyed[key]

    def candidates(self, keys: Sequence[int]) -> list[store.ClusterSignature]:
        """The clusters sharing most band keys with ``keys`` (then oldest), at most MAX_CANDIDATES."""
        shared = Counter(cid for k in set(keys) for cid in self.members.get(k, ()))
        best = sorted(shared, key=lambda cid: (-shared[cid], cid))[:MAX_CANDIDATES]
        return [self.signatures[cid] for cid in best]

    def found(self, new: store.NewCluster) -> None:
        """Index a cluster founded in this batch under an id after every stored one."""
        cid = max(self.signatures, default=0) + 1
        self.signatures[cid] = store.ClusterSignature(new.key, new.signature)
        self._keyed[new.key] = self.signatures[cid]
        for k in new.band_keys:
            self.members.setdefault(k, []).append(cid)
        self.founded.append(new)


def assign_clusters(session: Session, placements: Sequence[Placement]) -> list[str]:
    """The cluster key of each placed article, in order; stored on the articles."""
    current = store.article_clusters(session, [p.article_id for p in placements])
    keys = {p.article_id: band_keys(p.signature) for p in placements}
    members = store.band_members(session, sorted({k for ks in keys.values() for k in ks}))
    index = BandIndex(
        members, store.cluster_signatures(session, {c for cs in members.values() for c in cs})
    )
    taken = store.keys_taken(session, [p.founder_key for p in placements])
    by_canonical = store.canonical_clusters(
        session, {p.canonical for p in placements if p.canonical}
    )
    joined: dict[int, store.ClusterSignature] = {}
    for p in placements:
        mine = current.get(p.article_id)
        named = by_canonical.get(p.canonical) if p.canonical else None
        if named is not None and named.article_id != p.article_id:
            mine = named.cluster
        elif mine is None or similarity(p.signature, mine.signature) < THRESHOLD:
            key = closest(p.signature, index.candidates(keys[p.article_id]))
            if key is None:
                # The same text may have founded a cluster that has moved on since.
                key = (
                    p.founder_key
                    if p.founder_key not in taken
                    else f"{p.founder_key}-{p.article_id}"
                )
                taken.add(key)
                index.found(
                    store.NewCluster(key, p.article_id, p.signature, keys[p.article_id], p.at)
                )
            mine = index.by_key(key)
        joined[p.article_id] = current[p.article_id] = mine
        if p.canonical:
            by_canonical.setdefault(p.canonical, store.CanonicalCluster(p.article_id, mine))
    store.found_clusters(session, index.founded)
    store.join_clusters(session, {aid: sig.key for aid, sig in joined.items()})
    return [joined[p.article_id].key for p in placements]


def record_articles(
    session: Session, source_id: int, recs: Sequence[tuple[FetchRecord, bytes]]
) -> list[Outcome]:
    """Record fetches and place every article that got a version in its story's cluster.

    ``recs`` pairs each fetch with its text's signature. Call it after
    :func:`crawler.store.clusters.lock_clusters` in the same transaction.
    """
    recorded = record_fetches(session, source_id, [rec for rec, _ in recs])
    placements = [
        Placement(r.article_id, sig, rec.content_hash[:16], rec.fetched_at, rec.declared_canonical)
        for r, (rec, sig) in zip(recorded, recs, strict=True)
        if r.outcome in (Outcome.NEW, Outcome.CHANGED)
    ]
    if placements:
        assign_clusters(session, placements)
    return [r.outcome for r in recorded]


def record_article(session: Session, source_id: int, rec: FetchRecord, signature: bytes) -> Outcome:
    """Record one fetch and place its article: see :func:`record_articles`."""
    return record_articles(session, source_id, [(rec, signature)])[0]
