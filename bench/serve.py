"""Web app benchmark: article list and search at 100,000 articles, on SQLite and PostgreSQL.

    python bench/serve.py [--articles 100000] [--backends sqlite,postgresql] [--pg URL]

Fills a fresh store in bulk (articles, current versions with generated text,
through the schema's own indexes and, on SQLite, the FTS5 triggers), then
asks the app (in process, through Starlette's test client: routing, query,
template) for the list, a filtered list, a deep page and searches, and prints
the median and worst of 20 answers each, in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pg import PG_URL, pg_schema
from crawler.store import db
from crawler.store.models import Article, ArticleVersion, SourceRow
from crawler.web.app import make_app

WORDS = [f"word{i}" for i in range(20000)] + ["chip", "fab", "robot", "battery", "privacy"]
T0 = datetime(2026, 1, 1, tzinfo=UTC)
ASKS = {
    "list, newest first": "/articles",
    "list, one source": "/articles?source=pub7",
    "list, gone only": "/articles?status=gone",
    "list, page 40": "/articles?page=40",
    "list, date range": "/articles?since=2026-02-01&until=2026-02-03",
    "search, common word": "/articles?q=chip",
    "search, two words": "/articles?q=chip+battery",
    "search, rare word": "/articles?q=word12345",
    "search + source": "/articles?q=fab&source=pub3",
}


def fill(url: str, n: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    engine = db.make_engine(url)
    with db.session_scope(engine) as s:
        s.execute(insert(SourceRow), [{"name": f"pub{i}", "created_at": T0} for i in range(20)])
        sources = list(s.scalars(select(SourceRow.id)))
    for start in range(0, n, 5000):
        with db.session_scope(engine) as s:
            rows = []
            for i in range(start, min(n, start + 5000)):
                seen = T0 + timedelta(minutes=i)
                rows.append(
                    {
                        "url": f"https://pub{i % 20}.example/a/{i}",
                        "fetch_url": f"https://pub{i % 20}.example/a/{i}",
                        "source_id": sources[i % 20],
                        "status": "gone" if i % 97 == 0 else "live",
                        "first_seen": seen,
                        "last_fetched": seen,
                        "last_changed": seen,
                        "current_version": 1,
                        "cluster_id": f"c{i}",
                    }
                )
            ids = s.scalars(
                insert(Article).returning(Article.id, sort_by_parameter_order=True), rows
            ).all()
            s.execute(
                insert(ArticleVersion),
                [
                    {
                        "article_id": aid,
                        "version": 1,
                        "title": " ".join(rnd.choices(WORDS, k=8)),
                        "authors": [],
                        "text": " ".join(rnd.choices(WORDS, k=300)),
                        "content_hash": uuid.uuid4().hex,
                        "fetched_at": row["first_seen"],
                        "extractor_version": "2",
                    }
                    for aid, row in zip(ids, rows, strict=True)
                ],
            )
    engine.dispose()


def timed(client: TestClient, path: str, times: int = 20) -> tuple[float, float]:
    client.get(path)  # warm
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        spent.append(1000 * (time.perf_counter() - start))
    return statistics.median(spent), max(spent)


def run(backend: str, url: str, n: int) -> None:
    db.upgrade(url)
    start = time.perf_counter()
    fill(url, n)
    print(f"{backend}: {n} articles stored in {time.perf_counter() - start:.0f} s")
    engine = db.make_engine(url, read_only=True)
    if backend == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
    with TestClient(make_app(engine)) as client:
        for label, path in ASKS.items():
            median, worst = timed(client, path)
            print(f"  {label:<22} median {median:6.1f} ms   worst {worst:6.1f} ms   {path}")
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg", default=PG_URL)
    args = ap.parse_args()
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                run(backend, f"sqlite:///{tmp}/serve.db", args.articles)
            continue
        with pg_schema(args.pg) as url:
            run(backend, url, args.articles)


if __name__ == "__main__":
    main()
