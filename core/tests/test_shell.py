import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from access.roles import Role
from core.checks import durability


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_home_page(role, client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(role))
    client.get(reverse("core:home"))  # the first request after login writes the session (once a minute)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_login_page_is_chinese_and_english_available(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "登录" in body
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"


def test_no_external_assets_in_templates_or_code():
    root = Path(settings.BASE_DIR)
    pattern = re.compile(r"""(src|href)=["']https?://|url\(\s*["']?https?://""")
    offenders = []
    for path in root.rglob("*"):
        if path.suffix not in {".html", ".js", ".css"} or any(
            part in {"node_modules", ".venv", "var"} for part in path.parts
        ):
            continue
        if pattern.search(path.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


@pytest.mark.django_db
def test_static_vendor_assets_are_served_locally(client):
    for path in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/htmx/htmx.min.js",
                 "vendor/leaflet/leaflet.js", "vendor/echarts/echarts.min.js"):
        response = client.get(settings.STATIC_URL + path)
        assert response.status_code == 200, path


@pytest.mark.django_db
def test_openapi_schema_is_valid(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi:")


@pytest.mark.django_db
def test_database_is_durable():
    assert durability(None, databases=["default"]) == []


def test_sqlite_file_database_settings(tmp_path):
    import sqlite3

    # The options Fazhi gives SQLite, applied to a file database, read back as WAL / FULL.
    options = settings.SQLITE_OPTIONS  # what the default database gets when DATABASE_URL is SQLite
    db = sqlite3.connect(tmp_path / "t.sqlite3")
    db.executescript(options["init_command"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5


@pytest.mark.django_db
def test_error_pages_speak_chinese(client, make_user):
    client.force_login(make_user(Role.AUDITOR))
    forbidden = client.get("/org/")
    assert forbidden.status_code == 403
    body = forbidden.content.decode()
    assert "无权访问此页面" in body and 'lang="zh-hans"' in body
    missing = client.get("/org/villages/999999/")
    assert missing.status_code in (403, 404)
    client.force_login(make_user(Role.LEADER))
    missing = client.get("/org/villages/999999/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()


@pytest.mark.django_db
def test_only_the_closest_menu_entry_is_active(make_user):
    from core.navigation import menu_for

    user = make_user(Role.LEADER)
    active = [e["url"] for s in menu_for(user, reverse("org:chart")) for e in s["items"] if e["active"]]
    assert active == [reverse("org:chart")]
    active = [e["url"] for s in menu_for(user, reverse("org:overview")) for e in s["items"] if e["active"]]
    assert active == [reverse("org:overview")]


def test_panels_beyond_the_budget_load_themselves():
    from core.panels import Panel, layout

    panels = [Panel(key=k, title=k, template="x", context=lambda r: {}, queries=q)
              for k, q in (("a", 2), ("b", 0), ("c", 2), ("d", 3), ("e", 1))]
    assert [(p.key, inline) for p, inline in layout(panels, 6)] == [
        ("a", True), ("b", True), ("c", True), ("d", False), ("e", False)]


@pytest.mark.django_db
def test_panel_view(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.LEADER))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:panel", args=["clocks_due"]))
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert client.get(reverse("core:panel", args=["no_such_panel"])).status_code == 404
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(reverse("core:panel", args=["clocks_due"])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_panel_of_every_role_renders_on_its_own(role, client, make_user, django_assert_max_num_queries):
    from access.scope import roles_of
    from core.panels import panels_for

    user = make_user(role)
    client.force_login(user)
    client.get(reverse("core:home"))
    for panel in panels_for(roles_of(user)):
        with django_assert_max_num_queries(10):
            response = client.get(reverse("core:panel", args=[panel.key]))
        assert response.status_code == 200, panel.key
