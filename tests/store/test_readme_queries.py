"""The README's example SQL runs on SQLite and PostgreSQL and answers what it says."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, text

from crawler.store.articles import ensure_source, mark_gone, record_fetch
from crawler.store.db import session_scope
from tests.store.helpers import T0, later, record

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_queries(engine: Engine) -> None:
    latest, versions_of_url, changed_since = readme_queries()
    with session_scope(engine) as s:
        sid = ensure_source(s, "pub0", T0)
        record_fetch(s, sid, record(url="https://p.example/a", title="A1"))
        record_fetch(s, sid, record(url="https://p.example/b", title="B1"))
        record_fetch(s, sid, record(url="https://p.example/c", title="C1"))
    with session_scope(engine) as s:
        record_fetch(s, sid, record(url="https://p.example/a", title="A2", at=later(48)))
        mark_gone(s, "https://p.example/c", later(48))
    with session_scope(engine) as s:
        rows = s.execute(text(latest)).all()
        assert sorted((r.url, r.version, r.title) for r in rows) == [
            ("https://p.example/a", 2, "A2"),
            ("https://p.example/b", 1, "B1"),
        ]
        rows = s.execute(text(versions_of_url), {"url": "https://p.example/a"}).all()
        assert [(r.version, r.title) for r in rows] == [(1, "A1"), (2, "A2")]
        rows = s.execute(text(changed_since), {"since": later(24)}).all()
        assert [r.url for r in rows] == ["https://p.example/a"]
