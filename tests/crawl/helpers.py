"""Run the real ``crawler crawl`` in a child process against a loopback publisher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

FAST_DEFAULTS = {
    "download_delay": "0s",
    "timeout": "10s",
    "revisit": {"within_days": 3650, "min_interval": "0s"},
}


def write_config(path: Path, sources: list[dict[str, Any]], **defaults: Any) -> Path:
    path.write_text(yaml.safe_dump({"defaults": {**FAST_DEFAULTS, **defaults}, "sources": sources}))
    return path


def run_cli(
    *args: str, timeout: int = 180, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("CRAWLER_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
    )


def crawl(config: Path, db_url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    done = run_cli("crawl", "--config", str(config), "--db", db_url, *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def export(db_url: str, *extra: str) -> dict[str, dict[str, Any]]:
    """What ``crawler export --db DB_URL [EXTRA]`` writes, by URL.

    The command runs in this process (Click's test runner): a child interpreter
    importing the CLI anew cost a second and a half of CPU per export.
    """
    from click.testing import CliRunner

    from crawler.cli import cli

    done = CliRunner().invoke(cli, ["export", "--db", db_url, *extra])
    assert done.exit_code == 0, done.output
    return {row["url"]: row for row in map(json.loads, done.stdout.splitlines())}


def last_counts(db_url: str, source: str) -> dict[str, int]:
    """The counts of the newest crawl_runs row of ``source``."""
    from sqlalchemy import select

    from crawler.store.db import make_engine, session_scope
    from crawler.store.models import CrawlRun, SourceRow

    engine = make_engine(db_url, write=False)
    with session_scope(engine) as s:
        run = s.execute(
            select(CrawlRun)
            .join(SourceRow)
            .where(SourceRow.name == source)
            .order_by(CrawlRun.id.desc())
            .limit(1)
        ).scalar_one()
        counts = dict(run.counts)
        counts["_status_ok"] = int(run.status == "ok")
    engine.dispose()
    return counts


def assert_store_whole(db_url: str) -> None:
    """Every article's versions run 1..n, and every version has its kept page."""
    from sqlalchemy import func, select

    from crawler.store.db import make_engine, session_scope
    from crawler.store.models import Article, ArticleVersion, PageHtml

    engine = make_engine(db_url, write=False)
    with session_scope(engine) as s:
        for article in s.scalars(select(Article)):
            numbers = sorted(
                s.scalars(
                    select(ArticleVersion.version).where(ArticleVersion.article_id == article.id)
                )
            )
            assert numbers == list(range(1, article.current_version + 1))
        versions = s.scalar(select(func.count()).select_from(ArticleVersion))
        assert s.scalar(select(func.count()).select_from(PageHtml)) == versions
    engine.dispose()
