"""``extract_article(html, url=...)``: the article's own text and metadata.

The same function the crawl uses, so what it returns is what a crawl stores.
The page is parsed once; metadata is read from the full page, then noise is
pruned from the tree, the body extracted and its paragraphs cleaned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import lxml.html
from lxml.etree import ParserError
from w3lib.encoding import html_to_unicode

from crawler.extract.blocks import segment
from crawler.extract.body import find_body, trafilatura_paragraphs
from crawler.extract.clean import clean_paragraphs, offsite_teasers
from crawler.extract.metadata import extract_metadata

__all__ = ["ExtractedArticle", "extract_article", "parse_html"]


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What one page says: its article, and what the crawl needs to file it."""

    title: str
    text: str
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    canonical: str | None = None
    has_article_markup: bool = False


def decode_html(html: str | bytes) -> str:
    """Bytes decoded as a browser would: BOM, then ``<meta charset>``, then UTF-8 or a guess."""
    if isinstance(html, str):
        return html
    _encoding, text = html_to_unicode(None, html)
    return text


def parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    """One lxml tree for the page, or None when there is no HTML in it."""
    text = decode_html(html)
    if not text.strip() or "\x00" in text[:2048]:  # empty, or a binary body served as HTML
        return None
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (ParserError, ValueError):
        return None


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def extract_article(
    html: str | bytes, url: str = "", furniture: frozenset[str] = frozenset()
) -> ExtractedArticle:
    """Extract title, authors, dates and clean body text from one page.

    ``furniture`` is the source's learnt boilerplate (line keys, see
    :func:`crawler.extract.clean.line_key`); without it the page is cleaned
    by markup and wording alone, which is already enough for a first crawl.
    """
    tree = parse_html(html)
    if tree is None:
        return ExtractedArticle(title="", text="")
    meta = extract_metadata(tree, url)
    root = tree.find("body")
    if root is None:
        root = tree
    teasers = offsite_teasers(root, url)
    seg = segment(root, teasers.__contains__ if teasers else None)
    body = find_body(seg, root)
    found = body.paragraphs
    if not body.confident:
        for el in seg.skipped:
            if el.getparent() is not None:
                el.drop_tree()
        found = trafilatura_paragraphs(tree, url) or found
    paragraphs = clean_paragraphs(found, meta.title, furniture)
    return ExtractedArticle(
        title=meta.title or "",
        text="\n".join(paragraphs),
        authors=meta.authors,
        published=meta.published,
        modified=meta.modified,
        canonical=meta.canonical,
        has_article_markup=meta.has_article_markup,
    )
