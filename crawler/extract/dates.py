"""Dates read as the page means them: day/month order, zone names and offsets kept.

A numeric date such as ``04/03/2024`` is 4 March on a British or German page
and 3 April on an American one. Its order comes first from the page's own
unambiguous dates (``13/03/2024`` can only be day-first), then from the
page's language through the CLDR short date pattern (Babel: ``en_GB``
``dd/MM/y``, ``en_US`` ``M/d/yy``); a language whose regions disagree (bare
``en``) decides nothing, and a date that stays ambiguous is not read at all:
no date is better than a wrong one.

Values that are not ISO 8601 are read by dateparser, which knows zone names
(``EST`` is -05:00, ``CEST`` +02:00, ``BST`` +01:00) where dateutil reads
them as UTC. An offset written in the value is always kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

DateOrder = Literal["DMY", "MDY", "YMD"]
YEARS = range(1990, 2101)  # a publication date outside these is a parse of something else

# Day, month and year in digits with one separator: 04/03/2024, 04.03.24, 4-3-2024.
_NUMERIC = re.compile(r"(?<![\d.:/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|\.\d)")
_DATEPARSER_SETTINGS: dict[str, Any] = {
    "PARSERS": ["custom-formats", "absolute-time"],  # never "3 hours ago" against today
    "REQUIRE_PARTS": ["day", "month", "year"],  # never a day filled in from today
}


@lru_cache(maxsize=256)
def language_orders(lang: str) -> frozenset[DateOrder]:
    """The day/month/year orders a language tag writes short dates in (CLDR, via Babel).

    ``"en-GB"`` → ``{"DMY"}``, ``"en-US"`` → ``{"MDY"}``, ``"de"`` → ``{"DMY"}``;
    a bare language gives the orders of all its regions (``"en"`` → both
    ``DMY`` and ``MDY``, so it decides nothing). An unknown tag gives ``{}``.
    """
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_date_format
    from babel.localedata import locale_identifiers

    tag = lang.strip().replace("-", "_")
    try:
        locale = Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        return frozenset()
    if locale.territory:
        locales = [locale]
    else:
        locales = [
            Locale.parse(ident)
            for ident in locale_identifiers()
            if ident.split("_", 1)[0] == locale.language
        ]
    orders: set[DateOrder] = set()
    for loc in locales:
        pattern = get_date_format("short", locale=loc).pattern
        positions = sorted((pattern.find(c), c) for c in "dMy" if c in pattern)
        order = "".join(c for _, c in positions).upper()
        if order in ("DMY", "MDY", "YMD"):
            orders.add(order)  # type: ignore[arg-type]
    return frozenset(orders)


def orders_seen(texts: Iterable[str]) -> frozenset[DateOrder]:
    """The orders that unambiguous numeric dates in ``texts`` show (``13/03/2024`` → DMY)."""
    seen: set[DateOrder] = set()
    for text in texts:
        for first, _sep, second, _year in _NUMERIC.findall(text):
            a, b = int(first), int(second)
            if a > 12 >= b >= 1:
                seen.add("DMY")
            elif b > 12 >= a >= 1:
                seen.add("MDY")
    return frozenset(seen)


def page_order(langs: Iterable[str], texts: Iterable[str] = ()) -> DateOrder | None:
    """The order a page writes numeric dates in: its unambiguous dates, else its language.

    None when neither decides (no evidence, or evidence both ways and a language
    that does not settle it).
    """
    seen = orders_seen(texts)
    if len(seen) == 1:
        return next(iter(seen))
    for lang in langs:
        orders = language_orders(lang) & {"DMY", "MDY"}
        if len(orders) == 1:
            return next(iter(orders))
    return None


def read_date(value: object, order: DateOrder | None = None) -> datetime | None:
    """A datetime from a date string, naive where the value names no zone or offset.

    ISO 8601 first (``2024-03-04T10:00:00-04:00``); anything else through
    dateparser, with ``order`` for numeric dates. A numeric date whose day
    and month could be swapped (both 12 or less, and different) is read only
    when ``order`` is given; else None. None also for what is no date, a
    relative one ("vor 5 Minuten"), or a year outside 1990-2100.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _dateparser(text, order)
    if parsed is None or parsed.year not in YEARS:
        return None
    return parsed


def _dateparser(text: str, order: DateOrder | None) -> datetime | None:
    numeric = _NUMERIC.search(text)
    if numeric:
        first, second = int(numeric.group(1)), int(numeric.group(3))
        if order is None and first != second and first <= 12 and second <= 12:
            return None
        if order is None:
            order = "DMY" if first > 12 else "MDY"
    import dateparser  # 0.25 s to import; only pages with non-ISO dates need it

    settings = {**_DATEPARSER_SETTINGS, "DATE_ORDER": order or "MDY"}
    try:
        return dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
