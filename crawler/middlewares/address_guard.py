"""Refuse private and loopback addresses for a public source (SSRF), and every non-http(s) scheme.

A feed, a sitemap or a redirect can point anywhere: at the crawler's own
host, a cloud metadata service, an admin page on the office network. For a
source whose own routes are public hosts, a request to a private, loopback,
link-local or reserved address is refused before it is sent when the host is
a literal address or ``localhost``, and its response is dropped when the
connection turns out to have reached such an address (a name that resolves
inward, DNS rebinding). A source whose routes are themselves private (an
intranet publisher, the loopback demo) may fetch private addresses, and
``private_addresses: allow`` or ``refuse`` in sources.yaml overrides the
choice. Refusals are counted as ``refused/private_address`` and
``refused/scheme``.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

ALLOWED_SCHEMES = frozenset({"http", "https"})


def is_private_host(host: str) -> bool:
    """True for ``localhost`` names and private, loopback, link-local, reserved or unspecified IPs."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


def source_is_private(route_hosts: list[str]) -> bool:
    """A source whose routes all live on private hosts may fetch private addresses."""
    return bool(route_hosts) and all(is_private_host(h) for h in route_hosts)


class AddressGuardMiddleware:
    def __init__(self, crawler: Crawler, allow_private: bool) -> None:
        self.crawler = crawler
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mode = crawler.settings.get("CRAWLER_PRIVATE_ADDRESSES")
        if mode is None:
            raise NotConfigured("CRAWLER_PRIVATE_ADDRESSES is not set")
        return cls(crawler, allow_private=mode == "allow")

    def _refuse(self, reason: str, url: str) -> IgnoreRequest:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"crawler/refused/{reason}")
        return IgnoreRequest(f"refused ({reason.replace('_', ' ')}): {url}")

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        parts = urlsplit(request.url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise self._refuse("scheme", request.url)
        if not self.allow_private and is_private_host(parts.hostname or ""):
            raise self._refuse("private_address", request.url)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        address: Any = response.ip_address
        if not self.allow_private and address is not None and is_private_host(str(address)):
            raise self._refuse("private_address", request.url)
        return response
