"""The SSRF guard on real Scrapy requests and responses, and in a real crawl."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.config import parse
from crawler.crawl.settings import private_addresses
from crawler.demo.site import DemoSite
from crawler.middlewares.address_guard import AddressGuardMiddleware, is_private_host
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
