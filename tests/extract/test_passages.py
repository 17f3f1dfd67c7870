"""The teaser and bio rules on small strings: what a source's other articles teach."""

from __future__ import annotations

from crawler.extract.furniture import line_hash as hash_of
from crawler.extract.passages import (
    BIO_MIN_ARTICLES,
    BIO_NAMED_MIN_ARTICLES,
    LEAD_WORDS,
    Passages,
    is_known,
    learn,
    names_author,
    opening_hash,
    strip_passages,
)

LEAD = "Dock workers returned to the cranes on Monday after unions and the port agreed a pay deal."
OWN = "The council voted on Tuesday to build a tram line linking the harbour with the suburbs."
MORE = "Opponents said the route would cut through two parks and asked for a public inquiry."
BIO = "Jane Roe covers transport and city politics. She joined in 2019 from local radio."


def _knowing(*articles: tuple[str, str, list[str]]) -> Passages:
    known = Passages()
    for url, title, paragraphs in articles:
        for key in learn(url, title, paragraphs, ()):
            known.add(*key)
    return known


def test_a_paragraph_opening_another_article_is_a_teaser_and_its_title_beside_it_too() -> None:
    known = _knowing(("https://p/port", "Port strike ends", [LEAD, "Talks took a week."]))
    text = "\n".join([OWN, "Port strike ends", LEAD, MORE])
    clean, removed = strip_passages(text, "https://p/tram", ["Jane Roe"], known)
    assert clean == f"{OWN}\n{MORE}"
    assert removed == {"teaser": 2}


def test_a_card_quoting_only_the_opening_words_is_a_teaser_a_shorter_quote_is_not() -> None:
    known = _knowing(("https://p/port", "Port strike ends", [LEAD]))
    cut = " ".join(LEAD.split()[:LEAD_WORDS]) + " ..."
    assert strip_passages(f"{OWN}\n{cut}", "https://p/tram", [], known)[0] == OWN
    short = " ".join(LEAD.split()[: LEAD_WORDS - 1])
    assert opening_hash(short) is None
    assert strip_passages(f"{OWN}\n{short}", "https://p/tram", [], known)[1] == {}


def test_an_articles_own_lead_and_a_title_away_from_any_teaser_stay() -> None:
    known = _knowing(("https://p/port", "Port strike ends", [LEAD, MORE]))
    # The article itself, fetched again: its lead is its own.
    assert strip_passages(f"{LEAD}\n{MORE}", "https://p/port", [], known)[1] == {}
    # Another story may open with the same words (an update at a new URL): first paragraphs stay.
    assert strip_passages(f"{LEAD}\n{OWN}", "https://p/port-2", [], known)[1] == {}
    # ... or carry the other story on under a new top paragraph: its lead is followed by its
    # own second paragraph, so it is that story, not a card quoting it.
    update = f"{OWN}\n{LEAD}\n{MORE}"
    assert strip_passages(update, "https://p/port-update", [], known)[0] == update
    # A sentence that happens to be another story's title, with no teaser beside it, stays.
    text = f"{OWN}\nPort strike ends\n{MORE}"
    assert strip_passages(text, "https://p/tram", [], known)[0] == text


def test_nothing_is_stripped_when_nothing_would_be_left() -> None:
    known = _knowing(("https://p/port", "Port strike ends", [LEAD]))
    known.add("bio", hash_of(OWN), hash_of("Jane Roe"))
    text = f"{OWN}\n{LEAD}"
    assert strip_passages(text, "https://p/tram", ["Jane Roe"], known) == (text, {})


def test_bio_candidates_are_the_edges_of_the_body_per_author() -> None:
    paragraphs = [f"Paragraph {i} of the story, which says a good many things." for i in range(8)]
    keys = learn("https://p/a", "A title", paragraphs, ["Jane Roe", "Ali Khan"])
    bio_lines = {(passage, owner) for kind, passage, owner in keys if kind.startswith("bio")}
    edges = [0, 1, 5, 6, 7]
    assert bio_lines == {
        (hash_of(paragraphs[i]), hash_of(a)) for i in edges for a in ("Jane Roe", "Ali Khan")
    }


def test_a_bio_needs_three_articles_of_its_author_or_two_when_it_names_them() -> None:
    assert names_author(BIO, "Jane Roe")
    assert not names_author("She joined in 2019 from local radio.", "Jane Roe")
    assert not names_author("Roebuck said so.", "Jane Roe")
    keys = learn("https://p/a", "A title", [OWN, BIO], ["Jane Roe"])
    assert ("bio_named", hash_of(BIO), hash_of("Jane Roe")) in keys
    assert ("bio", hash_of(OWN), hash_of("Jane Roe")) in keys
    assert BIO_NAMED_MIN_ARTICLES == 2
    assert BIO_MIN_ARTICLES == 3
    assert not is_known("bio_named", 1)
    assert is_known("bio_named", 2)
    assert not is_known("bio", 2)
    assert is_known("bio", 3)
    assert is_known("lead", 1)


def test_a_known_bio_goes_only_from_its_own_authors_articles() -> None:
    known = Passages()
    known.add("bio_named", hash_of(BIO), hash_of("Jane Roe"))
    text = f"{OWN}\n{MORE}\n{BIO}"
    assert strip_passages(text, "https://p/a", ["Jane Roe"], known) == (
        f"{OWN}\n{MORE}",
        {"bio": 1},
    )
    # Quoted on another author's article, it is that article's text.
    assert strip_passages(text, "https://p/b", ["Ali Khan"], known)[0] == text
