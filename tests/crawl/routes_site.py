"""A loopback publisher with the routes the route tests need: the demo site plus hostile ones.

``/big/`` and ``/cap/``: an index of 5,000 sitemaps (oldest first in the
document); ``/nest/N.xml``: indexes nesting for ever; ``/shapes/``: text
sitemaps, a feed with an enclosure-only entry, a windows-1251 feed whose XML
declaration says latin-1, a portal page announcing ``/feed.xml``, a feed of
redirects that lead nowhere (``/self``, ``/loop-a``, ``/away``, ``/hop0``).
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from crawler.demo.site import DemoSite, LoggedRequest, Reply

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
