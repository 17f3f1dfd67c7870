"""A source's furniture: lines that recur on many of its pages.

A line seen on several different articles of one publisher (an "About us"
paragraph, a newsletter plug, a standing correction policy) is the site's
template, not the story. Lines are compared by :func:`line_hash`, a 64-bit
hash of their normalised form, so the store keeps small integers rather than
text. These functions are pure; the store counts and persists them
(:mod:`crawler.store.furniture`).
"""

from __future__ import annotations

import hashlib

from crawler.extract.clean import line_key

# A line on this many distinct articles of one source is furniture. Four, not
# two: a quote or a standard sentence may recur in a follow-up or two.
FURNITURE_MIN_PAGES = 4


def line_hash(line: str) -> int:
    """A signed 64-bit hash of the line's :func:`line_key` (fits a BIGINT column)."""
    digest = hashlib.blake2b(line_key(line).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def strip_furniture(text: str, furniture: frozenset[int]) -> str:
    """``text`` without its furniture lines (paragraphs are newline-separated)."""
    return "\n".join(line for line in text.split("\n") if line_hash(line) not in furniture)
