"""Daemon soak: many short crawl cycles, and the daemon's own memory at the start and the end.

    python bench/daemon_soak.py [--cycles 200] [--sources 4]

Serves a small loopback publisher, runs ``crawler daemon`` on it with every
source due every second, waits until ``--cycles`` runs have finished, and
prints the daemon process's RSS after its first run and after the last (the
crawls run in children, so the daemon itself must stay flat), with the
outcomes of the runs. Uses a temporary SQLite database.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.demo.content import ARTICLES
from crawler.demo.site import DemoSite, serve
from crawler.store.db import make_engine, session_scope, upgrade
from crawler.store.models import CrawlRun


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def finished(engine) -> Counter[str]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(CrawlRun.status, func.count())
            .where(CrawlRun.finished_at.is_not(None))
            .group_by(CrawlRun.status)
        )
        return Counter(dict(rows.all()))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--cycles", type=int, default=200)
    ap.add_argument("--sources", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve(DemoSite(ARTICLES[:2])) as site:
        db_url = f"sqlite:///{tmp}/soak.db"
        upgrade(db_url)
        config = Path(tmp) / "sources.yaml"
        sources = [
            {"name": f"s{i}", "feeds": [f"{site.base}/feed.xml"]} for i in range(args.sources)
        ]
        defaults = {
            "schedule": {"every": "1s"},
            "download_delay": "0s",
            "revisit": {"within_days": 1, "min_interval": "0s"},
        }
        config.write_text(yaml.safe_dump({"defaults": defaults, "sources": sources}))
        log = (Path(tmp) / "daemon.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "daemon", "--config", str(config), "--db", db_url],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        engine = make_engine(db_url, write=False)
        started = time.monotonic()
        while sum(finished(engine).values()) < 1:
            time.sleep(0.5)
        first = rss_mb(proc.pid)
        while (done := sum(finished(engine).values())) < args.cycles:
            time.sleep(1)
            if proc.poll() is not None:
                raise SystemExit(f"daemon exited early with {proc.returncode}")
        last = rss_mb(proc.pid)
        took = time.monotonic() - started
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=120)
        outcomes = finished(engine)
        engine.dispose()
        log.close()
    print(f"{done} runs in {took:.0f} s; outcomes {dict(outcomes)}; daemon exit code {code}")
    print(
        f"daemon RSS after the first run {first:.1f} MB, after run {done} {last:.1f} MB ({last - first:+.1f} MB)"
    )


if __name__ == "__main__":
    main()
