"""robots.txt in real crawls of loopback publishers that record every request they get.

Rules known before any other request to a host, an unreachable robots.txt
keeping the crawl out of that host, Crawl-delay kept (capped) between
requests, and the URL asked about being the URL requested (RFC 9309).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.config import Source
from crawler.sources_check import check_source
from crawler.store.db import make_engine, session_scope
from crawler.store.models import RobotsTxt
from tests.crawl.helpers import crawl, last_counts, run_cli, write_config

pytestmark = pytest.mark.slow

HANG = -1  # a status that means: never answer


@dataclass
class Publisher:
    """Serves ``pages`` (raw path and query → status, body) and logs each request's path and time."""

    pages: dict[str, tuple[int, str]]
    log: list[tuple[str, float]] = field(default_factory=list)
    base: str = ""
    # Paths served with an ETag, answered 304 when asked with it; and those so answered.
    etags: dict[str, str] = field(default_factory=dict)
    not_modified: list[str] = field(default_factory=list)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # more, by path

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]

    def respond(
        self, path: str, if_none_match: str | None = None
    ) -> tuple[int, str, dict[str, str]]:
        self.log.append((path, time.monotonic()))
        status, body = self.pages.get(path, (404, "not here"))
        if status == HANG:
            time.sleep(5)
        if 300 <= status < 400:
            return status, "", {"Location": body}
        more = self.headers.get(path, {})
        if (tag := self.etags.get(path)) and status == 200:
            if if_none_match == tag:
                self.not_modified.append(path)
                return 304, "", {"ETag": tag, **more}
            return status, body, {"ETag": tag, **more}
        return status, body, more


Serve = Callable[[dict[str, tuple[int, str]]], Publisher]


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[ThreadingHTTPServer] = []

    def start(pages: dict[str, tuple[int, str]]) -> Publisher:
        publisher = Publisher(pages)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                # The target as sent: self.path has "//" collapsed to "/" (CPython gh-87389).
                target = self.requestline.split(" ")[1]
                status, body, headers = publisher.respond(target, self.headers["If-None-Match"])
                data = body.encode()
                self.send_response(max(status, 200))
                ctype = "text/plain" if target.endswith(".txt") else "text/html"
                if target.endswith(".xml"):
                    ctype = "application/xml"
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        publisher.base = f"http://127.0.0.1:{server.server_address[1]}"
        return publisher

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def rss(*links: str) -> tuple[int, str]:
    items = "".join(
        f"<item><title>t{i}</title><link>{link}</link></item>" for i, link in enumerate(links)
    )
    return (
        200,
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>',
    )


def urlset(*locs: str) -> tuple[int, str]:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return 200, (
        '<?xml version="1.0"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def page(*links: str) -> tuple[int, str]:
    anchors = "".join(f'<a href="{link}">a link to read</a>' for link in links)
    return 200, f"<html><head><title>p</title></head><body><p>Words.</p>{anchors}</body></html>"


ROBOTS = """User-agent: *
Disallow: /private/
Allow: /private/open?par$
Site-map: {base}/sitemap.xml
"""


def test_no_disallowed_url_leaves_however_many_routes_ask_at_once(
    serve: Serve,
    db_url: str,
    tmp_path: Path,
) -> None:
    pub = serve({})
    b = pub.base
    # Another origin, met only through a redirect and a section link.
    other = serve(
        {"/robots.txt": (200, "User-agent: *\nDisallow: /private/\n"), "/ok.html": page()}
    )
    pub.pages.update(
        {
            "/robots.txt": (200, ROBOTS.format(base=b)),
            "/go1": (302, f"{other.base}/private/x.html"),
            "/go2": (302, f"{other.base}/ok.html"),
            "/feed1.xml": rss(
                f"{b}/go1",
                f"{b}/go2",
                f"{b}/a1.html",
                f"{b}/private/p1.html",
                f"{b}//folder/a2.html",
                f"{b}/private/open?par",
                f"{b}/search?q=a%2Fb&x=%7e&utm_source=rss#top",
            ),
            "/feed2.xml": rss(f"{b}/a3.html", f"{b}/private/p2.html"),
            "/private/f3.xml": rss(f"{b}/private/p5.html"),
            "/sitemap.xml": urlset(f"{b}/a4.html", f"{b}/private/p3.html"),
            "/section": page("/a5.html", "/private/p4.html", f"{other.base}/private/y.html"),
            **{p: page() for p in ("/a1.html", "/a3.html", "/a4.html", "/a5.html")},
            "//folder/a2.html": page(),
            "/private/open?par": page(),
            "/search?q=a%2Fb&x=%7e": page(),
        }
    )
    cfg = write_config(
        tmp_path / "s.yaml",
        [
            {
                "name": "pub",
                "feeds": [f"{b}/feed1.xml", f"{b}/feed2.xml", f"{b}/private/f3.xml"],
                "sitemaps": [f"{b}/robots.txt"],  # its Site-map: line names /sitemap.xml
                "start_urls": [f"{b}/section", f"{b}/private/section"],
            }
        ],
    )
    crawl(cfg, db_url)
    paths = pub.paths()
    assert paths[0] == "/robots.txt", "the rules were read before any other request"
    assert [p for p in paths if p.startswith("/private/")] == ["/private/open?par"]
    # Requested as the publisher spelled it (tracking parameters and fragment aside).
    assert {"//folder/a2.html", "/search?q=a%2Fb&x=%7e", "/sitemap.xml", "/a4.html"} <= set(paths)
    assert {"/a1.html", "/a3.html", "/a5.html"} <= set(paths)
    assert other.paths() == ["/robots.txt", "/ok.html"]
    counts = last_counts(db_url, "pub")
    assert counts["blocked_by_robots"] == 8  # 2 routes, p1-p4, x (redirected to), y (linked)
    assert "errors/robots_unreachable" not in counts


def firsts(paths: list[str]) -> list[str]:
    """``paths`` without repeats, in the order each was first asked."""
    return list(dict.fromkeys(paths))


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_robots_txt_keeps_the_crawl_off_that_host_and_says_so(
    serve: Serve,
    closed_port: int,
    tmp_path: Path,
) -> None:
    down = serve({"/robots.txt": (503, "busy"), "/feed.xml": rss("/a.html")})
    silent = serve({"/robots.txt": (HANG, ""), "/feed.xml": rss("/a.html")})
    absent = serve({"/feed.xml": rss("/a.html"), "/a.html": page()})  # robots.txt: 404
    moved = serve({"/feed.xml": rss("/a.html", "/private/b.html"), "/a.html": page()})
    hops = {f"/r{i}": (301, f"/r{i + 1}") for i in range(4)}
    moved.pages.update(
        {"/robots.txt": (301, "/r0"), **hops, "/r4": (200, "User-agent: *\nDisallow: /private/\n")}
    )
    # Six redirects: unavailable, like a 4xx, so everything is allowed (RFC 9309 §2.3.1.2).
    astray = serve({"/feed.xml": rss("/private/c.html"), "/private/c.html": page()})
    astray.pages.update({"/robots.txt": (301, "/r0"), **hops, "/r4": (301, "/r5")})
    astray.pages["/r5"] = (200, "User-agent: *\nDisallow: /\n")
    refused = f"http://127.0.0.1:{closed_port}"
    feeds = [f"{p.base}/feed.xml" for p in (down, silent, absent, moved, astray)]
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [*feeds, f"{refused}/feed.xml"]}],
        timeout="1s",
    )
    db = f"sqlite:///{tmp_path / 'c.db'}"
    done = crawl(cfg, db)
    assert set(down.paths()) == {"/robots.txt"}  # asked again once, then stayed out
    assert set(silent.paths()) == {"/robots.txt"}
    # In the order first asked (a 1 s timeout on a loaded machine may ask a hop again).
    assert firsts(absent.paths()) == ["/robots.txt", "/feed.xml", "/a.html"]  # 404: all allowed
    assert firsts(moved.paths()) == [
        "/robots.txt",
        *hops,
        "/r4",
        "/feed.xml",
        "/a.html",
    ]  # 5 redirects
    assert firsts(astray.paths()) == ["/robots.txt", *hops, "/r4", "/feed.xml", "/private/c.html"]
    counts = last_counts(db, "pub")
    assert counts["errors/robots_unreachable"] == 3
    assert "robots_unreachable" in done.stdout  # errors by kind, in the summary
    status = run_cli("status", "--config", str(cfg), "--db", db)
    assert "robots.txt unreachable on 3 host(s)" in status.stdout
    reasons = [r.reason for r in check_source(Source(name="pub", timeout="1s", feeds=feeds)).routes]  # type: ignore[arg-type]
    assert reasons[0] == "robots.txt unreachable (HTTP 503): a crawl stays out"
    assert reasons[1].startswith("robots.txt unreachable (timeout")
    assert reasons[2:] == ["ok", "ok", "ok"]


def test_crawl_delay_and_request_rate_are_kept_between_requests_up_to_max_crawl_delay(
    serve: Serve,
    tmp_path: Path,
) -> None:
    articles = {"/feed.xml": rss("/a.html", "/b.html", "/c.html")}
    articles.update({f"/{n}.html": page() for n in "abc"})
    capped = serve({"/robots.txt": (200, "User-agent: *\nCrawl-delay: 3\n"), **articles})
    rated = serve({"/robots.txt": (200, "User-agent: *\nRequest-rate: 1/1\n"), **articles})
    # Another host name for the second publisher: Scrapy paces requests per host name.
    rated_feed = f"{rated.base.replace('127.0.0.1', 'localhost')}/feed.xml"
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{capped.base}/feed.xml", rated_feed]}],
        max_crawl_delay="1s",
        concurrency_per_host=4,
    )
    db = f"sqlite:///{tmp_path / 'c.db'}"
    done = crawl(cfg, db)
    for pub in (capped, rated):
        times = [t for _, t in pub.log]
        assert len(times) == 5
        since_first = [t - times[0] for t in times]
        # 1 s between requests as they are sent (the cap; one request a second); without
        # the delay they came 0.004-0.03 s apart. They are seen here on arrival, which a
        # busy machine shifts: one request that arrived a second late came 2 ms before the
        # next, sent on time (gaps 1.0, 2.1, 0.002, 1.0 s). So the k-th request must arrive
        # at least k - 1 delays (less a fifth) after the first: a burst of requests sent
        # together would arrive early, a late arrival cannot.
        assert all(t >= 0.8 * k for k, t in enumerate(since_first)), since_first
    assert last_counts(db, "pub")["robots/crawl_delay_capped"] == 1  # only Crawl-delay: 3
    assert "Crawl-delay above max_crawl_delay on 1 host(s)" in done.stdout


def _disallowing_private(serve: Serve, *feed_paths: str) -> Publisher:
    """A publisher whose robots.txt (with an ETag) disallows /private/, its feed linking to
    ``feed_paths``, and a page at /a1.html."""
    pub = serve({})
    pub.etags["/robots.txt"] = '"r1"'
    pub.pages.update(
        {
            "/robots.txt": (200, "User-agent: *\nDisallow: /private/\n"),
            "/feed.xml": rss(*(f"{pub.base}{path}" for path in feed_paths)),
            "/a1.html": page(),
        }
    )
    return pub


def test_an_unchanged_robots_txt_is_a_304_and_its_stored_rules_still_apply(
    serve: Serve, db_url: str, tmp_path: Path
) -> None:
    pub = _disallowing_private(serve, "/a1.html", "/private/p1.html")
    b = pub.base
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{b}/feed.xml"]}],
        robots_max_age="0s",  # asked every crawl (the next test: reused while fresh)
    )
    crawl(cfg, db_url)
    assert pub.not_modified == []

    pub.pages["/feed.xml"] = rss(f"{b}/a2.html", f"{b}/private/p2.html")
    pub.pages["/a2.html"] = page()
    pub.log.clear()
    crawl(cfg, db_url)
    assert pub.not_modified == ["/robots.txt"]
    paths = pub.paths()
    assert paths[0] == "/robots.txt"
    assert "/a2.html" in paths
    assert not [p for p in paths if p.startswith("/private/")]  # the stored rules, read again
    assert last_counts(db_url, "pub")["robots/not_modified"] == 1

    # Gone (a 4xx): everything allowed, and the stored copy forgotten.
    pub.pages["/robots.txt"] = (404, "gone")
    pub.pages["/feed.xml"] = rss(f"{b}/private/p3.html")
    pub.pages["/private/p3.html"] = page()
    pub.log.clear()
    crawl(cfg, db_url)
    assert "/private/p3.html" in pub.paths()

    # Back with the same ETag: asked unconditionally, since nothing is stored any more.
    pub.pages["/robots.txt"] = (200, "User-agent: *\nDisallow: /private/\n")
    pub.pages["/feed.xml"] = rss(f"{b}/private/p4.html")
    crawl(cfg, db_url)
    assert pub.not_modified == ["/robots.txt"]
    assert "/private/p4.html" not in pub.paths()


def _age_robots(db_url: str, by: timedelta) -> None:
    """Make every stored robots.txt as if read ``by`` earlier than it was."""
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        for row in session.scalars(select(RobotsTxt)):
            row.fetched_at -= by
    engine.dispose()


def test_a_fresh_robots_txt_is_used_without_asking_a_stale_one_is_asked_again_and_a_5xx_never_kept(
    serve: Serve, db_url: str, tmp_path: Path
) -> None:
    pub = _disallowing_private(serve, "/a1.html")
    b = pub.base
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{b}/feed.xml"]}])
    crawl(cfg, db_url)
    assert pub.paths()[0] == "/robots.txt"

    # Within robots_max_age (1 h by default, the server saying nothing): not asked, and its
    # rules still apply.
    pub.pages["/feed.xml"] = rss(f"{b}/a2.html", f"{b}/private/p2.html")
    pub.pages["/a2.html"] = page()
    pub.log.clear()
    crawl(cfg, db_url)
    assert "/robots.txt" not in pub.paths()
    assert "/a2.html" in pub.paths()
    assert not [p for p in pub.paths() if p.startswith("/private/")]
    counts = last_counts(db_url, "pub")
    assert counts["robots/fresh"] == 1
    assert counts["blocked_by_robots"] == 1

    # Stale: asked again, conditionally; the 304 makes it fresh anew.
    _age_robots(db_url, timedelta(hours=2))
    pub.log.clear()
    crawl(cfg, db_url)
    assert pub.not_modified == ["/robots.txt"]
    pub.log.clear()
    crawl(cfg, db_url)
    assert "/robots.txt" not in pub.paths()

    # Stale and now a 5xx: the crawl stays out, and the next one asks again (the stored
    # copy was not renewed by the failure), finding it back.
    _age_robots(db_url, timedelta(hours=2))
    pub.pages["/robots.txt"] = (503, "busy")
    pub.log.clear()
    run_cli("crawl", "--config", str(cfg), "--db", db_url)
    assert set(pub.paths()) == {"/robots.txt"}
    pub.pages["/robots.txt"] = (200, "User-agent: *\nDisallow: /private/\n")
    pub.log.clear()
    crawl(cfg, db_url)
    assert pub.paths()[0] == "/robots.txt"
    assert "/feed.xml" in pub.paths()


def test_the_servers_cache_control_decides_how_long_robots_txt_stays_fresh(
    serve: Serve, db_url: str, tmp_path: Path
) -> None:
    robots = (200, "User-agent: *\nDisallow: /private/\n")
    # max-age=0 asks every crawl though robots_max_age says an hour; a day's max-age is kept
    # though robots_max_age says ask every time.
    now = serve({"/robots.txt": robots, "/feed.xml": rss("/a.html"), "/a.html": page()})
    now.headers["/robots.txt"] = {"Cache-Control": "max-age=0"}
    later = serve({"/robots.txt": robots, "/feed.xml": rss("/b.html"), "/b.html": page()})
    later.headers["/robots.txt"] = {"Cache-Control": "max-age=86400"}
    cfg = write_config(
        tmp_path / "s.yaml",
        [
            {"name": "now", "feeds": [f"{now.base}/feed.xml"], "robots_max_age": "1h"},
            {"name": "later", "feeds": [f"{later.base}/feed.xml"], "robots_max_age": "0s"},
        ],
    )
    crawl(cfg, db_url)
    now.log.clear()
    later.log.clear()
    crawl(cfg, db_url)
    assert now.paths()[0] == "/robots.txt"
    assert "/robots.txt" not in later.paths()
    # Never longer than 24 hours (RFC 9309 §2.4), whatever the server says.
    _age_robots(db_url, timedelta(hours=25))
    later.log.clear()
    crawl(cfg, db_url)
    assert later.paths()[0] == "/robots.txt"


def test_a_no_store_on_one_cache_control_line_holds_beside_a_max_age_on_another(
    serve: Serve, db_url: str, tmp_path: Path
) -> None:
    # Two Cache-Control field lines are one list (RFC 9110 §5.3): "no-store" and then
    # "max-age=86400" is no-store. (The dict's two spellings of the name are two lines.)
    pub = serve(
        {
            "/robots.txt": (200, "User-agent: *\nDisallow: /private/\n"),
            "/feed.xml": rss("/a.html"),
            "/a.html": page(),
        }
    )
    pub.headers["/robots.txt"] = {"Cache-Control": "no-store", "cache-control": "max-age=86400"}
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{pub.base}/feed.xml"]}])
    crawl(cfg, db_url)
    pub.log.clear()
    crawl(cfg, db_url)
    assert pub.paths()[0] == "/robots.txt"
