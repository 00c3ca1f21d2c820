import json
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from access.roles import Role
from audit.models import AuditEntry
from org import services
from org.models import GridAssignment, GridRole, HandoverStatus, PositionHandover, Village
from org.tests import factories as f
from org.tests.conftest import valid_credit_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SQUARE = {"type": "Polygon", "coordinates": [[[108.0, 30.0], [108.01, 30.0], [108.01, 30.01], [108.0, 30.01],
                                              [108.0, 30.0]]]}


@pytest.fixture
def rich(org):
    """Enough rows for pagination on every list (30 of each)."""
    town = org.town
    services.grid_update(grid=org.grid, actor=None, boundary=SQUARE)
    for i in range(30):
        village = services.village_create(town=town, actor=None, code=f"V{i + 10}", name=f"村{i}")
        grid = services.grid_create(town=town, actor=None, village=village, code=f"G{i + 10}", name=f"网格{i}",
                                    boundary=SQUARE)
        services.microgrid_create(town=town, actor=None, grid=grid, code=f"M{i}", name=f"微网格{i}", households=60,
                                  boundary=SQUARE)
        staff = services.staff_create(town=town, actor=None, code=f"T{i:03d}", name=f"人员{i}",
                                      phone=f"139000{i:05d}")
        services.grid_assignment_add(grid=grid, staff=staff, role=GridRole.GRID_LEADER, actor=None)
        services.position_create(sector=org.sector, actor=None, code=f"post{i}", name=f"岗位{i}", duties="一\n二",
                                 primary_holder=staff)
        services.enterprise_create(town=town, actor=None, name=f"企业{i}",
                                   credit_code=valid_credit_code(f"91999901MA{i:07d}"), grid=grid, liaison=staff,
                                   contact_phone="13900001111")
    return org


LISTS = ["org:sector_list", "org:position_list", "org:village_list", "org:grid_list", "org:microgrid_list",
         "org:staff_list", "org:enterprise_list"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_lists_paginate_within_query_budget(name, rich, client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.DISPATCHER))
    url = reverse(name)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url + "?page=2&q=1").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_lists_export_what_the_filter_shows(name, rich, client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    response = client.get(reverse(name) + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) > 2
    assert AuditEntry.objects.filter(action="org.export").count() == 1
    filtered = client.get(reverse(name) + "?export=xlsx&q=zzzz-none")
    assert len(list(load_workbook(BytesIO(filtered.content)).active.iter_rows())) == 2  # note + headers


@pytest.mark.django_db
def test_staff_list_and_export_mask_phones(rich, client, make_user):
    client.force_login(make_user(Role.POST_HOLDER))
    body = client.get(reverse("org:staff_list")).content.decode()
    assert "139****0001" in body and "13900000001" not in body
    export = client.get(reverse("org:staff_list") + "?export=xlsx").content
    values = [str(v) for row in load_workbook(BytesIO(export)).active.iter_rows(values_only=True) for v in row]
    assert "13900000001" not in values and "139****0001" in values


@pytest.mark.django_db
def test_filters(rich, client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    body = client.get(reverse("org:grid_list") + "?completeness=complete").content.decode()
    assert "没有符合条件的网格" in body
    body = client.get(reverse("org:village_list") + "?q=村1").content.decode()
    assert "村10" in body and "村2<" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("name,obj", [("org:position_detail", "position"), ("org:village_detail", "village"),
                                      ("org:grid_detail", "grid"), ("org:staff_detail", "a")])
def test_details(name, obj, rich, other_org, client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.POST_HOLDER))
    with django_assert_max_num_queries(10):
        assert client.get(reverse(name, args=[getattr(rich, obj).pk])).status_code == 200
    assert client.get(reverse(name, args=[getattr(other_org, obj).pk])).status_code == 404
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(reverse(name, args=[getattr(rich, obj).pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["org:overview", "org:chart", "org:grid_map"])
def test_structure_pages(name, rich, client, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.LEADER))
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.django_db
def test_chart_tree(rich, client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    body = client.get(reverse("org:chart")).content.decode()
    assert body.count('data-testid="chart-sector"') == 4
    assert body.count('data-testid="chart-post"') == 31 and body.count('data-testid="chart-grid"') == 31
    assert "甲某" in body and "微网格0" in body


@pytest.mark.django_db
def test_chart_of_a_grid_worker_shows_only_their_grid(rich, client, make_user):
    client.force_login(make_user(Role.GRID_WORKER, grid=rich.grid))
    body = client.get(reverse("org:chart")).content.decode()
    assert body.count('data-testid="chart-grid"') == 1


@pytest.mark.django_db
def test_grid_map_has_no_external_tiles_by_default(rich, client, make_user, settings):
    client.force_login(make_user(Role.GRID_WORKER))
    body = client.get(reverse("org:grid_map")).content.decode()
    assert "vendor/leaflet/leaflet.js" in body and 'data-tile-url=""' in body and "http://" not in body.replace(
        "http://127.0.0.1", "")
    settings.FAZHI_MAP_TILE_URL = "https://tiles.intranet.example/{z}/{x}/{y}.png"
    body = client.get(reverse("org:grid_map")).content.decode()
    assert 'data-tile-url="https://tiles.intranet.example/{z}/{x}/{y}.png"' in body


@pytest.mark.django_db
def test_geojson_is_restricted(rich, other_org, client, make_user, django_assert_max_num_queries):
    services.grid_update(grid=other_org.grid, actor=None, boundary=SQUARE)
    client.force_login(make_user(Role.DISPATCHER))
    with django_assert_max_num_queries(10):
        data = client.get(reverse("org:grid_geojson")).json()
    kinds = [feat["properties"]["kind"] for feat in data["features"]]
    assert kinds.count("grid") == 31 and kinds.count("micro_grid") == 30
    assert other_org.grid.pk not in [feat["properties"]["id"] for feat in data["features"]
                                     if feat["properties"]["kind"] == "grid"]
    client.force_login(make_user(Role.GRID_WORKER, grid=rich.grid))
    data = client.get(reverse("org:grid_geojson")).json()
    assert [feat["properties"]["id"] for feat in data["features"]] == [rich.grid.pk]
    client.force_login(make_user(Role.SECADMIN))
    assert client.get(reverse("org:grid_geojson")).status_code == 403


@pytest.mark.django_db
class TestForms:
    def test_create_village(self, town, client, make_user, django_assert_max_num_queries):
        client.force_login(make_user(Role.DISPATCHER))
        with django_assert_max_num_queries(10):
            assert client.get(reverse("org:village_create")).status_code == 200
        response = client.post(reverse("org:village_create"), {"code": "V01", "name": "青龙村", "kind": "village",
                                                               "households": "10", "population": "20"})
        village = Village.objects.get(town=town, code="V01")
        assert response.status_code == 302 and response["Location"] == reverse("org:village_detail",
                                                                                args=[village.pk])

    def test_bad_input_shows_message_and_writes_nothing(self, org, client, make_user):
        client.force_login(make_user(Role.DISPATCHER))
        before = AuditEntry.objects.count()
        response = client.post(reverse("org:village_create"), {"code": "V01", "name": "另一个", "kind": "village",
                                                               "households": "0", "population": "0"})
        body = response.content.decode()
        assert response.status_code == 200 and "重复" in body and "is-invalid" in body
        assert Village.objects.filter(town=org.town).count() == 1 and AuditEntry.objects.count() == before

    def test_grid_boundary_error_on_the_form(self, org, client, make_user):
        client.force_login(make_user(Role.DISPATCHER))
        response = client.post(reverse("org:grid_update", args=[org.grid.pk]), {
            "village": org.village.pk, "code": "G01", "name": "第一网格", "households": "1", "population": "1",
            "boundary": '{"type": "Point", "coordinates": [1, 2]}'})
        assert response.status_code == 200 and "Polygon" in response.content.decode()

    def test_forms_need_manage(self, org, client, make_user):
        client.force_login(make_user(Role.POST_HOLDER))
        assert client.get(reverse("org:village_create")).status_code == 403
        assert client.post(reverse("org:village_create"), {"code": "V9", "name": "x"}).status_code == 403
        assert not Village.objects.filter(code="V9").exists()

    def test_staff_edit_never_shows_personal_data(self, org, client, make_user):
        client.force_login(make_user(Role.DISPATCHER))
        body = client.get(reverse("org:staff_update", args=[org.a.pk])).content.decode()
        assert "13900000001" not in body and "139****0001" in body
        response = client.post(reverse("org:staff_update", args=[org.a.pk]), {
            "code": "S1", "name": "甲某某", "title": "干部", "phone": "", "id_number": ""})
        assert response.status_code == 302
        org.a.refresh_from_db()
        assert org.a.name == "甲某某" and org.a.phone == "13900000001"  # blank kept the stored phone

    def test_deactivate_messages(self, org, client, make_user):
        client.force_login(make_user(Role.DISPATCHER))
        response = client.post(reverse("org:village_deactivate", args=[org.village.pk]), {"reason": "撤并"},
                               follow=True)
        assert "在用网格" in response.content.decode()
        response = client.post(reverse("org:staff_deactivate", args=[org.c.pk]), {"reason": "调离"}, follow=True)
        assert "已停用" in response.content.decode()

    def test_grid_team(self, org, client, make_user):
        client.force_login(make_user(Role.DISPATCHER))
        response = client.post(reverse("org:grid_assignment_add", args=[org.grid.pk]),
                               {"staff": org.a.pk, "role": GridRole.GRID_LEADER})
        assert response.status_code == 302
        assignment = GridAssignment.objects.get()
        body = client.get(reverse("org:grid_detail", args=[org.grid.pk])).content.decode()
        assert "甲某" in body and "缺" in body
        client.post(reverse("org:grid_assignment_remove", args=[org.grid.pk]), {"assignment": assignment.pk})
        assert not GridAssignment.objects.exists()

    def test_absence_form(self, org, client, make_user):
        client.force_login(make_user(Role.DISPATCHER))
        response = client.post(reverse("org:absence_add", args=[org.a.pk]),
                               {"start_date": "2026-03-02", "end_date": "2026-03-01", "reason": "培训"})
        assert response.status_code == 200 and "结束日期不得早于开始日期" in response.content.decode()

    def test_town_settings(self, town, client, make_user):
        client.force_login(make_user(Role.LEADER))
        response = client.post(reverse("org:town_settings"), {
            "name": town.name, "abbreviation": "甲", "kind": "town", "address": "", "phone": "",
            "centre_lat": "30.1", "centre_lng": "108.2", "boundary": json.dumps(SQUARE)})
        assert response.status_code == 302
        town.refresh_from_db()
        assert town.abbreviation == "甲" and town.centre_lat == 30.1


@pytest.mark.django_db
class TestHandoverScreens:
    def test_buttons_by_role_and_firing(self, org, client, make_user, django_assert_max_num_queries):
        dispatcher, leader = make_user(Role.DISPATCHER), make_user(Role.LEADER)
        client.force_login(dispatcher)
        response = client.post(reverse("org:handover_request", args=[org.position.pk]), {
            "slot": "primary", "to_staff": org.c.pk, "reason": "轮岗", "notes": "台账"})
        assert response.status_code == 302
        handover = PositionHandover.objects.get()
        url = reverse("org:position_detail", args=[org.position.pk])
        with django_assert_max_num_queries(10):
            body = client.get(url).content.decode()
        assert 'data-testid="fire-cancel"' in body and 'data-testid="fire-confirm"' not in body
        assert "申请交接" in body and "交接中" in body

        client.force_login(leader)
        body = client.get(url).content.decode()
        assert 'data-testid="fire-confirm"' in body and 'data-testid="fire-reject"' in body
        response = client.post(reverse("org:handover_fire", args=[handover.pk]), {"action": "reject"}, follow=True)
        assert "须填写理由" in response.content.decode()
        client.post(reverse("org:handover_fire", args=[handover.pk]), {"action": "confirm"})
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.CONFIRMED

        client.force_login(make_user(Role.SECTOR_LEAD))
        assert client.post(reverse("org:handover_fire", args=[handover.pk]),
                           {"action": "reject", "reason": "x"}).status_code == 403
        client.post(reverse("org:handover_fire", args=[handover.pk]), {"action": "complete"})
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.COMPLETED
        body = client.get(url).content.decode()
        assert "完成交接" in body and "丙某" in body

    def test_request_form_errors(self, org, client, make_user):
        client.force_login(make_user(Role.DISPATCHER))
        response = client.post(reverse("org:handover_request", args=[org.position.pk]), {
            "slot": "primary", "to_staff": org.b.pk, "reason": "轮岗"})
        assert response.status_code == 200 and "A岗和B岗不得为同一人" in response.content.decode()
        assert not PositionHandover.objects.exists()

    def test_other_towns_handover_is_404(self, org, other_org, client, make_user):
        handover = f.PositionHandoverFactory(position=other_org.position, to_staff=other_org.c)
        client.force_login(make_user(Role.LEADER))
        assert client.post(reverse("org:handover_fire", args=[handover.pk]), {"action": "confirm"}).status_code == 404


@pytest.mark.django_db
class TestPanels:
    """Panels load their content from org:panel_* (htmx); each selector is at most two queries."""

    def test_overview(self, rich, make_user, client, django_assert_max_num_queries):
        from access.scope import grants_of
        from org.selectors import overview

        user = make_user(Role.LEADER)
        grants_of(user)
        with django_assert_max_num_queries(2):
            data = overview(user)
        assert data["posts"] == 31 and data["grids"] == 31 and data["villages"] == 31 and data["sectors"] == 4
        assert {s["code"]: s["posts"] for s in data["by_sector"]}["safety_rule_of_law"] == 31
        assert data["enterprises"] == 30 and data["staff"] == 33
        client.force_login(user)
        with django_assert_max_num_queries(10):
            body = client.get(reverse("org:panel_overview")).content.decode()
        assert 'data-testid="count-posts">31<' in body and "<html" not in body

    def test_overview_of_a_district_supervisor(self, org, other_org, make_user):
        from org.selectors import overview

        data = overview(make_user(Role.DISTRICT_SUPERVISOR))
        assert data["towns"] == 2 and data["posts"] == 2 and data["grids"] == 2 and data["sectors"] == 4

    def test_my_grid(self, rich, make_user, client, django_assert_max_num_queries):
        from access.scope import grants_of
        from org.selectors import my_grids

        services.microgrid_create(town=rich.town, actor=None, grid=rich.grid, code="MX", name="一号", households=70)
        services.grid_assignment_add(grid=rich.grid, staff=rich.a, role=GridRole.GRID_WORKER_FULLTIME, actor=None)
        user = make_user(Role.GRID_WORKER, grid=rich.grid)
        grants_of(user)
        with django_assert_max_num_queries(2):
            data = my_grids(user)
        grid = data["grids"][0]
        assert grid["name"] == "第一网格" and grid["micro_grids"][0]["households"] == 70
        assert [a.staff.name for a in grid["team"]] == ["甲某"]
        client.force_login(user)
        with django_assert_max_num_queries(10):
            body = client.get(reverse("org:panel_my_grid")).content.decode()
        assert "第一网格" in body and "一号" in body
        # a grid worker known only by a team role (no grid-narrowed grant)
        other = make_user(Role.GRID_WORKER)
        services.staff_update(staff=rich.b, actor=None, user=other)
        services.grid_assignment_add(grid=rich.grid, staff=rich.b, role=GridRole.COURTYARD_HEAD, actor=None)
        assert [g["pk"] for g in my_grids(other)["grids"]] == [rich.grid.pk]
        assert my_grids(make_user(Role.GRID_WORKER)) is None

    def test_my_posts(self, org, make_user, client, django_assert_max_num_queries):
        from access.scope import grants_of
        from org.selectors import my_posts

        user = make_user(Role.POST_HOLDER)
        services.staff_update(staff=org.b, actor=None, user=user)
        grants_of(user)
        with django_assert_max_num_queries(2):
            posts = my_posts(user)
        assert [p.name for p in posts] == ["人民调解岗"]
        client.force_login(user)
        body = client.get(reverse("org:panel_my_posts")).content.decode()
        assert "人民调解岗" in body and "排查调处矛盾纠纷" in body and "B岗" in body
        client.force_login(make_user(Role.POST_HOLDER))
        assert "未担任" in client.get(reverse("org:panel_my_posts")).content.decode()

    @pytest.mark.parametrize("role,key", [(Role.GRID_WORKER, "org_my_grid"), (Role.POST_HOLDER, "org_my_posts"),
                                          (Role.LEADER, "org_overview"), (Role.DISPATCHER, "org_overview"),
                                          (Role.DISTRICT_SUPERVISOR, "org_overview")])
    def test_home_shows_panels(self, role, key, org, client, make_user, django_assert_max_num_queries):
        client.force_login(make_user(role))
        with django_assert_max_num_queries(10):
            body = client.get(reverse("core:home")).content.decode()
        assert f'data-panel="{key}"' in body and 'hx-get="/org/panels/' in body


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS + ["org:overview", "org:chart", "org:grid_map"])
def test_district_supervisor_reads_every_town_of_the_district(name, org, other_org, client, make_user,
                                                              django_assert_max_num_queries):
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR))
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name))
    assert response.status_code == 200
    if name == "org:position_list":
        body = response.content.decode()
        assert f"{org.town.name} · 平安法治" in body and f"{other_org.town.name} · 平安法治" in body
    assert client.get(reverse(name) + "?export=xlsx").status_code == 200
