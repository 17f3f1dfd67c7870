"""Change detection on strings: trivia folds away, edits do not."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from crawler.dedupe.fingerprint import _QUOTES, content_hash, normalise


def test_trivia_does_not_change_the_hash() -> None:
    a = content_hash("It\u2019s here \u2014 finally", "First  para.\n\n\nSecond\u00a0para. ")
    b = content_hash("It's here - finally", "First para.\nSecond para.")
    assert a == b


def test_unicode_forms_fold() -> None:
    assert normalise("caf\u00e9") == normalise("cafe\u0301")


def test_real_edits_change_the_hash() -> None:
    base = content_hash("Title", "One.\nTwo.")
    assert content_hash("Title!", "One.\nTwo.") != base
    assert content_hash("Title", "One.\nTwo.\nThree.") != base
    assert content_hash("Title", "One.\nTwo!") != base


def test_title_and_text_do_not_bleed() -> None:
    assert content_hash("A", "B C") != content_hash("A B", "C")


def _normalise_by_regex(text: str) -> str:
    """The definition the first release hashed by; stored hashes depend on it."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"[^\S\n]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


@given(
    st.text(
        alphabet=" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200bab\u2019\ufb01e\u0301\u2014"
        + "".join(map(chr, _QUOTES))  # every character folded as a quote, dash or space
    )
)
def test_normalise_keeps_the_hashes_already_stored(text: str) -> None:
    assert normalise(text) == _normalise_by_regex(text)


def test_content_hash_is_stable_across_releases() -> None:
    expected = "684c9022cc0dbe6df517da67e38cd62da944884e6823e0004157ee7a462ef02c"
    assert content_hash("It\u2019s", "A  b\n\n c") == expected
