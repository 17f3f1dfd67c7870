"""Author names from what a page offers as its authors: people only.

A byline or an author field often holds more than names: a role ("Senior
Reporter", "Staff Writer"), a desk, a wire agency or the outlet standing in
for a person ("Reuters", "Staff", the site's own name), an image credit, an
e-mail address, a host name ("ORF.at") or a URL slug taken from an author page
("chuck-ross"). None of those is an author. Names joined by a comma, ``;``,
``&``, ``/``, an ideographic comma, a conjunction ("and", "und", "et", "y",
"e", "og", "och", "en") or "with" ("Ann Lee with AP", "mit dpa") are split, and so
are names credited for "additional reporting" ("Ann Lee with additional reporting by Bo
Chen": Reuters and AP credit a second writer so); an editor credited after "Editing by"
is no author (Reuters' "Reporting by Ann Lee; Editing by Bo Chen"). A wire's service
written after its name ("dpa-AFX", "APA-OTS") is the wire.

Neither is a place written after the name as a dateline ("Anna Sleegers,
Frankfurt", "AFP, MANILA": one word after a comma that follows a name of two
or more, or an agency; "Jane Roe in Brussels": capitalised words after "in"), nor
a part in lower case ("capital", "amw", "red", "ku Frankfurt": a section's
name or an editor's initials; nobiliary particles such as "van", "de" or
"al-" excepted). A role written after a name in Korean, Japanese or Chinese
("신현주 기자", "山田太郎記者") is cut from it, and so is "and N others"
("박준석 기자 외 1명"). Honorifics before a name ("Dr. Max Kolter", "Prof.")
are kept as the page writes them; degrees after a name ("Jane Roe, PhD",
"Jane Roe MD") are cut, and the same letters before one are the name's
("Md Rafiqul Islam").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A leading "by" (English, German, French, Spanish/Portuguese); Italian, Dutch and
# Scandinavian ones in lower case only, as names begin with "Di" or "Af" too.
_BY = re.compile(
    r"^\s*(?:(?i:written by|words by|posted by|by|von|par|por)|di|door|av|af)\b\s*[:\-]?\s*"
)
# Conjunctions, and "with" crediting a second writer or a wire ("Ann Lee with AP"), in
# lower case only: "Ana Y. López" keeps its initial.
_SPLIT = re.compile(r"\s*(?:[,;&|/、，]|\s(?:and|und|et|y|e|og|och|en|with|mit|avec|con|com)\s)\s*")
# What follows the names: a dash, a date's lead-in, Korean "외 N명" ("and N others"), or
# the editors after "Editing by".
_TAIL = re.compile(
    r"\s[·•—–-]\s|\s(?:on|updated|published|posted)\s|\s외\s*\d+\s*명"
    r"|[;,.]?\s*\b(?:editing|edited)\s+by\b",
    re.IGNORECASE,
)
# A writer credited for reporting, before the name: "with additional reporting by Bo Chen",
# "Reporting by Ann Lee"; a separator between names.
_REPORTING = re.compile(
    r"[,;]?\s*\b(?:with\s+|and\s+)?(?:additional\s+|extra\s+)?reporting\s+(?:by|from)\b",
    re.IGNORECASE,
)
# A role after a name in Korean, Japanese or Chinese: "신현주 기자", "山田太郎記者".
# Where the writer filed from, after the name: "Jane Roe in Brussels", "Bo Chen in New York".
_PLACE_WORD = r"[A-Z\u00c0-\u00de][\w'’.-]*"
_FILED_FROM = re.compile(
    rf"(?<=\w)\s+in\s+{_PLACE_WORD}(?:\s(?:{_PLACE_WORD}|de|do|da|del|la|el|of)){{0,3}}$"
)
_ROLE_SUFFIX = re.compile(r"(?<=\w)\s*(?:기자|특파원|記者|记者|特派員|特派员)$")
_PARENTHESES = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_CREDIT = re.compile(r"\b(?:image|images|photo|photos|picture|foto|fotos|bild)\s*:", re.IGNORECASE)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
# A host name written as a credit: "ORF.at", "Express.co.uk"; a lower-case top-level
# domain, so an initial before a name ("J.Smith") is not one.
_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$")
_WORD = re.compile(r"[^\W\d_]+")
# Link labels that sit inside a byline element beside the name.
_SOCIAL = re.compile(
    r"(?:^|\s+)(?:twitter|facebook|instagram|linkedin|bluesky|mastodon|e-?mail|follow|folgen)\b.*$",
    re.IGNORECASE,
)

# Lower-case words that begin names: "van Gogh", "de la Cruz", "al-Hassan".
PARTICLES = frozenset(
    {"van", "von", "de", "del", "della", "der", "den", "di", "da", "dos", "das", "du", "le"}
    | {"la", "al", "el", "bin", "ibn", "ten", "ter", "zu"}
)
# Words that make a byline part a job, a desk or a team rather than a person.
ROLE_WORDS = frozenset(
    [
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "editor",
        "editors",
        "writer",
        "writers",
        "staff",
        "columnist",
        "contributor",
        "contributors",
        "journalist",
        "journalists",
        "desk",
        "editorial",
        "team",
        "newsroom",
        "bureau",
        "photographer",
        "photographers",
        "critic",
        "analyst",
        "producer",
        "presenter",
        "host",
        "senior",
        "chief",
        "deputy",
        "political",
        "economics",
        "business",
        "foreign",
        "sports",
        "sport",
        "science",
        "redaktion",
        "quelle",
        "admin",
        "administrator",
        "agency",
        "agentur",
        "agence",
        "agencia",
        "source",
        "fuente",
        "news",
        "nachrichten",
        "noticias",
        "nyheter",
        "online",
        "media",
        "digital",
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "corp",
        "group",
        "기자",
        "記者",
        "redakteur",
        "redakteurin",
        "korrespondent",
        "korrespondentin",
        "author",
        "authors",
        "autor",
        "autorin",
        "autoren",
        "autorinnen",
        "auteur",
        "auteurs",
        "reporterin",
        "journalistin",
        "nachrichtenredaktion",
        "onlineredaktion",
        "rédaction",
        "rédacteur",
        "journaliste",
        "correspondant",
        "envoyé",
        "redacción",
        "redactor",
        "corresponsal",
        "periodista",
        "redazione",
        "giornalista",
        "redactie",
        "redaksjonen",
    ]
)
# Degrees and licences written after a name ("Jane Roe, PhD", "Jane Roe MD"): cut from a
# name's end, a part of their own, never a person; before a name they are a name's own
# ("Md Rafiqul Islam": Bangladeshi papers abbreviate Mohammad so).
CREDENTIALS = frozenset({"phd", "md", "ms", "mba", "rd", "rdn", "rn", "mph"})
# Wire agencies and pools that stand in for a person (casefolded, letters only).
AGENCIES = frozenset(
    [
        "reuters",
        "ap",
        "associatedpress",
        "theassociatedpress",
        "afp",
        "agencefrancepresse",
        "dpa",
        "pa",
        "pressassociation",
        "pamedia",
        "upi",
        "ansa",
        "efe",
        "apa",
        "kna",
        "epd",
        "sda",
        "keystonesda",
        "xinhua",
        "kyodo",
        "kyodonews",
        "yonhap",
        "tass",
        "ria",
        "bloomberg",
        "aa",
        "anadoluagency",
        "anadoluajansi",
        "cnn",
        "bbc",
        "agencies",
        "agenturen",
        "agences",
        "agencias",
        "newsagencies",
        "pti",
        "presstrustofindia",
        "ians",
        "wires",
        "staff",
    ]
)


def compact(text: str) -> str:
    """Letters and digits only, case-folded: ``"n-tv NACHRICHTEN"`` → ``"ntvnachrichten"``."""
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass(frozen=True, slots=True)
class Outlet:
    """A site's own names: never a person.

    ``names`` (compacted, see :func:`compact`) are what it calls itself
    (og:site_name, its publisher). ``hosts`` are its host and the host's
    labels, lower case, which name it in as many words as they have
    hyphen-separated parts: "Stuttgarter Zeitung" on stuttgarter-zeitung.de
    and "mdr.de" are the outlet, "Paul Graham" on paulgraham.com a person.
    """

    names: frozenset[str] = frozenset()
    hosts: frozenset[str] = frozenset()

    def named_by(self, text: str) -> bool:
        """Whether ``text`` is this outlet's name rather than a person's."""
        key = compact(text)
        if not key:
            return False
        words = len(text.split())
        acronym = words == 1 and text.isupper() and len(key) > 2
        if acronym and any(name.startswith(key) for name in self.names):
            return True  # an acronym the site's name begins with: "LBCI" for "LBCI Lebanon"
        return key in self.names or any(
            key == compact(host) and words <= len(host.split("-")) for host in self.hosts
        )


def clean_authors(values: Iterable[str], outlet: Outlet = Outlet()) -> list[str]:
    """The people among author field values or bylines, in order, each once.

    ``["By Dana Whitfield, Senior Reporter"]`` → ``["Dana Whitfield"]``;
    ``["Ann Lee and Bo Chen | Reuters"]`` → ``["Ann Lee", "Bo Chen"]``;
    the ``outlet``'s own name is never an author.
    """
    names: list[str] = []
    for value in values:
        parts = [_without_agency_tail(p) for p in split_byline(value)]
        if parts and outlet.named_by(parts[0]):
            continue  # "site.de, Frankfurt, Germany": the outlet and its address
        names.extend(n for n in parts if is_person(n, outlet) and n not in names)
    return names


def split_byline(text: str) -> list[str]:
    """A byline cut into its name-like parts: no "by", parentheses, credits, dates or place.

    ``"Von Anna Sleegers, Frankfurt"`` → ``["Anna Sleegers"]``;
    ``"박준석 기자 외 1명"`` → ``["박준석"]``.
    """
    text = _PARENTHESES.sub(" ", " ".join(text.split()))
    credit = _CREDIT.search(text)
    if credit:
        text = text[: credit.start()]
    text = _REPORTING.sub(";", _TAIL.split(_BY.sub("", text), maxsplit=1)[0])
    parts = [
        _without_credentials(
            _FILED_FROM.sub("", _ROLE_SUFFIX.sub("", _SOCIAL.sub("", part)).strip(" .:-"))
        )
        for part in _SPLIT.split(text)
    ]
    seps = [m.group().strip() for m in _SPLIT.finditer(text)]
    if (
        len(parts) >= 2
        and seps[-1] == ","
        and len(parts[-1].split()) == 1
        and (len(parts[-2].split()) > 1 or is_agency(parts[-2]))
    ):
        parts.pop()  # a dateline: "Anna Sleegers, Frankfurt", "AFP, MANILA"
    return [part for part in parts if part]


def credits_someone(text: str, outlet: Outlet = Outlet()) -> bool:
    """Whether a byline's text credits anyone: a name-shaped part, an agency or the outlet.

    ``"Von:"`` and a section's name (``"capital"``) do not; ``"dpa"`` does.
    """
    return any(
        name_shaped(part) or is_agency(part) or outlet.named_by(part) for part in split_byline(text)
    )


def is_agency(part: str) -> bool:
    """Whether a byline part is a wire agency: ``"dpa"``, ``"Associated Press"``, or one word
    that an agency's name begins before a hyphen and that is not written as a name
    (``"dpa-AFX"``, ``"APA-OTS"``: the agency's services; ``"Ria-Maria"`` is a name)."""
    if compact(part) in AGENCIES:
        return True
    pieces = part.split("-")
    return (
        len(part.split()) == 1
        and len(pieces) > 1
        and compact(pieces[0]) in AGENCIES
        and not all(p[:1].isupper() and p[1:].islower() for p in pieces)
    )


def name_shaped(name: str) -> bool:
    """Whether ``name`` is written like a name: not begun by a lower-case word other than
    a particle ("capital", "amw", "ku Frankfurt" are not; "van Gogh", "李明" are)."""
    first = name.split()[0] if name.split() else ""
    if not first or first.casefold() != first or first.upper() == first:
        return bool(first)  # capitalised, or a script without case
    return first.split("-")[0].rstrip("'’") in PARTICLES


def _without_credentials(part: str) -> str:
    """``"Jane Roe MD"`` → ``"Jane Roe"``, ``"PhD"`` → ``""``: degrees after a name cut."""
    words = part.split()
    while words and compact(words[-1]) in CREDENTIALS:
        words.pop()
    return " ".join(words)


def _without_agency_tail(name: str) -> str:
    """``"Jill Lawless Associated Press"`` → ``"Jill Lawless"``: a wire credited after the name.

    A role word is no wire: ``"Jerusalem Post Staff"`` stays whole (and is no person).
    """
    words = name.split()
    for k in (3, 2, 1):
        key = compact(" ".join(words[-k:]))
        if len(words) >= k + 2 and key in AGENCIES and key not in ROLE_WORDS:
            return " ".join(words[:-k])
    return name


def is_person(name: str, outlet: Outlet = Outlet()) -> bool:
    """Whether one byline part may be a person's name (not a role, agency, site, slug, address)."""
    words = name.split()
    key = compact(name)
    if not key or len(words) > 5 or any(c.isdigit() for c in name):
        return False
    if "@" in name or "_" in name or "://" in name or name.startswith("www.") or _SLUG.match(name):
        return False
    if _HOST.match(name) or is_agency(name):  # a site ("ORF.at"), a wire ("dpa-AFX")
        return False
    if not name_shaped(name) or outlet.named_by(name) or outlet.named_by(words[0]):
        return False  # the outlet, or a desk of it: "n-tv NACHRICHTEN", "MDR THÜRINGEN"
    for k in range(1, min(3, len(words)) + 1):  # "AP", "Associated Press in Valencia"
        if compact(" ".join(words[:k])) in AGENCIES and (k == len(words) or words[k] == "in"):
            return False
    return not any(w.casefold() in ROLE_WORDS for w in _WORD.findall(name))


def inverted(name: str) -> str:
    """A Dublin Core / citation "Last, First" name in reading order: ``"Brazil, Rachel"`` → ``"Rachel Brazil"``."""
    last, sep, first = name.partition(",")
    if not sep or "," in first or not first.strip() or len(name.split()) > 4:
        return name
    return f"{first.strip()} {last.strip()}"
