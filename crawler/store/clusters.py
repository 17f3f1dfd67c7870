"""Story clusters in the store: candidates by LSH band, clusters founded and joined.

Assignment must see every cluster committed before it and none half-made,
also when several crawls write at once: :func:`lock_clusters` serialises it
(a transaction-scoped advisory lock on PostgreSQL; SQLite write transactions
are already serial, see :func:`crawler.store.db.make_engine`). Take it before
any row lock of the transaction, so lock order is always the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from crawler.store.locks import ADVISORY_KEY
from crawler.store.models import Article, Cluster, ClusterBand

KEY_CHUNK = 900  # values per IN (...) list: well under every driver's parameter limit
MAX_BAND_MEMBERS = 50  # clusters read per band key, newest first


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


def article_clusters(session: Session, article_ids: Sequence[int]) -> dict[int, ClusterSignature]:
    """Each article's cluster with that cluster's signature, for those that have one."""
    rows = session.execute(
        select(Article.id, Cluster.key, Cluster.signature)
        .join(Cluster, Cluster.key == Article.cluster_id)
        .where(Article.id.in_(sorted(set(article_ids))))
    )
    return {aid: ClusterSignature(key, sig) for aid, key, sig in rows}


def band_members(
    session: Session, band_keys: Sequence[int], per_key: int = MAX_BAND_MEMBERS
) -> dict[int, list[int]]:
    """The ids of the newest ``per_key`` clusters indexed under each of ``band_keys``.

    A band key shared by very many clusters (a stock phrase every story of a
    kind carries) says little about any one of them; without a cap, the work
    of placing each article would grow with the store.
    """
    members: dict[int, list[int]] = {}
    for start in range(0, len(band_keys), KEY_CHUNK):
        ranked = (
            select(
                ClusterBand.band_key,
                ClusterBand.cluster_id,
                func.row_number()
                .over(partition_by=ClusterBand.band_key, order_by=ClusterBand.cluster_id.desc())
                .label("rank"),
            )
            .where(ClusterBand.band_key.in_(band_keys[start : start + KEY_CHUNK]))
            .subquery()
        )
        rows = session.execute(
            select(ranked.c.band_key, ranked.c.cluster_id).where(ranked.c.rank <= per_key)
        )
        for key, cluster_id in rows:
            members.setdefault(key, []).append(cluster_id)
    return members


def cluster_signatures(session: Session, cluster_ids: Iterable[int]) -> dict[int, ClusterSignature]:
    """Key and signature of each cluster id."""
    ids = sorted(cluster_ids)
    found: dict[int, ClusterSignature] = {}
    for start in range(0, len(ids), KEY_CHUNK):
        rows = session.execute(
            select(Cluster.id, Cluster.key, Cluster.signature).where(
                Cluster.id.in_(ids[start : start + KEY_CHUNK])
            )
        )
        found.update({cid: ClusterSignature(key, sig) for cid, key, sig in rows})
    return found


@dataclass(frozen=True, slots=True)
class CanonicalCluster:
    """The cluster of an article stored under, or declaring, a canonical URL."""

    article_id: int
    cluster: ClusterSignature


def canonical_clusters(session: Session, canonicals: Iterable[str]) -> dict[str, CanonicalCluster]:
    """For each of ``canonicals``, a clustered article at that URL or declaring it (the oldest).

    The article stored under the URL is preferred to those that only declare it.
    """
    wanted = sorted(set(canonicals))
    at_url: dict[str, CanonicalCluster] = {}
    declaring: dict[str, CanonicalCluster] = {}
    for start in range(0, len(wanted), KEY_CHUNK):
        chunk = wanted[start : start + KEY_CHUNK]
        rows = session.execute(
            select(
                Article.url, Article.declared_canonical, Article.id, Cluster.key, Cluster.signature
            )
            .join(Cluster, Cluster.key == Article.cluster_id)
            .where(Article.url.in_(chunk) | Article.declared_canonical.in_(chunk))
            .order_by(Article.id)
        )
        for url, declared, aid, key, sig in rows:
            named = CanonicalCluster(aid, ClusterSignature(key, sig))
            at_url[url] = named
            if declared is not None:
                declaring.setdefault(declared, named)
    return {**declaring, **{u: c for u, c in at_url.items() if u in wanted}}


def keys_taken(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` name a cluster already."""
    return set(session.scalars(select(Cluster.key).where(Cluster.key.in_(sorted(set(keys))))))


@dataclass(frozen=True, slots=True)
class NewCluster:
    """A cluster to found: its key, representative article, signature and band keys."""

    key: str
    representative_id: int
    signature: bytes
    band_keys: Sequence[int]
    created_at: datetime


def found_clusters(session: Session, new: Sequence[NewCluster]) -> None:
    """Make the clusters, each with its band keys (members join with :func:`join_clusters`)."""
    if not new:
        return
    ids = session.scalars(
        insert(Cluster).returning(Cluster.id, sort_by_parameter_order=True),
        [
            {
                "key": c.key,
                "representative_id": c.representative_id,
                "signature": c.signature,
                "created_at": c.created_at,
            }
            for c in new
        ],
    ).all()
    session.execute(
        ClusterBand.__table__.insert(),
        [
            {"band_key": k, "cluster_id": cid}
            for cid, c in zip(ids, new, strict=True)
            for k in sorted(set(c.band_keys))
        ],
    )


def join_clusters(session: Session, keys: dict[int, str]) -> None:
    """Set each article's cluster key: ``keys`` maps article id to cluster key."""
    if keys:
        table = Article.__table__
        session.execute(
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values(cluster_id=bindparam("_key")),
            [{"_id": aid, "_key": key} for aid, key in sorted(keys.items())],
        )
