"""``crawler demo`` as a new user runs it: twice in one folder, then the commands it suggests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.crawl.helpers import run_cli

pytestmark = pytest.mark.slow

EDITED_PATH = "/news/open-source-database-release.html"


def _crawler(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, timeout=300, cwd=cwd)


def _rows(section: str) -> dict[str, list[str]]:
    """The crawl summary table's rows, by source: status, fetched, new, new versions, ..."""
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if line.startswith("│") and len(cells) == 11:
            rows[cells[0]] = cells[1:]
    return rows


def _sections(output: str) -> dict[str, str]:
    """The demo's output by the title of each ``─── title ───`` rule."""
    parts = re.split(r"^─+ (.+?) ─+$", output, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_demo_twice_in_one_folder_then_what_it_suggests(tmp_path: Path) -> None:
    first = _crawler(tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    out = _sections(first.stdout)
    assert _rows(out["first crawl"])["demo"][3] == "0"  # new versions: none on a fresh store
    assert _rows(out["first crawl"])["demo-wire"][2] == "1"
    assert _rows(out["second crawl, after the publisher edited one article"])["demo"][3] == "1"
    heading = next(t for t in out if t.startswith("version "))
    assert heading.startswith("version 2 of http://127.0.0.1:")
    assert heading.endswith(EDITED_PATH)
    edited_url = heading.removeprefix("version 2 of ")
    # one story carried by both outlets: the same story key on a demo and a demo-wire line
    stories = re.findall(
        r"  (demo|demo-wire), versions: \d+  \(live, story (\w+)\)", out["stored articles"]
    )
    by_key: dict[str, set[str]] = {}
    for source, key in stories:
        by_key.setdefault(key, set()).add(source)
    assert {"demo", "demo-wire"} in by_key.values()
    nxt = out["next"]
    assert "sqlite:///crawler.db" in nxt
    for command in ("crawler serve", f"crawler diff {edited_url}", "crawler status"):
        assert f"  {command}\n" in nxt

    again = _crawler(tmp_path, "demo")
    assert again.returncode == 0, again.stderr
    assert "already holds this demo's articles from an earlier run" in again.stdout
    out = _sections(again.stdout)
    for row in _rows(out["first crawl"]).values():
        assert row[2:4] == ["0", "0"], row  # nothing new, no spurious version: a clean re-run
    assert f"version 3 of {edited_url}" in out

    diff = _crawler(tmp_path, "diff", edited_url)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith("version 2 (")
    assert re.search(r"\{\+\s*Update 2:", diff.stdout)
    assert _crawler(tmp_path, "status").returncode == 0
