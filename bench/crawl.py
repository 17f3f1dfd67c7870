"""Crawl benchmark: the real crawl against a plain sequential script, on one large loopback site.

    python bench/crawl.py [--articles 5000] [--backends sqlite,postgresql] [--pg URL]
                          [--light] [--repeat N]

Serves ``bench/site.py`` (pre-rendered, in its own process), then for each
backend runs ``crawler crawl`` twice on a fresh database: the first crawl
(discovery to stored version) and the revisit of the unchanged site. For each
it prints wall seconds, articles/s, CPU seconds per article (the crawl and its
extraction workers), how busy the two cores were, peak RSS of the largest
process, peak memory of all the crawl's processes together (the sum of their
PSS, which shares out pages the forked workers have in common), and SQL
statements per article (an executemany counts once). A third crawl revisits
with ``revisit.trust_lastmod``, which skips what the sitemap's <lastmod>
vouches for. Then it
runs the baseline, ``bench/baseline.py``: one article after another with
requests, trafilatura and sqlite3, over the same URLs, right after each first
crawl, and prints the ratio of their articles/s. ``--repeat N`` runs N first
crawls and baselines per backend, each on a fresh database (the machine may
be shared: compare pairs, and report the range).

``--light``: article pages of about 13 KB instead of about 82 KB, served as
five publishers on one host (a source a section, each with its own sitemap).

PostgreSQL runs in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import PG_URL, pg_schema  # noqa: E402
from bench.site import SECTIONS, make_articles, serve_in_child  # noqa: E402

CORES = os.cpu_count() or 1
# bench/counting/sitecustomize.py counts each crawl process's statements into this file.
COUNTING = ROOT / "bench" / "counting"
# --light: article pages of about 13 KB (the size issue 24 measured light pages at), which
# bench/site.py's pages reach with a dozen other stories' teasers and no heavy chrome.
LIGHT_TEASERS, LIGHT_KB = 12, 13


@dataclass(frozen=True)
class Measured:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    statements: int
    peak_pss_mb: float = 0.0


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc: each thread's ``children`` file)."""
    out, todo = [], [pid]
    while todo:
        out.append(p := todo.pop())
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo.extend(int(c) for c in task.read_text().split())
            except OSError:
                continue
    return out


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


class TreeMemory(threading.Thread):
    """Samples a process tree twice a second: the peak of its summed PSS, and its CPU.

    The CPU is each process's last sample, summed: the workers and the store writer
    are the fork server's children, which the crawl's own rusage never includes.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.done = pid, 0.0, threading.Event()
        self.ticks: dict[int, int] = {}

    @property
    def cpu_s(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.done.wait(0.5):
            pids = _tree(self.pid)
            self.peak_mb = max(self.peak_mb, _pss_mb(pids))
            for p in pids:
                self.ticks[p] = max(self.ticks.get(p, 0), _cpu_ticks(p))


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[Measured, str]:
    """Run ``argv``; its wall and CPU time (with its reaped children), peak RSS, statements."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stderr is not None
    memory = TreeMemory(proc.pid)
    memory.start()
    err = proc.stderr.read()
    memory.done.set()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:4]} failed ({proc.returncode}):\n{err[-3000:]}")
    statements = 0
    if env and (counted := Path(env.get("BENCH_STATEMENTS_FILE", ""))).is_file():
        statements = sum(int(line.split()[1]) for line in counted.read_text().splitlines())
        counted.unlink()
    cpu = max(usage.ru_utime + usage.ru_stime, memory.cpu_s)
    return Measured(wall, cpu, usage.ru_maxrss / 1024, statements, memory.peak_mb), err


def crawl(config: Path, db_url: str) -> Measured:
    argv = [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--db", db_url]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(COUNTING), str(ROOT)]),
        "BENCH_STATEMENTS_FILE": str(config.with_suffix(".statements")),
    }
    return measure(argv, env)[0]


def report(label: str, m: Measured, articles: int) -> None:
    print(
        f"  {label:<22} {m.wall_s:7.1f} s  {articles / m.wall_s:7.1f} art/s  "
        f"{1000 * m.cpu_s / articles:6.1f} ms CPU/art  cores busy {m.cpu_s / m.wall_s / CORES:4.0%}  "
        f"peak RSS {m.peak_rss_mb:5.0f} MB (all {m.peak_pss_mb:4.0f})  "
        f"{m.statements / articles:5.2f} stmts/art"
    )


def write_configs(tmp: Path, base: str, light: bool, concurrency: int, n: int) -> tuple[Path, Path]:
    """The crawl's sources file, and one that trusts <lastmod>: one source, or five if
    ``light`` (a publisher a section, each with its own sitemap, all on one host)."""
    if light:
        sources = [{"name": s, "sitemaps": [f"{base}/sitemap-{s}.xml"]} for s in SECTIONS]
    else:
        sources = [{"name": "bench", "sitemaps": [f"{base}/sitemap.xml"]}]
    config, lastmod_config = tmp / "sources.yaml", tmp / "lastmod.yaml"
    for path, trust in ((config, False), (lastmod_config, True)):
        revisit = {"within_days": 3650, "min_interval": "0s", "trust_lastmod": trust}
        defaults = {
            "download_delay": "0s",
            "concurrency_per_host": concurrency,
            "max_pages": 10 * n,
            "revisit": revisit,
        }
        path.write_text(yaml.safe_dump({"defaults": defaults, "sources": sources}))
    return config, lastmod_config


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg", default=PG_URL, help="PostgreSQL URL (a schema is made in it)")
    ap.add_argument("--concurrency", type=int, default=16, help="concurrency_per_host")
    ap.add_argument(
        "--light", action="store_true", help=f"pages of about {LIGHT_KB} KB, five sources"
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="first crawls (and baselines) per backend"
    )
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    n = args.articles
    weight = f"light pages (~{LIGHT_KB} KB), five sources" if args.light else "heavy pages (~82 KB)"
    print(f"bench site: {n} articles, {weight}; {CORES} cores")
    teasers = LIGHT_TEASERS if args.light else None
    with (
        serve_in_child(n, heavy=not args.light, teasers=teasers) as site,
        tempfile.TemporaryDirectory() as tmp,
    ):
        config, lastmod_config = write_configs(
            Path(tmp), site.base, args.light, args.concurrency, n
        )
        urls = Path(tmp) / "urls.txt"
        urls.write_text("".join(f"{site.base}{a.path}\n" for a in make_articles(n)))
        for backend in args.backends.split(","):
            print(f"{backend}:")
            for attempt in range(args.repeat):
                with _database(backend, tmp, args.pg) as db_url:
                    first = crawl(config, db_url)
                    report("first crawl", first, n)
                    if not args.no_baseline:
                        baseline = run_baseline(urls, Path(tmp))
                        report("baseline", baseline, n)
                        print(
                            f"  crawl / baseline articles/s: {baseline.wall_s / first.wall_s:.1f}x"
                        )
                    if attempt < args.repeat - 1:
                        continue
                    revisit = crawl(config, db_url)
                    report("revisit (unchanged)", revisit, n)
                    lastmod = crawl(lastmod_config, db_url)
                    report("revisit, trust_lastmod", lastmod, n)
                    print(
                        f"  revisit is {first.wall_s / revisit.wall_s:.1f}x faster than the first "
                        f"crawl; with trust_lastmod {first.wall_s / lastmod.wall_s:.1f}x"
                    )


def _database(backend: str, tmp: str, pg: str) -> AbstractContextManager[str]:
    """A fresh database: a new SQLite file, or a PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        return nullcontext(f"sqlite:///{tmp}/bench-{uuid.uuid4().hex[:6]}.db")
    return pg_schema(pg)


def run_baseline(urls: Path, tmp: Path) -> Measured:
    """``bench/baseline.py`` over ``urls``, into a fresh SQLite file."""
    db = tmp / f"baseline-{uuid.uuid4().hex[:6]}.db"
    return measure([sys.executable, str(ROOT / "bench" / "baseline.py"), str(urls), str(db)])[0]


if __name__ == "__main__":
    main()
