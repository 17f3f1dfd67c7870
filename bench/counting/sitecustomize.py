"""Counts the SQL statements of every process of a benchmarked crawl (on PYTHONPATH).

The crawl writes from a child process (forked from a fork server), so a
counter in the parent alone sees almost nothing. Python imports this in
every process it starts with this folder on PYTHONPATH; each process that
runs a statement appends ``pid count`` to ``$BENCH_STATEMENTS_FILE`` as it
exits, whether by the interpreter's exit or multiprocessing's.

The counter is attached when the process itself imports SQLAlchemy's engine,
not here: importing SQLAlchemy in every process at start (the resource
tracker's too, and the crawl's before it starts its fork server) cost a
short crawl a fifth of its time, which is not the crawl's.
"""

from __future__ import annotations

import atexit
import importlib.abc
import importlib.machinery
import os
import sys
from types import ModuleType
from typing import Any

FILE = os.environ.get("BENCH_STATEMENTS_FILE", "")
_state = {"pid": 0, "count": 0, "reported": 0}


def _report() -> None:
    if _state["reported"] != os.getpid():
        _state["reported"] = os.getpid()
        with open(FILE, "a") as out:  # noqa: PTH123 - stdlib only, in every process
            out.write(f"{os.getpid()} {_state['count']}\n")


def _count(*_: object) -> None:
    if _state["pid"] != os.getpid():  # first statement of this process
        from multiprocessing import util

        _state.update(pid=os.getpid(), count=0)
        atexit.register(_report)
        util.Finalize(None, _report, exitpriority=100)
    _state["count"] += 1


class _CountOnceImported(importlib.abc.MetaPathFinder):
    """Attaches :func:`_count` to every Engine once ``sqlalchemy.engine`` is imported."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "sqlalchemy.engine":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            from sqlalchemy import event

            event.listen(module.Engine, "before_cursor_execute", _count)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if FILE:
    sys.meta_path.insert(0, _CountOnceImported())
