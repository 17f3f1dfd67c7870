"""The daily chart: a fixed window of days, zeros included, with dated axes."""

from __future__ import annotations

from datetime import date

from crawler.web.chart import PAD, WIDTH, daily_chart
from crawler.web.diff import what_changed
from crawler.web.queries import DayCount

TODAY = date(2026, 3, 31)


def test_one_day_of_data_takes_one_slot_of_thirty() -> None:
    chart = daily_chart([DayCount("2026-03-31", "pub0", 4, 1)], TODAY)
    assert len(chart.days) == 30
    assert (chart.days[0], chart.days[-1]) == ("2026-03-02", "2026-03-31")
    slot = (WIDTH - 2 * PAD) / 30
    assert [b.hatched for b in chart.bars] == [False, True]
    assert all(b.width < slot for b in chart.bars)
    assert chart.bars[0].x > WIDTH - PAD - slot  # the newest day is the right-most slot
    assert chart.peak == 5


def test_quiet_days_stay_on_the_axis_and_old_counts_are_left_out() -> None:
    counts = [
        DayCount("2026-01-15", "old", 99, 0),  # outside the window
        DayCount("2026-03-02", "pub0", 2, 0),
        DayCount("2026-03-20", "pub1", 1, 1),
    ]
    chart = daily_chart(counts, TODAY)
    assert [name for name, _ in chart.legend] == ["pub0", "pub1"]
    assert chart.peak == 2
    xs = sorted({round(b.x) for b in chart.bars})
    assert len(xs) == 2
    assert xs[1] - xs[0] > 15 * (WIDTH - 2 * PAD) / 30  # 18 empty days between them
    assert [t.label for t in chart.x_ticks] == ["03-03", "03-10", "03-17", "03-24", "03-31"]
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2"]


def test_an_empty_store_still_draws_the_dated_window() -> None:
    chart = daily_chart([], TODAY)
    assert chart.bars == []
    assert len(chart.x_ticks) == 5
    assert [t.label for t in chart.y_ticks] == ["0"]


def test_what_a_version_changed() -> None:
    assert what_changed("A", "one two", "A", "one two three four") == "+2 words"
    assert what_changed("A", "one two", "B", "one three") == "title changed · +1 word · −1 word"
    assert what_changed("A", "one, two", "A", "one; two") == "punctuation or spacing"
    assert what_changed("A", "one", "A", "one") == "no change"
