"""The PDF's monthly trend as plain geometry for an inline SVG (no JavaScript in a PDF, and no
image to fetch): bars, a y scale with round steps, and year (or month) labels."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, format_decimal

WIDTH, HEIGHT = 680, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 28


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    title: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)   # (y, label)
    labels: list[tuple[float, str]] = field(default_factory=list)  # (x, label)
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT
    right: int = WIDTH - RIGHT


def every_month(counts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """200401-style months with their counts, gaps filled with zero."""
    if not counts:
        return []
    known = dict(counts)
    (year, month), (last_year, last_month) = divmod(counts[0][0], 100), divmod(counts[-1][0], 100)
    result = []
    while (year, month) <= (last_year, last_month):
        key = year * 100 + month
        result.append((key, known.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def nice_ceiling(value: int) -> int:
    """The smallest round number (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten) at least `value`."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(round(step * power) for step in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if step * power >= value)


def monthly_chart(counts: list[tuple[int, int]]) -> Chart:
    months = every_month(counts)
    chart = Chart()
    if not months:
        return chart
    top = nice_ceiling(max(n for _, n in months))
    plot_width, plot_height = chart.right - chart.left, chart.baseline - TOP
    slot = plot_width / len(months)
    gap = min(2.0, slot * 0.2)
    for n, (key, count) in enumerate(months):
        first = date(key // 100, key % 100, 1)
        height = plot_height * count / top
        x = chart.left + n * slot
        chart.bars.append(Bar(round(x + gap / 2, 2), round(chart.baseline - height, 2), round(slot - gap, 2),
                              round(height, 2), count, format_date(first, "LLLL yyyy")))
        if len(months) <= 12:
            chart.labels.append((x + slot / 2, format_date(first, "LLL")))
        elif first.month == 1 or n == 0:
            chart.labels.append((x + (slot / 2 if len(months) <= 36 else 0), str(first.year)))
    for fraction in (0, 0.5, 1):
        chart.ticks.append((round(chart.baseline - plot_height * fraction, 2), format_decimal(round(top * fraction))))
    return chart
