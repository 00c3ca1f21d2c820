"""Escalation timers per category: grid → village → town after the configured hours, and a supervision (督办) with
a reminder when a district department has not answered a transfer in time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from events import services
from events.models import Category, Escalation, EventStatus, Level, Supervision
from notify.models import Notification

pytestmark = pytest.mark.django_db


def grid_report(world, **kw):
    return services.event_report(town=world.town, category=world.category, title="路灯损坏", description="村道路灯不亮",
                                 channel="grid_worker", actor=world.grid_worker, lat=30.05, lng=108.05, **kw)


def later(hours):
    return timezone.now() + dt.timedelta(hours=hours)


def test_defaults():
    c = Category()
    assert (c.escalate_grid_hours, c.escalate_village_hours, c.transfer_answer_hours) == (24, 48, 120)


def test_grid_then_village_timer_of_the_category(world, django_capture_on_commit_callbacks):
    world.category.escalate_grid_hours, world.category.escalate_village_hours = 6, 10
    world.category.save()
    event = grid_report(world)
    assert event.level == Level.GRID and event.escalate_at is not None
    assert services.scan_overdue(now=later(5.9))["escalated"] == 0
    assert services.scan_overdue(now=later(6.1))["escalated"] == 1
    assert services.scan_overdue(now=later(6.1))["escalated"] == 0  # once
    event.refresh_from_db()
    assert event.level == Level.VILLAGE and event.status == EventStatus.REPORTED
    esc = Escalation.objects.get(event=event)
    assert (esc.from_level, esc.to_level, esc.by) == (Level.GRID, Level.VILLAGE, None)
    assert "6小时" in esc.reason
    assert services.scan_overdue(now=later(6.1 + 9.8))["escalated"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.scan_overdue(now=later(6.1 + 10.2))["escalated"] == 1
    event.refresh_from_db()
    assert event.level == Level.TOWN and event.escalate_at is None
    entries = AuditEntry.objects.filter(action="events.event.escalate", object_id=str(event.pk))
    assert [e.after["level"] for e in entries.order_by("pk")] == ["village", "town"]
    assert Notification.objects.filter(recipient=world.dispatcher, title__startswith="事件自动提交中心").exists()


def test_timer_stops_when_handled_and_manual_escalation_restarts_it(world):
    world.category.escalate_grid_hours, world.category.escalate_village_hours = 6, 10
    world.category.save()
    accepted = grid_report(world)
    services.event_transition(event=accepted, action="accept", actor=world.dispatcher)
    assert accepted.escalate_at is None and accepted.level == Level.TOWN
    settled = grid_report(world, settle_result="已更换灯泡")
    assert settled.status == EventStatus.RESOLVED and settled.escalate_at is None
    manual = grid_report(world)
    services.event_escalate(event=manual, to_level=Level.VILLAGE, reason="需村委协调", actor=world.grid_worker)
    manual.refresh_from_db()
    assert abs((manual.escalate_at - later(10)).total_seconds()) < 60  # the village timer from now
    urgent = grid_report(world, urgent=True)
    assert urgent.level == Level.TOWN and urgent.escalate_at is None
    assert services.scan_overdue(now=later(7))["escalated"] == 0


def test_unanswered_transfer_raises_a_supervision_and_reminds(world, django_capture_on_commit_callbacks):
    world.category.transfer_answer_hours = 48
    world.category.save()
    event = grid_report(world)
    services.event_transition(event=event, action="accept", actor=world.dispatcher)
    services.event_transition(event=event, action="transfer", actor=world.dispatcher, reason="涉及区交通局职责",
                              data={"department": "区交通运输局"})
    esc = Escalation.objects.get(event=event, to_level=Level.DISTRICT)
    assert abs((esc.answer_due_at - later(48)).total_seconds()) < 60
    assert services.scan_overdue(now=later(47))["reminders"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.scan_overdue(now=later(49))["reminders"] == 1
    assert services.scan_overdue(now=later(49))["reminders"] == 0  # once per answer time
    event.refresh_from_db()
    sup = Supervision.objects.get(event=event)
    assert event.supervised and "区交通运输局" in sup.instruction and sup.by is None
    assert Notification.objects.filter(recipient=world.dispatcher, title__startswith="区县部门逾期未答复").exists()
    assert Notification.objects.filter(recipient=world.leader, title__startswith="区县部门逾期未答复").exists()
    assert AuditEntry.objects.filter(action="events.escalation.overdue", object_id=str(event.pk)).count() == 1
    assert services.scan_overdue(now=later(97))["reminders"] == 1  # the next answer time: a second reminder
    assert Supervision.objects.filter(event=event).count() == 2
    services.event_transition(event=event, action="answer", actor=world.dispatcher, data={"result": "已修复"})
    assert services.scan_overdue(now=later(500))["reminders"] == 0  # answered: no more reminders


def test_configuration_page_sets_the_timers(world, client, django_assert_max_num_queries):
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:category_edit", args=[world.category.pk])).content.decode()
    assert 'name="escalate_grid_hours"' in page and 'name="transfer_answer_hours"' in page
    c = world.category
    data = {"parent": c.parent_id, "code": c.code, "name": c.name, "default_priority": c.default_priority,
            "sla_ack_hours": 2, "sla_dispatch_hours": 4, "sla_handle_hours": 48, "escalate_grid_hours": 12,
            "escalate_village_hours": 36, "transfer_answer_hours": 72, "public": "on", "order": 0, "active": "on",
            "spot_settleable": "on"}
    assert client.post(reverse("events:category_edit", args=[c.pk]), data).status_code == 302
    c.refresh_from_db()
    assert (c.escalate_grid_hours, c.escalate_village_hours, c.transfer_answer_hours) == (12, 36, 72)
    response = client.post(reverse("events:category_edit", args=[c.pk]), {**data, "escalate_grid_hours": 0})
    assert response.status_code == 200 and "1 至 8760" in response.content.decode()
    c.refresh_from_db()
    assert c.escalate_grid_hours == 12
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:categories")).content.decode()
    assert "12 / 36 / 72" in page
