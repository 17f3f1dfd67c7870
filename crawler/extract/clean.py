"""Cleaning: remove what extractors keep but readers never wanted.

Two stages, both pure. :func:`prune_noise` works on the parsed page before
the body is extracted and removes blocks whose markup says what they are
(promo, related, share, comments ...) or whose links lead off the site.
:func:`clean_paragraphs` works on the extracted paragraphs and removes
headline repeats, short boilerplate lines, and any line the source's
furniture (lines seen on many of its pages) contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.dedupe.fingerprint import normalise

# class/id words that mark a block as not-the-article. Matched on word parts
# of class and id attributes, so "c-related-links" and "promoBox" both hit.
NOISE_WORDS = (
    "advert",
    "advertisement",
    "sponsor",
    "sponsored",
    "promo",
    "promoted",
    "teaser",
    "outbrain",
    "taboola",
    "print-title",
    "headline-repeat",
    "related-news",
    "newsletter",
    "newsletter-box",
    "comments",
    "disqus",
    "cookie-banner",
    "trending-widget",
    "most-read",
    "share-bar",
    "social-share",
)
_NOISE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(re.escape(w) for w in NOISE_WORDS) + r")(?:$|[\s_-])", re.I
)
_NOISE_TAGS = ("button", "noscript", "iframe")
# A block holding more than this share of the page's text is the article's container,
# whatever its class says ("post-share-wrapper", "main-widget" ...): never prune it.
MAX_PRUNED_SHARE = 0.3
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})

# A short line that is only one of these is site furniture, never article text.
_BOILERPLATE = re.compile(
    r"^(?:related(?: news| stories| articles| posts| coverage)?|read more|read next|more from .{0,40}"
    r"|most (?:popular|read|viewed)|trending(?: now)?|advertisement|sponsored(?: content)?"
    r"|share(?: this(?: article| story)?| on \w+)?|follow us.*|subscribe.*|sign up.*"
    r"|(?:get|join) our newsletter.*|we use cookies.*|accept(?: all)?(?: cookies)?"
    r"|comments?(?: \(\d+\))?|leave a (?:comment|reply).*|\d+ comments?|photo:.*|image:.*"
    r"|(?:photo|image) credit.*|getty images|©.*|copyright .*|all rights reserved.*"
    r"|by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:,? (?:and|&) [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})*"
    r"|updated:? .{0,40}|published:? .{0,40})[.:!]?$",
    re.IGNORECASE,
)
BOILERPLATE_MAX_WORDS = 14


def _is_noise_element(el: HtmlElement) -> bool:
    if el.tag in _NOISE_TAGS:
        return True
    if el.tag in _KEEP_TAGS:
        return False
    attrs = f"{el.get('class', '')} {el.get('id', '')}"
    role = (el.get("role") or "").lower()
    return bool(_NOISE_ATTR.search(attrs)) or role in {"complementary", "navigation", "banner"}


def _offsite_teaser(el: HtmlElement, site_host: str) -> bool:
    """A small block whose headline links to another site: a teaser, not the story.

    Only a headline (or image) link counts: articles cite other sites inline
    all the time, and those paragraphs are the article's own text.
    """
    if el.tag not in {"div", "section", "li", "figure", "span"}:
        return False
    text = " ".join(el.text_content().split())
    if not text or len(text.split()) > 80:
        return False
    for link in el.xpath(
        ".//a[@href][.//h2 or .//h3 or .//h4 or .//img] | .//h2/a | .//h3/a | .//h4/a"
    ):
        host = urlsplit(link.get("href", "")).hostname
        if host and not _same_host(host, site_host):
            return True
    return False


def _same_host(host: str, site_host: str) -> bool:
    host, site_host = host.lower().removeprefix("www."), site_host.lower().removeprefix("www.")
    return host == site_host or host.endswith("." + site_host) or site_host.endswith("." + host)


def prune_noise(tree: HtmlElement, url: str = "") -> None:
    """Remove, in place, blocks that markup or off-site links mark as noise."""
    site_host = urlsplit(url).hostname or ""
    total = max(1, len(tree.text_content()))
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        noise = _is_noise_element(el) or (site_host and _offsite_teaser(el, site_host))
        if noise and len(el.text_content()) / total <= MAX_PRUNED_SHARE:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()


def line_key(line: str) -> str:
    """The key a line is compared by: normalised, lower-case, no punctuation at the ends."""
    return normalise(line).lower().strip(" .:;!?-|\"'")


def is_boilerplate(line: str) -> bool:
    return len(line.split()) <= BOILERPLATE_MAX_WORDS and bool(_BOILERPLATE.match(normalise(line)))


def clean_paragraphs(
    paragraphs: Iterable[str], title: str | None, furniture: frozenset[str] = frozenset()
) -> list[str]:
    """Drop headline repeats, boilerplate lines, and the source's known furniture.

    ``furniture`` holds :func:`line_key` values of lines seen on many of the
    source's pages. A paragraph that repeats an earlier one is dropped too.
    """
    title_key = line_key(title) if title else None
    kept: list[str] = []
    seen: set[str] = set()
    for raw in paragraphs:
        line = " ".join(raw.split())
        key = line_key(line)
        if not key or key == title_key or key in furniture or key in seen or is_boilerplate(line):
            continue
        seen.add(key)
        kept.append(line)
    return kept
