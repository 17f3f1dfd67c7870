"""``crawler demo``: crawl the bundled publisher, edit an article, crawl again, show both."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from sqlalchemy import select

from crawler.config import Config, parse
from crawler.crawl.runner import RunSummary, crawl_sources, run_with_reactor
from crawler.demo.site import DemoSite, serve
from crawler.store.db import make_engine, session_scope, upgrade
from crawler.store.models import Article, ArticleVersion
from crawler.summary import print_summaries

EDITED_SLUG = "open-source-database-release"
# A fixed port keeps the demo's URLs, and so its stored articles, the same across runs.
DEMO_PORT = 8787
ADDED_PARAGRAPH = (
    "Update: the maintainers published a first patch release on Wednesday fixing a crash in "
    "the new planner that some early adopters had reported."
)


def demo_config(base: str) -> Config:
    """The demo source: every discovery route the demo site offers, no delays."""
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
                }
            ],
        },
        "demo",
    )


@dataclass
class DemoResult:
    first: list[RunSummary]
    second: list[RunSummary]


def run_demo(db_url: str, console: Console | None = None) -> DemoResult:
    console = console or Console()
    upgrade(db_url)
    with serve(DemoSite(), port=DEMO_PORT) as site:
        cfg = demo_config(site.base)
        console.print(f"demo publisher at {site.base}")

        async def both() -> DemoResult:
            first = await crawl_sources(cfg.sources, db_url)
            site.edit(EDITED_SLUG, add_paragraph=ADDED_PARAGRAPH)
            second = await crawl_sources(cfg.sources, db_url)
            return DemoResult(first, second)

        result = run_with_reactor(both)
    console.rule("first crawl")
    print_summaries(result.first, console=console)
    console.rule("second crawl, after the publisher edited one article")
    print_summaries(result.second, console=console)
    show_store(db_url, console)
    return result


def show_store(db_url: str, console: Console) -> None:
    engine = make_engine(db_url, write=False)
    with session_scope(engine) as session:
        console.rule("stored articles")
        for art in session.execute(select(Article).order_by(Article.first_seen)).scalars():
            console.print(
                f"[bold]{art.url}[/bold]  versions: {art.current_version}  ({art.status})"
            )
        newest = (
            session.execute(
                select(ArticleVersion).where(ArticleVersion.version > 1).order_by(ArticleVersion.id)
            )
            .scalars()
            .first()
        )
        if newest is not None:
            console.rule(f"version {newest.version} of {newest.article.url}")
            console.print(f"[bold]{newest.title}[/bold]")
            console.print(newest.text, markup=False)
    engine.dispose()
