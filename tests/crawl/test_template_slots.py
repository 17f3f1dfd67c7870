"""Template slots learnt from element paths, end to end with the real crawl, on both databases.

A loopback host serves four publishers of ten articles each, in three markups:
semantic class names (a bio box and a photo box), anonymous divs (a teaser card
between paragraphs) and an old table layout (a photo table inside the body's
cell). On a third of the pages the generic rules catch the slot's text (the bio
opens with the author's name, the photo box holds its image, the card's
headline is a headline); on the others they cannot (the bio opens otherwise,
the image only loads by script, the headline is two words). The crawl stores
only the stories' own paragraphs. A fourth publisher removes noise at a
different place on every page: it shares no slot, and loses nothing. A
fifth prints a standfirst over every story that a rule misfires on, on three
pages of sixteen: it is no slot, and stays on the other thirteen.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.crawl.helpers import (
    assert_store_whole,
    crawl,
    export,
    last_counts,
    run_cli,
    write_config,
)
from tests.crawl.static_site import StaticSite, serve_static

pytestmark = pytest.mark.slow

PAGES = 10
TOPICS = ["tram line", "port strike", "wind farm", "school meals", "bus fares", "solar roofs",
          "exam results", "bridge repair", "flood defences", "library hours"]  # fmt: skip
AUTHOR = "Jane Roe"


def story(n: int, site: str) -> list[str]:
    topic = TOPICS[n]
    return [
        f"The council of the {site} district published its long-awaited report on the "
        f"{topic} on Monday, and officials said its findings would shape spending next year.",
        f"Residents who spoke about the {topic} at a meeting on Tuesday evening said they "
        "wanted quicker decisions and clearer answers from the town hall this year.",
        f"The report on the {topic} runs to two hundred pages and sets out three options, "
        "each costed by the council's own engineers and by an outside firm of auditors.",
        f"A final decision on the {topic} is expected when the council meets again in the "
        "spring, according to the report, after a consultation that will last eight weeks.",
    ]


def caught(n: int) -> bool:
    """Whether the generic rules can tell this page's slot text: every third page."""
    return n % 3 == 0


def bio(n: int, version: int) -> str:
    if caught(n):
        return f"{AUTHOR} writes about local government and transport for the paper."
    places = ["Leeds", "York", "Hull", "Bradford", "Wakefield", "Halifax", "Harrogate"]
    return f"{n + version + 2} years of reporting in {places[(n + version) % 7]} brought {AUTHOR} to us."


def caption(n: int, version: int) -> str:
    return f"Council officers at the site of the {TOPICS[n]}, photographed in week {n + 5 * version + 1}."


def blurb(n: int, version: int) -> str:
    other = TOPICS[(n + 3 + version) % PAGES]
    return f"Campaigners say the plans for the {other} leave too many questions unanswered."


def image(n: int) -> str:
    """The photo as the page serves it: an image, or one a script loads (none to read)."""
    img = f'<img src="/img/{n}.jpg" width="640" height="360">'
    return img if caught(n) else f"<noscript>{img}</noscript>"


def semantic(n: int, version: int, site: str) -> str:
    first, *rest = (f"<p>{html.escape(p)}</p>" for p in story(n, site))
    photo = f'<div class="media-box"> {image(n)}<p>{caption(n, version)}</p></div>'
    panel = f'<div class="contributor-panel c-{n}f9"><p>{html.escape(bio(n, version))}</p></div>'
    return f'<article class="story story-{n}">{first}{photo}{"".join(rest)}{panel}</article>'


def anonymous(n: int, version: int, site: str) -> str:
    first, second, *rest = (f"<div>{html.escape(p)}</div>" for p in story(n, site))
    headline = "Plans questioned by campaigners" if caught(n) else "Plans questioned"
    other = TOPICS[(n + 3 + version) % PAGES].replace(" ", "-")
    card = (
        f'<div><a href="/{site}/news/{other}"><span>{headline}</span></a>'
        f"<div>{blurb(n, version)}</div></div>"
    )
    return f"<div><div>{first}{second}{card}{''.join(rest)}</div></div>"


def table(n: int, version: int, site: str) -> str:
    first, *rest = (f"<p>{html.escape(p)}</p>" for p in story(n, site))
    photo = (
        f'<table width="300" align="right"><tr><td>{image(n)}</td></tr>'
        f'<tr><td><font size="1">{caption(n, version)}</font></td></tr></table>'
    )
    return (
        '<table width="100%"><tr><td width="150"><a href="/">Home</a></td>'
        f'<td><font face="Arial">{first}{photo}{"".join(rest)}</font></td></tr></table>'
    )


def scattered(n: int, version: int, site: str) -> str:
    """Noise the generic rules remove, in another box on every page; the story whole."""
    first, *rest = (f"<p>{html.escape(p)}</p>" for p in story(n, site))
    box = "abcdefghijklmnopqrstuvwxyz"[n + version]
    note = f'<div class="box-{box}"><p>Share this article</p></div>'
    return f"<article>{first}{note}{''.join(rest)}</article>"


MARKUPS: dict[str, Callable[[int, int, str], str]] = {
    "semantic": semantic,
    "anonymous": anonymous,
    "table": table,
    "scattered": scattered,
}


def pages(base: str, version: int) -> dict[str, str]:
    """Every publisher's feed and articles; the slots' texts change with ``version``."""
    out: dict[str, str] = {}
    slugs = [t.replace(" ", "-") for t in TOPICS]
    for site, markup in MARKUPS.items():
        items = "".join(
            f"<item><title>{t}</title><link>{base}/{site}/news/{slug}</link></item>"
            for t, slug in zip(TOPICS, slugs, strict=True)
        )
        out[f"/{site}/feed.xml"] = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>{items}</channel></rss>'
        )
        for n, slug in enumerate(slugs):
            title = f"Council report on the {TOPICS[n]} is published"
            ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                  "author": {"@type": "Person", "name": AUTHOR},
                  "datePublished": "2026-11-20T08:00:00Z"}  # fmt: skip
            out[f"/{site}/news/{slug}"] = (
                f"<html><head><title>{title}</title>"
                f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
                f'<nav><a href="/">Home</a></nav><h1>{title}</h1>'
                f"{markup(n, version, site)}<footer>Local News Ltd</footer></body></html>"
            )
    return out


@pytest.fixture
def host() -> Iterator[StaticSite]:
    with serve_static(StaticSite()) as site:
        site.pages = pages(site.base, 0)
        yield site


def test_slots_missed_by_the_rules_are_learnt_in_the_first_crawl_and_add_no_version_later(
    host: StaticSite, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(
        tmp_path / "s.yaml",
        [{"name": site, "feeds": [f"{host.base}/{site}/feed.xml"]} for site in MARKUPS],
    )
    done = crawl(cfg, db_url)
    own = {
        f"{host.base}/{site}/news/{t.replace(' ', '-')}": story(n, site)
        for site in MARKUPS
        for n, t in enumerate(TOPICS)
    }

    def texts() -> dict[str, list[str]]:
        return {url: row["text"].split("\n") for url, row in export(db_url).items()}

    assert texts() == own
    assert_store_whole(db_url)
    missed = sum(not caught(n) for n in range(PAGES))
    slots = {site: last_counts(db_url, site).get("slot_paragraphs_stripped", 0) for site in MARKUPS}
    assert slots["semantic"] >= 2 * missed  # the bio and the caption of each page missed
    assert slots["anonymous"] >= missed
    assert slots["table"] >= missed
    assert slots["scattered"] == 0
    assert "paragraphs in template slots" in done.stdout

    # Other bios, captions and cards on every page; the stories unchanged.
    host.pages = pages(host.base, 1)
    crawl(cfg, db_url)
    for site in MARKUPS:
        again = last_counts(db_url, site)
        assert (again.get("new", 0), again.get("changed", 0)) == (0, 0), (site, again)
        assert again["unchanged"] == PAGES
    assert texts() == own
    assert all(len(row["versions"]) == 1 for row in export(db_url).values())

    assert run_cli("reextract", "--db", db_url).returncode == 0
    assert texts() == own  # the knowledge kept in the store, applied to the kept pages
    assert_store_whole(db_url)


STANDFIRST_PAGES = 16  # a rule misfires on 3 of them: under one page in four (SLOT_MIN_SHARE)


def standfirst(n: int) -> str:
    """The source's standfirst; on three pages it opens like a caption's credit line."""
    if n in (2, 7, 12):
        return f"Pictured: the {TOPICS[n % PAGES]} site, where residents gathered on Monday."
    return f"Residents say the {TOPICS[n % PAGES]} plans leave them with questions, round {n}."


def test_a_standfirst_a_rule_misfires_on_now_and_then_is_kept_on_every_other_page(
    db_url: str, tmp_path: Path
) -> None:
    site = StaticSite()
    slugs = [f"story-{n}" for n in range(STANDFIRST_PAGES)]
    with serve_static(site):
        items = "".join(f"<item><link>{site.base}/d/{s}</link></item>" for s in slugs)
        site.pages = {"/d/feed.xml": f'<rss version="2.0"><channel>{items}</channel></rss>'}
        for n, slug in enumerate(slugs):
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in story(n % PAGES, f"d{n}"))
            site.pages[f"/d/{slug}"] = (
                f"<html><head><title>Report number {n} is out</title></head><body>"
                f'<article class="story"><h1>Report number {n} is out</h1>'
                f'<p class="dek">{standfirst(n)}</p>{paragraphs}</article></body></html>'
            )
        cfg = write_config(
            tmp_path / "s.yaml", [{"name": "d", "feeds": [f"{site.base}/d/feed.xml"]}]
        )
        crawl(cfg, db_url)
    texts = {url: row["text"].split("\n") for url, row in export(db_url).items()}
    assert len(texts) == STANDFIRST_PAGES
    for n, slug in enumerate(slugs):
        expected = story(n % PAGES, f"d{n}")
        if n not in (2, 7, 12):
            expected = [standfirst(n), *expected]  # never taken for a slot's text
        assert texts[f"{site.base}/d/{slug}"] == expected
    assert last_counts(db_url, "d").get("slot_paragraphs_stripped", 0) == 0
