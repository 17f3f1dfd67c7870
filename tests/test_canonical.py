"""Canonical URLs on plain strings."""

import pytest

from crawler.canonical import canonical_url, request_url, same_site


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Pub.Example:80/a?utm_source=rss&id=3#comments", "http://pub.example/a?id=3"),
        ("https://pub.example", "https://pub.example/"),
        ("https://pub.example:443/x?fbclid=abc&gclid=1", "https://pub.example/x"),
        ("https://pub.example:8443/x?page=2", "https://pub.example:8443/x?page=2"),
        ("https://pub.example/a b", "https://pub.example/a%20b"),
        ("https://pub.example/x?UTM_Medium=a&mc_cid=1&q=1", "https://pub.example/x?q=1"),
        ("https://pub.example/x?a=1&b=&c", "https://pub.example/x?a=1&b=&c="),
    ],
)
def test_canonical(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected
    assert canonical_url(expected) == expected


def test_relative_against_base() -> None:
    assert (
        canonical_url("../b?utm_campaign=x", "https://pub.example/a/c.html")
        == "https://pub.example/b"
    )


def test_never_raises_on_junk() -> None:
    for junk in ["", "http://[::1", "::::", "javascript:alert(1)", "http://a b.example/\x00"]:
        canonical_url(junk)


def test_same_site() -> None:
    assert same_site("https://www.pub.example/x", ["pub.example"])
    assert same_site("http://127.0.0.1:8000/x", ["127.0.0.1"])
    assert not same_site("https://evilpub.example/x", ["pub.example"])
    assert not same_site("https://other.example/x", ["pub.example"])


@pytest.mark.parametrize(
    ("given", "requested"),
    [
        ("https://pub.example/page?par", "https://pub.example/page?par"),  # not ?par=
        ("https://pub.example/s?q=a%2Fb&x=%7e", "https://pub.example/s?q=a%2Fb&x=%7e"),
        ("https://pub.example//folder/a.html", "https://pub.example//folder/a.html"),
        ("https://pub.example/a?b=1&utm_source=rss&c#top", "https://pub.example/a?b=1&c"),
        ("https://pub.example/a?utm_medium=x&fbclid=y", "https://pub.example/a"),
        ("https://pub.example/a;jsessionid=F00?b=1", "https://pub.example/a?b=1"),
        ("../b.html?utm_campaign=x", "https://pub.example/b.html"),  # resolved against the base
    ],
)
def test_request_url_is_the_publishers_less_tracking(given: str, requested: str) -> None:
    assert request_url(given, "https://pub.example/x/feed.xml") == requested
    assert canonical_url(requested) == canonical_url(given, "https://pub.example/x/feed.xml")


def test_request_url_never_raises_on_junk() -> None:
    for junk in ["", "http://[::1", "::::", "javascript:alert(1)", "http://a b.example/\x00"]:
        request_url(junk, "http://[::1")
