"""Fixtures of the org tests: a small structure built through the services (as the system)."""

from dataclasses import dataclass

import pytest

from org import services
from org.models import Sector


@dataclass
class Structure:
    town: object
    sector: object
    village: object
    grid: object
    a: object
    b: object
    c: object
    position: object


def build_structure(town, *, prefix="") -> Structure:
    services.seed_default_sectors(town=town, actor=None)
    sector = Sector.objects.get(town=town, code=Sector.Code.SAFETY_RULE_OF_LAW)
    village = services.village_create(town=town, actor=None, code=f"{prefix}V01", name=f"{prefix}青龙村")
    grid = services.grid_create(town=town, actor=None, village=village, code=f"{prefix}G01", name=f"{prefix}第一网格",
                                households=120)
    a = services.staff_create(town=town, actor=None, code=f"{prefix}S1", name="甲某", phone="13900000001")
    b = services.staff_create(town=town, actor=None, code=f"{prefix}S2", name="乙某", phone="13900000002")
    c = services.staff_create(town=town, actor=None, code=f"{prefix}S3", name="丙某", phone="13900000003")
    position = services.position_create(sector=sector, actor=None, code=f"{prefix}mediation", name="人民调解岗",
                                        duties="排查调处矛盾纠纷\n调解协议指导", primary_holder=a, backup_holder=b)
    return Structure(town, sector, village, grid, a, b, c, position)


@pytest.fixture
def org(town):
    return build_structure(town)


@pytest.fixture
def other_org(other_town):
    return build_structure(other_town, prefix="X")


def valid_id_number(body17: str) -> str:
    from org.validators import ID_CHECK, ID_WEIGHTS

    total = sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS, strict=True))
    return body17 + ID_CHECK[total % 11]


def valid_credit_code(body17: str) -> str:
    from org.validators import credit_code_check_char

    return body17 + credit_code_check_char(body17)
