"""The README's example SQL runs on SQLite and PostgreSQL and answers what it says."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, text

from crawler.dedupe.clusters import record_article
from crawler.dedupe.minhash import signature
from crawler.store.articles import ensure_source, mark_gone, record_fetch
from crawler.store.clusters import lock_clusters
from crawler.store.db import session_scope
from tests.store.helpers import T0, later, record

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_queries(engine: Engine) -> None:
    latest, versions_of_url, changed_since, _stories = readme_queries()
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


def test_readme_story_query(engine: Engine) -> None:
    stories = readme_queries()[3]
    body = " ".join(
        f"Line {i} of the wire story on the harbour tunnel vote, with detail {i}."
        for i in range(12)
    )
    copies = [
        ("wire", body, 0),
        ("b-paper", body + " A local councillor welcomed it.", 2),
        ("a-paper", body, 1),
    ]
    with session_scope(engine) as s:
        lock_clusters(s)
        for source, text_, hours in [
            *copies,
            ("wire", "Unrelated: the bakery prize went to a rye loaf again.", 5),
        ]:
            url = f"https://{source}.example/{hours}"
            rec = record(url=url, title=source, text=text_, at=later(hours))
            record_article(s, ensure_source(s, source, T0), rec, signature(text_))
    with session_scope(engine) as s:
        rows = s.execute(text(stories)).all()
    assert [(r.url, r.source, r.articles, r.sources) for r in rows] == [
        ("https://wire.example/5", "wire", 1, "wire"),
        ("https://wire.example/0", "wire", 3, "a-paper, b-paper, wire"),
    ]
