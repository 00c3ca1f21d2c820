from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from access.models import RoleGrant
from access.roles import Role
from audit.models import AuditEntry
from core.crypto import mask_phone
from org import demo, selectors
from org.models import Grid, MicroGrid, Position, PositionHandover, Sector, Staff, Town
from org.validators import id_number_valid


def signature(built) -> list:
    """What the demo town looks like, independent of primary keys and codes that differ per build."""
    town = built.town
    posts = [(p.sector.code, p.code, p.name, p.duties, p.primary_holder.name if p.primary_holder else None,
              p.backup_holder.name if p.backup_holder else None)
             for p in Position.objects.filter(town=town).select_related("sector", "primary_holder", "backup_holder")
             .order_by("order")]
    grids = [(g.code, g.name, g.households, g.population, g.boundary)
             for g in Grid.objects.filter(town=town).order_by("code")]
    micro = list(MicroGrid.objects.filter(town=town).order_by("code").values_list("code", "households", "boundary"))
    staff = list(Staff.objects.filter(town=town).order_by("code").values_list("code", "name", "title"))
    return [posts, grids, micro, staff]


def check_demo_town_counts_and_users(out: StringIO) -> None:
    """The demo town after ``manage.py demo`` (whose output is ``out``). Called from
    tests/test_demo_end_to_end.py, which builds the whole demo once for all its checks (a build takes
    minutes on PostgreSQL; how long is measured in bench/run.py, not asserted)."""
    town = Town.objects.get(code=demo.TOWN["code"])
    assert town.name == "清溪镇" and town.abbreviation == "清镇" and town.district.name == "示范区"
    assert Position.objects.filter(town=town).count() == 33
    assert Position.objects.filter(town=town, sector__code=Sector.Code.SAFETY_RULE_OF_LAW).count() == 9
    names = set(Position.objects.filter(sector__code=Sector.Code.SAFETY_RULE_OF_LAW).values_list("name", flat=True))
    assert {"综治岗", "信访岗", "人民调解岗", "执法调度岗", "执法事务岗", "执法协助岗", "派出执法岗", "司法所岗",
            "安全生产岗"} == names
    assert Sector.objects.filter(town=town).count() == 4
    assert not Position.objects.filter(town=town, primary_holder__isnull=True).exists()
    assert all(p.duty_list for p in Position.objects.filter(town=town))
    assert Grid.objects.filter(town=town).count() == 16
    assert all(g.boundary for g in Grid.objects.filter(town=town))
    assert MicroGrid.objects.filter(town=town).count() >= 48
    for m in MicroGrid.objects.filter(town=town):
        assert 50 <= m.households <= 80 and m.boundary["type"] == "Polygon"

    # a login for every role, the district supervisor at district level
    for role, username, _name, _seen in demo.ROLE_USERS:
        assert RoleGrant.objects.filter(role=role, user__username=username).exists()
    assert {r.value for r, *_rest in demo.ROLE_USERS} == {r.value for r in Role}
    supervisor = get_user_model().objects.get(username="supervisor")
    assert supervisor.town is None and supervisor.district == town.district
    assert get_user_model().objects.get(username="leader").check_password(demo.PASSWORD)
    assert RoleGrant.objects.get(user__username="sector_lead").sector.code == Sector.Code.SAFETY_RULE_OF_LAW
    assert RoleGrant.objects.get(user__username="grid_worker").grid.code == "QX-G01"

    # fictional personal data: 1390000xxxx / 1390001xxxx phones, no ID numbers
    for s in Staff.objects.filter(town=town):
        assert s.phone.startswith(("1390000", "1390001")) and not s.id_number
        assert not id_number_valid(s.id_number or "0")

    # 1+3+N: most grids complete, two short of a part-time worker
    dispatcher = get_user_model().objects.get(username="dispatcher")
    completeness = [selectors.completeness_of(g) for g in selectors.grids(dispatcher)]
    assert sum(1 for c in completeness if c.complete) == 14
    assert sorted({tuple(str(m) for m in c.missing) for c in completeness}) == [(), ("兼职网格员",)]

    # post history: one completed and one open handover, one absence (B acts)
    assert sorted(PositionHandover.objects.values_list("status", flat=True)) == ["completed", "requested"]
    petition = Position.objects.get(town=town, code="petition")
    assert selectors.acting_holder(petition).slot == "backup"

    # everything went through the services: the audit chain recorded it, from the command line
    assert AuditEntry.objects.filter(channel="cli").count() > 300
    assert AuditEntry.objects.filter(action="accounts.user_create").count() >= len(Role)
    assert "33 个岗位，16 个网格" in out.getvalue()


@pytest.mark.django_db
def test_if_empty_is_idempotent(monkeypatch):
    monkeypatch.setattr(demo, "demo_modules", lambda: [])  # the town alone shows it; other modules add time only
    call_command("demo", "--if-empty", stdout=StringIO())
    counts = (Town.objects.count(), Staff.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    call_command("demo", stdout=out)  # the demo town exists: not built twice either
    assert (Town.objects.count(), Staff.objects.count(), AuditEntry.objects.count()) == counts
    assert "未生成演示数据" in out.getvalue() and "已存在" in out.getvalue()


@pytest.mark.django_db
def test_if_empty_does_nothing_when_a_town_exists(town):
    call_command("demo", "--if-empty", stdout=StringIO())
    assert not Town.objects.filter(code=demo.TOWN["code"]).exists()


@pytest.mark.django_db
def test_logins_table(monkeypatch):
    monkeypatch.setattr(demo, "demo_modules", lambda: [])  # the logins need the town and its users only
    out = StringIO()
    call_command("demo", "--logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text and demo.PASSWORD in text
    for _role, username, _name, _seen in demo.ROLE_USERS:
        assert username in text
    assert "镇领导" in text and "用户名" in text
    assert "13900" not in text.replace("1390000xxxx", "")


@pytest.mark.django_db
def test_deterministic():
    first = demo.build_org(seed=7, district_code="999911", town_code="999911001", username_prefix="a_")
    second = demo.build_org(seed=7, district_code="999912", town_code="999912001", username_prefix="b_")
    assert signature(first) == signature(second)
    third = demo.build_org(seed=8, district_code="999913", town_code="999913001", username_prefix="c_")
    assert signature(third) != signature(first)


@pytest.mark.django_db
def test_other_apps_demo_modules_are_called_in_order(monkeypatch):
    import types

    calls = []

    def module(name, order):
        m = types.ModuleType(name)
        m.ORDER = order
        m.build = lambda *, town, users, rng, stdout: calls.append((name, town.code, sorted(users), rng.random()))
        return m

    monkeypatch.setattr(demo, "demo_modules", lambda: [module("b.demo", 10), module("a.demo", 20)])
    built = demo.build(seed=3)
    assert [c[0] for c in calls] == ["b.demo", "a.demo"]
    assert calls[0][1] == built.town.code and calls[0][2] == sorted(r.value for r in Role)
    assert calls[0][3] != calls[1][3]  # each module has its own seeded rng


def test_demo_modules_are_discovered_in_order():
    modules = demo.demo_modules()
    assert all(m.__name__ != "org.demo" for m in modules)
    orders = [getattr(m, "ORDER", 100) for m in modules]
    assert orders == sorted(orders)


def test_masked_demo_phone():
    assert mask_phone("13900000001") == "139****0001"
