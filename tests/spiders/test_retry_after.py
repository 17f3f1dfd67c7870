"""Retry-After parsing."""

from datetime import UTC, datetime

from crawler.middlewares.retry_after import retry_after_seconds


def test_seconds_and_dates() -> None:
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert retry_after_seconds(b"30") == 30
    assert retry_after_seconds("Sun, 01 Mar 2026 09:00:45 GMT", now) == 45
    assert retry_after_seconds("Sun, 01 Mar 2026 08:00:00 GMT", now) == 0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds(b"soon") is None
