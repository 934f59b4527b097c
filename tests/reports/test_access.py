"""Who may export: coordinators, managers and administrators; rangers get 403; an old sign-in
is asked for the password again before any data leaves."""
from __future__ import annotations

import time

import pytest

from tracker.models import Role

PAGES = ["/reports", "/reports/incidents.csv", "/reports/incidents.xlsx", "/reports/incidents.geojson",
         "/reports/summary.pdf", "/reports/cites-aitr.csv?year=2025", "/reports/cites-aitr.xlsx?year=2025"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role,expected", [(Role.RANGER, 403), (Role.COORDINATOR, 200), (Role.MANAGER, 200),
                                           (Role.ADMIN, 200)])
def test_role_matrix(client, login_as, dataset, url, role, expected):
    login_as(role)
    response = client.get(url)
    assert response.status_code == expected
    response.close()


@pytest.mark.parametrize("url", ["/reports/jobs?kind=xlsx", "/reports/jobs/" + "a" * 22,
                                 "/reports/jobs/" + "a" * 22 + "/status", "/reports/jobs/" + "a" * 22 + "/file"])
def test_rangers_cannot_reach_background_jobs(client, login_as, url):
    login_as(Role.RANGER)
    assert client.post(url).status_code in (403, 405)
    assert client.get(url).status_code == 403


def test_ranger_denial_is_logged(client, login_as, caplog):
    login_as(Role.RANGER, username="ranger_r")
    client.get("/reports/incidents.csv")
    assert "denied user='ranger_r'" in caplog.text and "/reports/incidents.csv" in caplog.text


@pytest.mark.parametrize("url", PAGES[1:])
def test_an_old_sign_in_must_confirm_the_password(client, login_as, dataset, url):
    login_as(Role.MANAGER)
    with client.session_transaction() as session:
        session["login_at"] = time.time() - 61 * 60
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"] and "reauth=1" in response.headers["Location"]


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/reports/incidents.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
