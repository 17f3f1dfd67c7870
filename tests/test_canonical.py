"""Canonical URLs on plain strings."""

import pytest

from crawler.canonical import canonical_refusal, canonical_url, request_url, same_site, url_key


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


@pytest.mark.parametrize(
    "twin",
    [
        "https://pub.example/news/story/",
        "http://pub.example/news/story",
        "https://pub.example/news/story/index.html",
        "https://amp.pub.example/news/story",
        "https://pub.example/amp/news/story",
        "https://pub.example/news/story/amp/",
        "https://pub.example/news/story?amp=1",
        "https://pub.example/news/story?page=1",
    ],
)
def test_url_key_folds_the_spellings_of_one_page(twin: str) -> None:
    assert url_key(twin) == url_key("https://pub.example/news/story") == "pub.example/news/story"


@pytest.mark.parametrize(
    "other",
    [
        "https://pub.example/news/story?page=2",
        "https://pub.example/news/story-2",
        "https://pub.example:8443/news/story",
        "https://pub.example/news/story?id=7",
    ],
)
def test_url_key_keeps_other_pages_apart(other: str) -> None:
    assert url_key(other) != url_key("https://pub.example/news/story")


@pytest.mark.parametrize(
    ("declared", "reason"),
    [
        ("https://pub.example/", "site_root"),
        ("https://pub.example", "site_root"),
        ("https://other.example/a/story", "offsite"),
        ("https://pub.example/section/world/", "listing"),
        ("https://pub.example/a/story", None),
        ("https://www.pub.example/a/story", None),
        ("https://pub.example/?p=12", None),
    ],
)
def test_canonical_refusal(declared: str, reason: str | None) -> None:
    listings = {url_key("https://pub.example/section/world")}
    fetched = "https://pub.example/a/story.amp"
    assert canonical_refusal(declared, fetched, ["pub.example"], listings) == reason


def test_a_page_naming_itself_is_always_accepted() -> None:
    assert (
        canonical_refusal("https://pub.example/", "https://pub.example/", ["x.example"], set())
        is None
    )
