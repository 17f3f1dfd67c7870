"""Dates read as the page means them: day/month order, zone names and offsets kept.

A numeric date such as ``04/03/2024`` is 4 March on a British or German page
and 3 April on an American one. Its order comes first from the page's own
unambiguous dates (``13/03/2024`` can only be day-first), then from the
page's language through the CLDR short date pattern (Babel: ``en_GB``
``dd/MM/y``, ``en_US`` ``M/d/yy``); a language whose regions disagree (bare
``en``) decides nothing. Then from the source: the order its other pages'
unambiguous dates show (:func:`source_order`), which the crawl counts per
source, as no single page can. dateparser takes an order per call
(``DATE_ORDER``) or a language's default, and htmldate swaps day and month
only when one is above 12; neither remembers a site. A date that stays
ambiguous is not read at all: no date is better than a wrong one.

Values that are not ISO 8601 are read by dateparser, which knows zone names
(``EST`` is -05:00, ``CEST`` +02:00, ``BST`` +01:00) where dateutil reads
them as UTC. An offset written in the value is always kept. A North American
generic zone (``ET``, ``CT``, ``MT``, ``PT``: CLDR's "Eastern Time" and the
like, the time in force there on that day) takes the offset its region has on
that date (``July 4, 2024 10:00 ET`` is -04:00, EDT; in January -05:00, EST):
dateparser reads ``ET`` as EST and ``PT`` as PST all year, and ``CT`` or ``MT``
not at all.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

DateOrder = Literal["DMY", "MDY", "YMD"]
DAY_MONTH_ORDERS: tuple[DateOrder, ...] = ("DMY", "MDY")  # the orders a numeric date can swap
# (published, modified) as read in each day/month order, for a source's order to settle.
DateReadings = dict[DateOrder, tuple[datetime | None, datetime | None]]
YEARS = range(1990, 2101)  # a publication date outside these is a parse of something else

# An order is a source's when its pages outnumber the other order's this many times over:
# a stray quoted date of the other kind does not undo it, an even split decides nothing.
SOURCE_ORDER_MAJORITY = 9
# Day, month and year in digits with one separator: 04/03/2024, 04.03.24, 4-3-2024.
_NUMERIC = re.compile(r"(?<![\d.:/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|\.\d)")
# Where one may start: a separator, a month, a separator (scanned for by the regex engine
# far faster than a pattern that starts at every digit of a page's scripts).
_NUMERIC_HINT = re.compile(r"[./-]\d{1,2}[./-]\d\d")
# dateutil fills a missing part from its default: a part that differs between two was missing.
_DEFAULTS = (datetime(1, 1, 1), datetime(2, 2, 2))
_ZONE_NAME = re.compile(r"\b[A-Z]{2,5}\b")  # EST, CEST, BST, AEDT: dateparser knows them
# North America's generic zones (CLDR metazone names), written right after a time:
# "10:00 ET", "10 a.m. PT"; each the IANA zone of its region.
GENERIC_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
_GENERIC_ZONE = re.compile(r"(?<=[\d.mM])\s*\b(ET|CT|MT|PT)\b")
# A date as a page shows it, with its time after it or before it: "01. April 2025, 15:25",
# "25.04.24 | 14:07 Uhr", "13. Mai 2026 um 15:44", "March 4, 2024 at 10:00 EST", "2024-03-04",
# "11:11 PM EST Nov 19, 2019".
_MONTH_WORD = r"[^\W\d_]{3,}\.?"  # a month's name in any language; read_date judges it
_SHOWN_DATE = re.compile(
    r"(?<![\w.:/-])(?:\d{1,2}:\d\d\s?(?:[ap]\.?m\.?\s?)?(?:(?-i:[A-Z]{2,5})\s?)?,?\s?)?"
    rf"(?:\d{{4}}-\d\d-\d\d|\d{{1,2}}([./-])\d{{1,2}}\1(?:\d{{4}}|\d\d)"
    rf"|\d{{1,2}}\.?\s{_MONTH_WORD}\s\d{{4}}|{_MONTH_WORD}\s\d{{1,2}},?\s\d{{4}})(?![\w/-]|\.\d)"
    r"(?:\s?(?:[,|·–-]|um|at|à|alle|a las|kl\.|klo|saat)?\s?\d{1,2}[:.h]\d\d(?::\d\d)?\b"
    r"(?:\s?(?:uhr|h|[ap]\.?m\.?)(?!\w))?(?:\s?(?-i:[A-Z]{2,5})\b|\s?[+-]\d\d:?\d\d)?)?",
    re.IGNORECASE,
)
# A label saying the date after it is an update's, not the publication's.
_UPDATE_LABEL = re.compile(
    r"\b(?:updated?|modified|aktualisiert|geändert|stand|mis à jour|actualizado|aggiornato"
    r"|güncelleme|bijgewerkt|uppdaterad|oppdatert|opdateret|zaktualizowano)\b",
    re.IGNORECASE,
)
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
        for hint in _NUMERIC_HINT.finditer(text):
            # the day or month before the hint, the rest of the year and the look-ahead after
            for first, _sep, second, _year in _NUMERIC.findall(
                text, max(0, hint.start() - 2), hint.end() + 4
            ):
                a, b = int(first), int(second)
                if a > 12 >= b >= 1:
                    seen.add("DMY")
                elif b > 12 >= a >= 1:
                    seen.add("MDY")
    return frozenset(seen)


def single(orders: frozenset[DateOrder]) -> DateOrder | None:
    """The one order in ``orders``; None when there are none or several."""
    return next(iter(orders)) if len(orders) == 1 else None


def source_order(day_first_pages: int, month_first_pages: int) -> DateOrder | None:
    """The order a source's numeric dates follow, from how many of its pages showed each.

    ``(12, 0)`` → ``"DMY"``, ``(1, 9)`` → ``"MDY"``; None without evidence, or
    when neither outnumbers the other :data:`SOURCE_ORDER_MAJORITY` to one.
    """
    if day_first_pages and day_first_pages >= SOURCE_ORDER_MAJORITY * month_first_pages:
        return "DMY"
    if month_first_pages and month_first_pages >= SOURCE_ORDER_MAJORITY * day_first_pages:
        return "MDY"
    return None


def page_order(langs: Iterable[str], texts: Iterable[str] = ()) -> DateOrder | None:
    """The order a page writes numeric dates in: its unambiguous dates, else its language.

    None when neither decides (no evidence, or evidence both ways and a language
    that does not settle it).
    """
    if seen := single(orders_seen(texts)):
        return seen
    for lang in langs:
        orders = language_orders(lang) & {"DMY", "MDY"}
        if len(orders) == 1:
            return next(iter(orders))
    return None


def ambiguous(text: str) -> bool:
    """Whether ``text`` holds a numeric date whose day and month could be swapped (04/03/2024)."""
    found = _NUMERIC.search(text)
    if not found:
        return False
    first, second = int(found.group(1)), int(found.group(3))
    return first != second and first <= 12 and second <= 12


def shown_date(line: str) -> str | None:
    """The publication date a line of a page shows, with its time: the first date in
    ``line`` that no update label ("Updated", "Aktualisiert", "Stand:") comes before.

    ``"erstellt: 01. April 2025, 15:25 | 3 Kommentare"`` → ``"01. April 2025, 15:25"``;
    ``"Do 25.04.24 | 14:07 Uhr | Von Ann Lee"`` → ``"25.04.24, 14:07 Uhr"`` (a bar or
    dot between date and time becomes a comma, which dateutil and dateparser read);
    None when the line shows no date, or only an update's. What is returned may
    still not be a date (a word that is no month): :func:`read_date` judges.
    """
    start = 0
    for found in _SHOWN_DATE.finditer(line):
        if not _UPDATE_LABEL.search(line, start, found.start()):
            return re.sub(r"\s*[|·]\s*", ", ", found.group(0))
        start = found.end()
    return None


def iso_date(value: object) -> datetime | None:
    """An ISO 8601 value read by the standard library alone; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.year in YEARS else None


def read_date(
    value: object, order: DateOrder | None = None, languages: Iterable[str] = ()
) -> datetime | None:
    """A datetime from a date string, naive where the value names no zone or offset.

    ISO 8601 first (``2024-03-04T10:00:00-04:00``); anything else through
    dateparser, with ``order`` for numeric dates and ``languages`` (ISO 639-1
    codes, English always added) for month names. A numeric date whose day
    and month could be swapped is read only when ``order`` is given; else
    None. None also for what is no date, a relative one ("vor 5 Minuten"),
    or a year outside 1990-2100.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    parsed = iso_date(text)
    if parsed is not None:
        return parsed
    if order is None and ambiguous(text):
        return None
    generic = _GENERIC_ZONE.search(text)
    if generic:
        text = f"{text[: generic.start()]} {text[generic.end() :]}".strip()
    parsed = _dateutil(text, order) or _dateparser(text, order, languages)
    if parsed is None or parsed.year not in YEARS:
        return None
    return in_zone(parsed, GENERIC_ZONES[generic.group(1)]) if generic else parsed


def in_zone(wall: datetime, zone: str) -> datetime:
    """``wall`` (a clock time) with the fixed offset the IANA ``zone`` has at that moment:
    ``2024-07-04 10:00`` in ``America/New_York`` → ``10:00-04:00``."""
    return wall.replace(tzinfo=timezone(ZoneInfo(zone).utcoffset(wall.replace(tzinfo=None))))


def _dateutil(text: str, order: DateOrder | None) -> datetime | None:
    """The fast reading (0.1 ms against dateparser's 2 to 5): English words, no zone name.

    None where dateutil cannot read the value whole, or would drop a zone name it
    does not know (it reads "EST" as no zone at all), or a part is missing.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            parsed, again = (
                dateutil_parser.parse(text, dayfirst=order == "DMY", default=default)
                for default in _DEFAULTS
            )
    except (ValueError, OverflowError):
        return None
    if parsed.date() != again.date() or (parsed.tzinfo is None and _ZONE_NAME.search(text)):
        return None
    return parsed


def _dateparser(text: str, order: DateOrder | None, languages: Iterable[str]) -> datetime | None:
    import dateparser  # 0.25 s to import; only pages with non-ISO dates need it

    numeric = _NUMERIC.search(text)
    if order is None and numeric:
        order = "DMY" if int(numeric.group(1)) > 12 else "MDY"
    settings = {**_DATEPARSER_SETTINGS, "DATE_ORDER": order or "MDY"}
    # Naming the page's languages spares dateparser trying all of its 200 locales, which
    # took 30 ms to 1 s a value here against 2 to 5 ms.
    codes = list(dict.fromkeys([*languages, "en"]))
    for langs in (codes, ["en"]):
        try:
            return dateparser.parse(text, languages=langs, settings=settings)
        except ValueError:  # a language dateparser does not know
            continue
        except (OverflowError, TypeError, AttributeError):
            return None
    return None
