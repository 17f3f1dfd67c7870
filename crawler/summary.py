"""Printing crawl summaries: a table for people, the same numbers every run."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

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

# What the source's learnt knowledge removed (crawler.pipelines.writer), as the summary words it.
LEARNT_REMOVALS = (
    ("furniture_stripped", "furniture from {} pages"),
    ("teaser_paragraphs_stripped", "{} teaser paragraphs"),
    ("bio_paragraphs_stripped", "{} bio paragraphs"),
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
    """The table, errors by kind, revisits <lastmod> spared, and each source's health flags (see :mod:`crawler.health`)."""
    console = console or Console()
    table = Table(title="crawl summary", show_lines=False)
    table.add_column("source")
    table.add_column("status")
    for _, label in COLUMNS:
        table.add_column(label, justify="right")
    for s in summaries:
        table.add_row(s.source, s.status, *(str(s.counts.get(key, 0)) for key, _ in COLUMNS))
    console.print(table)
    for s in summaries:
        kinds = {
            k.removeprefix("errors/"): v for k, v in s.counts.items() if k.startswith("errors/")
        }
        if kinds:
            detail = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
            console.print(f"{s.source} errors by kind: {detail}")
        if skipped := s.counts.get("unchanged_by_lastmod"):
            console.print(f"{s.source}: {skipped} revisits skipped, unchanged by sitemap <lastmod>")
        if learnt := learnt_removals(s.counts):
            console.print(f"{s.source}: learnt cleaning removed {learnt}")
    for source, found in (flags or {}).items():
        for flag in found:
            console.print(f"[bold yellow]look at {source}[/]: {flag}")
