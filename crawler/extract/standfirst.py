"""The standfirst: the short summary shown between the headline and the body.

Many pages show a one-paragraph summary (a "dek", "lead", "intro") under the
headline, outside the element that holds the body's paragraphs, so the body
finder leaves it out. :func:`standfirst` finds it on the visible page and
takes it only when the page vouches for it: its text is the page's own
description (JSON-LD ``description``, ``<meta name="description">``,
og:description or twitter:description), near enough (:func:`near_equal`).
A teaser for another story, or a description the page does not show, adds
nothing.

The rule is narrow because the corpora disagree: fundus's truth keeps the
standfirst, the extraction benchmark's (dev half) leaves it out in 12 of the
13 pages that show one. The summary is taken only as a paragraph (not a
heading) inside the same ``<article>`` as the body's first paragraph, which
none of those 12 is; see README "Figures, per corpus".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from crawler.extract.blocks import HEADING_TAGS, Block

MIN_WORDS = 10  # shorter: a kicker or a label, not a summary
MAX_WORDS = 60  # longer: a paragraph of the story itself
# Near-equal word sets (Jaccard): a description edited by a word or two.
MIN_SHARED_WORDS = 0.8
# A description cut short ("... the minister said…") is a prefix of the shown text
# (its last, maybe cut, word aside) covering at least this share of its words.
MIN_PREFIX_SHARE = 0.6
MAX_LINK_DENSITY = 0.1  # a summary is not a link to somewhere else

_WORDS = re.compile(r"\w+")


def near_equal(shown: str, description: str) -> bool:
    """Whether ``shown`` text and a page's ``description`` say the same, word for word nearly.

    Words are ``\\w+`` runs, case folded. Equal when the words are equal,
    when the two word sets share ``MIN_SHARED_WORDS`` of their union, or when
    the shorter is the longer's beginning (its last word may be cut) and holds
    at least ``MIN_PREFIX_SHARE`` of its words.
    """
    a, b = _WORDS.findall(shown.casefold()), _WORDS.findall(description.casefold())
    if not a or not b:
        return False
    if a == b:
        return True
    set_a, set_b = set(a), set(b)
    if len(set_a & set_b) >= MIN_SHARED_WORDS * len(set_a | set_b):
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_PREFIX_SHARE * len(long) and long[: len(short) - 1] == short[:-1]


def standfirst(
    blocks: Sequence[Block], first: int, title: str | None, descriptions: Sequence[str]
) -> str | None:
    """The standfirst shown above the body whose first paragraph is ``blocks[first]``, or None.

    Looked for after the headline (the last ``<h1>``, or block whose words
    are the ``title``'s, before ``blocks[first]``) and before that paragraph:
    the first block there that is not a heading, holds ``MIN_WORDS`` to
    ``MAX_WORDS`` words, is not mostly link text, is near-equal
    (:func:`near_equal`) to one of the page's ``descriptions``, and shares an
    ``<article>`` with the body's first paragraph. Its text is returned as the
    block holds it; None when there is no headline, no description or no such
    block. ``blocks`` are the page's (:func:`crawler.extract.blocks.segment`):
    a ``<header>`` skipped there as furniture is not looked into.
    """
    if not descriptions or not 0 <= first < len(blocks):
        return None
    title_words = _WORDS.findall(title.casefold()) if title else None
    headline = next(
        (
            i
            for i in range(first - 1, -1, -1)
            if blocks[i].tag == "h1" or _WORDS.findall(blocks[i].text.casefold()) == title_words
        ),
        None,
    )
    if headline is None:
        return None
    for block in blocks[headline + 1 : first]:
        words = len(_WORDS.findall(block.text))
        if (
            block.tag not in HEADING_TAGS
            and MIN_WORDS <= words <= MAX_WORDS
            and block.link_density <= MAX_LINK_DENSITY
            and any(near_equal(block.text, d) for d in descriptions)
            and _in_one_article(block.element, blocks[first].element)
        ):
            return block.text
    return None


def _in_one_article(a: HtmlElement, b: HtmlElement) -> bool:
    """Whether ``a`` and ``b`` sit inside one ``<article>`` element."""
    around_b = set(b.iterancestors())
    return any(el.tag == "article" and el in around_b for el in a.iterancestors())
