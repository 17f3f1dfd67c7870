"""A large loopback publisher: N noisy article pages, pre-rendered, served by uvicorn.

    python bench/site.py [--articles 5000] [--port 8089]      # serve until Ctrl-C
    python bench/site.py --articles 5000 --selftest           # the server's own requests/s

Every page (robots.txt, a sitemap index with one urlset per 1,000 articles, an
RSS feed of the newest 100, paginated section pages, and the articles) is
rendered and gzip-compressed once at start, so serving is a dictionary lookup:
the server is never what a crawl waits for. Article pages are as noisy as the
demo publisher's (cookie banner, headline repeats, an off-site promo inside the
body, an ad, related links, comments, a newsletter box) and carry ETag and
Last-Modified; a conditional GET gets a 304. ``/_stats`` returns the counts of
responses by status, so a test can see what a crawl asked for.

The load test and ``bench/crawl.py`` start it as a child process with
:func:`serve_in_child`, on a socket the parent has already bound.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import html
import json
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import uvicorn

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a clone
    sys.path.insert(0, str(ROOT))

from crawler.demo.content import COMMENTS, PROMOS, STANDING_NOTE  # noqa: E402
from crawler.demo.site import news_article_ld  # noqa: E402

SECTIONS = ("chips", "software", "security", "science", "business")
SECTION_PAGE_SIZE = 20
SITEMAP_CHUNK = 1000
FEED_SIZE = 100

_SUBJECTS = (
    "The chipmaker", "A cloud provider", "The startup", "Regulators", "The open-source project",
    "A research team", "The carrier", "Investors", "The browser vendor", "A robotics firm",
    "The payments company", "Engineers at the lab", "The telecom group", "A security researcher",
)  # fmt: skip
_VERBS = (
    "announced", "delayed", "expanded", "questioned", "released", "tested", "priced",
    "defended", "acquired", "cancelled", "rebuilt", "opened", "audited", "licensed",
)  # fmt: skip
_OBJECTS = (
    "a new data centre", "its quarterly results", "a faster storage engine", "the merger",
    "a battery plant", "an update to its mobile app", "a satellite network",
    "a privacy framework", "a chip design", "its pricing for developers",
    "a fix for the vulnerability", "a long-awaited compiler", "the spectrum auction",
)  # fmt: skip
_NOUNS = ("chip", "deal", "update", "plant", "network", "framework", "engine", "auction", "fix")
_WHEN = ("on Tuesday", "last month", "this week", "next quarter", "after talks", "in a filing")
_TAILS = (
    "The company declined to comment on the cost.",
    "Shares moved little in early trading.",
    "A spokesperson said more details would follow later in the year.",
    "Critics said the timeline left little room for independent review.",
    "The first customers are expected to see the change within weeks.",
)  # fmt: skip


_SYLLABLES = (
    "ka", "lor", "ven", "mi", "sto", "rel", "dun", "pa", "tri", "gos",
    "bel", "an", "quo", "ser", "li", "mar", "tek", "su", "vo", "ran",
)  # fmt: skip


def _word(rnd: random.Random) -> str:
    """A made-up word (8,400 of them): names, products and places that differ per story."""
    return "".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3)))


def _sentence(rnd: random.Random) -> str:
    """Stock newsroom words around made-up names, never five stock words in a row, so
    different stories share few word 5-grams, as real ones do. (Stock phrases alone made
    every article share a MinHash band with 40% of the others, where the real pages of
    the extraction dev set share one with 2%: story clustering was the crawl's top cost.)"""
    w = _word
    return (
        f"{rnd.choice(_SUBJECTS)} {w(rnd).title()} {rnd.choice(_VERBS)} the {w(rnd)} "
        f"{rnd.choice(_NOUNS)} worth {rnd.randint(10, 9999):,} units in {w(rnd).title()} "
        f"{rnd.choice(_WHEN)}, and {w(rnd).title()} {w(rnd)} {rnd.choice(_VERBS)} its "
        f"{w(rnd)} {rnd.choice(_NOUNS)} for {w(rnd)} {w(rnd)}."
    )


@dataclass(frozen=True)
class BenchArticle:
    """One generated article: its text is unique, seeded by its number."""

    number: int
    slug: str
    title: str
    author: str
    section: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/news/{self.slug}.html"


def make_articles(count: int, seed: int = 1, now: datetime | None = None) -> list[BenchArticle]:
    """``count`` articles, newest first, one every 7 minutes back from ``now``."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    out = []
    for i in range(count):
        rnd = random.Random(seed * 1_000_003 + i)
        body = [
            " ".join(_sentence(rnd) for _ in range(rnd.randint(2, 3)))
            for _ in range(rnd.randint(4, 7))
        ]
        paragraphs = (*body, rnd.choice(_TAILS))
        subject = rnd.choice(_SUBJECTS).removeprefix("The ").removeprefix("A ")
        title = f"{subject} {rnd.choice(_VERBS)} {rnd.choice(_OBJECTS)} (report {i})"
        out.append(
            BenchArticle(
                number=i,
                slug=f"story-{i:06d}",
                title=title,
                author=f"Reporter {rnd.randint(1, 40)}",
                section=SECTIONS[i % len(SECTIONS)],
                published=now - timedelta(minutes=7 * i),
                paragraphs=paragraphs,
            )
        )
    return out


@dataclass(frozen=True)
class Page:
    """A pre-rendered reply: the gzip body, its media type and validators."""

    gz: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


# What makes a real news page weigh about 100 KB (the extraction dev set's median
# is 115 KB) besides its text: inline CSS, scripts, an SVG sprite, a mega menu and
# a footer link farm. "light" pages leave it out: the load test wants many pages,
# not heavy ones.
_STYLE = (
    "<style>"
    + "".join(
        f".c{i}{{margin:{i % 17}px {i % 5}px;color:#{(i * 2654435761) % 0xFFFFFF:06x};"
        f"font:{12 + i % 6}px/1.{i % 9} sans-serif}}"
        for i in range(350)
    )
    + "</style>"
)
_SCRIPT = (
    "<script>"
    + "".join(
        f"window.dl=window.dl||[];dl.push({{event:'slot{i}',sizes:[[300,250],[728,90]],"
        f"targeting:{{pos:'{i % 7}',section:'{SECTIONS[i % 5]}'}}}});"
        for i in range(120)
    )
    + "</script>"
)
_SPRITE = (
    '<svg style="display:none">'
    + "".join(
        f'<symbol id="i{i}" viewBox="0 0 24 24"><path d="M{i % 24} 2l{i % 7} {i % 9}h-{i % 5}'
        f'v{i % 11}l-{i % 6}-{i % 4}z"/></symbol>'
        for i in range(60)
    )
    + "</svg>"
)
_MEGA_MENU = (
    '<div class="mega-menu"><ul>'
    + "".join(
        f'<li><a href="/topic/{s}-{i}">{s.title()} topic {i}</a></li>'
        for s in SECTIONS
        for i in range(40)
    )
    + "</ul></div>"
)
_FOOTER_LINKS = (
    '<div class="footer-links">'
    + "".join(f'<a href="/page/{i}">Company page {i}</a> ' for i in range(120))
    + "</div>"
)


def _chrome(title: str, main: str, head: str = "", heavy: bool = False) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Bench '
        f"Tech Wire</title>{head}{_STYLE + _SCRIPT if heavy else ''}</head><body>"
        f"{_SPRITE if heavy else ''}"
        '<div class="cookie-banner">We use cookies to improve your experience. '
        "<button>Accept all cookies</button></div>"
        '<header><a href="/">Bench Tech Wire</a></header><nav><a href="/">Home</a> '
        + " ".join(f'<a href="/section/{s}">{s.title()}</a>' for s in SECTIONS)
        + f"{_MEGA_MENU if heavy else ''}</nav>{main}"
        '<div class="trending-widget">Trending now: 4,210 people are reading</div>'
        f"<footer>{_FOOTER_LINKS if heavy else ''}"
        "<p>© 2026 Bench Tech Wire. All rights reserved.</p></footer></body></html>"
    )


def _app_state(art: BenchArticle, more: list[BenchArticle]) -> str:
    """The JSON state blob a JavaScript front end embeds: the article again, and teasers."""
    state = {
        "page": {"id": art.slug, "title": art.title, "body": list(art.paragraphs)},
        "teasers": [
            {"id": o.slug, "title": o.title, "summary": o.paragraphs[0][:200], "href": o.path}
            for o in more
        ],
    }
    return f'<script id="app-state" type="application/json">{json.dumps(state)}</script>'


def _more_rail(more: list[BenchArticle]) -> str:
    cards = "".join(
        f'<div class="card c{o.number % 350}"><a href="{o.path}"><img src="/img/{o.slug}.jpg" '
        f'srcset="/img/{o.slug}-320.jpg 320w, /img/{o.slug}-640.jpg 640w" alt=""></a>'
        f'<h4><a href="{o.path}">{_e(o.title)}</a></h4><span>{o.section}</span></div>'
        for o in more
    )
    return f'<aside class="more-stories"><h3>More stories</h3>{cards}</aside>'


def article_html(
    art: BenchArticle,
    base: str,
    related: list[BenchArticle],
    more: list[BenchArticle] = (),
    heavy: bool = False,
) -> str:
    """A noisy article page like the demo publisher's, with JSON-LD metadata.

    Given ``more`` (other articles), it carries their teasers (a rail of cards and a
    JSON state blob, about 650 bytes each); if ``heavy``, a real page's chrome too.
    """
    url = f"{base}{art.path}"
    ld = news_article_ld(art.title, art.author, art.published, url)
    head = (
        f'<link rel="canonical" href="{url}"><meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    promo_title, promo_blurb = PROMOS[art.number % len(PROMOS)]
    paras = [f"<p>{_e(p)}</p>" for p in art.paragraphs]
    body = (
        "".join(paras[:2]) + '<div class="inline-promo"><a href="https://clickbait.example/story">'
        f"<h3>{_e(promo_title)}</h3></a><p>{_e(promo_blurb)}</p></div>"
        + "".join(paras[2:3])
        + '<div class="ad-slot">Advertisement <a href="https://ads.example/1">Offer: half '
        "price this week</a></div>" + "".join(paras[3:]) + f"<p>{_e(STANDING_NOTE)}</p>"
    )
    links = "".join(f'<li><a href="{o.path}">{_e(o.title)}</a></li>' for o in related)
    comments = "".join(f'<div class="comment"><p>{_e(c)}</p></div>' for c in COMMENTS)
    main = (
        f'<div class="print-title">{_e(art.title)}</div><main><article><h1>{_e(art.title)}</h1>'
        f'<h2 class="headline-repeat">{_e(art.title)}</h2>'
        f'<p class="byline">By {_e(art.author)} · <time datetime="{art.published.isoformat()}">'
        f"{art.published:%B %d, %Y}</time></p>"
        '<div class="share-bar">Share on X · Share on LinkedIn · Email</div>'
        f'<div class="article-body">{body}</div>'
        '<div class="newsletter-box"><p>Sign up for our daily newsletter.</p></div></article>'
        f'<section class="related-news"><h3>Related news</h3><ul>{links}</ul></section>'
        f'<section class="comments"><h3>Comments ({len(COMMENTS)})</h3>{comments}</section>'
        f"{_more_rail(more) if more else ''}</main>{_app_state(art, more) if more else ''}"
    )
    return _chrome(_e(art.title), main, head, heavy=heavy)


def _xml(body: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>' + body


def render(
    articles: list[BenchArticle], base: str, heavy: bool = True, teasers: int | None = None
) -> dict[str, Page]:
    """Every path of the site → its pre-rendered page.

    Article pages have a real page's weight (about 82 KB) if ``heavy``; ``teasers``
    other stories' teasers each (default 30 if heavy, else none: about 5 KB).
    """
    pages: dict[str, str | tuple[str, str]] = {}
    pages["/robots.txt"] = (f"User-agent: *\nSitemap: {base}/sitemap.xml\n", "text/plain")
    chunks = [articles[i : i + SITEMAP_CHUNK] for i in range(0, len(articles), SITEMAP_CHUNK)]
    pages["/sitemap.xml"] = (
        _xml(
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(
                f"<sitemap><loc>{base}/sitemap-{n}.xml</loc></sitemap>" for n in range(len(chunks))
            )
            + "</sitemapindex>"
        ),
        "application/xml",
    )
    for n, chunk in enumerate(chunks):
        pages[f"/sitemap-{n}.xml"] = _urlset(chunk, base)
    for section in SECTIONS:  # one publisher a section, for a bench of several sources
        pages[f"/sitemap-{section}.xml"] = _urlset(
            [a for a in articles if a.section == section], base
        )
    items = "".join(
        f"<item><title>{_e(a.title)}</title><link>{base}{a.path}</link>"
        f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
        for a in articles[:FEED_SIZE]
    )
    pages["/feed.xml"] = (
        _xml(f'<rss version="2.0"><channel><title>Bench Tech Wire</title>{items}</channel></rss>'),
        "application/rss+xml",
    )
    for section in SECTIONS:
        members = [a for a in articles if a.section == section]
        for start in range(0, max(1, len(members)), SECTION_PAGE_SIZE):
            page_no = start // SECTION_PAGE_SIZE + 1
            cards = "".join(
                f'<article class="card"><h2><a href="{a.path}">{_e(a.title)}</a></h2></article>'
                for a in members[start : start + SECTION_PAGE_SIZE]
            )
            more = start + SECTION_PAGE_SIZE < len(members)
            nav = (
                f'<a rel="next" href="/section/{section}?page={page_no + 1}">Next page</a>'
                if more
                else ""
            )
            path = f"/section/{section}" + (f"?page={page_no}" if page_no > 1 else "")
            pages[path] = _chrome(section.title(), f"<main><h1>{section}</h1>{cards}{nav}</main>")
    pages["/"] = pages[f"/section/{SECTIONS[0]}"]
    if teasers is None:
        teasers = 30 if heavy else 0
    out = {
        path: _page(*(value if isinstance(value, tuple) else (value, "text/html; charset=utf-8")))
        for path, value in pages.items()
    }
    for i, art in enumerate(articles):
        related = [articles[(i + k) % len(articles)] for k in (1, 2, 3, 5, 8)]
        more = [articles[(i + 13 * k) % len(articles)] for k in range(1, teasers + 1)]
        out[art.path] = _page(
            article_html(art, base, related, more, heavy),
            "text/html; charset=utf-8",
            format_datetime(art.published, usegmt=True),
        )
    return out


def _urlset(articles: list[BenchArticle], base: str) -> tuple[str, str]:
    """A sitemap urlset of ``articles``, each with its <lastmod>."""
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
        for a in articles
    )
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    return _xml(body), "application/xml"


def _page(text: str, content_type: str, last_modified: str = "") -> Page:
    data = text.encode()
    etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"' if last_modified else ""
    return Page(gzip.compress(data, 6), content_type, etag, last_modified)


class BenchApp:
    """The ASGI app: a lookup in the pre-rendered pages, 304 on a matching validator."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.stats: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"] + (
            f"?{scope['query_string'].decode()}" if scope["query_string"] else ""
        )
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        if path == "/_stats":
            await _reply(send, 200, json.dumps(self.stats).encode(), "application/json")
            return
        page = self.pages.get(path)
        if page is None:
            self.stats["404"] += 1
            await _reply(send, 404, b"not found", "text/plain")
            return
        validators = [
            (b"etag", page.etag.encode()),
            (b"last-modified", page.last_modified.encode()),
        ]
        validators = [(k, v) for k, v in validators if v]
        if page.etag and (
            headers.get("if-none-match") == page.etag
            or headers.get("if-modified-since") == page.last_modified
        ):
            self.stats["304"] += 1
            await _reply(send, 304, b"", page.content_type, validators)
            return
        self.stats["200"] += 1
        if "gzip" in headers.get("accept-encoding", ""):
            extra = [*validators, (b"content-encoding", b"gzip"), (b"vary", b"accept-encoding")]
            await _reply(send, 200, page.gz, page.content_type, extra)
        else:
            await _reply(send, 200, gzip.decompress(page.gz), page.content_type, validators)


async def _reply(
    send: Any, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]] = ()
) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers + list(extra)})
    await send({"type": "http.response.body", "body": body})


def bound_socket(port: int = 0) -> socket.socket:
    """A listening loopback socket (a free port if 0), to hand to the server process."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit it: a server given a bare fd does not know to set it itself,
    # and without it every reply waits out the client's delayed ACK (about 40 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def run_server(
    articles: int, seed: int, heavy: bool, sock: socket.socket, teasers: int | None = None
) -> None:
    """Render the site for this socket's address and serve it until killed."""
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = BenchApp(render(make_articles(articles, seed), base, heavy, teasers))
    print(f"ready {base} {len(app.pages)} pages", flush=True)
    config = uvicorn.Config(app, fd=sock.fileno(), log_level="warning", access_log=False)
    uvicorn.Server(config).run()


@dataclass(frozen=True)
class RunningSite:
    base: str
    articles: int
    pid: int

    def stats(self) -> Counter[str]:
        """Responses by status so far, from the server itself."""
        import urllib.request

        with urllib.request.urlopen(f"{self.base}/_stats", timeout=10) as reply:
            return Counter(json.load(reply))


@contextmanager
def serve_in_child(
    articles: int = 5000, seed: int = 1, heavy: bool = True, teasers: int | None = None
) -> Iterator[RunningSite]:
    """Start the site in its own process on a free port; yields once it answers.

    ``heavy`` and ``teasers`` are :func:`render`'s.
    """
    sock = bound_socket()
    proc = subprocess.Popen(
        [
            sys.executable,
            __file__,
            *("--articles", str(articles), "--seed", str(seed)),
            *([] if heavy else ["--light"]),
            *([] if teasers is None else ["--teasers", str(teasers)]),
            "--fd",
            str(sock.fileno()),
        ],
        pass_fds=[sock.fileno()],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "ready <base> <n> pages", after rendering
        if not line.startswith("ready "):
            raise RuntimeError(f"bench site did not start: {line!r}")
        yield RunningSite(line.split()[1], articles, proc.pid)
    finally:
        sock.close()
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


async def _selftest(base: str, paths: list[str], requests: int, clients: int) -> float:
    """Requests/s of keep-alive GETs from ``clients`` raw connections (no client library cost)."""
    host, port = base.removeprefix("http://").split(":")

    async def client(share: int) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        for i in range(share):
            path = paths[i % len(paths)]
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(requests // clients) for _ in range(clients)))
    return requests / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--port", type=int, default=8089)
    ap.add_argument("--light", action="store_true", help="article pages without the real weight")
    ap.add_argument("--teasers", type=int, help="other stories' teasers on each article page")
    ap.add_argument("--fd", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--selftest", action="store_true", help="measure the server's requests/s")
    args = ap.parse_args()
    if args.selftest:
        with serve_in_child(args.articles, args.seed, not args.light, args.teasers) as site:
            paths = [a.path for a in make_articles(min(args.articles, 1000), args.seed)]
            rate = asyncio.run(_selftest(site.base, paths, 20_000, 16))
            print(
                f"bench site: {rate:,.0f} requests/s (article pages, gzip, 16 keep-alive clients)"
            )
        return
    sock = socket.socket(fileno=args.fd) if args.fd is not None else bound_socket(args.port)
    if args.fd is None:
        print(f"serving {args.articles} articles on http://127.0.0.1:{args.port}/", flush=True)
    run_server(args.articles, args.seed, not args.light, sock, args.teasers)


if __name__ == "__main__":
    main()
