"""Journey: from an archived dispute's page to its printable case-file cover and index (卷宗封面, 卷内文件目录),
at desktop and 390 px widths; in print media the buttons disappear and the two A4 sheets remain."""

import importlib

import pytest
from django.apps import apps as django_apps

from disputes.tests.conftest import build_world
from disputes.tests.test_cover import signed_and_archived

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fazhi-Test-2026!"


@pytest.fixture
def world(town, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("disputes.migrations.0002_instrument_kinds").seed(django_apps, None)
    return build_world(town, make_user)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_cover_from_the_dispute_page(width, request, live_server, login, world, tmp_path):
    page = request.getfixturevalue("phone_page" if width == "phone" else "page")
    dispute = signed_and_archived(world)
    login(page, world.users.lead.username, PASSWORD)
    page.goto(f"{live_server.url}/disputes/{dispute.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=cover]")
    assert page.url.endswith(f"/disputes/{dispute.pk}/cover/")
    cover = page.inner_text("[data-testid=cover]")
    assert "人民调解卷宗" in cover and dispute.code in cover and "张三丰" in cover
    assert page.locator("[data-testid=index-row]").count() >= 5
    assert page.locator("[data-testid=print]").is_visible()
    width_px = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width_px + 2
    page.screenshot(path=str(tmp_path / f"cover-{width}.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("[data-testid=print]").is_visible()
    assert page.locator("[data-testid=index]").is_visible()
    assert not page.js_errors
