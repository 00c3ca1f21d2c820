"""双随机一公开: reproducible draws from the recorded seed, two valid officers per target, findings that open
cases, and the public list."""

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError
from enforcement import services
from enforcement.models import Case, Inspection, InspectionPlan
from org.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    for n in range(6):
        EnterpriseFactory(town=world.town, industry="餐饮", name=f"餐馆{n}")
    return services.plan_create(town=world.town, title="2026年餐饮油烟双随机抽查", matters=[world.matter],
                                sample_size=3, planned_on=dt.date.today(), actor=world.leader)


def test_draw_is_reproducible_from_the_seed(world, plan):
    services.plan_draw(plan=plan, actor=world.leader, seed="abc123")
    plan.refresh_from_db()
    drawn = [(i.enterprise_id, sorted(o.pk for o in i.officers.all())) for i in plan.inspections.order_by("id")]
    again = services.draw(plan.seed, plan.target_pool, plan.inspector_pool, plan.sample_size,
                          plan.inspectors_per_target)
    assert drawn == [(t, i) for t, i in again]
    assert len(drawn) == 3 and all(len(i) == 2 for _t, i in drawn)
    assert world.expired.pk not in plan.inspector_pool  # expired credential never drawn
    with pytest.raises(DomainError):
        services.plan_draw(plan=plan, actor=world.leader)


def test_finding_opens_a_case(world, plan):
    services.plan_draw(plan=plan, actor=world.leader, seed="s1")
    inspection = plan.inspections.first()
    with pytest.raises(DomainError):
        services.inspection_record(inspection=inspection, result="case", findings="", actor=world.officer)
    services.inspection_record(inspection=inspection, result="case", findings="油烟净化设施未运行。",
                               actor=world.officer)
    inspection.refresh_from_db()
    case = Case.objects.get(pk=inspection.case_id)
    assert case.source == "random" and case.party_kind == "org" and case.officers.count() == 2


def test_fewer_than_two_inspectors_refused(world):
    with pytest.raises(DomainError) as exc:
        services.plan_create(town=world.town, title="x", matters=[world.matter], sample_size=1,
                             planned_on=dt.date.today(), actor=world.leader, inspectors_per_target=1)
    assert exc.value.rule == "penalty.guard.two_officers"


def test_plan_pages_and_public_list(client, world, plan, django_assert_max_num_queries):
    client.force_login(world.leader)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("enforcement:plans")).status_code == 200
    response = client.post(reverse("enforcement:plan_draw", args=[plan.pk]), {"seed": "fixed"})
    assert response.status_code == 302
    assert InspectionPlan.objects.get(pk=plan.pk).seed == "fixed"
    with django_assert_max_num_queries(10):
        html = client.get(reverse("enforcement:plan_detail", args=[plan.pk])).content.decode()
    assert "fixed" in html
    inspection = Inspection.objects.filter(plan=plan).first()
    client.force_login(world.officer)
    response = client.post(reverse("enforcement:inspection_record", args=[inspection.pk]),
                           {"result": "compliant", "findings": "未发现问题。"})
    assert response.status_code == 302
    client.logout()
    public = client.get(reverse("enforcement:public_index", args=[world.town.code])).content.decode()
    assert "2026年餐饮油烟双随机抽查" in public and inspection.enterprise.name in public
