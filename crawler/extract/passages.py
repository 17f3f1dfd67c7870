"""A source's recurring passages: teasers of its other stories, and its authors' bios.

A single page cannot tell a teaser card's blurb or a bio box from the story's
own paragraphs; a crawl that has seen the publisher's other articles can:

- a paragraph that opens another stored article of the same source (its first
  paragraph, or the first :data:`LEAD_WORDS` words of it, as a card quotes
  them) is a **teaser** here; so is the other article's title next to it;
- a paragraph that recurs around the body of several articles by one author is
  that author's **bio**: :data:`BIO_MIN_ARTICLES` articles, or
  :data:`BIO_NAMED_MIN_ARTICLES` when the paragraph names the author.

Everything is compared by 64-bit hashes (:func:`crawler.extract.furniture.line_hash`),
so the store keeps integers. These functions are pure; the store counts and
persists the passages (:mod:`crawler.store.passages`) and the writer applies
them (:mod:`crawler.pipelines.writer`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from crawler.extract.clean import line_key
from crawler.extract.furniture import line_hash

# A teaser quotes at least this many words of the other story's opening. Twelve words
# in the same order are not a coincidence in news prose; the blurbs of the cards that
# leaked on five unseen publishers ran 25-40 words (issue 19), so twelve loses none.
LEAD_WORDS = 12
# A passage around the body of this many articles by one author is a bio. Three, not
# two: a reporter's follow-up may repeat a background paragraph of the story before.
BIO_MIN_ARTICLES = 3
# ... but two when it names the author: background paragraphs do not name their writer.
BIO_NAMED_MIN_ARTICLES = 2
# Bios sit around the body: only the first and last paragraphs are counted as candidates.
BIO_HEAD, BIO_TAIL = 2, 3

TEASER, BIO = "teaser", "bio"  # the kinds of paragraph :func:`strip_passages` removes


def opening_hash(paragraph: str) -> int | None:
    """The hash of the paragraph's first :data:`LEAD_WORDS` words; None when it is shorter."""
    words = line_key(paragraph).split()
    if len(words) < LEAD_WORDS:
        return None
    return line_hash(" ".join(words[:LEAD_WORDS]))


def names_author(paragraph: str, author: str) -> bool:
    """Whether the paragraph names ``author``: their last name, as a word of it."""
    name = line_key(author).split()
    return bool(name) and name[-1] in line_key(paragraph).replace(",", " ").split()


@dataclass(frozen=True, slots=True)
class ParagraphKeys:
    """What a paragraph is matched by: its line hash and its opening's hash."""

    line: int
    opening: int | None

    @classmethod
    def of(cls, paragraph: str) -> ParagraphKeys:
        return cls(line_hash(paragraph), opening_hash(paragraph))


def text_keys(text: str) -> tuple[ParagraphKeys, ...]:
    """The keys of each paragraph of ``text`` (newline-separated), in order."""
    return tuple(ParagraphKeys.of(p) for p in text.split("\n") if p.strip())


Key = tuple[str, int, int]  # (kind, passage hash, owner hash)


def learn(url: str, title: str, paragraphs: Sequence[str], authors: Iterable[str]) -> set[Key]:
    """What one article teaches about its source, as (kind, passage hash, owner hash) keys.

    Its ``lead`` (opening hash), ``second`` paragraph (line hash) and ``title``,
    owned by its URL's hash; and a
    ``bio`` or ``bio_named`` candidate per author for each paragraph at the
    edges of the body, owned by the author's hash.
    """
    me = line_hash(url)
    keys: set[Key] = set()
    if paragraphs and (lead := opening_hash(paragraphs[0])) is not None:
        keys.add(("lead", lead, me))
        if len(paragraphs) > 1:
            keys.add(("second", line_hash(paragraphs[1]), me))
    if title.strip():
        keys.add(("title", line_hash(title), me))
    edges = {*range(min(BIO_HEAD, len(paragraphs))), *range(len(paragraphs))[-BIO_TAIL:]}
    for author in authors:
        for i in sorted(edges):
            kind = "bio_named" if names_author(paragraphs[i], author) else "bio"
            keys.add((kind, line_hash(paragraphs[i]), line_hash(author)))
    return keys


ARTICLE_KINDS = frozenset({"lead", "second", "title"})  # owned by an article: known at once


def is_known(kind: str, articles: int) -> bool:
    """Whether a key counted on ``articles`` articles is knowledge: an article's own
    passages at once, a bio candidate once its author's articles reach the threshold."""
    if kind == "bio_named":
        return articles >= BIO_NAMED_MIN_ARTICLES
    return kind in ARTICLE_KINDS or (kind == "bio" and articles >= BIO_MIN_ARTICLES)


@dataclass(slots=True)
class Passages:
    """A source's known passages: leads and titles by owning article, bios by author."""

    leads: dict[int, set[int]] = field(default_factory=dict)  # opening hash -> URL hashes
    seconds: dict[int, set[int]] = field(default_factory=dict)  # URL hash -> its 2nd paragraph's
    titles: dict[int, set[int]] = field(default_factory=dict)  # title hash -> URL hashes
    bios: set[tuple[int, int]] = field(default_factory=set)  # (author hash, line hash)

    def add(self, kind: str, passage: int, owner: int) -> None:
        """Know one key; the caller adds only what :func:`is_known`."""
        if kind == "lead":
            self.leads.setdefault(passage, set()).add(owner)
        elif kind == "second":
            self.seconds.setdefault(owner, set()).add(passage)
        elif kind == "title":
            self.titles.setdefault(passage, set()).add(owner)
        else:
            self.bios.add((owner, passage))


def _other(owners: Mapping[int, set[int]], key: int | None, me: int) -> set[int]:
    """The articles other than ``me`` that ``key`` belongs to."""
    return set() if key is None else owners.get(key, set()) - {me}


def _quotes_a_lead(keys: Sequence[ParagraphKeys], i: int, me: int, known: Passages) -> bool:
    """Whether paragraph ``i`` opens another article and is not followed by that article's
    second paragraph (then it is the other story itself, carried on: an update at a new URL)."""
    others = _other(known.leads, keys[i].opening, me)
    after = keys[i + 1].line if i + 1 < len(keys) else None
    return bool(others) and not any(after in known.seconds.get(o, ()) for o in others)


def passage_drops(
    keys: Sequence[ParagraphKeys], url: str, authors: Iterable[str], known: Passages
) -> dict[int, str]:
    """Which paragraphs (by index) are teasers or bios of the source, and which kind.

    A paragraph opening another article (never this article's own first
    paragraph, nor one the other article's second paragraph follows) is a
    teaser, and so is another article's title right before or after one.
    Nothing is dropped when everything would be.
    """
    me = line_hash(url)
    drops = {i: TEASER for i in range(1, len(keys)) if _quotes_a_lead(keys, i, me, known)}
    for i, k in enumerate(keys):
        beside = (i - 1 in drops) or (i + 1 in drops)
        if i > 0 and i not in drops and beside and _other(known.titles, k.line, me):
            drops[i] = TEASER
    by = [line_hash(a) for a in authors]
    for i, k in enumerate(keys):
        if i not in drops and any((a, k.line) in known.bios for a in by):
            drops[i] = BIO
    return {} if len(drops) == len(keys) else drops


def strip_passages(
    text: str, url: str, authors: Iterable[str], known: Passages
) -> tuple[str, Counter[str]]:
    """``text`` without the source's teasers and bios, and how many of each went."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    drops = passage_drops([ParagraphKeys.of(p) for p in paragraphs], url, authors, known)
    if not drops:
        return text, Counter()
    kept = "\n".join(p for i, p in enumerate(paragraphs) if i not in drops)
    return kept, Counter(drops.values())
