"""Dates, authors and titles as a crawl stores and exports them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from crawler.demo.site import DemoSite, Reply, serve
from tests.crawl.helpers import crawl, export, write_config
from tests.extract.metadata_pages import PAGES

pytestmark = pytest.mark.slow


class PagesSite(DemoSite):
    """A publisher of the tricky metadata pages, listed in its sitemap."""

    def respond(self, path_qs: str, headers: dict[str, str]) -> Reply:
        pages = {p.path: p.html for p in PAGES}
        if path_qs in pages:
            return Reply(200, pages[path_qs].encode())
        if path_qs == "/sitemap.xml":
            urls = "".join(f"<url><loc>{self.base}{p}</loc></url>" for p in pages)
            body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            return Reply(200, body.encode(), "application/xml")
        return super().respond(path_qs, headers)


def test_crawl_stores_and_exports_dates_authors_and_titles(db_url: str, tmp_path: Path) -> None:
    with serve(PagesSite([])) as site:
        cfg = write_config(
            tmp_path / "s.yaml", [{"name": "gazette", "sitemaps": [f"{site.base}/sitemap.xml"]}]
        )
        crawl(cfg, db_url)
        stored = export(db_url)
    for page in PAGES:
        row = stored[f"{site.base}{page.path}"]
        assert row["title"] == page.title
        assert row["authors"] == page.authors
        # ISO 8601 with an offset, the instant the page means (its EST, its -04:00)
        published = datetime.fromisoformat(row["published"])
        assert published.utcoffset() is not None
        assert published == page.published
