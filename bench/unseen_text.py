"""Text for ``bench/unseen_publishers.py``: stories, bios, blurbs, captions and comments.

Every string is generated here from small word pools and made-up names (syllables),
seeded, so a run is repeatable and no two stories share more than stock phrasing.
Nothing is taken from a third-party page.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

_SYLLABLES = (
    "ar", "bel", "cor", "dan", "el", "fen", "gar", "hol", "is", "jor", "kel", "lun",
    "mer", "nor", "os", "pel", "quin", "ros", "sel", "tor", "ul", "vin", "wen", "yar",
)  # fmt: skip


def name_word(rnd: random.Random) -> str:
    """A made-up proper noun of two or three syllables ("Belnor", "Quintorel")."""
    return "".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3))).title()


def person(rnd: random.Random) -> str:
    return f"{name_word(rnd)} {name_word(rnd)}"


# Each beat: the things its stories are about, the bodies that act, what is done.
BEATS: dict[str, dict[str, tuple[str, ...]]] = {
    "local": {
        "things": ("the ring road", "the harbour wall", "the night bus", "the covered market",
                   "the swimming baths", "the school catchment", "the parking charges",
                   "the flood barrier", "the library branch", "the bin collections"),
        "bodies": ("the borough council", "the transport board", "residents' groups",
                   "the parish trust", "shopkeepers", "the fire service"),
        "acts": ("approved", "postponed", "objected to", "paid for", "reviewed", "closed"),
    },
    "tech": {
        "things": ("the storage service", "the phone update", "the chip plant", "the login system",
                   "the open-source compiler", "the satellite link", "the payments app",
                   "the data centre", "the browser engine", "the translation model"),
        "bodies": ("the vendor", "its engineers", "the regulator", "early customers",
                   "the standards group", "outside researchers"),
        "acts": ("shipped", "delayed", "audited", "rebuilt", "priced", "withdrew"),
    },
    "sport": {
        "things": ("the cup replay", "the stadium lease", "the youth academy", "the transfer window",
                   "the relay squad", "the season opener", "the coaching staff",
                   "the ground's new stand", "the league fixtures", "the away end"),
        "bodies": ("the club", "the league", "supporters' trusts", "the players' union",
                   "the board", "the manager"),
        "acts": ("confirmed", "appealed", "cancelled", "extended", "defended", "sold"),
    },
    "culture": {
        "things": ("the autumn season", "the touring exhibition", "the festival lineup",
                   "the restored organ", "the poetry prize", "the film archive",
                   "the gallery's east wing", "the opera revival", "the book fair",
                   "the theatre's roof"),
        "bodies": ("the trustees", "the festival director", "the arts board", "the curators",
                   "local writers", "the orchestra"),
        "acts": ("announced", "moved", "funded", "reopened", "cut back", "commissioned"),
    },
    "science": {
        "things": ("the glacier survey", "the vaccine trial", "the telescope upgrade",
                   "the soil study", "the bird census", "the reactor test", "the coral project",
                   "the drought model", "the fossil dig", "the ocean buoys"),
        "bodies": ("the research team", "the institute", "field scientists", "the funding agency",
                   "the university", "reviewers"),
        "acts": ("published", "extended", "paused", "replicated", "expanded", "questioned"),
    },
}  # fmt: skip

_WHEN = ("on Monday", "last week", "after months of talks", "this spring", "late on Thursday",
         "earlier this year", "at the weekend", "in a short statement")  # fmt: skip
_FEELINGS = ("relieved", "frustrated", "cautiously hopeful", "surprised", "unconvinced", "pleased")


def _sentence(
    rnd: random.Random, beat: dict[str, tuple[str, ...]], topic: str, place: str, shape: int
) -> str:
    """Sentence shape ``shape`` (of 14) of a story about ``topic`` in ``place``: each names
    the place, a made-up person or a number within its first words, so two stories share no
    sentence and no 12-word opening (as news prose does not: crawler.extract.passages)."""
    body, act, other = (
        rnd.choice(beat["bodies"]),
        rnd.choice(beat["acts"]),
        rnd.choice(beat["things"]),
    )
    who, n = person(rnd), rnd.randint(3, 950)
    shapes = (
        f"{body.capitalize()} {act} the {n}-thousand plan for {topic} {rnd.choice(_WHEN)}, saying costs had risen.",
        f'"We have waited {n % 40 + 2} years for this," said {who}, who has followed {topic} since it began.',
        f"According to figures seen by this paper, {n} people in {place} are affected by the decision on {topic}.",
        f"{who} told a packed meeting in {place} that {other} should not be forgotten in the rush.",
        f"The changes to {topic} in {place} come after {body} {act} {other} in a separate vote {rnd.choice(_WHEN)}.",
        f"Critics in {place} say the timetable for {topic} leaves little room for an independent review.",
        f"{body.capitalize()} in {place} said a fuller account would follow once {other} was settled.",
        f"Some in {place} were {rnd.choice(_FEELINGS)}, others said {topic} had been handled badly from the start.",
        f"A report by {who} found that {topic} had run {n % 30 + 3} weeks behind its first schedule.",
        f"It is the {rnd.choice(('second', 'third', 'fourth'))} time in {n % 9 + 2} years that {place} has seen {topic} reach this stage.",
        f"Asked whether {other} would be next, {who} declined to give a date for {place}.",
        f"The {place} branch of {body} has written to ministers about {topic} and {other}.",
        f"Work on {topic} in {place} is expected to resume by {rnd.choice(('March', 'June', 'September', 'December'))}, with {n} staff involved.",
        f"{who}, a spokesperson for {body}, called the outcome for {topic} {rnd.choice(('fair', 'premature', 'overdue', 'regrettable'))}.",
    )  # fmt: skip
    return shapes[shape % len(shapes)]


@dataclass(frozen=True)
class Story:
    """One article's truth: title, authors, date, paragraphs (each 1-3 sentences)."""

    key: str
    slug: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in split_sentences(p)]


def split_sentences(text: str) -> list[str]:
    """Sentences of generated text: each ends with '.', '?' or '!' (and maybe a quote mark)."""
    return [s for s in _SENTENCE_BREAK.split(text.strip()) if s]


_SENTENCE_BREAK = re.compile(r'(?<=[.?!])\s+|(?<=[.?!]")\s+')


def make_story(rnd: random.Random, key: str, beat: str, authors: list[str], number: int) -> Story:
    """A story of 5-9 paragraphs on one topic of ``beat`` in a made-up place."""
    pool = BEATS[beat]
    topic, place = rnd.choice(pool["things"]), name_word(rnd)
    shapes = itertools.cycle(rnd.sample(range(28), 28))  # each shape twice, then again
    paragraphs, seen = [], set()
    for _ in range(rnd.randint(5, 9)):
        sentences = []
        for _ in range(rnd.randint(1, 3)):
            while (sentence := _sentence(rnd, pool, topic, place, next(shapes))) in seen:
                pass
            seen.add(sentence)
            sentences.append(sentence)
        paragraphs.append(" ".join(sentences))
    title = f"{place} {rnd.choice(pool['bodies'])} {rnd.choice(pool['acts'])} {topic}".replace(
        " the ", " "
    )
    title = title[0].upper() + title[1:]
    byline = tuple(rnd.sample(authors, 2)) if rnd.random() < 0.15 else (rnd.choice(authors),)
    published = datetime(2026, 9, 1, 6, tzinfo=UTC) + timedelta(
        hours=7 * number + rnd.randint(0, 6)
    )
    slug = f"{published:%Y/%m}/{place.lower()}-{topic.split()[-1].strip(chr(39))}-{number}"
    return Story(key, slug, title, byline, published, tuple(paragraphs))


def bio(rnd: random.Random, author: str, beat: str) -> str:
    """Two sentences about ``author``: the bio box a publisher prints after their stories."""
    first = author.split()[0]
    town = name_word(rnd)
    opener = rnd.choice(
        (
            f"{author} covers {beat} news for the paper from {town}.",
            f"{author} is our {beat} correspondent and has reported from {town} since {rnd.randint(2005, 2022)}.",
            f"Before joining the newsroom, {author} spent {rnd.randint(3, 15)} years at a weekly in {town}.",
            f"{author} writes about {beat} and the people it touches.",
        )
    )
    tail = rnd.choice(
        (
            f"{first} previously worked as a researcher and still keeps bees.",
            f"Contact {first} with tips through the newsroom's secure line.",
            f"{first} is the author of two books about the {name_word(rnd)} valley.",
            f"{first} studied history in {name_word(rnd)} and lives there with two cats.",
        )
    )
    return f"{opener} {tail}"


def blurb(rnd: random.Random, beat: str) -> str:
    """A 25-40 word teaser blurb for a story that is not this one."""
    pool = BEATS[beat]
    thing, place = rnd.choice(pool["things"]), name_word(rnd)
    return (
        f"{rnd.choice(pool['bodies']).capitalize()} in {place} {rnd.choice(pool['acts'])} "
        f"{thing} after a long dispute, and {person(rnd)} says the fight over the money is "
        f"far from finished, with a second hearing due before the end of the {rnd.choice(('month', 'year', 'season'))}."
    )


def headline(rnd: random.Random, beat: str) -> str:
    pool = BEATS[beat]
    return f"{name_word(rnd)} {rnd.choice(pool['bodies'])} {rnd.choice(pool['acts'])} {rnd.choice(pool['things'])}".replace(
        " the ", " "
    ).capitalize()


def caption(rnd: random.Random, topic_title: str) -> tuple[str, str]:
    """(caption, credit) for the lead photo: "Volunteers at ..." and "Photo: A B for Agency"."""
    who = rnd.choice(("Volunteers", "Officials", "Visitors", "Workers", "Residents", "Staff"))
    cap = f"{who} gathered near the site {rnd.choice(('on Friday', 'at dawn', 'last month', 'in the rain'))}, days before the announcement."
    agency = f"{name_word(rnd)} {rnd.choice(('Images', 'Press', 'Pictures', 'Photo Agency'))}"
    credit = rnd.choice((f"Photo: {person(rnd)} for {agency}", f"(Image credit: {person(rnd)}/{agency})",
                         f"Picture: {agency}"))  # fmt: skip
    del topic_title
    return cap, credit


def comments(rnd: random.Random, count: int) -> list[tuple[str, str]]:
    """(name, text) reader comments."""
    lines = (
        "This has been going on far too long and nobody seems to care.",
        "Good to see someone finally asking the right questions about it.",
        "I live two streets away and nobody consulted us at all.",
        "Where exactly is the money coming from, that is what I want to know.",
        "Excellent reporting, please keep following this one.",
        "The same thing happened ten years ago and we learnt nothing.",
    )
    return [(person(rnd), rnd.choice(lines)) for _ in range(count)]


def newsletter(rnd: random.Random, site_name: str) -> str:
    return rnd.choice(
        (
            f"Sign up for {site_name}'s morning briefing: the day's stories in your inbox before breakfast.",
            f"Get {site_name} in your inbox. Our free newsletter arrives every weekday at seven.",
            f"Never miss a story: subscribe to our daily email from {site_name}, free and easy to cancel.",
        )
    )


def edited(rnd: random.Random, story: Story, kind: str) -> Story:
    """``story`` after a real edit: a sentence corrected, a paragraph added, a new title."""
    paragraphs = list(story.paragraphs)
    if kind in ("edit", "retitle+edit"):
        i = rnd.randrange(len(paragraphs))
        paragraphs[i] = (
            f"{paragraphs[i]} Correction: an earlier version of this story gave the wrong figure "
            f"for {name_word(rnd)}, which is {rnd.randint(11, 99)} per cent."
        )
    if kind == "add":
        paragraphs.append(
            f"Update: {person(rnd)} confirmed on {rnd.choice(('Tuesday', 'Wednesday'))} evening "
            "that the decision would be reviewed again within a month."
        )
    title = story.title
    if kind in ("retitle", "retitle+edit"):
        title = f"{story.title}, officials confirm"
    return replace(story, title=title, paragraphs=tuple(paragraphs))
