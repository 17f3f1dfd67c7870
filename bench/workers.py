"""Scale-out benchmark: articles/s with 1, 2 and 4 ``crawler worker`` processes on one queue.

    python bench/workers.py [--articles 4000] [--workers 1,2,4] [--pg URL]

Serves ``bench/site.py`` (light pages) and splits it into one source per
sitemap chunk (1,000 articles each). For each worker count: a fresh
PostgreSQL schema, one ``crawler daemon`` in queue mode (every source due
once) and that many ``crawler worker`` processes; the clock runs from the
daemon's start to the last run's end. Prints articles/s and the runs' spread
over the workers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import PG_URL, pg_schema  # noqa: E402
from bench.site import SITEMAP_CHUNK, serve_in_child  # noqa: E402
from crawler.store.db import make_engine, session_scope, upgrade  # noqa: E402
from crawler.store.models import Article, CrawlRun  # noqa: E402


def measure(
    site_base: str, n_sources: int, workers: int, admin_url: str, tmp: Path
) -> tuple[float, int]:
    with pg_schema(admin_url) as url:
        return _measure_in(url, site_base, n_sources, workers, tmp)


def _measure_in(
    url: str, site_base: str, n_sources: int, workers: int, tmp: Path
) -> tuple[float, int]:
    config = tmp / f"sources-{workers}.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "defaults": {
                    "download_delay": "0s",
                    "concurrency_per_host": 16,
                    "max_pages": 10 * SITEMAP_CHUNK,
                    "schedule": {"every": "1h"},
                },
                "daemon": {"mode": "queue"},
                "sources": [
                    {"name": f"part{i}", "sitemaps": [f"{site_base}/sitemap-{i}.xml"]}
                    for i in range(n_sources)
                ],
            }
        )
    )
    upgrade(url)
    cmd = [sys.executable, "-m", "crawler"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    start = time.perf_counter()
    procs = [subprocess.Popen([*cmd, "daemon", "--config", str(config), "--db", url], **quiet)]
    procs += [subprocess.Popen([*cmd, "worker", "--db", url], **quiet) for _ in range(workers)]
    engine = make_engine(url, write=False)
    try:
        while True:
            with session_scope(engine) as s:
                done = s.scalar(
                    select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "ok")
                )
                if done == n_sources:
                    stored = s.scalar(select(func.count()).select_from(Article)) or 0
                    break
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(60)
        engine.dispose()
    return elapsed, stored


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--pg", default=PG_URL)
    args = ap.parse_args()
    n_sources = -(-args.articles // SITEMAP_CHUNK)
    print(f"{args.articles} articles in {n_sources} sources; {os.cpu_count()} cores")
    with serve_in_child(args.articles, heavy=False) as site, tempfile.TemporaryDirectory() as tmp:
        for workers in map(int, args.workers.split(",")):
            elapsed, stored = measure(site.base, n_sources, workers, args.pg, Path(tmp))
            print(f"  {workers} worker(s): {elapsed:6.1f} s  {stored / elapsed:6.1f} articles/s")


if __name__ == "__main__":
    main()
