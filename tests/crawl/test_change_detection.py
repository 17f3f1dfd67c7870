"""A version only for a real change: noise re-rendered around an article never makes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.demo.site import DemoSite
from tests.crawl.helpers import crawl, export, last_counts, write_config

pytestmark = pytest.mark.slow


def test_noise_changes_keep_one_version_a_sentence_or_title_makes_two(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}])
    crawl(cfg, db_url)
    first = export(db_url)
    n = len(first)

    # Different ads, teaser, related order, comment count, "updated" line and counters:
    # every page is fetched again in full (new ETag) and none is a new version.
    site.rotate_noise()
    site.log.clear()
    crawl(cfg, db_url)
    counts = last_counts(db_url, "pub")
    assert counts.get("not_modified", 0) == 0
    assert counts["unchanged"] == n
    assert counts.get("changed", 0) == 0
    assert all(len(r["versions"]) == 1 for r in export(db_url).values())

    # One sentence added to one article, a new title on another: two new versions.
    site.rotate_noise()
    site.edit("chipmaker-opens-fab", add_paragraph="The plant will also train local apprentices.")
    site.edit("startup-raises-robotics", title="Robotics startup raises new funding round")
    crawl(cfg, db_url)
    third = last_counts(db_url, "pub")
    assert third["changed"] == 2, third
    after = export(db_url)
    fab = after[f"{site.base}/news/chipmaker-opens-fab.html"]
    assert [len(v["text"].split("\n")) for v in fab["versions"]] == [
        len(first[f"{site.base}/news/chipmaker-opens-fab.html"]["text"].split("\n")),
        len(first[f"{site.base}/news/chipmaker-opens-fab.html"]["text"].split("\n")) + 1,
    ]
    robots = after[f"{site.base}/news/startup-raises-robotics.html"]
    assert [v["title"] for v in robots["versions"]][
        -1
    ] == "Robotics startup raises new funding round"
    assert robots["versions"][0]["text"] == robots["versions"][1]["text"]
    assert sum(len(r["versions"]) for r in after.values()) == n + 2
    # An edited article stays in its story's cluster.
    assert fab["cluster_id"] == first[f"{site.base}/news/chipmaker-opens-fab.html"]["cluster_id"]
