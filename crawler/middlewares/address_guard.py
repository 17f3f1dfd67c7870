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

A literal address is read as the system's resolver reads it, not only as a
dotted quad: ``getaddrinfo`` falls back on ``inet_aton``, which takes
``127.1``, ``2130706433``, ``0x7f000001`` and ``0177.0.0.1`` for 127.0.0.1
(inet_aton(3), "classful" forms), and an IPv6 address that embeds an IPv4 one
(``::ffff:127.0.0.1``, the deprecated ``::127.0.0.1``, 6to4 ``2002:7f00:1::``)
is judged by that one too. Redirects pass this guard again as new requests
(Scrapy's RedirectMiddleware reschedules them), so they are refused before
they are sent as well.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

ALLOWED_SCHEMES = frozenset({"http", "https"})


# What inet_aton(3) may take for an address: one to four parts, decimal, octal or hex.
INET_ATON_FORM = re.compile(r"(?:(?:0x[0-9a-f]*|[0-9]+)\.){0,3}(?:0x[0-9a-f]*|[0-9]+)")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291 2.5.5.1, deprecated

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def host_address(host: str) -> Address | None:
    """The IP address a URL's ``host`` names without DNS, in any form the resolver takes; else None.

    ``2130706433`` -> ``IPv4Address('127.0.0.1')``, ``[::1]`` -> ``IPv6Address('::1')``,
    ``pub.example`` -> None. A trailing dot is ignored.
    """
    host = host.strip("[]").lower().rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not INET_ATON_FORM.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:  # out of range: the resolver refuses it too
        return None


def _effective(address: Address) -> Address:
    """The IPv4 address an IPv6 one stands for (mapped, compatible, 6to4), else itself."""
    if not isinstance(address, ipaddress.IPv6Address):
        return address
    if embedded := address.ipv4_mapped or address.sixtofour:
        return embedded
    if address in IPV4_COMPATIBLE and int(address) > 1:  # not :: or ::1, judged as they are
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_private_host(host: str) -> bool:
    """True for ``localhost`` names and private, loopback, link-local, reserved or unspecified IPs,
    in every form :func:`host_address` reads."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = host_address(host)
    if address is None:
        return False
    address = _effective(address)
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
