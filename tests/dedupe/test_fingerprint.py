"""Change detection on strings: trivia folds away, edits do not."""

from crawler.dedupe.fingerprint import content_hash, normalise


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
