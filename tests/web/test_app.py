"""The web app and JSON API over a real store, on SQLite and PostgreSQL: pages, search, safety."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from starlette.testclient import TestClient

from crawler.dedupe.clusters import record_article
from crawler.dedupe.minhash import signature
from crawler.store import db
from crawler.store.articles import ensure_source, mark_gone
from crawler.store.clusters import lock_clusters
from crawler.store.db import session_scope
from crawler.web.app import make_app
from tests.store.helpers import T0, later, record

HOSTILE_TITLE = 'Chip <script>alert("x")</script> news'
HOSTILE_TEXT = 'Body with <img src=x onerror=alert(1)> and "quotes".\nSecond paragraph about fabs.'
STORY = "The semiconductor plant opened on Monday after two years of delay and supply trouble."


def _store(engine: Engine, source: str, url: str, title: str, body: str, hours: int = 0) -> None:
    with session_scope(engine) as s:
        lock_clusters(s)
        sid = ensure_source(s, source, T0)
        rec = record(url=url, title=title, text=body, at=T0 + timedelta(hours=hours))
        record_article(s, sid, rec, signature(body))


@pytest.fixture
def client(engine: Engine, db_url: str) -> Iterator[TestClient]:
    _store(engine, "pub0", "https://pub0.example/hostile", HOSTILE_TITLE, HOSTILE_TEXT)
    _store(engine, "pub0", "https://pub0.example/fab", "Fab opens", STORY)
    _store(
        engine, "pub0", "https://pub0.example/fab", "Fab opens at last", STORY + " Shares rose.", 2
    )
    _store(engine, "pub1", "https://pub1.example/fab-copy", "Report: fab opens", STORY, 1)
    for i in range(60):
        _store(
            engine,
            "pub2",
            f"https://pub2.example/{i:03d}",
            f"Filler {i}",
            f"Filler story number {i} about gardens.",
            3,
        )
    with session_scope(engine) as s:
        mark_gone(s, "https://pub2.example/000", later(4))
    read_only = db.make_engine(db_url, read_only=True)
    with TestClient(make_app(read_only)) as c:
        yield c
    read_only.dispose()


def test_every_page_renders_and_stored_markup_is_inert(client: TestClient) -> None:
    for path in ("/", "/articles", "/runs", "/articles?q=fab", "/articles?status=gone"):
        assert client.get(path).status_code == 200, path
    page = client.get("/article", params={"url": "https://pub0.example/hostile"}).text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    listing = client.get("/articles", params={"q": "chip"}).text
    assert "<script>alert" not in listing
    assert "&lt;script&gt;" in listing


def test_search_filters_and_pages(client: TestClient) -> None:
    def urls(**params: object) -> list[str]:
        found = client.get("/api/articles", params=params).json()["found"]
        return [r["url"] for r in found["rows"]]

    assert urls(q="semiconductor") == ["https://pub0.example/fab", "https://pub1.example/fab-copy"]
    assert urls(q="shares") == ["https://pub0.example/fab"]  # only the current version's words
    assert urls(q="semiconductor", source="pub1") == ["https://pub1.example/fab-copy"]
    assert urls(status="gone") == ["https://pub2.example/000"]
    assert len(urls(source="pub2")) == 50
    assert len(urls(source="pub2", page=2)) == 10
    first, after = T0.date().isoformat(), (T0.date() + timedelta(days=1)).isoformat()
    assert len(urls(since=first, until=first, q="semiconductor")) == 2
    assert urls(since=after, q="semiconductor") == []
    assert urls(until=first, source="pub0") == [
        "https://pub0.example/fab",
        "https://pub0.example/hostile",
    ]
    for hostile in ('" OR 1=1 --', "NEAR(fab", "title:fab*", "'; DROP TABLE articles; --", "%_"):
        assert client.get("/articles", params={"q": hostile}).status_code == 200
    assert len(urls()) == 50  # nothing was dropped


def test_article_versions_diff_and_story(client: TestClient) -> None:
    url = "https://pub0.example/fab"
    article = client.get("/api/article", params={"url": url}).json()["article"]
    assert [v["version"] for v in article["versions"]] == [1, 2]
    diff = client.get("/diff", params={"url": url}).text
    assert "<ins> Shares rose.</ins>" in diff
    assert "<ins> at last</ins>" in diff  # the title change
    data = client.get("/api/diff", params={"url": url, "from": 1, "to": 2}).json()
    assert {"op": "added", "text": " Shares rose."} in data["text"]
    story = client.get(f"/api/story/{article['cluster_id']}").json()
    assert [m["source"] for m in story["members"]] == ["pub0", "pub1"]  # earliest first


def test_unknown_things_are_404_bad_input_400_and_nothing_writes(client: TestClient) -> None:
    assert client.get("/article", params={"url": "https://nowhere.example/"}).status_code == 404
    assert (
        client.get("/api/diff", params={"url": "https://pub0.example/fab", "to": 9}).status_code
        == 404
    )
    assert client.get("/api/story/nope").status_code == 404
    assert client.get("/articles", params={"since": "yesterday"}).status_code == 400
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/articles").status_code == 405


def test_the_read_only_engine_is_refused_writes_by_the_database(db_url: str) -> None:
    engine = db.make_engine(db_url, read_only=True)
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (name, created_at) VALUES ('x', '2026-01-01')"))
    engine.dispose()


def test_stories_shared_by_several_sources_come_first(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["stories"]
    assert stories[0]["sources"] == 2
    assert stories[0]["articles"] == 2
    assert stories[0]["title"] == "Fab opens at last"  # the representative's current title
    assert all(s["sources"] == 1 for s in stories[1:])
    page = client.get("/stories").text
    assert f'href="/story/{stories[0]["key"]}"' in page
    for path in ("/", "/articles", "/runs", "/stories"):
        assert '<a href="/stories">Stories</a>' in client.get(path).text, path


def test_the_timeline_says_what_each_version_changed(client: TestClient) -> None:
    page = client.get("/article", params={"url": "https://pub0.example/fab"}).text
    changes = re.findall(r'<span class="change">([^<]*)</span>', page)
    assert changes == ["first seen", "title changed · +2 words"]
    assert re.search(r"\s· first seen \d{4}-", page)
    assert not re.search(r"\S· first seen", page)


def test_bad_page_and_status_are_a_clear_400(client: TestClient) -> None:
    for params, message in (
        ({"page": "-1"}, "page must be 1 or more"),
        ({"page": "0"}, "page must be 1 or more"),
        ({"status": "bogus"}, "status must be one of live, gone"),
    ):
        for path in ("/articles", "/api/articles"):
            answer = client.get(path, params=params)
            assert answer.status_code == 400, (path, params)
            assert message in answer.text
