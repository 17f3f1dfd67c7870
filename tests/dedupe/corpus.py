"""A labelled set of wire stories, their edited copies, and look-alike distinct stories.

Seeded and synthetic (no third-party text). Each story is 9-14 sentences in
paragraphs. Every "publisher" appends its own boilerplate line, and distinct
stories of one section share a background sentence or two, which is exactly
what must not make them one story. Each story has copies with edits of
increasing size, as other sources carry a wire story:

    exact, new headline, one sentence dropped, one reworded, a local paragraph
    added, two dropped and two reworded, the last third cut, three reworded
    and a paragraph added.

``labelled_set()`` returns ``(items, truth)``: items are ``(key, title,
text)``, truth maps each key to its story id.
"""

from __future__ import annotations

import random

ORGS = ["the regulator", "the ministry", "the city council", "the chipmaker", "the airline",
        "the carmaker", "the central bank", "the hospital trust", "the port authority",
        "the telecom operator", "the university", "the football league", "the utility",
        "the rail operator", "the software company", "the retailer"]  # fmt: skip
VERBS = ["approved", "rejected", "announced", "delayed", "cancelled", "expanded", "reviewed",
         "funded", "criticised", "launched", "suspended", "investigated"]  # fmt: skip
THINGS = ["a plan", "a contract", "new rules", "a merger", "a pilot scheme", "a price rise",
          "a hiring freeze", "a data centre", "a bond sale", "an inquiry", "a software update",
          "a new route", "a strike ballot", "a recycling target"]  # fmt: skip
PLACES = ["in the north", "across the capital", "at its main site", "in three regions",
          "near the harbour", "along the coast", "in rural areas", "at two plants",
          "in the old town", "on the east side"]  # fmt: skip
WHEN = ["on Monday", "on Tuesday", "late on Wednesday", "on Thursday", "on Friday",
        "this week", "last month", "earlier this year"]  # fmt: skip
PEOPLE = ["Anna Berg", "Tom Reyes", "Priya Shah", "Lukas Brandt", "Mei Lin", "Omar Haddad",
          "Sara Costa", "Jon Okafor", "Elena Petrova", "Ravi Menon"]  # fmt: skip
ROLES = ["a spokesperson", "the chief executive", "an analyst", "a union official",
         "the finance director", "a local resident", "an engineer", "a lawyer"]  # fmt: skip
REASONS = ["rising costs", "safety concerns", "weak demand", "a legal challenge",
           "new evidence", "pressure from investors", "a shortage of staff",
           "complaints from customers", "a change in the law", "bad weather"]  # fmt: skip
PUBLISHER_LINES = [
    "Reporting by our newsroom; editing by the night desk.",
    "The company did not immediately respond to a request for comment.",
    "This story has been updated with additional details.",
]
SECTION_BACKGROUND = [
    "The sector has faced a wave of consolidation since the pandemic, with smaller firms struggling to compete.",
    "Regulators across the region have stepped up scrutiny of large infrastructure projects in recent years.",
    "Inflation has eased in recent months but remains above the central bank's target.",
]


def _sentence(rng: random.Random) -> str:
    n = rng.randint(2, 900)
    kinds = [
        lambda: (
            f"{rng.choice(ORGS).capitalize()} {rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(PLACES)} {rng.choice(WHEN)}, citing {rng.choice(REASONS)}."
        ),
        lambda: (
            f"{rng.choice(PEOPLE)}, {rng.choice(ROLES)}, said the decision would affect about {n} jobs {rng.choice(PLACES)}."
        ),
        lambda: (
            f"The move follows {rng.choice(REASONS)} and comes after {rng.choice(ORGS)} {rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(WHEN)}."
        ),
        lambda: (
            f"Costs are expected to reach {n} million over {rng.randint(2, 9)} years, according to figures seen by reporters."
        ),
        lambda: (
            f'"We {rng.choice(VERBS)} {rng.choice(THINGS)} because of {rng.choice(REASONS)}," {rng.choice(PEOPLE)} told a briefing {rng.choice(WHEN)}.'
        ),
        lambda: (
            f"Critics said {rng.choice(THINGS)} would do little to address {rng.choice(REASONS)} {rng.choice(PLACES)}."
        ),
    ]
    return rng.choice(kinds)()


def _reword(sentence: str, rng: random.Random) -> str:
    """A sub-editor's touch: two words of the sentence replaced."""
    words = sentence.split()
    for _ in range(2):
        i = rng.randrange(len(words))
        words[i] = rng.choice(["reportedly", "broadly", "also", "now", "formally", "quietly"])
    return " ".join(words)


def _story(rng: random.Random, background: list[str]) -> list[str]:
    sentences = [_sentence(rng) for _ in range(rng.randint(9, 14))]
    for line in background:
        sentences.insert(rng.randrange(2, len(sentences)), line)
    return sentences


def _text(sentences: list[str], publisher_line: str) -> str:
    paras = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n".join([*paras, publisher_line])


EDITS = [
    "exact",
    "headline",
    "drop1",
    "reword1",
    "add_local",
    "drop2_reword2",
    "cut_third",
    "reword3_add",
]


def _edit(kind: str, sentences: list[str], rng: random.Random) -> list[str]:
    s = list(sentences)
    if kind in {"drop1", "drop2_reword2"}:
        for _ in range(1 if kind == "drop1" else 2):
            s.pop(rng.randrange(1, len(s)))
    if kind in {"reword1", "drop2_reword2", "reword3_add"}:
        for _ in range({"reword1": 1, "drop2_reword2": 2, "reword3_add": 3}[kind]):
            i = rng.randrange(len(s))
            s[i] = _reword(s[i], rng)
    if kind in {"add_local", "reword3_add"}:
        s += [_sentence(rng), _sentence(rng)]
    if kind == "cut_third":
        s = s[: max(3, (2 * len(s)) // 3)]
    return s


def labelled_set(
    stories: int = 60, seed: int = 7
) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    rng = random.Random(seed)
    items: list[tuple[str, str, str]] = []
    truth: dict[str, int] = {}
    for story_id in range(stories):
        background = rng.sample(SECTION_BACKGROUND, k=rng.randint(0, 2))
        sentences = _story(rng, background)
        title = f"{rng.choice(ORGS).capitalize()} {rng.choice(VERBS)} {rng.choice(THINGS)}"
        for copy, kind in enumerate(rng.sample(EDITS, k=4) if story_id % 2 else EDITS[:1]):
            key = f"s{story_id}-c{copy}-{kind}"
            copy_title = f"Report: {title}" if kind == "headline" else title
            publisher = PUBLISHER_LINES[copy % len(PUBLISHER_LINES)]
            items.append((key, copy_title, _text(_edit(kind, sentences, rng), publisher)))
            truth[key] = story_id
    return items, truth


def pair_scores(assigned: dict[str, str], truth: dict[str, int]) -> tuple[float, float]:
    """(precision, recall) over pairs of items: same cluster vs same story."""
    keys = sorted(truth)
    tp = fp = fn = 0
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            same_story, same_cluster = truth[a] == truth[b], assigned[a] == assigned[b]
            tp += same_story and same_cluster
            fp += same_cluster and not same_story
            fn += same_story and not same_cluster
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)
