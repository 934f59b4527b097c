"""Dates, times and numbers read the same way to everyone: day before month, the month as a word,
a 24-hour clock and the time zone wherever an incident's time is shown or typed; counts and
quantities in the language's own number format. In every configured language."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import Role, User

UTC = timezone.utc
WINTER_2026 = datetime(2026, 12, 1, 20, 55, tzinfo=UTC)  # 2 December 2026, 06:55 in Vladivostok
SUMMER_2013 = datetime(2013, 7, 1, 20, 55, tzinfo=UTC)   # 07:55 there: UTC+11 until October 2014
# What a reader of each language sees for WINTER_2026 (languages added since must say it too).
EXPECTED = {"en": "2 Dec 2026, 06:55 (Vladivostok Time, UTC+10)",
            "ru": "2 дек. 2026\u202fг., 06:55 (Владивосток, UTC+10)",
            "zh": "2026年12月2日 06:55（海参崴时间，UTC+10）",
            "mn": "2026\u202fоны 12-р сарын 2 06:55 (Владивостокийн цаг, UTC+10)"}


def languages(app):
    return app.config["LANGUAGES"]


@pytest.fixture
def incident(app):
    seed(app)
    with app.app_context():
        return make_incident(make_user(Role.RANGER).id, occurred_at=WINTER_2026,
                             items=[("bone", "Panthera tigris altaica", "1234.5", "kg")]).id


def page_as(app, client, login_as, language, path, **fields):
    login_as(Role.COORDINATOR, language=language, **fields)
    return client.get(path).get_data(as_text=True)


def test_every_language_reads_day_first_on_a_24_hour_clock_with_the_zone(app, client, login_as, incident):
    for language in languages(app):
        body = page_as(app, client, login_as, language, f"/incidents/{incident}")
        assert " AM" not in body and " PM" not in body and "12/2/26" not in body
        assert "06:55" in body and "UTC+10" in body, language
        if language in EXPECTED:
            assert EXPECTED[language] in body, language


def test_the_offset_is_the_one_of_that_day(app, client, login_as):
    seed(app)
    with app.app_context():
        incident = make_incident(make_user(Role.RANGER).id, occurred_at=SUMMER_2013).id
    body = page_as(app, client, login_as, "en", f"/incidents/{incident}")
    assert "2 Jul 2013, 07:55 (Vladivostok Time, UTC+11)" in body


def test_times_follow_the_readers_zone(app, client, login_as, incident):
    body = page_as(app, client, login_as, "en", f"/incidents/{incident}", timezone="Asia/Ulaanbaatar")
    assert "2 Dec 2026, 04:55 (Ulaanbaatar Time, UTC+8)" in body


def test_the_incident_form_says_which_zone_a_time_is_typed_in(app, client, login_as):
    seed(app)
    login_as(Role.RANGER, language="en", timezone="Asia/Shanghai")
    body = client.get("/incidents/new").get_data(as_text=True)
    assert 'id="occurred_at-hint"' in body and "China Time, UTC+8" in body


def test_the_list_count_uses_the_languages_digit_grouping(app, client, login_as, monkeypatch):
    monkeypatch.setattr("tracker.incidents.views.count_incidents", lambda f, user: 12345)
    grouped = {"en": "12,345", "ru": "12\xa0345", "zh": "12,345", "mn": "12,345"}
    for language in languages(app):
        body = page_as(app, client, login_as, language, "/incidents")
        count = body.split('id="result-count"', 1)[1].split(">", 1)[1].split("<", 1)[0]
        assert count == grouped.get(language, count) and count != "12345", (language, count)


def test_quantities_use_the_languages_decimal_sign(app, client, login_as, incident):
    shown = {"en": "1,234.5", "ru": "1\xa0234,5", "zh": "1,234.5", "mn": "1,234.5"}
    for language in languages(app):
        body = page_as(app, client, login_as, language, f"/incidents/{incident}")
        assert shown.get(language, "1") in body and "1234.5" not in body, language


def test_history_reads_a_changed_time_the_same_way(app):
    from tracker.incidents.history import change_value

    with app.test_request_context(), app.app_context():
        assert change_value("occurred_at", WINTER_2026.isoformat()) == EXPECTED["en"]
        assert change_value("items", [{"product_id": 0, "quantity": str(Decimal("1234.5")), "unit": "kg"}]) \
            == "0 1,234.5 kg"


def test_an_api_tokens_dates_read_the_same_way(app, client, login_as):
    """The account page's token list and the administrator's history of that account."""
    from tracker.admin.user_history import shown_value
    from tracker.auth import tokens

    for language in languages(app):
        user_id = login_as(Role.RANGER, language=language)
        with app.app_context():
            row = tokens.issue(db.session.get(User, user_id), "sync", timedelta(days=30)).row
            row.created_at, row.expires_at = WINTER_2026 - timedelta(days=30), WINTER_2026
            db.session.commit()
        body = client.get("/account").get_data(as_text=True)
        assert EXPECTED[language].split(" (")[0].split("（")[0] in body, language
        assert " AM" not in body and " PM" not in body, language
    with app.test_request_context():
        assert shown_value("expires_at", WINTER_2026.isoformat()) == "2 Dec 2026, 06:55"
