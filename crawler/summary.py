"""Printing crawl summaries: a table for people, the same numbers every run."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from crawler.console import make_console
from crawler.crawl.runner import RunSummary

COLUMNS = (
    ("pages_fetched", "fetched"),
    ("new", "new"),
    ("changed", "new versions"),
    ("unchanged", "unchanged"),
    ("not_modified", "304"),
    ("gone", "gone"),
    ("blocked_by_robots", "robots"),
    ("not_article", "not article"),
    ("errors", "errors"),
)

# Fetched pages that are no error and no article, yet in no column (crawler.pipelines.extract):
# without a line of their own, a run that fetched two such pages read "fetched 2, new 0".
NOT_STORED = ("too_short", "no_text")

# What the source's learnt knowledge removed (crawler.pipelines.writer), as the summary words it.
LEARNT_REMOVALS = (
    ("furniture_stripped", "furniture from {} pages"),
    ("teaser_paragraphs_stripped", "{} teaser paragraphs"),
    ("bio_paragraphs_stripped", "{} bio paragraphs"),
    ("slot_paragraphs_stripped", "{} paragraphs in template slots"),
    ("noise_versions_folded", "{} versions that were only noise"),
)


def learnt_removals(counts: dict[str, int]) -> str:
    """One phrase of what learnt knowledge removed in a run ("" when nothing)."""
    return ", ".join(words.format(counts[key]) for key, words in LEARNT_REMOVALS if counts.get(key))


def print_summaries(
    summaries: list[RunSummary],
    flags: dict[str, list[str]] | None = None,
    console: Console | None = None,
) -> None:
    """The table, errors by kind, candidates dropped by redirects, sitemaps not fetched, pages
    too short or without text, revisits <lastmod> spared, routes unchanged, and each source's
    health flags (see :mod:`crawler.health`)."""
    console = console or make_console()
    table = Table(title="crawl summary", show_lines=False)
    table.add_column("source")
    table.add_column("status")
    for _, label in COLUMNS:
        table.add_column(label, justify="right")
    for s in summaries:
        table.add_row(s.source, s.status, *(str(s.counts.get(key, 0)) for key, _ in COLUMNS))
    console.print(table)
    for s in summaries:
        for prefix, label in (
            ("errors/", "errors by kind"),
            ("dropped/redirect_", "dropped by redirects"),
            ("skipped/sitemap_", "sitemaps not fetched"),
        ):
            if detail := _by_kind(s.counts, prefix):
                console.print(f"{s.source} {label}: {detail}")
        if not_stored := ", ".join(f"{k}: {s.counts[k]}" for k in NOT_STORED if s.counts.get(k)):
            console.print(f"{s.source} pages not stored: {not_stored}")
        if skipped := s.counts.get("unchanged_by_lastmod"):
            console.print(f"{s.source}: {skipped} revisits skipped, unchanged by sitemap <lastmod>")
        if unchanged := s.counts.get("routes_not_modified"):
            routes = "discovery route" if unchanged == 1 else "discovery routes"
            console.print(f"{s.source}: {unchanged} {routes} unchanged (304 or same body)")
        if capped := s.counts.get("robots/crawl_delay_capped"):
            console.print(
                f"{s.source}: robots.txt Crawl-delay above max_crawl_delay on {capped} host(s); capped"
            )
        if learnt := learnt_removals(s.counts):
            console.print(f"{s.source}: learnt cleaning removed {learnt}")
        if around := s.counts.get("lines_around_ignored"):
            console.print(
                f"{s.source}: {around} pages unchanged but for lines around the story"
                " (outside its paragraphs' places): no new version"
            )
        if ordered := s.counts.get("dates_ordered_by_source"):
            console.print(
                f"{s.source}: {ordered} ambiguous dates read in the day/month order"
                " its other pages show"
            )
    for source, found in (flags or {}).items():
        for flag in found:
            console.print(f"[bold yellow]look at {source}[/]: {flag}")


def _by_kind(counts: dict[str, int], prefix: str) -> str:
    """``a: 1, b: 2`` for the counts whose key starts with ``prefix`` (shown without it)."""
    kinds = {k.removeprefix(prefix): v for k, v in counts.items() if k.startswith(prefix) and v}
    return ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
