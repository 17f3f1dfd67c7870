"""Text both databases accept: no NUL characters, no lone surrogates.

PostgreSQL refuses a NUL (U+0000) in any text value (psycopg raises
``DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes``), and neither database
driver can encode a lone surrogate (U+D800-U+DFFF unpaired) to UTF-8, nor can
the content hash. Both reach a page's metadata through JSON-LD, whose
``\\u0000`` and ``\\ud800`` escapes ``json.loads`` decodes as they are
(RFC 8259 section 8.2 leaves unpaired surrogates undefined). Extraction
passes every article it hands over through :func:`safe_article`
(:func:`crawler.extract.page.clean_article`).
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

T = TypeVar("T")


def safe_text(value: str) -> str:
    """``value`` with every NUL removed and every lone surrogate replaced by U+FFFD.

    A surrogate pair written as two escapes (``\\ud83d\\ude00``) becomes the
    one character it encodes.
    """
    value = value.replace("\x00", "")
    if value.isascii():
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def safe_article(article: T) -> T:
    """A copy of the dataclass ``article`` with :func:`safe_text` applied to every string
    field and every string in a list field; other fields (dates, flags) stay as they are."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(article):  # type: ignore[arg-type]
        value = getattr(article, f.name)
        if isinstance(value, str):
            changes[f.name] = safe_text(value)
        elif isinstance(value, list):
            changes[f.name] = [safe_text(v) if isinstance(v, str) else v for v in value]
    return dataclasses.replace(article, **changes)  # type: ignore[type-var]
