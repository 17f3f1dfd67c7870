"""Small builders for storage tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.dedupe.fingerprint import content_hash
from crawler.store.articles import FetchRecord

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def record(
    url: str = "https://pub0.example/a",
    title: str = "Title",
    text: str = "Para one.\nPara two.",
    at: datetime | None = None,
    **extra: object,
) -> FetchRecord:
    return FetchRecord(
        url=url,
        fetch_url=str(extra.pop("fetch_url", url)),
        title=title,
        text=text,
        content_hash=content_hash(title, text),
        fetched_at=at or T0,
        **extra,  # type: ignore[arg-type]
    )


def later(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)
