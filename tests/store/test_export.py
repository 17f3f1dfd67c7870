"""`crawler export --format jsonl`: the contract's shape, filters, and a streamed read."""

from __future__ import annotations

import json
from datetime import datetime

from click.testing import CliRunner
from sqlalchemy import Engine

from crawler.cli import cli
from crawler.store.articles import ensure_source, record_fetch
from crawler.store.db import session_scope
from tests.store.helpers import T0, later, record

CONTRACT_KEYS = {
    "url",
    "source",
    "title",
    "authors",
    "published",
    "modified",
    "text",
    "status",
    "first_seen",
    "last_fetched",
    "cluster_id",
    "versions",
}


def _seed(engine: Engine) -> None:
    with session_scope(engine) as s:
        pub0 = ensure_source(s, "pub0", T0)
        pub1 = ensure_source(s, "pub1", T0)
        record_fetch(
            s,
            pub0,
            record(url="https://pub0.example/a", title="First", authors=["Ann"], published=T0),
        )
        record_fetch(s, pub1, record(url="https://pub1.example/b", title="Other"))
    with session_scope(engine) as s:
        record_fetch(
            s,
            pub0,
            record(url="https://pub0.example/a", title="Second", text="New body.", at=later(24)),
        )


def _export(db_url: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["export", "--format", "jsonl", "--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_shape(engine: Engine, db_url: str) -> None:
    _seed(engine)
    rows = {r["url"]: r for r in _export(db_url)}
    a = rows["https://pub0.example/a"]
    assert set(a) >= CONTRACT_KEYS
    assert (a["title"], a["text"], a["source"], a["status"]) == (
        "Second",
        "New body.",
        "pub0",
        "live",
    )
    assert [v["version"] for v in a["versions"]] == [1, 2]
    assert [v["title"] for v in a["versions"]] == ["First", "Second"]
    assert a["authors"] == []
    for key in ("first_seen", "last_fetched"):
        assert datetime.fromisoformat(a[key]).utcoffset() is not None
    assert datetime.fromisoformat(a["versions"][0]["fetched_at"]) == T0
    assert rows["https://pub1.example/b"]["versions"][0]["title"] == "Other"


def test_export_filters(engine: Engine, db_url: str) -> None:
    _seed(engine)
    assert [r["url"] for r in _export(db_url, "--source", "pub1")] == ["https://pub1.example/b"]
    since = later(1).isoformat()
    assert [r["url"] for r in _export(db_url, "--since", since)] == ["https://pub0.example/a"]
    assert [r["url"] for r in _export(db_url, "--since", "2026-03-02")] == [
        "https://pub0.example/a"
    ]


def test_export_bad_since_exits_2(db_url: str) -> None:
    result = CliRunner().invoke(cli, ["export", "--db", db_url, "--since", "yesterday"])
    assert result.exit_code == 2
    assert "not an ISO 8601 date" in result.output


def test_export_streams_many_articles(engine: Engine, db_url: str) -> None:
    with session_scope(engine) as s:
        sid = ensure_source(s, "pub0", T0)
        for i in range(1200):
            record_fetch(s, sid, record(url=f"https://pub0.example/{i:05d}", text=f"Body {i}."))
    rows = _export(db_url)
    assert len(rows) == 1200
    assert len({r["url"] for r in rows}) == 1200
    assert all(len(r["versions"]) == 1 for r in rows)
