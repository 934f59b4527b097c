"""Sign-in throttling for shared addresses (security promise 29): a ranger station shares one NAT
address, so failures are limited per account and address (tight) and per address (generous).
One ranger's typos never lock out the colleague at the next desk, while a spray of many
usernames from one address is still stopped."""
import re

import pytest

from tests.auth.test_login import login
from tests.support.factories import PASSWORD, make_user
from tracker.models import Role

STATION = "10.7.0.1"


@pytest.fixture
def anna_and_boris(app):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
        make_user(Role.RANGER, username="boris")


def fail(client, username, times, ip=STATION):
    return [login(client, username, f"wrong password {n}", ip=ip).status_code for n in range(times)]


def test_one_users_failures_do_not_block_a_colleague_at_the_same_address(app, client, anna_and_boris):
    assert fail(client, "anna", 3) == [200, 200, 200]
    assert login(client, "anna", PASSWORD, ip=STATION).status_code == 429  # even with the right password
    assert login(client, "boris", PASSWORD, ip=STATION).status_code == 302


def test_the_account_limit_is_per_address(app, client, anna_and_boris):
    fail(client, "anna", 3)
    assert login(client, "anna", PASSWORD, ip="10.8.0.1").status_code == 302


def test_the_account_limit_ignores_case_and_spaces(app, client, anna_and_boris):
    assert fail(client, "anna", 2) + fail(client, " ANNA ", 1) == [200, 200, 200]
    assert login(client, "Anna", "wrong password", ip=STATION).status_code == 429


def test_a_spray_of_usernames_from_one_address_is_stopped(app, client, anna_and_boris):
    """The default allows 30 failures a minute per address: ten rangers may each use up their three
    tries at the same moment (a shift change), but a script trying one password on many accounts
    gets no further than thirty."""
    assert set(fail(client, "anna", 1) + [login(client, f"user{n}", "Summer2026!", ip=STATION).status_code
                                          for n in range(29)]) == {200}
    assert login(client, "user-30", "Summer2026!", ip=STATION).status_code == 429
    assert login(client, "boris", PASSWORD, ip=STATION).status_code == 429
    assert login(client, "boris", PASSWORD, ip="10.8.0.1").status_code == 302


def test_the_limits_follow_the_configuration(app, client, anna_and_boris):
    app.config.update(LOGIN_ACCOUNT_RATE_LIMIT="1 per minute", LOGIN_ADDRESS_RATE_LIMIT="2 per minute")
    assert fail(client, "anna", 2) == [200, 429]
    assert fail(client, "boris", 1) == [200]
    assert fail(client, "nobody", 1) == [429]  # the address has used up its two failures
    assert login(client, "anna", PASSWORD, ip="10.8.0.1").status_code == 302


def test_unknown_and_known_users_are_throttled_alike(app, client, anna_and_boris):
    known = fail(client, "anna", 4)
    unknown = fail(client, "nobody", 4)
    assert known == unknown == [200, 200, 200, 429]
    # The same page, but for the request id each error page quotes (tracker/ops/requestlog.py).
    pages = [login(client, name, "x" * 12, ip=STATION).get_data(as_text=True) for name in ("anna", "nobody")]
    assert len({re.sub(r"[0-9a-f]{32}", "REQUEST-ID", page) for page in pages}) == 1


def test_only_checked_passwords_count(app, client, anna_and_boris):
    """An empty password checks nothing and costs nothing; a sign-in refused by the limiter itself
    does not count again, so retrying while throttled does not use up the station's allowance."""
    for _ in range(5):
        assert login(client, "anna", "", ip=STATION).status_code == 200
    assert fail(client, "anna", 3) == [200, 200, 200]
    assert fail(client, "anna", 30) == [429] * 30
    assert login(client, "boris", PASSWORD, ip=STATION).status_code == 302
