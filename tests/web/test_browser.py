"""End to end in a real headless Chromium: a real crawl of a loopback publisher, then ``crawler serve``.

Debian's Chromium (installed by ``.ci/run``), driven by Playwright. Skipped
with the reason when it is missing, unless ``CRAWLER_REQUIRE_BROWSER=1``
(set by ``.ci/run``) turns that into a failure. ``CRAWLER_SCREENSHOT=path``
also saves the diff page as a PNG (the one in the README).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import urlopen

import pytest

from crawler.demo.site import DemoSite
from tests.crawl.helpers import crawl, write_config

CHROMIUM = os.environ.get("CRAWLER_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EDITED = "chipmaker-opens-fab"
ADDED = "The plant will also train local apprentices."

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(site: DemoSite, tmp_path: Path) -> Iterator[str]:
    """A store filled by two real crawls (one article edited between), served read-only."""
    db_url = f"sqlite:///{tmp_path / 'crawler.db'}"
    sources = [
        {"name": "demo", "feeds": [f"{site.base}/feed.xml"]},
        {"name": "demo-wire", "feeds": [f"{site.base}/wire/feed.xml"]},  # one story, two sources
    ]
    cfg = write_config(tmp_path / "s.yaml", sources)
    crawl(cfg, db_url)
    site.edit(EDITED, add_paragraph=ADDED)
    crawl(cfg, db_url)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        assert proc.stderr is not None
        proc.stderr.close()


@pytest.fixture
def page() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CRAWLER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CRAWLER_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser.new_page(viewport={"width": 1100, "height": 800})
        browser.close()


def test_sources_search_article_and_the_marked_diff(served: str, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(served + "/")
    expect(page.locator("#sources")).to_contain_text("demo")
    expect(page.locator("#sources")).to_contain_text("ok")
    expect(page.locator("svg rect").first).to_be_visible()  # the per-day chart
    ticks = page.locator("#daily-chart text.x-tick")
    expect(ticks).to_have_count(5)  # a date under every seventh of the last 30 days
    expect(ticks.last).to_have_text(datetime.now(UTC).strftime("%m-%d"))

    page.click("text=Articles")
    page.fill("input[name=q]", "apprentices")
    page.click("button[type=submit]")
    links = page.locator("a.article-link")
    expect(links).to_have_count(1)
    expect(links.first).to_contain_text("Chipmaker opens")

    links.first.click()
    expect(page.locator("#versions li")).to_have_count(2)
    expect(page.locator("#versions .change")).to_have_text(["first seen", "+7 words"])
    expect(page.locator("p.muted").first).to_contain_text(
        re.compile(r"\d\d:\d\d [+-]\d{4} · first seen ")
    )
    expect(page.locator("#text")).to_contain_text(ADDED)

    page.click("a.diff-link")
    added = page.locator("#text-diff ins")
    expect(added).to_have_count(1)
    expect(added).to_contain_text(ADDED)
    expect(page.locator("#text-diff del")).to_have_count(0)
    if shot := os.environ.get("CRAWLER_SCREENSHOT"):
        page.screenshot(path=shot, full_page=True)


def test_stories_runs_and_bad_parameters(served: str, page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(served + "/")
    page.click("nav >> text=Stories")
    first = page.locator("#stories tr").nth(1)  # shared stories first
    expect(first.locator("td").nth(1)).to_have_text("2")
    first.locator("a.story-link").click()
    expect(page.locator("#members")).to_contain_text("demo-wire")
    expect(page.locator("#members")).to_contain_text("Solid-state battery")

    page.click("nav >> text=Crawl runs")
    page.locator("#runs a.source-link", has_text="demo-wire").first.click()
    expect(page).to_have_url(re.compile(r"/articles\?source=demo-wire$"))
    expect(page.locator("a.article-link")).to_have_count(1)

    for query, message in (("page=-1", "page must be 1 or more"), ("status=bogus", "status")):
        answer = page.goto(f"{served}/articles?{query}")
        assert answer is not None
        assert answer.status == 400
        expect(page.locator("body")).to_contain_text(message)
