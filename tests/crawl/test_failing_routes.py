"""A source whose every route fails is a failed run, and says why per route, everywhere.

One route points at a loopback port nothing listens on (connection refused),
the other at a host that cannot resolve (``.invalid``, RFC 2606).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from crawler.store import runs
from crawler.store.db import make_engine, session_scope
from crawler.web.app import make_app
from tests.crawl.helpers import run_cli, write_config

pytestmark = pytest.mark.slow


def refused_port() -> int:
    """A loopback port that was free a moment ago: nothing listens on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_every_route_failing_fails_the_run_with_one_line_per_route(
    db_url: str, tmp_path: Path
) -> None:
    feed = f"http://127.0.0.1:{refused_port()}/feed.xml"
    sitemap = "http://nosuch.invalid/sitemap.xml"
    source = {
        "name": "down",
        "feeds": [feed],
        "sitemaps": [sitemap],
        "retries": 0,
        "private_addresses": "allow",
    }
    cfg = write_config(tmp_path / "s.yaml", [source])
    done = run_cli("crawl", "--config", str(cfg), "--db", db_url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "look at down: last run failed" in " ".join(done.stdout.split())

    engine = make_engine(db_url, read_only=True)
    with session_scope(engine) as s:
        (run,) = runs.recent_runs(s, "down")
    assert run.status == runs.FAILED
    by_route = {url: line for url in (feed, sitemap) for line in run.errors if url in line}
    assert by_route.keys() == {feed, sitemap}, run.errors
    assert all("\n" not in line for line in run.errors)
    assert "DNS lookup failed" in by_route[sitemap]
    assert "refused" in by_route[feed].lower()

    status = run_cli("status", "--db", db_url)
    row = next(line for line in status.stdout.splitlines() if "down" in line)
    assert "failed" in row
    assert "last run failed" in row
    assert run.errors[0][:30] in " ".join(status.stdout.split())  # the last error, shown
    with TestClient(make_app(engine)) as client:
        page = client.get("/").text
    engine.dispose()
    assert "last run failed" in page
    assert 'class="status-failed"' in page
    assert run.errors[0].split(": ")[1] in page
