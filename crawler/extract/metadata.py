"""Article metadata from the most trustworthy source a page offers.

Precedence, most trusted first: JSON-LD, microdata, OpenGraph and article
``<meta>`` tags, ``<time>`` elements, and last the visible byline. Publishers
write structured data for search engines and keep it right; the visible page
is for people and carries more noise.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as dateparser
from extruct.jsonld import JsonLdExtractor
from extruct.w3cmicrodata import LxmlMicrodataExtractor
from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "TechArticle",
        "ScholarlyArticle",
        "Report",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "Blog",
    }
)
_JSONLD = JsonLdExtractor()
_MICRODATA = LxmlMicrodataExtractor()
_BY = re.compile(r"^\s*(?:by|von|par|por|written by|words by)\s*[:\-]?\s*", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.IGNORECASE)
_BYLINE_XPATH = (
    "//*[@rel='author' or contains(concat(' ', normalize-space(@class), ' '), ' byline ')"
    " or contains(@class, 'author-name') or @itemprop='author'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' author ')]"
)


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a page says about itself, each field from the best source present."""

    title: str | None
    authors: list[str]
    published: datetime | None
    modified: datetime | None
    canonical: str | None
    has_article_markup: bool


def parse_date(value: object) -> datetime | None:
    """An aware datetime from an ISO 8601 or RFC 2822-ish string; None if it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            with warnings.catch_warnings():  # an unknown zone name ("IST") is read as UTC below
                warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
                parsed = dateparser.parse(text, fuzzy=False)
        except (ValueError, OverflowError, dateparser.ParserError):
            return None
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type") or item.get("type") or []
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _walk_jsonld(items: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from _walk_jsonld(graph)
        elif isinstance(item, list):
            yield from _walk_jsonld(item)


def _article_items(
    tree: HtmlElement, url: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(JSON-LD article objects, microdata article properties), best first."""
    try:
        jsonld = [
            i
            for i in _walk_jsonld(_JSONLD.extract_items(tree, base_url=url))
            if _types(i) & ARTICLE_TYPES
        ]
    except Exception:
        jsonld = []
    try:
        micro = [
            i.get("properties", {})
            for i in _MICRODATA.extract_items(tree, url or None)
            if _types(i) & ARTICLE_TYPES
        ]
    except Exception:
        micro = []
    return jsonld, micro


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD/microdata author value (str, object, or list)."""
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for v in values:
        if isinstance(v, dict):
            v = v.get("name") or v.get("properties", {}).get("name")
        if isinstance(v, list):
            names.extend(_names(v))
        elif isinstance(v, str) and v.strip() and not v.strip().startswith("http"):
            names.append(" ".join(v.split()))
    return names


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """Every ``<meta>`` with content, by lower-case property, name or itemprop; first wins."""
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = (el.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                tags.setdefault(key.strip().lower(), content)
    return tags


def _meta(tags: dict[str, str], *keys: str) -> str | None:
    return next((tags[k.lower()] for k in keys if k.lower() in tags), None)


def split_authors(byline: str) -> list[str]:
    """``"By Ann Lee and Bo Chen | Staff"`` → ``["Ann Lee", "Bo Chen"]`` (no roles, no dates)."""
    text = _BY.sub("", " ".join(byline.split()))
    text = re.split(r"\s[·•—–-]\s|\s(?:on|updated|published)\s", text, maxsplit=1)[0]
    names = [n.strip(" .") for n in _AUTHOR_SPLIT.split(text)]
    return [
        n
        for n in names
        if n
        and len(n.split()) <= 5
        and not any(c.isdigit() for c in n)
        and n.lower() not in {"staff", "staff writer", "editor", "reporter"}
    ]


def _first(*candidates: Any) -> Any:
    for c in candidates:
        if c:
            return c
    return None


def _title(
    tree: HtmlElement,
    tags: dict[str, str],
    jsonld: list[dict[str, Any]],
    micro: list[dict[str, Any]],
) -> str | None:
    h1 = tree.xpath("normalize-space(//h1[1])")
    page_title = tree.xpath("normalize-space(//title)")
    title = _first(
        *(j.get("headline") or j.get("name") for j in jsonld),
        *(m.get("headline") or m.get("name") for m in micro),
        _meta(tags, "og:title", "twitter:title"),
        h1,
        page_title,
    )
    if isinstance(title, list):
        title = title[0] if title else None
    return " ".join(str(title).split()) if title else None


def _authors(
    tree: HtmlElement,
    tags: dict[str, str],
    jsonld: list[dict[str, Any]],
    micro: list[dict[str, Any]],
) -> list[str]:
    for item in (*jsonld, *micro):
        names = _names(item.get("author") or item.get("creator"))
        if names:
            return list(dict.fromkeys(names))
    meta = _meta(tags, "author", "article:author", "dc.creator", "parsely-author")
    if meta and not meta.startswith("http"):
        return split_authors(meta)
    for node in tree.xpath(_BYLINE_XPATH)[:3]:
        names = split_authors(node.text_content())
        if names:
            return names
    return []


def _dates(
    tree: HtmlElement,
    tags: dict[str, str],
    jsonld: list[dict[str, Any]],
    micro: list[dict[str, Any]],
) -> tuple[datetime | None, datetime | None]:
    def pick(keys: tuple[str, ...], meta_keys: tuple[str, ...]) -> datetime | None:
        for item in (*jsonld, *micro):
            for key in keys:
                value = item.get(key)
                value = value[0] if isinstance(value, list) and value else value
                if parsed := parse_date(value):
                    return parsed
        return parse_date(_meta(tags, *meta_keys))

    published = pick(
        ("datePublished", "dateCreated"),
        (
            "article:published_time",
            "og:published_time",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "DC.date.issued",
            "sailthru.date",
            "parsely-pub-date",
        ),
    )
    if published is None:
        times = tree.xpath(
            "//time[@pubdate]/@datetime | //article//time/@datetime | //time/@datetime"
        )
        published = next((d for d in map(parse_date, times) if d), None)
    modified = pick(
        ("dateModified",), ("article:modified_time", "og:updated_time", "last-modified")
    )
    return published, modified


def extract_metadata(tree: HtmlElement, url: str = "") -> Metadata:
    """Read title, authors, dates, canonical URL and article markers from a parsed page."""
    jsonld, micro = _article_items(tree, url)
    tags = meta_tags(tree)
    published, modified = _dates(tree, tags, jsonld, micro)
    canonical = _first(*tree.xpath("//link[@rel='canonical']/@href"), _meta(tags, "og:url"))
    og_type = (_meta(tags, "og:type") or "").lower()
    # One <article> marks an article page; several are the cards of a listing.
    markup = bool(jsonld or micro or og_type == "article" or len(tree.xpath("//article")) == 1)
    return Metadata(
        title=_title(tree, tags, jsonld, micro),
        authors=_authors(tree, tags, jsonld, micro),
        published=published,
        modified=modified,
        canonical=str(canonical).strip() if canonical else None,
        has_article_markup=markup,
    )
