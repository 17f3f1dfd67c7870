"""What a robots.txt answer means (RFC 9309), on strings: statuses, rules, delays, sitemap lines,
and how long it stays fresh (RFC 9111 cache control, capped at 24 hours)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.robots import (
    HostRules,
    cache_lifetime,
    fresh_until,
    origin_of,
    rules_from_answer,
    sitemap_urls,
)

UA = "crawler/0.1 (+https://example.org/bot)"


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (404, True),  # unavailable: everything allowed (§2.3.1.3)
        (403, True),
        (410, True),
        (301, True),  # a redirect left unfollowed (over five): unavailable
        (429, False),  # "slow down": read as a server error, as Google does
        (500, False),  # unreachable: complete disallow (§2.3.1.4)
        (503, False),
    ],
)
def test_a_robots_answer_without_rules_allows_all_or_nothing(status: int, allowed: bool) -> None:
    rules = rules_from_answer(status, b"User-agent: *\nAllow: /\n")
    assert rules.allows("http://pub.example/a.html", UA) is allowed
    assert (rules.unreachable is None) is allowed
    assert rules.allows("http://pub.example/robots.txt", UA)  # robots.txt itself, always


def test_rules_match_the_url_as_requested() -> None:
    rules = rules_from_answer(
        200, b"User-agent: *\nDisallow: /private/\nAllow: /private/open?par$\n"
    )
    assert rules.allows("http://pub.example/private/open?par", UA)
    assert not rules.allows("http://pub.example/private/open?par=", UA)
    assert not rules.allows("http://pub.example/private/x.html", UA)
    assert rules.allows("http://pub.example//private/x.html", UA)  # another path (§2.2.2)


@pytest.mark.parametrize(
    ("text", "delay"),
    [
        ("User-agent: *\nCrawl-delay: 2.5\n", 2.5),
        ("User-agent: *\nRequest-rate: 1/5\n", 5.0),  # 1 request per 5 s
        ("User-agent: *\nRequest-rate: 10/5\nCrawl-delay: 1\n", 1.0),  # the larger
        ("User-agent: *\nCrawl-delay: soon\n", 0.0),
        ("User-agent: otherbot\nCrawl-delay: 9\n\nUser-agent: *\nCrawl-delay: 1\n", 1.0),
        ("User-agent: crawler\nCrawl-delay: 4\n\nUser-agent: *\nCrawl-delay: 1\n", 4.0),
        ("User-agent: *\nDisallow: /x\n", 0.0),
    ],
)
def test_delay_asked_for_our_user_agent(text: str, delay: float) -> None:
    assert rules_from_answer(200, text.encode()).delay(UA) == delay


def test_no_rules_ask_no_delay() -> None:
    assert HostRules().delay(UA) == 0.0
    assert rules_from_answer(503, b"Crawl-delay: 5").delay(UA) == 0.0


def test_sitemap_lines_in_both_spellings_resolved_against_the_robots_url() -> None:
    body = b"User-agent: *\nSitemap: https://pub.example/a.xml\nSite-map: /b.xml\nsitemap: c.xml\n"
    assert sitemap_urls(body, "https://pub.example/robots.txt") == [
        "https://pub.example/a.xml",
        "https://pub.example/b.xml",
        "https://pub.example/c.xml",
    ]


def test_rules_are_per_origin() -> None:
    assert origin_of("HTTP://Pub.Example:8080/a?b") == "http://pub.example:8080"
    assert origin_of("https://pub.example/") != origin_of("http://pub.example/")


NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SENT = "Mon, 30 Nov 2026 12:00:00 GMT"


@pytest.mark.parametrize(
    ("cache_control", "expires", "date", "age", "lifetime"),
    [
        (None, None, None, None, None),  # nothing said: the caller's default
        ("public, max-age=600", None, None, None, 600),
        ('max-age="600"', None, None, None, 600),
        ("max-age=600", None, None, "100", 500),  # held 100 s by a cache on the way
        ("max-age=60", None, None, "100", 0),
        ("no-cache", None, None, None, 0),  # revalidate every time
        ("no-store, max-age=600", None, None, None, 0),
        ("max-age=600", "Mon, 30 Nov 2026 13:00:00 GMT", SENT, None, 600),  # max-age wins
        (None, "Mon, 30 Nov 2026 13:00:00 GMT", SENT, None, 3600),
        (None, "Mon, 30 Nov 2026 13:00:00 GMT", None, None, 3600),  # from when received
        (None, "0", SENT, None, 0),  # not a date: already expired (RFC 9111 §5.3)
        (None, "Mon, 30 Nov 2026 11:00:00 GMT", SENT, None, 0),
        ("private", None, None, None, None),
        ("max-age=" + "9" * 40, None, None, None, 2**31 - 1),  # RFC 9111 §1.2.2: as 2^31
        (None, "Fri, 31 Dec 9999 23:59:59 GMT", SENT, None, 2**31 - 1),
    ],
)
def test_a_responses_own_lifetime_by_rfc_9111(
    cache_control: str | None, expires: str | None, date: str | None, age: str | None, lifetime: int
) -> None:
    assert cache_lifetime(cache_control, expires, date, age, NOW) == lifetime


def test_a_lifetime_or_age_in_digits_other_than_ascii_is_no_lifetime_and_no_crash() -> None:
    # Latin-1 header bytes 0xB2 and 0xB9 read as "²" and "¹": str.isdigit() takes them for
    # digits, int() does not (a ValueError made the origin's robots.txt "unreachable").
    # RFC 9111 §1.2.2: delta-seconds are ASCII DIGITs only.
    assert cache_lifetime("max-age=\u00b2", None, None, None, NOW) is None
    assert cache_lifetime("max-age=600", None, None, "\u00b9", NOW) == 600


def test_a_robots_txt_is_fresh_for_its_own_lifetime_else_the_default_and_never_over_a_day() -> None:
    hour = timedelta(hours=1)
    assert fresh_until(NOW, None, hour) == NOW + hour
    assert fresh_until(NOW, 60, hour) == NOW + timedelta(seconds=60)
    assert fresh_until(NOW, 0, hour) == NOW  # no-cache: stale at once, asked next crawl
    assert fresh_until(NOW, 7 * 86400, hour) == NOW + timedelta(hours=24)  # RFC 9309 §2.4
    assert fresh_until(NOW, None, timedelta(hours=48)) == NOW + timedelta(hours=24)
