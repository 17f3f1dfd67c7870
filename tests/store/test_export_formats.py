"""`crawler export --format csv|parquet|warc`: each read back with its own readers, both DBs.

CSV and Parquet are compared row by row with the jsonl export; the WARC is read
with warcio's ArchiveIterator and indexed with cdxj-indexer.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from warcio.archiveiterator import ArchiveIterator

from crawler.cli import cli
from crawler.store.articles import ensure_source, record_fetch
from crawler.store.db import session_scope
from crawler.store.export import ROW_COLUMNS
from crawler.store.models import at_offset
from crawler.store.page_codec import compress_page
from tests.store.helpers import T0, later, record

SERVED = "https://pub0.example/served"
OLD = "https://pub0.example/old"  # kept before statuses and headers were
BARE = "https://pub1.example/bare"  # stored before pages were kept
PAGE_V1 = "<html><head><title>First</title></head><body><p>Café, naïve; 1 €.</p></body></html>"
PAGE_V2 = "<html><body><p>Second, edited.</p></body></html>"
# The publisher's clocks: every export shows these offsets, not UTC.
IST = timezone(timedelta(hours=5, minutes=30))
EST = timezone(timedelta(hours=-5))
HEADERS = [
    ("Content-Type", "text/html; charset=windows-1252"),
    ("Content-Encoding", "gzip"),
    ("Content-Length", "12"),
    ("ETag", '"v1"'),
    ("Set-Cookie", "a=1"),
    ("Set-Cookie", "b=2"),
]


def _seed(engine: Engine) -> None:
    with session_scope(engine) as s:
        pub0, pub1 = ensure_source(s, "pub0", T0), ensure_source(s, "pub1", T0)
        record_fetch(
            s,
            pub0,
            record(
                url=SERVED,
                title="First",
                authors=["Ann Lee", "Bo, Jr."],
                published=T0.astimezone(IST),
                page=compress_page(PAGE_V1),
                http_status=200,
                http_headers=HEADERS,
            ),
        )
        record_fetch(s, pub0, record(url=OLD, title="Old", page=compress_page(PAGE_V2)))
        record_fetch(s, pub1, record(url=BARE, title="Bare", text="No page."))
    with session_scope(engine) as s:
        record_fetch(
            s,
            pub0,
            record(
                url=SERVED,
                title="Second",
                text="Edited.",
                at=later(24).replace(microsecond=123456),
                modified=later(23).astimezone(EST),
                page=compress_page(PAGE_V2),
                http_status=203,
                http_headers=[("Content-Type", "text/html"), ("X-Served-By", "edge")],
            ),
        )


def _export(db_url: str, fmt: str, *args: str) -> bytes:
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _jsonl(db_url: str) -> dict[str, dict[str, Any]]:
    lines = _export(db_url, "jsonl").decode().splitlines()
    return {a["url"]: a for a in map(json.loads, lines)}


def _expected_rows(db_url: str) -> list[dict[str, Any]]:
    """One row per version built from the jsonl export; the newest version carries the
    article's authors and dates (jsonl has them only at the top)."""
    rows = []
    for article in _jsonl(db_url).values():
        for v in article["versions"]:
            newest = v["version"] == article["versions"][-1]["version"]
            row = {name: article.get(name) for name in ROW_COLUMNS}
            row.update(v)
            if not newest:
                row.update(authors=None, published=None, modified=None)
            rows.append(row)
    return sorted(rows, key=lambda r: (r["url"], r["version"]))


def _matches(expected: dict[str, Any], got: dict[str, Any]) -> None:
    assert list(got) == list(ROW_COLUMNS)
    for name, want in expected.items():
        if want is None and name in {"authors", "published", "modified"}:
            continue  # an older version's: not in the jsonl export to compare with
        assert got[name] == want, name


def test_csv_and_parquet_match_the_jsonl_export(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    _seed(engine)
    expected = _expected_rows(db_url)
    assert len(expected) == 4

    text = _export(db_url, "csv").decode("utf-8")
    got = sorted(csv.DictReader(io.StringIO(text)), key=lambda r: (r["url"], int(r["version"])))
    assert len(got) == len(expected)
    for want, row in zip(expected, got, strict=True):
        _matches(
            want,
            {
                **row,
                "version": int(row["version"]),
                "authors": json.loads(row["authors"]),
                **{k: row[k] or None for k in ("cluster_id", "published", "modified")},
            },
        )
    assert '"[""Ann Lee"", ""Bo, Jr.""]"' in text  # authors: a JSON array, CSV-quoted

    path = tmp_path / "out.parquet"
    CliRunner().invoke(cli, ["export", "--format", "parquet", "--db", db_url, "-o", str(path)])
    table = pq.read_table(path)
    schema = table.schema
    assert schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("version").type == pa.int32()
    assert schema.field("modified_offset").type == pa.int16()
    got = sorted(table.to_pylist(), key=lambda r: (r["url"], r["version"]))
    for want, row in zip(expected, got, strict=True):
        # a Parquet time is an instant; its offset column gives the publisher's clock back
        for name in ("published", "modified"):
            row[name] = at_offset(row[name], row.pop(f"{name}_offset"))
        iso = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
        _matches(want, iso)
    assert [r["modified"] for r in got if r["url"] == SERVED] == [None, later(23)]
    assert expected[2]["modified"] == "2026-03-02T03:00:00-05:00"  # SERVED v2: jsonl and CSV
    (edited,) = [r for r in got if (r["url"], r["version"]) == (SERVED, 2)]
    assert edited["fetched_at"].microsecond == 123456  # microseconds kept


def test_csv_and_parquet_filter_by_source(engine: Engine, db_url: str, tmp_path: Path) -> None:
    _seed(engine)
    rows = list(csv.DictReader(io.StringIO(_export(db_url, "csv", "--source", "pub1").decode())))
    assert [r["url"] for r in rows] == [BARE]
    path = tmp_path / "pub0.parquet"
    _export(db_url, "parquet", "--source", "pub0", "-o", str(path))
    assert sorted(pq.read_table(path).column("url").to_pylist()) == [OLD, SERVED, SERVED]


def _records(data: bytes) -> list[tuple[Any, bytes]]:
    return [(r, r.content_stream().read()) for r in ArchiveIterator(io.BytesIO(data))]


def test_warc_round_trips_through_warcio_and_cdxj_indexer(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    _seed(engine)
    path = tmp_path / "out.warc.gz"
    result = CliRunner().invoke(
        cli, ["export", "--format", "warc", "--db", db_url, "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 3 response and 4 metadata records (1 versions had no kept page)" in result.output
    records = _records(path.read_bytes())
    assert records[0][0].rec_type == "warcinfo"
    responses = {
        (r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Date")): (
            r,
            body,
        )
        for r, body in records
        if r.rec_type == "response"
    }
    assert len(responses) == 3

    first, body = responses[(SERVED, "2026-03-01T09:00:00Z")]
    assert body.decode("utf-8") == PAGE_V1
    http = first.http_headers
    assert http.get_statuscode() == "200"
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert http.get_header("Content-Encoding") is None  # the kept body is decoded
    assert http.get_header("Content-Length") == str(len(PAGE_V1.encode("utf-8")))
    assert http.get_header("ETag") == '"v1"'
    assert [v for k, v in http.headers if k == "Set-Cookie"] == ["a=1", "b=2"]

    second, body = responses[(SERVED, "2026-03-02T09:00:00.123456Z")]
    assert body.decode() == PAGE_V2
    assert second.http_headers.statusline == "203 Non-Authoritative Information"
    assert second.http_headers.get_header("X-Served-By") == "edge"

    old, _ = responses[(OLD, "2026-03-01T09:00:00Z")]
    assert old.http_headers.statusline == "200 OK"
    assert [k for k, _ in old.http_headers.headers] == ["Content-Type", "Content-Length"]

    metadata = {
        (json.loads(body)["url"], json.loads(body)["version"]): (r, json.loads(body))
        for r, body in records
        if r.rec_type == "metadata"
    }
    meta_record, meta = metadata[(SERVED, 2)]
    assert meta_record.rec_headers.get_header("Content-Type") == "application/json"
    assert meta_record.rec_headers.get_header("WARC-Refers-To") == second.rec_headers.get_header(
        "WARC-Record-ID"
    )
    assert (meta["title"], meta["text"], meta["http_response"]) == ("Second", "Edited.", "served")
    assert meta["modified"] == "2026-03-02T03:00:00-05:00"
    assert metadata[(SERVED, 1)][1]["authors"] == ["Ann Lee", "Bo, Jr."]
    assert metadata[(SERVED, 1)][1]["published"] == "2026-03-01T14:30:00+05:30"
    assert metadata[(OLD, 1)][1]["http_response"] == "reconstructed"
    bare_record, bare = metadata[(BARE, 1)]
    assert bare["http_response"] == "not kept"
    assert bare_record.rec_headers.get_header("WARC-Refers-To") is None

    indexed = subprocess.run(
        [Path(sys.executable).with_name("cdxj-indexer"), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    entries = [(line.split(" ", 2)) for line in indexed]
    fields = [(surt, ts, json.loads(doc)) for surt, ts, doc in entries]
    responses_indexed = [
        (ts, doc) for _, ts, doc in fields if doc.get("mime") != "application/json"
    ]
    assert sorted((doc["url"], ts, doc["status"]) for ts, doc in responses_indexed) == [
        (OLD, "20260301090000", "200"),
        (SERVED, "20260301090000", "200"),
        (SERVED, "20260302090000", "203"),
    ]
    data = path.read_bytes()
    for _, doc in responses_indexed:  # each offset and length is one whole gzip member
        member = data[int(doc["offset"]) : int(doc["offset"]) + int(doc["length"])]
        ((record, _),) = _records(member)
        assert record.rec_headers.get_header("WARC-Target-URI") == doc["url"]


def test_warc_to_a_pipe_and_refused_on_a_terminal(engine: Engine, db_url: str) -> None:
    _seed(engine)
    piped = _records(_export(db_url, "warc", "--source", "pub1"))  # CliRunner's stdout: no tty
    assert [r.rec_type for r, _ in piped] == ["warcinfo", "metadata"]

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "crawler", "export", "--format", "warc", "--db", db_url],
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert done.stderr == "error: warc is binary: give -o FILE, or pipe stdout\n"


def test_parquet_without_pyarrow_is_a_one_line_error(db_url: str, tmp_path: Path) -> None:
    hide_pyarrow = (
        "import sys; sys.modules['pyarrow'] = None; "  # what an uninstalled package looks like
        "from crawler.cli import main; sys.argv[0] = 'crawler'; main()"
    )
    out = tmp_path / "x.parquet"
    args = ["export", "--format", "parquet", "--db", db_url, "-o", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", hide_pyarrow, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "error: --format parquet needs pyarrow: pip install 'crawler[parquet]'\n"
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_output_file_is_written_whole(
    engine: Engine, db_url: str, tmp_path: Path, fmt: str
) -> None:
    _seed(engine)
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / f"out.{fmt}"
    path.write_text("stale")
    to_stdout = _export(db_url, fmt)
    _export(db_url, fmt, "-o", str(path))
    assert path.read_bytes() == to_stdout
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left


def test_output_into_a_missing_directory_is_a_one_line_error(db_url: str, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "out.csv"
    result = CliRunner().invoke(
        cli, ["export", "--format", "csv", "--db", db_url, "-o", str(target)]
    )
    assert result.exit_code == 2
    assert result.output == f"error: -o {target}: no such directory {target.parent}\n"
