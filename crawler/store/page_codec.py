"""How kept pages are encoded: Brotli over UTF-8.

Apart from :mod:`crawler.store.pages` so extraction workers, which compress
every page, do not import the database layer.
"""

from __future__ import annotations

import brotli

ENCODING = "br"
# Brotli's quality 5 compresses news HTML about 6x at a few ms a page; the
# highest qualities gain little more and cost far more CPU per crawl.
QUALITY = 5


def compress_page(html: str) -> bytes:
    return brotli.compress(html.encode("utf-8"), quality=QUALITY)


def decompress_page(encoding: str, body: bytes) -> str:
    if encoding != ENCODING:
        raise ValueError(f"unknown page encoding {encoding!r}")
    return brotli.decompress(body).decode("utf-8")
