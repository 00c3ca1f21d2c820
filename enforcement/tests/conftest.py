"""A town ready for enforcement: a delegated matter, three officers (one with an expired credential),
a qualified legal reviewer, and users for the officers, the leader and the reviewer."""

import datetime as dt
from types import SimpleNamespace

import pytest

from access.roles import Role
from enforcement import services
from enforcement.tests.factories import MatterFactory, OfficerFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def build_world(town, make_user, prefix=""):
    officer_user = make_user(Role.ENFORCEMENT_OFFICER, username=f"{prefix}officer")
    officer_user2 = make_user(Role.ENFORCEMENT_OFFICER, username=f"{prefix}officer2")
    leader = make_user(Role.LEADER, username=f"{prefix}leader")
    reviewer_user = make_user(Role.LEGAL_REVIEWER, username=f"{prefix}reviewer")
    matter = MatterFactory(town=town)
    a = OfficerFactory(town=town, user=officer_user, name="李执法")
    b = OfficerFactory(town=town, user=officer_user2, name="王执法")
    expired = OfficerFactory(town=town, name="过期员", valid_until=dt.date.today() - dt.timedelta(days=1))
    reviewer = services.reviewer_set(town=town, user=reviewer_user, name="赵审核", qualification_number="A2020001",
                                     actor=leader)
    return SimpleNamespace(town=town, matter=matter, a=a, b=b, expired=expired, officer=officer_user,
                           officer2=officer_user2, leader=leader, reviewer_user=reviewer_user, reviewer=reviewer)


@pytest.fixture
def world(town, make_user):
    return build_world(town, make_user)


@pytest.fixture
def other_world(other_town, make_user):
    return build_world(other_town, lambda role, **kw: make_user(role, town_=other_town, **kw), prefix="o_")
