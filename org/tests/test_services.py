import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from access.roles import Role
from audit.models import AuditEntry
from core.errors import DomainError
from org import selectors, services
from org.models import (
    Enterprise,
    Grid,
    GridAssignment,
    GridRole,
    Position,
    PositionStatus,
    Sector,
    Staff,
    Village,
)
from org.tests import factories as f
from org.tests.conftest import valid_credit_code, valid_id_number

SQUARE = {"type": "Polygon", "coordinates": [[[108.0, 30.0], [108.01, 30.0], [108.01, 30.01], [108.0, 30.01],
                                              [108.0, 30.0]]]}


def audit_count():
    return AuditEntry.objects.count()


@pytest.mark.django_db
class TestTownAndSectors:
    def test_new_town_gets_the_four_default_sectors(self):
        district = services.district_create(code="999902", name="测试示范区")
        town = services.town_create(district=district, code="999902001", name="溪口镇", abbreviation="溪镇")
        sectors = list(Sector.objects.filter(town=town).order_by("order").values_list("code", "name"))
        assert sectors == [("party_building", "党建统领"), ("economy", "经济发展"), ("livelihood", "民生服务"),
                           ("safety_rule_of_law", "平安法治")]
        assert AuditEntry.objects.filter(action="org.sector_create", town=town).count() == 4
        assert AuditEntry.objects.filter(action="org.town_create", object_id=str(town.pk)).exists()

    def test_seeding_twice_adds_nothing(self, town):
        services.seed_default_sectors(town=town, actor=None)
        assert services.seed_default_sectors(town=town, actor=None) == []
        assert Sector.objects.filter(town=town).count() == 4

    def test_sectors_are_configurable(self, town, make_user):
        dispatcher = make_user(Role.DISPATCHER)
        sector = services.sector_create(town=town, actor=dispatcher, code="emergency", name="应急管理", order=50)
        services.sector_update(sector=sector, actor=dispatcher, name="应急与消防")
        sector.refresh_from_db()
        assert sector.name == "应急与消防"
        entry = AuditEntry.objects.filter(action="org.sector_update").get()
        assert entry.before == {"name": "应急管理"} and entry.after == {"name": "应急与消防"}

    def test_duplicate_sector_code_is_refused(self, org):
        before = audit_count()
        with pytest.raises(DomainError) as exc:
            services.sector_create(town=org.town, actor=None, code="safety_rule_of_law", name="另一个")
        assert exc.value.rule == "org.unique_code" and exc.value.field == "code"
        assert "重复" in exc.value.message
        assert audit_count() == before

    def test_sector_with_live_posts_cannot_be_deactivated(self, org):
        with pytest.raises(DomainError) as exc:
            services.sector_deactivate(sector=org.sector, actor=None)
        assert exc.value.rule == "org.sector.has_positions"

    def test_town_settings_only_by_the_leader(self, town, make_user):
        with pytest.raises(PermissionDenied):
            services.town_update(town=town, actor=make_user(Role.DISPATCHER), abbreviation="新镇")
        services.town_update(town=town, actor=make_user(Role.LEADER), abbreviation="新镇", boundary=SQUARE)
        town.refresh_from_db()
        assert town.abbreviation == "新镇" and town.boundary["type"] == "Polygon"

    def test_town_settings_bad_input(self, town, make_user):
        with pytest.raises(DomainError) as exc:
            services.town_update(town=town, actor=make_user(Role.LEADER), centre_lat=200)
        assert exc.value.field == "centre_lat"


@pytest.mark.django_db
class TestPermissionsInServices:
    def test_actor_without_manage_is_refused(self, town, make_user):
        with pytest.raises(PermissionDenied):
            services.village_create(town=town, actor=make_user(Role.POST_HOLDER), code="V9", name="某村")
        assert not Village.objects.filter(code="V9").exists()

    def test_actor_of_another_town_is_refused(self, town, other_town, make_user):
        with pytest.raises(PermissionDenied):
            services.village_create(town=other_town, actor=make_user(Role.DISPATCHER), code="V9", name="某村")


@pytest.mark.django_db
class TestVillagesAndGrids:
    def test_create_and_audit(self, town, make_user):
        user = make_user(Role.DISPATCHER)
        village = services.village_create(town=town, actor=user, code="V01", name="白鹤村", kind="village",
                                          village_committees="张某、李某", households="120", population=300)
        assert village.village_committees == "张某\n李某" and village.households == 120
        entry = AuditEntry.objects.get(action="org.village_create")
        assert entry.actor == user and entry.town_id == town.pk and entry.after["name"] == "白鹤村"

    def test_duplicate_code_in_town(self, org):
        before = audit_count()
        with pytest.raises(DomainError) as exc:
            services.village_create(town=org.town, actor=None, code="V01", name="另一个村")
        assert exc.value.rule == "org.unique_code"
        assert Village.objects.filter(town=org.town).count() == 1 and audit_count() == before

    def test_same_code_in_another_town_is_fine(self, org, other_town):
        services.village_create(town=other_town, actor=None, code="V01", name="青龙村")

    def test_grid_whose_village_is_in_another_town(self, org, other_town):
        with pytest.raises(DomainError) as exc:
            services.grid_create(town=other_town, actor=None, village=org.village, code="G1", name="网格")
        assert exc.value.rule == "org.same_town" and exc.value.field == "village"
        assert not Grid.objects.filter(town=other_town).exists()

    @pytest.mark.parametrize("boundary", [
        {"type": "Point", "coordinates": [108.0, 30.0]},
        {"type": "Polygon", "coordinates": [[[108.0, 30.0], [108.1, 30.0], [108.1, 30.1]]]},  # too few points
        {"type": "Polygon", "coordinates": [[[108.0, 30.0], [108.1, 30.0], [108.1, 30.1], [108.0, 30.1]]]},  # open
        {"type": "Polygon", "coordinates": [[[308.0, 30.0], [108.1, 30.0], [108.1, 30.1], [308.0, 30.0]]]},
        "not json",
        {"type": "MultiPolygon", "coordinates": []},
    ])
    def test_grid_boundary_must_be_a_polygon(self, org, boundary):
        with pytest.raises(DomainError) as exc:
            services.grid_update(grid=org.grid, actor=None, boundary=boundary)
        assert exc.value.rule == "org.geojson" and exc.value.field == "boundary"
        org.grid.refresh_from_db()
        assert org.grid.boundary is None

    def test_grid_boundary_polygon_multipolygon_and_feature(self, org):
        services.grid_update(grid=org.grid, actor=None, boundary=json.dumps(SQUARE))
        assert Grid.objects.get(pk=org.grid.pk).boundary == SQUARE
        multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
        services.grid_update(grid=org.grid, actor=None, boundary={"type": "Feature", "geometry": multi,
                                                                   "properties": {}})
        assert Grid.objects.get(pk=org.grid.pk).boundary == multi

    def test_microgrid_in_another_towns_grid(self, org, other_town):
        with pytest.raises(DomainError) as exc:
            services.microgrid_create(town=other_town, actor=None, grid=org.grid, code="M1", name="微网格")
        assert exc.value.field == "grid"

    def test_deactivation_guards(self, org):
        micro = services.microgrid_create(town=org.town, actor=None, grid=org.grid, code="M1", name="一号",
                                          households=60)
        with pytest.raises(DomainError):
            services.village_deactivate(village=org.village, actor=None)
        with pytest.raises(DomainError):
            services.grid_deactivate(grid=org.grid, actor=None)
        services.microgrid_deactivate(microgrid=micro, actor=None)
        services.grid_deactivate(grid=org.grid, actor=None)
        services.village_deactivate(village=org.village, actor=None, reason="撤并")
        with pytest.raises(DomainError) as exc:
            services.village_deactivate(village=org.village, actor=None)
        assert exc.value.rule == "org.already_inactive"
        with pytest.raises(DomainError):  # no new grid in a deactivated village
            services.grid_create(town=org.town, actor=None, village=org.village, code="G9", name="新网格")

    def test_update_without_change_writes_no_audit(self, org):
        before = audit_count()
        services.village_update(village=org.village, actor=None, name=org.village.name)
        assert audit_count() == before


@pytest.mark.django_db
class TestPositions:
    def test_holders_and_status(self, org):
        assert org.position.status == PositionStatus.STAFFED
        vacant = services.position_create(sector=org.sector, actor=None, code="petition", name="信访岗")
        assert vacant.status == PositionStatus.VACANT and vacant.duty_list == []
        assert org.position.duty_list == ["排查调处矛盾纠纷", "调解协议指导"]

    def test_holder_from_another_town(self, org, other_town):
        stranger = f.StaffFactory(town=other_town)
        with pytest.raises(DomainError) as exc:
            services.position_create(sector=org.sector, actor=None, code="p2", name="信访岗",
                                      primary_holder=stranger)
        assert exc.value.rule == "org.same_town" and exc.value.field == "primary_holder"
        assert not Position.objects.filter(code="p2").exists()

    def test_a_and_b_must_differ(self, org):
        with pytest.raises(DomainError) as exc:
            services.position_create(sector=org.sector, actor=None, code="p2", name="信访岗", primary_holder=org.c,
                                     backup_holder=org.c)
        assert exc.value.rule == "org.position.ab_distinct"

    def test_sector_of_another_town(self, org, other_org):
        with pytest.raises(DomainError):
            services.position_update(position=org.position, actor=None, sector=other_org.sector)

    def test_update_is_versioned(self, org):
        version = org.position.version
        services.position_update(position=org.position, actor=None, duties="新职责")
        assert Position.objects.get(pk=org.position.pk).version == version + 1
        stale = Position.objects.get(pk=org.position.pk)
        stale.version -= 1
        with pytest.raises(DomainError) as exc:
            services.position_update(position=stale, actor=None, name="改名")
        assert exc.value.status_code == 409

    def test_acting_holder(self, org):
        acting = selectors.acting_holder(org.position)
        assert acting.staff == org.a and acting.slot == "primary"
        today = dt.date(2026, 3, 2)
        services.absence_record(staff=org.a, start_date=today, end_date=today + dt.timedelta(days=3), reason="培训",
                                actor=None)
        acting = selectors.acting_holder(org.position, on_date=today)
        assert acting.staff == org.b and acting.slot == "backup" and "离岗" in acting.note
        assert selectors.acting_holder(org.position, on_date=today - dt.timedelta(days=1)).staff == org.a
        acting = selectors.acting_holder(org.position, recused=[org.a.pk])
        assert acting.staff == org.b and "回避" in acting.note
        acting = selectors.acting_holder(org.position, on_date=today, recused=[org.b.pk])
        assert acting.staff is None and acting.slot is None

    def test_absence_overlap_and_order(self, org):
        day = dt.date(2026, 3, 2)
        services.absence_record(staff=org.a, start_date=day, end_date=day, reason="事假", actor=None)
        with pytest.raises(DomainError):
            services.absence_record(staff=org.a, start_date=day, end_date=day, reason="事假", actor=None)
        with pytest.raises(DomainError):
            services.absence_record(staff=org.b, start_date=day, end_date=day - dt.timedelta(days=1), reason="x",
                                    actor=None)


@pytest.mark.django_db
class TestStaff:
    def test_personal_data_encrypted_at_rest_and_masked_in_audit(self, org):
        id_number = valid_id_number("99999919900101001")
        staff = services.staff_create(town=org.town, actor=None, code="S9", name="丁某", phone="139 0000 1234",
                                      id_number=id_number)
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone, id_number FROM org_staff WHERE id = %s", [staff.pk])
            raw_phone, raw_id = cursor.fetchone()
        assert raw_phone.startswith("sm4g1:") and "13900001234" not in raw_phone
        assert raw_id.startswith("sm4g1:")
        assert Staff.objects.get(pk=staff.pk).phone == "13900001234"
        assert staff.phone_masked == "139****1234"
        entry = AuditEntry.objects.get(action="org.staff_create", object_id=str(staff.pk))
        dumped = json.dumps(entry.after, ensure_ascii=False)
        assert "13900001234" not in dumped and id_number not in dumped and "139****1234" in dumped

    @pytest.mark.parametrize("field,value", [("phone", "12345"), ("phone", "2390000123a"),
                                             ("id_number", "999999199001010011"), ("id_number", "123")])
    def test_bad_phone_or_id_number(self, org, field, value):
        with pytest.raises(DomainError) as exc:
            services.staff_create(town=org.town, actor=None, code="S9", name="丁某", **{field: value})
        assert exc.value.field == field
        assert not Staff.objects.filter(code="S9").exists()

    def test_landline_accepted(self, org):
        assert services.staff_create(town=org.town, actor=None, code="S9", name="丁某", phone="023-58000000").phone

    def test_id_number_unique_in_town(self, org):
        id_number = valid_id_number("99999919900101002")
        services.staff_update(staff=org.a, actor=None, id_number=id_number)
        with pytest.raises(DomainError) as exc:
            services.staff_update(staff=org.b, actor=None, id_number=id_number)
        assert exc.value.rule == "org.staff.id_number_unique"

    def test_leaving_vacates_posts_and_grid_roles(self, org):
        services.grid_assignment_add(grid=org.grid, staff=org.a, role=GridRole.GRID_INSTRUCTOR, actor=None)
        ent = services.enterprise_create(town=org.town, actor=None, name="某某有限公司",
                                          credit_code=valid_credit_code("91999901MA0000001"), liaison=org.a)
        services.sector_update(sector=org.sector, actor=None, lead=org.a)
        with pytest.raises(DomainError) as exc:
            services.staff_deactivate(staff=org.a, actor=None)
        assert exc.value.field == "reason"
        services.staff_deactivate(staff=org.a, actor=None, reason="调离")
        position = Position.objects.get(pk=org.position.pk)
        assert position.primary_holder is None and position.status == PositionStatus.VACANT
        assert position.backup_holder == org.b
        assert not GridAssignment.objects.filter(staff=org.a).exists()
        assert Enterprise.objects.get(pk=ent.pk).liaison is None
        assert Sector.objects.get(pk=org.sector.pk).lead is None
        assert AuditEntry.objects.filter(action="org.position_vacate").count() == 1
        assert selectors.acting_holder(position).staff == org.b


@pytest.mark.django_db
class TestGridTeams:
    def test_one_plus_three_plus_n(self, org):
        grid = org.grid
        services.grid_assignment_add(grid=grid, staff=org.a, role=GridRole.GRID_LEADER, actor=None)
        services.grid_assignment_add(grid=grid, staff=org.b, role=GridRole.GRID_WORKER_FULLTIME, actor=None)
        row = selectors.grids(services_user(org), village=None).get(pk=grid.pk)
        c = selectors.completeness_of(row)
        assert not c.complete and [str(m) for m in c.missing] == ["兼职网格员", "网格指导员"]
        services.grid_assignment_add(grid=grid, staff=org.c, role=GridRole.GRID_WORKER_PARTTIME, actor=None)
        services.grid_assignment_add(grid=grid, staff=org.a, role=GridRole.GRID_INSTRUCTOR, actor=None)
        services.grid_assignment_add(grid=grid, staff=org.b, role=GridRole.COURTYARD_HEAD, actor=None)
        c = selectors.completeness_of(selectors.grids(services_user(org)).get(pk=grid.pk))
        assert c.complete and c.n == 1 and c.label == "1+3+1"

    def test_duplicates_and_one_leader(self, org):
        services.grid_assignment_add(grid=org.grid, staff=org.a, role=GridRole.GRID_LEADER, actor=None)
        with pytest.raises(DomainError) as exc:
            services.grid_assignment_add(grid=org.grid, staff=org.a, role=GridRole.GRID_LEADER, actor=None)
        assert exc.value.rule == "org.grid.assignment_unique"
        with pytest.raises(DomainError) as exc:
            services.grid_assignment_add(grid=org.grid, staff=org.b, role=GridRole.GRID_LEADER, actor=None)
        assert exc.value.rule == "org.grid.one_leader"
        with pytest.raises(DomainError):
            services.grid_assignment_add(grid=org.grid, staff=org.b, role="mayor", actor=None)

    def test_staff_of_another_town(self, org, other_town):
        with pytest.raises(DomainError) as exc:
            services.grid_assignment_add(grid=org.grid, staff=f.StaffFactory(town=other_town),
                                         role=GridRole.GRID_VOLUNTEER, actor=None)
        assert exc.value.rule == "org.same_town"

    def test_remove(self, org):
        a = services.grid_assignment_add(grid=org.grid, staff=org.a, role=GridRole.GRID_VOLUNTEER, actor=None)
        services.grid_assignment_remove(assignment=a, actor=None, reason="退出")
        assert not GridAssignment.objects.exists()
        assert AuditEntry.objects.filter(action="org.grid_assignment_remove", object_id=str(org.grid.pk)).exists()


def services_user(org):
    """A dispatcher of the structure's town (for selectors)."""
    from access.models import RoleGrant

    user = f.UserFactory(town=org.town)
    RoleGrant.objects.create(user=user, role=Role.DISPATCHER)
    return user


@pytest.mark.django_db
class TestEnterprises:
    def test_credit_code_checked(self, org):
        good = valid_credit_code("91999901MA0000002")
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        with pytest.raises(DomainError) as exc:
            services.enterprise_create(town=org.town, actor=None, name="某公司", credit_code=bad)
        assert exc.value.rule == "org.credit_code"
        ent = services.enterprise_create(town=org.town, actor=None, name="某公司", credit_code=good.lower(),
                                         liaison=org.c, grid=org.grid, contact_phone="13900009999", lat="30.1",
                                         lng=108.2)
        assert ent.credit_code == good and ent.lat == 30.1 and ent.contact_phone_masked == "139****9999"
        with pytest.raises(DomainError) as exc:
            services.enterprise_create(town=org.town, actor=None, name="另一家", credit_code=good)
        assert exc.value.field == "credit_code"

    def test_liaison_of_another_town_or_inactive(self, org, other_town):
        code = valid_credit_code("91999901MA0000003")
        with pytest.raises(DomainError) as exc:
            services.enterprise_create(town=org.town, actor=None, name="某公司", credit_code=code,
                                       liaison=f.StaffFactory(town=other_town))
        assert exc.value.field == "liaison"
        services.staff_deactivate(staff=org.c, actor=None, reason="退休")
        with pytest.raises(DomainError) as exc:
            services.enterprise_create(town=org.town, actor=None, name="某公司", credit_code=code, liaison=org.c)
        assert exc.value.rule == "org.staff_inactive"
