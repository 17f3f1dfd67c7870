"""The publication date a page shows its readers, for pages whose markup names none.

A page without a JSON-LD, ``<meta>`` or ``<time>`` date still shows one, where
templates put it for people:

- a dateline under the headline: the first short line after the headline (an
  ``<h1>``, or a heading holding the page's title) and before the story's first
  paragraph: ``erstellt: 01. April 2025, 15:25``, ``Do 25.04.24 | 14:07 Uhr |
  Von Ann Lee``, a date alone in a ``<span>``, a ``<div>`` or a table cell;
- a labelled field anywhere on the page: ``<strong>Datum</strong> 28.04.2023``,
  ``<dt>Published</dt><dd>4 March 2024</dd>``, ``<th>Date:</th><td>…</td>``.

Links (other stories' teasers and their dates), captions, navigation, asides
and footers are not looked into; the date itself is cut from the line and
judged by :mod:`crawler.extract.dates` (``shown_date``, then ``read_date`` in
the page's day/month order). Measured on fundus: 6 of 258 pages show their
date only this way (htmldate's visible-text search finds their day but no
time, and took a caption's date on one of them).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extract.blocks import following
from crawler.extract.body import MIN_ARTICLE_PARAGRAPH_CHARS
from crawler.extract.dates import shown_date

DATELINE_CHARS = 120  # a dateline with a label, a time and a byline; longer is prose
DATELINE_REACH = 60  # elements after the headline looked at: a dateline sits right under it
LABELLED_CHARS = 60  # a labelled field's value: a date and a time, not a sentence
# Subtrees that hold no dateline of the page's own: links (teasers of other stories),
# captions, navigation, asides, footers, scripts and controls.
_NOT_DATELINE = frozenset(
    {"a", "figure", "figcaption", "nav", "aside", "footer", "script", "style", "noscript"}
    | {"template", "button", "select", "iframe"}
)
# A field's label naming its value the publication date: "Datum", "Published:", "Tarih".
_DATE_LABEL = re.compile(
    r"^(?:date|datum|dato|data|fecha|tarih|published(?: on)?|publication date"
    r"|veröffentlicht(?: am)?|erstellt(?: am)?|publié(?: le)?|publicado(?: el)?"
    r"|pubblicato(?: il)?|gepubliceerd(?: op)?|publicerad|publisert)\s*:?$",
    re.IGNORECASE,
)


def shown_dates(tree: HtmlElement, title: str | None) -> list[str]:
    """The dates the page shows as its own, best first: the dateline under each headline,
    then each labelled date field's; each as :func:`~crawler.extract.dates.shown_date`
    cuts it from its line (a string for ``read_date``, not yet a date)."""
    found = [_dateline(headline) for headline in _headlines(tree, title)]
    found += [_labelled(label) for label in tree.xpath("//strong | //b | //dt | //th")]
    return list(dict.fromkeys(d for d in found if d))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _headlines(tree: HtmlElement, title: str | None) -> list[HtmlElement]:
    """Headings that hold the page's ``title`` (a kicker may come with it), else its ``<h1>``s."""
    headings = tree.xpath("//h1 | //h2 | //h3")
    if title and (key := _fold(title)):
        named = [h for h in headings if key in _fold(h.text_content())]
        if named:
            return named
    return [h for h in headings if h.tag == "h1"]


def _dateline(headline: HtmlElement) -> str | None:
    """The date in the first short line after ``headline`` that shows one, before the
    story's first paragraph and within :data:`DATELINE_REACH` elements."""
    for seen, el in enumerate(following(headline, _NOT_DATELINE)):
        if seen >= DATELINE_REACH:
            break
        text = _line(el)
        if el.tag == "p" and len(text) >= MIN_ARTICLE_PARAGRAPH_CHARS:
            break  # the story has begun
        if text and len(text) <= DATELINE_CHARS and (date := shown_date(text)):
            return date
    return None


def _line(el: HtmlElement) -> str:
    """``el``'s text without the subtrees that hold no dateline, whitespace folded."""
    parts: list[str] = []

    def gather(node: HtmlElement) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _NOT_DATELINE:
                gather(child)
            parts.append(child.tail or "")

    gather(el)
    return " ".join(" ".join(parts).split())


def _labelled(label: HtmlElement) -> str | None:
    """The date of a labelled field (``label`` "Datum", its value the text after it or the
    next element's), at most :data:`LABELLED_CHARS` long; None for other labels."""
    if not _DATE_LABEL.match(" ".join(label.text_content().split())):
        return None
    value = label.tail or ""
    if not value.strip() and (after := label.getnext()) is not None:
        value = after.text_content()
    value = " ".join(value.split())
    return shown_date(value) if len(value) <= LABELLED_CHARS else None
