"""Fingerprint each article: a hash for change detection, a MinHash for story clusters."""

from __future__ import annotations

from typing import Any

from crawler.dedupe.fingerprint import content_hash
from crawler.dedupe.minhash import signature
from crawler.items import FetchedPage


class DedupePipeline:
    def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchedPage) and item.article is not None:
            item.content_hash = content_hash(item.article.title, item.article.text)
            item.signature = signature(item.article.text)
        return item
