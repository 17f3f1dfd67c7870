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

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Container
from dataclasses import dataclass
from itertools import accumulate

import trafilatura
from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.blocks import HEADING_TAGS, Block, Segmented
from crawler.extract.clean import ends_sentence, is_byline, word_count
from crawler.extract.slots import UNKNOWN, element_paths

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
    # The first element of the stories that follow the page's own (a headline with its own
    # byline, or the second of several <article>s), or None: the fallback reads only what
    # comes before it.
    later_stories: HtmlElement | None = None
    paths: tuple[int, ...] = ()  # each paragraph's element path (crawler.extract.slots)
    removed: tuple[tuple[int, int], ...] = ()  # (path, words) of the teaser and caption boxes
    first: int = -1  # the first paragraph's index in the page's blocks (-1: no paragraph)


def _is_prose(block: Block) -> bool:
    return (
        block.tag not in HEADING_TAGS
        and len(block.text) >= MIN_PROSE_CHARS
        and block.link_density <= MAX_PROSE_LINK_DENSITY
    )


def find_body(
    seg: Segmented,
    root: HtmlElement,
    boxes: Callable[[HtmlElement], Container[HtmlElement]] | None = None,
) -> Body:
    """The blocks of the page's main region, and whether the choice was clear.

    An element's run is its blocks from its first paragraph of prose to its
    last; labels, bylines and link lists before or after it are the template
    around the story and are left out. The element is worth the prose in its
    run, minus ``OTHER_TEXT_COST`` per character of anything else inside the
    run (teasers, link lists) and ``AROUND_TEXT_COST`` per character of its
    text outside the run. The article is the element worth most: the
    container of the story's paragraphs, however deeply a template nests or
    splits them, stopping before the sidebars and link lists around it.

    ``boxes`` names, for the chosen element, the elements inside it whose
    blocks are left out of its run (teaser cards and caption boxes, see
    :mod:`crawler.extract.clean`); they do not change which element is chosen,
    and are looked for only there. Each paragraph, and each box's paragraph,
    comes with its element path from the chosen element
    (:func:`crawler.extract.slots.element_paths`), for template-slot learning;
    a heading's is unknown.
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

    def run_prose(el: HtmlElement) -> bool:
        first, end = run(el)
        return prose_before[end] - prose_before[first] >= MIN_CONFIDENT_CHARS

    def worth(el: HtmlElement) -> float:
        first, end = run(el)
        prose = prose_before[end] - prose_before[first]
        other = text_before[end] - text_before[first] - prose
        start, stop = seg.spans[el]
        around = text_before[stop] - text_before[start] - prose - other
        return prose - OTHER_TEXT_COST * other - AROUND_TEXT_COST * around

    best = max(candidates, key=worth)
    best = _story_child(best, seg, run(best), prose_flags)
    page_end = run(best)[1]
    later: HtmlElement | None = None  # where the stories after the page's own begin
    later_start = page_end
    stories = several_stories(best, lambda el: el in candidates and run_prose(el))
    if stories:  # an infinite-scroll page: the next stories follow the first
        best = max((el for el in candidates if _within(el, stories[0])), key=worth)
        later = stories[1]
    first, end = run(best)
    cut = next_story_start(blocks, first, end)
    if cut < end:
        later, later_start, page_end = blocks[cut].element, cut, max(page_end, end)
        end = cut
    boxed = boxes(best) if boxes is not None else frozenset()
    run_blocks = [b for b in blocks[first:end] if b.link_density <= MAX_KEPT_LINK_DENSITY]
    kept = without_pull_quotes([b for b in run_blocks if b.element not in boxed], best)
    in_boxes = [b for b in run_blocks if b.element in boxed]
    # Headings hold the story's own subheadings as often as a box's title: no slot is learnt
    # from them, and none drops them.
    paths = element_paths({b.element: None for b in kept + in_boxes}, best)
    paths.update({b.element: UNKNOWN for b in kept + in_boxes if b.tag in HEADING_TAGS})
    prose = prose_before[end] - prose_before[first]
    # The later stories' prose is not the page's own: it does not make the choice unsure.
    own_prose = prose_before[-1] - (prose_before[page_end] - prose_before[later_start])
    confident = prose >= MIN_CONFIDENT_CHARS and prose >= MIN_CONFIDENT_SHARE * own_prose
    linked_headings = sum(
        b.tag in HEADING_TAGS and b.link_density > MAX_KEPT_LINK_DENSITY for b in blocks[first:end]
    )
    return Body(
        [b.text for b in kept],
        confident,
        linked_headings,
        later,
        tuple(paths[b.element] for b in kept),
        tuple((paths[b.element], word_count(b.text)) for b in in_boxes),
        next((i for i in range(first, end) if kept and blocks[i] is kept[0]), -1),
    )


def _story_child(
    el: HtmlElement, seg: Segmented, span: tuple[int, int], prose_flags: list[bool]
) -> HtmlElement:
    """The smallest element within ``el`` holding its run ``span`` from the first prose
    block to the last sentence.

    A prose block is a sentence when it ends as one (:func:`crawler.extract.clean.ends_sentence`)
    or is as long as a paragraph (:data:`MIN_ARTICLE_PARAGRAPH_CHARS`); the others are
    labels (a footer's address, "Click to read more"), which the scorer counts as prose
    and which may tip it toward an element that holds one beside the story: an old table
    layout's footer row after the story's cell (issue 19: the navigation cell, once read
    out of place, had kept it out of the table's run). Labels after the last sentence do
    not widen the container; those before the first do (a summary's bullets above the
    story's box, "key points" with no full stop, are the story's).
    """
    first, end = span
    blocks = seg.blocks
    prose = [i for i in range(first, end) if prose_flags[i]]
    sentences = [
        i
        for i in prose
        if len(blocks[i].text) >= MIN_ARTICLE_PARAGRAPH_CHARS or ends_sentence(blocks[i].text)
    ]
    if not sentences:
        return el
    while True:
        for child in el:
            start, stop = seg.spans.get(child, (0, 0))
            if start <= prose[0] and sentences[-1] < stop:
                el = child
                break
        else:
            return el


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


def next_story_start(blocks: list[Block], first: int, end: int) -> int:
    """Where a second story begins in ``blocks[first:end]``, or ``end``.

    A second story opens with a headline (``h1`` to ``h3``) followed within
    four blocks by a byline of its own ("By Ann Lee"), after the first story
    has had a run of prose.
    """
    prose = 0
    for i in range(first, end):
        block = blocks[i]
        if (
            block.tag in _STORY_HEADINGS
            and prose >= MIN_CONFIDENT_CHARS
            and any(is_byline(b.text) for b in blocks[i + 1 : min(i + 1 + BYLINE_WINDOW, end)])
        ):
            return i
        if _is_prose(block):
            prose += len(block.text)
    return end


_STORY_HEADINGS = frozenset({"h1", "h2", "h3"})
BYLINE_WINDOW = 4  # blocks after a headline: a standfirst and a dateline may come first


def several_stories(
    container: HtmlElement, is_story: Callable[[HtmlElement], bool]
) -> list[HtmlElement]:
    """The ``<article>`` elements side by side in ``container``, when there are two or more.

    A page that appends the next stories as the reader scrolls holds each in
    an ``<article>`` of its own; the page's own story comes first. Articles
    nested in an article (its comments, its embedded cards) are not counted,
    and a container that is itself an ``<article>`` is one story. Only
    articles ``is_story`` accepts (holding a run of prose) count.
    """
    if container.tag == "article":
        return []
    stories = [el for el in _TOP_ARTICLES(container) if is_story(el)]
    return stories if len(stories) > 1 else []


_TOP_ARTICLES = XPath(".//article[not(ancestor::article)]")


def _within(el: HtmlElement | None, ancestor: HtmlElement) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


# A pull quote repeats a sentence of the body; a repeat this short may be chance.
PULL_QUOTE_MIN_WORDS = 6
_SET_APART_TAGS = frozenset({"blockquote", "aside", "figure"})
_FLOW_TAGS = HEADING_TAGS | {"p", "li", "dd", "dt", "pre"}
_WORDS = re.compile(r"\w+")


def without_pull_quotes(blocks: list[Block], container: HtmlElement) -> list[Block]:
    """The blocks without those in :func:`pull_quote_boxes`."""
    quote_boxes = pull_quote_boxes(blocks, container)
    if not quote_boxes:
        return blocks
    return [b for b in blocks if not any(_within(b.element, box) for box in quote_boxes)]


def pull_quote_boxes(blocks: list[Block], container: HtmlElement) -> set[HtmlElement]:
    """The boxes of pull quotes: set-apart copies of words the body already holds.

    A block is set apart when an element between it and ``container`` is a
    ``blockquote``, ``aside`` or ``figure`` or has "quote" in its class, or
    when it is a box of its own: a ``div`` or table row holding bare text whose
    tag and class differ from those most of the body's blocks share (its own
    paragraphs, even on pages built of divs), or a paragraph alone in a box
    nested unlike the body's paragraphs (``<div class="css-1x2y3z"><p>``). It
    is a pull quote when its words, in order, stand inside a longer block of
    the body, are all of a block in the body's flow (a one-sentence paragraph
    quoted whole: the set-apart copy goes, wherever it stands), or each of its
    sentences stands in one (a quote stitched across an attribution); the sentence
    stays in its paragraph, and the rest of the quote's box (its attribution)
    goes with it. Headings and plain paragraphs that repeat the body (a
    subheading quoting a sentence) are kept.
    """
    keys = [" ".join(_WORDS.findall(b.text.lower())) for b in blocks]
    shapes = Counter(_shape(b.element) for b in blocks)
    body_shape = shapes.most_common(1)[0][0] if shapes else None
    paths = Counter(_path(b.element, container) for b in blocks)
    body_path = paths.most_common(1)[0][0] if paths else ()
    boxes = [
        _set_apart_box(block, container, body_shape, body_path)
        if key.count(" ") + 1 >= PULL_QUOTE_MIN_WORDS
        else None
        for block, key in zip(blocks, keys, strict=True)
    ]
    in_flow = {key for key, box in zip(keys, boxes, strict=True) if box is None}
    quote_boxes: set[HtmlElement] = set()
    for block, key, box in zip(blocks, keys, boxes, strict=True):
        if box is None:
            continue
        others = [other for other in keys if other != key]  # a copy of the box is no source
        if (
            key in in_flow  # a whole one-sentence paragraph, quoted before or after it
            or any(len(other) > len(key) and key in other for other in others)
            or _sentences_repeated(block.text, others)
        ):
            quote_boxes.add(box)
    return quote_boxes


def _sentences_repeated(text: str, others: list[str]) -> bool:
    """Whether each sentence of ``text`` stands, words in order, in one of the ``others``
    (word keys): a quote stitched from a paragraph that its attribution splits
    (\"The upside sells,\" he added. \"But ...\")."""
    sentences = [" ".join(_WORDS.findall(s.lower())) for s in _SENTENCE_END.split(text)]
    padded = [f" {other} " for other in others]
    return all(any(f" {s} " in other for other in padded) for s in sentences if s)


_SENTENCE_END = re.compile(r"[.!?;]+")


def _shape(el: HtmlElement) -> tuple[str, str]:
    return el.tag, el.get("class") or ""


def _path(el: HtmlElement, container: HtmlElement) -> tuple[tuple[str, str], ...]:
    """The shapes of the elements between ``el`` and ``container``, innermost first."""
    path = []
    el = el.getparent()
    while el is not None and el is not container:
        path.append(_shape(el))
        el = el.getparent()
    return tuple(path)


def _set_apart_box(
    block: Block,
    container: HtmlElement,
    body_shape: tuple[str, str] | None,
    body_path: tuple[tuple[str, str], ...],
) -> HtmlElement | None:
    """The box that sets ``block`` apart from the body's flow, or None."""
    el: HtmlElement | None = block.element
    while el is not None and el is not container:
        if el.tag in _SET_APART_TAGS or "quote" in (el.get("class") or "").lower():
            return el
        el = el.getparent()
    if block.tag not in _FLOW_TAGS and _shape(block.element) != body_shape:
        return block.element  # a styled div or a table row unlike the body's paragraphs
    wrapper = block.element.getparent()
    if (
        wrapper is not None
        and block.tag not in HEADING_TAGS
        and wrapper is not container
        and _path(block.element, container) != body_path
        and " ".join(wrapper.text_content().split()) == block.text
    ):
        return wrapper  # a paragraph in a box of its own (css-1x2y3z), nested unlike the body's
    return None


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
