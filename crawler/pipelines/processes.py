"""The worker processes of a crawl: extraction workers and the store writer, forked warm.

Each crawl runs its CPU work in child processes, so that the reactor's
thread is left with fetching: a pool of extraction workers (see
:mod:`crawler.pipelines.worker`) and one store writer (see
:mod:`crawler.pipelines.writer`). All of them fork from one fork server that
imports what they run once per crawl.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver

_POOLS: dict[int, ProcessPoolExecutor] = {}  # by size: one per process, shared by its crawls


def worker_context() -> multiprocessing.context.ForkServerContext:
    """Workers forked from a fork server that has imported the extraction and store stacks.

    Not plain "fork": a child of the crawl would inherit the running reactor and
    its sockets. Not "spawn": each worker would import lxml, trafilatura, extruct,
    datasketch and SQLAlchemy itself (over a second of CPU per worker). The fork
    server is a fresh process; it imports them once (and the main module, which
    spawned children would each import again) and every worker forks from it warm.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        [
            "__main__",
            "datasketch",
            "crawler.extract.page",
            "crawler.pipelines.worker",
            "crawler.pipelines.writer",
        ]
    )
    return context


def extraction_pool(workers: int) -> ProcessPoolExecutor:
    """The process's pool of ``workers`` extraction workers, shared by the crawls it runs.

    A batch of sources crawled in one process (``crawler daemon``) then has
    ``workers`` workers in all, not as many per source; they start on demand
    and end with the process.
    """
    if workers not in _POOLS:
        _POOLS[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context())
    return _POOLS[workers]


def start_fork_server() -> threading.Thread:
    """Start the fork server in a thread: the caller goes on while it imports.

    The extraction pipeline starts it at a crawl's first page (a no-op if it
    runs already), so that its imports run on the other core while the crawl
    goes on fetching; a crawl that finds no page (an idle poll, all 304s)
    never pays for it.
    """
    worker_context()  # the preload list is the fork server's, set before it starts
    warming = threading.Thread(target=forkserver.ensure_running, name="fork-server", daemon=True)
    warming.start()
    return warming
