"""Which links to follow from a section page, and which pages are articles. Pure."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from parsel import Selector

_NEXT_TEXT = re.compile(
    r"^\s*(?:next(?: page)?|older(?: posts| articles| stories)?|more(?: stories)?"
    r"|load more|›|»|→|>|>>)\s*[›»→>]*\s*$",
    re.IGNORECASE,
)
_PAGE_PARAMS = frozenset({"page", "p", "pg", "paged", "pagenum", "offset", "start"})
_PAGE_PATH = re.compile(r"/page/\d+/?$")


def pagination_links(page: Selector) -> list[str]:
    """Hrefs that lead to the next page of a listing: ``rel=next``, "Next" links, ``?page=N``."""
    hrefs = page.xpath(
        "//link[@rel='next']/@href | //a[contains(concat(' ', @rel, ' '), ' next ')]/@href"
    ).getall()
    for anchor in page.xpath("//a[@href]"):
        label = " ".join(anchor.xpath("normalize-space(.)").get("").split()) or anchor.attrib.get(
            "aria-label", ""
        )
        if _NEXT_TEXT.match(label):
            hrefs.append(anchor.attrib["href"])
    return list(dict.fromkeys(h.strip() for h in hrefs if h.strip()))


def is_pagination_url(url: str) -> bool:
    """``?page=3`` or ``/page/3/`` style listing pages."""
    parts = urlsplit(url)
    if _PAGE_PATH.search(parts.path):
        return True
    return any(k.lower() in _PAGE_PARAMS and v.isdigit() for k, v in parse_qsl(parts.query))


def is_article_url(url: str, pattern: re.Pattern[str] | None) -> bool:
    """Whether the source's article URL pattern (if any) matches ``url``."""
    return bool(pattern and pattern.search(url))
