"""An article's own continuation pages: page 2 of a story split over several pages.

Pure functions over a page's HTML and URL. A continuation is named by
``<link rel="next">``, ``<a rel="next">`` or a link reading "Next page",
and must be the same article's address with the next page number: ``?page=N``
or a last path segment ``/N/`` (the two forms publishers use; rel=next:
HTML Living Standard, "Link types"). Anything else, such as the next story
in a series or a section's next page, is not followed.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from parsel import Selector

from crawler.canonical import canonical_url

MAX_PAGES = 10  # an article's pages followed, the first included
_NEXT_TEXT = re.compile(
    r"^\s*(?:next(?:\s+page)?|weiter|nächste\s+seite|page\s+suivante|siguiente)\s*[›»>→]*\s*$",
    re.IGNORECASE,
)
_PAGE_SEGMENT = re.compile(r"^(?P<stem>.*?)/(?P<n>[2-9]|[1-9]\d)/?$")


def page_number(url: str) -> tuple[str, int]:
    """``url`` without its page marker, and the page number it names (1 when none).

    ``https://x/story?page=3`` and ``https://x/story/3/`` give
    ``("https://x/story", 3)``; ``https://x/story/`` gives ``("https://x/story", 1)``.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    number = 1
    kept = []
    for key, value in query:
        if key.lower() == "page" and value.isdigit():
            number = int(value)
        else:
            kept.append((key, value))
    path = parts.path
    if number == 1 and (match := _PAGE_SEGMENT.match(path)):
        path, number = match["stem"], int(match["n"])
    path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(kept), "")), number


def next_page(html: str, url: str) -> str | None:
    """The URL of the page after ``url`` of the same article, as its HTML links it, or None.

    ``url`` is the page's own (canonical) URL; the answer is canonical too.
    """
    stem, number = page_number(url)
    if not any(m in html for m in (f"page={number + 1}", f"/{number + 1}/", f'/{number + 1}"')):
        return None  # most pages: no link to a next page at all, and no parse on the reactor
    sel = Selector(text=html)
    hrefs = sel.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
        " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    ).getall()
    hrefs += [
        a.attrib.get("href", "")
        for a in sel.xpath("//a[@href]")
        if _NEXT_TEXT.match(" ".join(a.xpath(".//text()").getall()))
    ]
    for href in hrefs:
        candidate = canonical_url(href, url)
        if page_number(candidate) == (stem, number + 1):
            return candidate
    return None
