"""A real crawl's pages reach the WARC export with the status and headers they were served with."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from crawler.cli import cli
from crawler.demo.site import DemoSite
from tests.crawl.helpers import crawl, write_config

pytestmark = pytest.mark.slow


def test_a_crawl_exported_as_warc_keeps_what_was_served(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}])
    crawl(cfg, db_url)
    result = CliRunner().invoke(cli, ["export", "--format", "warc", "--db", db_url])
    assert result.exit_code == 0, result.output
    responses = {
        r.rec_headers.get_header("WARC-Target-URI"): (r.http_headers, r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(result.stdout_bytes))
        if r.rec_type == "response"
    }
    assert set(responses) == {site.url(a) for a in site.public()}
    for http, body in responses.values():
        assert http.get_statuscode() == "200"
        assert http.get_header("ETag", "").startswith('"')  # as the demo site served it
        assert http.get_header("Last-Modified", "").endswith(" GMT")
        assert http.get_header("Content-Encoding") is None  # served gzipped, kept decoded
        assert http.get_header("Content-Length") == str(len(body))
        assert body.startswith(b"<!DOCTYPE html>") or b"<html" in body[:200]
    served_1252 = next(a for a in site.public() if a.charset == "windows-1252")
    http, body = responses[site.url(served_1252)]
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert "Zoë Müller" in body.decode("utf-8")
