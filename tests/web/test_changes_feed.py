"""``/changes.atom``: the newest edits, retitles and deletions, valid Atom, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from crawler.store import db
from crawler.store.articles import ensure_source, mark_gone, record_fetch
from crawler.store.db import session_scope
from crawler.web.app import make_app
from crawler.web.changes import (
    DELETED,
    EDITED,
    RETITLED,
    RETITLED_AND_EDITED,
    change_kind,
    xml_text,
)
from tests.store.helpers import T0, later, record

A, B, C, D = (f"https://pub0.example/{n}" for n in "abcd")
E = "https://pub1.example/e"


@pytest.fixture
def client(engine: Engine, db_url: str) -> Iterator[TestClient]:
    with session_scope(engine) as s:
        pub0, pub1 = ensure_source(s, "pub0", T0), ensure_source(s, "pub1", T0)
        for url in (A, B, C, D):
            record_fetch(s, pub0, record(url=url, title=f"Story {url[-1]}"))
        record_fetch(s, pub1, record(url=E, title="Other"))
        unchanged_later = record(url=D, title="Story d", at=later(9))  # no version: not a change
        record_fetch(s, pub0, unchanged_later)
    with session_scope(engine) as s:
        record_fetch(s, pub0, record(url=A, title="Story a", text="New body.", at=later(1)))
        record_fetch(s, pub0, record(url=B, title="Story b\x0b & <co>", at=later(2)))
        record_fetch(s, pub0, record(url=C, title="Story c2", text="Both.", at=later(3)))
        record_fetch(s, pub1, record(url=E, title="Other", text="Edited.", at=later(5)))
        mark_gone(s, D, later(4))
    read_only = db.make_engine(db_url, read_only=True)
    with TestClient(make_app(read_only)) as c:
        yield c
    read_only.dispose()


def test_the_feed_is_valid_atom_with_each_kind_newest_first(client: TestClient) -> None:
    response = client.get("/changes.atom")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == later(5).isoformat()
    kinds = [(e.link, e.tags[0].term) for e in feed.entries]
    base = "http://testserver/"
    assert kinds == [
        (f"{base}diff?url=https%3A%2F%2Fpub1.example%2Fe&from=1&to=2", EDITED),
        (f"{base}article?url=https%3A%2F%2Fpub0.example%2Fd", DELETED),
        (f"{base}diff?url=https%3A%2F%2Fpub0.example%2Fc&from=1&to=2", RETITLED_AND_EDITED),
        (f"{base}diff?url=https%3A%2F%2Fpub0.example%2Fb&from=1&to=2", RETITLED),
        (f"{base}diff?url=https%3A%2F%2Fpub0.example%2Fa&from=1&to=2", EDITED),
    ]
    retitled = feed.entries[3]
    assert retitled.title == "Retitled: Story b & <co>"  # the control character is dropped
    assert "Title was “Story b”." in retitled.summary
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert all(e.updated for e in feed.entries)
    for entry in feed.entries:  # every link opens its page
        link = urlsplit(entry.link)
        assert client.get(f"{link.path}?{link.query}").status_code == 200, entry.link
    related = [link.href for link in feed.entries[1].links if link.rel == "related"]
    assert related == [D]


def test_the_feed_per_source_and_an_unknown_source(client: TestClient) -> None:
    feed = feedparser.parse(client.get("/changes.atom", params={"source": "pub1"}).content)
    assert not feed.bozo
    assert [parse_qs(urlsplit(e.link).query)["url"] for e in feed.entries] == [[E]]
    assert "pub1" in feed.feed.title
    missing = client.get("/changes.atom", params={"source": "nope"})
    assert missing.status_code == 404
    assert "no such source: nope" in missing.text


def test_the_articles_page_links_to_the_feed(client: TestClient) -> None:
    page = client.get("/articles").text
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Edits, retitles and deletions" href="/changes.atom">'
    ) in page
    assert '<a id="changes-feed" href="/changes.atom">' in page
    one = client.get("/articles", params={"source": "pub1"}).text
    assert 'href="/changes.atom?source=pub1"' in one


def test_change_kind_and_xml_text() -> None:
    assert change_kind(title_changed=True, text_changed=False) == RETITLED
    assert change_kind(title_changed=True, text_changed=True) == RETITLED_AND_EDITED
    assert change_kind(title_changed=False, text_changed=True) == EDITED
    assert xml_text("a\x00b\x1fc\td\ud800e\U0001f600") == "abc\tde\U0001f600"
