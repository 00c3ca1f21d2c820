"""三员 account administration: sysadmin creates/resets/disables/unlocks, secadmin grants/revokes roles."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from access.models import RoleGrant
from access.roles import Role
from accounts.models import UserSession
from audit.models import AuditEntry
from conftest import PASSWORD
from org.tests.factories import GridFactory, SectorFactory, UserFactory

User = get_user_model()
NEW_PASSWORD = "Qingxi-Start-2026"


@pytest.fixture
def sysadmin(make_user):
    return make_user(Role.SYSADMIN, username="sys1")


@pytest.fixture
def secadmin(make_user):
    return make_user(Role.SECADMIN, username="sec1")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get(reverse("core:healthz"))  # the first request stores the idle clock
    return client


@pytest.mark.django_db
def test_user_list_filters_and_exports(sysadmin, secadmin, make_user, other_town, django_assert_max_num_queries):
    make_user(Role.GRID_WORKER, username="gw_list")
    UserFactory(town=other_town, username="elsewhere")
    for admin in (sysadmin, secadmin):
        client = logged_in(admin)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("accounts:user_list"))
        body = response.content.decode()
        assert response.status_code == 200 and "gw_list" in body and "elsewhere" not in body
    response = client.get(reverse("accounts:user_list"), {"role": "grid_worker"})
    assert "gw_list" in response.content.decode() and "sys1" not in response.content.decode()
    response = client.get(reverse("accounts:user_list"), {"export": "xlsx", "role": "grid_worker"})
    rows = [r[0].value for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3)]
    assert rows == ["gw_list"]
    assert AuditEntry.objects.get(action="accounts.users_export").after["rows"] == 1


@pytest.mark.django_db
def test_business_roles_and_auditor_cannot_administer(make_user):
    for role in (Role.LEADER, Role.AUDITOR, Role.DISPATCHER):
        client = logged_in(make_user(role))
        assert client.get(reverse("accounts:user_list")).status_code == 403


@pytest.mark.django_db
def test_sysadmin_creates_an_account_that_must_change_its_password(sysadmin, town):
    client = logged_in(sysadmin)
    response = client.post(reverse("accounts:user_create"), {
        "username": "new_clerk", "full_name": "新同事", "phone": "13900001111",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "reason": "新入职"})
    user = User.objects.get(username="new_clerk")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.town == town and user.must_change_password and user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.user_create")
    assert entry.actor == sysadmin and entry.after["phone"] == "139****1111" and "password" not in entry.after

    # First login: everything redirects to the password page until the password is changed.
    clerk = Client()
    assert clerk.post(reverse("accounts:login"), {"username": "new_clerk", "password": NEW_PASSWORD}).status_code == 302
    response = clerk.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password_change"))
    assert clerk.get("/api/v1/instruments/kinds/").status_code == 403
    assert "临时密码" in clerk.get(reverse("accounts:password_change")).content.decode()
    response = clerk.post(reverse("accounts:password_change"), {
        "old_password": NEW_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "不能与原密码相同" in response.content.decode()
    response = clerk.post(reverse("accounts:password_change"), {
        "old_password": NEW_PASSWORD, "new_password1": "Clerk-Own-2026", "new_password2": "Clerk-Own-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at is not None
    assert clerk.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("data, message", [
    ({"username": "sys1"}, "已被使用"),
    ({"password1": "Short-1", "password2": "Short-1"}, "至少需要 10 个字符"),
    ({"password1": "abcdefghijkl", "password2": "abcdefghijkl"}, "至少 3 类"),
    ({"password2": "Other-Pass-2026"}, "两次输入的密码不一致"),
    ({"username": "bad name!"}, "用户名只能包含"),
    ({"phone": "12345"}, "11 位手机号"),
])
def test_create_refuses_bad_input_and_writes_nothing(sysadmin, data, message):
    client = logged_in(sysadmin)
    before_users, before_audit = User.objects.count(), AuditEntry.objects.count()
    payload = {"username": "clerk2", "full_name": "某某", "phone": "", "password1": NEW_PASSWORD,
               "password2": NEW_PASSWORD, **data}
    response = client.post(reverse("accounts:user_create"), payload)
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.count() == before_users and AuditEntry.objects.count() == before_audit


@pytest.mark.django_db
def test_secadmin_cannot_create_and_sysadmin_cannot_grant(sysadmin, secadmin, make_user):
    target = make_user(Role.LEADER)
    assert logged_in(secadmin).get(reverse("accounts:user_create")).status_code == 403
    response = logged_in(sysadmin).post(reverse("accounts:grant_create", args=[target.pk]),
                                        {"role": "dispatcher", "reason": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_disabling_ends_every_session(sysadmin, make_user):
    target = make_user(Role.LEADER, username="leaving")
    phone, desk = Client(), Client()
    for c in (phone, desk):
        assert c.post(reverse("accounts:login"), {"username": "leaving", "password": PASSWORD}).status_code == 302
        assert c.get(reverse("core:home")).status_code == 200
    keys = set(UserSession.objects.filter(user=target).values_list("session_key", flat=True))
    assert len(keys) == 2 and Session.objects.filter(session_key__in=keys).count() == 2

    admin = logged_in(sysadmin)
    response = admin.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0", "reason": ""},
                          follow=True)
    assert "须填写理由" in response.content.decode()
    target.refresh_from_db()
    assert target.is_active
    admin.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0", "reason": "离职"})
    target.refresh_from_db()
    assert not target.is_active
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=target).exists()
    for c in (phone, desk):
        response = c.get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert AuditEntry.objects.get(action="accounts.user_disable").after == {"is_active": False, "sessions_ended": 2}
    # Disabled accounts cannot log in; enabling restores it.
    assert Client().post(reverse("accounts:login"), {"username": "leaving", "password": PASSWORD}).status_code == 200
    admin.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "1"})
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.django_db
def test_nobody_disables_or_resets_themselves(sysadmin):
    admin = logged_in(sysadmin)
    response = admin.post(reverse("accounts:user_set_active", args=[sysadmin.pk]), {"active": "0", "reason": "试"},
                          follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    response = admin.post(reverse("accounts:user_password_reset", args=[sysadmin.pk]), {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "reason": "试"})
    assert "不能在此重置自己的密码" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_forces_a_change_and_clears_the_lock(sysadmin, make_user):
    target = make_user(Role.LEADER, username="forgot")
    User.objects.filter(pk=target.pk).update(failed_logins=5, locked_until=timezone.now() + timedelta(minutes=10))
    admin = logged_in(sysadmin)
    response = admin.post(reverse("accounts:user_password_reset", args=[target.pk]), {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "reason": "本人来电申请"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(NEW_PASSWORD) and target.locked_until is None
    entry = AuditEntry.objects.get(action="accounts.password_reset")
    assert entry.reason == "本人来电申请" and entry.actor == sysadmin


@pytest.mark.django_db
def test_unlock(sysadmin, make_user):
    target = make_user(Role.LEADER)
    admin = logged_in(sysadmin)
    response = admin.post(reverse("accounts:user_unlock", args=[target.pk]), follow=True)
    assert "未被锁定" in response.content.decode()
    User.objects.filter(pk=target.pk).update(failed_logins=5, locked_until=timezone.now() + timedelta(minutes=10))
    admin.post(reverse("accounts:user_unlock", args=[target.pk]), {"reason": "核实本人"})
    target.refresh_from_db()
    assert target.failed_logins == 0 and target.locked_until is None


@pytest.mark.django_db
def test_secadmin_grants_and_revokes_roles(secadmin, town, django_assert_max_num_queries):
    target = UserFactory(town=town, username="new_grid")
    sector = SectorFactory(town=town)
    grid = GridFactory(village__town=town)
    admin = logged_in(secadmin)
    with django_assert_max_num_queries(10):
        assert admin.get(reverse("accounts:grant_create", args=[target.pk])).status_code == 200
    url = reverse("accounts:grant_create", args=[target.pk])
    response = admin.post(url, {"role": "grid_worker", "sector": sector.pk, "reason": "入职"})
    assert "只有板块负责人、岗位人员可以限定板块" in response.content.decode()
    response = admin.post(url, {"role": "grid_worker", "grid": grid.pk, "reason": "入职"})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=target)
    assert grant.role == "grid_worker" and grant.grid == grid
    assert "已有此角色" in admin.post(url, {"role": "grid_worker", "grid": grid.pk, "reason": "x"}).content.decode()
    # 三员 on top of a business role: refused with the rule's message, nothing written.
    before = AuditEntry.objects.count()
    response = admin.post(url, {"role": "auditor", "reason": "兼任"})
    assert "三员分立" in response.content.decode()
    assert RoleGrant.objects.filter(user=target).count() == 1 and AuditEntry.objects.count() == before
    with django_assert_max_num_queries(10):
        response = admin.get(reverse("accounts:user_detail", args=[target.pk]))
    assert "网格员" in response.content.decode() and 'data-testid="audit-timeline"' in response.content.decode()
    revoke = reverse("accounts:grant_revoke", args=[target.pk, grant.pk])
    assert "须填写理由" in admin.post(revoke, {"reason": ""}, follow=True).content.decode()
    admin.post(revoke, {"reason": "调离"})
    assert not RoleGrant.objects.filter(user=target).exists()
    entry = AuditEntry.objects.get(action="access.role_revoke")
    assert entry.before["role"] == "grid_worker" and entry.reason == "调离"


@pytest.mark.django_db
def test_other_towns_users_are_404(secadmin, sysadmin, other_town):
    theirs = UserFactory(town=other_town)
    grant = RoleGrant.objects.create(user=theirs, role=Role.LEADER)
    assert logged_in(secadmin).get(reverse("accounts:user_detail", args=[theirs.pk])).status_code == 404
    assert logged_in(secadmin).post(reverse("accounts:grant_revoke", args=[theirs.pk, grant.pk]),
                                    {"reason": "x"}).status_code == 404
    assert logged_in(sysadmin).post(reverse("accounts:user_set_active", args=[theirs.pk]),
                                    {"active": "0", "reason": "x"}).status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
