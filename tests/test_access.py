"""Deny by default (security promise 12): every endpoint needs a login except an allow-list,
and each role gets exactly the pages it may use."""
import pytest

from tracker.models import Role

# Health checks answer a load balancer and hold no data (tracker/ops/health.py). The API's document
# and its reading page describe the API and hold no data (every operation needs a token or a
# session). The offline app's manifest and service worker hold no data either (what the worker
# keeps comes from /offline/state, which needs a session).
PUBLIC_ENDPOINTS = {"static", "auth.login", "health.healthz", "health.readyz", "main.set_language",
                    "api_docs.openapi_json", "api_docs.docs", "offline.manifest", "offline.service_worker"}
SAMPLE_ARGS = {"table": "categories", "user_id": 1, "row_id": 1, "filename": "css/app.css",
               "incident_id": 1, "evidence_id": 1, "token": "x", "job_id": "x" * 22, "slug": "poaching",
               "ref": "INC-2026-000001", "token_id": 1}


def concrete_urls(app):
    for rule in app.url_map.iter_rules():
        if any(arg not in SAMPLE_ARGS for arg in rule.arguments):
            raise AssertionError(f"add a sample value for {rule.arguments} ({rule.endpoint})")
        url = rule.build({arg: SAMPLE_ARGS[arg] for arg in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_every_endpoint_requires_login_except_the_allow_list(app, client):
    open_endpoints = set()
    for endpoint, method, url in concrete_urls(app):
        response = client.open(url, method=method)
        response.close()
        redirected_to_login = response.status_code == 302 and "/login" in response.headers["Location"]
        if not redirected_to_login and response.status_code not in (401, 403):
            open_endpoints.add(endpoint)
    assert open_endpoints <= PUBLIC_ENDPOINTS, f"answer without login: {open_endpoints - PUBLIC_ENDPOINTS}"


ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/reference/categories",
               "/admin/reference/species/new", "/admin/reference/places"]


@pytest.mark.parametrize("role,expected", [(Role.RANGER, 403), (Role.COORDINATOR, 403),
                                           (Role.MANAGER, 403), (Role.ADMIN, 200)])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_role_matrix(client, login_as, role, expected, url):
    login_as(role)
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("role,expected", [(Role.RANGER, 403), (Role.COORDINATOR, 403),
                                           (Role.MANAGER, 200), (Role.ADMIN, 200)])
def test_import_page_role_matrix(client, login_as, role, expected):
    """Managers import records (issue 9), as administrators do; the page stays under /admin."""
    login_as(role)
    assert client.get("/admin/import").status_code == expected


def test_denials_are_logged(client, login_as, caplog):
    login_as(Role.RANGER, username="ranger_x")
    client.get("/admin/users")
    assert "denied user='ranger_x'" in caplog.text


@pytest.mark.parametrize("role", list(Role))
def test_the_menu_offers_exactly_the_pages_a_role_may_open(app, client, login_as, role):
    """The menu reads each page's own role check, so it can neither offer a page that answers
    403 nor hide one the role may use."""
    import re

    from tracker.navigation import MENU

    login_as(role)
    home = client.get("/").get_data(as_text=True)
    nav = home.split("<nav", 1)[1].split("</nav>", 1)[0]
    offered = set(re.findall(r'href="(/[^"?#]*)', nav))
    with app.test_request_context():
        from flask import url_for

        from tracker.navigation import ENDPOINT_ARGS

        urls = {url_for(endpoint, **ENDPOINT_ARGS.get(endpoint, {})) for endpoint, _ in MENU}
    for url in urls:
        response = client.get(url)
        assert (url in offered) == (response.status_code == 200), (url, response.status_code)
