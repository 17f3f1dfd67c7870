"""End-to-end crawls of the loopback demo publisher, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.demo.site import DemoSite, serve
from tests.crawl.helpers import crawl, export, last_counts, run_cli, write_config
from tests.crawl.static_site import StaticSite, page, prose, serve_static, sitemap

pytestmark = pytest.mark.slow


def public_urls(site: DemoSite) -> set[str]:
    return {f"{site.base}{site.article_path(a)}" for a in site.public()}


@pytest.mark.parametrize(
    ("routes", "extra"),
    [
        # one extraction worker, as each of the daemon's children has on a machine it fills
        pytest.param(lambda b: {"feeds": [f"{b}/feed.xml"]}, ("--workers", "1"), id="rss"),
        pytest.param(lambda b: {"feeds": [f"{b}/atom.xml"]}, (), id="atom"),
        pytest.param(lambda b: {"sitemaps": [f"{b}/sitemap.xml"]}, (), id="sitemap-index-gz-news"),
        pytest.param(lambda b: {"sitemaps": [f"{b}/robots.txt"]}, (), id="robots-sitemap-lines"),
        pytest.param(lambda b: {"start_urls": [f"{b}/section/tech"]}, (), id="section-pagination"),
    ],
)
def test_each_discovery_route_finds_every_article(
    site: DemoSite, db_url: str, tmp_path: Path, routes: object, extra: tuple[str, ...]
) -> None:
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", **routes(site.base)}])  # type: ignore[operator]
    crawl(cfg, db_url, *extra)
    stored = export(db_url)
    assert set(stored) == public_urls(site)
    for row in stored.values():
        assert row["text"]
        assert row["title"]
        assert row["source"] == "pub"
        assert [v["version"] for v in row["versions"]] == [1]


def test_full_crawl_politeness_and_faults(site: DemoSite, db_url: str, tmp_path: Path) -> None:
    b = site.base
    cfg = write_config(
        tmp_path / "s.yaml",
        [
            {
                "name": "pub",
                "feeds": [f"{b}/feed.xml"],
                "sitemaps": [f"{b}/sitemap.xml"],
                "start_urls": [f"{b}/section/tech"],
            }
        ],
        user_agent="test-crawler/1.0 (+https://example.org/bot)",
    )
    crawl(cfg, db_url)
    stored = export(db_url)
    # Exactly the public articles: no home, tag, about, section or private pages.
    assert set(stored) == public_urls(site)
    # robots.txt obeyed: not one request to a disallowed path.
    assert not [r for r in site.log if r.path.startswith("/private/")]
    assert last_counts(db_url, "pub")["blocked_by_robots"] >= 1
    # One fetch per article however many routes (feed with utm_*, sitemap, section, redirect).
    assert [r for r in site.log if r.path.startswith("/go/")], (
        "the editor's pick redirect was followed"
    )
    for art in site.public():
        fetches = [r for r in site.log if r.path.split("?")[0] == site.article_path(art)]
        expected = 1 + art.fail_first
        assert len(fetches) == expected, (art.slug, [r.path for r in fetches])
    # The configured User-Agent, and gzip accepted (the demo gzips every HTML page).
    assert all(
        r.headers.get("user-agent") == "test-crawler/1.0 (+https://example.org/bot)"
        for r in site.log
    )
    assert all("gzip" in r.headers.get("accept-encoding", "") for r in site.log)
    # Tracking parameters and fragments never reach the stored URL.
    assert not [u for u in stored if "utm_" in u or "#" in u]
    # 503 with Retry-After, then 200: stored.
    assert f"{b}/news/regulator-fines-app-store.html" in stored
    # windows-1252 decoded correctly.
    robotics = stored[f"{b}/news/startup-raises-robotics.html"]
    assert "€80 million" in robotics["title"]
    assert "Zoë Müller" in robotics["text"]
    counts = last_counts(db_url, "pub")
    assert counts["new"] == len(public_urls(site))
    assert counts["retries"] >= 1
    assert counts["_status_ok"] == 1


def test_redirect_and_canonical(db_url: str, tmp_path: Path) -> None:
    """Links with tracking parameters 302 to an AMP copy whose rel=canonical names the article."""
    with serve(DemoSite(link_via_redirect=True)) as site:
        cfg = write_config(
            tmp_path / "s.yaml", [{"name": "pub", "start_urls": [f"{site.base}/section/tech"]}]
        )
        crawl(cfg, db_url)
        stored = export(db_url)
        assert set(stored) == public_urls(site)
        for art in site.public():
            row = stored[f"{site.base}/news/{art.slug}.html"]
            assert row["fetch_url"] == f"{site.base}/amp/{art.slug}.html"
            # Requested once, with the tracking parameters already stripped.
            assert [r.path for r in site.log if r.path.startswith(f"/go/{art.slug}")] == [
                f"/go/{art.slug}"
            ]
        assert not [r for r in site.log if r.path.startswith("/news/")]


def test_revisit_conditional_get_edit_and_gone(site: DemoSite, db_url: str, tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}])
    crawl(cfg, db_url)
    first = export(db_url)
    n = len(first)

    # Unchanged site: every known article revisited with its validators, all 304, no versions.
    site.log.clear()
    crawl(cfg, db_url)
    counts = last_counts(db_url, "pub")
    assert counts["not_modified"] == n
    assert counts.get("new", 0) == counts.get("changed", 0) == 0
    revisits = [r for r in site.log if r.path.startswith("/news/")]
    assert len(revisits) == n
    assert all(r.headers.get("if-none-match") for r in revisits)
    second = export(db_url)
    assert all(len(row["versions"]) == 1 for row in second.values())
    url = f"{site.base}/news/satellite-internet-outage.html"
    assert second[url]["last_fetched"] > first[url]["last_fetched"]

    # One edited, one deleted (410).
    site.edit("satellite-internet-outage", title="Satellite internet service restored after outage")
    site.delete("battery-research-breakthrough", 410)
    crawl(cfg, db_url)
    counts = last_counts(db_url, "pub")
    assert (counts["changed"], counts["gone"], counts["not_modified"]) == (1, 1, n - 2)
    third = export(db_url)
    edited = third[url]
    assert [v["title"] for v in edited["versions"]] == [
        "Satellite internet service restored after six-hour outage",
        "Satellite internet service restored after outage",
    ]
    gone = third[f"{site.base}/news/battery-research-breakthrough.html"]
    assert gone["status"] == "gone"
    assert gone["text"] == first[f"{site.base}/news/battery-research-breakthrough.html"]["text"]


def test_revisit_window_respects_min_interval(site: DemoSite, db_url: str, tmp_path: Path) -> None:
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}],
        revisit={"within_days": 7, "min_interval": "1h"},
    )
    crawl(cfg, db_url)
    site.log.clear()
    crawl(cfg, db_url)
    assert not [r for r in site.log if r.path.startswith("/news/")], "nothing is due yet"


def test_two_crawls_in_one_process_via_demo(tmp_path: Path, empty_db_url: str) -> None:
    """`crawler demo` crawls, edits, crawls again in one process and shows version 2."""
    done = run_cli("demo", "--db", empty_db_url, cwd=tmp_path, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "version 2 of" in done.stdout
    assert "first patch release" in done.stdout
    stored = export(empty_db_url)
    versions = {url.rsplit("/", 1)[-1]: len(r["versions"]) for url, r in stored.items()}
    assert versions.pop("open-source-database-release.html") == 2
    assert set(versions.values()) == {1}
    for row in stored.values():
        text = row["text"]
        assert "Here's How" not in text
        assert "Related news" not in text
        assert "cookies" not in text
        assert "Comments" not in text
        assert "newsletter" not in text
        assert "people are reading" not in text
        assert not [other["title"] for other in stored.values() if other["title"] in text]


def test_responses_over_the_size_cap_are_dropped_and_counted(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": "pub", "feeds": [f"{site.base}/feed.xml"]}],
        max_response_size=3000,  # the feed (~2 KB) fits; pages fit gzipped, not decompressed
    )
    crawl(cfg, db_url)
    assert export(db_url) == {}
    counts = last_counts(db_url, "pub")
    assert counts["errors/too_large"] == len(site.public())


def test_crawler_trap_is_bounded_by_depth_and_page_caps(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    """An endless calendar with session ids in its links: a few pages, then the caps stop it."""
    cfg = write_config(
        tmp_path / "s.yaml",
        [
            {
                "name": "pub",
                "start_urls": [f"{site.base}/calendar/1"],
                "max_depth": 3,
                "max_pages": 15,
            }
        ],
    )
    crawl(cfg, db_url)
    days = {r.path for r in site.log if r.path.count("/") == 2 and r.path.startswith("/calendar/")}
    events = [r.path for r in site.log if "/event-" in r.path]
    assert days == {"/calendar/1", "/calendar/2", "/calendar/3", "/calendar/4"}
    assert len(events) == 15, "the page cap bounds the candidates"
    assert not [p for p in events if "jsessionid" in p], "session ids are dropped from URLs"
    counts = last_counts(db_url, "pub")
    assert counts["skipped/page_cap"] >= 1
    assert export(db_url) == {}


def test_a_page_with_stray_nul_bytes_is_stored_without_them(db_url: str, tmp_path: Path) -> None:
    body = prose(11)
    with serve_static(StaticSite()) as site:
        site.pages = {
            "/sitemap.xml": sitemap(site.base, ["/a", "/b"]),
            "/a": page("Ferry\x00 timetable changes", body, markup=True),  # NUL in the <head>
            "/b": page("Museum reopens", [body[0] + "\x00\x00", *prose(12)[1:]], markup=True),
        }
        cfg = write_config(
            tmp_path / "s.yaml", [{"name": "pub", "sitemaps": [f"{site.base}/sitemap.xml"]}]
        )
        crawl(cfg, db_url)
        stored = export(db_url)
    assert {row["title"] for row in stored.values()} == {
        "Ferry timetable changes",
        "Museum reopens",
    }
    assert all("\x00" not in row["text"] and row["text"] for row in stored.values())
    assert "errors/not_html" not in last_counts(db_url, "pub")


def test_binary_body_served_as_html_is_counted_and_skipped(
    site: DemoSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(
        tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{site.base}/downloads.xml"]}]
    )
    crawl(cfg, db_url)
    assert set(export(db_url)) == {f"{site.base}{site.article_path(site.public()[0])}"}
    assert last_counts(db_url, "pub")["errors/not_html"] == 1
