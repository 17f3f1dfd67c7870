"""The cluster index in the store, on both databases: a hot band key reads its newest clusters only."""

from __future__ import annotations

from sqlalchemy import Engine

from crawler.store.articles import ensure_source, record_fetches
from crawler.store.clusters import NewCluster, band_members, found_clusters
from crawler.store.db import session_scope
from tests.store.helpers import T0, record

HOT, RARE = 7, 11


def test_a_band_key_shared_by_many_clusters_yields_only_the_newest(engine: Engine) -> None:
    with session_scope(engine) as s:
        sid = ensure_source(s, "pub0", T0)
        recs = [record(url=f"https://pub0.example/{i}", title=f"T{i}") for i in range(8)]
        ids = [r.article_id for r in record_fetches(s, sid, recs)]
        found_clusters(
            s,
            [
                NewCluster(f"c{i}", aid, b"sig", [HOT, RARE] if i == 0 else [HOT], T0)
                for i, aid in enumerate(ids)
            ],
        )
    with session_scope(engine) as s:
        everything = band_members(s, [HOT, RARE])
        capped = band_members(s, [HOT, RARE], per_key=3)
    assert len(everything[HOT]) == 8
    assert sorted(capped[HOT]) == sorted(everything[HOT])[-3:]  # the newest three
    assert capped[RARE] == everything[RARE]
    assert len(capped[RARE]) == 1
