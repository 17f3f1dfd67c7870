"""Learning never looks like an edit: a page is compared with its last version cleaned the same way.

On both databases, with the real writer: an article stored before the store
knew one of its paragraphs was a teaser is fetched again, unchanged, after
the teaser's story was stored; no version is added and the stored one is
corrected in place. A real edit after that adds exactly one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from crawler.extract.furniture import FURNITURE_MIN_PAGES, line_hash
from crawler.extract.slots import SLOT_MIN_PAGES
from crawler.items import FetchedPage
from crawler.pipelines.worker import process_page
from crawler.pipelines.writer import Writer
from crawler.reextract import reextract
from crawler.store import articles as store
from crawler.store.db import session_scope
from crawler.store.furniture import load_furniture
from crawler.store.models import Article, ArticleVersion
from crawler.store.passages import load_passages
from crawler.store.retry import FaultRetry
from tests.pipelines.helpers import fetched_page
from tests.store.helpers import T0

BASE = "https://pub.example/news"
OTHER_LEAD = (
    "Dock workers returned to the cranes on Monday after unions and the port authority "
    "agreed a two-year pay deal late on Sunday night."
)
OWN = [
    "The city council voted on Tuesday to build a new tram line linking the harbour "
    "with the northern suburbs by 2030.",
    "Opponents said the route would cut through two parks and asked for a public "
    "inquiry before any trees are felled.",
]


@pytest.fixture
def source_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return store.ensure_source(session, "pub", T0)


def _page(slug: str, title: str, paragraphs: list[str], days: int = 0) -> FetchedPage:
    return fetched_page(f"{BASE}/{slug}", title, paragraphs, T0 + timedelta(days=days))


def _writer(engine: Engine, source_id: int) -> Writer:
    with session_scope(engine) as session:
        passages = load_passages(session, source_id)
    return Writer(engine, source_id, frozenset(), FaultRetry(5), passages=passages)


def _texts(engine: Engine, slug: str) -> list[str]:
    with session_scope(engine) as session:
        return list(
            session.scalars(
                select(ArticleVersion.text)
                .join(Article)
                .where(Article.url == f"{BASE}/{slug}")
                .order_by(ArticleVersion.version)
            )
        )


def test_a_teaser_learnt_later_is_no_new_version_and_a_real_edit_is_one(
    engine: Engine, source_id: int
) -> None:
    tram = [OWN[0], OTHER_LEAD, OWN[1]]  # the card quotes a story this source has not shown yet

    first = _writer(engine, source_id)
    assert first.write([_page("tram", "Council backs tram", tram)]).counts["new"] == 1
    first.strip_learnt()
    assert _texts(engine, "tram") == ["\n".join(tram)]  # nothing could tell it was a teaser

    second = _writer(engine, source_id)
    port = second.write(
        [_page("port", "Port strike ends", [OTHER_LEAD, "Talks took a week."])]
    ).counts
    assert port["new"] == 1
    again = second.write([_page("tram", "Council backs tram", tram, days=1)]).counts
    assert again["unchanged"] == 1
    assert "changed" not in again
    assert again["teaser_paragraphs_stripped"] == 2  # from the page, and from the stored version
    second.strip_learnt()
    assert _texts(engine, "tram") == ["\n".join(OWN)]  # corrected in place, still one version

    third = _writer(engine, source_id)
    edited = [*tram, "Work is due to start next spring, the mayor said on Wednesday."]
    assert third.write([_page("tram", "Council backs tram", edited, days=2)]).counts["changed"] == 1
    third.strip_learnt()
    assert _texts(engine, "tram") == ["\n".join(OWN), "\n".join([*OWN, edited[-1]])]


def test_reextract_strips_a_teaser_learnt_after_the_version_was_stored(
    engine: Engine, source_id: int, db_url: str
) -> None:
    tram = [OWN[0], OTHER_LEAD, OWN[1]]
    _writer(engine, source_id).write([_page("tram", "Council backs tram", tram)])
    _writer(engine, source_id).write([_page("port", "Port strike ends", [OTHER_LEAD, "Talks."])])
    assert _texts(engine, "tram") == ["\n".join(tram)]

    report = reextract(db_url, "pub")
    assert report.corrected == 1
    assert _texts(engine, "tram") == ["\n".join(OWN)]
    assert _texts(engine, "port") == [f"{OTHER_LEAD}\nTalks."]  # its own lead stays


def test_a_card_quoting_a_story_stored_later_in_the_same_crawl_leaves_no_version(
    engine: Engine, source_id: int
) -> None:
    first = _writer(engine, source_id)
    first.write([_page("tram", "Council backs tram", OWN)])
    first.strip_learnt()

    # Re-rendered with a card for a story this crawl stores only in a later batch.
    second = _writer(engine, source_id)
    rerendered = [OWN[0], OTHER_LEAD, OWN[1]]
    assert (
        second.write([_page("tram", "Council backs tram", rerendered, days=1)]).counts["changed"]
        == 1
    )
    second.write([_page("port", "Port strike ends", [OTHER_LEAD, "Talks took a week."], days=1)])
    done = second.strip_learnt()
    assert done["noise_versions_folded"] == 1
    assert (done["changed"], done["unchanged"]) == (-1, 1)  # the write's "changed" taken back
    assert _texts(engine, "tram") == ["\n".join(OWN)]
    with session_scope(engine) as session:
        tram = session.scalars(select(Article).where(Article.url == f"{BASE}/tram")).one()
        assert tram.current_version == 1
        assert tram.last_changed == T0


def test_an_articles_own_versions_never_make_its_paragraphs_a_bio(
    engine: Engine, source_id: int
) -> None:
    closing = "Roe said the full figures would be published by the council next month."
    writer = _writer(engine, source_id)
    for n in range(3):  # three edits of one article by Jane Roe
        paragraphs = [OWN[0], f"The estimate was revised {n} times this year.", closing]
        when = datetime.now(UTC) + timedelta(seconds=n)  # now: not forgotten as stale
        page = fetched_page(f"{BASE}/tram", "Tram", paragraphs, when, "Jane Roe")
        writer.write([page])
    writer.strip_learnt()
    assert [t.split("\n")[-1] for t in _texts(engine, "tram")] == [closing] * 3
    with session_scope(engine) as session:
        assert not load_passages(session, source_id).bios


NOTE = "Every story on this site is checked by two editors before it is published here."
BIO = "Our transport reporter Jane Roe has written about city politics from the Leeds office since 2015."


@pytest.mark.parametrize(("passage", "teachers"), [(NOTE, FURNITURE_MIN_PAGES), (BIO, 1)])
def test_furniture_or_a_bio_learnt_in_a_later_crawl_is_no_new_version(
    engine: Engine, source_id: int, passage: str, teachers: int
) -> None:
    """The old version holds the passage; the next crawl strips it from the page as it
    reads it (furniture in the workers, bios in the writer); the two still compare equal.
    Fetched now: candidates counted once are forgotten when not seen for 90 days."""
    now = datetime.now(UTC)
    tram = [*OWN, passage]
    first = _writer(engine, source_id)
    first.write([fetched_page(f"{BASE}/tram", "Tram", tram, now, "Jane Roe")])
    first.strip_learnt()

    second = _writer(engine, source_id)
    second.write(
        [
            fetched_page(
                f"{BASE}/s{n}", f"Story {n}", [f"Story {n} is about {n}.", passage], now, "Jane Roe"
            )
            for n in range(teachers)
        ]
    )
    second.strip_learnt()
    assert _texts(engine, "tram") == ["\n".join(tram)]  # stored before: left to the next visit

    with session_scope(engine) as session:
        furniture = load_furniture(session, source_id, FURNITURE_MIN_PAGES)
    third = Writer(
        engine, source_id, furniture, FaultRetry(5), passages=_writer(engine, source_id).passages
    )
    page = fetched_page(f"{BASE}/tram", "Tram", tram, now, "Jane Roe", furniture)
    again = third.write([page]).counts
    assert again["unchanged"] == 1
    assert "changed" not in again
    assert _texts(engine, "tram") == ["\n".join(OWN)]


def test_what_a_page_teaches_is_kept_under_the_url_its_article_is_stored_by(
    engine: Engine, source_id: int
) -> None:
    writer = _writer(engine, source_id)
    assert writer.write([_page("tram", "Council backs tram", OWN)]).counts["new"] == 1
    # A page fetched elsewhere names the tram story as its canonical, with other text: the
    # canonical is refused (claimed) and its article is keyed by the URL it was fetched from.
    port = _page("port", "Port strike ends", [OTHER_LEAD, "Talks took a week."])
    port.url = f"{BASE}/tram"
    done = writer.write([port]).counts
    assert (done["new"], done["canonical_ignored/claimed"]) == (1, 1)
    with session_scope(engine) as session:
        titles = load_passages(session, source_id).titles  # title hash -> owners' URL hashes
    assert titles[line_hash("Port strike ends")] == {line_hash(f"{BASE}/port")}
    assert titles[line_hash("Council backs tram")] == {line_hash(f"{BASE}/tram")}


def _boxed(slug: str, paragraphs: list[str], note: str, days: int = 0) -> FetchedPage:
    """A page of ``paragraphs`` by Jane Roe with ``note`` in a box after them, extracted for real."""
    page = _page(slug, slug.title(), [], days)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<html><head><title>{slug.title()}</title><meta name="author" content="Jane Roe">'
        f'</head><body><article><h1>{slug.title()}</h1>{body}<div class="panel-{days}x">'
        f"<p>{note}</p></div></article></body></html>"
    )
    done = process_page(html, page.fetch_url, frozenset())
    page.article, page.positions = done.article, done.positions
    page.line_hashes, page.content_hash, page.signature = (
        done.line_hashes,
        done.content_hash,
        done.signature,
    )
    return page


def test_a_slot_learnt_in_a_later_crawl_corrects_a_revisited_version_and_adds_none(
    engine: Engine, source_id: int
) -> None:
    missed = "Before joining the paper in 2019, she reported on transport for radio."
    first = _writer(engine, source_id)
    assert first.write([_boxed("tram", OWN, missed)]).counts["new"] == 1
    first.strip_learnt()
    assert _texts(engine, "tram") == ["\n".join([*OWN, missed])]  # no rule could tell

    second = _writer(engine, source_id)
    caught = "Jane Roe writes about transport and the city for the paper."
    others = [
        _boxed(f"story{n}", [f"{OWN[0]} Story {n}.", f"{OWN[1]} Story {n}."], caught, days=n)
        for n in range(1, SLOT_MIN_PAGES + 1)
    ]
    assert second.write(others).counts["new"] == SLOT_MIN_PAGES  # the box: a slot from now on
    again = second.write([_boxed("tram", OWN, missed, days=SLOT_MIN_PAGES + 1)]).counts
    assert (again["unchanged"], again.get("changed", 0)) == (1, 0)
    assert again["slot_paragraphs_stripped"] == 2  # from the page, and from the stored version
    second.strip_learnt()
    assert _texts(engine, "tram") == ["\n".join(OWN)]  # corrected in place, still one version


def test_lines_added_around_the_story_are_no_version_and_an_edit_beside_them_is_one(
    engine: Engine, source_id: int
) -> None:
    comment = "Where exactly is the money coming from, that is what I want to know."
    writer = _writer(engine, source_id)
    assert writer.write([_page("tram", "Tram", OWN)]).counts["new"] == 1
    again = writer.write([_boxed("tram", OWN, comment, days=1)]).counts
    assert (again["unchanged"], again["lines_around_ignored"]) == (1, 1)
    assert _texts(engine, "tram") == ["\n".join(OWN)]

    added = "The first trams are due to run in the spring of 2030, the council said."
    edit = writer.write([_boxed("tram", [*OWN, added], comment, days=2)]).counts
    assert edit["changed"] == 1
    assert _texts(engine, "tram") == ["\n".join(OWN), "\n".join([*OWN, added, comment])]
