"""Journey: a user logs in and sees the role's dashboard, at desktop and phone widths."""

import pytest

from access.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fazhi-Test-2026!"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_login_shows_dashboard(width, request, live_server, login, make_user):
    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    make_user(Role.DISPATCHER, username="centre1")
    page.goto(f"{live_server.url}/")
    # Anonymous → the Chinese login page.
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("button", name="登录").is_visible()
    login(page, "centre1", PASSWORD)
    assert page.locator("[data-testid=home-title]").inner_text() == "指挥中心工作台"
    assert page.locator("[data-testid=dashboard]").is_visible()
    if width == "phone":
        # The sidebar is an off-canvas menu on a phone: open it from the toggler.
        assert not page.locator("[data-testid=sidebar]").is_visible()
        page.click("button.navbar-toggler")
        page.locator("[data-testid=sidebar]").wait_for(state="visible")
        # Nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 392
    assert page.js_errors == []


def test_wrong_password_is_refused_in_chinese(page, live_server, login, make_user):
    make_user(Role.LEADER, username="leader1")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "leader1")
    page.fill("#id_password", "wrong-password")
    page.click("[data-testid=login-submit]")
    assert "用户名或密码错误" in page.locator(".alert-danger").inner_text()


def test_logout(page, live_server, login, make_user):
    make_user(Role.LEADER, username="leader2")
    login(page, "leader2", PASSWORD)
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/**")
