"""Story clusters in the store: candidates by LSH band, clusters founded and joined.

Assignment must see every cluster committed before it and none half-made,
also when several crawls write at once: :func:`lock_clusters` serialises it
(a transaction-scoped advisory lock on PostgreSQL; SQLite write transactions
are already serial, see :func:`crawler.store.db.make_engine`). Take it before
any row lock of the transaction, so lock order is always the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from crawler.store.locks import ADVISORY_KEY
from crawler.store.models import Article, Cluster, ClusterBand


@dataclass(frozen=True, slots=True)
class ClusterSignature:
    key: str
    signature: bytes


def lock_clusters(session: Session) -> None:
    """Serialise cluster assignment until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})"), {"name": "crawler clusters"}
        )


def article_cluster(session: Session, url: str) -> tuple[int, ClusterSignature | None]:
    """The article's id, and its cluster with that cluster's signature (None if it has none)."""
    row = session.execute(
        select(Article.id, Cluster.key, Cluster.signature)
        .outerjoin(Cluster, Cluster.key == Article.cluster_id)
        .where(Article.url == url)
    ).one()
    article_id, key, signature = row
    return article_id, (ClusterSignature(key, signature) if key is not None else None)


def candidates(session: Session, band_keys: Sequence[int], limit: int) -> list[ClusterSignature]:
    """Clusters sharing a band key with a signature, those sharing most first, at most ``limit``."""
    shared = func.count().label("shared")
    rows = session.execute(
        select(Cluster.key, Cluster.signature, shared)
        .join(ClusterBand, ClusterBand.cluster_id == Cluster.id)
        .where(ClusterBand.band_key.in_(list(band_keys)))
        .group_by(Cluster.id, Cluster.key, Cluster.signature)
        .order_by(shared.desc(), Cluster.id)
        .limit(limit)
    )
    return [ClusterSignature(key, signature) for key, signature, _ in rows]


def found_cluster(
    session: Session,
    key: str,
    article_id: int,
    signature: bytes,
    band_keys: Sequence[int],
    now: datetime,
) -> None:
    """Make a cluster with this article as its representative, and put the article in it."""
    cluster = Cluster(key=key, representative_id=article_id, signature=signature, created_at=now)
    session.add(cluster)
    session.flush()
    session.execute(
        ClusterBand.__table__.insert(),
        [{"band_key": k, "cluster_id": cluster.id} for k in sorted(set(band_keys))],
    )
    join_cluster(session, article_id, key)


def join_cluster(session: Session, article_id: int, key: str) -> None:
    session.execute(update(Article).where(Article.id == article_id).values(cluster_id=key))


def cluster_key_taken(session: Session, key: str) -> bool:
    return session.execute(select(Cluster.id).where(Cluster.key == key)).first() is not None
