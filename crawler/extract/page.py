"""One page read and cleaned: the functions :mod:`crawler.extract` names.

:func:`read_page` parses the page once, reads its metadata, skips
markup-named noise and finds the body's paragraphs; :func:`clean_article`
drops the headline repeats, boilerplate and the source's furniture from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from w3lib.encoding import html_to_unicode

from crawler.extract import ExtractedArticle
from crawler.extract.blocks import segment
from crawler.extract.body import (
    find_body,
    pull_quote_boxes,
    reads_as_article,
    trafilatura_paragraphs,
)
from crawler.extract.clean import (
    KEPT,
    REPEAT,
    caption_boxes,
    offsite_teasers,
    paragraph_fates,
    teaser_cards,
    word_count,
)
from crawler.extract.flight import flight_html
from crawler.extract.furniture import line_hash
from crawler.extract.layout import unwrap_layout_tables
from crawler.extract.metadata import Metadata, extract_metadata
from crawler.extract.safe_text import safe_article
from crawler.extract.slots import UNKNOWN
from crawler.extract.standfirst import standfirst


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


def _html_parser() -> etree.HTMLParser:
    """lxml's HTML parser, giving every element the :class:`lxml.html.HtmlElement` class.

    ``lxml.html.HTMLParser`` picks each element's class in Python, on every access to an
    element (``<form>``, ``<input>`` ... get their own classes, whose form methods
    extraction never calls): 6% of extraction's time on the dev half. A default-class
    lookup does the same in C.
    """
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
        )
    )
    return parser


_PARSER = _html_parser()


@dataclass(frozen=True, slots=True)
class PageReading:
    """What one read of a page found: its metadata and its body's raw paragraphs.

    ``paths`` gives each paragraph's element path and ``removed`` the (path,
    words) of the body's teaser and caption boxes (see :mod:`crawler.extract.slots`).
    When trafilatura read the page, a line it kept as the body finder read it
    has that block's path, any other line none, and no box is reported.
    """

    meta: Metadata
    paragraphs: list[str]
    fallback: bool = False  # the fast body finder was unsure and trafilatura read the page
    prose: bool = False  # a title and a run of real paragraphs (body.reads_as_article)
    paths: tuple[int, ...] = ()
    removed: tuple[tuple[int, int], ...] = ()


_EMPTY = Metadata(None, [], None, None, None, has_article_markup=False)
# Joins the pages of an article split over several (crawler.spiders.continuation) into
# the one page kept beside its version; NUL never occurs in a page the crawl reads.
PAGE_BREAK = "\x00<!-- next page -->\x00"


def extract_article(
    html: str | bytes, url: str = "", furniture: frozenset[int] = frozenset()
) -> ExtractedArticle:
    """Extract title, authors, dates and clean body text from one page.

    ``furniture`` is the source's learnt boilerplate (line hashes, see
    :mod:`crawler.extract.furniture`); without it the page is cleaned by
    markup and wording alone, which is already enough for a first crawl.
    A kept page of several (joined by :data:`PAGE_BREAK`) gives one article.
    """
    first, *rest = decode_html(html).split(PAGE_BREAK)
    return with_continuations(clean_article(read_page(first, url), furniture), rest, url, furniture)


def with_continuations(
    article: ExtractedArticle,
    pages: Sequence[str],
    url: str = "",
    furniture: frozenset[int] = frozenset(),
) -> ExtractedArticle:
    """``article`` (page 1) with the bodies of its later ``pages`` after its own, in order.

    The metadata stays page 1's.
    """
    if not pages:
        return article
    parts = [article] + [clean_article(read_page(p, url), furniture) for p in pages]
    return replace(
        article,
        text="\n".join(part.text for part in parts if part.text),
        paths=tuple(path for part in parts for path in part.paths),
        removed=tuple(box for part in parts for box in part.removed),
    )


def clean_article(
    reading: PageReading, furniture: frozenset[int] = frozenset()
) -> ExtractedArticle:
    """The cleaned article of a page reading, without the source's furniture lines.

    Every text field is made safe for both databases on the way out (see
    :func:`~crawler.extract.safe_text.safe_article`): this is where extraction
    hands an article over, to the crawl's workers and to ``reextract`` alike.
    """
    meta = reading.meta
    lines = [" ".join(p.split()) for p in reading.paragraphs]
    paths = reading.paths or (UNKNOWN,) * len(lines)
    fates = paragraph_fates(lines, meta.title, meta.authors)
    paragraphs: list[str] = []
    kept_paths: list[int] = []
    removed = list(reading.removed)
    for line, path, fate in zip(lines, paths, fates, strict=True):
        if fate == KEPT and not (furniture and line_hash(line) in furniture):
            paragraphs.append(line)
            kept_paths.append(path)
        elif fate != REPEAT:  # noise, or the source's furniture
            removed.append((path, word_count(line)))
    article = ExtractedArticle(
        title=meta.title or "",
        text="\n".join(paragraphs),
        authors=meta.authors,
        published=meta.published,
        modified=meta.modified,
        canonical=meta.canonical,
        has_article_markup=meta.has_article_markup,
        reads_as_article=reading.prose,
        date_order=meta.date_order,
        dates_if_order=meta.dates_if_order,
        paths=tuple(kept_paths),
        removed=tuple(removed),
    )
    return safe_article(article)


def read_page(html: str | bytes, url: str = "") -> PageReading:
    """Parse once; metadata from the whole page, then the body's paragraphs, uncleaned.

    A page whose markup holds no body but whose React Flight payload carries the
    story's HTML (a client-rendered page, :mod:`crawler.extract.flight`) is read from
    that HTML.
    """
    text = decode_html(html)
    tree = parse_html(text)
    if tree is None:
        return PageReading(_EMPTY, [])
    meta = extract_metadata(tree, url)
    reading = read_body(tree, meta, url)
    if not reading.paragraphs and (shipped := flight_html(text)):
        shipped_tree = parse_html(shipped)
        if shipped_tree is not None:
            return read_body(shipped_tree, meta, url)
    return reading


def read_body(tree: lxml.html.HtmlElement, meta: Metadata, url: str = "") -> PageReading:
    """The body's paragraphs of a parsed page (uncleaned), with ``meta`` read from it."""
    root = tree.find("body")
    if root is None:
        root = tree
    teasers = offsite_teasers(root, url)
    seg = segment(root, teasers.__contains__ if teasers else None)

    def boxes(body: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
        """Teaser cards and caption boxes inside ``body``, with all they hold."""
        inside = set(body.iterdescendants())
        found = (teaser_cards(body, url) | caption_boxes(body)) & inside
        return {el for box in found for el in box.iter()}

    body = find_body(seg, root, boxes)
    prose = bool(meta.title) and reads_as_article(body, seg)
    # The standfirst above the body, stored as its first paragraph (crawler.extract.standfirst);
    # cleaning drops a later copy of it.
    dek = standfirst(seg.blocks, body.first, meta.title, meta.descriptions)
    if body.confident:
        if dek:
            return PageReading(
                meta,
                [dek, *body.paragraphs],
                prose=prose,
                paths=(UNKNOWN, *body.paths),
                removed=body.removed,
            )
        return PageReading(
            meta, body.paragraphs, prose=prose, paths=body.paths, removed=body.removed
        )
    for el in seg.skipped:
        if el.getparent() is not None:
            el.drop_tree()
    if body.later_stories is not None:
        drop_from(body.later_stories)
    # Pull quotes, which the fast path leaves out of the body, left out of trafilatura's too.
    for box in pull_quote_boxes([b for b in seg.blocks if _attached(b.element, root)], root):
        if _attached(box, root):
            box.drop_tree()
    unwrap_layout_tables(root)  # a page laid out in a table is no table of data
    paragraphs = trafilatura_paragraphs(tree, url)
    if dek and paragraphs:
        paragraphs = [dek, *paragraphs]
    if not paragraphs:
        return PageReading(
            meta, body.paragraphs, True, prose, paths=body.paths, removed=body.removed
        )
    # A line trafilatura kept as the body finder read it sits where that block does.
    where = dict(zip(body.paragraphs, body.paths, strict=True))
    paths = tuple(where.get(" ".join(p.split()), UNKNOWN) for p in paragraphs)
    return PageReading(meta, paragraphs, fallback=True, prose=prose, paths=paths)


def drop_from(el: lxml.html.HtmlElement) -> None:
    """Remove ``el`` and everything after it in document order, text included."""
    parent = el.getparent()
    if parent is None:
        return
    el.tail = None
    kept = parent
    for later in [el, *el.itersiblings()]:
        parent.remove(later)
    while kept.getparent() is not None:
        for later in list(kept.itersiblings()):
            kept.getparent().remove(later)
        kept.tail = None
        kept = kept.getparent()


def _attached(el: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    """Whether ``el`` is still in the tree under ``root`` (not inside a dropped subtree)."""
    while el is not None and el is not root:
        el = el.getparent()
    return el is root
