"""The word diff, on strings: exact sides, marked changes, titles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.web.diff import Segment, plain, side, word_diff


def test_an_added_sentence_and_a_changed_word_are_marked_and_the_rest_kept() -> None:
    old = "The plant opens in May.\nIt will employ 1,400 people."
    new = "The plant opens in June.\nIt will employ 1,400 people. Shares rose."
    segments = word_diff(old, new)
    assert Segment("removed", "May") in segments
    assert Segment("added", "June") in segments
    assert segments[-1] == Segment("added", " Shares rose.")
    assert plain(segments) == (
        "The plant opens in [-May-]{+June+}.\nIt will employ 1,400 people.{+ Shares rose.+}"
    )


def test_identical_texts_are_one_unchanged_segment() -> None:
    assert word_diff("Same words.", "Same words.") == [Segment("same", "Same words.")]


def test_a_retitled_article_shows_old_and_new_title() -> None:
    segments = word_diff("Chipmaker delays fab", "Chipmaker opens fab after delay")
    assert side(segments, "old") == "Chipmaker delays fab"
    assert side(segments, "new") == "Chipmaker opens fab after delay"
    assert {s.op for s in segments} == {"same", "added", "removed"}


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_each_side_is_rebuilt_exactly_from_the_segments(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert side(segments, "old") == old
    assert side(segments, "new") == new
    assert all(s.text for s in segments)
