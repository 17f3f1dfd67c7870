"""Structural repeats on small key lists: a template's labels stay, copies of text do not."""

import pytest

from crawler.extract.clean import KEPT, REPEAT, clean_paragraphs, paragraph_fates
from crawler.extract.recurring import structural_repeats

# Two days of a meal plan: the same labels, other meals under them.
PLAN = [
    "monday", "breakfast", "oats with pear", "lunch", "lentil soup", "eat slowly",
    "tuesday", "breakfast", "rye toast and eggs", "lunch", "bean salad", "eat slowly",
]  # fmt: skip


def test_labels_of_each_section_are_structural() -> None:
    # Tuesday's "breakfast", "lunch" and "eat slowly" sit six lines after Monday's,
    # with a new meal between each two of them.
    assert structural_repeats(PLAN) == {7, 9, 11}


def test_a_label_repeated_inside_the_first_section_is_one_when_the_next_repeats_it() -> None:
    # Day one's second "eat every 3 hours" repeats its first, with nothing to pair with
    # inside day one; day two prints it at the same place, so it is the template's too.
    keys = ["day one", "meal 1", "eat every 3 hours", "oats", "meal 2", "eat every 3 hours",
            "soup", "day two", "meal 1", "eat every 3 hours", "eggs", "meal 2",
            "eat every 3 hours", "salad"]  # fmt: skip
    assert structural_repeats(keys) == {5, 8, 9, 11, 12}


def test_a_block_rendered_twice_is_a_copy() -> None:
    keys = ["intro", "fact one", "fact two", "fact three", "more text", "fact one", "fact two",
            "fact three", "last text"]  # fmt: skip
    assert structural_repeats(keys) == frozenset()


def test_a_single_repeated_sentence_is_a_copy() -> None:
    # A pull quote: one line again, new lines around it.
    keys = ["first", "the quoted sentence", "third", "fourth", "the quoted sentence", "sixth"]
    assert structural_repeats(keys) == frozenset()


def test_one_line_recurring_at_an_interval_is_not_a_template() -> None:
    # A divider or an "Advertisement" line after every entry: one label, nothing to pair with.
    keys = ["a1", "a2", "___", "b1", "b2", "___", "c1", "c2", "___", "d1"]
    assert structural_repeats(keys) == frozenset()


def test_two_repeats_farther_apart_than_their_distance_are_not_paired() -> None:
    # "x" and "y" each come back three lines later, but ten lines lie between them:
    # no section three lines long holds both (two sentences each quoted soon after).
    keys = ["x", "a", "b", "x", "c", "d", "e", "f", "g", "h", "y", "i", "j", "y", "k"]
    assert structural_repeats(keys) == frozenset()
    # The same two lines within three of each other: one three-line section, twice.
    assert structural_repeats(["x", "a", "y", "x", "c", "y", "d"]) == {3, 5}


def test_empty_keys_take_no_part_and_indexes_are_the_callers() -> None:
    with_gaps = [k for key in PLAN for k in (key, "")]
    assert structural_repeats(with_gaps) == {14, 18, 22}


def test_an_inserted_line_shifts_the_section_and_each_part_needs_its_own_values() -> None:
    # Tuesday has one more line after breakfast: its lunch part is six lines after
    # Monday's plus one; "lunch" and "eat slowly" still pair, "breakfast" alone does not.
    keys = [*PLAN[:6], "tuesday", "breakfast", "rye toast", "and a coffee", "lunch", "bean salad",
            "eat slowly"]  # fmt: skip
    assert structural_repeats(keys) == {10, 12}


def test_cleaning_keeps_a_templates_labels_and_drops_the_headline_again() -> None:
    lines = [
        "Two days of easy meals",
        "Monday", "Breakfast", "Oats with pear and cinnamon.", "Lunch", "Lentil soup with bread.",
        "Tuesday", "Breakfast", "Rye toast with two eggs.", "Lunch", "Bean salad with feta.",
        "Two days of easy meals",
    ]  # fmt: skip
    fates = paragraph_fates(lines, "Two days of easy meals", ())
    assert fates[0] == fates[-1] == REPEAT
    assert fates[1:-1] == [KEPT] * 10
    assert clean_paragraphs(lines, "Two days of easy meals")[5:] == [
        "Tuesday", "Breakfast", "Rye toast with two eggs.", "Lunch", "Bean salad with feta."
    ]  # fmt: skip


def test_cleaning_the_cleaned_lines_again_keeps_them_all() -> None:
    # Day two's "Advertisement" slot is noise; its section is read without it, and what
    # is kept is structure among the kept lines alone, so a second cleaning keeps it all.
    lines = [
        "Meal plan", "Day one", "Meal 1", "Eat every three hours.", "Oats and pear.",
        "Meal 2", "Eat every three hours.", "Lentil soup.",
        "Day two", "Meal 1", "Eat every three hours.", "Advertisement", "Rye toast and eggs.",
        "Meal 2", "Eat every three hours.", "Bean salad.",
    ]  # fmt: skip
    once = clean_paragraphs(lines, "Meal plan")
    assert once == [line for line in lines[1:] if line != "Advertisement"]
    assert clean_paragraphs(once, "Meal plan") == once


@pytest.mark.xfail(
    strict=True,
    reason="a block a page inserts every few paragraphs has a spec list's shape (review)",
)
def test_a_teaser_box_inserted_every_three_paragraphs_is_a_copy() -> None:
    # A story with a two-line teaser box after every third paragraph, as pages that place
    # a box every n paragraphs print it: the box comes back whole, nothing new inside it,
    # so its second and third copies are repeats, as a block rendered twice is. Paired
    # across the story's paragraphs (the teaser's title with the next copy's label), they
    # are taken for a template's labels and kept.
    paragraphs = [
        f"The council said on day {n} that the bridge works would go on." for n in range(12)
    ]
    box = ["Editor's pick", "Why the bridge closed for a year"]
    lines = [*paragraphs[:3], *box, *paragraphs[3:6], *box, *paragraphs[6:9], *box, *paragraphs[9:]]
    fates = paragraph_fates(lines, None, ())
    assert [fates[n] for n, line in enumerate(lines) if line in box][2:] == [REPEAT] * 4
