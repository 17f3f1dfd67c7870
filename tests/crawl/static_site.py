"""A loopback site of fixed pages for crawl tests: a path→HTML map, editable between crawls."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_WORDS = [
    "council",
    "harbour",
    "budget",
    "river",
    "school",
    "minister",
    "energy",
    "railway",
    "hospital",
    "market",
    "farmers",
    "storm",
    "bridge",
    "museum",
    "court",
    "police",
    "tunnel",
    "airport",
    "union",
    "factory",
    "water",
    "housing",
    "teachers",
    "election",
    "festival",
    "library",
    "drought",
    "vaccine",
    "mayor",
    "ferry",
    "coastline",
    "orchard",
    "reservoir",
    "satellite",
    "brewery",
    "stadium",
    "cathedral",
    "glacier",
    "pipeline",
    "tramway",
    "shipyard",
    "quarry",
    "bakery",
]


def prose(seed: int, paragraphs: int = 4) -> list[str]:
    """``paragraphs`` distinct paragraphs of about 150 characters: each seed its own story."""
    rnd = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        sentences = [
            " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(7, 11))).capitalize() + "."
            for _ in range(2)
        ]
        out.append(" ".join(sentences))
    return out


def page(
    title: str, paragraphs: list[str], head: str = "", body_extra: str = "", markup: bool = False
) -> str:
    """A small page: ``head`` extras, a headline, paragraphs in a div (or an <article>)."""
    tag = "article" if markup else "div"
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/section/'>News</a></nav>"
        f"<main><{tag} class='story'><h1>{title}</h1>{paras}</{tag}>{body_extra}</main>"
        "<footer><p>Example Gazette</p></footer></body></html>"
    )


def sitemap(base: str, paths: list[str]) -> str:
    locs = "".join(f"<url><loc>{base}{p.replace('&', '&amp;')}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )


@dataclass
class StaticSite:
    """Pages by path with query (``/a?page=2``); every request's path is logged."""

    pages: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    base: str = ""

    def requested(self, path: str) -> int:
        return self.log.count(path)


class _Handler(BaseHTTPRequestHandler):
    site: StaticSite

    def do_GET(self) -> None:
        self.site.log.append(self.path)
        body = self.site.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        kind = "application/xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the site keeps its own log."""


@contextmanager
def serve_static(site: StaticSite, host: str = "127.0.0.1") -> Iterator[StaticSite]:
    """Serve ``site`` on a free port of ``host`` in a thread; sets ``site.base``."""
    server = ThreadingHTTPServer((host, 0), type("Handler", (_Handler,), {"site": site}))
    server.daemon_threads = True
    site.base = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
