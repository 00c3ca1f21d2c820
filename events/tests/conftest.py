"""A small town ready for events: a sector and post with A/B holders, a grid with a boundary, a category
with a routing rule, and users for the centre, the post, the grid and the leadership."""

import base64
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from access.roles import Role
from events.tests.factories import CategoryFactory
from org.tests import factories as f

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

SQUARE = {"type": "Polygon", "coordinates": [[[108.0, 30.0], [108.1, 30.0], [108.1, 30.1], [108.0, 30.1],
                                              [108.0, 30.0]]]}
SQUARE2 = {"type": "Polygon", "coordinates": [[[108.1, 30.0], [108.2, 30.0], [108.2, 30.1], [108.1, 30.1],
                                               [108.1, 30.0]]]}


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def build_world(town, make_user, prefix=""):
    from events.models import RoutingRule

    town.centre_lat, town.centre_lng = 30.05, 108.1
    town.save()
    sector = f.SectorFactory(town=town, code=f"{prefix}safety", name="平安法治")
    position = f.PositionFactory(sector=sector, code=f"{prefix}roads", name="交通安全岗")
    village = f.VillageFactory(town=town, name="和平村")
    grid = f.GridFactory(village=village, name="和平村第一网格", boundary=SQUARE)
    grid2 = f.GridFactory(village=village, name="和平村第二网格", boundary=SQUARE2)
    parent = CategoryFactory(town=town, code=f"{prefix}safety", name="安全隐患")
    category = CategoryFactory(town=town, code=f"{prefix}road", name="道路交通", parent=parent, spot_settleable=True)
    other_category = CategoryFactory(town=town, code=f"{prefix}dispute", name="矛盾纠纷", spot_settleable=False)
    RoutingRule.objects.create(town=town, category=parent, sector=sector, position=position)
    dispatcher = make_user(Role.DISPATCHER, town_=town)
    leader = make_user(Role.LEADER, town_=town)
    grid_worker = make_user(Role.GRID_WORKER, town_=town, grid=grid)
    holder = make_user(Role.POST_HOLDER, town_=town)
    backup = make_user(Role.POST_HOLDER, town_=town)
    staff_a = f.StaffFactory(town=town, user=holder, name="张三")
    staff_b = f.StaffFactory(town=town, user=backup, name="李四")
    position.primary_holder, position.backup_holder = staff_a, staff_b
    position.save()
    return SimpleNamespace(town=town, sector=sector, position=position, village=village, grid=grid, grid2=grid2,
                           parent=parent, category=category, other_category=other_category, dispatcher=dispatcher,
                           leader=leader, grid_worker=grid_worker, holder=holder, backup=backup, staff_a=staff_a,
                           staff_b=staff_b)


@pytest.fixture
def world(town, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(town, make_user)


@pytest.fixture
def other_world(other_town, make_user):
    return build_world(other_town, make_user, prefix="o")
