import pytest
from rest_framework.test import APIClient

from access.roles import Role
from audit.models import AuditEntry
from org.models import HandoverStatus, PositionHandover, Staff, Village
from org.tests.conftest import valid_credit_code

BASE = "/api/v1/org"
SQUARE = {"type": "Polygon", "coordinates": [[[108.0, 30.0], [108.01, 30.0], [108.01, 30.01], [108.0, 30.0]]]}


@pytest.fixture
def api():
    return APIClient()


def login(api, user):
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
class TestReads:
    @pytest.mark.parametrize("prefix", ["sectors", "positions", "villages", "grids", "micro-grids", "staff",
                                        "enterprises", "handovers"])
    def test_every_business_role_reads_and_three_officers_do_not(self, prefix, org, api, make_user):
        response = login(api, make_user(Role.POST_HOLDER)).get(f"{BASE}/{prefix}/")
        assert response.status_code == 200 and "results" in response.json()
        assert login(api, make_user(Role.AUDITOR)).get(f"{BASE}/{prefix}/").status_code == 403

    def test_other_town_is_404(self, org, other_org, api, make_user):
        login(api, make_user(Role.DISPATCHER))
        assert api.get(f"{BASE}/grids/{org.grid.pk}/").status_code == 200
        assert api.get(f"{BASE}/grids/{other_org.grid.pk}/").status_code == 404
        ids = [row["id"] for row in api.get(f"{BASE}/villages/").json()["results"]]
        assert ids == [org.village.pk]

    def test_staff_are_masked(self, org, api, make_user):
        body = login(api, make_user(Role.POST_HOLDER)).get(f"{BASE}/staff/").content.decode()
        assert "139****0001" in body and "13900000001" not in body and '"phone"' not in body

    def test_position_shows_duties_and_holders(self, org, api, make_user):
        data = login(api, make_user(Role.POST_HOLDER)).get(f"{BASE}/positions/{org.position.pk}/").json()
        assert data["duty_list"] == ["排查调处矛盾纠纷", "调解协议指导"] and data["primary_holder"] == org.a.pk

    def test_grid_geojson(self, org, api, make_user):
        from org import services

        services.grid_update(grid=org.grid, actor=None, boundary=SQUARE)
        data = login(api, make_user(Role.GRID_WORKER)).get(f"{BASE}/grids/geojson/").json()
        assert data["type"] == "FeatureCollection" and data["features"][0]["geometry"] == SQUARE
        assert login(api, make_user(Role.SYSADMIN)).get(f"{BASE}/grids/geojson/").status_code == 403


@pytest.mark.django_db
class TestWrites:
    def test_create_through_the_service(self, town, api, make_user):
        user = make_user(Role.DISPATCHER)
        response = login(api, user).post(f"{BASE}/villages/", {"code": "V01", "name": "青龙村", "kind": "village"},
                                          format="json")
        assert response.status_code == 201
        village = Village.objects.get(pk=response.json()["id"])
        assert village.town == town
        assert AuditEntry.objects.get(action="org.village_create").actor == user

    def test_forbidden_role(self, town, api, make_user):
        response = login(api, make_user(Role.POST_HOLDER)).post(f"{BASE}/villages/", {"code": "V1", "name": "村"},
                                                                 format="json")
        assert response.status_code == 403 and not Village.objects.exists()

    def test_domain_error_is_400_with_rule(self, org, api, make_user):
        login(api, make_user(Role.DISPATCHER))
        response = api.post(f"{BASE}/villages/", {"code": "V01", "name": "另一村"}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["rule"] == "org.unique_code" and body["field"] == "code"
        response = api.patch(f"{BASE}/grids/{org.grid.pk}/", {"boundary": {"type": "Point", "coordinates": [1, 2]}},
                             format="json")
        assert response.status_code == 400 and response.json()["rule"] == "org.geojson"

    def test_cannot_write_into_another_town(self, org, other_org, api, make_user):
        login(api, make_user(Role.DISPATCHER))
        response = api.post(f"{BASE}/grids/", {"village": other_org.village.pk, "code": "G9", "name": "网格"},
                            format="json")
        assert response.status_code == 400  # not a choice for this user
        assert api.patch(f"{BASE}/villages/{other_org.village.pk}/", {"name": "x"}, format="json").status_code == 404

    def test_staff_write_only_phone(self, org, api, make_user):
        login(api, make_user(Role.DISPATCHER))
        response = api.post(f"{BASE}/staff/", {"code": "S9", "name": "丁某", "phone": "13900000009"}, format="json")
        assert response.status_code == 201 and response.json()["phone_masked"] == "139****0009"
        assert "phone" not in response.json()
        assert Staff.objects.get(code="S9").phone == "13900000009"

    def test_holders_change_only_by_handover(self, org, api, make_user):
        login(api, make_user(Role.DISPATCHER))
        response = api.patch(f"{BASE}/positions/{org.position.pk}/", {"primary_holder": org.c.pk}, format="json")
        assert response.status_code == 400 and response.json()["rule"] == "org.position.holders_by_handover"
        response = api.patch(f"{BASE}/positions/{org.position.pk}/", {"duties": "新职责"}, format="json")
        assert response.status_code == 200 and response.json()["duty_list"] == ["新职责"]

    def test_delete_deactivates(self, org, api, make_user):
        login(api, make_user(Role.DISPATCHER))
        code = valid_credit_code("91999901MA0000077")
        ent = api.post(f"{BASE}/enterprises/", {"name": "某公司", "credit_code": code, "liaison": org.a.pk},
                       format="json").json()
        assert api.delete(f"{BASE}/enterprises/{ent['id']}/").status_code == 204
        assert api.get(f"{BASE}/enterprises/{ent['id']}/").json()["active"] is False
        assert api.delete(f"{BASE}/staff/{org.c.pk}/").status_code == 400  # a reason is required
        assert api.delete(f"{BASE}/staff/{org.c.pk}/?reason=调离").status_code == 204


@pytest.mark.django_db
def test_handover_through_the_api(org, api, make_user):
    login(api, make_user(Role.DISPATCHER))
    response = api.post(f"{BASE}/handovers/", {"position": org.position.pk, "slot": "primary",
                                               "to_staff": org.c.pk, "reason": "轮岗"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "requested"
    pk = response.json()["id"]
    response = api.post(f"{BASE}/handovers/{pk}/fire/", {"action": "confirm"}, format="json")
    assert response.status_code == 403
    login(api, make_user(Role.LEADER))
    assert api.post(f"{BASE}/handovers/{pk}/fire/", {"action": "complete"}, format="json").status_code == 409
    assert api.post(f"{BASE}/handovers/{pk}/fire/", {"action": "confirm"}, format="json").json()["status"] == \
        "confirmed"
    assert api.post(f"{BASE}/handovers/{pk}/fire/", {"action": "complete"}, format="json").status_code == 200
    assert PositionHandover.objects.get(pk=pk).status == HandoverStatus.COMPLETED


@pytest.mark.django_db
def test_org_api_schema_has_no_warnings():
    """drf-spectacular: org's endpoints generate without warnings and the schema validates."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    GENERATOR_STATS.enable_trace_lineno()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    org_paths = [p for p in schema["paths"] if p.startswith("/api/v1/org/")]
    assert "/api/v1/org/grids/geojson/" in org_paths and "/api/v1/org/handovers/{id}/fire/" in org_paths
    validate_schema(schema)
    org_warnings = [w for w in GENERATOR_STATS._warn_cache if "org/" in str(w)]
    assert org_warnings == []
