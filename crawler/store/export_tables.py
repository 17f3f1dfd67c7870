"""CSV and Parquet exports: one row per version, article columns then version columns.

The rows come from :func:`crawler.store.export.iter_versions` (columns
:data:`crawler.store.export.ROW_COLUMNS`), so both are streamed: CSV a row at a
time, Parquet one row group per :data:`CHUNK` rows. pyarrow is an optional
extra (``crawler[parquet]``); :func:`require_pyarrow` says so in one line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

from crawler.store.export import CHUNK, ROW_COLUMNS, ExportError
from crawler.store.models import offset_minutes

if TYPE_CHECKING:
    import pyarrow as pa

PYARROW_MISSING = "--format parquet needs pyarrow: pip install 'crawler[parquet]'"


def csv_cell(value: Any) -> Any:
    """One CSV cell: times in ISO 8601 with offset, authors as a JSON array, None empty.

    A JSON array, not a separator, because author names may hold any separator.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write a header and one CSV row per version to ``out`` (RFC 4180 quoting, ``\\r\\n``).

    Returns how many rows were written.
    """
    writer = csv.writer(out)
    writer.writerow(ROW_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row[name]) for name in ROW_COLUMNS])
        count += 1
    return count


def require_pyarrow() -> None:
    """Raise :class:`ExportError` with :data:`PYARROW_MISSING` when pyarrow cannot be imported."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ExportError(PYARROW_MISSING) from None


# Parquet times are instants (``timestamp[us, tz=UTC]``): the offsets the page wrote
# ``published`` and ``modified`` with go in columns of their own, minutes east of UTC.
PARQUET_COLUMNS = (*ROW_COLUMNS, "published_offset", "modified_offset")


def parquet_schema() -> pa.Schema:
    """The Parquet columns :data:`PARQUET_COLUMNS`: strings, ``version`` int32, times
    ``timestamp[us, tz=UTC]``, ``authors`` ``list<string>``, offsets int16 minutes east of
    UTC (EST -300). Only ``cluster_id`` and the dates and their offsets may be null.
    """
    import pyarrow as pa

    time = pa.timestamp("us", tz="UTC")
    types = {
        "url": pa.string(),
        "fetch_url": pa.string(),
        "source": pa.string(),
        "status": pa.string(),
        "first_seen": time,
        "last_fetched": time,
        "last_changed": time,
        "cluster_id": pa.string(),
        "version": pa.int32(),
        "title": pa.string(),
        "authors": pa.list_(pa.string()),
        "published": time,
        "modified": time,
        "text": pa.string(),
        "fetched_at": time,
        "published_offset": pa.int16(),
        "modified_offset": pa.int16(),
    }
    nullable = {"cluster_id", "published", "modified", "published_offset", "modified_offset"}
    return pa.schema([pa.field(name, types[name], name in nullable) for name in PARQUET_COLUMNS])


def write_parquet(rows: Iterable[dict[str, Any]], out: Any) -> int:
    """Write the rows to ``out`` (a path or binary file) as Parquet, a row group per
    :data:`CHUNK` rows; returns how many rows. Raises :class:`ExportError` without pyarrow."""
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for chunk in _chunks(_with_offsets(rows)):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema), row_group_size=CHUNK)
            count += len(chunk)
    return count


def _with_offsets(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {
            **row,
            "published_offset": offset_minutes(row["published"]),
            "modified_offset": offset_minutes(row["modified"]),
        }


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Lists of up to :data:`CHUNK` rows (``itertools.batched`` is Python 3.12)."""
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        yield chunk
