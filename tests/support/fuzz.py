"""Hostile values for the form sweep (tests/test_form_fuzz.py), and the promises every answer
keeps: never a 5xx, and a refused request leaves the database exactly as it was."""
from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.support.forms import database_digest

# One seeded app per sweep; each example is one request. Sized so that the whole sweep stays
# around a minute per database.
SWEEP = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_TEXT = ["\x00", "a\x00b", "\x1b[31mred", "\x7f", "\x85", "\u202etxt.exe", "\ufeff", "\uffff", "' OR 1=1 --",
            "<script>alert(1)</script>", "%00", "None", "null", "nan", " ", "\t\r\n", "ﷺ" * 50, "é" * 501,
            "x" * 20_001, "🐯" * 120, "²", "١٢٣", "-0"]
TEXT = st.one_of(st.text(max_size=40), st.text(st.characters(max_codepoint=0x9F), max_size=12),
                 st.sampled_from(ODD_TEXT))

ODD_NUMBERS = ["NaN", "-NaN", "sNaN", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e-999", "1e-07", "0.0000001",
               "0.0004", "0", "-0", "00", "+1", "1,5", "1,500", "0,25", "1 500", "1_000", "0x10", "²", "١٢",
               "9" * 40, "-" + "9" * 40, "2147483648", "9223372036854775808", "1000000000000", "999999999999.99",
               ".5", "5.", "1e3", "", " "]
NUMBER = st.one_of(st.sampled_from(ODD_NUMBERS), st.integers(-(10**30), 10**30).map(str),
                   st.decimals(allow_nan=True, allow_infinity=True).map(str), st.floats().map(repr), TEXT)

ODD_DATES = ["0001-01-01", "9999-12-31", "0000-01-01", "10000-01-01", "2024-02-30", "2024-13-01", "2024-1-1",
             "1.1.2024", "-2024-01-01", "1969-12-31", "1990-01-01", ""]
DATE = st.one_of(st.sampled_from(ODD_DATES), st.dates().map(date.isoformat), TEXT)
# Any wall clock: year 1 and 9999 (an offset would overflow them), and the hours the region's clocks
# skipped or repeated (Ulaanbaatar 2015, Vladivostok 2014, Shanghai 1990).
ANY_DATETIME = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)).map(
    lambda moment: moment.isoformat(timespec="minutes"))
CLOCK_CHANGES = ["2015-03-28T02:30", "2015-09-25T23:30", "2014-10-26T01:30", "1990-04-15T02:30",
                 "1990-09-16T01:30", "0001-01-01T00:00", "9999-12-31T23:59", "2024-05-06T07:08:09"]
OFFSET = st.one_of(st.sampled_from(["+08:00", "+09:00", "+10:00", "+11:00", "-00:00", "+99:99", "+8", ""]), TEXT)
DATETIME = st.one_of(ANY_DATETIME, st.sampled_from(CLOCK_CHANGES + ["", "2024-02-30T10:00", "2024-01-01", "yesterday"]))

COORDINATES = ["0", "-0", "N-43", "43°06'30\"N", "43°60'N", "91", "-180.0000001", "1,5", "1,5;", "43,1,131,4",
               "43.1, 131.4", "131°E", "北43", "NaN", "inf", "1e999", "43 06 30 N 131 27 E"]
COORDINATE = st.one_of(st.sampled_from(COORDINATES), st.floats().map(repr), TEXT)


def choice(*valid) -> st.SearchStrategy[str]:
    """Mostly a value the form offers (so later checks are reached), else anything."""
    return st.one_of(st.sampled_from([str(v) for v in valid]), TEXT)


@st.composite
def changes(draw, fields: dict[str, st.SearchStrategy], most: int = 3) -> dict[str, str]:
    """A few fields of a valid submission replaced by hostile values."""
    names = draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=most, unique=True))
    return {name: draw(fields[name]) for name in names}


def refused(client, method: str, response) -> bool:
    """A 4xx, a form shown again, or a redirect with an error message; GETs never write."""
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    if method == "GET" or response.status_code >= 400:
        return True
    return response.status_code == 200 or any(category == "error" for category, _ in flashes)


def send(app, client, method: str, path: str, unchanged_if_refused: bool = True, **request):
    """One hostile request: never a 5xx, and if it was refused, nothing in the database changed
    (every row of every table, the audit chain's head included). A refused sign-in is the
    exception: it counts towards the account's lock."""
    with app.app_context():
        before = database_digest()
    response = client.open(path, method=method, **request)
    response.get_data()
    response.close()
    assert response.status_code < 500, f"{method} {path} {request!r}"
    if refused(client, method, response) and unchanged_if_refused:
        with app.app_context():
            assert database_digest() == before, f"refused but written: {method} {path} {request!r}"
    return response
