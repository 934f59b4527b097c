"""Each role signs in on a phone-sized screen and lands on its home."""
import pytest

from tests.e2e.conftest import DESKTOP, has_horizontal_scroll, screenshot, sign_in
from tracker.models import Role


@pytest.mark.parametrize("role", list(Role))
def test_role_lands_on_home_at_phone_width(live_server, new_page, role):
    page = new_page()
    sign_in(page, live_server, role)
    page.wait_for_url(f"{live_server}/")
    assert page.locator("h1").inner_text().startswith("Welcome, E2E")
    assert not has_horizontal_scroll(page)
    screenshot(page, f"home-{role.value}-390")
    assert page.csp_violations == []


def test_phone_menu_opens_and_signs_out(live_server, new_page):
    page = new_page()
    sign_in(page, live_server, Role.ADMIN)
    page.click("details.menu > summary")
    assert page.locator("details.menu .menu-items").get_by_role("link", name="Users").is_visible()
    screenshot(page, "menu-open-390")
    page.locator("details.menu").get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/login")
    page.goto(f"{live_server}/")
    assert "/login" in page.url


@pytest.mark.parametrize("lang,locale,text", [("ru", "ru-RU", "Войти"), ("zh", "zh-CN", "登录")])
def test_login_page_in_each_language(live_server, new_page, lang, locale, text):
    page = new_page(locale=locale)
    page.goto(f"{live_server}/login")
    assert page.locator("h1").inner_text() == text
    assert not has_horizontal_scroll(page)
    screenshot(page, f"login-{lang}-390")


def test_wrong_password_shows_message_and_keeps_username(live_server, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "e2e_ranger")
    page.fill("input[name=password]", "definitely not it")
    page.click("input[type=submit]")
    assert page.locator(".flash-error").is_visible()
    assert page.input_value("input[name=username]") == "e2e_ranger"
    screenshot(page, "login-failed-1280")
