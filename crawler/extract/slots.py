"""A source's template slots: page positions that hold short, varying text around the body.

A bio box, a teaser slot, a caption under a photo or a kicker sits at the same
place on every page of a publisher, with other words each time. The generic
rules of :mod:`crawler.extract.clean` recognise its text on some pages and
miss it on others; a crawl that has seen the publisher's pages can tell the
place itself. A place is an element **path**: the chain of tags and class
names from the body's container down to the paragraph's element
(``article.post/div.contributor-panel/p``; class names with digits or hashes
normalised, see :func:`step`), kept as a 64-bit hash.

A path is a slot of its source when, on :data:`SLOT_MIN_PAGES` or more of the
source's articles and on at least one in :data:`SLOT_MIN_SHARE` of those that
show it, all its text was removed as noise (by the generic rules, the
source's furniture or its learnt passages: :mod:`crawler.extract.passages`),
and on no article it held body text: more than :data:`SLOT_MAX_PARAGRAPHS`
paragraphs, a paragraph over :data:`SLOT_MAX_WORDS` words, or the most of the
kept words of the page (the story's own paragraphs' path). One page showing
body text at a path vetoes it for good, so a wrong slot cannot keep eating a
source's paragraphs. A known slot's text is then dropped from the source's
pages where the generic rules missed it, unless it holds body text there.

These functions are pure; the store counts the evidence
(:mod:`crawler.store.slots`) and the writer applies it
(:mod:`crawler.pipelines.writer`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lxml.html import HtmlElement

from crawler.extract import ExtractedArticle
from crawler.extract.clean import word_count
from crawler.extract.furniture import line_hash

# Three articles, as for bios (crawler.extract.passages.BIO_MIN_ARTICLES): one or two
# pages on which a rule removed a position's text may be chance, three are its template.
SLOT_MIN_PAGES = 3
# ... and on at least one in four of the pages that show the path. A rule that recognises a
# template's text at all does so on a fair share of its pages (a bio that opens with the
# author's name, a caption with its credit); a rule that misfires on a real paragraph kind
# the source prints on every page (a standfirst, a quote box, a "Key points" box) does so
# on a few pages of many, and the rules keeping it everywhere else say what it is.
SLOT_MIN_SHARE = 4
# "One or two short paragraphs": a bio box, a card's headline and blurb, a caption and
# its credit. The word bound is the generic rules' own for bios and teasers
# (crawler.extract.clean.BIO_MAX_WORDS, TEASER_MAX_WORDS).
SLOT_MAX_PARAGRAPHS = 2
SLOT_MAX_WORDS = 80
UNKNOWN = 0  # the path of a paragraph whose position is not known (a fallback reading)

# An editor's note on a change to the story: a correction, clarification or update, which
# publishers often set in a box of its own beside the story (so outside its path). The
# note is the story changing, whatever box holds it. English, German, French, Spanish,
# Italian and Dutch openings.
EDITORS_NOTE = re.compile(
    r"^\W*(?:corrections?|clarifications?|updates?|updated|editor.s note|note from the editor"
    r"|an earlier version|this (?:article|story|post|report) (?:has been|was|is) "
    r"(?:updated|corrected|amended|changed)"
    r"|korrektur|korrekturhinweis|anmerkung der redaktion|aktualisierung|aktualisiert"
    r"|in einer (?:früheren|ersten|vorherigen) (?:version|fassung)"
    r"|rectificatif|mise à jour|note de la rédaction|une (?:précédente|première) version"
    r"|corrección|fe de erratas|actualización|nota del editor|nota de la redacción"
    r"|rettifica|aggiornamento|nota della redazione"
    r"|correctie|rectificatie|noot van de redactie)\b",
    re.IGNORECASE,
)
_HASHED = re.compile(r"[a-z]*\d[a-z\d]*")  # a part of a class name that carries a number


@lru_cache(maxsize=4096)
def _classes(attr: str) -> str:
    """Class names, lower-case, sorted, their numbered parts as ``#`` ("post-1234" → "post-#",
    "css-1x2ab" → "css-#"): a publisher numbers items and hashes styles, the slot stays."""
    names = {_HASHED.sub("#", name) for name in attr.lower().split()}
    return ".".join(sorted(names))


def step(el: HtmlElement) -> str:
    """One element of a path: its tag, then its normalised class names (``div.bio-box``)."""
    attr = el.get("class")
    classes = _classes(attr) if attr else ""
    return f"{el.tag}.{classes}" if classes else str(el.tag)


@lru_cache(maxsize=4096)
def path_hash(path: str) -> int:
    """A signed 64-bit hash of a path (fits a BIGINT column); never :data:`UNKNOWN`."""
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True) or 1


def element_paths(
    elements: Iterable[HtmlElement], container: HtmlElement
) -> dict[HtmlElement, int]:
    """The path hash of each element, from ``container`` (included) down to it.

    Elements outside ``container`` get the path from the root. Paths of
    shared ancestors are built once.
    """
    memo: dict[HtmlElement, str] = {container: step(container)}

    def path(el: HtmlElement) -> str:
        chain: list[HtmlElement] = []
        node: HtmlElement | None = el
        while node is not None and node not in memo:
            chain.append(node)
            node = node.getparent()
        text = memo[node] if node is not None else ""
        for link in reversed(chain):
            text = memo[link] = f"{text}/{step(link)}" if text else step(link)
        return text

    return {el: path_hash(path(el)) for el in elements}


def article_shape(
    article: ExtractedArticle,
) -> tuple[list[str], tuple[int, ...], tuple[tuple[int, int], ...]]:
    """The article's lines, each line's path (all :data:`UNKNOWN` when extraction gave
    none) and the (path, words) of what extraction removed: :func:`page_shape`'s arguments."""
    lines = article.text.split("\n") if article.text else []
    paths = article.paths if len(article.paths) == len(lines) else (UNKNOWN,) * len(lines)
    return lines, paths, article.removed


@dataclass(slots=True)
class PathOnPage:
    """What one page held at one path: its paragraphs, as extracted."""

    paragraphs: int = 0
    removed: int = 0  # by the generic rules or the source's furniture, in extraction
    longest: int = 0  # words of its longest paragraph
    kept_words: int = 0


def page_shape(
    lines: Sequence[str], paths: Sequence[int], removed: Iterable[tuple[int, int]]
) -> dict[int, PathOnPage]:
    """Each known path of a page: its kept ``lines`` (one path each, in order) and the
    ``removed`` paragraphs, as (path, words) pairs."""
    shape: dict[int, PathOnPage] = {}
    for path, words in removed:
        if path != UNKNOWN:
            on = shape.setdefault(path, PathOnPage())
            on.paragraphs += 1
            on.removed += 1
            on.longest = max(on.longest, words)
    for line, path in zip(lines, paths, strict=True):
        if path != UNKNOWN:
            on = shape.setdefault(path, PathOnPage())
            words = word_count(line)
            on.paragraphs += 1
            on.longest = max(on.longest, words)
            on.kept_words += words
    return shape


def story_path(shape: Mapping[int, PathOnPage]) -> int:
    """The path holding the most of the page's kept words: the story's own paragraphs'
    (:data:`UNKNOWN` when none holds any)."""
    most = max(shape.items(), key=lambda item: item[1].kept_words, default=None)
    return most[0] if most is not None and most[1].kept_words else UNKNOWN


def body_paths(shape: Mapping[int, PathOnPage]) -> frozenset[int]:
    """The paths that held body text on the page (see the module docstring): never slots."""
    body = {
        path
        for path, on in shape.items()
        if on.paragraphs > SLOT_MAX_PARAGRAPHS or on.longest > SLOT_MAX_WORDS
    }
    return frozenset(body | {story_path(shape)} - {UNKNOWN})


@dataclass(frozen=True, slots=True)
class Positions:
    """Where a page's paragraphs sat: each kept line's path by line hash, what each path
    held (:func:`page_shape`) and the paths that held body text (:func:`body_paths`)."""

    paths: Mapping[int, int]
    shape: Mapping[int, PathOnPage]
    body: frozenset[int]

    @classmethod
    def of_page(
        cls, lines: Sequence[str], paths: Sequence[int], removed: Iterable[tuple[int, int]]
    ) -> Positions:
        """The positions of a page's kept ``lines`` (see :func:`page_shape`)."""
        shape = page_shape(lines, paths, removed)
        return cls(
            {line_hash(line): path for line, path in zip(lines, paths, strict=True)},
            shape,
            body_paths(shape),
        )

    def in_slot(self, line: str, slots: Collection[int]) -> bool:
        """Whether ``line`` sat on the page at a known path that is one of ``slots`` and
        held no body text there."""
        return self._droppable(self.paths.get(line_hash(line), UNKNOWN), slots)

    def any_in_slot(self, lines: Iterable[int], slots: Collection[int]) -> bool:
        """Whether any of ``lines`` (line hashes) is :meth:`in_slot`."""
        return any(self._droppable(self.paths.get(line, UNKNOWN), slots) for line in lines)

    def _droppable(self, path: int, slots: Collection[int]) -> bool:
        return path != UNKNOWN and path in slots and path not in self.body


def strip_slots(text: str, where: Positions, slots: Collection[int]) -> tuple[str, int]:
    """``text`` without the paragraphs in the source's ``slots``, and how many went.

    A paragraph goes when its path (by ``where``) is known and a slot that
    holds no body text on this page (:meth:`Positions.in_slot`); nothing goes
    when everything would.
    """
    lines = text.split("\n")
    kept = [line for line in lines if not where.in_slot(line, slots)]
    if len(kept) == len(lines) or not any(line.strip() for line in kept):
        return text, 0
    return "\n".join(kept), len(lines) - len(kept)


def adds_only_around(stored: str, text: str, where: Positions) -> bool:
    """Whether ``text`` is ``stored`` with lines added, each a short one (:data:`SLOT_MAX_WORDS`
    words at most, as template text is) at a known path other than the story's own
    (:func:`story_path`): text in the template's places around the story, not an edit of it.

    Measured on the unseen publishers (``bench/unseen_publishers.py``): a re-rendered
    page's reader comments with no "wrote:" were kept on some renderings and not on
    others (two kept where three and four were not); stored, they made a version, and
    leaving again another. Their names' lines shared a path with other short lines of
    the page (hashed class names fold alike), so :attr:`Positions.body` held it: only the
    story's own path tells. A line added there, or a long one, a line gone or moved,
    and a line whose path is not known (a fallback reading) are still edits; so is an
    editor's note (:data:`EDITORS_NOTE`: "Correction: ...", "Update: ..."), wherever it sits.
    """
    stored_lines = stored.split("\n")
    known = set(stored_lines)
    story = story_path(where.shape)

    def around(line: str) -> bool:
        path = where.paths.get(line_hash(line), UNKNOWN)
        short = word_count(line) <= SLOT_MAX_WORDS
        note = EDITORS_NOTE.match(line) is not None
        return line not in known and short and not note and path not in (UNKNOWN, story)

    lines = text.split("\n")
    kept = [line for line in lines if not around(line)]
    return len(kept) < len(lines) and kept == stored_lines


Seen = tuple[int, bool, bool]  # (path hash, all its text removed as noise, it held body text)


def observe(where: Positions, stored: Collection[int]) -> list[Seen]:
    """What one article teaches about its paths, one :data:`Seen` per known path.

    ``where`` is the page as extracted (its kept paragraphs and what
    extraction removed), ``stored`` the line hashes of the text stored after
    the source's knowledge removed more: a path all of whose paragraphs are
    gone from it was noise on this page.
    """
    gone = Counter(
        path for line, path in where.paths.items() if path != UNKNOWN and line not in stored
    )
    return [
        (path, on.removed + gone[path] == on.paragraphs, path in where.body)
        for path, on in sorted(where.shape.items())
    ]


def is_slot(pages: int, noise_pages: int, body_pages: int) -> bool:
    """Whether a path counted so is a slot: noise on enough articles and on a share of the
    ``pages`` that show it (:data:`SLOT_MIN_SHARE`), body text on none."""
    return (
        noise_pages >= SLOT_MIN_PAGES and noise_pages * SLOT_MIN_SHARE >= pages and body_pages == 0
    )
