"""A loopback site of fixed pages for crawl tests: a path→HTML map, editable between crawls."""

from __future__ import annotations

import random
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from crawler.demo.site import Reply, serve

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
    """Pages by path with query (``/a?page=2``); every request's path is logged.

    Served by the demo's server (:func:`crawler.demo.site.serve`), which asks
    :meth:`respond` for each request and sets ``base``.
    """

    pages: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    base: str = ""

    def requested(self, path: str) -> int:
        return self.log.count(path)

    def respond(self, path_qs: str, headers: dict[str, str]) -> Reply:
        del headers
        self.log.append(path_qs)
        body = self.pages.get(path_qs)
        if body is None:
            return Reply(404, b"not here", "text/plain")
        kind = "application/xml" if path_qs.endswith(".xml") else "text/html; charset=utf-8"
        return Reply(200, body.encode(), kind)


def serve_static(site: StaticSite, host: str = "127.0.0.1") -> AbstractContextManager[StaticSite]:
    """Serve ``site`` on a free port of ``host`` in a thread."""
    return serve(site, host)  # type: ignore[arg-type,return-value]
