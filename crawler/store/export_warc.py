"""The WARC export: each kept page as a ``response`` record, what was extracted as ``metadata``.

Written with warcio as WARC/1.1 (ISO 28500:2017), each record gzipped on its
own (the ``.warc.gz`` convention that CDX indexers and pywb read), from the
rows of :func:`crawler.store.export.iter_versions_with_pages`: one version in
memory at a time.

What a ``response`` record holds (see the README's "Export format"):

- the body is the page as the crawl decoded it, kept as UTF-8 (pages are kept
  decoded, :mod:`crawler.store.page_codec`); so ``Content-Type`` says
  ``charset=utf-8`` and ``Content-Length`` is the length of that body, while
  ``Content-Encoding`` and ``Transfer-Encoding`` (which describe bytes no
  longer held) are left out. Every other header is as served, in order;
- pages kept before the status and headers were (migration 0006) get the
  status line ``HTTP/1.1 200 OK`` (every page kept was a 2xx, nearly all
  200) and only ``Content-Type`` and ``Content-Length``; their ``metadata``
  record says ``"http_response": "reconstructed"``.

A version whose page was not kept (stored before pages were) gets only its
``metadata`` record, which says ``"http_response": "not kept"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import IO, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from crawler import __version__
from crawler.store.export import publisher_dates
from crawler.store.page_codec import decompress_page

# Headers that describe the bytes on the wire, not the decoded page the record holds.
DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
RECONSTRUCTED_TYPE = "text/html; charset=utf-8"


@dataclass(slots=True)
class WarcCounts:
    """What :func:`write_warc` wrote: response records, metadata records, versions without a page."""

    responses: int = 0
    metadata: int = 0
    without_page: int = 0


def status_line(status: int) -> str:
    """``"200 OK"`` for 200; the bare number for a status Python's ``HTTPStatus`` lacks."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def utf8_content_type(value: str) -> str:
    """``value`` with its charset set to UTF-8, other parameters kept (RFC 9110 §8.3.1)."""
    params = [p.strip() for p in value.split(";")]
    kept = [p for p in params[1:] if p and not p.lower().startswith("charset=")]
    return "; ".join([params[0], *kept, "charset=utf-8"])


def response_headers(
    status: int | None, headers: Sequence[Sequence[str]] | None, body_length: int
) -> tuple[str, list[tuple[str, str]]]:
    """The status line and headers for a kept page's ``response`` record.

    ``status``/``headers`` are as stored (None for pages kept before migration 0006).
    The headers are as served without :data:`DROPPED_HEADERS`, ``Content-Type`` (or
    :data:`RECONSTRUCTED_TYPE` when none was served) with ``charset=utf-8``, and a
    ``Content-Length`` of ``body_length`` (bytes).
    """
    if status is None:
        return "200 OK", [
            ("Content-Type", RECONSTRUCTED_TYPE),
            ("Content-Length", str(body_length)),
        ]
    out: list[tuple[str, str]] = []
    typed = False
    for name, value in headers or ():
        lowered = name.lower()
        if lowered in DROPPED_HEADERS:
            continue
        if lowered == "content-type":
            value, typed = utf8_content_type(value), True
        out.append((name, value))
    if not typed:
        out.append(("Content-Type", RECONSTRUCTED_TYPE))
    out.append(("Content-Length", str(body_length)))
    return status_line(status), out


def metadata_payload(row: Any, http_response: str) -> bytes:
    """The ``metadata`` record's JSON: the canonical URL, source, version and what was
    extracted (title, authors, dates ISO 8601, text), and ``http_response``."""
    published, modified = publisher_dates(row)
    doc = {
        "url": row.url,
        "source": row.source,
        "version": row.version,
        "title": row.title,
        "authors": list(row.authors),
        "published": _iso(published),
        "modified": _iso(modified),
        "fetched_at": _iso(row.fetched_at),
        "text": row.text,
        "http_response": http_response,
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def warc_date(value: datetime) -> str:
    """``value`` as a WARC/1.1 date: UTC, ``Z``, microseconds when it has them
    (ISO 28500:2017 §5.4). warcio's formatter wants a naive UTC datetime."""
    return datetime_to_iso_date(value.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def write_warc(rows: Iterable[Any], out: IO[bytes], filename: str = "") -> WarcCounts:
    """Write a ``warcinfo`` record, then each row's ``response`` (if its page was kept) and
    ``metadata`` records to ``out``, gzipped per record. Rows as
    :func:`crawler.store.export.iter_versions_with_pages` yields them."""
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(
        writer.create_warcinfo_record(
            filename, {"software": f"crawler {__version__}", "format": "WARC File Format 1.1"}
        )
    )
    counts = WarcCounts()
    for row in rows:
        date = warc_date(row.fetched_at)
        concerning: dict[str, str] = {}
        if row.body is None:
            http_response = "not kept"
            counts.without_page += 1
        else:
            http_response = "reconstructed" if row.http_status is None else "served"
            body = decompress_page(row.encoding, row.body).encode("utf-8")
            status, headers = response_headers(row.http_status, row.http_headers, len(body))
            record = writer.create_warc_record(
                row.fetch_url,
                "response",
                payload=BytesIO(body),
                length=len(body),
                warc_headers_dict={"WARC-Date": date},
                http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            )
            writer.write_record(record)
            counts.responses += 1
            concerning["WARC-Refers-To"] = record.rec_headers.get_header("WARC-Record-ID")
        payload = metadata_payload(row, http_response)
        writer.write_record(
            writer.create_warc_record(
                row.fetch_url,
                "metadata",
                payload=BytesIO(payload),
                length=len(payload),
                warc_content_type="application/json",
                warc_headers_dict={"WARC-Date": date, **concerning},
            )
        )
        counts.metadata += 1
    return counts
