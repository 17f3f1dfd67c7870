"""``revisit.trust_lastmod``: a sitemap's <lastmod> spares the revisits it vouches for, no others."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.demo.site import DemoSite
from tests.crawl.helpers import crawl, export, last_counts, write_config

pytestmark = pytest.mark.slow

EDITED, DELETED = "chipmaker-opens-fab", "startup-raises-robotics"


def test_only_articles_edited_or_gone_from_the_sitemap_are_fetched_again(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "sitemaps": [f"{site.base}/sitemap.xml"]}],
        revisit={"within_days": 3650, "min_interval": "0s", "trust_lastmod": True},
    )
    crawl(cfg, db_url)
    stored = export(db_url)
    n = len(stored)
    assert n == len(site.public())

    site.edit(EDITED, add_paragraph="The plant will also train local apprentices.")  # lastmod moves
    site.delete(DELETED)  # 410, and out of the sitemap
    site.log.clear()
    done = crawl(cfg, db_url)
    assert f"pub: {n - 2} revisits skipped, unchanged by sitemap <lastmod>" in done.stdout
    counts = last_counts(db_url, "pub")
    assert counts["unchanged_by_lastmod"] == n - 2, counts
    assert counts["changed"] == 1
    assert counts["gone"] == 1
    fetched = {r.path for r in site.log if r.path.startswith("/news/")}
    assert fetched == {f"/news/{EDITED}.html", f"/news/{DELETED}.html"}
    after = export(db_url)
    assert len(after[f"{site.base}/news/{EDITED}.html"]["versions"]) == 2
    assert after[f"{site.base}/news/{DELETED}.html"]["status"] == "gone"


def test_without_it_every_due_article_gets_its_conditional_get(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(
        tmp_path / "s.yaml", [{"name": "pub", "sitemaps": [f"{site.base}/sitemap.xml"]}]
    )
    crawl(cfg, db_url)
    n = len(export(db_url))
    crawl(cfg, db_url)
    counts = last_counts(db_url, "pub")
    assert counts["not_modified"] == n
    assert "unchanged_by_lastmod" not in counts
