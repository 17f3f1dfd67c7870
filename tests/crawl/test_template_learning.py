"""Teasers and bios learnt across a publisher's pages, end to end with the real crawl.

A tiny loopback publisher of its own: eight articles by three authors, each
page carrying a teaser card that quotes another article's first paragraph and
its author's bio, both as plain paragraphs of the body that no single-page
rule can tell from the story (the generic teaser and bio rules see neither).
The first crawl stores only the articles' own text; a re-render with other
cards and other bio markup adds no version; a real edit adds exactly one.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.crawl.helpers import assert_store_whole, crawl, export, last_counts, write_config

pytestmark = pytest.mark.slow

# Bios that read like the story's last paragraph: no page rule can tell, the source can.
AUTHORS = {
    "Jane Roe": "Radio came first: Jane Roe reported on transport there until 2019.",
    "Ali Khan": "Over twenty years Ali Khan has reported on energy from thirty countries.",
    "Mei Lin": "From the Leeds newsroom, Mei Lin has covered schools since the year 2015.",
}
TOPICS = ["tram line", "port strike", "wind farm", "school meals", "bus fares", "solar roofs",
          "exam results", "bridge repair"]  # fmt: skip


@dataclass
class Story:
    slug: str
    title: str
    author: str
    paragraphs: list[str]


def _stories() -> list[Story]:
    names = list(AUTHORS)
    return [
        Story(
            slug=topic.replace(" ", "-"),
            title=f"Council report on the {topic} is published",
            author=names[i % 3],
            paragraphs=[
                f"The council published its long-awaited report on the {topic} on Monday, "
                f"and officials said its findings would shape spending for story {i}.",
                f"Residents who spoke about the {topic} said they wanted quicker decisions "
                "and clearer answers from the town hall this year.",
                f"A final decision on the {topic} is expected when the council meets again "
                "in the spring, according to the report.",
            ],
        )
        for i, topic in enumerate(TOPICS)
    ]


@dataclass
class Publisher:
    stories: list[Story] = field(default_factory=_stories)
    shift: int = 1  # each page's card quotes the story this many places on
    bio_markup: str = "<p>{}</p>"
    base: str = ""

    def page(self, path: str) -> str | None:
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>{html.escape(s.title)}</title><link>{self.base}/news/{s.slug}</link>"
                f"<guid>{self.base}/news/{s.slug}</guid></item>"
                for s in self.stories
            )
            return f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>{items}</channel></rss>'
        for i, story in enumerate(self.stories):
            if path == f"/news/{story.slug}":
                return self.article(story, self.stories[(i + self.shift) % len(self.stories)])
        return None

    def article(self, story: Story, other: Story) -> str:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
              "author": {"@type": "Person", "name": story.author},
              "datePublished": "2026-11-20T08:00:00Z"}  # fmt: skip
        first, *rest = (f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
        card = f"<p>{html.escape(other.paragraphs[0])}</p>"  # a card without its link
        bio = self.bio_markup.format(html.escape(AUTHORS[story.author]))
        return (
            f"<html><head><title>{html.escape(story.title)}</title>"
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
            f'<nav><a href="/">Home</a></nav><article><h1>{html.escape(story.title)}</h1>'
            f"<p>By {story.author}</p>{first}{card}{''.join(rest)}{bio}</article>"
            "<footer>Local News Ltd</footer></body></html>"
        )


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    pub = Publisher()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pub.page(self.path)
            self.send_response(404 if body is None else 200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "").encode())

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    pub.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pub
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_first_crawl_stores_no_teaser_or_bio_rerender_adds_no_version_an_edit_one(
    publisher: Publisher, db_url: str, tmp_path: Path
) -> None:
    cfg = write_config(
        tmp_path / "s.yaml", [{"name": "pub", "feeds": [f"{publisher.base}/feed.xml"]}]
    )
    crawl(cfg, db_url)
    stored = export(db_url)
    own = {f"{publisher.base}/news/{s.slug}": s.paragraphs for s in publisher.stories}
    assert {url: row["text"].split("\n") for url, row in stored.items()} == own
    assert_store_whole(db_url)
    counts = last_counts(db_url, "pub")
    assert counts["teaser_paragraphs_stripped"] >= len(own)
    assert counts["bio_paragraphs_stripped"] >= len(own)

    # Other cards, bios in other markup, a new story that some cards quote: nothing the
    # articles say has changed.
    publisher.shift = 3
    publisher.bio_markup = '<div class="note"><p>{}</p></div>'
    publisher.stories.append(
        Story(
            "harbour-lights",
            "Harbour lights to be switched off at night",
            "Mei Lin",
            [
                "The harbour board agreed on Thursday to switch off its floodlights after "
                "midnight to save energy and spare migrating birds.",
                "Fishing crews said they had been consulted and did not object to the change.",
            ],
        )
    )
    done = crawl(cfg, db_url)
    again = last_counts(db_url, "pub")
    assert (again["new"], again["unchanged"]) == (1, len(own)), again
    assert again.get("changed", 0) == 0
    assert all(len(row["versions"]) == 1 for row in export(db_url).values())
    assert "teaser paragraphs" in done.stdout  # the summary says what learning removed

    edited = publisher.stories[4]
    edited.paragraphs.append("The council later said the report would be debated in public.")
    crawl(cfg, db_url)
    assert last_counts(db_url, "pub")["changed"] == 1
    after = export(db_url)
    assert sum(len(row["versions"]) for row in after.values()) == len(own) + 2
    assert after[f"{publisher.base}/news/{edited.slug}"]["text"].split("\n") == edited.paragraphs
    assert_store_whole(db_url)
