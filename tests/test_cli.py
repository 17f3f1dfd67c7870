"""The CLI's details on a real store (SQLite and PostgreSQL): version picks, typed URLs, unknown sources, piped output, help."""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from crawler.cli import cli
from crawler.console import make_console
from crawler.crawl.runner import RunSummary
from crawler.dedupe.clusters import record_article
from crawler.dedupe.minhash import signature
from crawler.store import runs
from crawler.store.articles import ensure_source
from crawler.store.clusters import lock_clusters
from crawler.store.db import session_scope
from crawler.summary import print_summaries
from tests.store.helpers import T0, record

EDITED = "https://pub0.example/news/fab"
SINGLE = "https://pub0.example/news/once"
LONG = "A paragraph long enough to wrap at eighty columns, " * 6


@pytest.fixture
def stored(engine: Engine, db_url: str) -> str:
    """Two articles of source pub0: EDITED with 3 versions, SINGLE with 1 (a long paragraph)."""
    bodies = [(EDITED, "Fab opens", "The plant opened."), (SINGLE, "Once", LONG.strip())]
    bodies += [(EDITED, "Fab opens", "The plant opened."), (EDITED, "Fab opens", "Now + 2.")]
    bodies[2] = (EDITED, "Fab opens at last", "The plant opened on Monday.")
    for hours, (url, title, text) in enumerate(bodies):
        with session_scope(engine) as s:
            lock_clusters(s)
            sid = ensure_source(s, "pub0", T0)
            rec = record(url=url, title=title, text=text, at=T0 + timedelta(hours=hours))
            record_article(s, sid, rec, signature(text))
    return db_url


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


def one_line_error(result: click.testing.Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    return lines[0]


def test_diff_refuses_bad_version_numbers_with_one_line(stored: str) -> None:
    assert "there is no version 0 (it has 1..3)" in one_line_error(
        run("diff", EDITED, "--from", "0", "--db", stored)
    )
    assert "there is no version 4" in one_line_error(
        run("diff", EDITED, "--to", "4", "--db", stored)
    )
    assert "version 2 is not older than version 1" in one_line_error(
        run("diff", EDITED, "--from", "2", "--to", "1", "--db", stored)
    )
    default = run("diff", EDITED, "--db", stored)
    assert default.exit_code == 0
    assert default.output.startswith("version 2 (")  # 2 → 3, the newest change
    assert "→ 3 (" in default.output.splitlines()[0]
    explicit = run("diff", EDITED, "--from", "1", "--to", "2", "--db", stored)
    assert "title: Fab opens{+ at last+}" in explicit.output


def test_a_one_version_article_says_there_is_nothing_to_compare(stored: str) -> None:
    result = run("diff", SINGLE, "--db", stored)
    assert result.exit_code == 0
    assert result.output == f"{SINGLE} has one version only: nothing to compare\n"


@pytest.mark.parametrize(
    "typed",
    [
        EDITED + "?utm_source=x#frag",
        "pub0.example/news/fab",
        "//PUB0.example/news/fab?utm_medium=social",
        "HTTPS://pub0.example:443/news/fab#comments",
    ],
)
def test_show_and_diff_find_the_article_however_its_url_is_typed(stored: str, typed: str) -> None:
    shown = run("show", typed, "--db", stored)
    assert shown.exit_code == 0, shown.output
    assert EDITED in shown.output
    assert run("diff", typed, "--db", stored).exit_code == 0


def test_unknown_source_exits_2_for_export_and_reextract(stored: str) -> None:
    for command in ("export", "reextract"):
        line = one_line_error(run(command, "--source", "nosuch", "--db", stored))
        assert "no source named 'nosuch'" in line
    exported = run("export", "--source", "pub0", "--db", stored)
    assert exported.stdout.count("\n") == 2
    assert exported.stderr == "wrote 2 articles\n"


def test_status_reads_the_sources_yaml_of_its_folder_for_the_next_due_run(
    stored: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with session_scope(engine) as s:
        run_id = runs.start_run(s, ensure_source(s, "pub0", T0), T0)
        runs.finish_run(s, run_id, T0, runs.OK, {}, [])

    def next_due() -> str:
        lines = run("status", "--db", stored).output.splitlines()
        header, row = (
            [cell.strip() for cell in line.split(mark)]
            for line, mark in ((lines[2], "┃"), (next(x for x in lines if "pub0" in x), "│"))
        )
        return row[header.index("next due (UTC)")]

    assert next_due() == "-", "no config, no schedule"
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: pub0\n    feeds: [https://pub0.example/feed.xml]\n"
    )
    # read from ./sources.yaml (every 30m); long overdue since T0, so due now
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", next_due())


def test_piped_output_does_not_wrap(stored: str) -> None:
    shown = run("show", SINGLE, "--db", stored)
    assert LONG.strip() in shown.output.splitlines()  # one line, however long
    out = io.StringIO()
    summary = RunSummary("a-long-source-name", "ok", T0, T0, {"pages_fetched": 12345, "new": 3})
    print_summaries([summary], console=make_console(file=out))
    table = out.getvalue()
    for header in ("source", "status", "fetched", "new versions", "not article", "errors"):
        assert header in table
    assert "a-long-source-name" in table
    assert "…" not in table


def test_pages_fetched_but_not_stored_say_why_under_the_table() -> None:
    out = io.StringIO()
    counts = {"pages_fetched": 2, "too_short": 1, "no_text": 1}
    print_summaries([RunSummary("pub", "ok", T0, T0, counts)], console=make_console(file=out))
    assert "pub pages not stored: too_short: 1, no_text: 1" in out.getvalue().splitlines()
    out = io.StringIO()
    print_summaries([RunSummary("pub", "ok", T0, T0, {"new": 2})], console=make_console(file=out))
    assert "not stored" not in out.getvalue()


@pytest.mark.parametrize(
    ("unchanged", "line"), [(1, "1 discovery route unchanged"), (3, "3 discovery routes unchanged")]
)
def test_unchanged_routes_are_counted_in_the_right_number(unchanged: int, line: str) -> None:
    out = io.StringIO()
    counts = {"routes_not_modified": unchanged}
    print_summaries([RunSummary("pub", "ok", T0, T0, counts)], console=make_console(file=out))
    assert f"pub: {line} (304 or same body)" in out.getvalue().splitlines()


def test_pages_unchanged_but_for_lines_around_the_story_are_said() -> None:
    out = io.StringIO()
    counts = {"unchanged": 2, "lines_around_ignored": 2}
    print_summaries([RunSummary("pub", "ok", T0, T0, counts)], console=make_console(file=out))
    assert (
        "pub: 2 pages unchanged but for lines around the story (outside its paragraphs'"
        " places): no new version"
    ) in out.getvalue().splitlines()


def _options(command: click.Command, path: str = "") -> list[tuple[str, click.Option]]:
    found = [(f"{path}{command.name} {p.opts[0]}", p) for p in command.params]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += _options(sub, f"{path}{command.name} ")
    return [(name, p) for name, p in found if isinstance(p, click.Option)]


def test_every_option_has_a_help_line_with_its_default() -> None:
    options = dict(_options(cli))
    for name, option in options.items():
        if option.is_flag or option.count or name.endswith(("--help", "--version")):
            continue
        assert option.help, f"{name} has no help line"
        assert option.show_default or "default" in option.help or "required" in option.help, name
    assert "TCP port" in (options["cli serve --port"].help or "")
    assert "JSON lines" in (options["cli export --format"].help or "")
    since = options["cli export --since"].help or ""
    assert "ISO 8601" in since
    assert "UTC" in since
    assert "[default: off]" in (options["cli daemon --metrics-port"].help or "")
    worker_db = options["cli worker --db"].help or ""
    assert "PostgreSQL" in worker_db
    assert not re.search("sqlite", worker_db, re.IGNORECASE)
    assert "8080" in run("serve", "--help").output


def test_serve_on_port_0_says_the_port_it_listens_on(stored: str) -> None:
    args = [sys.executable, "-m", "crawler", "serve", "--port", "0", "--db", stored]
    with subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            match = re.search(r"read-only on http://127\.0\.0\.1:(\d+)/$", first.strip())
            assert match, first
            port = int(match.group(1))
            assert port != 0
            url = f"http://127.0.0.1:{port}/changes.atom"
            with urllib.request.urlopen(url, timeout=30) as got:
                assert got.status == 200
                assert "atom" in got.headers["Content-Type"]
        finally:
            proc.terminate()


def test_serve_on_a_port_in_use_is_one_line(stored: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line_error(run("serve", "--port", str(port), "--db", stored))
    assert f"cannot listen on 127.0.0.1:{port}" in line


@pytest.mark.parametrize("command", ["show", "diff"])
def test_a_url_the_store_does_not_hold_is_one_line_exit_2(stored: str, command: str) -> None:
    line = one_line_error(run(command, "https://pub0.example/news/nope", "--db", stored))
    assert line == "error: no stored article at https://pub0.example/news/nope"


def test_a_daemon_started_on_a_new_store_logs_no_alembic_chatter(tmp_path: Path) -> None:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text("sources:\n  - name: pub\n    feeds: [http://127.0.0.1:9/feed.xml]\n")
    log = tmp_path / "daemon.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler",
                "daemon",
                "--config",
                str(cfg),
                "--db",
                f"sqlite:///{tmp_path / 'new.db'}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            for _ in range(1200):  # up to two minutes on a loaded machine
                if "daemon started" in log.read_text() or proc.poll() is not None:
                    break
                time.sleep(0.1)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    text = log.read_text()
    assert "daemon started" in text, text
    assert "alembic" not in text, text
