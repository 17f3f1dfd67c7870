"""Feeds and sitemaps from hostile bytes: XXE and entity bombs refused, gzip bombs capped, never a raise."""

from __future__ import annotations

import contextlib
import gzip
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.spiders.discovery import (
    BadSitemapError,
    SitemapDoc,
    feed_links,
    home_feeds,
    lastmod_time,
    newest_first,
    read_sitemap,
    read_sitemap_or_feed,
    robots_txt_url,
    text_sitemap_urls,
    usual_sitemap_urls,
)

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>https://pub.example/a.html</link></item>
<item><title>b</title><link>https://pub.example/b.html</link></item></channel></rss>"""
URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://pub.example/a.html</loc></url><url><loc> https://pub.example/b.html </loc></url></urlset>"""
FEED_WITH = (
    b'<rss version="2.0"><channel><item><link>https://pub.example/REF</link></item></channel></rss>'
)
URLSET_WITH = (
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://pub.example/REF</loc></url></urlset>"
)
SECRET = "SECRET-3f9a1c"
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">'
    + b"".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10))
    + b"]>"
)


def xxe(tmp_path: Path) -> bytes:
    """A DOCTYPE whose entity would read a local file holding SECRET."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    return f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()


def test_feeds_and_sitemaps_read() -> None:
    assert feed_links(RSS, "https://pub.example/feed") == [
        "https://pub.example/a.html",
        "https://pub.example/b.html",
    ]
    doc = read_sitemap(URLSET, 10_000)
    assert (doc.kind, doc.locs) == (
        "urlset",
        ["https://pub.example/a.html", "https://pub.example/b.html"],
    )
    assert read_sitemap(gzip.compress(URLSET), 10_000).locs == doc.locs


@pytest.mark.parametrize(
    ("value", "latest"),
    [
        ("2026-11-24", datetime(2026, 11, 25, tzinfo=UTC)),  # some time that day
        ("2026-11-24T10:15+01:00", datetime(2026, 11, 24, 9, 16, tzinfo=UTC)),
        ("2026-11-24T10:15:30Z", datetime(2026, 11, 24, 10, 15, 31, tzinfo=UTC)),
        (
            "2026-11-24T10:15:30.250000+00:00",
            datetime(2026, 11, 24, 10, 15, 30, 250000, tzinfo=UTC),
        ),
        ("2026-11-24T10:15:30", datetime(2026, 11, 24, 10, 15, 31, tzinfo=UTC)),  # read as UTC
        ("yesterday", None),
        ("", None),
    ],
)
def test_lastmod_is_the_latest_instant_it_can_mean(value: str, latest: datetime | None) -> None:
    assert lastmod_time(value) == latest


def test_sitemap_lastmod_is_kept_by_loc_where_given_and_readable() -> None:
    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://pub.example/a.html</loc><lastmod>2026-11-24T10:00:00Z</lastmod></url>"
        b"<url><loc>https://pub.example/b.html</loc><lastmod>soon</lastmod></url>"
        b"<url><loc>https://pub.example/c.html</loc></url></urlset>"
    )
    doc = read_sitemap(body, 10_000)
    assert len(doc.locs) == 3
    assert doc.lastmod == {
        "https://pub.example/a.html": datetime(2026, 11, 24, 10, 0, 1, tzinfo=UTC)
    }


@pytest.mark.parametrize("attack", ["xxe", "billion-laughs"])
def test_entities_are_never_expanded(tmp_path: Path, attack: str) -> None:
    head, ref = (xxe(tmp_path), b"&xxe;") if attack == "xxe" else (LAUGHS, b"&l9;")
    links = feed_links(head + FEED_WITH.replace(b"REF", ref), "https://pub.example/feed") or []
    with contextlib.suppress(BadSitemapError):
        links += read_sitemap(head + URLSET_WITH.replace(b"REF", ref), 10_000).locs
    for link in links:
        assert SECRET not in link
        assert "lollol" not in link
        assert len(link) < 200


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 50_000_000)  # 50 MB of nothing, ~50 KB gzipped
    assert len(bomb) < 100_000
    with pytest.raises(BadSitemapError, match="bad gzip"):
        read_sitemap(bomb, 1_000_000)


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>not xml</body></html>", b"\x1f\x8bgarbage", URLSET[:60], RSS[:80]]
)
def test_broken_documents_give_nothing_and_never_raise(body: bytes) -> None:
    assert not feed_links(body, "https://pub.example/feed")
    with contextlib.suppress(BadSitemapError):
        assert read_sitemap(body, 10_000).locs == []


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_arbitrary_bytes_never_raise(body: bytes) -> None:
    start = time.perf_counter()
    feed_links(body, "https://pub.example/feed")
    with contextlib.suppress(BadSitemapError):
        read_sitemap(body, 10_000)
    assert time.perf_counter() - start < 60  # a hang guard, not a speed test


def test_plain_text_sitemaps_plain_and_gzipped() -> None:
    body = b"\xef\xbb\xbfhttps://pub.example/a.html\r\n\n  https://pub.example/b?x=1  \n"
    for raw in (body, gzip.compress(body)):
        doc = read_sitemap(raw, 10_000)
        assert (doc.kind, doc.locs) == (
            "urlset",
            ["https://pub.example/a.html", "https://pub.example/b?x=1"],
        )


@pytest.mark.parametrize(
    "body",
    [
        b"https://pub.example/a.html\nnot a url\n",  # one stray line: not a text sitemap
        b"User-agent: *\nDisallow: /\n",
        b"https://pub.example/a b.html\n",
        b"\xff\xfehttps://pub.example/a.html",  # not UTF-8
        b"",
        URLSET,
    ],
)
def test_text_sitemaps_are_only_urls_one_a_line(body: bytes) -> None:
    assert text_sitemap_urls(body) is None


def test_a_feed_under_sitemaps_is_read_as_a_feed_and_neither_is_an_error() -> None:
    doc = read_sitemap_or_feed(RSS, "https://pub.example/feed", 10_000)
    assert (doc.kind, doc.locs) == (
        "feed",
        ["https://pub.example/a.html", "https://pub.example/b.html"],
    )
    assert read_sitemap_or_feed(URLSET, "https://pub.example/s", 10_000).kind == "urlset"
    with pytest.raises(BadSitemapError, match="not a sitemap"):
        read_sitemap_or_feed(
            b"<html><body>Not found</body></html>", "https://pub.example/s", 10_000
        )


def test_an_entry_whose_only_link_is_an_enclosure_gives_no_link() -> None:
    rss = (
        b'<rss version="2.0"><channel><item><title>v</title>'
        b'<enclosure url="https://pub.example/movie.mp4" type="video/mp4" length="9"/></item>'
        b"<item><title>a</title><link>https://pub.example/a.html</link>"
        b'<enclosure url="https://pub.example/a.mp3" type="audio/mpeg" length="9"/></item>'
        b"</channel></rss>"
    )
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<entry><title>v</title><link rel="enclosure" href="https://pub.example/movie.mp4"/></entry>'
        b'<entry><title>b</title><link rel="alternate" href="https://pub.example/b.html"/></entry></feed>'
    )
    assert feed_links(rss, "https://pub.example/rss") == ["https://pub.example/a.html"]
    assert feed_links(atom, "https://pub.example/atom") == ["https://pub.example/b.html"]


def test_the_http_charset_wins_over_the_xml_declaration() -> None:
    body = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><item>'
        "<link>https://pub.example/новости.html</link></item></channel></rss>"
    ).encode("windows-1251")
    headers = {"content-type": "application/rss+xml; charset=windows-1251"}
    assert feed_links(body, "https://pub.example/f", headers) == [
        "https://pub.example/новости.html"
    ]
    assert feed_links(body, "https://pub.example/f") != ["https://pub.example/новости.html"]


def test_a_home_page_announces_its_feeds() -> None:
    html = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">'
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="alternate" type="text/html" hreflang="de" href="/de/">'
        '<link rel="stylesheet" type="application/rss+xml" href="/not-a-feed.xml">'
        "</head><body></body></html>"
    )
    assert home_feeds(html, "https://pub.example/news/") == [
        "https://pub.example/feed.xml",
        "https://pub.example/news/atom.xml",
    ]
    assert home_feeds("<p>no head at all", "https://pub.example/") == []


def test_the_usual_routes_are_on_the_home_pages_origin() -> None:
    home = "https://pub.example:8443/en/home?x=1"
    assert robots_txt_url(home) == "https://pub.example:8443/robots.txt"
    usual = usual_sitemap_urls(home)
    assert usual[0] == "https://pub.example:8443/sitemap.xml"
    assert "https://pub.example:8443/news-sitemap.xml" in usual
    assert all(u.startswith("https://pub.example:8443/") for u in usual)


def test_an_index_is_read_newest_first_undated_last_in_document_order() -> None:
    day = datetime(2026, 1, 1, tzinfo=UTC)
    doc = SitemapDoc(
        "sitemapindex",
        ["u1", "old", "u2", "new", "mid", "old"],
        {
            "old": day,
            "new": datetime(2026, 3, 1, tzinfo=UTC),
            "mid": datetime(2026, 2, 1, tzinfo=UTC),
        },
    )
    assert newest_first(doc) == ["new", "mid", "old", "u1", "u2"]
