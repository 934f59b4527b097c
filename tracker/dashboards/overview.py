"""The overview: one card per category with this month, the last 12 months, each against the
period before, a 12-month sparkline and the open incidents; and this year so far against the
same days of last year, for the manager's start page.

A month in progress is compared with the same days of the month before, the last 12 months
(this month so far and the 11 before) with the same stretch a year earlier, and the year so far
with last year up to the same day, so that a partial period never reads as a fall. Whole months
come from the rollups; the one partial month of each earlier period is counted live, on the
(category, date) index. "Open" means not closed and not rejected: a rejected report was looked
at and dismissed, so it needs no more work.
"""
from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tracker.dashboards.months import add_months, key_of, month_bounds, month_range
from tracker.dashboards.queries import status_rows
from tracker.dashboards.summary import Figure
from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import scoped
from tracker.models import Category, Incident, User


@dataclass
class Card:
    category: Category
    this_month: Figure
    month_before: Figure
    last_12: Figure
    year_before: Figure
    open: Figure
    sparkline: list[Figure]
    this_year: Figure
    this_year_before: Figure

    @staticmethod
    def change(current: Figure, previous: Figure) -> float | None:
        return (current.count - previous.count) / previous.count if previous.count else None


def _same_day(key: int, day: int) -> date:
    year, month = divmod(key, 100)
    return date(year, month, min(day, monthrange(year, month)[1]))


def _dates(first: int, last: int | date) -> dict:
    end = last if isinstance(last, date) else month_bounds(last)[1]
    return {"date_from": month_bounds(first)[0], "date_to": end}


def _live_counts(category_ids: list[int], period: dict, user: User) -> dict[int, int]:
    # count(*): the (category, date) index answers it without reading incident rows.
    stmt = select(Incident.category_id, func.count()).where(Incident.category_id.in_(category_ids))
    stmt = scoped(stmt, IncidentFilters(**period), user).group_by(Incident.category_id)
    return dict(db.session.execute(stmt).all())


def overview_cards(categories: list[Category], today: date, user: User) -> list[Card]:
    ids = [c.id for c in categories]
    month = key_of(today)
    monthly: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    since = IncidentFilters(date_from=month_bounds(add_months(month, -23))[0])
    for category_id, key, _, count in status_rows(ids, since, user):
        monthly[category_id][key] += count
    open_counts: dict[int, int] = defaultdict(int)
    for category_id, _, _, count in status_rows(ids, IncidentFilters(status="open"), user, by_month=False):
        open_counts[category_id] += count
    january = today.year * 100 + 1
    periods = {
        "this_month": _dates(month, month),
        "month_before": _dates(add_months(month, -1), _same_day(add_months(month, -1), today.day)),
        "last_12": _dates(add_months(month, -11), month),
        "year_before": _dates(add_months(month, -23), _same_day(add_months(month, -12), today.day)),
        "this_year": _dates(january, month),
        "this_year_before": _dates(add_months(january, -12), _same_day(add_months(month, -12), today.day)),
    }
    partial_month_before = _live_counts(ids, periods["month_before"], user)
    partial_year_before = _live_counts(ids, _dates(add_months(month, -12), periods["year_before"]["date_to"]), user)

    cards = []
    for category in categories:
        counts = monthly[category.id]

        def total(first: int, last: int, counts=counts) -> int:
            return sum(counts.get(key, 0) for key in month_range(first, last))

        # The same month a year ago is counted up to today's day only (live, above).
        a_year_ago = partial_year_before.get(category.id, 0)
        figures = {
            "this_month": counts.get(month, 0),
            "month_before": partial_month_before.get(category.id, 0),
            "last_12": total(add_months(month, -11), month),
            "year_before": total(add_months(month, -23), add_months(month, -13)) + a_year_ago,
            "this_year": total(january, month),
            "this_year_before": total(add_months(january, -12), add_months(month, -13)) + a_year_ago,
        }
        sparkline = [Figure(key, str(key), counts.get(key, 0), {"month": key})
                     for key in month_range(add_months(month, -11), month)]
        cards.append(Card(category, open=Figure("open", "", open_counts[category.id], {"status": "open"}),
                          sparkline=sparkline, **{name: Figure(name, "", figures[name], periods[name])
                                                  for name in figures}))
    return cards
