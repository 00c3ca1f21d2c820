"""Pages: query budget, bad input, masking, the public query, and statistics equal to direct counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from disputes import selectors, services
from disputes.models import Dispute, Lead, Petition
from disputes.tests.test_services import PARTIES, mediate, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(world):
    """A handful of records in every state."""
    d1 = mediate(world, register(world))
    services.agreement_make(dispute=d1, actor=world.users.mediator, kind="written", terms="赔偿500元")
    d2 = mediate(world, register(world, parties=[{"side": "applicant", "name": "甲"},
                                                 {"side": "respondent", "name": "乙"}], place="桥头"), sessions=1)
    services.agreement_make(dispute=d2, actor=world.users.mediator, kind="oral", terms="当场道歉")
    d3 = mediate(world, register(world, committee=world.town_committee, mediator=None,
                                 parties=[{"side": "applicant", "name": "丙"}, {"side": "respondent", "name": "丁"}],
                                 place="场镇"), sessions=1)
    services.dispute_terminate(dispute=d3, actor=world.users.mediator, route="litigation", reason="分歧大")
    services.lead_create(town=world.town, actor=world.users.worker, source="walk_in", summary="噪音扰民",
                         grid=world.grid)
    p = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="letter",
                                   petitioner_name="王大明", petitioner_phone="13900009999", subject="道路修缮",
                                   content="村道破损")
    services.petition_classify(petition=p, actor=world.users.dispatcher, petition_class="suggestion",
                               route="petition")
    return world


def login(client, user):
    client.force_login(user)
    client.get(reverse("core:home"))  # the session write happens once a minute, not on every page
    return client


PAGES = [
    ("disputes:list", None), ("disputes:leads", None), ("disputes:screening", None), ("disputes:committees", None),
    ("disputes:petitions", None), ("disputes:stats", None), ("disputes:new", None), ("disputes:lead_new", None),
    ("disputes:petition_new", None),
]


@pytest.mark.parametrize("name,_x", PAGES)
def test_pages_within_ten_queries(filled, client, name, _x, django_assert_max_num_queries):
    user = filled.users.lead
    login(client, user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_detail_pages_within_ten_queries(filled, client, django_assert_max_num_queries):
    login(client, filled.users.mediator)
    for d in Dispute.objects.all():
        with django_assert_max_num_queries(10):
            assert client.get(reverse("disputes:detail", args=[d.pk])).status_code == 200
    p = Petition.objects.first()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("disputes:petition_detail", args=[p.pk])).status_code == 200
    lead = Lead.objects.first()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("disputes:lead_detail", args=[lead.pk])).status_code == 200


def test_ledger_filters(filled, client):
    login(client, filled.users.lead)
    response = client.get(reverse("disputes:list") + f"?grid={filled.grid.pk}&status=performing")
    codes = {d.code for d in response.context["page_obj"]}
    assert codes == set(Dispute.objects.filter(grid=filled.grid, status="performing").values_list("code", flat=True))
    assert codes
    response = client.get(reverse("disputes:list") + "?level=transferred")
    assert [d.level for d in response.context["page_obj"]] == ["transferred"]


def test_exports(filled, client):
    login(client, filled.users.lead)
    for name in ("disputes:list", "disputes:leads", "disputes:petitions", "disputes:screening"):
        response = client.get(reverse(name) + "?export=xlsx")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_lists_mask_party_data(filled, client):
    login(client, filled.users.dispatcher)  # no contact permission
    html = client.get(reverse("disputes:list")).content.decode()
    assert "张三丰" not in html and "张某" in html
    d = Dispute.objects.order_by("pk").first()
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "13900001111" not in html
    assert "139****1111" in html
    login(client, filled.users.mediator)
    assert "13900001111" in client.get(reverse("disputes:detail", args=[d.pk])).content.decode()


def test_bad_input_writes_nothing(world, client):
    login(client, world.users.mediator)
    before = AuditEntry.objects.count()
    response = client.post(reverse("disputes:new"), {"kind": "neighbour", "summary": "",
                                                     "committee": world.committee.pk, "party1_name": "甲"})
    assert response.status_code == 200 and Dispute.objects.count() == 0
    assert AuditEntry.objects.count() == before
    d = register(world)
    before = AuditEntry.objects.count()
    response = client.post(reverse("disputes:act", args=[d.pk]), {"action": "accept"}, follow=True)
    assert "尚有当事人未确认同意调解" in response.content.decode()
    assert Dispute.objects.get(pk=d.pk).status == "registered" and AuditEntry.objects.count() == before
    response = client.post(reverse("disputes:session", args=[d.pk]), {"held_on": "x"}, follow=True)
    assert response.status_code == 200 and not d.sessions.exists()


def test_journey_through_the_pages(world, client):
    login(client, world.users.mediator)
    response = client.post(reverse("disputes:new"), {
        "kind": "neighbour", "summary": "排水纠纷", "committee": world.committee.pk, "mediator": world.mediator.pk,
        "grid": world.grid.pk, "party1_name": "张三", "party1_phone": "13900001111", "party2_name": "李四"})
    d = Dispute.objects.get()
    assert response.status_code == 302
    for p in d.parties.all():
        client.post(reverse("disputes:consent", args=[d.pk]), {"party": p.pk, "consent": "agreed"})
    client.post(reverse("disputes:act", args=[d.pk]), {"action": "accept"})
    today = timezone.localdate().isoformat()
    for i in range(2):
        client.post(reverse("disputes:session", args=[d.pk]), {"held_on": today, "place": "村委", "attendees": "双方",
                                                               "record_text": f"第{i + 1}次"})
    client.post(reverse("disputes:agreement", args=[d.pk]), {"kind": "written", "terms": "赔偿"})
    for p in d.parties.all():
        client.post(reverse("disputes:sign", args=[d.pk]), {"what": f"party-{p.pk}"})
    client.post(reverse("disputes:sign", args=[d.pk]), {"what": "mediator"})
    client.post(reverse("disputes:sign", args=[d.pk]), {"what": "seal"})
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "mediation.judicial_confirmation" in html or "申请司法确认期限" in html
    client.post(reverse("disputes:visit", args=[d.pk]), {"performance": "full", "visit_note": "已履行"})
    login(client, world.users.lead)
    client.post(reverse("disputes:act", args=[d.pk]), {"action": "close"})
    assert Dispute.objects.get(pk=d.pk).status == "closed"


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the portal's per-address rate limit lives in the cache
    yield
    cache.clear()


def test_public_petition_query_shows_no_personal_data(filled, client, fresh_cache):
    p = Petition.objects.get()
    response = client.get(reverse("disputes:public_petition") + f"?code={p.code.lower()}")
    html = response.content.decode()
    assert response.status_code == 200 and p.code in html and "已受理" in html
    assert "王大明" not in html and "13900009999" not in html and "村道破损" not in html
    assert "未找到" in client.get(reverse("disputes:public_petition") + "?code=NOPE123").content.decode()
    for _i in range(40):
        response = client.get(reverse("disputes:public_petition") + "?code=NOPE123")
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_statistics_equal_direct_counts(filled, world):
    # an older agreement outside the range, to prove the range is applied
    old = Dispute.objects.first()
    Dispute.objects.filter(pk=old.pk).update(registered_on=dt.date(2020, 1, 1))
    date_from, date_to = selectors.default_range()
    s = selectors.statistics(world.users.leader, date_from=date_from, date_to=date_to)
    in_range = Dispute.objects.filter(town=world.town, registered_on__gte=date_from, registered_on__lte=date_to)
    concluded = Dispute.objects.filter(town=world.town, outcome_on__gte=date_from, outcome_on__lte=date_to)
    assert s["registered"] == in_range.count() == 2
    assert s["agreements"] == s["resolved"] == concluded.filter(outcome__in=["written", "oral"]).count() == 2
    assert s["mediations_closed"] == concluded.exclude(outcome__in=["", "refused"]).count() == 3
    assert s["success_rate"] == round(2 * 100 / 3, 1)
    levels = {r["key"]: r["n"] for r in s["by_level"]}
    assert levels["village"] == concluded.filter(level="village", outcome__in=["written", "oral"]).count() == 2
    assert levels["town"] == 0
    assert levels["transferred"] == concluded.filter(level="transferred").count() == 1
    assert s["leads"] == Lead.objects.filter(town=world.town, found_on__gte=date_from).count() == 1
    assert s["leads_screening"] == Lead.objects.filter(town=world.town, source="screening").count() == 0
    assert sum(r["n"] for r in s["by_kind"]) == in_range.count()
    assert sum(r["n"] for r in s["by_grid"]) == in_range.count()
    assert s["red"] == in_range.filter(risk="red").count()
    assert s["petitions"] == Petition.objects.filter(town=world.town).count() == 1
    assert {r["key"]: r["n"] for r in s["by_class"]} == {"suggestion": 1}
    assert s["timeliness"]["ack"] == {"on_time": 1} and s["ack_on_time_rate"] == 100.0


def test_other_town_records_are_not_counted(filled, other_world):
    d = register(other_world, parties=PARTIES)
    assert d.town_id != filled.town.pk
    date_from, date_to = selectors.default_range()
    s = selectors.statistics(filled.users.leader, date_from=date_from, date_to=date_to)
    assert s["registered"] == 3


def test_red_dispute_risk_report(world, client):
    from clocks.models import Clock

    d = register(world, violence_threat=True)
    assert d.risk == "red"
    login(client, world.users.mediator)
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "人民调解法第二十五条" in html
    response = client.post(reverse("disputes:risk_report", args=[d.pk]), {"to_whom": ""}, follow=True)
    assert "请填写报告对象" in response.content.decode()
    client.post(reverse("disputes:risk_report", args=[d.pk]), {"to_whom": "青石派出所"})
    assert Clock.objects.get(object_id=d.pk, rule_code="mediation.risk_report").status == "met"


def test_lead_from_a_grid_event_links_to_it(world, client):
    from events.tests.factories import EventFactory

    event = EventFactory(town=world.town, grid=world.grid)
    login(client, world.users.worker)
    response = client.post(reverse("disputes:lead_new"), {"source": "event", "event_code": event.tracking_code.lower(),
                                                          "kind": "neighbour", "summary": "由事件转来",
                                                          "grid": world.grid.pk, "parties_count": 2})
    lead = Lead.objects.get()
    assert response.status_code == 302 and lead.event_id == event.pk and lead.event_code == event.tracking_code
    html = client.get(reverse("disputes:lead_detail", args=[lead.pk])).content.decode()
    assert reverse("events:detail", args=[event.pk]) in html
    response = client.post(reverse("disputes:lead_new"), {"source": "event", "event_code": "NOSUCH1",
                                                          "kind": "neighbour", "summary": "x", "grid": world.grid.pk,
                                                          "parties_count": 2})
    assert response.status_code == 200 and "未找到该查询码的事件" in response.content.decode()
    assert Lead.objects.count() == 1


def test_home_panel(filled, client, django_assert_max_num_queries):
    d = Dispute.objects.order_by("pk").first()
    services.dispute_escalate(dispute=d, actor=filled.users.mediator, reason="双方发生推搡")
    login(client, filled.users.mediator)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("core:home")).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:panel", args=["disputes"]))
    html = response.content.decode()
    assert response.status_code == 200 and "红色风险" in html and "?risk=red" in html
