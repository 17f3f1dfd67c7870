"""Routes a publisher offers, crawled for real: bounded sitemaps, odd shapes, a home page, redirects.

One ``crawler crawl`` per database of a loopback publisher (the demo site plus
hostile routes) with one source per behaviour, read back from the run counts,
the printed summary and the publisher's request log.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from crawler.demo.site import DemoSite, LoggedRequest, Reply, serve
from tests.crawl.helpers import crawl, last_counts, write_config

pytestmark = pytest.mark.slow

SITEMAPS_IN_INDEX = 5000
CYRILLIC_PATH = "/news/новости.html"
OWN_PREFIXES = (
    "/big/",
    "/cap/",
    "/nest/",
    "/shapes/",
    "/hop",
    "/loop",
    "/self",
    "/away",
    CYRILLIC_PATH,
)
SM = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


class RoutesSite(DemoSite):
    """The demo publisher plus the routes under test (all other paths: the demo's)."""

    def respond(self, path_qs: str, headers: dict[str, str]) -> Reply:
        path = unquote(path_qs.split("?")[0])
        if not path.startswith(OWN_PREFIXES):
            return super().respond(path_qs, headers)
        with self.lock:
            self.log.append(LoggedRequest(path_qs, headers))
        if path == CYRILLIC_PATH:
            return self.article(self.public()[3], headers)
        return self.route(path)

    def route(self, path: str) -> Reply:
        arts = [self.url(a) for a in self.public()]
        day = datetime(2026, 1, 1, tzinfo=UTC)
        folder = path.split("/")[1]
        if path in (
            "/big/index.xml",
            "/cap/index.xml",
        ):  # oldest first in the document, <lastmod> says which is new
            children = "".join(
                f"<sitemap><loc>{self.base}/{folder}/{i}.xml</loc>"
                f"<lastmod>{(day + timedelta(hours=i)).isoformat()}</lastmod></sitemap>"
                for i in range(SITEMAPS_IN_INDEX)
            )
            return _xml(f"<sitemapindex {SM}>{children}</sitemapindex>")
        if folder in ("big", "cap"):
            return _xml(
                f"<urlset {SM}>{''.join(f'<url><loc>{u}</loc></url>' for u in arts)}</urlset>"
            )
        if path.startswith("/nest/"):  # each index names the next, for ever
            n = int(path.removeprefix("/nest/").removesuffix(".xml"))
            loc = f"{self.base}/nest/{n + 1}.xml"
            return _xml(f"<sitemapindex {SM}><sitemap><loc>{loc}</loc></sitemap></sitemapindex>")
        if path == "/shapes/urls.txt":
            return Reply(200, f"{arts[0]}\n\n{arts[1]}\n".encode(), "text/plain")
        if path == "/shapes/urls.txt.gz":
            return Reply(200, gzip.compress(f"{arts[2]}\n".encode()), "application/gzip")
        if path == "/shapes/feed.xml":  # an RSS feed given under sitemaps:, with a video entry
            items = (
                f"<item><title>a</title><link>{arts[4]}</link></item>"
                f'<item><title>v</title><enclosure url="{self.base}/shapes/movie.mp4" '
                'type="video/mp4" length="9"/></item>'
            )
            return Reply(200, _rss(items).encode(), "application/rss+xml")
        if path == "/shapes/cyrillic.xml":  # windows-1251 bytes, the XML declaration says latin-1
            body = _rss(f"<item><title>c</title><link>{self.base}{CYRILLIC_PATH}</link></item>")
            body = body.replace('encoding="UTF-8"', 'encoding="iso-8859-1"')
            return Reply(
                200, body.encode("windows-1251"), "application/rss+xml; charset=windows-1251"
            )
        if path == "/shapes/portal/":
            feed = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
            return Reply(200, f"<html><head>{feed}</head><body>Portal</body></html>".encode())
        if path == "/shapes/redirects.xml":
            items = "".join(
                f"<item><title>{p}</title><link>{self.base}/{p}.html</link></item>"
                for p in ("self", "loop-a", "away", "hop0")
            )
            return Reply(200, _rss(items).encode(), "application/rss+xml")
        host = self.base.replace("127.0.0.1", "localhost")
        redirects = {
            "/self.html": "/self.html",
            "/loop-a.html": "/loop-b.html",
            "/loop-b.html": "/loop-a.html",
            "/away.html": f"{host}/news/{self.public()[5].slug}.html",
        }
        if path.startswith("/hop"):  # /hop0.html → /hop1.html → … never arriving
            redirects[path] = f"/hop{int(path[4:-5]) + 1}.html"
        return Reply(302, headers=(("Location", redirects[path]),))


def _xml(body: str) -> Reply:
    return Reply(200, f'<?xml version="1.0" encoding="UTF-8"?>{body}'.encode(), "application/xml")


def _rss(items: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


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
    assert home["home/found_sitemaps"] >= 1  # robots.txt (its Sitemap: line) and /sitemap.xml
    assert home["home/not_found"] >= 5  # /sitemap_index.xml, /news-sitemap.xml, ...: 404
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
