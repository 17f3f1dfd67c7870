"""Cleaning: remove what extractors keep but readers never wanted.

Two stages, both pure. Before the body is found, :func:`offsite_teasers`
names the small blocks whose headline links lead off the site (markup-named
noise is :func:`crawler.extract.blocks.noise_by_markup`). After it,
:func:`clean_paragraphs` removes headline repeats, short boilerplate lines
and lists of other stories.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence, Set
from urllib.parse import urljoin, urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.dedupe.fingerprint import normalise
from crawler.extract.blocks import BLOCK_TAGS, CELL_TAGS, HEADING_TAGS
from crawler.extract.recurring import structural_repeats

# A capitalised name, case-sensitive inside the case-insensitive patterns below.
_NAME = r"(?-i:[A-Z\u00c0-\u00de][\w.'’-]+)"
_NAMES = rf"{_NAME}(?: {_NAME}){{0,3}}"
_MONTH = r"(?:jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz])[a-zé]*\.?"
# A date or a time, as datelines write them: "1:23 p.m.", "12.03.2026", "May 8", "8 May 2026",
# "March 2026"; a year alone is prose's ("Updated in 2019, the law still ...").
_WHEN = (
    rf"(?:\b\d{{1,2}}[:.h]\d\dh?\b|\b{_MONTH},? \d{{4}}\b|\b\d{{1,2}}[./-]\d{{1,2}}\b"
    rf"|\b{_MONTH} \d{{1,2}}\b"
    rf"|\b\d{{1,2}}\.? {_MONTH}|\bago\b|\byesterday\b|\btoday\b)"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_DATE = (
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d\d-\d\d|{_MONTH} \d{{1,2}},? \d{{4}}"
    rf"|\d{{1,2}}\.? {_MONTH} \d{{4}})"
)
_TIME = r"(?:\d{1,2}[:.]\d\d(?: ?uhr| ?h| ?[ap]\.?m\.?)?)"
# A short line that is only one of these is site furniture, never article text.
_BOILERPLATE = re.compile(
    r"^(?:advertisement|anzeige|werbung|publicité|pubblicità|publicidad|reklam|annonse|annons"
    r"|sponsored(?: content)?|image|caption|close|print|drucken|imprimer|email|\d+ of \d+"
    r"|share(?: this(?: article| story)?| on \w+)?|follow us.*|subscribe\b.*|sign up.*"
    r"|(?:get|join) our newsletter.*|we use cookies.*|accept(?: all)?(?: cookies)?"
    r"|comments?(?: \(\d+\))?|leave a (?:comment|reply).*"
    r"|\d+ (?:comments?|responses?|replies|kommentare?|commentaires?|commenti|comentarios)"
    r"|\d+ thoughts? on .{0,120}"
    r"|(?:photo|image) credit.*|getty images|©.*|copyright\b.*|all rights reserved.*"
    r"|.{0,40}\brequires? javascript.*|(?:please )?enable javascript.*|sharing is caring"
    r"|this (?:post|article|page|story) (?:may )?contains? affiliate.*"
    rf"|by {_NAMES}(?:,? (?:and|&) {_NAMES})*"
    r"(?:(?:,| ·| \|| on| -) ?(?:[a-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [a-z]{3,9}\.? \d{4}"
    r"|\d{4}-\d\d-\d\d).*)?"
    # a dateline: it carries a date or time
    r"|(?:(?:(?:first|last|originally) )?(?:updated|published|aktualisiert|veröffentlicht|publiziert|erstellt|online seit"
    r"|mis à jour|publié"
    r"|actualizado|publicado|aggiornato|pubblicato|uppdaterad|publicerad|oppdatert|opdateret"
    rf"|bijgewerkt|gepubliceerd)\b|stand:).{{0,40}}{_WHEN}.{{0,30}}"
    # a date or a time alone on its line: "28.4.2023", "18:41 Uhr", "2026-03-03, 10:00",
    # "Tuesday 3 March 2026 10.00 GMT", "Mar 3, 2026, 10:00 AM EST"
    rf"|(?:{_WEEKDAY}\.?,? )?(?:{_DATE}(?:,? (?:at )?{_TIME})?|{_TIME})(?: [a-z]{{1,4}})?"
    # reading time: "3 Min Lesezeit", "5 min read", "Reading time: 4 minutes"
    r"|\d+\s?min(?:ute[ns]?|s)?\.?\s?(?:read|lesezeit|lesedauer|de lecture|di lettura|de lectura)"
    r"|(?:lesezeit|lesedauer|reading time|temps de lecture|tempo di lettura)\s?:?\s?\d+\s?min\w*"
    # captions' credit lines: "(Image credit: Getty)", "Photograph: A. Lee for Daily", "Foto: dpa"
    r"|\(?(?:(?:photo|image|picture|video|graphic|illustration|foto|bild)s?(?: credits?)?"
    r"|photograph|credits?|pictured|source|quelle)\s?:\s.*"
    r"|(?:photo|image|picture|photograph)s? (?:by|courtesy(?: of)?|©) .*"
    # interface strings: "Placeholder image", "open/close the box", "Show more", "Loading..."
    r"|.{0,30}\bplaceholder\b.*|.{0,30}\b(?:open|expand)\s?/\s?(?:close|collapse)\b.*"
    r"|(?:open|close|expand|collapse) the (?:\w+ )?(?:box|section|panel)"
    r"|.{0,30}\b(?:auf|zu|aus|ein)klappen|(?:show|read|see|view) (?:more|less|all)|loading\W*"
    r"|(?:mehr|weniger) anzeigen|(?:afficher|voir) (?:plus|moins)|embed"
    r"|(?:video )?player (?:is )?loading.*|player wird geladen.*"
    # a label over a box of other stories, whose own lines the box's markup took away
    r"|recommended videos?|up next|auch interessant|czytaj więcej|para saber más|noticia relacionada"
    # paywall notices: "This article is reserved for subscribers", "Already a subscriber?"
    r"|.{0,60}\b(?:reserved|exclusive(?:ly)?) (?:to|for) (?:our )?(?:paying |digital )?subscribers"
    r"|.{0,60}\bfor subscribers only|subscribers? only|already (?:a )?subscriber\b.{0,30}"
    r"|.{0,40}\b(?:nur )?für abonnenten.*|(?:bereits|schon) abonnent\b.{0,30}"
    r"|déjà abonné.{0,30}|.{0,40}réservée? aux abonnés.*"
    # "this article is for members only", "as a paying member you ...", "read paid articles ..."
    r"|.{0,40}(?:この記事は(?:有料)?会員限定|有料会員(?:になる|に登録|の方)"
    r"|有料記事.{0,10}(?:読み放題|お読み|読め)).{0,60}"
    r"|(?:log|sign) in to (?:read|continue|comment).*)[.:!?)]?$",
    re.IGNORECASE,
)
BOILERPLATE_MAX_WORDS = 20
# A line that opens a list of other stories; it and the short lines after it go.
_LIST_OPENER = re.compile(
    r"^(?:related(?: news| stories| articles| posts| coverage| content)?|read more|read next"
    r"|more (?:from|in) (?-i:[A-Z]).{0,40}|more (?:on|about) (?:this|that) (?:story|topic)"
    r"|more stories|more news|you (?:may|might) also like"
    r"|recommended(?: for you)?|explore further|most (?:popular|read|viewed|shared)(?: in .{1,30})?"
    r"|trending(?: now| stories)?|don'?t miss|see also|also read|popular (?:now|stories)"
    # the same openers in the languages of Europe's larger presses
    r"|(?:das )?könnte (?:sie|dich) auch interessieren|lesen sie (?:auch|mehr)(?: zum thema)?"
    r"|mehr zum thema|weitere artikel|(?:à )?lire aussi|sur le même sujet|leggi anche"
    r"|potrebbe interessarti|lee también|te puede interesar|noticias relacionadas"
    r"|les også|läs också|lees ook|zobacz (?:też|także)|czytaj (?:też|także)"
    # the list of a story's sources under it
    r"|sources|quellen)"
    r"[.:!…]*$",
    re.IGNORECASE,
)
LIST_ITEM_MAX_WORDS = 14


# Letters beyond ASCII that ``re.IGNORECASE`` takes for ASCII ones but ``str.lower`` keeps
# apart: dotless ı and long ſ, and İ, which lower() makes an "i" and a combining dot. (The
# Kelvin sign, the fourth such letter, lower() makes a "k".)
_ODD_FOLDS = (("ı", "i"), ("ſ", "s"), ("i\u0307", "i"))


def folded(line: str) -> str:
    """``line.lower()``, in which a word of :class:`_Gated`'s ``needs`` is found wherever
    ``re.IGNORECASE`` finds it in ``line`` (and perhaps in a few more places).

    Every character that folds to one of those words' characters (ASCII, © and ⓒ) is
    lowered to exactly that character: the test holds each character of Unicode to it.
    """
    low = line.lower()
    if not low.isascii():
        for odd, letter in _ODD_FOLDS:
            low = low.replace(odd, letter)
    return low


class _Gated:
    """A pattern searched for only in lines that hold one of the words it cannot match
    without (``needs``: lower case, looked for in the line's :func:`folded` form).

    Looking for a few plain words in a lowered line is many times quicker than a search
    for many alternatives with ``.*`` between them, which are tried at every position of
    every line, and quicker than a case-blind search for the words themselves: gating the
    notices below (cookies, newsletters, rights, contact, channels) took a fifth off
    cleaning's time on the dev half, and then a lowered line for all of them took two
    thirds off what was left of them.
    """

    __slots__ = ("needs", "pattern")

    def __init__(self, needs: tuple[str, ...], pattern: str, flags: re.RegexFlag) -> None:
        self.needs = needs
        self.pattern = re.compile(pattern, flags)

    def search(self, line: str, low: str) -> re.Match[str] | None:
        """``pattern.search(line)``: the same match, or None. ``low`` is ``folded(line)``."""
        for word in self.needs:
            if word in low:
                return self.pattern.search(line)
        return None


# Cookie, consent and affiliate notices run long, but always say the same few things.
# A notice speaks to the reader ("we use cookies", "your browser"); news about cookies does not.
_COOKIE_NOTICE = _Gated(
    ("cookie", "affiliate", "commission", "share of"),
    r"\b(?:we|our|you|your)\b.*\bcookies?\b|\bcookies?\b.*\b(?:we|our|you|your)\b"
    r"|\b(?:necessary|essential|functional|analytics?|performance|advertisement) cookies\b"
    r"|\bthis (?:web)?site uses cookies\b|\bcookies? (?:policy|settings|preferences)\b"
    r"|\baffiliate (?:commission|links?|partner)"
    r"|\b(?:we|us)\b.{0,40}\b(?:commission|share of (?:the )?sales?)\b",
    re.IGNORECASE,
)
COOKIE_NOTICE_MAX_WORDS = 100
# A notice that opens by turning to the reader about the site itself: "If you enjoyed this
# article ...", "Join our forums ...", "Listen to <programme> live ...", "Jetzt abonnieren ...".
_CALL_TO_READER = re.compile(
    r"^(?:if you (?:enjoyed|liked|value|appreciate)d? (?:this|our)\b|join (?:our|us)\b"
    r"|did you (?:enjoy|like) this\b|hat ihnen (?:dieser|der|unser) (?:artikel|beitrag) gefallen"
    r"|vous avez aimé cet article|(?:folgst du|follow us)\b.{0,40}\b(?:on|auf) \w+\W*$"
    r"|listen (?:to \w+(?: \w+)? live|back)\b|download (?:our|the) (?:\w+ )?app\b"
    r"|jetzt (?:abonnieren|anmelden|herunterladen)\b|abonnez-vous\b)",
    re.IGNORECASE,
)
# A call to sign up for the site's own newsletter: "... and sign up for our newsletters",
# "Abonnieren Sie unseren Newsletter", "Inscrivez-vous à notre newsletter". The reader is
# asked, and the newsletter is "ours": a story about a newsletter, or one that is itself a
# newsletter ("subscribe to this newsletter"), says neither.
_NEWSLETTER_CALL = _Gated(
    ("newsletter",),
    r"\b(?:sign(?:ing)? up|subscribe|register|abonnier\w*|anmelden|melden sie sich"
    r"|inscri\w*|iscriviti|suscr[ií]b\w*)\b.{0,30}"
    r"\b(?:our|unser\w*|notre|nos|nostr[aei]|nuestr[oa]s?)\b.{0,30}newsletter",
    re.IGNORECASE,
)
# A copyright notice or a picture's credit may start anywhere in a short line
# ("This material may not be published ... ©2019 X. All rights reserved."). The notice
# names more than one use it forbids, or the permission that allows them; a story's "the
# boys' names may not be published" names one.
_REUSE = r"(?:published|reproduced|redistributed|broadcast|rewritten|copied|republished)"
_RIGHTS_NOTICE = _Gated(
    ("©", "ⓒ", "rights", "rechte", "droits", "derechos", "diritti", "may", "copyright"),
    rf"[©ⓒ]|\ball rights reserved\b|\bmay not be {_REUSE},? (?:or |and )?{_REUSE}\b"
    rf"|\bmay not be {_REUSE} in whole or in part"
    rf"|\bmay (?:not )?be {_REUSE} without (?:the )?(?:prior )?(?:written )?permission"
    r"|\balle rechte vorbehalten\b|\btous droits réservés\b|\btodos los derechos reservados\b"
    r"|\btutti i diritti riservati\b"
    # "This document is subject to copyright", "no part may be reproduced without ..."
    rf"|\bsubject to copyright\b|\bno part (?:of (?:this|it) \w+ )?may be {_REUSE}\b",
    re.IGNORECASE,
)
# The desk's credits under a story: "Reporting by A in B; Editing by C", "Redaktion: A, B",
# "Sendung: <programme>, <date>".
_CREDIT_LINE = re.compile(
    rf"^\(?(?:(?:additional )?reporting|writing|editing|edited|compiled) by {_NAMES}"
    r"(?:,? (?:in|and|&) [^;.]{0,120}?)?(?:;|\)?\.?$)"
    r"|^\W*(?:with |additional )reporting (?:by|from) (?-i:[A-Z])[^.;]{0,80}(?:;|\.?$)"
    r"|^(?:redaktion|mitarbeit|sendung)\s?:"
    # "... contributed to this report", "This article first appeared in ...", "Dieser Artikel
    # ist zuerst bei ... erschienen"
    r"|^.{0,160}?\bcontributed (?:to )?this (?:report|story|article)"
    r"|^this (?:article|story|post|report) (?:was |is )?(?:first|originally) (?:appeared|published)"
    r"|^(?:dieser|der) (?:artikel|beitrag|text) (?:ist )?(?:zuerst|erstmals) (?:bei|in|im|auf)\b"
    # the translation's credit and notice: "Translated by A", "Übersetzung: A", "Aus dem
    # Englischen von A", "This article is a translation ...", "Dies ist eine maschinelle
    # Übersetzung ...", "Read the original article here"
    r"|^(?:translation|übersetzung|traduction|traducción|traduzione)\s?:"
    rf"|^(?:(?:translated|übersetzt|traduit|traducido|tradotto)(?: from [\w ]{{1,30}}?)?"
    rf"|aus dem \w+en(?: übersetzt)?) (?:by|von|par|por|da) {_NAMES}"
    rf"(?:,? (?:and|und|et|y|e|&) {_NAMES})?\W*$"
    r"|^(?:this|dies|dieser|der) (?:(?:article|story|text|artikel|beitrag) )?(?:is|ist) (?:a|an|eine) "
    r"(?:\w+ )?(?:translation|übersetzung)\b"
    r"|^(?:read|lest|lesen sie) (?:the|den) original(?:artikel| article| story)\b",
    re.IGNORECASE,
)
# "Got a story? Get in touch ... at news@example.com": an address to write to, and the call.
_CONTACT_LINE = _Gated(
    ("@",),
    r"^(?=.*[\w.+-]+@[\w-]+\.\w)(?=.*\b(?:get in touch|contact us|e-?mail us|story to tell"
    r"|got a (?:story|tip)|send us|write to us)\b|.*\b(?:e-?mail|tips?):)",
    re.IGNORECASE,
)
NOTICE_LINE_MAX_WORDS = 25  # rights notices, credit and contact lines
_MAILINGS = r"(?:newsletters?|e-?mails?|briefings?|digest|alerts|bulletin)"
_ASK_START = r"(?:^|[:.!?–—]\s+)\W*"  # an ask opens the line or a sentence
_SIGNUP_CALL = _Gated(
    ("subscribe", "sign up", "register", "inbox"),
    rf"{_ASK_START}(?:subscribe|sign up|register)\b.{{0,80}}\b{_MAILINGS}\b"
    rf"|\b(?:newsletters?|briefings?|digest|bulletin)\b.{{0,80}}\b(?:in|to|into) your inbox\b"
    rf"|\b(?:in|to|into) your inbox\b.{{0,80}}\b(?:newsletters?|briefings?|digest|bulletin)\b",
    re.IGNORECASE,
)
# A call to follow the site on a channel of its own: "Follow <Site> on Twitter and Facebook",
# "Sign up for our daily push alerts", "Abonniere den WhatsApp-Kanal von <Site>", "Hier geht
# es zur neuen News-App". The ask opens the line or a sentence; a story's "Meta, which owns
# WhatsApp and Instagram, said ..." asks nothing.
_CHANNELS = (
    r"(?:whats\s?app|telegram|instagram|facebook|twitter|tiktok|youtube|threads|bluesky"
    r"|push[- ](?:alerts?|notifications?|nachrichten|mitteilungen)|[\w-]*app\b)"
)
_CHANNEL_CALL = _Gated(
    (
        "follow",
        "folge",
        "abonnier",
        "suivez",
        "abonnez",
        "sign up for",
        "hol dir",
        "laden sie",
        "lade dir",
        "hier geht",
    ),
    rf"{_ASK_START}(?:follow|folge|folgen sie|abonnier\w*|suivez|abonnez-vous"
    r"|sign up for|hol dir|laden sie|lade dir|hier geht(?:'s| es) zu\w*)\b"
    rf".{{0,60}}\b{_CHANNELS}",
    re.IGNORECASE,
)
# "Read more: <headline>", "See also – <headline>": a pointer to another story, whatever it names.
# "Read more <Headline>" (the label set in bold, no colon) when a capital opens the headline.
_POINTER = re.compile(
    r"^(?:(?:read (?:more|next|also)|see also|also read|related(?: story| article)?|more on this"
    r"|further reading|watch|listen|recommended|lesen sie (?:auch|mehr)|mehr zum thema"
    r"|(?:à )?lire aussi|leggi anche|lee también|les også|läs också|lees ook"
    r"|zobacz (?:też|także)|czytaj (?:też|także))\s*[:|–—>»→-]\s*\S"
    r"|(?:read (?:more|next|also)|see also|also read) (?-i:[A-Z\u00c0-\u00de]))",
    re.IGNORECASE,
)
POINTER_MAX_WORDS = 25
# A bare label as the body's last line: a heading over links or tags, not a sentence.
LABEL_MAX_WORDS = 5
LABEL_MAX_CHARS = 40
LABEL_RUN_MAX = 2  # labels in a row at the end that are headings, not a list
_SENTENCE_END = re.compile(r"[.!?。！？…\"'”’»)\]]\W*$")


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends as a sentence does (a full stop, question or exclamation mark,
    an ellipsis or a closing quote or bracket, in Latin or CJK script)."""
    return bool(_SENTENCE_END.search(line))


# A dateline among other furniture: a whole date with a clock time beside it, not inside it
# ("Von dpa 30.04.2024, 18:58", "Do 25.04.24 | 14:07 Uhr | Von Ann Lee", "17:41 JST,
# October 13, 2024"), in a short line that ends no sentence. Measured: 7 fundus pages of
# 6 publishers carried one in the body (none lower, dev and fixtures unchanged).
DATELINE_MAX_WORDS = 15
_DATE_IN_LINE = re.compile(rf"(?<!\w){_DATE}(?!\w)", re.IGNORECASE)
_TIME_IN_LINE = re.compile(rf"(?<![\w.:]){_TIME}(?![.:]?\d)", re.IGNORECASE)


def _is_dateline(line: str) -> bool:
    """A short line that dates the page: a whole date and a clock time beside it, and no
    sentence's end (:data:`DATELINE_MAX_WORDS` words at most); "The boat leaves at 23:30
    on 7 August 2026." is a sentence and stays."""
    if len(line.split()) > DATELINE_MAX_WORDS or _SENTENCE_END.search(line):
        return False
    date = _DATE_IN_LINE.search(line)
    return bool(date and _TIME_IN_LINE.search(f"{line[: date.start()]} {line[date.end() :]}"))


# A reader comment's first line: "Sam wrote:", "Ann Lee says:", "Ann Lee replied:", or a
# reply stamped with its time and no colon ("Ann Lee replied 2h ago", as comment widgets
# print it); the comments run to the end.
# A reader's name is capitalised words, initials or a handle ("mike_r", "anna84").
_COMMENTER = r"(?:(?-i:[A-Z\u00c0-\u00de])[\w.'’-]*|@?\w*[_\d]\w*)"
_REPLIED = r"(?:replied|commented|antwortete|a répondu|ha risposto|respondió)"
_COMMENT_OPENER = re.compile(
    rf"^{_COMMENTER}(?: {_COMMENTER}){{0,3}}(?: on .{{0,40}})?"
    rf" (?:(?:wrote|writes|says|schrieb|meint|a écrit|scrive|escribió|{_REPLIED})\s?:"
    rf"(?: .{{0,40}}\d.{{0,20}})?"
    rf"|{_REPLIED} (?:on |at )?(?:\d+ ?[a-z]{{1,7}}\.? ago|{_DATE}|{_TIME}|yesterday|today)\b.{{0,20}})$",
    re.IGNORECASE,
)
# An author bio opens with one of the article's authors and says what they are or do.
BIO_MAX_WORDS = 80
BIO_TAIL_MAX_WORDS = 30  # short lines after a bio ("Follow Ann on X") belong to it
# The bio is looked for among the last lines: a "More on …:" pointer and another story's
# headline and blurb may follow it (fundus: one page up from 3 to 5, none down, dev even).
BIO_WINDOW = 5
_BIO_VERBS = (
    r"(?:is|was|ist|war|est|était|es|è|writes|covers|reports|reported|joined|edits|leads"
    r"|lives|studied|specialises|specializes|has (?:been|covered|reported|written|worked)"
    r"|previously|before|spent|worked)"
)
# A bio may open with a clause about the author's past before naming them: "Before joining
# the paper, Jane Roe spent ...", "After ten years in Leeds, Jane Roe covers ...".
_BIO_LEAD_CLAUSE = re.compile(
    r"(?:before|after|since|until|having|formerly|prior to)\b[^.,;]{3,60},\s+", re.IGNORECASE
)
# "Jane Roe's latest book, ..., is out now": a bio that opens with the author's work.
_THEIR_WORK = r"(?:new |latest |first |forthcoming )?(?:book|novel|podcast|newsletter|column)"
# What follows the author's name in a bio.
_AFTER_BIO_NAME = re.compile(
    rf"(?:(?:\s*\([^)]{{1,40}}\)|,[^,]{{1,60}},)?\s+{_BIO_VERBS}|['’]s {_THEIR_WORK})\b",
    re.IGNORECASE,
)
_NON_WORDS = re.compile(r"\W*")

TEASER_MAX_WORDS = 80
_TEASER_CONTAINERS = frozenset(
    {"div", "section", "li", "figure", "span", "aside", "p", "tr", "table", "article"}
)
# A teaser card's headline link leads another page; its blurb is short.
CARD_MAX_WORDS = 70
CARD_HEADLINE_MIN_WORDS = 3
# A caption box: an image and a few words beside it, in whatever box holds them.
CAPTION_MAX_WORDS = 35
# ... or up to a bio's length when the box says it is a picture's: a figure, a class
# naming an image, small or italic type for the whole text, or a credit in it.
LONG_CAPTION_MAX_WORDS = BIO_MAX_WORDS
_IMAGE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:figure|fig|image|img|photo|picture|pic|media|gallery)(?=$|[\s_-]|\d)",
    re.IGNORECASE,
)
_SMALL_TYPE = frozenset({"small", "font", "em", "i", "sub", "sup"})
_CREDIT = re.compile(
    r"\b(?:photo(?:graph)?|image|picture|foto|bild)s?(?: credits?)?\s?:|\bcredits?\s?:|©"
    r"|\b(?:photo(?:graph)?|picture)s? by\b",
    re.IGNORECASE,
)
_TEXT_BLOCKS = XPath(".//*[self::p or self::li or self::dd][normalize-space()]")
# An image given as a CSS background: a box whose style names a picture's url(...).
_BACKGROUND_IMAGES = XPath(".//*[contains(@style, 'url(')]")
# Table cells are left out: a row is one block (see crawler.extract.blocks), so the row is the box.
_BOX_TAGS = frozenset({"div", "p", "tr", "table", "span", "font", "center", "figure", "li"})
_TINY = 32  # px: an icon or emoji image, not a photo
# The page's own summary: a standfirst beside the lead picture says it, a caption never does.
_SUMMARIES = XPath(
    "//meta[@name='description' or @property='og:description' or @name='twitter:description']"
    "/@content"
)


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
        el = _container(link)
        if el is not None and len(el.text_content().split()) <= TEASER_MAX_WORDS:
            found.add(el)
    return found


def teaser_cards(tree: HtmlElement, url: str) -> set[HtmlElement]:
    """Cards that lead to another page: a line wholly a link, a short blurb under it.

    ``<div><a href="/other"><span>Headline</span></a><div>Blurb ...</div></div>``,
    ``<p><b><a href="/other">Headline</a></b><br>Blurb ...</p>`` or a table row
    of the same: the link is a whole line of its own (nothing else in its
    block before a line break), names another page than ``url``, has a
    headline's few words, and the smallest box around it holds at most
    ``CARD_MAX_WORDS`` words. On-site or off-site alike; a link inside a
    sentence is the article citing something, and stays.
    """
    here = _page_key(url)
    found: set[HtmlElement] = set()
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        words = word_count(link.text_content())
        if words < CARD_HEADLINE_MIN_WORDS:
            continue
        line = _line_words(link)
        if line is None:
            continue
        if here and _page_key(urljoin(url, href)) == here:
            continue
        box = _container(link)
        while box is not None and word_count(box.text_content()) <= line:
            box = _container(box)  # the headline's own box: the card is around it
        if box is not None and word_count(box.text_content()) <= CARD_MAX_WORDS:
            found.add(box)
    return found


def caption_boxes(tree: HtmlElement) -> set[HtmlElement]:
    """Boxes holding an image and a few words: its caption and credit.

    The smallest box (``div``, table row, ``font``, ``p`` ...) around an
    ``<img>``, or around an element whose style gives a picture as its
    ``background-image: url(...)``, that holds any text, when that text is at
    most ``CAPTION_MAX_WORDS`` words, or ``LONG_CAPTION_MAX_WORDS`` in a box
    that says it is a picture's (see :func:`_pictures_box`); a ``<p>`` only
    when the image stands on a line of its own. Icons and emoji (declared at
    most 32 px wide or high) are not photos. Nor is a box that holds the
    page's headline (an ``h1``) or whose text is the page's description: the
    page's header, its headline and standfirst over or beside the lead picture.
    """
    found: set[HtmlElement] = set()
    summaries = [str(value).strip() for value in _SUMMARIES(tree.getroottree())]
    images = [*tree.iter("img", "amp-img"), *_BACKGROUND_IMAGES(tree)]
    for img in images:
        if any(_px(img.get(dim)) <= _TINY for dim in ("width", "height")):
            continue
        if _in_prose(img):
            continue  # a picture inside a sentence's line
        box = img.getparent()
        while box is not None and (box.tag not in _BOX_TAGS or not box.text_content().strip()):
            if box.tag in {"body", "article", "main"}:
                box = None
                break
            box = box.getparent()
        if box is None:
            continue
        words = word_count(box.text_content())
        if words > LONG_CAPTION_MAX_WORDS or (
            words > CAPTION_MAX_WORDS and not _pictures_box(box, img)
        ):
            continue
        if box.tag == "p" and not _on_own_line(img):
            continue  # a short paragraph with a picture floated beside it
        if box.tag in {"tr", "table"} and _is_data_table(box):
            continue  # a row of results with a logo in it
        if next(box.iter("h1"), None) is not None or _says_summary(box.text_content(), summaries):
            continue  # the page's header, its headline and standfirst over the lead picture
        found.add(box)
    return found


def _pictures_box(box: HtmlElement, img: HtmlElement) -> bool:
    """Whether ``box`` says it holds a picture's caption: a ``figure``, a class or id
    naming an image, the whole text in small or italic type, or a credit in it.
    A box with a heading or two paragraphs is a section of the story, not a caption."""
    if len(_TEXT_BLOCKS(box)) > 1 or next(box.iter(*HEADING_TAGS), None) is not None:
        return False
    for el in (box, img.getparent()):
        if el is not None and (
            el.tag == "figure" or _IMAGE_WORDS.search(f"{el.get('class', '')} {el.get('id', '')}")
        ):
            return True
    text = " ".join(box.text_content().split())
    if _CREDIT.search(text):
        return True
    return any(
        el.tag in _SMALL_TYPE and " ".join(el.text_content().split()) == text
        for el in box.iterdescendants()
    )


def _says_summary(text: str, summaries: Iterable[str]) -> bool:
    """Whether ``text`` is one of the page's ``summaries`` (descriptions), or begins with
    one cut short with an ellipsis ("A decade of arguments over ..."); compared by
    :func:`line_key`."""
    key = line_key(text)
    for summary in summaries:
        cut = summary.endswith(("…", "..."))
        head = line_key(summary.rstrip(" .…") if cut else summary)
        if head and (key == head or (cut and key.startswith(head))):
            return True
    return False


def _image_or_its_link(img: HtmlElement) -> HtmlElement:
    """The link ``img`` sits in when its parent is one, else ``img`` itself."""
    parent = img.getparent()
    return parent if parent is not None and parent.tag == "a" else img


def _in_prose(img: HtmlElement) -> bool:
    """Text runs on right after the image (or its link): it sits in a line of prose."""
    return bool((_image_or_its_link(img).tail or "").strip())


def _is_data_table(box: HtmlElement) -> bool:
    """A row (or a table with a row) with two or more cells that hold text."""
    rows = [box] if box.tag == "tr" else box.iter("tr")
    return any(
        sum(bool(cell.text_content().strip()) for cell in row if cell.tag in CELL_TAGS) >= 2
        for row in rows
    )


def _on_own_line(img: HtmlElement) -> bool:
    """The image (or the link around it) is followed by a line break."""
    el = _image_or_its_link(img)
    after = el.getnext()
    return after is not None and after.tag == "br" and not (el.tail or "").strip()


def word_count(text: str) -> int:
    """Words in ``text``; for scripts written without spaces (CJK, Thai), characters / 6.

    Six characters per word is the average length of an English word with its
    space, so a limit in words means about the same length in any script.
    """
    return max(len(text.split()), len(text) // 6)


def _px(value: str | None) -> int:
    digits = (value or "").strip().removesuffix("px")
    return int(digits) if digits.isdigit() else _TINY + 1


def _container(el: HtmlElement) -> HtmlElement | None:
    el = el.getparent()
    while el is not None and el.tag not in _TEASER_CONTAINERS:
        if el.tag in {"body", "main"}:
            return None
        el = el.getparent()
    return el


def _line_words(link: HtmlElement) -> int | None:
    """The words of the line the link is, kicker included; None when it is not a line of its own.

    A line of its own: its block holds nothing else before a line break but a kicker,
    and nothing after the link but a label of the same kind (the card's date or
    section, "<a>Headline</a> · <time>3 Sep</time>"), a separator between them.
    """
    el, text = link, link.text_content().strip()
    while (
        el.getparent() is not None
        and el.getparent().tag not in _LINE_BLOCKS
        and el.getparent().text_content().strip() == text
    ):
        el = el.getparent()  # <b><a>..</a></b>, <h3><a>..</a></h3>: the wrapper is the line
    parent, before = el.getparent(), el.getprevious()
    if parent is None or parent.tag not in _LINE_BLOCKS:
        return None
    words = word_count(text)
    if before is not None and _is_kicker(before) and not (parent.text or "").strip():
        words += word_count(before.text_content())
        before = before.getprevious()  # "<span>Analysis</span><a>Headline</a>": the label leads
    if before is None:
        if (parent.text or "").strip():
            return None
    elif before.tag != "br" or (before.tail or "").strip():
        return None
    after = el.getnext()
    if after is not None and _is_kicker(after) and not _WORD.search(el.tail or ""):
        words += word_count(after.text_content())  # "<a>Headline</a> · <time>3 Sep</time>"
        el, after = after, after.getnext()
    if (el.tail or "").strip() or not (after is None or after.tag in _LINE_BLOCKS | {"br"}):
        return None
    return words


_WORD = re.compile(r"\w")


_LINE_BLOCKS = BLOCK_TAGS | CELL_TAGS
# A kicker: a label of a few words in an inline element before a card's headline link.
KICKER_MAX_WORDS = 3
_KICKER_TAGS = frozenset({"span", "b", "strong", "em", "i", "small", "font", "label", "time"})


def _is_kicker(el: HtmlElement) -> bool:
    """An inline label ("Analysis", "LIVE", "Opinion |") that is not a link and ends no sentence."""
    text = el.text_content().strip()
    return (
        el.tag in _KICKER_TAGS
        and 0 < len(text.split()) <= KICKER_MAX_WORDS
        and not text.endswith((".", ","))
        and not (el.tail or "").strip()
        and next(el.iter("a"), None) is None
    )


def _page_key(url: str) -> str:
    """Host and path: two links to one page differ only in query, fragment or scheme."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}"


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
    return _key_of(normalise(line))


def _key_of(plain: str) -> str:
    """:func:`line_key` of a line already normalised."""
    return plain.lower().strip(" .:;!?-|\"'")


# "By Ann Lee", "Von Jana Roth", "Par Luc Martin": a byline's first words, in a few languages.
_BYLINE = re.compile(
    rf"^(?:by|von|par|por|door|av|af) {_NAMES}"
    rf"(?:(?:,| and| &| und| et|,? (?:with |and )?(?:additional )?reporting by) {_NAMES})*"
    r"(?:\s*[,·|–-]\s*.{0,40})?$",
    re.IGNORECASE,
)


def is_byline(line: str) -> bool:
    """A byline: "By" and capitalised names, then perhaps a role or date after a comma or dot.

    "By Ann Lee · 8 May 2026", "Von Jana Roth und Max Muster", "By Ann Lee, additional
    reporting by Bo Chen | 12 May 2026"; not "By September the shop should be open".
    """
    return bool(_BYLINE.match(" ".join(line.split())))


def is_boilerplate(line: str) -> bool:
    """A short furniture line ("Share this", "By Ann Lee"), a copyright notice, the desk's
    credits or contact, or a cookie, affiliate or subscription notice."""
    return _is_boilerplate(line, normalise(line), len(line.split()))


def _is_boilerplate(line: str, plain: str, words: int) -> bool:
    """:func:`is_boilerplate`, given ``normalise(line)`` and the line's count of words."""
    if words <= BOILERPLATE_MAX_WORDS and (
        _BOILERPLATE.match(plain) or is_byline(line) or _is_dateline(line)
    ):
        return True
    if words > COOKIE_NOTICE_MAX_WORDS:
        return False
    low = folded(line)
    if words <= NOTICE_LINE_MAX_WORDS and (
        _RIGHTS_NOTICE.search(line, low)
        or _CREDIT_LINE.match(line)
        or _CONTACT_LINE.search(line, low)
    ):
        return True
    return bool(
        _COOKIE_NOTICE.search(line, low)
        or _CALL_TO_READER.match(line)
        or _is_signup_call(line, low, words)
        or _CHANNEL_CALL.search(line, low)
    )


def _is_signup_call(line: str, low: str, words: int) -> bool:
    """A newsletter box's line: it asks the reader to subscribe to an email or briefing
    ("Never miss a story: subscribe to our daily email", "Get X in your inbox. Our free
    newsletter ..."), in at most :data:`NOTICE_LINE_MAX_WORDS` words. ``low`` is
    ``folded(line)`` and ``words`` its count of words.

    The ask is an imperative (the line's or a sentence's first word) or names "your inbox"
    beside a newsletter; a story saying "readers who subscribe to its newsletter" is neither.
    A call to sign up for the site's own ("our", "unseren", "notre") newsletter is one in up
    to :data:`COOKIE_NOTICE_MAX_WORDS` words.
    """
    return (words <= NOTICE_LINE_MAX_WORDS and bool(_SIGNUP_CALL.search(line, low))) or (
        words <= COOKIE_NOTICE_MAX_WORDS and bool(_NEWSLETTER_CALL.search(line, low))
    )


KEPT, NOISE, REPEAT = "kept", "noise", "repeat"  # what cleaning does with a paragraph


def clean_paragraphs(
    paragraphs: Iterable[str], title: str | None, authors: Sequence[str] = ()
) -> list[str]:
    """Drop headline repeats, boilerplate, lists of other stories, bios and comments.

    The paragraphs :func:`paragraph_fates` keeps, their whitespace collapsed.
    The source's furniture is dropped after this, by
    :func:`crawler.extract.clean_article`.
    """
    lines = [" ".join(raw.split()) for raw in paragraphs]
    fates = paragraph_fates(lines, title, authors)
    return [line for line, fate in zip(lines, fates, strict=True) if fate == KEPT]


def paragraph_fates(lines: Sequence[str], title: str | None, authors: Sequence[str]) -> list[str]:
    """What cleaning does with each line: :data:`KEPT`, :data:`NOISE` or :data:`REPEAT`.

    A repeat (of the headline, of an earlier line, or an empty line) says
    nothing of the line's place; a line the article's own structure repeats
    (:func:`crawler.extract.recurring.structural_repeats`: a template's labels
    under each section) is no repeat. Noise is boilerplate, a list of other
    stories, a "Read more:" pointer, reader comments ("Ann wrote:" ends the
    body) and, among the last lines, a paragraph that names one of
    ``authors`` and describes them (their bio) with the short lines after it,
    and a short last line that ends in a colon (it opened something that is not
    the story's text: a list of links, a form, a programme guide).

    Structure is read among the kept lines alone, so that noise between a
    section's labels (an "Advertisement" slot in one of them) does not shift it,
    and so that cleaning the cleaned text again changes nothing: every repeat is
    kept at first, and those that are no structural repeat among the kept lines
    are dropped, again until none lapses (dropping one may shift a section).
    """
    title_key = line_key(title) if title else None
    plains = [normalise(line) for line in lines]
    keys = [_key_of(plain) for plain in plains]
    own = frozenset(range(len(lines)))  # the repeats that may stay
    furniture: dict[int, bool] = {}  # line -> boilerplate or a pointer, asked once
    while True:
        fates = _fates(lines, plains, keys, title_key, own, authors, furniture)
        kept = [n for n, fate in enumerate(fates) if fate == KEPT]
        still = {kept[i] for i in structural_repeats([keys[n] for n in kept])}
        lapsed: set[int] = set()
        kept_before: set[str] = set()
        for n in kept:
            if keys[n] in kept_before and n not in still:
                lapsed.add(n)
            kept_before.add(keys[n])
        if not lapsed:
            return fates
        own -= lapsed


def _fates(
    lines: Sequence[str],
    plains: Sequence[str],
    keys: Sequence[str],
    title_key: str | None,
    own: Set[int],
    authors: Sequence[str],
    furniture: dict[int, bool],
) -> list[str]:
    """:func:`paragraph_fates` with the lines' normalised forms and keys given, ``own``
    the repeats to keep and ``furniture`` the lines known to be boilerplate or a pointer
    (or not), filled in."""
    fates: list[str] = []
    kept: list[int] = []
    seen: set[str] = set()
    in_list = False
    for n, line in enumerate(lines):
        plain, key = plains[n], keys[n]
        if kept and _COMMENT_OPENER.match(plain):
            fates += [NOISE] * (len(lines) - n)
            break
        if _LIST_OPENER.match(plain):
            in_list = True
            fates.append(NOISE)
            continue
        words = len(line.split())
        in_list = in_list and words <= LIST_ITEM_MAX_WORDS
        if not key or key == title_key or (key in seen and n not in own):
            fates.append(NOISE if in_list else REPEAT)
            continue
        if not in_list and n not in furniture:
            furniture[n] = _is_boilerplate(line, plain, words) or bool(
                words <= POINTER_MAX_WORDS and _POINTER.match(plain)
            )
        if in_list or furniture[n]:
            fates.append(NOISE)
            continue
        seen.add(key)
        kept.append(n)
        fates.append(KEPT)
    _drop_leftover_headings(lines, kept, authors, fates)
    bio = _bio_start([lines[i] for i in kept], authors)
    if bio < len(kept):
        for n in kept[bio:]:
            fates[n] = NOISE
        del kept[bio:]
        _drop_leftover_headings(lines, kept, authors, fates)  # "About the author" over it
    return fates


def _drop_leftover_headings(
    lines: Sequence[str], kept: list[int], authors: Sequence[str], fates: list[str]
) -> None:
    """Take the :func:`_leftover_headings` off the end of ``kept``, as noise in ``fates``.

    Run again once the bio at the end is gone: the heading over it ("About the
    author") opened nothing of the story. Measured on the unseen publishers
    (``bench/unseen_publishers.py --templates second``): a bio box headed so, read
    inside the body on some renderings of a page and outside it on others, left
    the heading as the story's last line on some, and each change made a version.
    """
    for _ in range(_leftover_headings(lines, kept, authors)):
        fates[kept.pop()] = (
            NOISE  # "Dieses Thema im Programm:", "Related topics": it opened no text
        )


def opens_nothing(last: str, authors: Sequence[str] = ()) -> bool:
    """Whether the body's last line opens something that is not there: a short line that
    ends in a colon ("More on this:"), or a label of at most :data:`LABEL_MAX_WORDS` words
    and :data:`LABEL_MAX_CHARS` characters with no sentence's end ("Related topics",
    "Weitere Informationen", "関連キーワード"): a heading whose section (links, tags, a
    form) is not text, so nothing follows it.

    A label with a digit is data (a phone number, an address, opening hours) and one that
    opens with an author's name is their sign-off: both are the story's (the dev half of
    the scrapinghub benchmark ends three stories so).
    """
    if last.endswith(":"):
        return len(last.split()) <= POINTER_MAX_WORDS
    return (
        len(last.split()) <= LABEL_MAX_WORDS
        and len(last) <= LABEL_MAX_CHARS
        and not _SENTENCE_END.search(last)
        and not any(ch.isdigit() for ch in last)
        and not any(a.strip() and last.startswith(a.strip()) for a in authors)
    )


def _leftover_headings(lines: Sequence[str], kept: Sequence[int], authors: Sequence[str]) -> int:
    """How many of the last kept lines are headings left over (see :func:`opens_nothing`).

    Lines ending in a colon always are. Labels are only in a run of at most
    :data:`LABEL_RUN_MAX` right after a sentence's end: more labels in a row are a list's
    items ("Salt", "Pepper", "Olive oil"), and a label alone is all a thin page says.
    """
    run = 0
    while run < len(kept) and opens_nothing(lines[kept[-1 - run]], authors):
        run += 1
    tail = [lines[i] for i in kept[len(kept) - run :]]
    labels = sum(not line.endswith(":") for line in tail)
    if labels == 0 or (
        labels <= LABEL_RUN_MAX and run < len(kept) and _SENTENCE_END.search(lines[kept[-1 - run]])
    ):
        return run
    colons = 0
    while colons < run and tail[-1 - colons].endswith(":"):
        colons += 1
    return colons


def _bio_start(lines: list[str], authors: Sequence[str]) -> int:
    """Where the author bio at the end begins (``len(lines)`` when there is none): a bio among
    the last ``BIO_WINDOW`` lines, and the short lines after it."""
    for i in range(max(0, len(lines) - BIO_WINDOW), len(lines)):
        if _is_bio(lines[i], authors) and all(
            len(line.split()) <= BIO_TAIL_MAX_WORDS for line in lines[i + 1 :]
        ):
            return i
    return len(lines)


def _is_bio(line: str, authors: Sequence[str]) -> bool:
    """A short paragraph that opens with one of the authors' names and says what they do.

    "Jane Roe writes about chips", "Omar Haddad (@omar) is the desk's reporter",
    "Jana Roth ist Redakteurin", "Jane Roe's latest book ..."; not "Jane Roe has asked
    the council ...".
    """
    if not authors or len(line.split()) > BIO_MAX_WORDS:
        return False
    starts = _name_starts(line)
    for author in authors:
        name = author.strip()
        if " " not in name:  # a bare first name or an outlet: too weak to go on
            continue
        # The name alone is compiled, not a pattern around it: that took a millisecond for
        # each author of each page a crawl reads (re caches only the last 512 patterns).
        named = re.compile(re.escape(name), re.IGNORECASE)
        for start in starts:
            found = named.match(line, start)
            if found and _AFTER_BIO_NAME.match(line, found.end()):
                return True
    return False


def _name_starts(line: str) -> list[int]:
    """Where a bio may name its author: anywhere in the non-word characters that open
    ``line`` or right after them, or after a clause about the author's past that follows
    them (:data:`_BIO_LEAD_CLAUSE`: a name starts with neither a space nor a comma, so
    the clause can end only where its pattern ends)."""
    opening = _NON_WORDS.match(line)
    end = opening.end() if opening else 0
    starts = list(range(end + 1))
    if lead := _BIO_LEAD_CLAUSE.match(line, end):
        starts.append(lead.end())
    return starts
