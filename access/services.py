"""Role grants: the one write path, with the 三员 separation guard."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import record
from core.errors import DomainError

from .models import RoleGrant
from .roles import BUSINESS_ROLES, DISTRICT_ROLES, THREE_OFFICERS, Role


def _check_separation(user, role: Role) -> None:
    held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if role in THREE_OFFICERS:
        others = held - {role}
        if others:
            raise DomainError(
                _("三员分立：系统管理员、安全管理员、安全审计员互斥，且不得兼任业务角色。"),
                rule="access.guard.three_officers",
            )
    elif held & THREE_OFFICERS:
        raise DomainError(
            _("三员分立：系统管理员、安全管理员、安全审计员互斥，且不得兼任业务角色。"),
            rule="access.guard.three_officers",
        )


@transaction.atomic
def role_grant(*, user, role: str, actor, sector=None, grid=None, reason: str = "") -> RoleGrant:
    role = Role(role)
    _check_separation(user, role)
    if role in DISTRICT_ROLES and user.district_id is None:
        raise DomainError(_("区县督导员须属于区县。"), field="role")
    if role in BUSINESS_ROLES - DISTRICT_ROLES and user.town_id is None:
        raise DomainError(_("业务角色须属于某个镇街。"), field="role")
    if sector is not None and sector.town_id != user.town_id:
        raise DomainError(_("限定板块必须属于用户所在镇街。"), field="sector")
    if grid is not None and grid.town_id != user.town_id:
        raise DomainError(_("限定网格必须属于用户所在镇街。"), field="grid")
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, sector=sector, grid=grid)
    if created:
        record(action="access.role_grant", obj=user, town=user.town, actor=actor, reason=reason,
               after={"role": role.value, "sector": sector.pk if sector else None, "grid": grid.pk if grid else None})
    user.__dict__.pop("_fazhi_grants", None)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor, reason: str = "") -> None:
    user = grant.user
    before = {"role": grant.role, "sector": grant.sector_id, "grid": grant.grid_id}
    grant.delete()
    record(action="access.role_revoke", obj=user, town=user.town, actor=actor, reason=reason, before=before)
