"""Arithmetic on 200401-style month keys (which month an instant belongs to is decided in
tracker/localtime.py)."""
from __future__ import annotations

from datetime import date, timedelta


def add_months(key: int, count: int) -> int:
    year, month = divmod(key, 100)
    index = year * 12 + month - 1 + count
    return (index // 12) * 100 + index % 12 + 1


def month_range(first: int, last: int) -> list[int]:
    keys = []
    while first <= last:
        keys.append(first)
        first = add_months(first, 1)
    return keys


def key_of(day: date) -> int:
    return day.year * 100 + day.month


def month_bounds(key: int) -> tuple[date, date]:
    """First and last day of a 200401-style month."""
    year, month = divmod(key, 100)
    first = date(year, month, 1)
    return first, date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
