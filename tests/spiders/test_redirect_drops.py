"""Which redirects lead nowhere: a self-redirect, a loop, another host, one hop too many."""

from __future__ import annotations

import pytest

from crawler.middlewares.redirect_drops import redirect_drop

HOSTS = ["pub.example"]
A, B = "https://pub.example/a.html", "https://pub.example/b.html"


@pytest.mark.parametrize(
    ("url", "target", "earlier", "hops", "kind"),
    [
        (A, A, [], 0, "redirect_self"),
        (A, A + "#top", [], 0, "redirect_self"),  # Scrapy's duplicate filter ignores fragments
        (B, A, [A], 1, "redirect_loop"),
        (B, A, ["http://pub.example/a.html", A + "#x"], 2, "redirect_loop"),
        (A, "https://elsewhere.example/a.html", [], 0, "redirect_offsite"),
        (A, "https://pub.example.evil.example/a.html", [], 0, "redirect_offsite"),
        (A, B, [], 10, "redirect_too_many"),  # REDIRECT_MAX_TIMES 10: the 11th hop
        (A, B, [], 9, None),
        (A, "https://www.pub.example/b.html", [], 0, None),  # a subdomain is the same site
        ("http://pub.example/a.html", A, [], 0, None),  # to https: a new URL, followed
    ],
)
def test_redirect_cases(
    url: str, target: str, earlier: list[str], hops: int, kind: str | None
) -> None:
    assert redirect_drop(url, target, earlier, HOSTS, hops, 10) == kind


def test_without_hosts_no_host_is_offsite() -> None:
    assert redirect_drop(A, "https://elsewhere.example/", [], [], 0, 10) is None
