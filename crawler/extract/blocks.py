"""Split a parsed page into text blocks, in one pass over the tree.

A block is what a browser would lay out as one paragraph: the text of a
block-level element (``p``, ``li``, ``h2``, a ``div`` holding bare text ...)
without the text of block-level elements nested inside it. Each block knows
how much of its text sits inside links, and each element of the page which
run of blocks its subtree holds; that is all the body finder needs to score
containers without walking the tree again.

Subtrees that are never article text (scripts, navigation, forms' controls,
hidden elements, blocks whose class says promo/related/share ...) are skipped
during the same walk and remembered, so a fallback extractor can be handed
the same pruned page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from lxml.etree import XPath, iterwalk, strip_elements, strip_tags
from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "body", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "tfoot", "thead", "tr", "ul", "center", "aside",
    }
)  # fmt: skip
# Table cells run inline: a row of a data table is one line, and a layout
# table's cells still hold their own <p> blocks.
CELL_TAGS = frozenset({"td", "th"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Never article text, whatever their size.
INVISIBLE_TAGS = ("script", "style", "noscript", "template")
# Ruby annotations (a reading over a word: <ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>)
# are unwrapped into their text as the HTML standard's fallback shows them: the word, then
# its reading in the page's own <rp> brackets ("漢字(かんじ)"), inline. Left as elements,
# trafilatura cut a paragraph into a line per part of each (fundus: a Japanese page 0.77 -> 1.0).
RUBY_TAGS = ("ruby", "rb", "rt", "rtc", "rp")
DROP_TAGS = frozenset(
    {
        "iframe", "svg", "button", "select", "textarea",
        "input", "object", "embed", "canvas", "video", "audio", "map", "head",
        "nav", "figcaption", "label", "dialog", "menu",
    }
)  # fmt: skip
# Page furniture by position; dropped unless they hold much of the page's text
# (some sites wrap the whole story in a <header> or <footer>, or an <aside>).
FURNITURE_TAGS = frozenset({"header", "footer", "figure", "aside"})

# class/id words that mark a block as not-the-article, matched on whole
# word parts of class and id values ("c-related-links", "share_bar", "adBox").
# Strong words name what is never the story; weak words name places and
# states that sometimes wrap it ("sidebar-layout", "modal-enabled"), so a weak
# match is pruned only when the block holds little prose.
COMMENT_WORDS = ("comment", "comments", "disqus", "respond", "discussion")
STRONG_NOISE_WORDS = (
    "ad", "ads", "advert", "advertisement", "adslot", "dfp", "promo", "promoted", "teaser",
    "outbrain", "taboola", "related", "recommended", "recirc", "newsletter", "subscribe", "cookie", "consent", "trending", "popular", "most-read",
    "mostread", "share", "sharing", "social", "sharebar", "breadcrumb", "breadcrumbs",
    "byline", "caption", "credit", "copyright", "print-title", "headline-repeat", "read-more",
    "readmore", "more-stories", "next-article", "skip-link", "sr-only", "visually-hidden",
)  # fmt: skip
WEAK_NOISE_WORDS = (
    "sponsor", "sponsored", "subscription", "signup", "paywall", "gdpr", "author-bio", "bio",
    "tags", "tag-list", "footer", "masthead", "sidebar", "widget", "navbar", "menu", "hidden",
    "modal", "popup", "overlay", "toolbar", "pagination", "pager",
)  # fmt: skip
# A marked block with this many long paragraphs is the story's own container
# ("entry-content-read-more", "sidebar-layout"), not furniture. Comment
# sections are prose by nature, so their mark is trusted regardless.
_LONG_PARAGRAPHS = XPath("count(.//p[string-length(normalize-space()) > 150])")
STRONG_GUARD_PARAGRAPHS = 3
WEAK_GUARD_PARAGRAPHS = 2


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?:^|[\s_-])(?:{alternatives})(?=$|[\s_-]|\d)", re.IGNORECASE)


_COMMENTS = _word_pattern(COMMENT_WORDS)
_STRONG_NOISE = _word_pattern(STRONG_NOISE_WORDS)
_WEAK_NOISE = _word_pattern(WEAK_NOISE_WORDS)
_CAMEL_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NOISE_ROLES = frozenset({"navigation", "banner", "complementary", "contentinfo", "dialog", "menu"})
# A block whose markup says noise but which holds more than this share of the
# page's text is the article's own container ("post-share-wrapper" ...): keep it.
MAX_PRUNED_SHARE = 0.3
_NEVER_NOISE = frozenset({"html", "body", "main", "article", "p"})


@dataclass(slots=True)
class Block:
    """One paragraph-like run of text, with the element it belongs to."""

    element: HtmlElement
    tag: str
    text: str
    link_chars: int

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


@dataclass(slots=True)
class Segmented:
    """A page as blocks, each element's run of them, and the subtrees skipped as noise."""

    blocks: list[Block] = field(default_factory=list)
    # Each element's blocks are ``blocks[start:end]``: a subtree's blocks are contiguous.
    spans: dict[HtmlElement, tuple[int, int]] = field(default_factory=dict)
    skipped: list[HtmlElement] = field(default_factory=list)


class Mark(Enum):
    NONE = 0
    WEAK = 1
    STRONG = 2
    COMMENTS = 3


@lru_cache(maxsize=4096)
def _markup_mark(attrs: str) -> Mark:
    """What class and id words say; cached, since a site repeats its class names."""
    words = _CAMEL_SPLIT.sub("-", attrs)
    if _COMMENTS.search(words):
        return Mark.COMMENTS
    if _STRONG_NOISE.search(words):
        return Mark.STRONG
    return Mark.WEAK if _WEAK_NOISE.search(words) else Mark.NONE


def noise_by_markup(el: HtmlElement, attrs: Mapping[str, str]) -> bool:
    """True when class, id, role or a hidden flag say the element is not article text.

    ``attrs`` are the element's attributes (``dict(el.items())``, see :func:`_is_noise`).
    """
    class_id = f"{attrs.get('class', '')} {attrs.get('id', '')}"
    if class_id != " ":
        mark = _markup_mark(class_id)
        if mark is Mark.COMMENTS:
            return True
        if mark is not Mark.NONE:
            guard = STRONG_GUARD_PARAGRAPHS if mark is Mark.STRONG else WEAK_GUARD_PARAGRAPHS
            if _LONG_PARAGRAPHS(el) < guard:
                return True
    if (attrs.get("role") or "").lower() in _NOISE_ROLES:
        return True
    # Paywalled pages ship the rest of the story hidden, for a script to reveal.
    return _hidden(attrs) and _LONG_PARAGRAPHS(el) < STRONG_GUARD_PARAGRAPHS


def _hidden(attrs: Mapping[str, str]) -> bool:
    """The ``hidden`` or ``aria-hidden`` flag, or a style that hides the element."""
    style = attrs.get("style")
    return (
        "hidden" in attrs
        or attrs.get("aria-hidden") == "true"
        or bool(style and _HIDDEN_STYLE.search(style))
    )


_DIALOG = _word_pattern(("modal", "overlay", "popup", "dialog", "lightbox"))
_HIDDEN_CLASS = _word_pattern(("hidden", "invisible"))


def hidden_dialog(attrs: Mapping[str, str]) -> bool:
    """Whether an element's ``attrs`` make it a dialog box the page keeps hidden until a
    script opens it (a login, paywall or "read on one device only" modal): a class or id
    that names a modal, overlay, popup or dialog (or ``role="dialog"``), hidden by a class
    ("is-hidden"), the ``hidden`` or ``aria-hidden`` flag or its style. Its long
    paragraphs do not make it the story, as they do for a box merely hidden (a paywall's
    rest of the story) or merely named a modal ("modal-enabled" page wrappers), nor does
    its share of the page's text."""
    dialog, hidden_class = _dialog_words(f"{attrs.get('class', '')} {attrs.get('id', '')}")
    if not (dialog or (attrs.get("role") or "").lower() == "dialog"):
        return False
    return hidden_class or _hidden(attrs)


@lru_cache(maxsize=4096)
def _dialog_words(attrs: str) -> tuple[bool, bool]:
    """Whether class and id words name a dialog, and a hidden state; cached like
    :func:`_markup_mark`."""
    words = _CAMEL_SPLIT.sub("-", attrs)
    return bool(_DIALOG.search(words)), bool(_HIDDEN_CLASS.search(words))


def segment(
    root: HtmlElement, extra_noise: Callable[[HtmlElement], bool] | None = None
) -> Segmented:
    """Walk ``root`` once and return its blocks and each element's run of them.

    ``extra_noise`` lets the caller mark more subtrees as noise (off-site
    teasers); it is asked only about elements the markup rules let through.
    Scripts and styles go first, and ruby annotations are unwrapped into
    their text (:data:`RUBY_TAGS`), for a fallback reading the same tree.
    """
    strip_elements(root, *INVISIBLE_TAGS, with_tail=False)
    strip_tags(root, *RUBY_TAGS)
    page_chars = max(1, len(root.text_content()))
    out = Segmented()
    starts: dict[HtmlElement, int] = {}  # open elements not skipped: where their blocks begin
    # Open blocks, innermost last: [element, tag, parts, indices of the parts in a link,
    # (the open cell, its first part's index) of a table row or None].
    open_blocks: list[list] = [[root, root.tag, [], [], None]]
    in_link = 0
    walker = iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if el is not root and _is_noise(el, tag, page_chars, extra_noise):
                out.skipped.append(el)
                walker.skip_subtree()  # its "end" still comes, and adds its tail
                continue
            if tag in BLOCK_TAGS and open_blocks[-1][4] is not None:
                _flush_row(out.blocks, open_blocks[-1], starts)
            starts[el] = len(out.blocks)
            if tag == "a":
                in_link += 1
            if tag in BLOCK_TAGS:
                open_blocks.append([el, tag, [], [], None])
            elif tag == "br":
                open_blocks[-1][2].append("\n")
            elif tag in CELL_TAGS:
                row = open_blocks[-1]
                row[2].append(" ")
                if row[1] == "tr":
                    row[4] = (el, len(row[2]))
            if el.text:
                _add_text(el.text, open_blocks, in_link)
            continue
        # end event
        if el not in starts:  # a skipped subtree
            _add_tail(el, open_blocks, in_link)
            continue
        if tag == "a":
            in_link -= 1
        if tag in BLOCK_TAGS:
            block_el, block_tag, parts, linked, _ = open_blocks.pop()
            _emit(out.blocks, block_el, block_tag, parts, linked)
        out.spans[el] = (starts.pop(el), len(out.blocks))
        if el is not root:
            _add_tail(el, open_blocks, in_link)
    _emit(out.blocks, root, root.tag, open_blocks[0][2], [])  # text of a root that is no block
    out.spans[root] = (0, len(out.blocks))
    return out


def _emit(
    blocks: list[Block], el: HtmlElement, tag: str, parts: list[str], linked: list[int]
) -> None:
    """Add the element's own text as blocks, one per line (``<br>`` breaks lines).

    ``linked`` are the indices of the parts inside a link. A line has the link
    characters of its whole block, except in a table row: cells run inline, so a
    layout table's row holds the lines of all its cells, and the navigation cell's
    links are not the story cell's (issue 19: a ``<br>``-separated story beside a
    cell of links read as links, the page unstored). Each line of a row has its own.
    """
    text = "".join(parts)
    if not text or text.isspace():  # most elements hold only the markup's line breaks
        return
    lines = text.split("\n")
    per_line = _line_links(parts, linked) if tag == "tr" and len(lines) > 1 and linked else None
    whole = sum(len(parts[i].strip()) for i in linked)
    for n, line in enumerate(lines):
        text = " ".join(line.split())
        if text:
            links = per_line[n] if per_line else whole
            blocks.append(Block(el, tag, text, min(links, len(text))))


def _flush_row(blocks: list[Block], row: list, starts: dict[HtmlElement, int]) -> None:
    """Emit the lines of a table row's earlier cells, before a block nested in its open cell.

    Cells run inline, so a layout table's row gathers the lines of all its cells
    and emits them as it ends, after every block nested in them. A story cell
    holding a photo, teaser or quote box (a nested ``<table>``, a ``<center>``)
    then read as those boxes, then the navigation cell's links, then the story's
    own lines, and no element held the story without the links (issue 19: such
    stories were not stored). The earlier cells' lines are emitted here, before
    the open cell's span (``starts`` of the cell and of the elements open in it
    move past them); the open cell's own lines still come after its nested
    blocks, as any block's own text does.
    """
    el, tag, parts, linked, (cell, mark) = row
    if not mark:
        return
    before = len(blocks)
    _emit(blocks, el, tag, parts[:mark], [i for i in linked if i < mark])
    if len(blocks) > before:
        inside = False
        for open_el in starts:  # the open elements, outermost first
            inside = inside or open_el is cell
            if inside:
                starts[open_el] = len(blocks)
    row[2], row[3], row[4] = parts[mark:], [i - mark for i in linked if i >= mark], (cell, 0)


def _line_links(parts: list[str], linked: list[int]) -> list[int]:
    """The characters of link text on each line of the joined ``parts``."""
    in_link = set(linked)
    counts = [0]
    for i, part in enumerate(parts):
        for n, piece in enumerate(part.split("\n")):
            if n:
                counts.append(0)
            if i in in_link:
                counts[-1] += len(piece.strip())
    return counts


def _add_text(text: str, open_blocks: list[list], in_link: int) -> None:
    current = open_blocks[-1]
    if in_link:
        current[3].append(len(current[2]))
    current[2].append(text)


def _add_tail(el: HtmlElement, open_blocks: list[list], in_link: int) -> None:
    if el.tail:
        _add_text(el.tail, open_blocks, in_link)


def _is_noise(
    el: HtmlElement,
    tag: str,
    page_chars: int,
    extra_noise: Callable[[HtmlElement], bool] | None,
) -> bool:
    if tag in DROP_TAGS:
        return True
    if tag in _NEVER_NOISE:
        return False
    # Read once: each lxml get() costs about as much as reading all of them.
    attrs = dict(el.items())
    if hidden_dialog(attrs):  # whatever share of the page's text it holds
        return True
    if not (
        tag in FURNITURE_TAGS
        or noise_by_markup(el, attrs)
        or (extra_noise is not None and extra_noise(el))
    ):
        return False
    return len(el.text_content()) / page_chars <= MAX_PRUNED_SHARE


def following(el: HtmlElement, prune: Collection[str] = ()) -> Iterator[HtmlElement]:
    """The elements after ``el`` in document order, outside it (XPath ``following::*``,
    lazily: libxml2 would list every one before taking the first few), leaving out the
    subtrees of the tags in ``prune``."""
    node: HtmlElement | None = el
    while node is not None:
        for sibling in node.itersiblings():
            stack = [sibling]
            while stack:
                current = stack.pop()
                if not isinstance(current.tag, str) or current.tag in prune:
                    continue
                yield current
                stack.extend(reversed(current))
        node = node.getparent()
