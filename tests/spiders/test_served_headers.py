"""What a fetched page keeps of its response's headers, for the WARC export."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from crawler.spiders.news import served_headers


def test_every_value_of_every_header_in_order_bytes_as_latin_1() -> None:
    response = HtmlResponse(
        "https://pub.example/a",
        headers=[
            (b"Content-Type", b"text/html; charset=utf-8"),
            (b"Set-Cookie", b"a=1"),
            (b"Set-Cookie", b"b=2"),
            (b"X-Note", "caf\u00e9".encode("latin-1")),
        ],
        body=b"<html></html>",
    )
    assert served_headers(response) == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("X-Note", "café"),
    ]
