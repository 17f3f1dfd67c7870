"""Migrations build the schema the models describe, on both backends, from anywhere."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from crawler.store import db
from crawler.store.export import iter_articles
from crawler.store.models import Base, described_by_models

ROOT = Path(__file__).resolve().parents[2]


def test_upgrade_matches_models(db_url: str) -> None:
    engine = db.make_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": described_by_models}
        )
        assert compare_metadata(ctx, Base.metadata) == []
    engine.dispose()


def test_the_head_revision_written_out_is_alembics_and_an_upgraded_database_is_at_it(
    db_url: str,
) -> None:
    head = ScriptDirectory.from_config(db.alembic_config(db_url)).get_current_head()
    assert head == db.HEAD_REVISION
    assert db.current_revision(db_url) == head


def test_upgrade_is_idempotent(db_url: str) -> None:
    db.upgrade(db_url)
    db.upgrade(db_url)
    if db_url.startswith("sqlite"):  # WAL is set by upgrade, before any crawl connects
        raw = sqlite3.connect(make_url(db_url).database)
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        raw.close()
    engine = db.make_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    assert {"sources", "articles", "article_versions", "crawl_runs", "alembic_version"} <= tables
    engine.dispose()


def test_cli_db_upgrade_from_another_directory(empty_db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "CRAWLER_DATABASE_URL": empty_db_url}
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "crawler", "db", "upgrade"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    engine = db.make_engine(empty_db_url)
    assert "articles" in inspect(engine).get_table_names()
    engine.dispose()


def test_wheel_ships_migrations_and_demo(tmp_path: Path) -> None:
    """A non-editable install must find the migrations: they go in the wheel."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("crawler-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "crawler/_migrations/env.py" in names
    assert any(n.startswith("crawler/_migrations/versions/0001") for n in names)


def test_versions_stored_before_0011_keep_their_dates_and_read_as_utc(empty_db_url: str) -> None:
    db.upgrade(empty_db_url, "0010")
    engine = db.make_engine(empty_db_url)
    utc = "" if empty_db_url.startswith("sqlite") else "+00"  # SQLite's columns hold UTC
    at = f"2026-03-01 09:00:00{utc}"
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO sources (id, name, created_at) VALUES (1, 'pub', '{at}')"))
        conn.execute(
            text(
                "INSERT INTO articles (id, url, fetch_url, source_id, status, first_seen,"
                " last_fetched, last_changed, current_version) VALUES (1, 'https://p.example/a',"
                f" 'https://p.example/a', 1, 'live', '{at}', '{at}', '{at}', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO article_versions (article_id, version, title, authors, published,"
                " text, content_hash, fetched_at) VALUES (1, 1, 'T', '[]',"
                f" '2024-03-04 15:00:00{utc}', 'x', 'h', '{at}')"
            )
        )
    engine.dispose()
    db.upgrade(empty_db_url)
    engine = db.make_engine(empty_db_url)
    with db.session_scope(engine) as session:
        (article,) = iter_articles(session)
        assert article["published"] == "2024-03-04T15:00:00+00:00"
        assert datetime.fromisoformat(article["published"]) == datetime(2024, 3, 4, 15, tzinfo=UTC)
        counts = session.execute(text("SELECT day_first_pages, month_first_pages FROM sources"))
        assert counts.one() == (0, 0)
    engine.dispose()
