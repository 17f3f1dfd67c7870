"""Text made safe for both databases: NUL removed, lone surrogates replaced, the rest kept."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.extract import ExtractedArticle
from crawler.extract.safe_text import safe_article, safe_text
from crawler.pipelines.worker import process_page


def test_nul_is_removed_and_lone_surrogates_are_replaced() -> None:
    assert safe_text("Head\x00line") == "Headline"
    assert safe_text("a\ud800b") == "a\ufffdb"
    assert safe_text("\udfff") == "\ufffd"
    assert safe_text("\ud83d\ude00 pair") == "\U0001f600 pair"  # two escapes of one character
    assert safe_text("Zürich — 東京 \U0001f600") == "Zürich — 東京 \U0001f600"
    assert safe_text("") == ""
    safe_text("x\ud800").encode("utf-8")  # encodable now


def test_every_string_field_of_an_article_is_made_safe_and_the_rest_kept() -> None:
    when = datetime(2026, 3, 1, tzinfo=UTC)
    article = ExtractedArticle(
        title="T\x00\ud800",
        text="line\x00one\nline two",
        authors=["Ann\x00 Lee", "Bo \udc00"],
        published=when,
        canonical="https://pub.example/a\x00",
        has_article_markup=True,
    )
    safe = safe_article(article)
    assert (safe.title, safe.text) == ("T\ufffd", "lineone\nline two")
    assert safe.authors == ["Ann Lee", "Bo \ufffd"]
    assert safe.canonical == "https://pub.example/a"
    assert (safe.published, safe.has_article_markup) == (when, True)


def test_a_page_whose_json_ld_carries_nul_and_a_lone_surrogate_extracts_safe_text() -> None:
    # The JSON escapes, as a publisher's page carries them; json.loads decodes both as they are.
    ld = (
        '{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Rates \\u0000held \\ud800again",'
        ' "author": {"@type": "Person", "name": "Ann \\ud800Lee\\u0000"},'
        ' "datePublished": "2026-03-01T09:00:00Z"}'
    )
    body = "".join(
        f"<p>Paragraph {n} of the story about the central bank keeping its rates.</p>"
        for n in range(4)
    )
    html = (
        f'<html><head><script type="application/ld+json">{ld}</script></head>'
        f"<body><article><h1>Rates held</h1>{body}</article></body></html>"
    )
    done = process_page(html, "https://pub.example/rates", frozenset())
    assert done.article.title == "Rates held \ufffdagain"
    assert done.article.authors == ["Ann \ufffdLee"]
    assert done.content_hash  # the hash no longer raises on the surrogate
