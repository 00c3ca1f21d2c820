"""Accounts: the one write path for creating, disabling, unlocking users and setting their passwords.

三员 split: the system administrator creates accounts, resets passwords and disables/enables them; the
security administrator grants and revokes roles (``access.services``). Every change is audited.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.crypto import mask_phone
from core.errors import DomainError

from .models import UserSession
from .validators import too_short_message

User = get_user_model()


def _validate_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        messages = [too_short_message(e.params["min_length"]) if e.code == "password_too_short" and e.params
                    else " ".join(e.messages) for e in exc.error_list]
        raise DomainError(" ".join(messages), rule="accounts.password_policy", field="password") from exc


def _public(user) -> dict:
    """What the audit log keeps of an account (no password, phone masked)."""
    return {"username": user.username, "full_name": user.full_name, "town": user.town_id,
            "district": user.district_id, "phone": mask_phone(user.phone), "is_active": user.is_active,
            "must_change_password": user.must_change_password}


def _refuse_self(user, actor, message) -> None:
    if actor is not None and actor.pk == user.pk:
        raise DomainError(message, rule="accounts.guard.self")


@transaction.atomic
def user_create(*, actor, username: str, password: str, full_name: str = "", town=None, phone: str = "",
                reason: str = ""):
    """A new account of ``town`` that must change its initial password at first login (S1)."""
    username = (username or "").strip()
    if not username:
        raise DomainError(_("请填写用户名。"), field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise DomainError(_("用户名只能包含字母、数字和 @/./+/-/_。"), field="username") from exc
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("用户名“{name}”已被使用。").format(name=username), field="username",
                          rule="accounts.username_taken")
    if town is None:
        raise DomainError(_("账号须属于某个镇街。"), field="town")
    user = User(username=username, full_name=(full_name or "").strip(), town=town, phone=(phone or "").strip(),
                must_change_password=True)
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    record(action="accounts.user_create", obj=user, actor=actor, reason=reason, after=_public(user))
    return user


def _end_sessions(user) -> int:
    """Delete every session the user opened (whatever the session backend)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def user_set_active(*, user, actor, active: bool, reason: str = ""):
    """Disable (every session ends at once, S3) or enable an account. A reason is required to disable."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not active:
        _refuse_self(user, actor, _("不能停用自己的账号。"))
        if not (reason or "").strip():
            raise DomainError(_("停用账号须填写理由。"), field="reason")
    if user.is_active == active:
        raise DomainError(_("该账号已是启用状态。") if active else _("该账号已是停用状态。"),
                          rule="accounts.user_state")
    user.is_active = active
    user.save(update_fields=["is_active"])
    ended = 0 if active else _end_sessions(user)
    record(action="accounts.user_enable" if active else "accounts.user_disable", obj=user, actor=actor,
           reason=reason, before={"is_active": not active}, after={"is_active": active, "sessions_ended": ended})
    return user


@transaction.atomic
def user_password_reset(*, user, actor, password: str, reason: str = ""):
    """Set a temporary password; the user must change it at next login. Lockout and sessions are cleared."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _refuse_self(user, actor, _("不能在此重置自己的密码，请使用“修改密码”。"))
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    ended = _end_sessions(user)
    record(action="accounts.password_reset", obj=user, actor=actor, reason=reason,
           after={"must_change_password": True, "sessions_ended": ended})
    return user


@transaction.atomic
def user_unlock(*, user, actor, reason: str = ""):
    user = User.objects.select_for_update().get(pk=user.pk)
    if not (user.locked_until and user.locked_until > timezone.now()) and not user.failed_logins:
        raise DomainError(_("该账号未被锁定。"), rule="accounts.user_state")
    before = {"failed_logins": user.failed_logins, "locked_until": user.locked_until}
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    record(action="accounts.user_unlock", obj=user, actor=actor, reason=reason, before=before,
           after={"failed_logins": 0, "locked_until": None})
    return user


@transaction.atomic
def password_change(*, user, password: str):
    """The user's own change (the form has checked the old password); clears ``must_change_password``."""
    if user.check_password(password):
        raise DomainError(_("新密码不能与原密码相同。"), field="password", rule="accounts.password_reuse")
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record(action="accounts.password_change", obj=user, actor=user)
    return user


def password_expired(user) -> bool:
    """三员 rotate their passwords every ``FAZHI_ADMIN_PASSWORD_DAYS`` days (S1; default 90)."""
    from access.roles import THREE_OFFICERS
    from access.scope import roles_of

    days = getattr(settings, "FAZHI_ADMIN_PASSWORD_DAYS", 90)
    if not days or user.password_changed_at is None or not (roles_of(user) & THREE_OFFICERS):
        return False
    return (timezone.now() - user.password_changed_at).days >= days


@transaction.atomic
def session_opened(*, user, session_key: str, client_ip: str = "") -> None:
    """Remember a login's session (for S3) and flag an expired 三员 password; called on login."""
    if session_key:
        horizon = timezone.now() - dt.timedelta(seconds=settings.FAZHI_SESSION_ABSOLUTE_SECONDS)
        UserSession.objects.filter(user=user, created_at__lt=horizon).delete()
        UserSession.objects.update_or_create(session_key=session_key,
                                             defaults={"user": user, "client_ip": client_ip[:64]})
    if password_expired(user) and not user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True
        record(action="accounts.password_expired", obj=user, actor=user,
               after={"password_changed_at": user.password_changed_at})


def session_closed(*, session_key: str) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def users_exported(*, actor, count: int, filters: dict) -> None:
    """Exports of the account list are audited (S7)."""
    record(action="accounts.users_export", actor=actor, town=getattr(actor, "town_id", None),
           after={"rows": count, "filters": {k: v for k, v in filters.items() if k != "export" and v}})
