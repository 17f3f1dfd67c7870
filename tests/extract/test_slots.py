"""Template slots on small HTML and strings: paths reported, evidence read, slots applied."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest

from crawler.extract import ExtractedArticle, extract_article
from crawler.extract.furniture import line_hash
from crawler.extract.slots import (
    EDITORS_NOTE,
    SLOT_MAX_WORDS,
    SLOT_MIN_PAGES,
    SLOT_MIN_SHARE,
    UNKNOWN,
    Positions,
    adds_only_around,
    article_shape,
    element_paths,
    is_slot,
    observe,
    path_hash,
    step,
    strip_slots,
)

STORY = [
    "The council voted on Tuesday to build a tram line linking the harbour with the suburbs, "
    "ending a debate that had run for more than a decade in the town hall.",
    "Opponents said the route would cut through two parks and asked for a public inquiry "
    "before any of the work begins next year, as the law allows them to.",
    "Engineers expect the first trams to run in 2029 if the funding from the government "
    "arrives on time and the contracts are signed before the summer.",
]
MISSED_BIO = "Radio came first: Jane Roe reported on transport there until 2019."
CAUGHT_BIO = "Jane Roe writes about transport and city politics for the paper."


def _page(bio: str, box: str = '<div class="contributor-panel c-7f3a9"><p>{}</p></div>') -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        '<html><head><title>Tram line approved</title><meta name="author" content="Jane Roe">'
        '</head><body><article class="post post-1234"><h1>Tram line approved</h1>'
        f"{paragraphs}{box.format(bio)}</article></body></html>"
    )


def _where(article: ExtractedArticle) -> Positions:
    return Positions.of_page(*article_shape(article))


def _hashes(text: str) -> set[int]:
    return {line_hash(line) for line in text.split("\n")}


def test_a_path_is_tags_and_class_names_from_the_container_numbers_and_hashes_folded() -> None:
    tree = lxml.html.fromstring(
        '<div class="post post-1234"><div class="Bio css-1x2ab9"><p>a</p></div><p>b</p></div>'
    )
    bio_p, body_p = tree.find("div/p"), tree.find("p")
    assert step(tree) == "div.post.post-#"
    assert step(tree.find("div")) == "div.bio.css-#"
    paths = element_paths([bio_p, body_p], tree)
    assert paths[bio_p] == path_hash("div.post.post-#/div.bio.css-#/p")
    assert paths[body_p] == path_hash("div.post.post-#/p")
    other = lxml.html.fromstring(
        '<div class="post post-99"><div class="css-77zz Bio"><p>c</p></div></div>'
    )
    assert element_paths([other.find("div/p")], other)[other.find("div/p")] == paths[bio_p]


def test_extraction_reports_each_kept_paragraphs_path_and_the_path_of_what_rules_removed() -> None:
    caught = extract_article(_page(CAUGHT_BIO), "https://p/tram")
    assert caught.text.split("\n") == STORY
    (body,) = set(caught.paths)
    (bio, words), *_ = caught.removed
    assert words == len(CAUGHT_BIO.split())
    assert bio != body

    missed = extract_article(_page(MISSED_BIO), "https://p/tram")
    assert missed.text.split("\n") == [*STORY, MISSED_BIO]  # no page rule can tell
    assert missed.paths == (body, body, body, bio)  # ... but the bio sits in the same box
    assert missed.removed == ()


def test_the_bio_box_becomes_a_slot_after_enough_pages_and_its_text_then_goes() -> None:
    caught = extract_article(_page(CAUGHT_BIO), "https://p/tram")
    missed = extract_article(_page(MISSED_BIO), "https://p/tram")
    bio = caught.removed[0][0]
    seen = observe(_where(caught), _hashes(caught.text))
    assert (bio, True, False) in seen  # noise here, never body
    assert [s for s in seen if s[2]] == [(caught.paths[0], False, True)]  # the story's path
    assert not is_slot(SLOT_MIN_PAGES, SLOT_MIN_PAGES - 1, 0)
    assert is_slot(SLOT_MIN_PAGES * SLOT_MIN_SHARE, SLOT_MIN_PAGES, 0)
    assert not is_slot(SLOT_MIN_PAGES + 10, SLOT_MIN_PAGES + 10, 1)  # body text vetoes it
    clean, n = strip_slots(missed.text, Positions.of_page(*article_shape(missed)), {bio})
    assert (clean.split("\n"), n) == (STORY, 1)
    # the learnt passages (or a slot) removing it also counts as noise on the page
    assert (bio, True, False) in observe(_where(missed), _hashes(clean))
    assert (bio, False, False) in observe(_where(missed), _hashes(missed.text))


def test_a_slot_holding_body_text_on_a_page_keeps_it_and_that_page_vetoes_the_path() -> None:
    long = " ".join(["word"] * (SLOT_MAX_WORDS + 1))
    lines = [STORY[0], "Short kicker text here.", long]
    slot, body = path_hash("a/div.slot"), path_hash("a/p")
    where = Positions.of_page(lines, [body, slot, slot], ())
    assert strip_slots("\n".join(lines), where, {slot}) == ("\n".join(lines), 0)
    assert (slot, False, True) in observe(where, _hashes("\n".join(lines)))
    three = Positions.of_page(STORY, [slot, slot, slot], ())
    assert three.body == {slot}  # three paragraphs, and most of the words


def test_the_story_s_own_path_is_never_dropped_and_nothing_goes_when_all_would() -> None:
    one, other = path_hash("a/p"), path_hash("a/div/p")
    lines = ["A short story line of a brief, the longest here.", "A shorter line."]
    where = Positions.of_page(lines, [one, other], ())
    assert where.body == {one}  # the path with most of the kept words
    assert strip_slots("\n".join(lines), where, {one, other}) == (lines[0], 1)
    lone = Positions.of_page(["Only a caption."], [other], [(other, 3)])
    assert strip_slots("Only a caption.", lone, {other}) == ("Only a caption.", 0)


def test_paragraphs_of_unknown_place_are_never_learnt_from_or_dropped() -> None:
    slot, body = path_hash("a/div.slot"), path_hash("a/p")
    lines = [STORY[0], MISSED_BIO, "A caption in its slot."]
    where = Positions.of_page(lines, [body, UNKNOWN, slot], ())
    assert not where.any_in_slot(_hashes("\n".join(lines[:2])), {UNKNOWN, slot})
    assert where.any_in_slot(_hashes("\n".join(lines)), {UNKNOWN, slot})
    assert strip_slots("\n".join(lines), where, {UNKNOWN, slot}) == ("\n".join(lines[:2]), 1)
    alone = Positions.of_page(lines, [UNKNOWN, UNKNOWN, slot], ())
    assert alone.body == {slot}  # of the known paths, it holds the most words: kept
    assert observe(Positions.of_page(lines[:2], [UNKNOWN] * 2, [(UNKNOWN, 3)]), set()) == []


def test_a_heading_has_no_place_a_subheading_and_a_list_opener_alike() -> None:
    # The subheading opens story text: one with only the bio under it goes with the bio
    # (crawler.extract.clean._drop_leftover_headings).
    page = (
        _page(CAUGHT_BIO)
        .replace(f"<p>{STORY[1]}</p>", f"<h2>What comes next</h2><p>{STORY[1]}</p>")
        .replace(f"<p>{STORY[2]}</p>", f"<h2>Related</h2><p>{STORY[2]}</p>")
    )
    article = extract_article(page, "https://p/tram")
    assert "What comes next" in article.text.split("\n")
    assert article.paths[article.text.split("\n").index("What comes next")] == UNKNOWN
    # "Related" (a list opener the rules removed) teaches nothing; the bio box does
    assert [path == UNKNOWN for path, _ in article.removed] == [True, False]


def _standfirst_page(standfirst: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        '<html><head><title>Tram line approved</title></head><body><article class="post">'
        f'<h1>Tram line approved</h1><p class="standfirst">{standfirst}</p>{paragraphs}'
        "</article></body></html>"
    )


def test_a_standfirst_a_rule_misfires_on_now_and_then_is_no_slot() -> None:
    # The source prints a standfirst over every story; on a few pages it opens like a
    # caption's credit and the generic rules take it for one. Kept on all the others,
    # it is the story's: no slot, however many pages the misfires add up to.
    kept = "A decade of arguments over the route ends with a vote that splits the town."
    misfire = "Pictured: the harbour where the line ends, as residents gathered on Monday."
    counts = Counter[tuple[int, bool]]()
    for n in range(10 * SLOT_MIN_PAGES):
        article = extract_article(_standfirst_page(misfire if n % 10 == 0 else kept), "https://p/t")
        for path, noise, body in observe(_where(article), _hashes(article.text)):
            counts[path, noise] += 1
            assert not (body and noise)
    standfirst, story = extract_article(_standfirst_page(kept), "https://p/t").paths[:2]
    assert standfirst != story
    noise, pages = counts[standfirst, True], counts[standfirst, True] + counts[standfirst, False]
    assert noise == SLOT_MIN_PAGES  # the rule misfired on three pages ...
    assert not is_slot(pages, noise, 0)  # ... of thirty that show the path
    assert is_slot(noise * SLOT_MIN_SHARE, noise, 0)  # where it caught one page in four, a slot


def test_only_lines_added_outside_the_story_s_places_leave_the_story_unchanged() -> None:
    body, box = path_hash("a/p"), path_hash("a/div.panel/p")
    comment = "Where is the money coming from, that is what I want to know."
    stored = "\n".join(STORY)
    where = Positions.of_page([*STORY, comment], [body, body, body, box], ())
    assert adds_only_around(stored, "\n".join([*STORY, comment]), where)
    assert not adds_only_around(stored, stored, where)  # nothing added
    added = "The first trams will be green."  # a line added where the story's lines sit
    at_body = Positions.of_page([*STORY, added], [body] * 4, ())
    assert not adds_only_around(stored, "\n".join([*STORY, added]), at_body)
    edited = [STORY[0], STORY[2], comment]  # a paragraph gone beside the comment: an edit
    assert not adds_only_around(stored, "\n".join(edited), where)
    unknown = Positions.of_page([*STORY, comment], [body, body, body, UNKNOWN], ())
    assert not adds_only_around(stored, "\n".join([*STORY, comment]), unknown)
    long = " ".join(["word"] * (SLOT_MAX_WORDS + 1))  # no template's text: a new paragraph
    boxed = Positions.of_page([*STORY, long], [body, body, body, box], ())
    assert not adds_only_around(stored, "\n".join([*STORY, long]), boxed)
    names = Positions.of_page(
        [*STORY, "Ann Lee", comment, "Bo Chen", comment], [body] * 3 + [box] * 4, ()
    )
    assert box in names.body  # four lines at one path: body by its count, yet not the story's
    assert adds_only_around(
        stored, "\n".join([*STORY, "Ann Lee", comment, "Bo Chen", comment]), names
    )


@pytest.mark.parametrize(
    "note",
    [
        "Correction: an earlier version of this story gave the wrong date for the vote.",
        "CORRECTION — The council voted on Tuesday, not Monday.",
        "Update, 14:05: The mayor has since resigned.",
        "Editor’s note: This story was changed to remove a name.",
        "This article has been amended to correct the cost of the line.",
        "An earlier version of this article misstated the route.",
        "Korrektur: In einer früheren Version hieß es, die Linie koste 40 Millionen.",
        "Anmerkung der Redaktion: Der Name wurde geändert.",
        "Rectificatif : le vote a eu lieu mardi.",
        "Fe de erratas: la votación fue el martes.",
        "Rettifica: il voto si è tenuto martedì.",
        "Noot van de redactie: de naam is aangepast.",
    ],
)
def test_an_editor_s_note_added_in_a_box_of_its_own_is_an_edit(note: str) -> None:
    # Publishers set corrections and updates apart from the story, in a box of their
    # own; the note is the story changing, whatever box holds it.
    body, box = path_hash("a/p"), path_hash("a/div.note/p")
    where = Positions.of_page([*STORY, note], [body, body, body, box], ())
    assert not adds_only_around("\n".join(STORY), "\n".join([*STORY, note]), where)
    assert EDITORS_NOTE.match(note)


@pytest.mark.parametrize(
    "line",
    [
        "Updating my subscription is far too hard.",  # a word that only starts alike
        "Great piece, but the correction should have come sooner.",
        "Where is the money coming from, that is what I want to know.",
    ],
)
def test_a_comment_is_no_editor_s_note(line: str) -> None:
    assert EDITORS_NOTE.match(line) is None
