"""``crawler reextract``: stored versions corrected in place from their kept pages, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from crawler.extract import EXTRACTOR_VERSION, extract_article
from crawler.reextract import reextract
from crawler.store.articles import count_date_orders, ensure_source, record_fetch
from crawler.store.db import session_scope
from crawler.store.models import Article, ArticleVersion
from crawler.store.page_codec import compress_page
from tests.crawl.helpers import export, run_cli
from tests.extract.metadata_pages import DAYBOOK_AMBIGUOUS, EN_GB, EN_US
from tests.store.helpers import T0, later, record

URL = "https://pub0.example/2026/03/01/tram.html"
STORY = [
    "The regional tram line will run every six minutes from May, the transport authority said on "
    "Monday, after new vehicles passed their final safety checks.",
    "The authority expects ridership to grow by a fifth within two years, and plans to extend the "
    "line to the new hospital once funding for the second phase is agreed.",
]


def page(widget: str) -> str:
    """The same story with a different "Most popular" widget around it."""
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        "<html><head><title>Tram line to run every six minutes</title></head><body>"
        f"<article><h1>Tram line to run every six minutes</h1>{paras}</article>"
        f'<aside class="most-popular"><h3>Most popular</h3><p>{widget}</p></aside>'
        "</body></html>"
    )


def store_as_old_extractor(
    engine: Engine, html: str, at_hours: int, with_page: bool = True
) -> None:
    """Store a version as an older extractor did: the widget's line kept in the text."""
    widget_line = html.split("<p>")[-1].split("</p>")[0]
    store_version(
        engine,
        "pub",
        url=URL,
        title="Tram line to run every six minutes",
        text="\n".join([*STORY, widget_line]),
        at=later(at_hours),
        page=compress_page(html) if with_page else None,
    )


def store_version(engine: Engine, source: str, **fields: object) -> None:
    """Store one version of ``source`` with these fields (see tests.store.helpers.record)."""
    with session_scope(engine) as s:
        record_fetch(s, ensure_source(s, source, T0), record(**fields))  # type: ignore[arg-type]


def versions(engine: Engine) -> list[ArticleVersion]:
    with session_scope(engine) as s:
        rows = s.scalars(
            select(ArticleVersion)
            .join(Article)
            .where(Article.url == URL)
            .order_by(ArticleVersion.version)
        ).all()
        s.expunge_all()
        return list(rows)


def test_reextract_corrects_in_place_and_reports_versions_that_became_identical(
    engine: Engine, db_url: str
) -> None:
    store_as_old_extractor(
        engine, page("Celebrity chef opens a second restaurant downtown today"), 0
    )
    store_as_old_extractor(engine, page("Ferry timetable changes for the winter season ahead"), 1)
    before = versions(engine)
    assert [v.version for v in before] == [1, 2]
    assert {v.extractor_version for v in before} == {"1"}

    report = reextract(db_url)

    after = versions(engine)
    assert [v.version for v in after] == [1, 2], "no version added or removed"
    assert [v.fetched_at for v in after] == [v.fetched_at for v in before]
    for v in after:
        assert v.text.split("\n") == STORY
        assert v.extractor_version == EXTRACTOR_VERSION
    assert after[0].content_hash == after[1].content_hash
    assert (report.examined, report.corrected, report.no_page) == (2, 2, 0)
    assert report.identical == [(URL, 2)]
    assert extract_article(page("anything"), url=URL).text.split("\n") == STORY

    again = reextract(db_url)
    assert (again.examined, again.corrected) == (2, 0)


def test_versions_without_a_kept_page_are_left_and_counted(engine: Engine, db_url: str) -> None:
    store_as_old_extractor(engine, page("Local team wins the cup final"), 0, with_page=False)
    report = reextract(db_url)
    assert (report.examined, report.corrected, report.no_page) == (1, 0, 1)
    (only,) = versions(engine)
    assert only.extractor_version == "1"
    assert "Local team wins the cup final" in only.text


def test_a_page_that_yields_no_text_now_keeps_its_stored_text(engine: Engine, db_url: str) -> None:
    store_as_old_extractor(engine, "<html><body><nav>Home</nav></body></html>", 0)
    report = reextract(db_url)
    assert (report.examined, report.corrected, report.no_text) == (1, 0, 1)
    (only,) = versions(engine)
    assert only.text.startswith(STORY[0])


def test_cli_reextract_prints_its_report(engine: Engine, db_url: str) -> None:
    store_as_old_extractor(
        engine, page("Celebrity chef opens a second restaurant downtown today"), 0
    )
    store_as_old_extractor(engine, page("Ferry timetable changes for the winter season ahead"), 1)
    done = run_cli("reextract", "--source", "pub", "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert "examined 2 versions: 2 corrected" in done.stdout
    assert f"identical to the version before: {URL} v2" in done.stdout
    done = run_cli("reextract", "--source", "other", "--db", db_url)  # a source never stored
    assert done.returncode == 2
    assert done.stderr == "error: no source named 'other' in the database\n"


def test_reextract_brings_stored_metadata_up_to_date(engine: Engine, db_url: str) -> None:
    """Title, authors and date as an older extractor stored them, corrected from the kept page."""
    page = EN_GB
    url = f"https://demogazette.example{page.path}"
    old = extract_article(page.html, url=url)
    store_version(
        engine,
        "gazette",
        url=url,
        title="Council&#039;s budget vote delayed | Demo Gazette",
        text=old.text,
        at=later(0),
        page=compress_page(page.html),
        authors=["Dana Whitfield", "Senior Reporter"],
        published=datetime(2024, 4, 3, tzinfo=UTC),
    )
    reextract(db_url)
    with session_scope(engine) as s:
        (version,) = s.scalars(select(ArticleVersion)).all()
        assert (version.title, version.authors, version.published) == (
            page.title,
            page.authors,
            page.published,
        )
    row = export(db_url)[url]
    assert (row["title"], row["authors"]) == (page.title, page.authors)
    assert datetime.fromisoformat(row["published"]) == page.published


def test_reextract_gives_rows_stored_in_utc_their_offset_and_the_sources_order(
    engine: Engine, db_url: str
) -> None:
    """A version stored before offsets were kept (the instant in UTC, no offset) and one whose
    date its page could not order: reextract reads both again, the second in the source's order."""
    zoned = f"https://demogazette.example{EN_US.path}"
    undated = f"https://daybook.example{DAYBOOK_AMBIGUOUS.path}"
    for source, url, page, published in (
        ("gazette", zoned, EN_US, datetime(2024, 4, 3, 15, tzinfo=UTC)),
        ("daybook", undated, DAYBOOK_AMBIGUOUS, None),
    ):
        store_version(
            engine,
            source,
            url=url,
            title=page.title,
            page=compress_page(page.html),
            published=published,
        )
    with session_scope(engine) as s:
        s.execute(update(ArticleVersion).values(published_offset=None))  # as migration 0011 left it
        count_date_orders(s, ensure_source(s, "daybook", T0), day_first=3)
    before = export(db_url)
    assert before[zoned]["published"] == "2024-04-03T15:00:00+00:00"
    assert before[undated]["published"] is None

    reextract(db_url)
    after = export(db_url)
    assert after[zoned]["published"] == "2024-04-03T10:00:00-05:00"
    assert after[undated]["published"] == "2024-03-04T00:00:00+00:00"
