"""Counts the SQL statements of every process of a benchmarked crawl (on PYTHONPATH).

The crawl writes from a child process (forked from a fork server), so a
counter in the parent alone sees almost nothing. Python imports this in
every process it starts with this folder on PYTHONPATH; each process that
runs a statement appends ``pid count`` to ``$BENCH_STATEMENTS_FILE`` as it
exits, whether by the interpreter's exit or multiprocessing's.
"""

from __future__ import annotations

import atexit
import os

FILE = os.environ.get("BENCH_STATEMENTS_FILE")

if FILE:
    from multiprocessing import util

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    _state = {"pid": 0, "count": 0, "reported": 0}

    def _report() -> None:
        if _state["reported"] != os.getpid():
            _state["reported"] = os.getpid()
            with open(FILE, "a") as out:  # noqa: PTH123 - stdlib only, in every process
                out.write(f"{os.getpid()} {_state['count']}\n")

    def _count(*_: object) -> None:
        if _state["pid"] != os.getpid():  # first statement of this process
            _state.update(pid=os.getpid(), count=0)
            atexit.register(_report)
            util.Finalize(None, _report, exitpriority=100)
        _state["count"] += 1

    event.listen(Engine, "before_cursor_execute", _count)
