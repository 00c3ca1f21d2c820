import pytest

from events import services
from events.models import Event, EventStatus

pytestmark = pytest.mark.django_db

BASE = "/api/v1/events/"


def test_event_api_flow(world, client, django_assert_max_num_queries):
    client.force_login(world.dispatcher)
    response = client.post(BASE + "events/", {"category": world.category.pk, "title": "占道经营",
                                              "description": "菜市场门口占道", "channel": "hotline",
                                              "reporter_phone": "13800001111"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reporter_phone"] == "138****1111" and body["status"] == "reported"
    pk = body["id"]
    response = client.post(BASE + f"events/{pk}/transition/", {"action": "dispatch", "position": world.position.pk},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "dispatched"
    response = client.post(BASE + f"events/{pk}/transition/", {"action": "verify"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["rule"].startswith("procedure.")
    client.force_login(world.holder)
    response = client.post(BASE + f"events/{pk}/transition/", {"action": "resolve"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["rule"] == "events.guard.result_required"
    response = client.post(BASE + f"events/{pk}/transition/", {"action": "resolve", "result": "已劝离"},
                           content_type="application/json")
    assert response.json()["settlement_level"] == "town"
    client.force_login(world.leader)  # leaders supervise; only the centre verifies
    assert client.post(BASE + f"events/{pk}/transition/", {"action": "verify"},
                       content_type="application/json").status_code == 403
    client.force_login(world.dispatcher)
    for i in range(20):
        services.event_report(town=world.town, category=world.category, title=f"事件{i}", description="x",
                              channel="centre", actor=world.dispatcher)
    client.get(BASE + "events/")
    with django_assert_max_num_queries(10):
        response = client.get(BASE + "events/?status=reported")
    assert response.status_code == 200 and response.json()["count"] == 20


def test_event_api_scope(world, other_world, client):
    mine = services.event_report(town=world.town, category=world.category, title="本镇", description="x",
                                 channel="centre", actor=world.dispatcher)
    theirs = services.event_report(town=other_world.town, category=other_world.category, title="外镇",
                                   description="x", channel="centre", actor=other_world.dispatcher)
    client.force_login(world.dispatcher)
    ids = [r["id"] for r in client.get(BASE + "events/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(BASE + f"events/{theirs.pk}/").status_code == 404
    client.force_login(world.holder)
    assert client.post(BASE + "events/", {}, content_type="application/json").status_code in (400, 403)
    assert Event.objects.filter(status=EventStatus.REPORTED).count() == 2


def test_hazard_campaign_operation_api(world, client):
    client.force_login(world.dispatcher)
    response = client.post(BASE + "hazards/", {"title": "急弯无标志", "description": "K2 急弯", "kind": "road"},
                           content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    response = client.post(BASE + f"hazards/{pk}/transition/", {"action": "order", "deadline": "2099-01-01"},
                           content_type="application/json")
    assert response.json()["status"] == "ordered"
    response = client.post(BASE + "operations/", {"date": "2026-01-05", "title": "交安联合执法",
                                                  "units": "交巡警\n执法大队", "staff_count": 8,
                                                  "vehicles_checked": 40},
                           content_type="application/json")
    assert response.status_code == 201
    assert client.get(BASE + "operations/").json()["count"] == 1
    assert client.get(BASE + "campaigns/").status_code == 200
    assert client.get(BASE + "screening-plans/").status_code == 200
    assert client.get(BASE + "categories/").json()["count"] == 3


def test_campaign_and_duty_api(world, client, other_world, django_assert_max_num_queries):
    import datetime as dt

    from django.utils import timezone

    from events.models import CampaignStatus, DutyShift

    today = timezone.localdate()
    campaign = services.campaign_create(town=world.town, actor=world.dispatcher, code="api", name="专项",
                                        start_date=today, end_date=today + dt.timedelta(days=9))
    client.force_login(world.dispatcher)
    url = BASE + f"campaigns/{campaign.pk}/transition/"
    response = client.post(url, {"action": "close", "reason": "期满"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["rule"] == "events.guard.campaign_summary"
    response = client.post(url, {"action": "close", "reason": "期满", "summary": "完成"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == CampaignStatus.CLOSED
    assert response.json()["closing_figures"]["operations"] == 0
    active = services.campaign_create(town=world.town, actor=world.dispatcher, code="api2", name="专项二",
                                      start_date=today, end_date=today)
    client.force_login(world.holder)  # reads campaigns, does not manage them
    assert client.post(BASE + f"campaigns/{active.pk}/transition/", {"action": "close", "reason": "x", "summary": "y"},
                       content_type="application/json").status_code == 403

    client.force_login(world.dispatcher)
    body = {"date": today.isoformat(), "leader": world.leader.pk, "note": "白班"}
    response = client.post(BASE + "duty-shifts/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["leader_name"] == world.leader.display_name
    response = client.post(BASE + "duty-shifts/", {**body, "leader": other_world.leader.pk},
                           content_type="application/json")
    assert response.status_code == 400 and DutyShift.objects.get().leader == world.leader
    with django_assert_max_num_queries(10):
        response = client.get(BASE + f"duty-shifts/?month={today:%Y-%m}")
    assert [r["date"] for r in response.json()["results"]] == [today.isoformat()]
    client.force_login(world.grid_worker)
    assert client.get(BASE + "duty-shifts/").status_code == 403
