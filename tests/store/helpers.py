"""Small builders for storage tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

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


@contextmanager
def fresh_schema(admin_url: str) -> Iterator[str]:
    """A URL whose search_path is a new, empty PostgreSQL schema; dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in admin_url else "?"
    try:
        yield f"{admin_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
