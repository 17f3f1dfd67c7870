"""What the unseen publishers' templates share: a page's story and noise, and its markup helpers.

:class:`Page` is one rendering of a story with the noise it carries and where;
each template family (``bench/unseen_templates.py``, ``bench/unseen_templates_second.py``)
turns it into HTML with :func:`story_body` (the story's paragraphs with the noise
blocks between them, in the template's markup), :func:`head`, :func:`json_ld` and
:func:`hashed_class`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from bench.unseen_text import Story


@dataclass(frozen=True)
class Teaser:
    href: str
    headline: str
    blurb: str


@dataclass
class Page:
    """One rendering of a story: which noise it carries, and where (after paragraph ``at``)."""

    site: str
    site_name: str
    story: Story
    version: int
    bios: list[tuple[str, str]] = field(default_factory=list)  # (author, bio)
    teaser: Teaser | None = None
    teaser_at: int = 2
    pull: str | None = None
    pull_at: int = 3
    photo: tuple[str, str] | None = None  # (caption, credit)
    read_more: Teaser | None = None
    read_more_at: int = 4
    comments: list[tuple[str, str]] = field(default_factory=list)
    related: list[Teaser] = field(default_factory=list)
    newsletter: str | None = None


def hashed_class(page: Page, slot: str) -> str:
    """A hashed class name for ``slot``, new with every rendering (CSS-in-JS)."""
    digest = hashlib.blake2s(f"{page.site}{slot}{page.version}".encode(), digest_size=4).hexdigest()
    return f"css-{digest[:6]}"


def _paras(page: Page, wrap: Callable[[str], str], inserts: dict[int, str]) -> str:
    """The story's paragraphs, each wrapped, with ``inserts`` after paragraph ``i``."""
    out = []
    for i, p in enumerate(page.story.paragraphs):
        out.append(wrap(escape(p)))
        out.append(inserts.get(i, ""))
    return "".join(out)


def _inserts(page: Page, teaser: str, pull: str, photo: str, more: str) -> dict[int, str]:
    """Noise blocks by the paragraph they follow (clamped into the story)."""
    last = len(page.story.paragraphs) - 2
    out: dict[int, str] = {}
    for at, block, on in (
        (0, photo, page.photo),
        (page.teaser_at, teaser, page.teaser),
        (page.pull_at, pull, page.pull),
        (page.read_more_at, more, page.read_more),
    ):
        if on:
            key = min(at, last)
            out[key] = out.get(key, "") + block
    return out


def story_body(
    page: Page,
    para: Callable[[str], str],
    teaser: Callable[[Teaser], str],
    pull: Callable[[str], str],
    photo: Callable[[str, str], str],
    more: Callable[[Teaser], str],
) -> str:
    """The story's paragraphs (each through ``para``) with the page's teaser, pull quote,
    photo and "Read more:" line, each in the template's markup, where the page puts them."""
    return _paras(
        page,
        para,
        _inserts(
            page,
            teaser(page.teaser) if page.teaser else "",
            pull(page.pull) if page.pull else "",
            photo(*page.photo) if page.photo else "",
            more(page.read_more) if page.read_more else "",
        ),
    )


def json_ld(page: Page) -> str:
    s = page.story
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s.title,
        "datePublished": s.published.isoformat(),
        "author": [{"@type": "Person", "name": a} for a in s.authors],
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def head(page: Page, extra: str = "") -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(page.story.title)} | {page.site_name}</title>{extra}</head>"
    )
