"""Put each stored article in its story's cluster: join the closest representative, or found one.

Called (through :func:`record_article`) for every new article and every new
version, inside the store transaction that wrote it, after :func:`crawler.store.clusters.lock_clusters`.
A new version stays in its cluster while it is still close to the cluster's
representative; otherwise it is placed afresh. Comparing with the
representative only, never with any member, keeps clusters from chaining:
A≈B and B≈C do not put C with A unless C is close to A's cluster itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from crawler.dedupe.minhash import THRESHOLD, band_keys, similarity
from crawler.store import clusters as store
from crawler.store.articles import FetchRecord, Outcome, record_fetch

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


def assign_cluster(
    session: Session, url: str, signature: bytes, founder_key: str, now: datetime
) -> str:
    """The cluster key the article at ``url`` (canonical) belongs to now; stored on the article."""
    article_id, current = store.article_cluster(session, url)
    if current is not None and similarity(signature, current.signature) >= THRESHOLD:
        return current.key
    keys = band_keys(signature)
    key = closest(signature, store.candidates(session, keys, MAX_CANDIDATES))
    if key is not None:
        store.join_cluster(session, article_id, key)
        return key
    key = founder_key
    if store.cluster_key_taken(session, key):  # the same text founded a cluster that moved on
        key = f"{founder_key}-{article_id}"
    store.found_cluster(session, key, article_id, signature, keys, now)
    return key


def record_article(session: Session, source_id: int, rec: FetchRecord, signature: bytes) -> Outcome:
    """Record a fetch and, when it made a version, place the article in its story's cluster.

    Call it after :func:`crawler.store.clusters.lock_clusters` in the same transaction.
    """
    outcome = record_fetch(session, source_id, rec)
    if outcome is not Outcome.UNCHANGED:
        assign_cluster(session, rec.url, signature, rec.content_hash[:16], rec.fetched_at)
    return outcome
