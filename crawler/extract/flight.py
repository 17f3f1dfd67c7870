"""The story a client-rendered page ships only in its React Flight payload.

A Next.js App Router page may send an empty shell (a spinner) and the
article's HTML as data for the browser to render: the React Flight stream,
written into the page as ``self.__next_f.push([1, "<chunk>"])`` scripts whose
JavaScript strings, joined, are the stream. The stream is a series of rows
``<id>:<tag><data>``; a text row (tag ``T``) is ``<id>:T<length in hex>,``
then that many UTF-8 bytes of text, which is where a CMS's article HTML
travels (React's ``ReactFlightClient``, ``processFullBinaryRow``; Next.js's
``next/dist/client/app-index``, which reads ``self.__next_f``). The body
finder reads those HTML rows when the page's own markup holds no story.
"""

from __future__ import annotations

import json
import re

# One pushed chunk: a JavaScript string literal, which JSON reads (React writes it with
# JSON.stringify, escaping "<" as \u003c).
_PUSH = re.compile(r'self\.__next_f\.push\(\[1,\s*("(?:[^"\\]|\\.)*")\]\)')
_TEXT_ROW = re.compile(rb"([0-9a-f]+):T([0-9a-f]+),")
_MARKUP = re.compile(r"<(?:p|div|table|h[1-6]|br)\b", re.IGNORECASE)


def flight_payload(html: str) -> bytes:
    """The page's React Flight stream (its pushed chunks joined), UTF-8; empty if none.

    A chunk JSON cannot read (never seen, but a page is free to write one) is left out.
    """
    if "__next_f" not in html:
        return b""
    chunks = []
    for literal in _PUSH.findall(html):
        try:
            chunks.append(json.loads(literal))
        except ValueError:
            continue
    return "".join(chunks).encode("utf-8")


def text_rows(payload: bytes) -> list[str]:
    """The text (``T``) rows of a Flight stream, in order, each decoded as UTF-8.

    A row's length counts bytes; a row cut short (a truncated page) gives what is there.
    """
    rows = []
    pos = 0
    while match := _TEXT_ROW.search(payload, pos):
        end = match.end() + int(match.group(2), 16)
        rows.append(payload[match.end() : end].decode("utf-8", "replace"))
        pos = end
    return rows


def flight_html(html: str) -> str:
    """The HTML the page's Flight stream carries as text (the rows holding block markup),
    joined in order; empty when the page has none."""
    return "\n".join(row for row in text_rows(flight_payload(html)) if _MARKUP.search(row))
