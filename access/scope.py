"""``restrict(user, action)``: the one choke point every query goes through.

- No role of the user grants ``action``            → ``PermissionDenied`` (HTTP 403).
- Otherwise the queryset is filtered to the user's scope; anything outside it simply is not there,
  so a detail view answers 404.

A model declares where its tenant lives with class attributes (paths are ORM lookups):

    scope_town = "town"            # "" when the model *is* the Town
    scope_sector = "sector"        # optional: narrows sector-scoped grants
    scope_grid = "grid"            # optional: narrows grid-scoped grants
    scope_district = "district"    # only for models above the town (District: "")
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from . import policy
from .roles import DISTRICT_ROLES


def _join(path: str, field: str) -> str:
    return f"{path}__{field}" if path else field


def grants_of(user) -> list:
    """The user's role grants, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_fazhi_grants", None)
    if cached is None:
        cached = list(user.grants.all())
        user._fazhi_grants = cached
    return cached


def roles_of(user) -> set:
    return {g.role for g in grants_of(user)}


def can(user, action: str) -> bool:
    allowed = policy.roles_for(action)
    return any(g.role in allowed for g in grants_of(user))


def require(user, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(action)


def _grant_q(user, grant, model) -> Q:
    town_path = getattr(model, "scope_town", None)
    district_path = getattr(model, "scope_district", None)
    if town_path is None and district_path is None:
        raise TypeError(f"{model.__name__} declares no scope_town/scope_district: it cannot be restricted")

    # Tenant: district users see their district's towns; town users their own town.
    if grant.role in DISTRICT_ROLES or (user.town_id is None and user.district_id is not None):
        if town_path is not None:
            q = Q(**{_join(town_path, "district__pk"): user.district_id})
        else:
            q = Q(**{_join(district_path, "pk"): user.district_id})
    else:
        if user.town_id is None:
            return Q(pk__in=[])
        if town_path is not None:
            q = Q(**{_join(town_path, "pk"): user.town_id})
        else:
            q = Q(**{_join(district_path, "pk"): user.town.district_id})

    sector_path = getattr(model, "scope_sector", None)
    if grant.sector_id and sector_path is not None:
        q &= Q(**{_join(sector_path, "pk"): grant.sector_id})
    grid_path = getattr(model, "scope_grid", None)
    if grant.grid_id and grid_path is not None:
        q &= Q(**{_join(grid_path, "pk"): grant.grid_id})
    return q


def scope_q(user, action: str, model) -> Q:
    allowed = policy.roles_for(action)
    grants = [g for g in grants_of(user) if g.role in allowed]
    if not grants:
        raise PermissionDenied(action)
    q = Q(pk__in=[])
    for grant in grants:
        q |= _grant_q(user, grant, model)
    return q


def restrict(user, action: str, queryset) -> models.QuerySet:
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    return queryset.filter(scope_q(user, action, queryset.model))


def get_in_scope(user, action: str, queryset, **lookup):
    """403 when the action is forbidden, 404 when the object is out of scope or absent."""
    return get_object_or_404(restrict(user, action, queryset), **lookup)


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str):
        return restrict(user, action, self)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
