"""Crawl benchmark: the real crawl against a plain sequential script, on one large loopback site.

    python bench/crawl.py [--articles 5000] [--backends sqlite,postgresql] [--pg URL]

Serves ``bench/site.py`` (pre-rendered, in its own process), then for each
backend runs ``crawler crawl`` twice on a fresh database: the first crawl
(discovery to stored version) and the revisit of the unchanged site. For each
it prints wall seconds, articles/s, CPU seconds per article (the crawl and its
extraction workers), how busy the two cores were, peak RSS of the largest
process, and SQL statements per article (an executemany counts once). Then it
runs the baseline, ``bench/baseline.py``: one article after another with
requests, trafilatura and sqlite3, over the same URLs, and prints the ratio.

PostgreSQL runs in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.site import make_articles, serve_in_child  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CORES = os.cpu_count() or 1
# Runs the crawl CLI with a statement counter on every engine; prints the count at exit.
COUNTING_CRAWL = """
import atexit, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
count = [0]
event.listen(Engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
atexit.register(lambda: print(f"statements {count[0]}", file=sys.stderr))
from crawler.cli import main
sys.argv = ["crawler", *sys.argv[1:]]
main()
"""


@dataclass(frozen=True)
class Measured:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    statements: int


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[Measured, str]:
    """Run ``argv``; its wall and CPU time (with its reaped children), peak RSS, statements."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:4]} failed ({proc.returncode}):\n{err[-3000:]}")
    statements = next(
        (int(line.split()[1]) for line in err.splitlines() if line.startswith("statements ")), 0
    )
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(wall, cpu, usage.ru_maxrss / 1024, statements), err


def crawl(config: Path, db_url: str) -> Measured:
    argv = [sys.executable, "-c", COUNTING_CRAWL, "crawl", "--config", str(config), "--db", db_url]
    return measure(argv)[0]


def report(label: str, m: Measured, articles: int) -> None:
    print(
        f"  {label:<22} {m.wall_s:7.1f} s  {articles / m.wall_s:7.1f} art/s  "
        f"{1000 * m.cpu_s / articles:6.1f} ms CPU/art  cores busy {m.cpu_s / m.wall_s / CORES:4.0%}  "
        f"peak RSS {m.peak_rss_mb:5.0f} MB  {m.statements / articles:5.2f} stmts/art"
    )


def pg_schema(admin_url: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema, f"{admin_url}?options=-csearch_path%3D{schema}"


def drop_schema(admin_url: str, schema: str) -> None:
    with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg", default=PG_URL, help="PostgreSQL URL (a schema is made in it)")
    ap.add_argument("--concurrency", type=int, default=16, help="concurrency_per_host")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    n = args.articles
    print(f"bench site: {n} articles; {CORES} cores")
    with serve_in_child(n) as site, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "sources.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "defaults": {
                        "download_delay": "0s",
                        "concurrency_per_host": args.concurrency,
                        "max_pages": 10 * n,
                        "revisit": {"within_days": 3650, "min_interval": "0s"},
                    },
                    "sources": [{"name": "bench", "sitemaps": [f"{site.base}/sitemap.xml"]}],
                }
            )
        )
        first_rate = 0.0
        for backend in args.backends.split(","):
            schema = None
            if backend == "sqlite":
                db_url = f"sqlite:///{tmp}/bench-{uuid.uuid4().hex[:6]}.db"
            else:
                schema, db_url = pg_schema(args.pg)
            try:
                print(f"{backend}:")
                first = crawl(config, db_url)
                report("first crawl", first, n)
                revisit = crawl(config, db_url)
                report("revisit (unchanged)", revisit, n)
                print(
                    f"  revisit is {first.wall_s / revisit.wall_s:.1f}x faster than the first crawl"
                )
                first_rate = first_rate or n / first.wall_s
            finally:
                if schema:
                    drop_schema(args.pg, schema)
        if args.no_baseline:
            return
        urls = Path(tmp) / "urls.txt"
        urls.write_text("".join(f"{site.base}{a.path}\n" for a in make_articles(n)))
        baseline, _ = measure(
            [sys.executable, str(ROOT / "bench" / "baseline.py"), str(urls), f"{tmp}/baseline.db"]
        )
        print("baseline (requests + trafilatura + sqlite3, one at a time):")
        report("crawl", baseline, n)
        print(f"crawl / baseline articles/s: {first_rate / (n / baseline.wall_s):.1f}x")


if __name__ == "__main__":
    main()
