"""The article body: trafilatura on the already-parsed, already-pruned tree."""

from __future__ import annotations

import trafilatura
from lxml.html import HtmlElement


def extract_paragraphs(tree: HtmlElement, url: str = "") -> list[str]:
    """The main text's paragraphs, in order; empty when the page has no article body."""
    text = trafilatura.extract(
        tree,
        url=url or None,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    return [line for line in (text or "").split("\n") if line.strip()]
