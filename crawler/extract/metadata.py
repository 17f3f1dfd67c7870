"""Article metadata from the most trustworthy source a page offers.

Precedence, most trusted first: JSON-LD, microdata, OpenGraph and article
``<meta>`` tags, ``<time>`` elements, and last the visible page (for authors:
its byline, then a labelled "Author" field, then a bold line of names
opening or closing the prose). Publishers
write structured data for search engines and keep it right; the visible page
is for people and carries more noise. Every value is HTML-unescaped (twice
where a CMS encoded it twice: ``&amp;#039;``); a title loses an SEO tail
naming the site (`` | Site``, `` - Site``); author values keep people only
(:mod:`crawler.extract.authors`); dates follow the page's day/month order
and keep their zone (:mod:`crawler.extract.dates`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from itertools import islice, pairwise
from typing import Any
from urllib.parse import urlsplit

from extruct.jsonld import JsonLdExtractor
from extruct.w3cmicrodata import LxmlMicrodataExtractor
from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.authors import (
    ROLE_WORDS,
    Outlet,
    clean_authors,
    compact,
    credits_someone,
    inverted,
    is_person,
    split_byline,
)
from crawler.extract.blocks import following
from crawler.extract.body import MAX_PROSE_LINK_DENSITY, MIN_ARTICLE_PARAGRAPH_CHARS
from crawler.extract.datelines import shown_dates
from crawler.extract.dates import (
    DAY_MONTH_ORDERS,
    DateOrder,
    DateReadings,
    ambiguous,
    iso_date,
    orders_seen,
    page_order,
    read_date,
    single,
)

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
BYLINE_NODES = 5  # the first few byline-like elements; later ones are teasers' and bios'
BYLINE_CHARS = 200  # a longer element is an author box or a list, not a byline
CONTROL_DEPTH = 3  # a name inside a button: <button><span class="author">...</span></button>
LABELLED_CHARS = 80  # a labelled author field's value: a few names, not a sentence
HEADER_ELEMENTS = 40  # elements after the h1 that hold the article's header (date, byline)
SITE_TAIL_WORDS = 3  # "Daily Mail Online": longer tails are a headline's own words
NOTICE_CHARS = 300  # a copyright line with its imprint; a longer element is a whole footer
ORGANIZATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})
_JSONLD = JsonLdExtractor()
# The microdata properties read here: an article's (_title, _authors, _dates), and an
# author's (_names: the item given as an article's author or creator, or as its name).
_ARTICLE_PROPERTIES = frozenset(
    {"headline", "name", "author", "creator", "datePublished", "dateCreated", "dateModified"}
)
_AUTHOR_PROPERTIES = frozenset({"name", "givenName", "familyName", "url"})


def _properties_read(item: HtmlElement) -> frozenset[str]:
    """The properties read of a microdata item element: an article's, as :func:`_types`
    tells one, and an author's where the item is the value of an author, creator or name."""
    read: frozenset[str] = frozenset()
    if any(kind.rsplit("/", 1)[-1] in ARTICLE_TYPES for kind in item.get("itemtype", "").split()):
        read |= _ARTICLE_PROPERTIES
    if not {"author", "creator", "name"}.isdisjoint(item.get("itemprop", "").split()):
        read |= _AUTHOR_PROPERTIES
    return read


class _MicrodataReader(LxmlMicrodataExtractor):
    """extruct's microdata reader, without the text of properties nothing here reads.

    extruct gives a property without a URL, ``content`` or ``datetime`` its element's text,
    read from a cleaned copy of the element: an article's ``articleBody`` is the whole
    article copied and read again, and every breadcrumb's and organisation's name is read.
    A property no name of which :func:`_properties_read` lists for its item keeps its place
    with ``""``; one that is an item (``itemscope``) is read as before, so nested items
    are still never taken for top-level ones. (Properties an ``itemref`` brings in are
    read whole.) Nor is an item without properties given its text as its ``value``
    (a page's ``WebPage`` or navigation wrapper: its whole text): no value is read here.
    """

    def _extract_property_value(
        self,
        node: HtmlElement,
        items_seen: set[Any],
        base_url: str | None,
        itemids: Any,
        force: bool = False,
    ) -> Any:
        if force:  # an item's own value, asked for when it has no properties
            return ""
        return super()._extract_property_value(
            node, items_seen=items_seen, base_url=base_url, itemids=itemids
        )

    def _extract_properties(
        self, node: HtmlElement, items_seen: set[Any], base_url: str | None, itemids: Any
    ) -> Iterator[tuple[str, Any]]:
        read = _properties_read(node)
        for prop in self._xp_prop(node):
            names = prop.get("itemprop", "").split()
            if prop.get("itemscope") is None and read.isdisjoint(names):
                yield from ((name, "") for name in names)
            else:
                yield from self._extract_property(
                    prop, items_seen=items_seen, base_url=base_url, itemids=itemids
                )


_MICRODATA = _MicrodataReader()
# Marked as a byline: rel/itemprop author, or a class naming an author or a byline
# ("uthor" and "yline" match "Author" and "Byline" too, without lower-casing every class);
# or a link to an author's page ("/author/ann-lee", "/autoren/name/max-kolter"), a byline
# when its text is a person's name. The attributes are matched, then their elements taken
# (``/..``), in document order: testing four attributes on every element took twice as long.
# An href is tested for "/aut" before the five paths (each test copies the value): a third
# of the time.
_AUTHOR_HREF = " or ".join(
    f"contains(., '/{path}/')" for path in ("author", "authors", "autor", "autoren", "auteur")
)
_BYLINE_CANDIDATES = XPath(
    "(//@class[contains(., 'uthor') or contains(., 'yline')] | //@rel[. = 'author']"
    f" | //@itemprop[. = 'author'] | //a/@href[contains(., '/aut')][{_AUTHOR_HREF}])/.."
)
# An author page's path, with the account's name: "/author/admin/", "/autoren/anna-berg".
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor|autoren|auteurs?|users?|profiles?)/([^/]+)/?$", re.I)
# Interface controls whose class or role names an author ("follow author", "edit topics").
_CONTROLS = frozenset({"button", "input", "select", "option", "textarea"})
_CONTROL_CLASS = re.compile(r"(?:^|\s)(?:\S*(?:btn|button)|btn-\S*)(?:\s|$)", re.IGNORECASE)
# A link to a listing page: a section, category, tag or topic ("/news/category/29/...").
_LISTING_PATH = re.compile(
    r"/(?:categor(?:y|ies)|kategorie|sections?|tags?|topics?|themen?|rubriken?|ressorts?)/",
    re.IGNORECASE,
)
# Words of a title-case subheading that no name holds ("The Road Ahead", "How We Voted").
_FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "of", "to", "for", "in", "on", "at", "with", "how", "why", "what"}
    | {"our", "your", "my", "this", "is", "are", "die", "das", "ein", "eine", "und", "im"}
    | {"mit", "für", "les", "des", "une", "pour", "con", "por", "para"}
)
# A field's label naming its value the author(s): "Author", "Autorin/Autor", "Auteurs :".
_AUTHOR_LABEL = re.compile(
    r"^(?:(?:author|autor|auteur|autore|autori|forfatter|författare)\w{0,5}\s*/?\s*)+:?$",
    re.IGNORECASE,
)
# Elements with children whose first text holds a colon: those that may be led by a label.
_LABEL_LED = "//*[* and contains(text()[1], ':')]"
# "By" as a field's label, with its colon: "Von:", "By:", "Par :".
_BY_LABEL = re.compile(r"^(?:by|von|par|por|door|av|af|di)\s*:$", re.IGNORECASE)
# Yoast SEO's "Written by" pair: twitter:label1 = "Written by", twitter:data1 = the name.
_WRITTEN_BY = re.compile(
    r"^(?:written by|geschrieben von|verfasst von|écrit par|escrito por)$", re.I
)
# Between a byline's name and its date: "Ann Lee | 05.04.2025", "Ann Lee · March 4, 2024".
_ROW_SEPARATOR = re.compile(r"\s*[|·•]\s*|\s+[–—-]\s+")
# Between a headline and the site's name in a <title>: "Story | Site", "Story - Site".
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·:/»]\s+|\s*\|\s*")
# A copyright notice, and the holder it names: "© 2024 Valley Times Ltd.", "Copyright 1998-2024
# by X", "(c) X | Imprint". The holder runs to the end of the notice's sentence or field.
_COPYRIGHT = re.compile(
    r"(?:(?:©|\(c\)|\bcopyright\b)\s*)+(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?:by\s+)?"
    r"([^.,;:|·•©\d]{2,80})",
    re.IGNORECASE,
)
# Text nodes that may hold a copyright notice: "©", "(c)", "Copyright", "COPYRIGHT" (plain
# contains(): a translate() to lower case over every text node took 4.3 s beside 9.3 s of
# extraction on fundus).
_COPYRIGHT_TEXT = XPath(
    "//body//text()[not(parent::script or parent::style)][contains(., '©') or contains(., '(c)')"
    " or contains(., '(C)') or contains(., 'opyright') or contains(., 'OPYRIGHT')]"
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "article:published:time",
    "og:article:published_time",
    "pubdate",
    "publishdate",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
# What a reader sees of a page: its text outside scripts and styles, whose numbers
# ("?v=1.13.24", a widget's "03/14/2024") are no date the page writes.
_VISIBLE_TEXT = "//text()[not(ancestor::script or ancestor::style)]"
_MODIFIED_META = ("article:modified_time", "og:updated_time", "last-modified")


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a page says about itself, each field from the best source present."""

    title: str | None
    authors: list[str]
    published: datetime | None
    modified: datetime | None
    canonical: str | None
    has_article_markup: bool
    # The day/month order the page's date fields show unambiguously (13/03/2024: "DMY"),
    # which its source learns from; and when an ambiguous one stayed unread because the
    # page could not tell its order, (published, modified) as read in each order.
    date_order: DateOrder | None = None
    dates_if_order: DateReadings = field(default_factory=dict)
    # The page's summaries of itself, in trust order, each once: JSON-LD article
    # descriptions, then <meta name="description">, og:description, twitter:description.
    descriptions: tuple[str, ...] = ()


def unescape(value: object) -> str:
    """A metadata string with HTML entities decoded and whitespace folded; ``""`` if none.

    Decoded until stable (at most three rounds), so ``&amp;#039;`` — an
    apostrophe a CMS encoded twice — becomes ``'``. A list gives its first item.
    """
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, str):
        return ""
    for _ in range(3):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return " ".join(value.split())


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type") or item.get("type") or []
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _declares_article(tree: HtmlElement) -> bool:
    """Whether an element's ``itemtype`` names an article type (as :func:`_types` reads one).

    Without one no microdata item can be an article, so extruct's reading of the page's
    other items (breadcrumbs, the organisation, each with its properties' text) is skipped:
    most of microdata's cost, 1.1 ms a page on the dev half and 1.7 on fundus (measured),
    for nothing kept.
    """
    return any(
        kind.rsplit("/", 1)[-1] in ARTICLE_TYPES
        for value in tree.xpath("//@itemtype")
        for kind in str(value).split()
    )


def _walk_jsonld(
    items: Iterable[Any], inside: tuple[str, ...] = ("@graph",)
) -> Iterator[dict[str, Any]]:
    """Every JSON-LD node of ``items``, and the nodes under each one's ``inside`` keys."""
    for item in items:
        if isinstance(item, dict):
            yield item
            for key in inside:
                inner = item.get(key)
                if isinstance(inner, (list, dict)):
                    yield from _walk_jsonld(inner if isinstance(inner, list) else [inner], inside)
        elif isinstance(item, list):
            yield from _walk_jsonld(item, inside)


@dataclass(frozen=True, slots=True)
class _Structured:
    """A page's JSON-LD and microdata: article objects best first, and every JSON-LD node by @id."""

    jsonld: list[dict[str, Any]]
    micro: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]
    # Articles given as a page's ``mainEntity`` (schema.org: the primary thing a WebPage is
    # about), for dates only: their headline was an SEO variant of the shown title on fundus.
    main_entities: list[dict[str, Any]] = field(default_factory=list)


def _structured(tree: HtmlElement, url: str) -> _Structured:
    try:
        items = _JSONLD.extract_items(tree, base_url=url)
    except Exception:
        items = []
    nodes = list(_walk_jsonld(items))
    seen = {id(node) for node in nodes}
    nested = [n for n in _walk_jsonld(items, ("@graph", "mainEntity")) if id(n) not in seen]
    try:
        micro = [
            i.get("properties", {})
            for i in (
                _MICRODATA.extract_items(tree, url or None) if _declares_article(tree) else ()
            )
            if _types(i) & ARTICLE_TYPES
        ]
    except Exception:
        micro = []
    return _Structured(
        jsonld=[i for i in nodes if _types(i) & ARTICLE_TYPES],
        micro=micro,
        by_id={str(i["@id"]): i for i in nodes if isinstance(i.get("@id"), str)},
        main_entities=[i for i in nested if _types(i) & ARTICLE_TYPES],
    )


def _names(value: Any, data: _Structured) -> list[str]:
    """Person names from a JSON-LD/microdata author value (str, object, @id reference, or list).

    Organisations are not authors (schema.org ``Organization``), nor is a
    site's account named by a role in its URL (``/author/admin/``); a person
    given as ``givenName`` + ``familyName`` is joined in that order.
    """
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for v in values:
        if isinstance(v, dict):
            v = data.by_id.get(str(v.get("@id")), v) if set(v) <= {"@id", "@type"} else v
            props = v.get("properties", v)
            if _types(v) & ORGANIZATION_TYPES or _role_account(props):
                continue
            v = props.get("name") or " ".join(
                unescape(props.get(k)) for k in ("givenName", "familyName") if props.get(k)
            )
        if isinstance(v, list):
            names.extend(_names(v, data))
        elif text := unescape(v):
            names.append(text)
    return names


def _role_account(person: dict[str, Any]) -> bool:
    """Whether an author object's page is a role's account: ``.../author/admin/``."""
    return any(_role_account_url(str(person.get(key) or "")) for key in ("url", "@id"))


def _role_account_url(url: str) -> bool:
    """Whether ``url`` is the author page of a role, not a person: ``/author/admin/``."""
    page = _AUTHOR_PAGE.search(urlsplit(url).path)
    return bool(page) and page.group(1).casefold() in ROLE_WORDS


def _meta_lists(tree: HtmlElement) -> dict[str, list[str]]:
    """Every ``<meta>`` content, by lower-case property, name, itemprop or http-equiv, in page order."""
    tags: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = unescape(el.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                tags.setdefault(key.strip().lower(), []).append(content)
    return tags


def _meta(tags: dict[str, list[str]], *keys: str) -> str | None:
    return next((tags[k][0] for k in keys if k in tags), None)


def _first(*candidates: Any) -> Any:
    for c in candidates:
        if c:
            return c
    return None


def outlet(url: str, tags: dict[str, list[str]], data: _Structured) -> Outlet:
    """The site's own names: og:site_name and publisher names, and its host's labels.

    ``https://www.n-tv.de/x`` gives hosts ``n-tv.de`` and ``n-tv``; a publisher
    named "Deutsche Welle (www.dw.com)" gives ``deutschewelle``.
    """
    named = [
        *(tags.get(k, [""])[0] for k in ("og:site_name", "application-name", "publisher")),
        *(n for item in data.jsonld for n in _names(item.get("publisher"), data)),
    ]
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = [label for label in host.split(".")[:-1] if len(label) > 1]
    generic = {"", "com", "co", "org", "net"}
    return Outlet(
        names=frozenset({compact(re.sub(r"\([^)]*\)", "", n)) for n in named} - generic),
        hosts=frozenset({host, *labels} - generic),
    )


def copyright_holders(tree: HtmlElement) -> frozenset[tuple[str, ...]]:
    """The holders the page's copyright notices name, as case-folded words:
    ``<font size="1">Copyright Valley Times Ltd.</font>`` gives ``("valley", "times", "ltd")``.

    A notice is read in the element holding it (its holder may be a link beside it:
    ``© 2024 <a href="/">Valley Times</a>``), or alone when that element holds more than
    a footer line (:data:`NOTICE_CHARS`)."""
    holders: set[tuple[str, ...]] = set()
    for text in _COPYRIGHT_TEXT(tree):
        el = text.getparent()
        el = el.getparent() if text.is_tail and el.getparent() is not None else el
        around = el.text_content() if _text_within(el, NOTICE_CHARS) else str(text)
        notice = " ".join(around.split())
        for found in _COPYRIGHT.finditer(notice):
            if words := _words(found.group(1)):
                holders.add(words)
    return frozenset(holders)


def _held_by(part: str, holders: frozenset[tuple[str, ...]]) -> bool:
    """Whether a title's part is the name a copyright notice gives the site, or its first
    words ("Valley Times" of "Valley Times Ltd")."""
    words = _words(part)
    return bool(words) and any(holder[: len(words)] == words for holder in holders)


def _words(text: str) -> tuple[str, ...]:
    """``text``'s words, case-folded: how a copyright holder and a title's part compare."""
    return tuple(re.findall(r"\w+", text.casefold()))


def _without_site_tail(
    title: str,
    others: set[str],
    site: Outlet,
    holders: Callable[[], frozenset[tuple[str, ...]]] = frozenset,
) -> str:
    """``"Story | Site"`` → ``"Story"`` when the tail names the site (its names, its host, the
    holder of its copyright notice: ``holders()``, asked only when nothing else tells, see
    :func:`copyright_holders`) or the rest is another headline."""
    for sep in _TITLE_SEPARATOR.finditer(title):
        head, tail = title[: sep.start()], title[sep.end() :]
        if len(head) < 8:
            continue
        if head.casefold() in others or any(
            _names_site(part, site) or _held_by(part, holders())
            for part in _TITLE_SEPARATOR.split(tail)
        ):
            return head
    return title


def _without_site_prefix(title: str, others: set[str], site: Outlet) -> str:
    """``"Site | Story"`` → ``"Story"`` when the head names the site, and ``"Section - Story"``
    → ``"Story"`` when the rest is another of the page's headlines (its ``og:title``,
    ``<h1>``): the mirror of :func:`_without_site_tail`, at the same separators. A head must
    be the site's name itself: "Demo Gazette staff - a year on" is a headline."""
    for sep in _TITLE_SEPARATOR.finditer(title):
        head, rest = title[: sep.start()], title[sep.end() :]
        if len(rest) < 8:
            break
        if rest.casefold() in others:
            return rest
        if all(_names_site(part, site, begins=False) for part in _TITLE_SEPARATOR.split(head)):
            return _without_site_prefix(rest, others, site)
    return title


def _names_site(part: str, site: Outlet, begins: bool = True) -> bool:
    """Whether a title's part names the site: its name or host ("Golem.de"), or where
    ``begins``, a short part (:data:`SITE_TAIL_WORDS` words at most) that begins with one
    ("Daily Mail Online")."""
    key = compact(part)
    short = begins and len(part.split()) <= SITE_TAIL_WORDS
    names = site.names | {compact(h) for h in site.hosts}
    return bool(key) and any(
        key == n or (short and len(n) > 2 and key.startswith(n)) for n in names
    )


def _title(
    tree: HtmlElement, tags: dict[str, list[str]], data: _Structured, site: Outlet
) -> str | None:
    candidates = [
        unescape(c)
        for c in (
            *(j.get("headline") or j.get("name") for j in data.jsonld),
            *(m.get("headline") or m.get("name") for m in data.micro),
            _meta(tags, "headline"),
            _meta(tags, "og:title"),
            _meta(tags, "twitter:title"),
            _first(*(h.text_content() for h in tree.iter("h1"))),
            tree.xpath("string(//title)"),
        )
    ]
    # "… and more": a line that continues another (a deck marked up as the headline)
    candidates = [c for c in candidates if c and not c.startswith(("…", "..."))]
    if not candidates:
        return None
    title = candidates[0]
    others = {c.casefold() for c in candidates} - {title.casefold()}
    holders = cache(partial(copyright_holders, tree))
    return _without_site_prefix(_without_site_tail(title, others, site, holders), others, site)


def _authors(
    tree: HtmlElement,
    tags: dict[str, list[str]],
    data: _Structured,
    site: Outlet,
    title: str | None = None,
) -> list[str]:
    for item in (*data.jsonld, *data.micro):
        names = clean_authors(_names(item.get("author") or item.get("creator"), data), site)
        if names:
            return names
    # Dublin Core and Highwire citation tags write "Last, First", one tag per author.
    listed = [inverted(n) for key in ("dc.creator", "citation_author") for n in tags.get(key, [])]
    if names := clean_authors(listed, site):
        return names
    for key in ("author", "article:author", "parsely-author", "article:byline"):
        if names := clean_authors(tags.get(key, []), site):
            return names
    if names := clean_authors(_written_by(tags), site):
        return names
    return (
        _byline_authors(tree, site)
        or _labelled_authors(tree, site)
        or _name_beside_date(tree, site, _languages(tree, tags), title)
        or _bold_name_line(tree, site)
    )


def _written_by(tags: dict[str, list[str]]) -> list[str]:
    """The name an SEO plugin writes as a labelled twitter field (``twitter:label1`` "Written
    by" and ``twitter:data1``, or ``twitter:misc:Written by``), as Yoast SEO does."""
    values = [
        v
        for key, vs in tags.items()
        if key.startswith("twitter:misc:")
        for v in vs
        if _WRITTEN_BY.match(key.removeprefix("twitter:misc:"))
    ]
    for key, labels in tags.items():
        if key.startswith("twitter:label") and _WRITTEN_BY.match(labels[0]):
            values += tags.get("twitter:data" + key.removeprefix("twitter:label"), [])
    return values


def byline_elements(tree: HtmlElement, site: Outlet | None = None) -> list[HtmlElement]:
    """Visible bylines in page order: elements marked rel/itemprop author, or with a class
    naming an author or byline, and links to an author's page whose text is a person's
    name; the innermost of nested ones, so a label ("By") and a name come apart; none
    inside a comment, an interface control or the site's navigation (a ``<nav>`` or
    ``role="navigation"``: HTML's section of links to other pages, such as a menu of the
    site's columnists)."""
    marked = [
        el
        for el in _BYLINE_CANDIDATES(tree)
        if not _is_control(el)
        and not any(_role_account_url(a.get("href") or "") for a in el.iter("a"))
        and (_marked_byline(el) or is_person(" ".join(el.text_content().split()), site or Outlet()))
    ]
    members = set(marked)
    outer = {a for el in marked for a in el.iterancestors() if a in members}
    return [
        el
        for el in marked
        if el not in outer
        and not any(map(_in_comment_or_nav, el.iterancestors()))
        and "comment" not in (el.get("class") or "").lower()
    ]


def _in_comment_or_nav(el: HtmlElement) -> bool:
    """Whether ``el`` is a comment's container or the site's navigation (no byline inside)."""
    return (
        "comment" in (el.get("class") or "").lower()
        or el.tag == "nav"
        or el.get("role") == "navigation"
    )


def _marked_byline(el: HtmlElement) -> bool:
    """Whether ``el`` is marked as a byline by its rel, itemprop or class (see _BYLINE_CANDIDATES)."""
    kind = el.get("class") or ""
    return "author" in (el.get("rel"), el.get("itemprop")) or "uthor" in kind or "yline" in kind


def _is_control(el: HtmlElement) -> bool:
    """A button or form field, or an element styled or marked as one, or inside one within
    :data:`CONTROL_DEPTH` levels (a page wrapper's class says nothing): interface, not a byline."""
    return any(
        e.tag in _CONTROLS
        or e.get("role") == "button"
        or _CONTROL_CLASS.search(e.get("class") or "")
        for e in (el, *islice(el.iterancestors(), CONTROL_DEPTH))
    )


def _byline_authors(tree: HtmlElement, site: Outlet) -> list[str]:
    """Names in the page's first visible byline: its first element that holds a name-like
    part, and the elements of the same class after it (one per author) while it names people.

    A byline that credits only the outlet or an agency names no one: later elements of its
    class are other stories' bylines.
    """
    names: list[str] = []
    kind: str | None = None
    for node in byline_elements(tree, site)[:BYLINE_NODES]:
        text = _byline_text(node)
        if len(text) > BYLINE_CHARS:
            continue
        if kind is None:
            if not credits_someone(text, site):
                continue  # a bare label ("By", "Von:") or a section's name ("capital")
            kind = node.get("class") or ""
        elif (node.get("class") or "") != kind or not names:
            break
        names.extend(n for n in clean_authors([text], site) if n not in names)
    return names


def _labelled_authors(tree: HtmlElement, site: Outlet) -> list[str]:
    """Names in a labelled field: ``<strong>Author</strong> Ann Lee``, ``<dt>Autorin/Autor</dt>
    <dd>Ann Lee</dd>``, ``<th>Author:</th><td>Ann Lee</td>``, or an element led by its label,
    the names in its children: ``<li>Von: <a href="/ann-lee">Ann Lee</a></li>`` (its label
    ends in a colon there); the first such field that names someone, its value at most
    :data:`LABELLED_CHARS` long."""
    for label in tree.iter("strong", "b", "dt", "th"):  # one walk, in document order
        if not _AUTHOR_LABEL.match(" ".join(label.text_content().split())):
            continue
        value = label.tail or ""
        if not value.strip() and (after := label.getnext()) is not None:
            value = after.text_content()
        if len(value.strip()) <= LABELLED_CHARS and (names := clean_authors([value], site)):
            return names
    for el in tree.xpath(_LABEL_LED):
        lead = " ".join((el.text or "").split())
        if not lead or not (_AUTHOR_LABEL.match(lead) or _BY_LABEL.match(lead)):
            continue
        value = " ".join(el.text_content()[len(el.text) :].split())
        if len(value) <= LABELLED_CHARS and (names := clean_authors([value], site)):
            return names
    return []


def _bold_name_line(tree: HtmlElement, site: Outlet) -> list[str]:
    """Names written as a paragraph of their own, wholly in bold, right before the page's
    first paragraph of prose or right after its last: ``<p><strong>Ann Lee/Bo Chen</strong></p>``.

    Each part is a person of two words or more, every word capitalised and none a
    function word, so a bold subheading ("The road ahead", "The Road Ahead", "READ MORE"
    between paragraphs) is not taken; nor a topic line ("Climate Change", "Donald Trump"):
    a line the page's title, its ``<h1>`` or its prose names again is what the story is
    about, not who wrote it (a writer's name is in neither on the fundus pages that show one so). Only
    read when nothing else names anyone.
    """
    prose = [p for p in tree.iter("p") if _is_prose(p)]
    if not prose:
        return []

    @cache
    def told() -> str:  # the title, the <h1>s and the prose, read once a name line is found
        story = [tree.xpath("string(//title)"), *(h.text_content() for h in tree.iter("h1"))]
        return " ".join(" ".join([*story, *(p.text_content() for p in prose)]).split()).casefold()

    for p in (prose[0].getprevious(), prose[-1].getnext()):
        if p is None or p.tag != "p":
            continue
        text = " ".join(p.text_content().split())
        bold = " ".join(" ".join(p.xpath(".//text()[ancestor::strong or ancestor::b]")).split())
        if not text or bold != text or len(text) > LABELLED_CHARS:
            continue
        if _only_names(text) and not any(n.casefold() in told() for n in split_byline(text)):
            return clean_authors([text], site)
    return []


def _headline(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The page's shown headline: its first ``<h1>``, or on a page with none (an old
    layout's ``<font size="5"><b>Headline</b></font>``) the first element whose own text
    is the page's title."""
    h1 = next(tree.iter("h1"), None)
    if h1 is not None or not title:
        return h1
    return next(iter(_TEXT_IS(tree, title=title)), None)


_TEXT_IS = XPath("//body//*[normalize-space(text()) = $title]")


def _name_beside_date(
    tree: HtmlElement, site: Outlet, languages: list[str], title: str | None = None
) -> list[str]:
    """Names written beside the date under the headline, outside any element marked as a byline:
    ``<span>Ann Lee |</span><span>05.04.2025</span>``, ``<p>By Ann Lee · March 4, 2024</p>``,
    ``<tr><td>Ann Lee</td><td>04.03.2024</td></tr>``.

    Looks at the :data:`HEADER_ELEMENTS` elements after the headline (:func:`_headline`); a part
    of their text (:func:`_row_parts`) that holds names only (:func:`_only_names`)
    right before or after a part that reads as a date, at most
    :data:`LABELLED_CHARS` long.
    """
    h1 = _headline(tree, title)
    if h1 is None:
        return []
    codes = [re.split(r"[-_]", lang)[0].lower() for lang in languages]
    dates: dict[str, bool] = {}  # a row's parts come again in its ancestors' rows

    def is_date(text: str) -> bool:
        if text not in dates:  # every date has a digit: dateparser is asked only then
            short = len(text) <= LABELLED_CHARS and any(c.isdigit() for c in text)
            dates[text] = short and read_date(text, "DMY", codes) is not None
        return dates[text]

    for el in islice(following(h1), HEADER_ELEMENTS):
        if not _text_within(el, 2 * LABELLED_CHARS):
            continue
        texts = _unmarked_texts(el)
        if not any(c.isdigit() for text in texts for c in text):
            continue  # no date here
        pairs = list(pairwise(_row_parts(texts)))
        for name, beside in (*pairs, *((b, a) for a, b in pairs)):
            if (
                len(name) <= LABELLED_CHARS
                and _only_names(name)
                and is_date(beside)
                and not any(map(_marked_byline, el.iterancestors()))
            ):
                return clean_authors([name], site)
    return []


def _unmarked_texts(el: HtmlElement) -> list[str]:
    """``el``'s text nodes in order, leaving out marked bylines (:func:`_marked_byline`:
    read, and maybe refused, before), scripts, styles and comments (their tails are read)."""
    if _marked_byline(el):
        return []
    texts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style"):
            texts += _unmarked_texts(child)
        texts.append(child.tail or "")
    return texts


def _text_within(el: HtmlElement, limit: int) -> bool:
    """Whether ``el``'s text, blanks aside, is at most ``limit`` characters; read only as far
    as needed, so a wrapper of the whole article costs no more than a row."""
    total = 0
    for text in el.itertext():
        total += len(text.strip())
        if total > limit:
            return False
    return True


def _row_parts(texts: list[str]) -> list[str]:
    """A header row's parts: its text nodes, a node that names no one (a comma, "and",
    "By") joined to its neighbours, each split at ``|``, ``·``, ``•`` or a spaced dash.

    ``["By", "Ann Lee", ",", "Bo Chen", "on March 4, 2024"]`` → ``["By Ann Lee , Bo Chen",
    "on March 4, 2024"]``; ``["Ann Lee |", "05.04.2025"]`` → ``["Ann Lee", "05.04.2025"]``.
    """
    lines: list[str] = []
    joining = False
    for text in filter(None, (" ".join(t.split()) for t in texts)):
        names_none = not split_byline(text)
        if lines and (joining or names_none):
            lines[-1] += " " + text
        else:
            lines.append(text)
        joining = names_none
    return [part for line in lines for part in _ROW_SEPARATOR.split(line) if part]


def _only_names(text: str) -> bool:
    """Whether ``text`` is names alone: each of its byline parts (:func:`split_byline`) two
    words or more, every word capitalised and none a function word ("Ann Lee/Bo Chen";
    not "The Road Ahead", "READ MORE", "Ekonomi")."""
    parts = split_byline(text)
    return bool(parts) and all(
        len(part.split()) >= 2
        and all(w[0].isupper() and w.casefold() not in _FUNCTION_WORDS for w in part.split())
        for part in parts
    )


def _is_prose(p: HtmlElement) -> bool:
    """A paragraph of prose: :data:`~crawler.extract.body.MIN_ARTICLE_PARAGRAPH_CHARS` or more,
    mostly not link text."""
    text = p.text_content().strip()
    links = sum(len(a.text_content().strip()) for a in p.iter("a"))
    return len(text) >= MIN_ARTICLE_PARAGRAPH_CHARS and links <= MAX_PROSE_LINK_DENSITY * len(text)


def _byline_text(node: HtmlElement) -> str:
    """A byline element's text, without scripts and without links to a listing page
    (a section's or tag's name shown beside the author)."""

    def in_listing_link(text: Any) -> bool:
        el = text.getparent()
        el = el.getparent() if text.is_tail else el  # a tail is its element's parent's text
        while el is not None:
            if el.tag == "a" and _LISTING_PATH.search(el.get("href") or ""):
                return True
            el = None if el is node else el.getparent()
        return False

    texts = node.xpath(".//text()[not(ancestor::script or ancestor::style)]")
    return unescape(" ".join(t for t in texts if not in_listing_link(t)))


def _languages(tree: HtmlElement, tags: dict[str, list[str]]) -> list[str]:
    """The page's declared language tags: ``<html lang>``, og:locale, content-language."""
    langs = [
        tree.get("lang") or "",
        *(
            tags.get(k, [""])[0]
            for k in ("og:locale", "content-language", "dc.language", "language")
        ),
    ]
    return [lang.strip() for lang in langs if lang.strip()]


@dataclass(frozen=True, slots=True)
class _Dates:
    """What a page's date fields give: see :class:`Metadata`."""

    published: datetime | None
    modified: datetime | None
    order_seen: DateOrder | None
    if_order: DateReadings


def _dates(
    tree: HtmlElement, tags: dict[str, list[str]], data: _Structured, title: str | None
) -> _Dates:
    """Published and modified, each from the first readable value of its fields, best first;
    a page whose markup gives no published date gives the one it shows its readers under
    the headline ``title`` or in a labelled field (:mod:`crawler.extract.datelines`).

    Ambiguous numeric values follow the page's order (:func:`page_order`, from
    the dates its visible text shows, else its language);
    when the page cannot decide, they stay unread, and the readings under
    each order are returned beside, for the source's order to settle.
    """
    langs = _languages(tree, tags)
    codes = [re.split(r"[-_]", lang)[0].lower() for lang in langs]

    def values(keys: tuple[str, ...], meta_keys: tuple[str, ...], times: list[str]) -> list[str]:
        return [
            unescape(v)
            for v in (
                *(
                    item.get(key)
                    for item in (*data.jsonld, *data.micro, *data.main_entities)
                    for key in keys
                ),
                *(v for key in meta_keys for v in tags.get(key, [])),
                *times,
            )
        ]

    times = [t.get("datetime") or t.text_content() for t in tree.iter("time")]
    fields = (
        values(("datePublished", "dateCreated"), _PUBLISHED_META, times),
        values(("dateModified",), _MODIFIED_META, []),
    )
    seen = single(orders_seen(v for field_values in fields for v in field_values))
    orders: list[DateOrder | None] = []  # the page's order, worked out once, when first needed

    def page() -> DateOrder | None:
        if not orders:
            orders.append(seen or page_order(langs, tree.xpath(_VISIBLE_TEXT)))
        return orders[0]

    zones = [*fields[0], *fields[1]]  # where a value's zone may be written (with_offset)
    published, modified = (_first_date(values, page, codes, zones) for values in fields)
    if published is None and not any(map(ambiguous, fields[0])):
        fields = (shown_dates(tree, title), fields[1])
        seen = seen or single(orders_seen(fields[0]))  # which the source learns, as a field's
        published = _first_date(fields[0], page, codes, zones)
    if_order: DateReadings = {}
    if orders and orders[0] is None:  # an ambiguous value stayed unread
        if_order = {
            order: (
                _first_date(fields[0], lambda o=order: o, codes, zones),
                _first_date(fields[1], lambda o=order: o, codes, zones),
            )
            for order in DAY_MONTH_ORDERS
        }
        if len(set(if_order.values())) == 1:  # the same either way
            if_order = {}
    return _Dates(published, modified, seen, if_order)


def _first_date(
    values: list[str],
    order: Callable[[], DateOrder | None],
    codes: list[str],
    zones: list[str],
) -> datetime | None:
    """The first of ``values`` that reads as a date, its offset settled by the page's ISO
    values in ``zones`` (:func:`with_offset`). An ambiguous value is read in ``order()``,
    asked for only then."""
    for value in values:
        if ambiguous(value):
            found = read_date(value, chosen, codes) if (chosen := order()) else None
        else:
            found = read_date(value, None, codes)
        if found:
            return with_offset(found, filter(None, map(iso_date, zones)))
    return None


def with_offset(chosen: datetime, others: Iterable[datetime]) -> datetime:
    """``chosen``, aware: a missing or UTC offset is taken from another value of the same wall-clock minute.

    A CMS that drops the zone writes the local time as if it were UTC; the
    same minute with a real offset elsewhere on the page says which zone it
    was. Failing that, a naive value is taken as UTC.
    """
    if chosen.tzinfo is None or chosen.utcoffset() == timedelta(0):
        minute = chosen.replace(tzinfo=None, second=0, microsecond=0)
        for other in others:
            if other.utcoffset() and other.replace(tzinfo=None, second=0, microsecond=0) == minute:
                return chosen.replace(tzinfo=other.tzinfo)
    return chosen if chosen.tzinfo else chosen.replace(tzinfo=UTC)


def extract_metadata(tree: HtmlElement, url: str = "") -> Metadata:
    """Read title, authors, dates, canonical URL and article markers from a parsed page."""
    data = _structured(tree, url)
    tags = _meta_lists(tree)
    site = outlet(url, tags, data)
    title = _title(tree, tags, data, site)
    dates = _dates(tree, tags, data, title)
    canonical = _first(*tree.xpath("//link[@rel='canonical']/@href"), _meta(tags, "og:url"))
    og_type = (_meta(tags, "og:type") or "").lower()
    # One <article> marks an article page; several are the cards of a listing.
    markup = bool(
        data.jsonld or data.micro or og_type == "article" or len(tree.xpath("//article")) == 1
    )
    return Metadata(
        title=title,
        authors=_authors(tree, tags, data, site, title),
        published=dates.published,
        modified=dates.modified,
        canonical=str(canonical).strip() if canonical else None,
        has_article_markup=markup,
        date_order=dates.order_seen,
        dates_if_order=dates.if_order,
        descriptions=_descriptions(tags, data),
    )


def _descriptions(tags: dict[str, list[str]], data: _Structured) -> tuple[str, ...]:
    """The page's descriptions of itself, best source first, without repeats or empties."""
    found = [unescape(item.get("description")) for item in data.jsonld]
    found += [
        tags[k][0] for k in ("description", "og:description", "twitter:description") if k in tags
    ]
    return tuple(dict.fromkeys(d for d in found if d))
