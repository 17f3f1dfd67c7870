"""Database errors and a missing store, as a user meets them: one line on stderr, exit 2.

Every command runs as a real process (``python -m crawler``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawl.helpers import run_cli, write_config

REFUSED = "postgresql://nobody@127.0.0.1:1/x"
FIRST_RUN = "run `crawler demo` or `crawler crawl` first"
EVERY_COMMAND = [
    "status",
    "crawl",
    "db upgrade",
    "demo",
    "export",
    "serve",
    "show",
    "diff",
    "reextract",
    "worker",
    "daemon",
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": ["http://127.0.0.1:9/f"]}])


def commands(config: Path) -> dict[str, list[str]]:
    return {
        "status": ["status"],
        "crawl": ["crawl", "--config", str(config)],
        "db upgrade": ["db", "upgrade"],
        "demo": ["demo"],
        "export": ["export"],
        "serve": ["serve", "--port", "0"],
        "show": ["show", "https://pub.example/a"],
        "diff": ["diff", "https://pub.example/a"],
        "reextract": ["reextract"],
        "worker": ["worker"],
        "daemon": ["daemon", "--config", str(config)],
    }


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_an_unreachable_database_is_one_line_and_exit_2(
    command: str, config: Path, tmp_path: Path
) -> None:
    done = run_cli(*commands(config)[command], "--db", REFUSED, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: cannot open the database {REFUSED}: connection refused"
    ]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://x", "unsupported, use sqlite:///PATH or postgresql://USER@HOST/DATABASE"),
        ("notaurl", "not a URL (sqlite:///PATH or postgresql://USER@HOST/DATABASE)"),
        # in memory: each of a crawl's processes would see an empty database of its own
        ("sqlite:///", "names no file (sqlite:///PATH or postgresql://USER@HOST/DATABASE)"),
        ("sqlite:///:memory:", "names no file (sqlite:///PATH or postgresql://USER@HOST/DATABASE)"),
    ],
)
@pytest.mark.parametrize("command", ["status", "crawl"])
def test_a_url_of_no_supported_database_is_one_line_and_exit_2(
    command: str, url: str, reason: str, config: Path, tmp_path: Path
) -> None:
    done = run_cli(*commands(config)[command], "--db", url, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: cannot open the database {url}: {reason}"]


def test_verbose_adds_the_traceback(config: Path, tmp_path: Path) -> None:
    done = run_cli("crawl", "--config", str(config), "--db", REFUSED, "-v", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.splitlines()[-1] == (
        f"error: cannot open the database {REFUSED}: connection refused"
    )


@pytest.mark.parametrize("command", ["status", "show", "diff", "export", "serve"])
def test_read_commands_with_no_database_say_so_and_create_nothing(
    command: str, config: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    done = run_cli(*commands(config)[command], cwd=folder)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: no crawler database at ./crawler.db: {FIRST_RUN}"]
    assert list(folder.iterdir()) == []


def test_a_sqlite_path_in_a_missing_folder_is_no_database(config: Path, tmp_path: Path) -> None:
    done = run_cli("export", "--db", "sqlite:///missing/x.db", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: no crawler database at ./missing/x.db: {FIRST_RUN}"
    ]
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("command", ["status", "serve"])
def test_an_empty_postgresql_database_is_no_crawler_database(
    command: str, config: Path, pg_schema_url: str, tmp_path: Path
) -> None:
    done = run_cli(*commands(config)[command], "--db", pg_schema_url, cwd=tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith("error: no crawler database at postgresql://postgres@127.0.0.1")
    assert line.endswith(FIRST_RUN)
