"""The demo publisher's articles: original text written for this project."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class DemoArticle:
    """One article on the demo site, with knobs that tests turn into faults."""

    slug: str
    title: str
    author: str
    published: datetime
    paragraphs: list[str]
    section: str = "tech"
    charset: str = "utf-8"  # e.g. "windows-1252" to test decoding
    fail_first: int = 0  # answer 503 (Retry-After: 1) to this many requests first
    status: int = 200  # 410 or 404 once the article is deleted
    private: bool = False  # under /private/, which robots.txt disallows
    modified: datetime | None = None
    outlet: str = "news"  # the path its outlet serves it under: /news/ or /wire/
    hits: int = field(default=0, compare=False)


def _t(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


ARTICLES = [
    DemoArticle(
        "chipmaker-opens-fab",
        "Chipmaker opens its first European fab after two-year delay",
        "Lena Hofmann",
        _t(1, 9),
        [
            "A semiconductor maker opened its first European fabrication plant on Monday, two "
            "years later than planned, after supply problems with lithography equipment pushed "
            "the schedule back twice.",
            "The plant will start with mature process nodes used in cars and industrial "
            "controllers, the company said, and move to finer geometries once a second clean "
            "room is finished next year.",
            "Regional officials welcomed the 1,400 jobs the site is expected to create, while "
            "analysts cautioned that demand for automotive chips has cooled since the shortage "
            "years ended.",
            "The company declined to say how much of the construction cost was covered by "
            "public subsidies, citing confidentiality agreements with the national government.",
        ],
    ),
    DemoArticle(
        "open-source-database-release",
        "Open-source database ships faster query planner in major release",
        "Ravi Menon",
        _t(2, 14),
        [
            "The maintainers of a popular open-source database released a new major version on "
            "Tuesday with a rewritten query planner that they say cuts the time of complex "
            "joins by up to forty percent.",
            "The release also adds incremental backups and a new logical replication mode that "
            "lets operators copy single tables between clusters without downtime.",
            "Several cloud providers said they would offer the new version within weeks, though "
            "one warned customers to test extensions before upgrading production systems.",
        ],
    ),
    DemoArticle(
        "startup-raises-robotics",
        "Warehouse robotics startup raises €80 million to expand in Asia",
        "Mei Tanaka",
        _t(3, 8),
        [
            "A warehouse robotics startup said on Wednesday it had raised €80 million in a "
            "funding round led by two logistics investors, valuing the company at just under "
            "€1 billion, according to its chief financial officer, Zoë Müller.",
            "The company builds small autonomous carts that move shelves to human pickers, and "
            "says its systems are now used in 120 warehouses across eleven countries.",
            "Its chief executive said the money would pay for offices in Singapore and Seoul "
            "and for a larger team working on software that plans routes for hundreds of carts "
            "at once.",
            "Competition in the sector has grown as retailers look to cut delivery times, and "
            "several rivals have merged or closed in the past year.",
        ],
        charset="windows-1252",
    ),
    DemoArticle(
        "regulator-fines-app-store",
        "Regulator fines app store operator over payment rules",
        "Tomás Ortega",
        _t(4, 11),
        [
            "A competition regulator fined a large app store operator on Thursday, saying its "
            "rules stopped developers from telling users about cheaper ways to pay for "
            "subscriptions.",
            "The operator said it would appeal, arguing that its payment system protects users "
            "from fraud and that the rules apply equally to all developers.",
            "Developer groups called the decision overdue and urged the regulator to make sure "
            "the company changes its rules rather than treating the fine as a cost of business.",
        ],
        fail_first=1,
    ),
    DemoArticle(
        "battery-research-breakthrough",
        "Researchers report solid-state battery that survives 5,000 cycles",
        "Grace Adeyemi",
        _t(5, 16),
        [
            "University researchers said they had built a solid-state battery cell that kept "
            "more than ninety percent of its capacity after 5,000 charge cycles in laboratory "
            "tests.",
            "The team used a new ceramic electrolyte that resists the growth of metal "
            "filaments, a common cause of failure in earlier designs.",
            "The researchers stressed that the cells are still small and that making them at "
            "scale would require manufacturing methods that do not yet exist.",
            "Two carmakers have funded parts of the work, according to the paper, though "
            "neither has announced plans to use the technology.",
        ],
    ),
    DemoArticle(
        "satellite-internet-outage",
        "Satellite internet service restored after six-hour outage",
        "Jonas Berg",
        _t(6, 7),
        [
            "A satellite internet service was restored on Friday after an outage of about six "
            "hours that cut off customers on several continents.",
            "The operator blamed a failed software update to its ground stations and said no "
            "satellites had been affected.",
            "Emergency services in two remote regions said they had switched to backup radio "
            "links during the outage, and called for clearer reporting of such incidents.",
        ],
    ),
    DemoArticle(
        "internal-roadmap-leak",
        "Internal roadmap leak (not for crawlers)",
        "Staff",
        _t(6, 9),
        ["This page lives under a path that robots.txt disallows; no crawl may fetch it."],
        private=True,
    ),
]


def _wire_copy(original: DemoArticle, title: str) -> DemoArticle:
    """The same story as ``original`` run by the publisher's wire outlet: own headline and byline."""
    return DemoArticle(
        original.slug,
        title,
        "Demo Wire staff",
        original.published.replace(hour=original.published.hour + 1),
        list(original.paragraphs),
        outlet="wire",
    )


# The publisher's second outlet carries one of the paper's stories: two sources,
# one story, so the store's story clusters (and the web UI's Stories page) have
# something to show.
WIRE = [
    _wire_copy(
        next(a for a in ARTICLES if a.slug == "battery-research-breakthrough"),
        "Solid-state battery cell keeps 90% of its capacity after 5,000 cycles",
    )
]

# What the demo's publisher adds to its edited article on each demo run: the
# first run adds the first update, a second run in the same folder the second.
UPDATES = [
    "the maintainers published a first patch release on Wednesday fixing a crash in the new "
    "planner that some early adopters had reported.",
    "a second patch release followed on Friday, restoring an index option that the major "
    "release had removed by mistake.",
    "the project said the next minor release, due in three months, will make the new "
    "replication mode the default for new clusters.",
]


def update_paragraph(number: int) -> str:
    """The paragraph of update ``number`` (from 1); after the last one, the texts come round again."""
    return f"Update {number}: {UPDATES[(number - 1) % len(UPDATES)]}"


# A paragraph the demo paper runs inside every article body: no markup or
# wording rule can tell it from the story; only seeing it on many of the
# paper's pages can (learnt furniture, see crawler.extract.furniture).
STANDING_NOTE = (
    "Demo Daily is funded by its readers, and our reporting on technology stays free to read "
    "for everyone thanks to the support of our members."
)

PROMOS = [
    (
        "This Chef Won the Prize For Best Knife Skills - Here's How",
        "The clip went viral with everyone sharing it, while also making light of the moment.",
    ),
    (
        "Doctors Hate This One Simple Breakfast Trick",
        "Thousands of readers have already tried it; see what happened next.",
    ),
]

COMMENTS = [
    "Great article, thanks for sharing!",
    "I have been waiting for this for years.",
    "Does anyone know when this comes to Canada?",
]
