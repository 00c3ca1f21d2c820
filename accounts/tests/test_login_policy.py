"""S1-S3: password policy, lockout after 5 failures, idle and absolute session timeouts."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.roles import Role
from audit.models import AuditEntry
from conftest import PASSWORD

LOGIN = "accounts:login"


def login(client, username, password):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


# --- password policy (accounts/validators.py and the Django validators in settings) -----------------

@pytest.mark.parametrize("password, code", [
    ("Ab1!", "password_too_short"),
    ("abcdefghijk", "password_too_simple"),  # one class only
    ("abcdefgh12", "password_too_simple"),  # two classes
    ("12345678901234", "password_entirely_numeric"),
    ("password1234", "password_too_common"),
    ("Aa1!" * 17, "password_too_long"),  # 68 > 64
])
def test_password_policy_refuses(password, code, db):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert code in {e.code for e in exc.value.error_list}


@pytest.mark.django_db
def test_password_policy_refuses_the_username(make_user):
    user = make_user(Role.LEADER, username="zhangsan2026")
    with pytest.raises(ValidationError) as exc:
        validate_password("Zhangsan2026!", user)
    assert "password_too_similar" in {e.code for e in exc.value.error_list}


@pytest.mark.parametrize("password", ["Fazhi-Test-2026!", "qingxi#town77", "QINGXI_town"])
def test_password_policy_accepts(password, db):
    validate_password(password)


def test_password_messages_are_chinese(db):
    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefghijk")
    assert any("至少 3 类" in m for m in exc.value.messages)


# --- lockout (accounts/signals.py, accounts/backends.py) -------------------------------------------

@pytest.mark.django_db
def test_five_failures_lock_the_account_for_15_minutes(client, make_user):
    user = make_user(Role.LEADER, username="leader_lock")
    for n in range(1, 5):
        response = login(client, "leader_lock", "wrong-password")
        assert "用户名或密码错误" in response.content.decode()
        user.refresh_from_db()
        assert user.failed_logins == n and user.locked_until is None
    response = login(client, "leader_lock", "wrong-password")
    user.refresh_from_db()
    assert user.failed_logins == 5
    assert timedelta(minutes=14) < user.locked_until - timezone.now() <= timedelta(minutes=15)
    assert "已临时锁定" in response.content.decode()
    # Even the right password is refused while locked, with the lock message.
    response = login(client, "leader_lock", PASSWORD)
    assert response.status_code == 200 and "已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AuditEntry.objects.filter(action="accounts.login_failed", object_id=str(user.pk))
    assert failures.count() == 6 and failures.filter(after__locked=True).exists()


@pytest.mark.django_db
def test_lock_expires_and_success_resets_the_counter(client, make_user):
    user = make_user(Role.LEADER, username="leader_reset")
    for _ in range(3):
        login(client, "leader_reset", "wrong-password")
    user.refresh_from_db()
    assert user.failed_logins == 3
    response = login(client, "leader_reset", PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None
    client.logout()

    # Locked, then the 15 minutes pass: the right password works again and clears the lock.
    type(user).objects.filter(pk=user.pk).update(failed_logins=5,
                                                 locked_until=timezone.now() - timedelta(seconds=1))
    assert login(client, "leader_reset", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None
    assert AuditEntry.objects.filter(action="accounts.login", object_id=str(user.pk)).count() == 2


@pytest.mark.django_db
def test_unknown_username_failure_is_audited_without_a_user(client):
    login(client, "nobody-here", "whatever-1A!")
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.after == {"username": "nobody-here"} and entry.object_id == ""


# --- sessions (accounts/middleware.py) ----------------------------------------------------------

def _age_session(client, **changes):
    session = client.session
    for key, value in changes.items():
        session[key] = value
    session.save()


@pytest.mark.django_db
def test_idle_timeout_30_minutes_for_staff(client, make_user):
    user = make_user(Role.LEADER, username="idle_staff")
    assert login(client, "idle_staff", PASSWORD).status_code == 302
    assert client.session["fazhi_idle"] == 30 * 60
    home = reverse("core:home")
    now = int(time.time())
    _age_session(client, fazhi_seen=now - 29 * 60)
    assert client.get(home).status_code == 200
    _age_session(client, fazhi_seen=now - 31 * 60)
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse(LOGIN))
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.logout", object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_idle_timeout_15_minutes_for_three_officers(client, make_user):
    make_user(Role.AUDITOR, username="idle_auditor")
    login(client, "idle_auditor", PASSWORD)
    assert client.session["fazhi_idle"] == settings.FAZHI_SESSION_IDLE_SECONDS["three_officers"] == 15 * 60
    _age_session(client, fazhi_seen=int(time.time()) - 16 * 60)
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_absolute_timeout_12_hours(client, make_user):
    make_user(Role.LEADER, username="long_day")
    login(client, "long_day", PASSWORD)
    now = int(time.time())
    _age_session(client, fazhi_started=now - 12 * 3600 - 5, fazhi_seen=now - 10)
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_new_session_id_at_login(client, make_user):
    make_user(Role.LEADER, username="fixation")
    client.get(reverse(LOGIN))
    client.session.save()
    before = client.session.session_key
    login(client, "fixation", PASSWORD)
    assert client.session.session_key != before


def test_chinese_length_message():
    from accounts.validators import MinimumLengthValidator

    with pytest.raises(ValidationError) as exc:
        MinimumLengthValidator().validate("Ab1!")
    assert exc.value.messages == ["密码太短，至少需要 10 个字符。"]
    MinimumLengthValidator().validate("Ab1!Ab1!Ab")


@pytest.mark.django_db
def test_three_officer_passwords_expire_after_90_days(client, make_user):
    from django.contrib.auth import get_user_model

    auditor = make_user(Role.AUDITOR, username="old_pw_auditor")
    leader = make_user(Role.LEADER, username="old_pw_leader")
    old = timezone.now() - timedelta(days=91)
    get_user_model().objects.filter(pk__in=[auditor.pk, leader.pk]).update(password_changed_at=old)
    login(client, "old_pw_auditor", PASSWORD)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password_change"))
    assert AuditEntry.objects.filter(action="accounts.password_expired", object_id=str(auditor.pk)).exists()
    client.logout()
    login(client, "old_pw_leader", PASSWORD)  # staff: no rotation rule (ASVS), only the 等保 profile for 三员
    assert client.get(reverse("core:home")).status_code == 200
