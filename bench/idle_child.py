"""What one idle ``crawler crawl`` child of many already-crawled sources costs, in CPU seconds.

    python bench/idle_child.py [--sources 100] [--repeat 3] [--backends sqlite,postgresql]
                               [--trees main=/path/to/main,branch=.]

The daemon hands each batch of due sources to one ``crawler crawl --source A
--source B ... --quiet --workers W`` child; when nothing changed, that child's
CPU divided by its sources is the cost of an idle poll. This serves
``--sources`` publishers as ``bench/many_sources.py`` does (a loopback address
each, a feed of 20 articles answering 304, a robots.txt with an ETag), crawls
them all once into a database per tree and backend, then runs the idle child
``--repeat`` times, the trees and backends in turn (the machine may be shared:
alternated runs see the same load), and prints the CPU seconds of each run
(the child and every process it reaped, from ``getrusage``) and the requests
the publishers counted. ``--trees`` names source trees to compare (their
``crawler`` package is put first on ``PYTHONPATH``; default: this one).
``--sources 1`` measures a child's start-up.

The PostgreSQL server's own CPU is not counted. Its schemas are dropped afterwards.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack, nullcontext
from multiprocessing.connection import Connection
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.many_sources import free_port, host, serve  # noqa: E402
from bench.pg import PG_URL, pg_schema  # noqa: E402


def crawl(tree: Path, config: Path, db_url: str, sources: int) -> float:
    """Run one ``crawler crawl`` of ``sources`` sources from ``tree``; its CPU seconds."""
    names = [arg for i in range(sources) for arg in ("--source", f"s{i:04d}")]
    command = [sys.executable, "-m", "crawler", "crawl", "--config", str(config)]
    command += ["--db", db_url, "--quiet", "--workers", "1", *names]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command,
        env={**os.environ, "PYTHONPATH": str(tree)},
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"crawl from {tree} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def upgrade(tree: Path, db_url: str) -> None:
    """Bring ``db_url`` to ``tree``'s newest migration, with ``tree``'s code."""
    subprocess.run(
        [sys.executable, "-m", "crawler", "db", "upgrade", "--db", db_url],
        env={**os.environ, "PYTHONPATH": str(tree)},
        cwd=tempfile.gettempdir(),
        check=True,
        capture_output=True,
    )


def counts(control: Connection) -> Counter[str]:
    control.send(("counts",))
    return Counter(control.recv())


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--trees", default=f"branch={ROOT}", help="NAME=PATH,... to compare")
    ap.add_argument("--pg", default=PG_URL)
    args = ap.parse_args()
    trees = {
        name: Path(path).resolve() for name, path in (t.split("=") for t in args.trees.split(","))
    }
    port = free_port()
    control, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(args.sources, port, theirs), daemon=True)
    server.start()
    assert control.recv() == "ready"
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        config = tmp / "sources.yaml"
        feeds = [
            {"name": f"s{i:04d}", "feeds": [f"http://{host(i)}:{port}/feed.xml"]}
            for i in range(args.sources)
        ]
        defaults = {"download_delay": "0s", "timeout": "30s"}
        config.write_text(yaml.safe_dump({"defaults": defaults, "sources": feeds}))
        runs: dict[tuple[str, str], str] = {}
        for name, tree in trees.items():
            for backend in args.backends.split(","):
                db_url = stack.enter_context(
                    pg_schema(args.pg)
                    if backend == "postgresql"
                    else nullcontext(f"sqlite:///{tmp}/{name}.db")
                )
                upgrade(tree, db_url)
                crawl(tree, config, db_url, args.sources)  # every article new
                runs[name, backend] = db_url
        cpu: dict[tuple[str, str], list[float]] = {key: [] for key in runs}
        for _ in range(args.repeat):
            for (name, backend), db_url in runs.items():
                before = counts(control)
                cpu[name, backend].append(crawl(trees[name], config, db_url, args.sources))
                asked = dict(counts(control) - before)
                print(f"{name} {backend}: {cpu[name, backend][-1]:.2f} CPU-s, requests {asked}")
        for (name, backend), values in cpu.items():
            median = statistics.median(values)
            print(
                f"{name} {backend}: idle child of {args.sources}: "
                + ", ".join(f"{v:.2f}" for v in values)
                + f" CPU-s (median {median:.2f}, {median / args.sources:.4f} a source)"
            )
    control.send(("stop",))
    server.join(10)


if __name__ == "__main__":
    main()
