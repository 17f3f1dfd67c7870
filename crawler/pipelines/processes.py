"""The worker processes of a crawl: extraction workers and the store writer, forked warm.

Each crawl runs its CPU work in child processes, so that the reactor's
thread is left with fetching: a pool of extraction workers (see
:mod:`crawler.pipelines.worker`) and one store writer (see
:mod:`crawler.pipelines.writer`). All of them fork from one fork server that
imports what they run once per crawl.

None of them outlives the crawl, even one killed with SIGKILL: each worker
watches the crawl's process (:func:`exit_with`) and exits when it ends.
Python's own machinery would not see it go: a pool worker holds both ends of
its task queue, so it waits on it for good; the fork server exits only when
every holder of its "alive" pipe is gone, and each worker holds one; the
resource tracker, likewise, waits for every holder of its pipe. With the
workers gone, the fork server and then the resource tracker see EOF and exit.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver
from typing import Any


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


def worker_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes from the fork server, each exiting with this process.

    ``initializer(*initargs)`` runs in each worker after :func:`exit_with`.
    """
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )


def _start_worker(
    crawl_pid: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    exit_with(crawl_pid)
    if initializer is not None:
        initializer(*initargs)


def exit_with(pid: int) -> None:
    """End this process (``os._exit(1)``) as soon as process ``pid`` ends, however it ends.

    A daemon thread waits on a pidfd, which becomes readable when the process
    terminates (pidfd_open(2), Linux 5.3). Not ``PR_SET_PDEATHSIG``: a worker's
    parent is the fork server, not the crawl; and it fires when the parent's
    *thread* ends, and the crawl starts its fork server from a thread that ends
    at once. Exits at once if ``pid`` has ended already.
    """
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)

    def watch() -> None:
        select.select([pidfd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name=f"exit-with-{pid}", daemon=True).start()
