"""Campaigns (专项整治): planned → active → closed with a closing summary; closed campaigns are read-only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import DomainError, TransitionError
from events import services
from events.models import Campaign, CampaignStatus, HazardStatus
from events.tests.conftest import png

pytestmark = pytest.mark.django_db


def make_campaign(world, **kw):
    today = timezone.localdate()
    defaults = dict(town=world.town, actor=world.dispatcher, code="road", name="道路交通安全专项整治",
                    start_date=today - dt.timedelta(days=30), end_date=today + dt.timedelta(days=30),
                    target_operations=2, target_hazards=1)
    defaults.update(kw)
    return services.campaign_create(**defaults)


def test_planned_started_closed_with_frozen_figures(world):
    today = timezone.localdate()
    campaign = make_campaign(world, start_date=today + dt.timedelta(days=10), end_date=today + dt.timedelta(days=60))
    assert campaign.status == CampaignStatus.PLANNED
    services.campaign_transition(campaign=campaign, action="start", actor=world.dispatcher)
    assert campaign.status == CampaignStatus.ACTIVE and campaign.start_date == today  # started early
    services.operation_record(town=world.town, actor=world.dispatcher, date=today, title="交安联合执法",
                              units="交巡警\n执法大队", campaign=campaign, staff_count=6, vehicles_checked=40)
    hazard = services.hazard_report(town=world.town, title="急弯无标志", description="村道急弯", actor=world.dispatcher,
                                    campaign=campaign)
    services.hazard_report(town=world.town, title="护栏缺失", description="临水路段", actor=world.dispatcher,
                           campaign=campaign)
    services.hazard_transition(hazard=hazard, action="order", actor=world.dispatcher,
                               data={"deadline": today + dt.timedelta(days=5)})
    services.hazard_transition(hazard=hazard, action="rectified", actor=world.holder, photos=[png()])
    services.hazard_transition(hazard=hazard, action="verify", actor=world.dispatcher)
    assert hazard.status == HazardStatus.VERIFIED

    with pytest.raises(TransitionError):  # a reason is required
        services.campaign_transition(campaign=campaign, action="close", actor=world.dispatcher,
                                     data={"summary": "完成"})
    with pytest.raises(DomainError, match="总结"):
        services.campaign_transition(campaign=campaign, action="close", actor=world.dispatcher, reason="期满")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE and not campaign.closing_figures
    services.campaign_transition(campaign=campaign, action="close", actor=world.dispatcher, reason="整治期满",
                                 data={"summary": "完成联合执法1次，整改隐患1处。"})
    campaign.refresh_from_db()
    f = campaign.closing_figures
    assert campaign.status == CampaignStatus.CLOSED and campaign.closed_on == today
    assert (f["operations"], f["target_operations"], f["operations_met"]) == (1, 2, False)
    assert (f["hazards_found"], f["hazards_verified"], f["hazards_open"], f["hazards_met"]) == (2, 1, 1, True)
    assert f["vehicles_checked"] == 40 and f["staff"] == 6
    entry = AuditEntry.objects.get(action="events.campaign.close")
    assert entry.reason == "整治期满" and entry.after["closing_figures"]["operations"] == 1
    assert AuditEntry.objects.filter(action="events.campaign.start").count() == 1


def test_closed_campaign_is_read_only(world):
    campaign = make_campaign(world)
    services.campaign_update(campaign=campaign, actor=world.dispatcher, reason="目标调整", target_operations=5)
    assert AuditEntry.objects.get(action="events.campaign.update").reason == "目标调整"
    with pytest.raises(DomainError, match="理由"):
        services.campaign_update(campaign=campaign, actor=world.dispatcher, reason=" ", name="改名")
    today = timezone.localdate()
    plan = services.screening_plan_create(town=world.town, month=today, title="月度排查", campaign=campaign,
                                          actor=world.dispatcher)
    task = plan.tasks.first()
    services.campaign_transition(campaign=campaign, action="close", actor=world.dispatcher, reason="结束",
                                 data={"summary": "总结"})
    before = AuditEntry.objects.count()
    for call in (
        lambda: services.campaign_update(campaign=campaign, actor=world.dispatcher, reason="补录", name="改名"),
        lambda: services.screening_plan_create(town=world.town, month=today, title="排查", campaign=campaign,
                                               actor=world.dispatcher),
        lambda: services.operation_record(town=world.town, actor=world.dispatcher, date=today, title="补录",
                                          units="交巡警", campaign=campaign),
        lambda: services.hazard_report(town=world.town, title="补录", description="补录", actor=world.dispatcher,
                                       campaign=campaign),
        lambda: services.screening_task_complete(task=task, actor=world.grid_worker, places_checked=3),
    ):
        with pytest.raises(DomainError, match="已结束"):
            call()
    with pytest.raises(TransitionError):
        services.campaign_transition(campaign=campaign, action="start", actor=world.dispatcher)
    assert AuditEntry.objects.count() == before
    assert Campaign.objects.get(pk=campaign.pk).name == "道路交通安全专项整治"


def test_edit_and_close_from_the_ui(world, client, django_assert_max_num_queries):
    campaign = make_campaign(world)
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="campaign-edit"' in page and 'data-testid="campaign-close"' in page
    with django_assert_max_num_queries(10):
        edit = client.get(reverse("events:campaign_edit", args=[campaign.pk]))
    assert edit.status_code == 200 and f'value="{campaign.start_date.isoformat()}"' in edit.content.decode()
    data = {"name": "道路交通安全专项整治（二期）", "start_date": campaign.start_date.isoformat(),
            "end_date": campaign.end_date.isoformat(), "target_operations": 3, "target_hazards": 1}
    response = client.post(reverse("events:campaign_edit", args=[campaign.pk]), data)  # no reason
    assert response.status_code == 200 and Campaign.objects.get(pk=campaign.pk).target_operations == 2
    response = client.post(reverse("events:campaign_edit", args=[campaign.pk]), {**data, "reason": "区里追加目标"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_operations == 3 and campaign.name.endswith("（二期）")
    # closing without a summary: a message, nothing changed
    response = client.post(reverse("events:campaign_act", args=[campaign.pk]), {"action": "close", "reason": "期满"},
                           follow=True)
    assert "请填写整治工作总结" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.ACTIVE
    client.post(reverse("events:campaign_act", args=[campaign.pk]),
                {"action": "close", "reason": "期满", "summary": "全面完成。"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="campaign-summary"' in page and "全面完成" in page
    assert 'data-testid="campaign-edit"' not in page and 'id="plan-month"' not in page
    response = client.get(reverse("events:campaign_edit", args=[campaign.pk]))
    assert response.status_code == 302  # read-only: back to the detail page with a message
    # readers who do not manage campaigns see no actions and may not fire them
    client.force_login(world.holder)
    assert client.post(reverse("events:campaign_act", args=[campaign.pk]), {"action": "start"}).status_code == 403


def test_list_filters_by_status_and_exports_the_summary(world, client, django_assert_max_num_queries):
    from io import BytesIO

    from openpyxl import load_workbook

    today = timezone.localdate()
    done = make_campaign(world, code="done", name="春季安全大排查")
    services.campaign_transition(campaign=done, action="close", actor=world.dispatcher, reason="期满",
                                 data={"summary": "排查完毕"})
    make_campaign(world, code="next", name="冬季防火", start_date=today + dt.timedelta(days=5),
                  end_date=today + dt.timedelta(days=40))
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:campaigns"), {"status": "closed"}).content.decode()
    assert "春季安全大排查" in page and "冬季防火" not in page
    response = client.get(reverse("events:campaigns"), {"status": "closed", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[2][1] == "春季安全大排查" and rows[2][-1] == "排查完毕"
    assert "冬季防火" in client.get(reverse("events:campaigns"), {"status": "planned"}).content.decode()
