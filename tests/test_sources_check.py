"""``crawler sources check`` against loopback publishers: healthy, HTML feed, robots, timeout, bot wall."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from crawler.config import Source
from crawler.demo.site import DemoSite, serve
from crawler.sources_check import check_source, error_reason, is_challenge, print_checks
from tests.crawl.helpers import run_cli, write_config
from tests.crawl.routes_site import RoutesSite
from tests.crawl.static_site import StaticSite, serve_static, sitemap


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield int(s.getsockname()[1])


def source(**routes: object) -> Source:
    return Source(name="pub", timeout="1s", **routes)  # type: ignore[arg-type]


def test_a_healthy_source_yields_candidates_from_every_route_and_article_metadata(
    site: DemoSite,
) -> None:
    check = check_source(
        source(
            feeds=[f"{site.base}/feed.xml"],
            sitemaps=[f"{site.base}/sitemap.xml"],
            start_urls=[f"{site.base}/section/tech"],
        )
    )
    assert [(r.kind, r.ok) for r in check.routes] == [
        ("feed", True),
        ("sitemap", True),
        ("section", True),
    ]
    assert check.routes[0].candidates == len(site.public())
    assert check.routes[0].newest == max(a.published for a in site.public())
    assert check.routes[1].candidates == len(site.public()) + 1  # the urlset lists /about too
    assert check.routes[2].candidates >= 1
    assert check.metadata == "title, date, author"
    assert check.yields


def test_each_failure_says_why(site: DemoSite, silent_port: int) -> None:
    check = check_source(
        source(
            feeds=[
                f"{site.base}/",  # an HTML page where a feed should be
                f"{site.base}/private/feed.xml",  # disallowed by robots.txt
                f"{site.base}/challenge.xml",  # a bot wall with status 200
                f"http://127.0.0.1:{silent_port}/feed.xml",  # never answers
                f"{site.base}/missing.xml",
            ],
            allowed_domains=["127.0.0.1"],
        )
    )
    reasons = [r.reason for r in check.routes]
    assert reasons[0] == "not a feed: an HTML page"
    assert reasons[1] == "blocked by robots.txt"
    assert reasons[2] == "bot wall or JavaScript challenge (HTTP 200)"
    assert reasons[3].startswith("timeout after 1s") or "timeout" in reasons[3]
    assert reasons[4] == "HTTP 404"
    assert not check.yields


def test_the_cli_exits_1_when_a_source_yields_nothing_and_says_so_without_a_network(
    site: DemoSite, tmp_path: Path
) -> None:
    good = {"name": "good", "feeds": [f"{site.base}/feed.xml"]}
    offline = {"name": "offline", "feeds": ["https://nowhere.invalid/feed.xml"]}
    cfg = write_config(tmp_path / "s.yaml", [good, offline], timeout="2s")
    done = run_cli("sources", "check", "--config", str(cfg), timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "DNS: the host does not resolve" in done.stdout
    assert "offline: no route yields candidate articles" in done.stdout
    alone = run_cli("sources", "check", "--config", str(cfg), "--source", "good", timeout=60)
    assert alone.returncode == 0, alone.stdout + alone.stderr


def test_challenge_and_error_wording_on_their_own() -> None:
    assert is_challenge(b"<title>Just a moment...</title>")
    assert not is_challenge(b"<html><body><p>A story about a moment.</p></body></html>")
    import httpx

    assert error_reason(httpx.ConnectError("[Errno -2] Name or service not known"), 1) == (
        "DNS: the host does not resolve"
    )
    assert error_reason(httpx.ReadTimeout("timed out"), 1.5) == "timeout after 1.5s"
    assert (
        error_reason(httpx.ConnectError("[Errno 111] Connection refused"), 1)
        == "connection refused"
    )


def test_a_home_page_leads_to_its_feeds_and_sitemaps_which_are_printed_to_pin() -> None:
    with serve(RoutesSite()) as site:
        b = site.base
        check = check_source(source(home=f"{b}/shapes/portal/"))
        missing = check_source(source(home=f"{b}/nowhere/"))
    assert [(r.kind, r.url, r.ok) for r in check.routes] == [
        ("home", f"{b}/shapes/portal/", True),
        ("feed", f"{b}/feed.xml", True),  # its <link rel="alternate">
        ("sitemap", f"{b}/sitemap.xml", True),  # robots.txt's Sitemap: line (and a usual path)
    ]
    assert check.routes[0].reason == "feeds found: 1, sitemaps found: 1"
    assert check.routes[1].candidates == len(site.public())
    assert check.yields
    assert [(r.kind, r.ok, r.reason) for r in missing.routes] == [("home", False, "HTTP 404")]
    console = Console(record=True, width=300)
    print_checks([check], console)
    printed = console.export_text()
    assert "pub: found from its home page; to pin them in sources.yaml:" in printed
    assert f"feeds: [{b}/feed.xml]" in printed
    assert f"sitemaps: [{b}/sitemap.xml]" in printed


def _index(base: str, child: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}{child}</loc></sitemap></sitemapindex>"
    )


def test_a_sitemap_loop_or_a_chain_deeper_than_the_bound_is_one_line_not_a_recursion() -> None:
    with serve_static(StaticSite()) as site:
        b = site.base
        site.pages = {
            "/loop1.xml": _index(b, "/loop2.xml"),
            "/loop2.xml": _index(b, "/loop1.xml"),
            **{f"/d{i}.xml": _index(b, f"/d{i + 1}.xml") for i in range(5)},
            "/d5.xml": sitemap(b, ["/a"]),
        }
        loop = check_source(source(sitemaps=[f"{b}/loop1.xml"]))
        site.log.clear()
        deep = check_source(source(sitemaps=[f"{b}/d0.xml"]))
        asked = list(site.log)
        bounded = check_source(source(sitemaps=[f"{b}/d2.xml"]))  # d5 is at depth 3: read
    assert not loop.routes[0].ok
    assert loop.routes[0].reason.endswith(f"the first: a loop to {b}/loop1.xml")
    assert not deep.routes[0].ok
    assert deep.routes[0].reason.endswith("the first: deeper than sitemap_max_depth")
    assert "/d3.xml" in asked  # depth 3 is read (an index of indexes of indexes)
    assert "/d4.xml" not in asked, "depth 4 is not"
    assert bounded.routes[0].ok
    assert bounded.routes[0].candidates == 1
