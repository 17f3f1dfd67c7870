"""A local demo publisher: feeds, sitemaps, paginated sections and noisy article pages.

Served on a free loopback port so ``crawler demo`` works offline, and used by
the tests as a real HTTP server with knobs for faults (503 then 200,
windows-1252, 410, redirects, ETags/304, robots.txt). Its article pages are
noisy on purpose, like the page this product was started from: the headline
three times, a promo teaser inside the body, share and cookie blurbs, a
"Related news" list, comments, a rotating "trending" widget.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from crawler.demo.content import ARTICLES, COMMENTS, PROMOS, STANDING_NOTE, WIRE, DemoArticle

SITE_NAME = "Demo Tech Daily"
CHALLENGE_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    "<noscript>Enable JavaScript and cookies to continue</noscript>"
    '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script>'
    "</body></html>"
)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LoggedRequest:
    path: str
    headers: dict[str, str]


def news_article_ld(
    headline: str, author: str, published: datetime, url: str, modified: datetime | None = None
) -> dict[str, object]:
    """The schema.org NewsArticle JSON-LD a publisher's page carries."""
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "author": [{"@type": "Person", "name": author}],
        "datePublished": published.isoformat(),
        "dateModified": (modified or published).isoformat(),
        "mainEntityOfPage": url,
    }


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _xml(body: str) -> bytes:
    """An XML document: the declaration, then ``body``."""
    return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode()


class DemoSite:
    """The publisher's content and routes; thread-safe, mutable by tests and the demo."""

    def __init__(
        self,
        articles: list[DemoArticle] | None = None,
        page_size: int = 2,
        link_via_redirect: bool = False,
    ) -> None:
        source = ARTICLES if articles is None else articles
        # Copies, paragraph lists included: edits must never leak into ARTICLES or another site.
        self.articles = {
            a.slug: DemoArticle(**{**a.__dict__, "hits": 0, "paragraphs": list(a.paragraphs)})
            for a in source
        }
        # The wire outlet's stories, under /wire/ with their own feed, in no listing of the paper.
        self.wire = {a.slug: DemoArticle(**{**a.__dict__, "hits": 0}) for a in WIRE}
        self.page_size = page_size
        # Every listing link goes through /go/<slug>?utm_source=..., which 302s to
        # /amp/<slug>.html, whose rel=canonical names /news/<slug>.html. Without it, only
        # the "Editor's pick" link redirects, straight to /news/<slug>.html.
        self.link_via_redirect = link_via_redirect
        self.lock = threading.Lock()
        self.noise_round = 0  # bumped by rotate_noise(): ads, teasers, counters change
        self.article_delay_s = 0.0  # a slow publisher: each article page waits this long
        # Cleared, article pages wait (up to a minute) until it is set again: a crawl held
        # mid-way for as long as a test needs, however slow the machine.
        self.articles_open = threading.Event()
        self.articles_open.set()
        self.log: list[LoggedRequest] = []
        self.base = ""

    # -- mutations used by the demo and tests ------------------------------------------

    def edit(
        self, slug: str, *, title: str | None = None, add_paragraph: str | None = None
    ) -> None:
        with self.lock:
            art = self.articles[slug]
            if title:
                art.title = title
            if add_paragraph:
                art.paragraphs.append(add_paragraph)
            art.modified = datetime.now(UTC).replace(microsecond=0)

    def rotate_noise(self) -> None:
        """Change everything around the articles (ads, teasers, counters, related order), not them."""
        with self.lock:
            self.noise_round += 1

    def delete(self, slug: str, status: int = 410) -> None:
        with self.lock:
            self.articles[slug].status = status

    def add(self, article: DemoArticle) -> None:
        with self.lock:
            self.articles[article.slug] = article

    def requests_to(self, path: str) -> list[LoggedRequest]:
        with self.lock:
            return [r for r in self.log if r.path == path]

    # -- URLs --------------------------------------------------------------------------

    def article_path(self, art: DemoArticle) -> str:
        return f"/{'private' if art.private else art.outlet}/{art.slug}.html"

    def url(self, art: DemoArticle) -> str:
        return f"{self.base}{self.article_path(art)}"

    def public(self) -> list[DemoArticle]:
        return sorted(
            (a for a in self.articles.values() if not a.private and a.status == 200),
            key=lambda a: a.published,
            reverse=True,
        )

    # -- routing -----------------------------------------------------------------------

    def respond(self, path_qs: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.log.append(LoggedRequest(path_qs, headers))
        parts = urlsplit(path_qs)
        path, query = parts.path, parse_qs(parts.query)
        routes = {
            "/robots.txt": self.robots,
            "/feed.xml": self.rss,
            "/atom.xml": self.atom,
            "/sitemap.xml": self.sitemap_index,
            "/sitemap-articles.xml": self.sitemap_urlset,
            "/": self.home,
            "/about": self.about,
        }
        if path in routes:
            return routes[path]()
        if path == "/sitemap-news.xml.gz":
            return Reply(200, gzip.compress(self.news_sitemap()), "application/gzip")
        if path.startswith("/section/"):
            return self.section(path.removeprefix("/section/"), int(query.get("page", ["1"])[0]))
        if path == "/wire/feed.xml":
            return self.wire_feed()
        if path.startswith("/wire/") and path.endswith(".html") and path[6:-5] in self.wire:
            return self.article(self.wire[path[6:-5]], headers)
        if path == "/downloads.xml":
            return self.downloads_feed()
        if path.startswith("/files/"):  # a binary file its server calls text/html
            return Reply(200, b"PK\x03\x04\x00\x00" + bytes(range(256)) * 8, "text/html")
        if path.startswith("/calendar/"):
            return self.calendar(path.removeprefix("/calendar/"))
        if path == "/challenge.xml":  # a bot wall: a JavaScript challenge served with 200
            return Reply(200, CHALLENGE_PAGE.encode())
        if path.startswith("/tag/"):
            return self.listing_page(f"Tag: {_e(path.removeprefix('/tag/'))}", self.public())
        if path.startswith("/go/"):
            target = "amp" if self.link_via_redirect else "news"
            return Reply(
                302, headers=(("Location", f"/{target}/{path.removeprefix('/go/')}.html"),)
            )
        for prefix in ("/news/", "/private/", "/amp/"):
            if path.startswith(prefix) and path.endswith(".html"):
                slug = path[len(prefix) : -5]
                art = self.articles.get(slug)
                if art and (prefix == "/amp/" or self.article_path(art) == path):
                    return self.article(art, headers)
        return Reply(404, b"<html><body><h1>Not found</h1></body></html>")

    # -- pages -------------------------------------------------------------------------

    def calendar(self, rest: str) -> Reply:
        """A crawler trap: every day links to the next, and to event pages with session ids."""
        day = int(rest.split("/")[0]) if rest.split("/")[0].isdigit() else 0
        if "/" in rest:  # an event page: no article here
            return Reply(200, b"<html><body><p>Event details.</p></body></html>")
        events = "".join(
            f'<li><a href="/calendar/{day}/event-{n}?jsessionid=S{day}x{n}">Event {n}</a></li>'
            for n in range(10)
        )
        body = (
            f'<html><head><link rel="next" href="/calendar/{day + 1}"></head><body>'
            f"<h1>Day {day}</h1><ul>{events}</ul>"
            f'<a href="/calendar/{day + 1}">Next day</a></body></html>'
        )
        return Reply(200, body.encode())

    def robots(self) -> Reply:
        body = f"User-agent: *\nDisallow: /private/\n\nSitemap: {self.base}/sitemap.xml\n"
        return Reply(200, body.encode(), "text/plain")

    def rss(self) -> Reply:
        return self._feed_of(SITE_NAME, "/", self.public())

    def wire_feed(self) -> Reply:
        """The wire outlet's feed: its stories only."""
        return self._feed_of(f"{SITE_NAME} Wire", "/wire/", list(self.wire.values()))

    def _feed_of(self, name: str, path: str, arts: list[DemoArticle]) -> Reply:
        items = "".join(
            f"<item><title>{_e(a.title)}</title>"
            f"<link>{self.url(a)}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<guid>{self.url(a)}</guid>"
            f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
            for a in arts
        )
        return _rss(
            f"<title>{name}</title><link>{self.base}{path}</link>"
            f"<description>Tech news</description>{items}"
        )

    def downloads_feed(self) -> Reply:
        """A feed whose first entry is a binary file served as text/html; its second, an article."""
        first = self.public()[0]
        items = (
            f"<item><title>Annual report</title><link>{self.base}/files/report.zip</link></item>"
            f"<item><title>{_e(first.title)}</title><link>{self.url(first)}</link></item>"
        )
        return _rss(f"<title>{SITE_NAME} downloads</title>{items}")

    def atom(self) -> Reply:
        entries = "".join(
            f'<entry><title>{_e(a.title)}</title><link href="{self.url(a)}"/>'
            f"<id>{self.url(a)}</id>"
            f"<updated>{a.published.isoformat()}</updated></entry>"
            for a in self.public()
        )
        body = (
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{SITE_NAME}</title><id>{self.base}/</id>"
            f"<updated>2026-03-06T00:00:00Z</updated>{entries}</feed>"
        )
        return Reply(200, _xml(body), "application/atom+xml")

    def sitemap_index(self) -> Reply:
        body = (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/sitemap-articles.xml</loc></sitemap>"
            f"<sitemap><loc>{self.base}/sitemap-news.xml.gz</loc></sitemap>"
            "</sitemapindex>"
        )
        return Reply(200, _xml(body), "application/xml")

    def sitemap_urlset(self) -> Reply:
        urls = "".join(
            f"<url><loc>{self.url(a)}</loc>"
            f"<lastmod>{(a.modified or a.published).isoformat()}</lastmod></url>"
            for a in self.public()
        )
        body = (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{self.base}/about</loc></url>{urls}</urlset>"
        )
        return Reply(200, _xml(body), "application/xml")

    def news_sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{self.url(a)}</loc><news:news><news:publication>"
            f"<news:name>{SITE_NAME}</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{_e(a.title)}</news:title></news:news></url>"
            for a in self.public()
        )
        return _xml(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>"
        )

    def _chrome(self, title: str, main: str, head: str = "", charset: str = "utf-8") -> str:
        trending = random.randint(1000, 99999)  # noqa: S311 - rotating noise, not security
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
            f"<title>{title} | {SITE_NAME}</title>{head}</head><body>"
            '<div class="cookie-banner">We use cookies to improve your experience. '
            "<button>Accept all cookies</button></div>"
            f'<header><a href="/">{SITE_NAME}</a></header>'
            '<nav><a href="/">Home</a> <a href="/section/tech">Tech</a> '
            '<a href="/tag/chips">Chips</a> <a href="/about">About us</a></nav>'
            f"{main}"
            f'<div class="trending-widget">Trending now: {trending} people are reading</div>'
            f"<footer><p>© 2026 {SITE_NAME}. All rights reserved.</p>"
            '<a href="/about">About</a></footer></body></html>'
        )

    def listing_href(self, art: DemoArticle) -> str:
        if self.link_via_redirect:
            return f"/go/{art.slug}?utm_source=section&amp;utm_medium=web"
        return self.article_path(art)

    def listing_page(self, heading: str, arts: list[DemoArticle], extra: str = "") -> Reply:
        cards = "".join(
            f'<article class="card"><h2><a href="{self.listing_href(a)}">{_e(a.title)}</a></h2>'
            f"<p>{_e(a.paragraphs[0][:120])}…</p></article>"
            for a in arts
        )
        main = f'<main><h1>{heading}</h1><div class="listing">{cards}</div>{extra}</main>'
        return Reply(200, self._chrome(heading, main).encode())

    def home(self) -> Reply:
        return self.listing_page("Latest news", self.public()[:3])

    def about(self) -> Reply:
        main = f"<main><h1>About {SITE_NAME}</h1><p>We write about technology.</p></main>"
        return Reply(200, self._chrome("About", main).encode())

    def section(self, name: str, page: int) -> Reply:
        arts = [a for a in self.public() if a.section == name]
        start = (page - 1) * self.page_size
        chunk = arts[start : start + self.page_size]
        more = start + self.page_size < len(arts)
        nav = (
            f'<a class="next" rel="next" href="/section/{name}?page={page + 1}">Next page</a>'
            if more
            else ""
        )
        pick = f'<a href="/go/{chunk[0].slug}?utm_source=pick">Editor\'s pick</a>' if chunk else ""
        links = f'<p><a href="/private/internal-roadmap-leak.html">Staff only</a> {pick}</p>'
        head = f'<link rel="next" href="/section/{name}?page={page + 1}">' if more else ""
        reply = self.listing_page(f"Section: {_e(name)}", chunk, nav + links)
        if head:
            reply = Reply(200, reply.body.replace(b"</head>", head.encode() + b"</head>", 1))
        return reply

    def article(self, art: DemoArticle, headers: dict[str, str]) -> Reply:
        if self.article_delay_s:
            time.sleep(self.article_delay_s)
        self.articles_open.wait(timeout=60)
        with self.lock:
            art.hits += 1
            if art.hits <= art.fail_first:
                return Reply(503, b"busy", "text/plain", (("Retry-After", "1"),))
        if art.status != 200:
            return Reply(art.status, b"<html><body><h1>Gone</h1></body></html>")
        rendered = f"{art.title}{''.join(art.paragraphs)}{self.noise_round}"
        etag = '"' + hashlib.sha256(rendered.encode()).hexdigest()[:16] + '"'
        last_mod = format_datetime(art.modified or art.published, usegmt=True)
        validators = (("ETag", etag), ("Last-Modified", last_mod))
        if headers.get("if-none-match") == etag:
            return Reply(304, headers=validators)
        body = self.article_html(art).encode(art.charset, errors="replace")
        return Reply(200, body, f"text/html; charset={art.charset}", validators)

    def article_html(self, art: DemoArticle) -> str:
        url = self.url(art)
        ld = news_article_ld(art.title, art.author, art.published, url, art.modified)
        head = (
            f'<link rel="canonical" href="{url}">'
            '<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{_e(art.title)}">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        )
        noise = self.noise_round
        promo_title, promo_blurb = PROMOS[(len(art.slug) + noise) % len(PROMOS)]
        paras = [f"<p>{_e(p)}</p>" for p in art.paragraphs]
        promo = (
            '<div class="inline-promo"><a href="https://clickbait.example/story">'
            f"<h3>{_e(promo_title)}</h3></a><p>{_e(promo_blurb)}</p></div>"
        )
        note = f"<p>{_e(STANDING_NOTE)}</p>"
        ad = (
            f'<div class="ad-slot">Advertisement <a href="https://ads.example/{noise}">'
            f"Offer {noise}: half price this week</a></div>"
        )
        body_html = (
            "".join(paras[:2]) + promo + "".join(paras[2:3]) + ad + "".join(paras[3:]) + note
        )
        others = [o for o in self.public() if o.slug != art.slug]
        others = others[noise % max(1, len(others)) :] + others[: noise % max(1, len(others))]
        related = "".join(
            f'<li><a href="{self.article_path(o)}">{_e(o.title)}</a></li>' for o in others
        )
        shown = COMMENTS[: 2 + noise % 2]
        comments = "".join(f'<div class="comment"><p>{_e(c)}</p></div>' for c in shown)
        main = (
            f'<div class="print-title">{_e(art.title)}</div>'
            f"<main><article><h1>{_e(art.title)}</h1>"
            f'<h2 class="headline-repeat">{_e(art.title)}</h2>'
            f'<p class="byline">By {_e(art.author)} · <time datetime="{art.published.isoformat()}">'
            f"{art.published:%B %d, %Y}</time></p>"
            f'<p class="updated">Updated {5 + 7 * noise} minutes ago · {1000 + 37 * noise} reads</p>'
            '<div class="share-bar">Share on X · Share on LinkedIn · Email</div>'
            f'<div class="article-body">{body_html}</div>'
            '<div class="newsletter-box"><p>Sign up for our daily newsletter.</p></div>'
            "</article>"
            f'<section class="related-news"><h3>Related news</h3><ul>{related}</ul></section>'
            f'<section class="comments"><h3>Comments ({len(shown)})</h3>{comments}</section>'
            "</main>"
        )
        return self._chrome(_e(art.title), main, head, art.charset)


def _rss(channel: str) -> Reply:
    """An RSS 2.0 reply around the channel's inner XML."""
    return Reply(
        200, _xml(f'<rss version="2.0"><channel>{channel}</channel></rss>'), "application/rss+xml"
    )


class _Handler(BaseHTTPRequestHandler):
    site: DemoSite
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.site.respond(self.path, headers)
        body = reply.body
        extra = list(reply.headers)
        gzip_ok = "gzip" in headers.get("accept-encoding", "")
        if gzip_ok and reply.status == 200 and reply.content_type.startswith("text/html"):
            body = gzip.compress(body)
            extra.append(("Content-Encoding", "gzip"))
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the site keeps its own request log."""


@contextmanager
def serve(
    site: DemoSite | None = None, host: str = "127.0.0.1", port: int = 0
) -> Iterator[DemoSite]:
    """Serve ``site`` on ``host``:``port`` (a free one if 0 or taken) in a thread; yields the site."""
    site = site or DemoSite()
    handler = type("Handler", (_Handler,), {"site": site})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError:
        server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    site.base = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
