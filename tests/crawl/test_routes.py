"""Routes a publisher offers, crawled for real: bounded sitemaps, odd shapes, a home page, redirects.

One ``crawler crawl`` per database of a loopback publisher (the demo site plus
hostile routes) with one source per behaviour, read back from the run counts,
the printed summary and the publisher's request log.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from crawler.demo.site import serve
from crawler.spiders.discovery import USUAL_SITEMAP_PATHS
from tests.crawl.helpers import crawl, last_counts, write_config
from tests.crawl.routes_site import CYRILLIC_PATH, SITEMAPS_IN_INDEX, RoutesSite

pytestmark = pytest.mark.slow


@pytest.fixture
def routes_site() -> Iterator[RoutesSite]:
    with serve(RoutesSite()) as running:
        yield running  # type: ignore[misc]


def test_bounded_sitemaps_shapes_home_and_redirect_drops(
    routes_site: RoutesSite, db_url: str, tmp_path: Path
) -> None:
    site, b = routes_site, routes_site.base
    sources = [
        {"name": "big", "sitemaps": [f"{b}/big/index.xml"], "max_pages": 3},
        {"name": "cap", "sitemaps": [f"{b}/cap/index.xml"], "max_sitemaps": 3},
        {"name": "nest", "sitemaps": [f"{b}/nest/0.xml"]},
        {
            "name": "shapes",
            "sitemaps": [f"{b}/shapes/urls.txt", f"{b}/shapes/urls.txt.gz", f"{b}/shapes/feed.xml"],
            "feeds": [f"{b}/shapes/cyrillic.xml"],
        },
        {"name": "home", "home": f"{b}/shapes/portal/"},
        {
            "name": "redirects",
            "feeds": [f"{b}/shapes/redirects.xml"],
        },
    ]
    cfg = write_config(tmp_path / "s.yaml", sources)
    done = crawl(cfg, db_url)
    asked = [unquote(r.path) for r in site.log]

    # 5. An index of 5,000 sitemaps and max_pages 3: a handful asked, the newest first.
    big = sorted(int(p[5:-4]) for p in asked if p.startswith("/big/") and p[5:-4].isdigit())
    assert 1 <= len(big) <= 5, big
    assert big[-1] == SITEMAPS_IN_INDEX - 1
    assert min(big) >= SITEMAPS_IN_INDEX - 5
    counts = last_counts(db_url, "big")
    assert counts["sitemaps_fetched"] == 1 + len(big)
    assert counts["skipped/sitemap_page_cap"] == SITEMAPS_IN_INDEX - len(big)
    # max_sitemaps 3: the index and its two newest sitemaps, the rest counted.
    cap = sorted(p for p in asked if p.startswith("/cap/"))
    assert cap == ["/cap/4998.xml", "/cap/4999.xml", "/cap/index.xml"]
    assert last_counts(db_url, "cap")["skipped/sitemap_cap"] == SITEMAPS_IN_INDEX - 2
    # ... and an index nesting for ever stops at sitemap_max_depth (3), the skip counted and shown.
    assert sorted(p for p in asked if p.startswith("/nest/")) == [
        f"/nest/{n}.xml" for n in range(4)
    ]
    assert last_counts(db_url, "nest")["skipped/sitemap_depth"] == 1
    assert "nest sitemaps not fetched: depth: 1" in done.stdout
    assert f"big sitemaps not fetched: page_cap: {SITEMAPS_IN_INDEX - len(big)}" in done.stdout

    # 6. Text sitemaps (plain and gzipped), a feed under sitemaps:, no enclosure fetched, and
    # the feed's header charset (not its XML declaration) giving the right non-ASCII link.
    shapes = last_counts(db_url, "shapes")
    assert shapes["candidates/sitemap"] == 3  # two from urls.txt, one from urls.txt.gz
    assert shapes["candidates/feed"] == 2  # the feed under sitemaps:, the windows-1251 feed
    assert "errors" not in shapes or shapes["errors"] == 0
    assert "/shapes/movie.mp4" not in asked
    assert CYRILLIC_PATH in asked
    assert quote(CYRILLIC_PATH) in [r.path for r in site.log]

    # 7. A home page alone: its <link rel=alternate> feed, robots.txt's Sitemap: and the usual
    # sitemap paths; what does not answer is counted, not an error.
    home = last_counts(db_url, "home")
    assert home.get("candidates/feed", 0) + home.get("candidates/sitemap", 0) >= len(site.public())
    assert "/feed.xml" in asked  # no other source's route
    assert "/sitemap-articles.xml" in asked
    assert home["home/found_feeds"] == 1
    assert home["home/found_sitemaps"] == 1  # /sitemap.xml (robots.txt names it too)
    assert home["home/not_found"] == len(USUAL_SITEMAP_PATHS) - 1  # /sitemap_index.xml, ...: 404
    assert not any(k.startswith("errors/http_404") for k in home)

    # 8. Redirects that lead nowhere: counted by kind, shown, never errors; nothing off-site asked.
    drops = last_counts(db_url, "redirects")
    assert drops["dropped/redirect_self"] == 1
    assert drops["dropped/redirect_loop"] == 1
    assert drops["dropped/redirect_offsite"] == 1
    assert drops["dropped/redirect_too_many"] == 1
    assert "errors/ignored" not in drops
    assert not [r for r in site.log if r.headers.get("host", "").startswith("localhost")]
    assert (
        "redirects dropped by redirects: loop: 1, offsite: 1, self: 1, too_many: 1" in done.stdout
    )
