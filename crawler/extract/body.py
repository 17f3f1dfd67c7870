"""The article body: a fast prose-run scorer first, trafilatura when it is unsure.

The scorer works on the blocks :func:`crawler.extract.blocks.segment` made in
one pass, with no further walk of the tree: it picks the element whose run of
prose paragraphs carries the least else (see :func:`find_body`). When that
answer is clear (the run holds enough text and most of the page's prose) it
is returned as is; otherwise trafilatura, with its own slow fallbacks off,
reads the same tree with the noise already pruned. On the extraction bench
about four pages in five take the fast path.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

import trafilatura
from lxml.html import HtmlElement

from crawler.extract.blocks import HEADING_TAGS, Block, Segmented

MIN_PROSE_CHARS = 25  # shorter blocks are labels, buttons, dates: they don't vote
MAX_PROSE_LINK_DENSITY = 0.33
MAX_KEPT_LINK_DENSITY = 0.5  # a block mostly of links inside the article is a list of links
# Measured on the extraction bench's dev half (F1 is flat for 6-8 and 2-2.5).
OTHER_TEXT_COST = 7.0
AROUND_TEXT_COST = 2.0
MIN_CONFIDENT_CHARS = 400
MIN_CONFIDENT_SHARE = 0.7  # of the page's prose inside the chosen region
# A run of prose that makes a page an article without article markup: the shortest
# bodies of the extraction bench and of fundus hold 3+ paragraphs of 80+ characters;
# a listing's run interleaves its teasers with linked headlines.
MIN_ARTICLE_PARAGRAPHS = 3
MIN_ARTICLE_PARAGRAPH_CHARS = 80
MAX_ARTICLE_PAGE_LINK_DENSITY = 0.5  # of the whole page's text: above it, a page of links


@dataclass(frozen=True, slots=True)
class Body:
    paragraphs: list[str]
    confident: bool
    linked_headings: int = 0  # headings mostly of link text inside the run: a listing's cards


def _is_prose(block: Block) -> bool:
    return (
        block.tag not in HEADING_TAGS
        and len(block.text) >= MIN_PROSE_CHARS
        and block.link_density <= MAX_PROSE_LINK_DENSITY
    )


def find_body(seg: Segmented, root: HtmlElement) -> Body:
    """The blocks of the page's main region, and whether the choice was clear.

    An element's run is its blocks from its first paragraph of prose to its
    last; labels, bylines and link lists before or after it are the template
    around the story and are left out. The element is worth the prose in its
    run, minus ``OTHER_TEXT_COST`` per character of anything else inside the
    run (teasers, link lists) and ``AROUND_TEXT_COST`` per character of its
    text outside the run. The article is the element worth most: the
    container of the story's paragraphs, however deeply a template nests or
    splits them, stopping before the sidebars and link lists around it.
    """
    blocks = seg.blocks
    prose_flags = [_is_prose(b) for b in blocks]
    prose_at = [i for i, prose in enumerate(prose_flags) if prose]
    if not prose_at:
        return Body([], confident=False)
    text_before = list(accumulate((len(b.text) for b in blocks), initial=0))
    prose_before = list(
        accumulate(
            (len(b.text) if p else 0 for b, p in zip(blocks, prose_flags, strict=True)), initial=0
        )
    )
    # A dict, not a set: document order breaks ties the same way on every run.
    candidates: dict[HtmlElement, None] = {}
    for i in prose_at:
        el = blocks[i].element
        while el is not None and el not in candidates:
            candidates[el] = None
            el = None if el is root else el.getparent()

    def run(el: HtmlElement) -> tuple[int, int]:
        start, end = seg.spans[el]
        first = prose_at[bisect_left(prose_at, start)]
        last = prose_at[bisect_left(prose_at, end) - 1]
        return first, last + 1

    def worth(el: HtmlElement) -> float:
        first, end = run(el)
        prose = prose_before[end] - prose_before[first]
        other = text_before[end] - text_before[first] - prose
        start, stop = seg.spans[el]
        around = text_before[stop] - text_before[start] - prose - other
        return prose - OTHER_TEXT_COST * other - AROUND_TEXT_COST * around

    best = max(candidates, key=worth)
    first, end = run(best)
    paragraphs = [b.text for b in blocks[first:end] if b.link_density <= MAX_KEPT_LINK_DENSITY]
    prose = prose_before[end] - prose_before[first]
    confident = prose >= MIN_CONFIDENT_CHARS and prose >= MIN_CONFIDENT_SHARE * prose_before[-1]
    linked_headings = sum(
        b.tag in HEADING_TAGS and b.link_density > MAX_KEPT_LINK_DENSITY for b in blocks[first:end]
    )
    return Body(paragraphs, confident, linked_headings)


def reads_as_article(body: Body, seg: Segmented) -> bool:
    """Whether the page is a run of real prose, not a listing: for pages with no article markup.

    At least MIN_ARTICLE_PARAGRAPHS paragraphs of MIN_ARTICLE_PARAGRAPH_CHARS
    in the body's run, not interleaved with linked headlines (a listing's
    cards: one per two paragraphs or more), on a page whose text is not
    mostly links.
    """
    long_paragraphs = sum(len(p) >= MIN_ARTICLE_PARAGRAPH_CHARS for p in body.paragraphs)
    if long_paragraphs < MIN_ARTICLE_PARAGRAPHS or 2 * body.linked_headings >= long_paragraphs:
        return False
    chars = sum(len(b.text) for b in seg.blocks)
    links = sum(b.link_chars for b in seg.blocks)
    return links <= MAX_ARTICLE_PAGE_LINK_DENSITY * chars


def trafilatura_paragraphs(tree: HtmlElement, url: str = "") -> list[str]:
    """Trafilatura's main extractor on the pruned tree, without its slow fallbacks."""
    text = trafilatura.extract(
        tree,
        url=url or None,
        output_format="txt",
        fast=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    return [line for line in (text or "").split("\n") if line.strip()]
