"""A small inline SVG chart: articles and new versions per day, one colour per source.

Drawn on the server, so the page needs no script and no build step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from crawler.web.queries import DayCount

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
WIDTH, HEIGHT, PAD = 720, 180, 28


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
class Tick:
    """An axis label: where it goes (x for a day, y for a count) and what it says."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    days: list[str]
    legend: list[tuple[str, str]]
    peak: int
    x_ticks: list[Tick]  # a date under every seventh day, the newest included
    y_ticks: list[Tick]  # 0, half the peak and the peak
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - PAD


def window(last_day: date, days: int) -> list[str]:
    """The ``days`` dates (YYYY-MM-DD) ending with ``last_day``, oldest first."""
    return [(last_day - timedelta(days=back)).isoformat() for back in range(days - 1, -1, -1)]


def daily_chart(counts: list[DayCount], last_day: date, days: int = 30) -> Chart:
    """Stacked bars for each of the ``days`` days up to ``last_day`` (UTC), zero days included.

    Each day's slot stacks each source's new articles, then its new versions
    (hatched) above them; a day with none is an empty slot, so the x axis is
    time, evenly spaced. Counts outside the window are left out.
    """
    dates = window(last_day, days)
    slot_of = {d: i for i, d in enumerate(dates)}
    counts = [c for c in counts if c.day in slot_of]
    sources = sorted({c.source for c in counts})
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    totals = Counter[str]()
    for c in counts:
        totals[c.day] += c.new_articles + c.new_versions
    peak = max(totals.values(), default=0)
    bars: list[Bar] = []
    slot = (WIDTH - 2 * PAD) / len(dates)
    scale = (HEIGHT - 2 * PAD) / max(1, peak)
    tops = dict.fromkeys(dates, float(HEIGHT - PAD))
    for c in sorted(counts, key=lambda c: (c.day, c.source)):
        for n, hatched, what in (
            (c.new_articles, False, "new"),
            (c.new_versions, True, "versions"),
        ):
            if n:
                h = n * scale
                tops[c.day] -= h
                x = PAD + slot_of[c.day] * slot + 1
                label = f"{c.day} {c.source}: {n} {what}"
                bars.append(
                    Bar(x, tops[c.day], max(1.0, slot - 2), h, colour[c.source], label, hatched)
                )
    x_ticks = [Tick(PAD + i * slot + slot / 2, dates[i][5:]) for i in range(len(dates) - 1, -1, -7)]
    y_ticks = [Tick(HEIGHT - PAD - n * scale, str(n)) for n in sorted({0, peak // 2, peak})]
    return Chart(bars, dates, sorted(colour.items()), peak, x_ticks[::-1], y_ticks)
