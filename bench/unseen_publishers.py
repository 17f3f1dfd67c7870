"""Unseen publishers: five loopback sites nobody tuned for, crawled, re-rendered, edited, scored.

    python bench/unseen_publishers.py [--articles 45] [--backends sqlite,postgresql]
                                      [--templates first|second] [--seed 19] [--show 5]

Issue 19's held-back check, rebuilt: five publishers, each with its own template
(``bench/unseen_templates.py``: WordPress-like, hashed div soup, schema.org
microdata, an old ``<font>`` table layout, modern ``<article>``/``<section>``
with ``data-`` attributes) and ``--articles`` stories each, generated text whose
truth is known (``bench/unseen_text.py``). ``--templates second`` crawls a second,
independently written family of the same five kinds instead
(``bench/unseen_templates_second.py``: a Ghost-like CMS, Bootstrap grid div soup,
microdata with ``Person`` authors, a ``<center>``/``<hr>`` table layout, a React
server-rendered page), with every noise kind in other shapes: whether rules fitted
to the first family carry over. Pages carry the noise kinds the issue
lists: bio boxes after the body, teaser cards inside it (to another story of the
same site, whose lead is then the blurb, or off-site), pull quotes repeating a
sentence, photo captions and credits, "Read more:" lines, reader comments,
related stories and newsletter boxes.

Then, on each backend (a fresh database each):

1. ``crawler crawl`` of all five (their sitemaps);
2. every page re-rendered with other furniture (other teasers, captions,
   quotes, comments, class hashes) and no edit, crawled again: each new version
   is a false one;
3. furniture changed again, five stories a site really edited (a corrected
   sentence, a paragraph added, a new title, both) and one deleted (404),
   crawled again: is every edit a new version with the new text, is every
   deletion ``gone``, and did an untouched story get a version?
4. ``crawler reextract``, the stored pages read again with all that was learnt.

After each step it scores every stored live article against its truth: how many
carry noise (any sentence of a noise block the page printed that the story does
not hold, or a pull-quoted sentence more often than the story holds it), by
kind; how many lost a sentence of their own; and the mean token F1 of the stored text (bag of lowercased words)
against the true paragraphs. ``--show N`` prints N leaking sentences a kind.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import PG_URL, pg_schema  # noqa: E402
from bench.unseen_markup import Page, Teaser  # noqa: E402
from bench.unseen_templates import TEMPLATES  # noqa: E402
from bench.unseen_templates_second import TEMPLATES as SECOND_TEMPLATES  # noqa: E402
from bench.unseen_text import (  # noqa: E402
    Story,
    bio,
    blurb,
    caption,
    comments,
    edited,
    headline,
    make_story,
    newsletter,
    person,
    split_sentences,
)
from crawler.demo.site import Reply, serve  # noqa: E402

# site -> (beat, masthead): one template each, named as in bench/unseen_templates.py.
PUBLISHERS = {
    "wordpress": ("local", "The Harbour Ledger"),
    "soup": ("tech", "Bytewire"),
    "microdata": ("science", "Field Notes Daily"),
    "table": ("sport", "Valley Sporting Times"),
    "modern": ("culture", "The Stagebill"),
}
# ... and the second family's, named as in bench/unseen_templates_second.py.
SECOND_PUBLISHERS = {
    "cms": ("local", "The Northgate Courier"),
    "grid": ("tech", "Signal Stack"),
    "schema": ("science", "Lab Bench Weekly"),
    "oldtable": ("sport", "Riverside Sports Gazette"),
    "react": ("culture", "Encore Review"),
}
Template = Callable[[Page], str]
FAMILIES: dict[str, tuple[dict[str, tuple[str, str]], dict[str, Template]]] = {
    "first": (PUBLISHERS, TEMPLATES),
    "second": (SECOND_PUBLISHERS, SECOND_TEMPLATES),
}
# How often each kind of noise is on a story's page (the same stories on every rendering).
SHARES = {
    "bio": 0.6,
    "teaser": 0.6,
    "pull": 0.4,
    "caption": 0.35,
    "read_more": 0.1,
    "comments": 0.1,
    "related": 0.5,
    "newsletter": 0.5,
}
EDITS = ("edit", "add", "retitle", "retitle+edit", "edit")  # per site, each step 3
DELETIONS = 1  # per site
MIN_NOISE_WORDS = 3  # shorter noise sentences ("Picture: X") could be story text by chance


@dataclass
class Site:
    name: str
    template: Template
    beat: str
    masthead: str
    authors: list[str]
    bios: dict[str, str]
    stories: list[Story]
    kinds: list[frozenset[str]]  # the noise kinds each story's page carries
    deleted: set[int] = field(default_factory=set)
    edits: dict[int, str] = field(default_factory=dict)


def make_site(name: str, family: str, n: int, seed: int) -> Site:
    publishers, templates = FAMILIES[family]
    beat, masthead = publishers[name]
    rnd = random.Random(f"{seed}-{name}")
    authors = [person(rnd) for _ in range(rnd.randint(4, 6))]
    bios = {a: bio(rnd, a, beat) for a in authors}
    stories = [make_story(rnd, f"{name}-{i}", beat, authors, i) for i in range(n)]
    kinds = [frozenset(k for k, share in SHARES.items() if rnd.random() < share) for _ in stories]
    return Site(name, templates[name], beat, masthead, authors, bios, stories, kinds)


def render(site: Site, i: int, version: int) -> tuple[str, dict[str, list[str]]]:
    """Story ``i`` of ``site`` as rendering ``version`` shows it, and its noise by kind."""
    story, kinds = site.stories[i], site.kinds[i]
    rnd = random.Random(f"{site.name}-{i}-{version}")
    others = [j for j in range(len(site.stories)) if j != i and j not in site.deleted]
    page = Page(site.name, site.masthead, story, version)
    noise: dict[str, list[str]] = defaultdict(list)
    if "bio" in kinds:
        page.bios = [(a, site.bios[a]) for a in story.authors]
        noise["bio"] += [b for _, b in page.bios]
    if "teaser" in kinds:
        page.teaser_at = rnd.randint(1, 3)
        if rnd.random() < 0.5:  # another story of this site: its lead is the blurb
            other = site.stories[rnd.choice(others)]
            page.teaser = Teaser(f"/{site.name}/{other.slug}", other.title, other.paragraphs[0])
        else:
            slug = f"{rnd.randint(1000, 9999)}-story"
            page.teaser = Teaser(
                f"https://elsewhere.example/{slug}", headline(rnd, site.beat), blurb(rnd, site.beat)
            )
        noise["teaser"] += [page.teaser.headline, page.teaser.blurb]
    if "pull" in kinds:
        page.pull_at = rnd.randint(2, 4)
        page.pull = rnd.choice(story.sentences)
        noise["pull"].append(page.pull)  # scored by count: the story holds it once
    if "caption" in kinds:
        page.photo = caption(rnd, story.title)
        noise["caption"] += list(page.photo)
    if "read_more" in kinds:
        other = site.stories[rnd.choice(others)]
        page.read_more = Teaser(f"/{site.name}/{other.slug}", other.title, "")
        page.read_more_at = rnd.randint(2, 5)
        noise["read_more"].append(other.title)
    if "comments" in kinds:
        page.comments = comments(rnd, rnd.randint(2, 4))
        noise["comments"] += [c for _, c in page.comments]
    if "related" in kinds:
        picks = [site.stories[j] for j in rnd.sample(others, 3)]
        page.related = [Teaser(f"/{site.name}/{s.slug}", s.title, "") for s in picks]
        noise["related"] += [s.title for s in picks]
    if "newsletter" in kinds:
        page.newsletter = newsletter(rnd, site.masthead)
        noise["newsletter"].append(page.newsletter)
    return site.template(page), noise


@dataclass
class World:
    """Every publisher's pages as served now; :meth:`respond` serves them (404 otherwise)."""

    sites: dict[str, Site]
    base: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    noise: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # url -> kind -> texts

    def url(self, site: Site, i: int) -> str:
        return f"{self.base}/{site.name}/{site.stories[i].slug}"

    def render(self, version: int) -> None:
        pages, noise = {}, {}
        for site in self.sites.values():
            live = [i for i in range(len(site.stories)) if i not in site.deleted]
            locs = "".join(f"<url><loc>{self.url(site, i)}</loc></url>" for i in live)
            pages[f"/{site.name}/sitemap.xml"] = (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            )
            for i in live:
                html, kinds = render(site, i, version)
                url = self.url(site, i)
                pages[url.removeprefix(self.base)], noise[url] = html, kinds
        self.pages, self.noise = pages, noise

    def respond(self, path_qs: str, headers: dict[str, str]) -> Reply:
        del headers
        body = self.pages.get(path_qs)
        if body is None:
            return Reply(404, b"not here", "text/plain")
        kind = "application/xml" if path_qs.endswith(".xml") else "text/html; charset=utf-8"
        return Reply(200, body.encode(), kind)

    def truth(self) -> dict[str, Story]:
        return {
            self.url(site, i): s
            for site in self.sites.values()
            for i, s in enumerate(site.stories)
            if i not in site.deleted
        }


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def norm(text: str) -> str:
    """Text as compared: NFKC, curly quotes folded, whitespace collapsed, lowercased."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).lower().split())


def token_f1(got: str, want: str) -> float:
    """F1 of the two texts' bags of lowercased words (``\\w+``); 1.0 for two empty texts."""
    a, b = Counter(re.findall(r"\w+", got.lower())), Counter(re.findall(r"\w+", want.lower()))
    common = sum((a & b).values())
    if not a and not b:
        return 1.0
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def leaks(stored: str, story: Story, noise: dict[str, list[str]]) -> dict[str, list[str]]:
    """The noise sentences ``stored`` carries, by kind: a noise block's sentence of
    ``MIN_NOISE_WORDS`` words or more that the story does not hold, or the pull-quoted
    sentence more often than the story holds it."""
    got, want = norm(stored), norm("\n".join(story.paragraphs))
    out: dict[str, list[str]] = defaultdict(list)
    for kind, texts in noise.items():
        for text in texts:
            for sentence in split_sentences(text):
                s = norm(sentence)
                if len(s.split()) < MIN_NOISE_WORDS:
                    continue
                if got.count(s) > want.count(s) if kind == "pull" else (s in got and s not in want):
                    out[kind].append(sentence)
    return out


@dataclass
class Score:
    articles: int = 0
    noisy: int = 0
    cut: int = 0  # articles missing a sentence of their own
    f1: float = 0.0
    titles: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, row: dict[str, Any], story: Story, noise: dict[str, list[str]]) -> None:
        found = leaks(row["text"], story, noise)
        self.articles += 1
        self.noisy += bool(found)
        stored = norm(row["text"])
        lost = [x for x in story.sentences if norm(x) not in stored]
        self.cut += bool(lost)
        self.examples["lost"] += lost
        self.f1 += token_f1(row["text"], "\n".join(story.paragraphs))
        self.titles += norm(row["title"] or "") == norm(story.title)
        for kind, sentences in found.items():
            self.kinds[kind] += 1
            self.examples[kind] += sentences

    def line(self, label: str) -> str:
        n = max(self.articles, 1)
        kinds = ", ".join(f"{k} {c}" for k, c in self.kinds.most_common()) or "-"
        return (
            f"  {label:<11} {self.noisy:>3} of {self.articles:>3} carry noise, {self.cut:>3} lost "
            f"text  token F1 {self.f1 / n:.3f}  titles {self.titles / n:6.1%}  ({kinds})"
        )


def crawl(config: Path, db_url: str) -> None:
    """``crawler crawl``; prints its summary's lines on pages it fetched but did not store."""
    out = run_cli("crawl", "--config", str(config), "--db", db_url)
    for line in out.splitlines():
        if "not stored" in line or "errors:" in line:
            print(f"  crawl: {line.strip()}")


def run_cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "crawler", *args], capture_output=True, text=True, timeout=1800
    )
    if done.returncode != 0:
        raise SystemExit(f"crawler {args[0]} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout


def exported(db_url: str) -> dict[str, dict[str, Any]]:
    return {r["url"]: r for r in map(json.loads, run_cli("export", "--db", db_url).splitlines())}


def score(world: World, rows: dict[str, dict[str, Any]], label: str, show: int) -> Score:
    """Print one line per publisher and the total; returns the total."""
    print(f" {label}:")
    total = Score()
    for site in world.sites.values():
        mine = Score()
        for i, story in enumerate(site.stories):
            url = world.url(site, i)
            if i in site.deleted or url not in rows:
                continue
            for s in (mine, total):
                s.add(rows[url], story, world.noise[url])
        print(mine.line(site.name))
    print(total.line("all"))
    missing = len(world.truth()) - total.articles
    if missing:
        print(f"  (stored: {total.articles} of {len(world.truth())} live stories)")
    for kind, sentences in total.examples.items():
        for sentence in list(dict.fromkeys(sentences))[:show]:
            print(f"    {kind}: {sentence[:110]}")
    return total


def write_config(path: Path, world: World) -> Path:
    defaults = {
        "download_delay": "0s",
        "concurrency_per_host": 8,
        "timeout": "20s",
        "max_pages": 1000,
        "revisit": {"within_days": 3650, "min_interval": "0s"},
    }
    sources = [{"name": s, "sitemaps": [f"{world.base}/{s}/sitemap.xml"]} for s in world.sites]
    path.write_text(yaml.safe_dump({"defaults": defaults, "sources": sources}))
    return path


def edit_and_delete(world: World, seed: int) -> None:
    """Per site: the stories of ``EDITS`` really edited, ``DELETIONS`` stories deleted."""
    for site in world.sites.values():
        rnd = random.Random(f"{seed}-{site.name}-edits")
        picks = rnd.sample(range(len(site.stories)), len(EDITS) + DELETIONS)
        for i, kind in zip(picks, EDITS, strict=False):
            site.stories[i] = edited(rnd, site.stories[i], kind)
            site.edits[i] = kind
        site.deleted.update(picks[len(EDITS) :])


def versions(rows: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {url: len(r["versions"]) for url, r in rows.items()}


def check_changes(world: World, before: dict[str, int], rows: dict[str, dict[str, Any]]) -> None:
    """Print edits recorded (one version more, with the new title and text), deletions
    recorded (``gone``) and untouched stories that got a version."""
    edits = recorded = deletions = gone = untouched = false = 0
    for site in world.sites.values():
        for i, story in enumerate(site.stories):
            url = world.url(site, i)
            row = rows.get(url)
            if row is None:
                continue
            grew = len(row["versions"]) - before.get(url, 0)
            if i in site.deleted:
                deletions += 1
                gone += row["status"] == "gone"
            elif i in site.edits:
                edits += 1
                last = row["versions"][-1]
                same = norm(last["title"]) == norm(story.title)
                whole = all(norm(p) in norm(last["text"]) for p in story.paragraphs)
                recorded += grew == 1 and same and whole
            else:
                untouched += 1
                false += grew > 0
    print(
        f"  edits recorded {recorded} of {edits}; deletions recorded {gone} of {deletions}; "
        f"untouched stories with a new version {false} of {untouched}"
    )


def run(world: World, db_url: str, tmp: Path, seed: int, show: int) -> None:
    config = write_config(tmp / f"unseen-{uuid.uuid4().hex[:6]}.yaml", world)
    world.render(0)
    crawl(config, db_url)
    rows = exported(db_url)
    score(world, rows, "first crawl", show)
    first = versions(rows)

    world.render(1)
    crawl(config, db_url)
    rows = exported(db_url)
    added = sum(n - first.get(url, 0) for url, n in versions(rows).items())
    grew = sum(n > first.get(url, 0) for url, n in versions(rows).items())
    print(
        f"  re-rendered, no edit: {grew} of {len(rows)} articles got a new version ({added} in all)"
    )
    score(world, rows, "after the re-render", show)

    before = versions(rows)
    edit_and_delete(world, seed)
    world.render(2)
    crawl(config, db_url)
    rows = exported(db_url)
    check_changes(world, before, rows)
    score(world, rows, "after edits", show)

    run_cli("reextract", "--db", db_url)
    score(world, exported(db_url), "reextracted", show)


def _database(backend: str, tmp: str, pg: str) -> AbstractContextManager[str]:
    if backend == "sqlite":
        return nullcontext(f"sqlite:///{tmp}/unseen-{uuid.uuid4().hex[:6]}.db")
    return pg_schema(pg)


def _served(world: World) -> Iterator[World]:
    # A crawl's client drops idle keep-alive connections as it ends: the threaded server's
    # traceback of each reset is not the bench's output.
    ThreadingHTTPServer.handle_error = lambda *_: None  # type: ignore[method-assign]
    return serve(world)  # type: ignore[arg-type,return-value]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=45, help="stories per publisher")
    ap.add_argument("--backends", default="sqlite")
    ap.add_argument("--pg", default=PG_URL, help="PostgreSQL URL (a schema is made in it)")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--templates", choices=sorted(FAMILIES), default="first")
    ap.add_argument("--show", type=int, default=0, help="leaking sentences printed per kind")
    args = ap.parse_args()
    for backend in args.backends.split(","):
        publishers = FAMILIES[args.templates][0]
        sites = {
            name: make_site(name, args.templates, args.articles, args.seed) for name in publishers
        }
        print(
            f"{backend}: {len(sites)} publishers ({args.templates} templates), "
            f"{args.articles} stories each"
        )
        with (
            tempfile.TemporaryDirectory() as tmp,
            _database(backend, tmp, args.pg) as db_url,
            _served(World(sites)) as world,
        ):
            run(world, db_url, Path(tmp), args.seed, args.show)


if __name__ == "__main__":
    main()
