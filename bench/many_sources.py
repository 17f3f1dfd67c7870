"""Many sources under ``crawler daemon``: what an idle poll costs, how often it is a 304, how fast news lands.

    python bench/many_sources.py [--sources 1000] [--every 120] [--idle-cycles 2]
                                 [--change-cycles 2] [--changing 5] [--batch-size 0]
                                 [--backends sqlite,postgresql]

Serves ``--sources`` publishers from a child process, each on a host of its
own (127.1.x.y, one listening socket per address, so nothing listens beyond
loopback), each with an RSS feed of 20 articles that carries an ETag and a
Last-Modified and answers 304 to either, and a robots.txt with an ETag. Runs ``crawler daemon`` with every
source due every ``--every`` seconds and measures, per backend:

- the first cycle (every article new), then ``--idle-cycles`` cycles in which
  nothing changes: CPU seconds per poll of the daemon and all its children
  (its own CPU plus what it reaped, from /proc; the polls are the feed
  requests the server counted, one a poll), the share
  of feed requests answered 304, and the robots.txt requests (none while a
  stored copy is fresh: its robots.txt carries no Cache-Control, so for
  ``robots_max_age``, 1 hour by default), and how many answered 304;
- ``--change-cycles`` cycles in each of which ``--changing`` sources publish
  one new article at a random moment: how long each takes to be stored
  (polled once a second, so to within a second);
- the peak memory of the daemon's whole process tree (the sum of PSS,
  sampled twice a second), in the first cycle and after it.

PostgreSQL runs in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from email.utils import formatdate
from multiprocessing.connection import Connection
from pathlib import Path

import yaml
from sqlalchemy import Engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.crawl import TreeMemory  # noqa: E402
from bench.pg import PG_URL, pg_schema  # noqa: E402
from crawler.store.db import make_engine, session_scope, upgrade  # noqa: E402
from crawler.store.models import Article, CrawlRun  # noqa: E402

FEED_ITEMS = 20
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
ROBOTS_ETAG = '"robots-1"'
WORDS = [
    "harbour",
    "council",
    "budget",
    "rail",
    "tunnel",
    "school",
    "river",
    "market",
    "energy",
    "vote",
]


def host(i: int) -> str:
    """Source ``i``'s own loopback address: 127.1.0.1, 127.1.0.2, ... (250 a block)."""
    return f"127.1.{i // 250}.{i % 250 + 1}"


class Publishers:
    """Every source's feed: the newest :data:`FEED_ITEMS` article numbers, and a version that moves with it."""

    def __init__(self, sources: int) -> None:
        self.items = [list(range(FEED_ITEMS, 0, -1)) for _ in range(sources)]
        self.version = [1] * sources
        self.changed_at = [time.time()] * sources
        self.counts: Counter[str] = Counter()

    def publish(self, i: int) -> int:
        """A new article on source ``i``; its number."""
        n = self.items[i][0] + 1
        self.items[i] = [n, *self.items[i][: FEED_ITEMS - 1]]
        self.version[i] += 1
        self.changed_at[i] = time.time()
        return n

    def feed(self, i: int, port: int) -> bytes:
        base = f"http://{host(i)}:{port}"
        items = "".join(
            f"<item><title>Story {n} of source {i}</title><link>{base}/a/{n}.html</link>"
            f"<guid>{base}/a/{n}.html</guid></item>"
            for n in self.items[i]
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Source {i}</title><link>{base}/</link>{items}</channel></rss>"
        ).encode()

    def article(self, i: int, n: int) -> bytes:
        rng = random.Random(i * 100_000 + n)
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(WORDS) for _ in range(60)) + ".</p>" for _ in range(6)
        )
        return (
            f"<!DOCTYPE html><html><head><title>Story {n} of source {i}</title></head><body>"
            f"<article><h1>Story {n} of source {i}</h1>{paragraphs}</article></body></html>"
        ).encode()


async def _serve(sources: int, port: int, control: Connection) -> None:
    pubs = Publishers(sources)
    index = {host(i): i for i in range(sources)}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (x.partition(":") for x in lines[1:] if x)
                }
                writer.write(respond(pubs, index, port, path, headers))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(
        handle, host=[host(i) for i in range(sources)], port=port, backlog=512
    )
    loop = asyncio.get_running_loop()
    control.send("ready")
    while True:  # commands: ("publish", [source numbers]) -> [(url, time)]; ("counts",)
        command = await loop.run_in_executor(None, control.recv)
        if command[0] == "publish":
            control.send(
                [
                    (f"http://{host(i)}:{port}/a/{pubs.publish(i)}.html", time.time())
                    for i in command[1]
                ]
            )
        elif command[0] == "counts":
            control.send(dict(pubs.counts))
        else:
            server.close()
            return


def respond(
    pubs: Publishers, index: dict[str, int], port: int, path: str, headers: dict[str, str]
) -> bytes:
    """One HTTP/1.1 response; feeds and articles conditional on their ETag or Last-Modified."""
    i = index.get(headers.get("host", "").split(":")[0], -1)
    if i < 0:
        pubs.counts["unknown"] += 1
        return _reply(404, b"not found", "text/plain")
    if path == "/robots.txt":  # one robots.txt for all, with an ETag, as most publishers have
        if headers.get("if-none-match") == ROBOTS_ETAG:
            pubs.counts["robots_304"] += 1
            return _reply(304, b"", None, {"ETag": ROBOTS_ETAG})
        pubs.counts["robots_200"] += 1
        return _reply(200, ROBOTS, "text/plain", {"ETag": ROBOTS_ETAG})
    if path == "/feed.xml":
        tag = f'"{i}-{pubs.version[i]}"'
        modified = formatdate(pubs.changed_at[i], usegmt=True)
        validators = {"ETag": tag, "Last-Modified": modified}
        if "if-none-match" in headers or "if-modified-since" in headers:
            pubs.counts["feed_conditional"] += 1
        if headers.get("if-none-match") == tag or (
            "if-none-match" not in headers and headers.get("if-modified-since") == modified
        ):
            pubs.counts["feed_304"] += 1
            return _reply(304, b"", None, validators)
        pubs.counts["feed_200"] += 1
        return _reply(200, pubs.feed(i, port), "application/rss+xml", validators)
    if path.startswith("/a/") and path.endswith(".html"):
        body = pubs.article(i, int(path[3:-5]))
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if headers.get("if-none-match") == tag:
            pubs.counts["article_304"] += 1
            return _reply(304, b"", None, {"ETag": tag})
        pubs.counts["article_200"] += 1
        return _reply(200, body, "text/html; charset=utf-8", {"ETag": tag})
    pubs.counts["other"] += 1
    return _reply(404, b"not found", "text/plain")


def _reply(
    status: int, body: bytes, kind: str | None, headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
    if kind:
        lines.append(f"Content-Type: {kind}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def serve(sources: int, port: int, control: Connection) -> None:
    asyncio.run(_serve(sources, port, control))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((host(0), 0))
        return int(s.getsockname()[1])


def _ask(control: Connection, *command: object) -> object:
    control.send(command)
    return control.recv()


def finished_runs(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).where(CrawlRun.finished_at.is_not(None))) or 0)


def run_statuses(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as s:
        rows = s.execute(select(CrawlRun.status, func.count()).group_by(CrawlRun.status))
        return dict(rows.all())


def stored(engine: Engine, urls: set[str]) -> set[str]:
    with session_scope(engine) as s:
        return set(s.scalars(select(Article.url).where(Article.url.in_(urls))))


def tree_cpu_s(pid: int) -> tuple[float, float]:
    """CPU of ``pid`` itself (utime+stime) and of every child it has reaped, with theirs (cutime+cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return sum(int(f) for f in fields[11:13]) / tick, sum(int(f) for f in fields[13:15]) / tick


def wait_children_reaped(pid: int, limit_s: float) -> None:
    """Wait until ``pid`` has no child left (so its CPU is in ``pid``'s cutime), up to ``limit_s``.

    A crawl child whose runs are all recorded is still exiting for a moment: read
    then, its CPU (a whole first cycle's, say) would land in the next measurement.
    """
    children = Path(f"/proc/{pid}/task/{pid}/children")
    deadline = time.monotonic() + limit_s
    while children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.2)


def wait_runs(engine: Engine, target: int, proc: subprocess.Popen[bytes], limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while finished_runs(engine) < target:
        if proc.poll() is not None:
            raise SystemExit(f"daemon exited early with {proc.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"only {finished_runs(engine)} of {target} runs after {limit_s:.0f} s")
        time.sleep(1)


def bench(
    backend: str, args: argparse.Namespace, port: int, control: Connection, tmp: Path
) -> None:
    n = args.sources
    context = (
        pg_schema(args.pg)
        if backend == "postgresql"
        else nullcontext(f"sqlite:///{tmp}/{backend}.db")
    )
    with context as db_url:
        upgrade(db_url)
        config = tmp / f"{backend}.yaml"
        sources = [
            {"name": f"s{i:04d}", "feeds": [f"http://{host(i)}:{port}/feed.xml"]} for i in range(n)
        ]
        defaults = {
            "schedule": {"every": f"{args.every}s"},
            "download_delay": "0s",
            "timeout": "30s",
        }
        daemon: dict[str, object] = {"run_timeout": f"{args.every * 3}s"}
        if args.batch_size:
            daemon["batch_size"] = args.batch_size
        config.write_text(
            yaml.safe_dump({"defaults": defaults, "sources": sources, "daemon": daemon})
        )
        log = (tmp / f"{backend}-daemon.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "daemon", "--config", str(config), "--db", db_url],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        memory = TreeMemory(proc.pid)
        memory.start()
        engine = make_engine(db_url, write=False)
        limit = args.every * 4 + 600
        try:
            start = time.monotonic()
            wait_runs(engine, n, proc, limit)
            print(
                f"[{backend}] first cycle: {n} sources, {n * FEED_ITEMS} articles in {time.monotonic() - start:.0f} s"
            )
            first_peak, memory.peak_mb = memory.peak_mb, 0.0  # from here: idle and changes
            wait_children_reaped(proc.pid, args.every / 2)
            before_cpu, before = tree_cpu_s(proc.pid), _ask(control, "counts")
            wait_runs(engine, n * (1 + args.idle_cycles), proc, limit * args.idle_cycles)
            wait_children_reaped(proc.pid, args.every / 2)
            own, children = (a - b for a, b in zip(tree_cpu_s(proc.pid), before_cpu, strict=True))
            cpu = own + children
            after = _ask(control, "counts")
            delta = Counter(after) - Counter(before)  # type: ignore[arg-type]
            feeds = delta["feed_200"] + delta["feed_304"]
            # Each poll asks for its feed once: the polls made in the window, as the server
            # counted them. Not n * idle_cycles: a first cycle longer than the cadence polls
            # early sources again before it ends, and those runs fall before the window.
            polls = feeds
            print(
                f"[{backend}] idle: {cpu / max(polls, 1):.3f} CPU-s per source per poll "
                f"({cpu:.0f} CPU-s over {polls} polls: daemon {own:.1f}, children {children:.1f}); "
                "feeds answered 304: "
                f"{delta['feed_304']}/{feeds} ({delta['feed_304'] / max(feeds, 1):.1%}); "
                f"article fetches {delta['article_200'] + delta['article_304']}; robots.txt "
                f"requests {delta['robots_304'] + delta['robots_200']} (304: {delta['robots_304']}; "
                "none while the stored copy is fresh)"
            )
            latencies = []
            for cycle in range(args.change_cycles):
                time.sleep(random.uniform(0, args.every))
                picked = random.sample(range(n), min(args.changing, n))
                published = dict(_ask(control, "publish", picked))  # type: ignore[arg-type]
                waiting = dict(published)
                while waiting and time.monotonic() - start < limit * (2 + args.idle_cycles + cycle):
                    time.sleep(1)
                    for url in stored(engine, set(waiting)):
                        latencies.append(time.time() - waiting.pop(url))
                if waiting:
                    print(f"[{backend}] {len(waiting)} new articles never stored")
            if latencies:
                print(
                    f"[{backend}] new article to stored: median {statistics.median(latencies):.0f} s, "
                    f"max {max(latencies):.0f} s over {len(latencies)} (polls every {args.every} s)"
                )
            print(
                f"[{backend}] peak memory of daemon + children (PSS): first cycle "
                f"{first_peak:.0f} MB, after it {memory.peak_mb:.0f} MB"
            )
            print(f"[{backend}] runs: {run_statuses(engine)}")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=300)
            memory.done.set()
            engine.dispose()
            log.close()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--every", type=int, default=120, help="each source's cadence, seconds")
    ap.add_argument("--idle-cycles", type=int, default=2)
    ap.add_argument("--change-cycles", type=int, default=2)
    ap.add_argument("--changing", type=int, default=5, help="sources publishing per change cycle")
    ap.add_argument(
        "--batch-size", type=int, default=0, help="daemon.batch_size (0: the daemon's default)"
    )
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg", default=PG_URL)
    args = ap.parse_args()
    port = free_port()
    control, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(args.sources, port, theirs), daemon=True)
    server.start()
    assert control.recv() == "ready"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for backend in args.backends.split(","):
                bench(backend, args, port, control, Path(tmp))
    finally:
        control.send(("stop",))
        server.join(10)


if __name__ == "__main__":
    main()
