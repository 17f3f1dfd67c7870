"""Which fetched bodies are pages, and what a stray NUL in one becomes (pure, on strings)."""

from __future__ import annotations

import random

from crawler.extract import extract_article
from crawler.spiders.news import page_html
from tests.crawl.static_site import page, prose

BODY = prose(3, paragraphs=4)
PAGE = page("Harbour budget\x00 agreed", [BODY[0], BODY[1] + "\x00", *BODY[2:]], markup=True)


def test_a_stray_nul_is_dropped_and_the_page_reads_as_an_article() -> None:
    html = page_html(PAGE)
    assert html is not None
    assert "\x00" not in html
    article = extract_article(html, "https://pub.example/harbour")
    assert article.title == "Harbour budget agreed"
    assert article.text == "\n".join(BODY)
    assert extract_article(PAGE, "https://pub.example/harbour").title == "", (
        "the page as served, NUL and all, gives the extractor nothing"
    )


def test_binary_files_served_as_html_are_not_pages() -> None:
    zipped = b"PK\x03\x04\x00\x00" + bytes(range(256)) * 8  # the demo's "download"
    noise = random.Random(7).randbytes(4096)  # compressed data looks like this
    for body in (zipped, noise):
        for encoding in ("utf-8", "latin-1", "cp1252"):
            assert page_html(body.decode(encoding, errors="replace")) is None, encoding


def test_text_is_a_page_whatever_its_script_or_control_strays() -> None:
    utf16 = PAGE.replace("\x00", "").encode("utf-16")  # decoded by its charset: no NULs left
    assert page_html(utf16.decode("utf-16")) == PAGE.replace("\x00", "")
    assert page_html("<p>Ταχύτερο δίκτυο \x0b στην πόλη</p>" * 40) is not None
    assert page_html("") == ""
