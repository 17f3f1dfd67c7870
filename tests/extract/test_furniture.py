"""Furniture lines: compared in normalised form, stripped whole, never partly."""

from crawler.extract import PageReading, clean_article
from crawler.extract.furniture import line_hash, strip_furniture
from crawler.extract.metadata import Metadata

NOTE = "Demo Daily is funded by its readers \u2014 thanks to our members."


def test_line_hash_ignores_case_spacing_quotes_and_end_punctuation() -> None:
    assert line_hash(NOTE) == line_hash(
        "  demo daily is funded by its readers - thanks to our members "
    )
    assert line_hash(NOTE) != line_hash(
        "Demo Daily is funded by its advertisers - thanks to our members."
    )
    assert -(2**63) <= line_hash(NOTE) < 2**63


def test_strip_furniture_removes_whole_lines_only() -> None:
    text = f"First paragraph.\n{NOTE}\nA paragraph quoting: {NOTE}"
    assert strip_furniture(text, frozenset({line_hash(NOTE)})) == (
        f"First paragraph.\nA paragraph quoting: {NOTE}"
    )
    assert strip_furniture(text, frozenset()) == text


def test_lines_differing_in_case_and_end_punctuation_share_a_hash() -> None:
    assert line_hash("a line") == line_hash("A line.")
    assert line_hash("a line") != line_hash("other")


def test_clean_article_drops_known_furniture_after_the_rules() -> None:
    meta = Metadata("Title", [], None, None, None, has_article_markup=True)
    reading = PageReading(meta, ["Title", "Story paragraph one.", NOTE, "Story paragraph two."])
    assert clean_article(reading).text.split("\n") == [
        "Story paragraph one.",
        NOTE,
        "Story paragraph two.",
    ]
    cleaned = clean_article(reading, frozenset({line_hash(NOTE)}))
    assert cleaned.text.split("\n") == ["Story paragraph one.", "Story paragraph two."]
