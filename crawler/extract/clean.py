"""Cleaning: remove what extractors keep but readers never wanted.

Two stages, both pure. Before the body is found, :func:`offsite_teasers`
names the small blocks whose headline links lead off the site (markup-named
noise is :func:`crawler.extract.blocks.noise_by_markup`). After it,
:func:`clean_paragraphs` removes headline repeats, short boilerplate lines
and lists of other stories.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.dedupe.fingerprint import normalise

# A short line that is only one of these is site furniture, never article text.
_BOILERPLATE = re.compile(
    r"^(?:advertisement|sponsored(?: content)?|image|caption|close|print|email|\d+ of \d+"
    r"|share(?: this(?: article| story)?| on \w+)?|follow us.*|subscribe.*|sign up.*"
    r"|(?:get|join) our newsletter.*|we use cookies.*|accept(?: all)?(?: cookies)?"
    r"|comments?(?: \(\d+\))?|leave a (?:comment|reply).*|\d+ comments?|photo:.*|image:.*"
    r"|(?:photo|image) credit.*|getty images|©.*|copyright .*|all rights reserved.*"
    r"|.{0,40}\brequires? javascript.*|(?:please )?enable javascript.*|sharing is caring"
    r"|this (?:post|article|page|story) (?:may )?contains? affiliate.*"
    r"|by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:,? (?:and|&) [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})*"
    r"(?:,? (?:on )?(?:[a-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [a-z]{3,9}\.? \d{4}|\d{4}-\d\d-\d\d).*)?"
    r"|updated:? .{0,40}|published:? .{0,40})[.:!]?$",
    re.IGNORECASE,
)
BOILERPLATE_MAX_WORDS = 20
# A line that opens a list of other stories; it and the short lines after it go.
_LIST_OPENER = re.compile(
    r"^(?:related(?: news| stories| articles| posts| coverage| content)?|read more|read next"
    r"|more (?:from|on|in|about) .{0,40}|more stories|more news|you (?:may|might) also like"
    r"|recommended(?: for you)?|explore further|most (?:popular|read|viewed|shared)"
    r"|trending(?: now| stories)?|don'?t miss|see also|also read|popular (?:now|stories))"
    r"[.:!…]*$",
    re.IGNORECASE,
)
LIST_ITEM_MAX_WORDS = 14
# Cookie, consent and affiliate notices run long, but always say the same few things.
_COOKIE_NOTICE = re.compile(
    r"\bcookies?\b.*\b(?:website|site|browser|experience|consent|opt[ -]out|accept|privacy)\b"
    r"|\baffiliate (?:commission|links?|partner)|\bshare of (?:the )?sales?\b",
    re.IGNORECASE,
)
COOKIE_NOTICE_MAX_WORDS = 100


TEASER_MAX_WORDS = 80
_TEASER_CONTAINERS = frozenset({"div", "section", "li", "figure", "span", "aside"})


def offsite_teasers(tree: HtmlElement, url: str) -> set[HtmlElement]:
    """Small blocks whose headline links to another site: teasers, not the story.

    Only a headline (or image) link counts: articles cite other sites inline
    all the time, and those paragraphs are the article's own text. The block
    is the smallest container around such a link, if it is short.
    """
    site_host = urlsplit(url).hostname or ""
    if not site_host:
        return set()
    found: set[HtmlElement] = set()
    for link in _HEADLINE_LINKS(tree):
        host = urlsplit(link.get("href", "")).hostname
        if not host or _same_host(host, site_host):
            continue
        el = link.getparent()
        while el is not None and el.tag not in _TEASER_CONTAINERS:
            el = el.getparent()
        if el is not None and len(el.text_content().split()) <= TEASER_MAX_WORDS:
            found.add(el)
    return found


# Links around or inside a headline or image. Only a link with "//" in it can
# name a host; asking for it in the XPath, and finding links up from headlines
# rather than searching down from every link, makes this 2.5x faster.
_HEADLINE_LINKS = XPath(
    "(//h2|//h3|//h4|//img)/ancestor::a[contains(@href, '//')]"
    " | (//h2|//h3|//h4)/a[contains(@href, '//')]"
)


def _same_host(host: str, site_host: str) -> bool:
    """True for the same host, a subdomain of it, or its parent domain (www. ignored)."""
    host, site_host = host.lower().removeprefix("www."), site_host.lower().removeprefix("www.")
    return host == site_host or host.endswith("." + site_host) or site_host.endswith("." + host)


def line_key(line: str) -> str:
    """The key a line is compared by: normalised, lower-case, no punctuation at the ends."""
    return normalise(line).lower().strip(" .:;!?-|\"'")


def is_boilerplate(line: str) -> bool:
    """A short furniture line ("Share this", "By Ann Lee"), or a cookie or affiliate notice."""
    words = len(line.split())
    if words <= BOILERPLATE_MAX_WORDS and _BOILERPLATE.match(normalise(line)):
        return True
    return words <= COOKIE_NOTICE_MAX_WORDS and bool(_COOKIE_NOTICE.search(line))


def clean_paragraphs(paragraphs: Iterable[str], title: str | None) -> list[str]:
    """Drop headline repeats, boilerplate lines and lists of other stories.

    A paragraph that repeats an earlier one is dropped too. The source's
    furniture is dropped after this, by :func:`crawler.extract.clean_article`.
    """
    title_key = line_key(title) if title else None
    kept: list[str] = []
    seen: set[str] = set()
    in_list = False
    for raw in paragraphs:
        line = " ".join(raw.split())
        key = line_key(line)
        if _LIST_OPENER.match(normalise(line)):
            in_list = True
            continue
        in_list = in_list and len(line.split()) <= LIST_ITEM_MAX_WORDS
        if in_list:
            continue
        if not key or key == title_key or key in seen or is_boilerplate(line):
            continue
        seen.add(key)
        kept.append(line)
    return kept
