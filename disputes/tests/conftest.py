"""A town ready for mediation: a village with a grid, the village committee with a mediator, and users."""

from types import SimpleNamespace

import pytest

from access.roles import Role
from disputes.tests.factories import CommitteeFactory, MediatorFactory
from org.tests import factories as f


def build_world(town, make_user, prefix=""):
    village = f.VillageFactory(town=town, name=f"{prefix}青石村")
    grid = f.GridFactory(town=town, village=village, name=f"{prefix}青石村第一网格")
    committee = CommitteeFactory(town=town, name=f"{prefix}青石村人民调解委员会", level="village", village=village)
    town_committee = CommitteeFactory(town=town, name=f"{prefix}镇人民调解委员会", level="town")
    mediator = MediatorFactory(town=town, committee=committee, name=f"{prefix}陈调解")
    sector = f.SectorFactory(town=town, code="safety_rule_of_law", name="平安法治")
    users = SimpleNamespace(
        mediator=make_user(Role.POST_HOLDER, town_=town, sector=sector, username=f"{prefix}med"),
        lead=make_user(Role.SECTOR_LEAD, town_=town, sector=sector, username=f"{prefix}slead"),
        leader=make_user(Role.LEADER, town_=town, username=f"{prefix}leader"),
        dispatcher=make_user(Role.DISPATCHER, town_=town, username=f"{prefix}disp"),
        worker=make_user(Role.GRID_WORKER, town_=town, grid=grid, username=f"{prefix}gw"),
        auditor=make_user(Role.AUDITOR, town_=town, username=f"{prefix}aud"),
    )
    return SimpleNamespace(town=town, village=village, grid=grid, committee=committee, town_committee=town_committee,
                           mediator=mediator, sector=sector, users=users)


@pytest.fixture
def world(town, make_user):
    return build_world(town, make_user)


@pytest.fixture
def other_world(other_town, make_user):
    return build_world(other_town, make_user, prefix="乙")
