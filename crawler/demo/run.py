"""``crawler demo``: crawl the bundled publisher, edit an article, crawl again, show both."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from rich.console import Console
from sqlalchemy import select

from crawler.config import Config, parse
from crawler.console import make_console, rule
from crawler.crawl.runner import RunSummary, crawl_sources, run_with_reactor
from crawler.demo.content import update_paragraph
from crawler.demo.site import DemoSite, serve
from crawler.store.db import make_engine, redact, resolve_url, session_scope, upgrade
from crawler.store.models import Article, ArticleVersion, SourceRow
from crawler.summary import print_summaries

EDITED_SLUG = "open-source-database-release"
# A fixed port keeps the demo's URLs, and so its stored articles, the same across runs;
# a re-run uses the port the store's demo articles name.
DEMO_PORT = 8787
SOURCES = ("demo", "demo-wire")


def demo_config(base: str) -> Config:
    """The demo sources: the paper with every discovery route its site offers, and its wire outlet."""
    return parse(
        {
            "defaults": {
                "download_delay": "0s",
                "revisit": {"within_days": 3650, "min_interval": "0s"},
            },
            "sources": [
                {
                    "name": "demo",
                    "feeds": [f"{base}/feed.xml"],
                    "sitemaps": [f"{base}/robots.txt"],
                    "start_urls": [f"{base}/section/tech"],
                },
                {"name": "demo-wire", "feeds": [f"{base}/wire/feed.xml"]},
            ],
        },
        "demo",
    )


@dataclass
class DemoResult:
    first: list[RunSummary]
    second: list[RunSummary]


@dataclass(frozen=True)
class Earlier:
    """What an earlier demo left in the store: its port, and the edited article's newest version."""

    port: int | None
    versions: int


def earlier_demo(db_url: str, edited_path: str) -> Earlier:
    """The port of the demo articles already stored (None if none) and the edited one's version count."""
    engine = make_engine(db_url, write=False)
    with session_scope(engine) as session:
        urls = session.execute(
            select(Article.url, Article.current_version)
            .join(SourceRow, SourceRow.id == Article.source_id)
            .where(SourceRow.name == "demo")
            .order_by(Article.first_seen.desc())
        ).all()
    engine.dispose()
    if not urls:
        return Earlier(None, 0)
    port = urlsplit(urls[0][0]).port
    edited = f"http://127.0.0.1:{port}{edited_path}"
    return Earlier(port, next((n for url, n in urls if url == edited), 0))


def run_demo(db_url: str, console: Console | None = None) -> DemoResult:
    """Crawl the demo publisher, edit one article, crawl again; print both runs, the store and what next.

    A re-run into the same store revisits what the earlier run stored: the
    publisher starts as that run left it (its earlier updates applied), so the
    first crawl finds nothing changed, and the edit adds the next update.
    """
    console = console or make_console()
    upgrade(db_url)
    site = DemoSite()
    edited_path = site.article_path(site.articles[EDITED_SLUG])
    earlier = earlier_demo(db_url, edited_path)
    with serve(site, port=earlier.port or DEMO_PORT) as site:
        cfg = demo_config(site.base)
        console.print(f"demo publisher at {site.base}")
        reused = earlier.versions if site.base.endswith(f":{earlier.port}") else 0
        for number in range(1, reused):
            site.edit(EDITED_SLUG, add_paragraph=update_paragraph(number))
        update = max(1, reused)
        if reused:
            console.print(
                f"{redact(db_url)} already holds this demo's articles from an earlier run: "
                "the first crawl revisits them (nothing changed), then the publisher adds "
                f"update {update} to {site.base}{edited_path}"
            )

        async def both() -> DemoResult:
            first = await crawl_sources(cfg.sources, db_url)
            site.edit(EDITED_SLUG, add_paragraph=update_paragraph(update))
            second = await crawl_sources(cfg.sources, db_url)
            return DemoResult(first, second)

        result = run_with_reactor(both)
    rule(console, "first crawl")
    print_summaries(result.first, console=console)
    rule(console, "second crawl, after the publisher edited one article")
    print_summaries(result.second, console=console)
    edited_url = f"{site.base}{edited_path}"
    show_store(db_url, edited_url, console)
    print_next_steps(db_url, edited_url, console)
    return result


def show_store(db_url: str, edited_url: str, console: Console) -> None:
    """The demo sources' stored articles, then the edited article's newest version."""
    engine = make_engine(db_url, write=False)
    with session_scope(engine) as session:
        rule(console, "stored articles")
        arts = session.execute(
            select(Article, SourceRow.name)
            .join(SourceRow, SourceRow.id == Article.source_id)
            .where(SourceRow.name.in_(SOURCES))
            .order_by(Article.first_seen, Article.id)
        ).all()
        for art, source in arts:
            story = f", story {art.cluster_id}" if art.cluster_id else ""
            console.print(
                f"[bold]{art.url}[/bold]  {source}, versions: {art.current_version}"
                f"  ({art.status}{story})"
            )
        edited = session.execute(
            select(ArticleVersion)
            .join(Article, Article.id == ArticleVersion.article_id)
            .where(Article.url == edited_url, ArticleVersion.version == Article.current_version)
        ).scalar_one_or_none()
        if edited is not None:
            rule(console, f"version {edited.version} of {edited_url}")
            console.print(f"[bold]{edited.title}[/bold]")
            console.print(edited.text, markup=False)
    engine.dispose()


def next_steps(db_url: str, edited_url: str) -> list[tuple[str, str]]:
    """The commands to try on the demo's store, each with what it shows."""
    db_arg = "" if db_url == resolve_url(None) else f" --db {redact(db_url)}"
    return [
        (f"crawler serve{db_arg}", "browse it: articles, versions, diffs, stories, runs"),
        (f"crawler diff {edited_url}{db_arg}", "what the publisher's edit changed, word by word"),
        (f"crawler show {edited_url}{db_arg}", "the article, its version timeline and its text"),
        (f"crawler status{db_arg}", "each source's last run and health"),
    ]


def print_next_steps(db_url: str, edited_url: str, console: Console) -> None:
    """Where the data is, and what to try next."""
    rule(console, "next")
    console.print(f"the data is in {redact(db_url)}; try:", markup=False)
    for command, what in next_steps(db_url, edited_url):
        console.print(f"  {command}", markup=False)
        console.print(f"      {what}", markup=False, style="dim")
