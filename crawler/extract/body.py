"""The article body: a fast block scorer first, trafilatura when it is unsure.

The scorer works on the blocks :func:`crawler.extract.blocks.segment` made in
one pass: every paragraph-like block of prose votes for the containers above
it, the container with the most prose (discounted by its link text) is the
article, and siblings carrying prose of their own join it (a story split by
an ad slot). When that answer is clear, most of the page's prose lies inside
the chosen region, it is returned as is; otherwise trafilatura, with its
fallback extractors off, reads the same pruned tree.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from crawler.extract.blocks import HEADING_TAGS, Block, Segmented

MIN_PROSE_CHARS = 25  # shorter blocks are labels, buttons, dates: they don't vote
MAX_PROSE_LINK_DENSITY = 0.33
MAX_KEPT_LINK_DENSITY = 0.5  # a block mostly of links inside the article is a list of links
OTHER_TEXT_COST = 6.0
MIN_CONFIDENT_CHARS = 400
MIN_CONFIDENT_SHARE = 0.7  # of the page's prose inside the chosen region


@dataclass(frozen=True, slots=True)
class Body:
    paragraphs: list[str]
    confident: bool


def _is_prose(block: Block) -> bool:
    return (
        block.tag not in HEADING_TAGS
        and len(block.text) >= MIN_PROSE_CHARS
        and block.link_density <= MAX_PROSE_LINK_DENSITY
    )


def find_body(seg: Segmented, root: HtmlElement) -> Body:
    """The blocks of the page's main region, and whether the choice was clear.

    Every element is worth the prose inside it minus ``OTHER_TEXT_COST`` per
    character of other text (links, labels, short lines); the article is the
    element worth most. That is the container that holds the story's
    paragraphs, however deeply a template nests or splits them, and stops
    before the sidebars and link lists around it.
    """
    prose: dict[HtmlElement, int] = {}
    total_prose = 0
    for block in seg.blocks:
        if not _is_prose(block):
            continue
        size = len(block.text)
        total_prose += size
        el = block.element
        while el is not None:
            prose[el] = prose.get(el, 0) + size
            if el is root:
                break
            el = el.getparent()
    if not prose:
        return Body([], confident=False)

    def worth(el: HtmlElement) -> float:
        inside = prose[el]
        return inside - OTHER_TEXT_COST * (seg.text_chars.get(el, inside) - inside)

    best = max(prose, key=worth)
    kept = [b for b in seg.blocks if _inside(b.element, best, root)]
    # Labels, bylines and link lists before the first paragraph of prose, and
    # notices after the last, are the template around the story.
    prose_at = [i for i, b in enumerate(kept) if _is_prose(b)]
    kept = kept[prose_at[0] : prose_at[-1] + 1] if prose_at else []
    paragraphs = [b.text for b in kept if b.link_density <= MAX_KEPT_LINK_DENSITY]
    confident = (
        prose[best] >= MIN_CONFIDENT_CHARS and prose[best] >= MIN_CONFIDENT_SHARE * total_prose
    )
    return Body(paragraphs, confident)


def _inside(el: HtmlElement | None, region: HtmlElement, root: HtmlElement) -> bool:
    while el is not None:
        if el is region:
            return True
        if el is root:
            return False
        el = el.getparent()
    return False


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
