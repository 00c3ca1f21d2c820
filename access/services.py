"""Role grants: the one write path, with the 三员 separation guard.

- 三员 (sysadmin, secadmin, auditor) are mutually exclusive with each other and with every business role
  (GB/T 22239-2019 level 3 §8.1.5; rule ``access.guard.three_officers``).
- Nobody grants or revokes their own roles (``access.guard.self``).
- The user's row is locked while a grant is checked and written, so two concurrent grants cannot both
  pass the separation check.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import record
from core.errors import DomainError

from .models import RoleGrant
from .roles import BUSINESS_ROLES, DISTRICT_ROLES, GRID_SCOPED, SECTOR_SCOPED, THREE_OFFICERS, Role

SEPARATION_MESSAGE = _("三员分立：系统管理员、安全管理员、安全审计员互斥，且不得兼任业务角色。")


def _check_separation(user, role: Role) -> None:
    held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if role in THREE_OFFICERS:
        if held - {role}:
            raise DomainError(SEPARATION_MESSAGE, rule="access.guard.three_officers", field="role")
    elif held & THREE_OFFICERS:
        raise DomainError(SEPARATION_MESSAGE, rule="access.guard.three_officers", field="role")


def _lock(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _refuse_self(user, actor) -> None:
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise DomainError(_("不能授予或撤销自己的角色。"), rule="access.guard.self", field="role")


@transaction.atomic
def role_grant(*, user, role: str, actor, sector=None, grid=None, reason: str = "") -> RoleGrant:
    try:
        role = Role(role)
    except ValueError:
        raise DomainError(_("未知的角色。"), field="role")
    _refuse_self(user, actor)
    locked = _lock(user)
    if not locked.is_active:
        raise DomainError(_("账号已停用，不能授予角色。"), rule="access.guard.inactive", field="role")
    _check_separation(user, role)
    if role in DISTRICT_ROLES and user.district_id is None:
        raise DomainError(_("区县督导员须属于区县。"), field="role")
    if role in BUSINESS_ROLES - DISTRICT_ROLES and user.town_id is None:
        raise DomainError(_("业务角色须属于某个镇街。"), field="role")
    if sector is not None and role not in SECTOR_SCOPED:
        raise DomainError(_("只有板块负责人、岗位人员可以限定板块。"), field="sector")
    if grid is not None and role not in GRID_SCOPED:
        raise DomainError(_("只有网格员可以限定网格。"), field="grid")
    if sector is not None and sector.town_id != user.town_id:
        raise DomainError(_("限定板块必须属于用户所在镇街。"), field="sector")
    if grid is not None and grid.town_id != user.town_id:
        raise DomainError(_("限定网格必须属于用户所在镇街。"), field="grid")
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, sector=sector, grid=grid)
    if not created:  # idempotent: granting a held role changes nothing and is not recorded again
        return grant
    record(action="access.role_grant", obj=user, town=user.town, actor=actor, reason=reason,
           after={"role": role.value, "sector": sector.pk if sector else None, "grid": grid.pk if grid else None})
    user.__dict__.pop("_fazhi_grants", None)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor, reason: str = "") -> None:
    user = grant.user
    _refuse_self(user, actor)
    _lock(user)
    before = {"role": grant.role, "sector": grant.sector_id, "grid": grant.grid_id}
    grant.delete()
    record(action="access.role_revoke", obj=user, town=user.town, actor=actor, reason=reason, before=before)
    user.__dict__.pop("_fazhi_grants", None)


def separation_violations(users=None):
    """Users holding a 三员 role together with any other role (should be none: the service refuses it,
    but rows written around it — SQL, fixtures — are found here and shown to the security administrator)."""
    qs = users if users is not None else get_user_model().objects.all()
    suspicious = qs.filter(grants__role__in=THREE_OFFICERS).distinct()
    result = []
    for user in suspicious.prefetch_related("grants"):
        roles = {g.role for g in user.grants.all()}
        if len(roles & THREE_OFFICERS) > 1 or (roles & THREE_OFFICERS and roles - THREE_OFFICERS):
            result.append(user)
    return result
