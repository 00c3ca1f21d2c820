"""The duty roster (值班表): urgent events go to the day's duty leader and deputy by SMS, to every leader when
nobody is on duty; the board says who is on duty; the month page plans, exports and imports the roster."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from access.roles import Role
from audit.models import AuditEntry
from core.errors import DomainError
from events import services
from events.models import DutyShift
from notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(monkeypatch):
    """Ids of the notifications queued for SMS."""
    queued = []
    monkeypatch.setattr("notify.services._queue_sms", lambda nid: queued.append(nid))
    return queued


@pytest.fixture
def duty_people(world, make_user):
    leader2 = make_user(Role.LEADER)
    deputy = make_user(Role.SECTOR_LEAD)
    for u in (world.leader, leader2, deputy):
        u.phone = "13800000000"
        u.save()
    return leader2, deputy


def urgent_report(world, **kw):
    return services.event_report(town=world.town, category=world.category, title="山体滑坡", description="村道塌方",
                                 channel="hotline", actor=world.dispatcher, urgent=True, **kw)


def titles_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_urgent_event_goes_to_the_duty_leader_and_deputy_by_sms(world, duty_people, sms,
                                                                 django_capture_on_commit_callbacks):
    leader2, deputy = duty_people
    services.duty_shift_set(town=world.town, date=timezone.localdate(), leader=leader2, deputy=deputy,
                            actor=world.dispatcher, note="白班")
    with django_capture_on_commit_callbacks(execute=True):
        event = urgent_report(world)
    assert titles_for(leader2) == ["紧急事件：山体滑坡"] and titles_for(deputy) == ["紧急事件：山体滑坡"]
    assert titles_for(world.leader) == []  # not on duty today
    assert titles_for(world.dispatcher) == ["紧急事件：山体滑坡"]  # the centre, in-app
    sms_users = set(Notification.objects.filter(pk__in=sms).values_list("recipient_id", flat=True))
    assert sms_users == {leader2.pk, deputy.pk}
    # flagging urgency on acceptance alerts the duty leader too (once per event)
    services.event_transition(event=event, action="accept", actor=world.dispatcher, data={"urgent": True})
    assert Notification.objects.filter(recipient=leader2).count() == 1


def test_without_a_shift_every_leader_is_alerted_and_the_board_says_so(world, duty_people, sms, client,
                                                                       django_capture_on_commit_callbacks,
                                                                       django_assert_max_num_queries):
    leader2, deputy = duty_people
    DutyShift.objects.create(town=world.town, date=timezone.localdate() + dt.timedelta(days=1), leader=deputy)
    with django_capture_on_commit_callbacks(execute=True):
        urgent_report(world)
    assert titles_for(world.leader) == ["紧急事件：山体滑坡"] and titles_for(leader2) == ["紧急事件：山体滑坡"]
    assert titles_for(deputy) == []  # on duty tomorrow, not today
    sms_users = set(Notification.objects.filter(pk__in=sms).values_list("recipient_id", flat=True))
    assert sms_users == {world.leader.pk, leader2.pk}
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:board"))
    assert "今日未排班" in response.content.decode()


def test_board_shows_todays_duty_leader(world, duty_people, client, django_assert_max_num_queries):
    leader2, deputy = duty_people
    services.duty_shift_set(town=world.town, date=timezone.localdate(), leader=leader2, deputy=deputy,
                            actor=world.leader)
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:board")).content.decode()
    assert leader2.display_name in page and deputy.display_name in page and "今日未排班" not in page
    partial = client.get(reverse("events:board"), HTTP_HX_REQUEST="true").content.decode()
    assert leader2.display_name in partial


def test_shift_rules_and_audit(world, other_world, duty_people):
    leader2, deputy = duty_people
    day = timezone.localdate()
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="同一人"):
        services.duty_shift_set(town=world.town, date=day, leader=leader2, deputy=leader2, actor=world.dispatcher)
    with pytest.raises(DomainError, match="本镇街"):
        services.duty_shift_set(town=world.town, date=day, leader=other_world.leader, actor=world.dispatcher)
    with pytest.raises(PermissionDenied):  # a grid worker may not plan the roster
        services.duty_shift_set(town=world.town, date=day, leader=leader2, actor=world.grid_worker)
    assert DutyShift.objects.count() == 0 and AuditEntry.objects.count() == before
    shift = services.duty_shift_set(town=world.town, date=day, leader=leader2, actor=world.dispatcher)
    services.duty_shift_set(town=world.town, date=day, leader=world.leader, deputy=deputy, actor=world.dispatcher)
    shift.refresh_from_db()
    assert DutyShift.objects.count() == 1 and shift.leader == world.leader and shift.deputy == deputy
    entries = AuditEntry.objects.filter(action="events.duty.set").order_by("pk")
    assert entries.count() == 2 and entries.last().before["leader"] == leader2.pk


def test_month_page_plans_a_day(world, duty_people, client, django_assert_max_num_queries):
    leader2, deputy = duty_people
    DutyShift.objects.create(town=world.town, date=timezone.localdate(), leader=leader2)
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:duty"))
    assert response.status_code == 200 and leader2.display_name in response.content.decode()
    day = timezone.localdate().replace(day=1) + dt.timedelta(days=40)
    response = client.post(reverse("events:duty"), {"date": day.isoformat(), "leader": world.leader.pk,
                                                    "deputy": deputy.pk, "note": "节假日"})
    assert response.status_code == 302 and f"month={day:%Y-%m}" in response["Location"]
    assert DutyShift.objects.get(town=world.town, date=day).deputy == deputy
    # bad input: the same person twice → the form says so, nothing written
    response = client.post(reverse("events:duty"), {"date": (day + dt.timedelta(days=1)).isoformat(),
                                                    "leader": deputy.pk, "deputy": deputy.pk})
    assert response.status_code == 200 and "副班不能与值班领导为同一人" in response.content.decode()
    assert DutyShift.objects.filter(town=world.town).count() == 2
    # a post holder reads the roster but may not plan it
    client.force_login(world.holder)
    assert client.get(reverse("events:duty")).status_code == 200
    assert client.post(reverse("events:duty"), {"date": day.isoformat(), "leader": world.leader.pk}).status_code == 403


def test_clear_needs_confirmation(world, duty_people, client, other_world):
    leader2, _deputy = duty_people
    shift = DutyShift.objects.create(town=world.town, date=timezone.localdate(), leader=leader2)
    client.force_login(world.dispatcher)
    client.post(reverse("events:duty_clear", args=[shift.pk]))
    assert DutyShift.objects.filter(pk=shift.pk).exists()
    client.post(reverse("events:duty_clear", args=[shift.pk]), {"confirm": "1"})
    assert not DutyShift.objects.filter(pk=shift.pk).exists()
    assert AuditEntry.objects.filter(action="events.duty.clear").count() == 1
    theirs = DutyShift.objects.create(town=other_world.town, date=timezone.localdate(), leader=other_world.leader)
    assert client.post(reverse("events:duty_clear", args=[theirs.pk]), {"confirm": "1"}).status_code == 404


def _xlsx(rows, header=("日期", "星期", "值班领导", "值班领导账号", "副班", "副班账号", "备注")):
    wb = Workbook()
    ws = wb.active
    ws.append(["说明行"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_export_then_import_round_trip(world, duty_people, client):
    leader2, deputy = duty_people
    month = timezone.localdate().replace(day=1)
    DutyShift.objects.create(town=world.town, date=month, leader=leader2, deputy=deputy, note="首日")
    client.force_login(world.dispatcher)
    response = client.get(reverse("events:duty"), {"month": f"{month:%Y-%m}", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("日期", "星期", "值班领导", "值班领导账号")
    assert rows[2][2] == leader2.display_name and rows[2][3] == leader2.username
    assert len(rows) - 2 >= 28  # every day of the month, planned or not
    # fill in day 2 by name (the staff's full name), then re-import the whole sheet
    wb = load_workbook(BytesIO(response.content))
    ws = wb.active
    ws.cell(row=4, column=3, value=world.leader.display_name)
    buf = BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("back.xlsx", buf.getvalue())
    response = client.post(reverse("events:duty_import"), {"file": upload})
    assert response.status_code == 302
    assert DutyShift.objects.get(town=world.town, date=month + dt.timedelta(days=1)).leader == world.leader
    assert DutyShift.objects.get(town=world.town, date=month).note == "首日"
    entry = AuditEntry.objects.get(action="events.duty.import")
    assert entry.after["days"] == 2 and entry.files[0]["sm3"]


def test_import_with_a_bad_row_writes_nothing(world, duty_people):
    leader2, deputy = duty_people
    day = timezone.localdate()
    upload = _xlsx([(day, "", "", leader2.username, "", deputy.username, ""),
                    (day + dt.timedelta(days=1), "", "查无此人", "", "", "", ""),
                    ("不是日期", "", "", leader2.username, "", "", "")])
    with pytest.raises(DomainError) as exc:
        services.duty_import(town=world.town, file=upload, actor=world.dispatcher)
    assert "第4行" in str(exc.value) and "第5行" in str(exc.value)
    assert DutyShift.objects.count() == 0
    with pytest.raises(DomainError, match="无法读取"):
        services.duty_import(town=world.town, file=SimpleUploadedFile("x.xlsx", b"not a workbook"),
                             actor=world.dispatcher)
    ok = services.duty_import(town=world.town, file=_xlsx([(day, "", "", leader2.username, "", "", "")]),
                              actor=world.dispatcher)
    assert ok == 1 and DutyShift.objects.get().leader == leader2


def test_import_view_reports_errors(world, client):
    client.force_login(world.dispatcher)
    upload = _xlsx([("2026-01-01", "", "无名氏", "", "", "", "")])
    response = client.post(reverse("events:duty_import"), {"file": upload}, follow=True)
    assert "导入未执行" in response.content.decode() and DutyShift.objects.count() == 0


def test_district_supervisor_reads_the_rosters_of_the_district(world, other_world, make_user, client,
                                                                django_assert_max_num_queries):
    supervisor = make_user(Role.DISTRICT_SUPERVISOR)
    today = timezone.localdate()
    DutyShift.objects.create(town=world.town, date=today, leader=world.leader)
    DutyShift.objects.create(town=other_world.town, date=today, leader=other_world.leader)
    client.force_login(supervisor)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:duty")).content.decode()
    assert world.town.name in page and other_world.town.name in page
    board = client.get(reverse("events:board")).content.decode()
    assert world.leader.display_name in board and other_world.leader.display_name in board
    response = client.get(reverse("events:duty"), {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][-1] == "镇街" and {r[-1] for r in rows[2:] if r[2]} == {world.town.name, other_world.town.name}
    assert client.post(reverse("events:duty"), {"date": today.isoformat()}).status_code == 403
