"""Dates, authors and titles as a crawl stores and exports them, on SQLite and PostgreSQL.

Dates are exported at the offset the page wrote them with (``-05:00`` for EST),
and a date its page cannot order follows the order the source's other pages show.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.demo.site import DemoSite, Reply, serve
from tests.crawl.helpers import crawl, export, write_config
from tests.extract.metadata_pages import DAYBOOK_AMBIGUOUS, DAYBOOK_SHOWN, PAGES

pytestmark = pytest.mark.slow


class PagesSite(DemoSite):
    """A publisher of the tricky metadata pages, listed in its sitemap."""

    def respond(self, path_qs: str, headers: dict[str, str]) -> Reply:
        sitemaps = {
            "/sitemap.xml": PAGES,
            # the undecided page first: stored before the crawl has seen the others
            "/daybook.xml": [DAYBOOK_AMBIGUOUS, *DAYBOOK_SHOWN],
        }
        pages = {p.path: p.html for listed in sitemaps.values() for p in listed}
        if path_qs in pages:
            return Reply(200, pages[path_qs].encode())
        if path_qs in sitemaps:
            urls = "".join(f"<url><loc>{self.base}{p.path}</loc></url>" for p in sitemaps[path_qs])
            body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            return Reply(200, body.encode(), "application/xml")
        return super().respond(path_qs, headers)


def test_crawl_stores_and_exports_dates_authors_and_titles(db_url: str, tmp_path: Path) -> None:
    with serve(PagesSite([])) as site:
        cfg = write_config(
            tmp_path / "s.yaml",
            [
                {"name": "gazette", "sitemaps": [f"{site.base}/sitemap.xml"]},
                {"name": "daybook", "sitemaps": [f"{site.base}/daybook.xml"]},
            ],
        )
        done = crawl(cfg, db_url)
        stored = export(db_url)
    assert "daybook: 1 ambiguous dates read in the day/month order its other pages show" in (
        done.stdout
    )
    for page in PAGES:
        row = stored[f"{site.base}{page.path}"]
        assert row["title"] == page.title
        assert row["authors"] == page.authors
        # ISO 8601 at the page's own offset: its EST stays -05:00, its -04:00 stays -04:00
        assert page.published is not None
        assert row["published"] == page.published.isoformat()
    assert {page.published.utcoffset() for page in PAGES if page.published} > {UTC.utcoffset(None)}
    # 04/03/2024 on an "en" page: 4 March, as the source's 13/03/2024 and 21/03/2024 say
    ambiguous = stored[f"{site.base}{DAYBOOK_AMBIGUOUS.path}"]
    assert datetime.fromisoformat(ambiguous["published"]) == datetime(2024, 3, 4, tzinfo=UTC)
