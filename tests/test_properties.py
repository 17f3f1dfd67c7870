"""Properties on arbitrary input, with a fixed example budget: canonical URLs and cleaning never raise.

Derandomised, so a run is repeatable; the budget keeps the suite's time fixed.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.canonical import canonical_url
from crawler.extract import extract_article
from crawler.extract.clean import KEPT, clean_paragraphs, is_boilerplate, line_key, paragraph_fates
from crawler.extract.furniture import line_hash, strip_furniture
from crawler.extract.recurring import structural_repeats

BUDGET = settings(max_examples=200, deadline=None, derandomize=True)

url_parts = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
urls = st.one_of(
    st.builds(
        "{}://{}{}?{}#{}".format,
        st.sampled_from(["http", "https", "HTTP", "ftp", "javascript", ""]),
        st.sampled_from(
            ["pub.example", "WWW.Pub.Example:443", "[::1]", "xn--bcher-kva.example", ""]
        ),
        url_parts,
        url_parts,
        url_parts,
    ),
    st.text(max_size=120),
)


@BUDGET
@given(urls, st.one_of(st.none(), urls))
def test_canonical_url_never_raises_and_is_idempotent(url: str, base: str | None) -> None:
    once = canonical_url(url, base)
    assert isinstance(once, str)
    assert canonical_url(once) == once


@BUDGET
@given(st.lists(st.text(max_size=200), max_size=20), st.one_of(st.none(), st.text(max_size=80)))
def test_cleaning_never_raises_never_invents_and_never_repeats(
    paragraphs: list[str], title: str | None
) -> None:
    kept = clean_paragraphs(paragraphs, title)
    originals = {" ".join(p.split()) for p in paragraphs}
    assert all(k in originals for k in kept), "cleaning only removes"
    # A line is kept twice only where the text's own structure repeats it.
    lines = [" ".join(p.split()) for p in paragraphs]
    title_key = line_key(title) if title else None
    keys = [line_key(line) for line in lines]
    own = structural_repeats([key if key != title_key else "" for key in keys])
    fates = paragraph_fates(lines, title, ())
    first = {key: keys.index(key) for key in keys}
    assert all(
        fate != KEPT or first[key] == n or n in own
        for n, (key, fate) in enumerate(zip(keys, fates, strict=True))
    )
    assert clean_paragraphs(kept, title) == kept, "cleaning twice changes nothing"
    for line in paragraphs:
        is_boilerplate(line)
        line_hash(line)


@BUDGET
@given(
    st.text(max_size=400), st.sets(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=5)
)
def test_strip_furniture_only_removes_lines(text: str, furniture: set[int]) -> None:
    stripped = strip_furniture(text, frozenset(furniture))
    assert set(stripped.split("\n")) <= set(text.split("\n"))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000)))
def test_extraction_never_raises_on_arbitrary_pages(page: str | bytes) -> None:
    article = extract_article(page, url="https://pub.example/a.html")
    assert isinstance(article.text, str)
