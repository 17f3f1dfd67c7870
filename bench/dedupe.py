"""Story-cluster benchmark: cost per insert as the store grows, and the threshold's measurement.

    python bench/dedupe.py [--n 100000] [--db URL]     # scale (default: a temporary SQLite file)
    python bench/dedupe.py --quality                    # precision/recall per threshold

Scale: inserts ``--n`` synthetic articles through the crawl's own storage path
(``record_articles``, 50 per transaction, as the store pipeline does); one in ten is an edited copy of an earlier one, so clusters
are joined as well as founded. Prints the mean time per insert over the 1,000
inserts before 1k, 10k and 100k stored, with the SQL statements sent per
insert (an executemany counts once), the clusters made, and peak memory.

Quality: runs the labelled set of ``tests/dedupe/corpus.py`` (wire copies with
edits of increasing size, look-alike distinct stories) through the same path
for several thresholds and seeds, and prints pairwise precision and recall.
Run from the repository root.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, select

import crawler.dedupe.clusters as clusters
from crawler.dedupe.fingerprint import content_hash
from crawler.dedupe.minhash import signature
from crawler.store.articles import FetchRecord, ensure_source
from crawler.store.clusters import lock_clusters
from crawler.store.db import make_engine, session_scope, upgrade
from crawler.store.models import Article, Cluster

T0 = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 50
MARKS = (1_000, 10_000, 100_000)


def synthetic_articles(n: int, seed: int = 1):
    """(url, title, text): distinct stories from a 6,000-word vocabulary; every tenth a copy."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(6000)]
    bodies: list[str] = []
    for i in range(n):
        if i % 10 == 9 and bodies:
            words = rng.choice(bodies).split()
            for _ in range(len(words) // 20):
                words[rng.randrange(len(words))] = rng.choice(vocab)
            text = " ".join(words[: len(words) - rng.randrange(0, 20)])
        else:
            text = " ".join(rng.choice(vocab) for _ in range(rng.randint(150, 300)))
            if len(bodies) < 5000:
                bodies.append(text)
            else:
                bodies[rng.randrange(5000)] = text
        yield f"https://pub{i % 20}.example/a/{i}", f"Story {i}", text


def store_batch(engine, source_ids: dict[str, int], batch, at: datetime) -> None:
    """Store a batch as the store pipeline does: one transaction, one call per source."""
    by_source: dict[str, list[tuple[FetchRecord, bytes]]] = {}
    for url, title, text in batch:
        digest = content_hash(title, text)
        rec = FetchRecord(
            url=url, fetch_url=url, title=title, text=text, content_hash=digest, fetched_at=at
        )
        by_source.setdefault(url.split("/")[2], []).append((rec, signature(text)))
    with session_scope(engine) as session:
        lock_clusters(session)
        for source, recs in sorted(by_source.items()):
            if source not in source_ids:
                source_ids[source] = ensure_source(session, source, T0)
            clusters.record_articles(session, source_ids[source], recs)


def scale(n: int, db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    statements = [0]
    event.listen(
        engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1)
    )
    source_ids: dict[str, int] = {}
    batch, window_start, done, window_statements = [], time.perf_counter(), 0, 0
    marks = [m for m in MARKS if m <= n] or [n]
    print(
        f"{'stored':>8}  {'ms/insert':>10}  {'statements/insert':>18}   (means of the last 1,000)"
    )
    for url, title, text in synthetic_articles(n):
        batch.append((url, title, text))
        if len(batch) == BATCH:
            store_batch(engine, source_ids, batch, T0 + timedelta(seconds=done))
            done += len(batch)
            batch = []
            if done % 1000 == 0:
                per_insert = (time.perf_counter() - window_start) / 1000
                if done in marks:
                    per_statements = (statements[0] - window_statements) / 1000
                    print(f"{done:>8}  {1000 * per_insert:>10.2f}  {per_statements:>18.2f}")
                window_start, window_statements = time.perf_counter(), statements[0]
    with session_scope(engine) as session:
        made = session.scalar(select(func.count()).select_from(Cluster))
    engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"clusters {made} for {done} articles; peak memory {peak_mb:.0f} MB")


def quality() -> None:
    from tests.dedupe.corpus import labelled_set, pair_scores

    print(f"{'threshold':>9}  " + "  ".join(f"seed {s}: P / R" for s in (7, 11, 23)))
    for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
        clusters.THRESHOLD = threshold
        cells = []
        for seed in (7, 11, 23):
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/q.db"
                upgrade(url)
                engine = make_engine(url)
                items, truth = labelled_set(stories=100, seed=seed)
                assigned = {}
                for i, (key, title, text) in enumerate(items):
                    page = f"https://pub{i % 5}.example/{key}"
                    store_batch(engine, {}, [(page, title, text)], T0)
                    assigned[key] = _cluster_of(engine, page)
                engine.dispose()
            precision, recall = pair_scores(assigned, truth)
            cells.append(f"{precision:.3f} / {recall:.3f}")
        print(f"{threshold:>9.2f}  " + "  ".join(f"{c:>15}" for c in cells))


def _cluster_of(engine, url: str) -> str:
    with session_scope(engine) as session:
        return session.execute(select(Article.cluster_id).where(Article.url == url)).scalar_one()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", default=None, help="SQLAlchemy URL (default: a temporary SQLite file)")
    ap.add_argument("--quality", action="store_true")
    args = ap.parse_args()
    if args.quality:
        quality()
        return
    if args.db:
        scale(args.n, args.db)
        return
    with tempfile.TemporaryDirectory() as tmp:
        scale(args.n, f"sqlite:///{tmp}/dedupe.db")


if __name__ == "__main__":
    main()
