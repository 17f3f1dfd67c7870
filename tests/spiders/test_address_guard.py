"""The SSRF guard on real Scrapy requests and responses, and in a real crawl."""

from __future__ import annotations

import ipaddress
import socket
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.config import parse
from crawler.crawl.settings import private_addresses
from crawler.demo.site import DemoSite
from crawler.middlewares.address_guard import (
    AddressGuardMiddleware,
    host_address,
    is_private_host,
)
from tests.crawl.helpers import crawl, export, last_counts, write_config


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.10", True),
        ("169.254.169.254", True),  # cloud metadata
        ("[::1]", True),
        ("fd00::1", True),
        ("0.0.0.0", True),
        ("localhost", True),
        ("admin.localhost", True),
        ("93.184.216.34", False),
        ("pub.example", False),
        ("2606:4700::1111", False),
    ],
)
def test_private_hosts(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def guard(mode: str) -> AddressGuardMiddleware:
    crawler = get_crawler(settings_dict={"CRAWLER_PRIVATE_ADDRESSES": mode})
    return AddressGuardMiddleware.from_crawler(crawler)


def test_a_public_source_refuses_private_targets_and_other_schemes() -> None:
    mw = guard("refuse")
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/admin",
        "http://[::1]/",
    ):
        with pytest.raises(IgnoreRequest, match="private address"):
            mw.process_request(Request(url))
    for url in ("file:///etc/passwd", "ftp://pub.example/x", "data:text/html,hi"):
        with pytest.raises(IgnoreRequest, match="scheme"):
            mw.process_request(Request(url))
    assert mw.process_request(Request("https://pub.example/a.html")) is None
    rebound = HtmlResponse(
        "https://pub.example/a.html",
        body=b"<html></html>",
        ip_address=ipaddress.ip_address("10.0.0.7"),
    )
    with pytest.raises(IgnoreRequest, match="private address"):
        mw.process_response(Request(rebound.url), rebound)
    public = HtmlResponse(
        "https://pub.example/a.html", body=b"", ip_address=ipaddress.ip_address("93.184.216.34")
    )
    assert mw.process_response(Request(public.url), public) is public


def test_a_private_source_may_fetch_private_addresses_but_never_other_schemes() -> None:
    mw = guard("allow")
    assert mw.process_request(Request("http://127.0.0.1:8787/feed.xml")) is None
    with pytest.raises(IgnoreRequest, match="scheme"):
        mw.process_request(Request("file:///etc/passwd"))


def test_auto_mode_follows_the_routes() -> None:
    config = parse(
        {
            "sources": [
                {"name": "pub", "feeds": ["https://pub.example/feed.xml"]},
                {"name": "lan", "feeds": ["http://10.0.0.5/feed.xml"]},
                {
                    "name": "forced",
                    "feeds": ["http://10.0.0.5/feed.xml"],
                    "private_addresses": "refuse",
                },
            ]
        }
    )
    assert [private_addresses(s) for s in config.sources] == ["refuse", "allow", "refuse"]


@pytest.mark.slow
def test_crawl_with_private_addresses_refused_fetches_nothing_and_counts_it(
    site: DemoSite, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path}/g.db"
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"], "private_addresses": "refuse"}],
    )
    crawl(cfg, db_url)
    assert export(db_url) == {}
    assert site.log == [], "not even robots.txt was requested"
    assert last_counts(db_url, "pub")["refused/private_address"] >= 1


# Each form, and whether a connection to it lands on ::1 (else on 127.0.0.1).
LOOPBACK_FORMS = {
    "127.1": False,  # inet_aton(3): a.b, the last part 24 bits
    "2130706433": False,  # one 32-bit number
    "0x7f000001": False,  # hexadecimal
    "0177.0.0.1": False,  # octal
    "0x7f.0.0.1": False,
    "[::ffff:127.0.0.1]": False,  # IPv4-mapped IPv6
    "[::ffff:7f00:1]": False,
    "[::1]": True,
    "[0:0:0:0:0:0:0:1]": True,  # IPv6 written out
    "[0::1]": True,
}
# And two the resolver here does not take, refused all the same: IPv4-compatible
# (deprecated) and a trailing dot (a name to look up, which a resolver may map).
NUMERIC_LOOPBACK_FORMS = [*LOOPBACK_FORMS, "[::127.0.0.1]", "127.0.0.1."]


@pytest.mark.parametrize("host", NUMERIC_LOOPBACK_FORMS)
def test_every_form_the_resolver_takes_for_loopback_is_private(host: str) -> None:
    assert is_private_host(host)
    assert host_address("2130706433") == ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize("host", ["1.1", "0x5db8d822", "[::ffff:93.184.216.34]", "deadbeef"])
def test_public_numbers_and_names_stay_public(host: str) -> None:
    assert not is_private_host(host)


def test_a_redirect_to_a_numeric_loopback_form_is_refused_before_it_is_sent() -> None:
    crawler = get_crawler(settings_dict={"CRAWLER_PRIVATE_ADDRESSES": "refuse"})
    redirects = RedirectMiddleware.from_crawler(crawler)
    mw = AddressGuardMiddleware.from_crawler(crawler)
    for host in NUMERIC_LOOPBACK_FORMS:
        request = Request("https://pub.example/a.html")
        moved = Response(request.url, status=301, headers={"Location": f"http://{host}:8080/"})
        follow = redirects.process_response(request, moved)
        assert isinstance(follow, Request)
        with pytest.raises(IgnoreRequest, match="private address"):
            mw.process_request(follow)


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(b"<rss><channel></channel></rss>")

    def log_message(self, *_args: Any) -> None:
        pass


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


@pytest.fixture
def recorder() -> Iterator[tuple[int, int, list[str]]]:
    """A loopback HTTP server on 127.0.0.1 and one on ::1, sharing one log of requested paths."""
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), handler), _V6Server(("::1", 0), handler)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield servers[0].server_address[1], servers[1].server_address[1], hits
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_a_crawl_reaches_no_numeric_loopback_form(
    recorder: tuple[int, int, list[str]], tmp_path: Path
) -> None:
    port4, port6, hits = recorder
    urls = {
        f"f{i}": f"http://{host}:{port6 if on_v6 else port4}/{i}"
        for i, (host, on_v6) in enumerate(LOOPBACK_FORMS.items())
    }
    for url in urls.values():  # each form does reach the server, when nothing refuses it
        with urllib.request.urlopen(url, timeout=10) as reply:
            assert reply.status == 200
    assert len(hits) == len(urls)
    hits.clear()
    db_url = f"sqlite:///{tmp_path}/g.db"
    cfg = write_config(
        tmp_path / "s.yaml",
        [
            {"name": name, "feeds": [url], "private_addresses": "refuse", "obey_robots": False}
            for name, url in urls.items()
        ],
    )
    crawl(cfg, db_url)
    assert hits == [], "a refused form reached the server"
    for name in urls:
        assert last_counts(db_url, name)["refused/private_address"] >= 1, name
