"""Journeys of 三员 (system administrator, security administrator, auditor): the audit log with filter,
entry and export; a role granted; an account created and disabled; a business user refused the log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from access.roles import Role
from audit.context import acting_as
from e2e.helpers import PASSWORD, download, read_xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _alert(page, kind="success"):
    return page.locator(f".fazhi-messages .alert-{kind}")


def test_auditor_filters_opens_and_exports_the_log(page, live_server, login, make_user, town):
    from audit.models import AuditEntry
    from org import services

    with acting_as(None, channel="cli"):
        services.village_create(town=town, actor=None, code="V401", name="白鹤村", households=90, population=270)
        services.village_create(town=town, actor=None, code="V402", name="黄桷村", households=80, population=240)
    make_user(Role.AUDITOR, username="auditor1")
    login(page, "auditor1", PASSWORD)

    page.goto(f"{live_server.url}/audit/")
    expect(page.locator("h1")).to_have_text("审计日志")
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text("accounts.login")  # the auditor's own login is in the log

    # Filter by action prefix.
    page.fill("#id_action", "org.village")
    page.get_by_test_id("audit-filter").get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"action=org\.village"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("audit-count")).to_have_text("共 2 条")
    for text in rows.all_inner_texts():
        assert "org.village_create" in text, text
    expect(table).not_to_contain_text("accounts.login")

    # Open an entry: the fields, and the chain check.
    rows.filter(has_text="黄桷村").get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("审计记录 #")
    expect(page.get_by_test_id("audit-chain-link")).to_contain_text("校验通过")
    diff = page.get_by_test_id("audit-diff")
    expect(diff.locator("tr", has_text="name")).to_contain_text("黄桷村")
    page.go_back()

    # Export what the filter shows.
    name, data = download(page, "[data-testid=audit-export]")
    assert name.endswith(".xlsx"), name
    sheet = read_xlsx(data)
    header = next(r for r in sheet if "动作代码" in r)
    col = header.index("动作代码")
    body = sheet[sheet.index(header) + 1:]
    assert sorted(r[col] for r in body) == ["org.village_create", "org.village_create"]
    assert {r[header.index("对象")] for r in body} == {"白鹤村", "黄桷村"}
    # Every read and the export are themselves audited.
    assert AuditEntry.objects.filter(action="audit.export", actor__username="auditor1").count() == 1
    assert AuditEntry.objects.filter(action="audit.read_entry", actor__username="auditor1").count() == 1
    assert page.js_errors == []


def test_secadmin_grants_a_role(page, live_server, login, make_user):
    from access.models import RoleGrant

    make_user(Role.SECADMIN, username="secadmin1")
    target = make_user(None, username="newcomer")
    login(page, "secadmin1", PASSWORD)
    page.goto(f"{live_server.url}/accounts/users/")
    expect(page.locator("h1")).to_have_text("用户与角色")
    # The security administrator manages roles, not accounts.
    expect(page.get_by_test_id("user-create")).to_have_count(0)
    page.get_by_test_id("users-table").get_by_role("link", name="newcomer").click()
    expect(page.get_by_test_id("user-grants")).to_contain_text("尚无角色")
    page.click("[data-testid=grant-create]")
    expect(page.locator("h1")).to_contain_text("授予角色")
    page.select_option("#id_role", Role.LEADER.value)
    page.fill("#id_reason", "新任镇领导")
    page.get_by_test_id("user-form").get_by_role("button", name="授予").click()
    expect(_alert(page)).to_contain_text("已为“newcomer”授予角色：镇领导。")
    expect(page.get_by_test_id("user-grants")).to_contain_text("镇领导")
    expect(page.get_by_test_id("audit-timeline")).to_contain_text("授予角色")
    assert RoleGrant.objects.filter(user=target, role=Role.LEADER).exists()

    # A 三员 role for a business user is refused with a Chinese message (mutual exclusion).
    page.click("[data-testid=grant-create]")
    page.select_option("#id_role", Role.AUDITOR.value)
    page.fill("#id_reason", "兼任审计")
    page.get_by_test_id("user-form").get_by_role("button", name="授予").click()
    expect(page.get_by_test_id("user-form")).to_contain_text("三员")
    assert not RoleGrant.objects.filter(user=target, role=Role.AUDITOR).exists()
    assert page.js_errors == []


def test_sysadmin_creates_and_disables_an_account(page, live_server, login, make_user):
    from django.contrib.auth import get_user_model

    make_user(Role.SYSADMIN, username="sysadmin1")
    login(page, "sysadmin1", PASSWORD)
    page.goto(f"{live_server.url}/accounts/users/")
    page.click("[data-testid=user-create]")
    expect(page.locator("h1")).to_have_text("新建账号")
    page.fill("#id_username", "wangxin")
    page.fill("#id_full_name", "王新")
    page.fill("#id_phone", "13900000999")
    page.fill("#id_password1", "Qingxi-Temp-2026#")
    page.fill("#id_password2", "Qingxi-Temp-2026#")
    page.fill("#id_reason", "新入职")
    page.get_by_test_id("user-form").get_by_role("button", name="新建").click()
    expect(_alert(page)).to_contain_text("已新建账号“wangxin”，首次登录须修改密码。")
    status = page.get_by_test_id("user-status")
    expect(status).to_contain_text("启用")
    expect(status).to_contain_text("下次登录须修改密码")
    expect(page.locator("main")).to_contain_text("139****0999")  # the phone is masked

    page.fill("[data-testid=user-set-active] input[name=reason]", "调离本镇")
    page.get_by_test_id("user-set-active").get_by_role("button", name="停用账号").click()
    expect(_alert(page)).to_contain_text("已停用账号“wangxin”，其所有会话已结束。")
    expect(page.get_by_test_id("user-status")).to_contain_text("已停用")
    timeline = page.get_by_test_id("audit-timeline")
    expect(timeline).to_contain_text("新建账号")
    expect(timeline).to_contain_text("停用账号")
    expect(timeline).to_contain_text("调离本镇")
    assert get_user_model().objects.get(username="wangxin").is_active is False

    # The disabled account cannot log in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "wangxin")
    page.fill("#id_password", "Qingxi-Temp-2026#")
    page.click("[data-testid=login-submit]")
    expect(page.locator(".alert-danger")).to_be_visible()
    assert "/accounts/login/" in page.url
    assert page.js_errors == []


def test_business_user_is_refused_the_audit_log(page, live_server, login, make_user):
    make_user(Role.LEADER, username="leader1")
    login(page, "leader1", PASSWORD)
    # No menu entry...
    expect(page.get_by_test_id("sidebar").get_by_role("link", name="审计日志")).to_have_count(0)
    # ...and the address answers 403.
    for path in ("/audit/", "/audit/security/", "/accounts/users/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403, (path, response.status)


def test_forbidden_page_speaks_chinese(page, live_server, login, make_user):
    make_user(Role.LEADER, username="leader2")
    login(page, "leader2", PASSWORD)
    response = page.goto(f"{live_server.url}/audit/")
    assert response.status == 403
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "无权" in page.inner_text("body")
