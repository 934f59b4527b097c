"""Month buckets in the reporting zone, in SQL, agree with month_key() to the second, also
before Vladivostok moved from UTC+11 to UTC+10 in October 2014."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tests.dashboards.pages import DashboardPage, list_args
from tests.support.incidents import make_incident, seed
from tracker.dashboards.months import add_months, month_range
from tracker.extensions import db
from tracker.incidents.filters import FilterForm
from tracker.incidents.queries import count_incidents
from tracker.localtime import month_key, month_sql, offset_periods
from tracker.models import Incident, IncidentRollup, Role, User

UTC = timezone.utc
INSTANTS = [
    datetime(2026, 1, 31, 13, 59, 59, tzinfo=UTC),   # 23:59:59 on 31 January in Vladivostok
    datetime(2026, 1, 31, 14, 0, 0, tzinfo=UTC),     # midnight, 1 February
    datetime(2012, 2, 29, 12, 59, 59, tzinfo=UTC),   # UTC+11 then: still 29 February
    datetime(2012, 2, 29, 13, 0, 0, tzinfo=UTC),     # 1 March (a fixed +10 would say February)
    datetime(2014, 10, 31, 13, 59, 0, tzinfo=UTC),   # after the change to UTC+10
]


def test_offset_periods_know_the_2014_change():
    periods = offset_periods("Asia/Vladivostok")
    assert periods[0] == (datetime(2014, 10, 25, 15, 0, tzinfo=UTC), 10 * 3600)
    assert periods[1][1] == 11 * 3600 and periods[-1][0] is None
    assert offset_periods("UTC") == ((None, 0),)


def test_month_arithmetic():
    assert add_months(202611, 2) == 202701 and add_months(202601, -1) == 202512 and add_months(202412, -23) == 202301
    assert month_range(202511, 202602) == [202511, 202512, 202601, 202602]


def test_sql_months_match_month_key(app, login_as):
    seed(app)
    reporter = login_as(Role.COORDINATOR)
    with app.app_context():
        for instant in INSTANTS:
            make_incident(reporter, occurred_at=instant)
        stored = db.session.execute(select(Incident.occurred_at, month_sql(Incident.occurred_at,
                                                                           db.engine.dialect.name))).all()
        assert sorted(month for _, month in stored) == sorted(month_key(i) for i in INSTANTS)
        assert [month_key(i) for i in INSTANTS] == [202601, 202602, 201202, 201203, 201410]
        rolled = set(db.session.scalars(select(IncidentRollup.month).where(IncidentRollup.dimension == "status")))
        assert rolled == {202601, 202602, 201202, 201203, 201410}


@pytest.mark.parametrize("boundary", [0, 1])
def test_trend_bars_at_a_month_boundary_list_the_same_incidents(app, client, login_as, boundary):
    seed(app)
    user_id = login_as(Role.COORDINATOR)
    instant = datetime(2026, 1, 31, 14, 0, tzinfo=UTC) - timedelta(seconds=boundary)
    with app.app_context():
        make_incident(user_id, occurred_at=instant)
    page = DashboardPage(client.get("/dashboards/poaching?date_from=2025-12-01&date_to=2026-02-28")
                         .get_data(as_text=True))
    trend = page.charts["trend"]
    assert trend["values"] == ([0, 1, 0] if boundary else [0, 0, 1])
    with app.test_request_context():
        user = db.session.get(User, user_id)
        for link, value in zip(trend["links"], trend["values"], strict=False):
            assert count_incidents(FilterForm(list_args(link)).filters(), user) == value
