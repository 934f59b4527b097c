"""The factory, configuration, headers, health check and error pages."""
import pytest

import config as config_module
from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tests.test_access import concrete_urls
from tracker import create_app
from tracker.models import Role


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(config_module.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_module.ProductionConfig()


def test_production_refuses_a_dev_default_key(monkeypatch):
    monkeypatch.setattr(config_module.ProductionConfig, "SECRET_KEY", "dev")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config_module.ProductionConfig())


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setattr(config_module.ProductionConfig, "SECRET_KEY", "x" * 64)
    config = config_module.ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE


def test_tracker_env_chooses_the_config(monkeypatch):
    monkeypatch.setenv("TRACKER_ENV", "nonsense")
    with pytest.raises(RuntimeError, match="TRACKER_ENV"):
        config_module.config_from_env()


def test_development_key_is_generated_once_into_instance(monkeypatch, tmp_path):
    monkeypatch.setattr(config_module, "INSTANCE_DIR", tmp_path)
    monkeypatch.setattr(config_module, "DEV_SECRET_FILE", tmp_path / "dev-secret-key")
    monkeypatch.setattr(config_module.DevelopmentConfig, "SECRET_KEY", None)
    first = config_module.DevelopmentConfig().SECRET_KEY
    assert len(first) == 64 and first == config_module.DevelopmentConfig().SECRET_KEY


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(client):
    body = client.get("/login").get_data(as_text=True)
    assert "<script>" not in body and "<style" not in body and " style=" not in body


def test_not_found_page_is_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "This page does not exist" in response.get_data(as_text=True)


def test_server_error_is_generic_and_rolls_back(app, client):
    @app.route("/boom")
    def boom():
        raise ValueError("secret internal detail")

    app.testing = False  # let the error handler run as in production
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_sign_in_limits_come_from_the_environment(monkeypatch):
    import importlib.util

    monkeypatch.setenv("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute")
    monkeypatch.setenv("LOGIN_ADDRESS_RATE_LIMIT", "100 per minute")
    spec = importlib.util.spec_from_file_location("config_from_this_environment", config_module.__file__)
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    assert (fresh.Config.LOGIN_ACCOUNT_RATE_LIMIT, fresh.Config.LOGIN_ADDRESS_RATE_LIMIT) == ("5 per minute",
                                                                                             "100 per minute")


@pytest.mark.parametrize("role", [Role.RANGER, Role.COORDINATOR, Role.MANAGER, Role.ADMIN])
def test_no_response_to_a_signed_in_user_is_stored(app, client, login_as, tmp_path, role):
    """Security promise 30: pages, JSON, downloads and error pages alike, on every GET route."""
    app.config["REPORTS_DIR"] = str(tmp_path / "exports")
    seed(app)
    with app.app_context():
        make_incident(make_user(Role.RANGER).id)
    login_as(role)
    answered = set()
    for endpoint, method, url in concrete_urls(app):
        if method != "GET" or endpoint == "static":
            continue
        response = client.get(url)
        response.close()
        assert response.headers.get("Cache-Control") == "no-store", (url, response.status_code)
        if response.status_code == 200:
            answered.add(response.mimetype)
    expected = {Role.RANGER: {"text/html", "application/json"}, Role.COORDINATOR: {"text/html", "application/json"},
                Role.MANAGER: {"text/html", "application/json", "text/csv"}, Role.ADMIN: {"text/html"}}
    assert expected[role] <= answered


def test_views_may_choose_private_caching_and_static_files_stay_cacheable(app, client, login_as):
    @app.route("/private-thumbnail")
    def private_thumbnail():
        response = app.response_class(b"jpeg")
        response.cache_control.private, response.cache_control.max_age = True, 3600
        return response

    login_as(Role.RANGER)
    assert client.get("/private-thumbnail").headers["Cache-Control"] == "private, max-age=3600"
    static = client.get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")
