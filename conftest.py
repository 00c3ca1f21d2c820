"""Shared fixtures: two towns, and a user for every role."""

import pytest

from access.models import RoleGrant
from access.roles import DISTRICT_ROLES, Role
from org.tests import factories as f

PASSWORD = "Fazhi-Test-2026!"


@pytest.fixture
def town(db):
    return f.TownFactory(name="甲镇", abbreviation="甲镇")


@pytest.fixture
def other_town(db, town):
    return f.TownFactory(name="乙镇", abbreviation="乙镇", district=town.district)


@pytest.fixture
def make_user(db, town):
    """``make_user(Role.DISPATCHER)`` → a user of ``town`` (or of its district) holding that role."""

    def _make(role=None, *, town_=None, sector=None, grid=None, username=None):
        role = Role(role) if role else None
        target_town = town_ or town
        kwargs = {"username": username} if username else {}
        if role in DISTRICT_ROLES:
            user = f.UserFactory(town=None, district=target_town.district, **kwargs)
        else:
            user = f.UserFactory(town=target_town, **kwargs)
        if role:
            RoleGrant.objects.create(user=user, role=role, sector=sector, grid=grid)
        return user

    return _make


@pytest.fixture
def user_of(make_user):
    """One user per role in ``town``; ``user_of[Role.LEADER]``."""
    return {role: make_user(role, username=f"u_{role.value}") for role in Role}
