"""One article per page under the right URL: canonicals that lie, prose without markup,
thin pages, one page under two URLs, articles split over pages (issue 20, points 1-5).

Two loopback publishers (127.0.0.1 and 127.0.0.2), crawled together by one real
``crawler crawl`` through their sitemaps, then again after an edit; on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.pipelines.extract import MIN_BODY_CHARS
from crawler.spiders.continuation import MAX_PAGES
from tests.crawl.helpers import crawl, export, last_counts, run_cli, write_config
from tests.crawl.static_site import StaticSite, page, prose, serve_static, sitemap

pytestmark = pytest.mark.slow


def canonical(url: str) -> str:
    return f'<link rel="canonical" href="{url}">'


def pub_pages(base: str, other: str) -> dict[str, str]:
    """The publisher: each group of paths is one case of the issue."""
    listing_cards = "".join(
        f"<div class='card'><h2><a href='/a/{n}.html'>Story {n} of the day</a></h2>"
        f"<p>{prose(100 + i, 1)[0]}</p></div>"
        for i, n in enumerate(["one", "two", "three", "x", "y", "z"])
    )
    next_link = '<link rel="next" href="/m/long.html?page=2">'
    pages = {
        # 1. canonicals: the site root, another host, a start URL (listing), claimed twice, fine
        "/a/one.html": page("Harbour story", prose(1), canonical(f"{base}/")),
        "/a/two.html": page("Budget story", prose(2), canonical(f"{base}/")),
        "/a/three.html": page("Railway story", prose(3), canonical(f"{base}/")),
        "/b/foreign.html": page(
            "Foreign canon", prose(4), canonical("https://elsewhere.example/b")
        ),
        "/c/sectioned.html": page("Section canon", prose(5), canonical(f"{base}/section/")),
        "/d/first.html": page("First claim", prose(6), canonical(f"{base}/d/story.html")),
        "/d/second.html": page("Second claim", prose(7), canonical(f"{base}/d/story.html")),
        "/d/story.html": page("The real story", prose(17), canonical(f"{base}/d/story.html")),
        "/e/print.html": page("Tunnel opens", prose(8), canonical(f"{base}/e/story.html")),
        # 2. prose without article markup is an article; a listing is not
        "/p/listing.html": page("Latest", [], body_extra=listing_cards),
        # 3. a truncated page
        "/t/thin.html": page(
            "Thin", ["Half a para"], '<meta property="og:type" content="article">', markup=True
        ),
        # 4. one page under two URLs: spelling, an AMP twin, the same text elsewhere
        "/v/slash": page("Slash story", prose(9)),
        "/v/slash/": page("Slash story", prose(9)),
        "/v/amp.html": page("Amp story", prose(10)),
        "/v/amp.html?amp=1": page("Amp story", prose(10), "<style amp-custom></style>"),
        "/v/story.html": page("Print story", prose(11)),
        "/v/print-story.html": page("Print story", prose(11)),
        # 5. an article over three pages
        "/m/long.html": page("Long read", prose(12), next_link),
        "/m/long.html?page=2": page(
            "Long read", prose(13), body_extra='<a href="/m/long.html?page=3">Next page</a>'
        ),
        "/m/long.html?page=3": page("Long read", prose(14)),
        "/section/": "<html><head><title>News</title></head><body><h1>News</h1></body></html>",
    }
    # ... and one whose pages never end: the first MAX_PAGES are one text.
    for n in range(1, 13):
        here = "/n/endless.html" + (f"?page={n}" if n > 1 else "")
        link = f'<link rel="next" href="/n/endless.html?page={n + 1}">'
        pages[here] = page("Endless", prose(40 + n, 3), link)
    listed = [p for p in pages if p != "/section/" and "page=" not in p]
    pages["/sitemap.xml"] = sitemap(base, listed)
    return pages


@pytest.fixture
def sites() -> Iterator[tuple[StaticSite, StaticSite]]:
    with (
        serve_static(StaticSite(), "127.0.0.1") as pub,
        serve_static(StaticSite(), "127.0.0.2") as wire,
    ):
        pub.pages = pub_pages(pub.base, wire.base)
        # Another source's copy of /e/ (rewritten), naming the publisher's article as its own.
        wire.pages = {
            "/w/copy.html": page(
                "Tunnel opens, wire copy",
                prose(15),
                f'<meta property="og:url" content="{pub.base}/e/story.html">',
            ),
            "/sitemap.xml": sitemap(wire.base, ["/w/copy.html"]),
        }
        yield pub, wire


def test_identity_of_articles_through_two_crawls(
    sites: tuple[StaticSite, StaticSite], db_url: str, tmp_path: Path
) -> None:
    pub, wire = sites
    b = pub.base
    cfg = write_config(
        tmp_path / "s.yaml",
        [
            {"name": "pub", "sitemaps": [f"{b}/sitemap.xml"], "start_urls": [f"{b}/section/"]},
            {"name": "wire", "sitemaps": [f"{wire.base}/sitemap.xml"]},
        ],
    )
    crawl(cfg, db_url)
    stored = export(db_url)
    counts = last_counts(db_url, "pub")

    # 1. A canonical naming the site root, another host or a listing keys nothing.
    for path in ("/a/one.html", "/a/two.html", "/a/three.html"):
        assert stored[f"{b}{path}"]["declared_canonical"] is None
        assert len(stored[f"{b}{path}"]["versions"]) == 1
    assert f"{b}/" not in stored
    assert counts["canonical_ignored/site_root"] == 3
    assert stored[f"{b}/b/foreign.html"]["declared_canonical"] == "https://elsewhere.example/b"
    assert counts["canonical_ignored/offsite"] == 1
    assert f"{b}/c/sectioned.html" in stored
    assert counts["canonical_ignored/listing"] == 1
    # ... and so does a canonical held by a page with other text: here the page itself.
    real = stored[f"{b}/d/story.html"]
    assert (real["fetch_url"], real["text"]) == (f"{b}/d/story.html", "\n".join(prose(17)))
    assert len(real["versions"]) == 1
    for claimant in ("/d/first.html", "/d/second.html"):
        assert stored[f"{b}{claimant}"]["declared_canonical"] is None
    assert counts["canonical_ignored/claimed"] == 2
    # An acceptable canonical keys the article; the fetch URL is kept.
    story = stored[f"{b}/e/story.html"]
    assert story["fetch_url"] == f"{b}/e/print.html"
    assert story["declared_canonical"] == f"{b}/e/story.html"
    # Another source naming it: keyed by its own URL, its canonical kept, one story.
    copy = stored[f"{wire.base}/w/copy.html"]
    assert copy["source"] == "wire"
    assert copy["declared_canonical"] == f"{b}/e/story.html"
    assert copy["cluster_id"] == story["cluster_id"]
    assert last_counts(db_url, "wire")["canonical_ignored/offsite"] == 1

    # 2. Prose without markup from a sitemap is an article (all the above); a listing is not.
    assert f"{b}/p/listing.html" not in stored
    assert counts["not_article"] == 1

    # 3. A truncated page is counted and not stored.
    assert f"{b}/t/thin.html" not in stored
    assert counts["too_short"] == 1
    assert all(len(row["text"]) >= MIN_BODY_CHARS for row in stored.values())

    # 4. One page under two URLs: one article, the other URL an alias.
    for first, twin in (
        ("/v/slash", "/v/slash/"),
        ("/v/amp.html", "/v/amp.html?amp=1"),
        ("/v/print-story.html", "/v/story.html"),
    ):
        assert f"{b}{first}" in stored
        assert f"{b}{twin}" not in stored
        assert stored[f"{b}{first}"]["aliases"] == [f"{b}{twin}"]
    assert counts["aliases"] == 3

    # 5. Three pages, one text in order; page 2 and 3 are not articles of their own.
    long = stored[f"{b}/m/long.html"]
    assert long["text"].split("\n") == prose(12) + prose(13) + prose(14)
    assert not [u for u in stored if "page=" in u]
    endless = stored[f"{b}/n/endless.html"]["text"].split("\n")
    assert endless == [p for n in range(1, MAX_PAGES + 1) for p in prose(40 + n, 3)]
    assert pub.requested(f"/n/endless.html?page={MAX_PAGES + 1}") == 0
    assert len(stored) == 15  # 14 of the publisher, 1 of the wire

    # Next crawl: no alias fetched again; an edit on page 3 is a version of the whole.
    pub.log.clear()
    pub.pages["/m/long.html?page=3"] = page("Long read", prose(14) + prose(16, 1))
    crawl(cfg, db_url)
    again = export(db_url)
    for twin in ("/v/slash/", "/v/amp.html?amp=1", "/v/story.html"):
        assert pub.requested(twin) == 0, twin
    assert pub.requested("/m/long.html?page=3") == 1
    versions = again[f"{b}/m/long.html"]["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[-1]["text"].split("\n") == prose(12) + prose(13) + prose(14) + prose(16, 1)
    assert set(again) == set(stored)
    assert all(len(r["versions"]) == 1 for u, r in again.items() if "/m/" not in u)
    assert pub.requested(f"/n/endless.html?page={MAX_PAGES}") == 1  # revisited together
    # Every page was kept: re-extraction reads all three again.
    assert run_cli("reextract", "--db", db_url).returncode == 0
    assert export(db_url)[f"{b}/m/long.html"]["versions"] == versions
