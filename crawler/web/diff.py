"""Word-level diff between two versions of an article: what was added, what removed.

Pure and small, shared by the web page, the JSON API and ``crawler diff``.
Words, whitespace and punctuation are separate tokens, so joining a side's
segments gives that side's text back exactly, paragraph breaks included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

Op = Literal["same", "added", "removed"]


@dataclass(frozen=True, slots=True)
class Segment:
    op: Op
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``: removals come before the additions replacing them."""
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _add(segments, "same", "".join(a[i1:i2]))
            continue
        if i2 > i1:
            _add(segments, "removed", "".join(a[i1:i2]))
        if j2 > j1:
            _add(segments, "added", "".join(b[j1:j2]))
    return segments


def _add(segments: list[Segment], op: Op, text: str) -> None:
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


def side(segments: list[Segment], which: Literal["old", "new"]) -> str:
    """The text of one side, rebuilt from the segments."""
    skip = "added" if which == "old" else "removed"
    return "".join(s.text for s in segments if s.op != skip)


def plain(segments: list[Segment]) -> str:
    """``git diff --word-diff`` markers: ``[-removed-]`` and ``{+added+}``."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return "".join(marks[s.op].format(s.text) for s in segments)


def versions_to_compare(last: int, older: int | None, newer: int | None) -> tuple[int, int] | None:
    """Which two versions (older, newer) a diff shows, of an article whose newest is ``last``.

    Not given, ``newer`` is ``last`` and ``older`` the version just before
    ``newer``. None when there is nothing to compare: the article has one
    version, or ``newer`` is 1 and no ``older`` was given. Raises ValueError,
    with a one-line message, for a version below 1 or above ``last``, and for
    ``older`` not older than ``newer``.
    """
    for number in (older, newer):
        if number is not None and not 1 <= number <= last:
            raise ValueError(f"there is no version {number} (it has 1..{last})")
    newer = last if newer is None else newer
    if older is None:
        return None if newer == 1 else (newer - 1, newer)
    if older >= newer:
        raise ValueError(f"version {older} is not older than version {newer}")
    return older, newer


_WORD = re.compile(r"\w+")


def what_changed(old_title: str, old_text: str, new_title: str, new_text: str) -> str:
    """One phrase for a version's change: ``title changed · +12 words · −3 words``.

    Words are counted in the text's :func:`word_diff`: a replaced word counts
    once added and once removed. only whitespace or
    punctuation changed (``punctuation or spacing``); ``no change`` when nothing did.
    """
    parts = ["title changed"] if old_title != new_title else []
    counts = {"added": 0, "removed": 0}
    for s in word_diff(old_text, new_text):
        if s.op != "same":
            counts[s.op] += len(_WORD.findall(s.text))
    for op, sign in (("added", "+"), ("removed", "\N{MINUS SIGN}")):
        if n := counts[op]:
            parts.append(f"{sign}{n} word{'' if n == 1 else 's'}")
    if not counts["added"] and not counts["removed"] and old_text != new_text:
        parts.append("punctuation or spacing")
    return " · ".join(parts) or "no change"
