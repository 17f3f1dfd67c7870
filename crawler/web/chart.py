"""A small inline SVG chart: articles and new versions per day, one colour per source.

Drawn on the server, so the page needs no script and no build step.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.web.queries import DayCount

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
WIDTH, HEIGHT, PAD = 720, 160, 24


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str
    hatched: bool  # new versions, drawn over the day's new articles


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    days: list[str]
    legend: list[tuple[str, str]]
    peak: int
    width: int = WIDTH
    height: int = HEIGHT


def daily_chart(counts: list[DayCount]) -> Chart:
    """Stacked bars per day: each source's new articles, its new versions above them."""
    days = sorted({c.day for c in counts})
    sources = sorted({c.source for c in counts})
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    per_day: dict[str, list[DayCount]] = {d: [] for d in days}
    for c in counts:
        per_day[c.day].append(c)
    peak = max(
        (sum(c.new_articles + c.new_versions for c in cs) for cs in per_day.values()), default=0
    )
    bars: list[Bar] = []
    slot = (WIDTH - 2 * PAD) / max(1, len(days))
    scale = (HEIGHT - 2 * PAD) / max(1, peak)
    for i, day in enumerate(days):
        y = HEIGHT - PAD
        for c in sorted(per_day[day], key=lambda c: c.source):
            for n, hatched, what in (
                (c.new_articles, False, "new"),
                (c.new_versions, True, "versions"),
            ):
                if n:
                    h = n * scale
                    y -= h
                    label = f"{day} {c.source}: {n} {what}"
                    bars.append(
                        Bar(
                            PAD + i * slot + 1,
                            y,
                            max(1.0, slot - 2),
                            h,
                            colour[c.source],
                            label,
                            hatched,
                        )
                    )
    return Chart(bars, days, sorted(colour.items()), peak)
