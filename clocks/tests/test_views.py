"""Pages: allowed, forbidden (403), other town (404), bad input (message, nothing written), ≤ 10 queries."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from access.roles import Role
from audit.models import AuditEntry
from clocks import services
from clocks.models import CalendarDay, CalendarYear, Clock, ClockStatus, DayKind, RuleOverride

from .conftest import workbook
from .factories import ClockFactory

D = dt.date
pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# --- calendar ----------------------------------------------------------------------------------
def test_calendar_page_shows_the_year(client, leader, django_assert_max_num_queries):
    login(client, leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clocks:calendar"), {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026年日历已确认完整" in body
    assert "国庆节：10月1日至10月7日（7天）" in body
    assert 'data-testid="calendar-admin"' not in body  # leaders do not edit the calendar


def test_calendar_page_for_an_unknown_year_says_so(client, sysadmin):
    response = login(client, sysadmin).get(reverse("clocks:calendar"), {"year": 2027})
    body = response.content.decode()
    assert "2027年日历尚未录入" in body and 'data-testid="calendar-admin"' in body


def test_calendar_export(client, leader):
    response = login(client, leader).get(reverse("clocks:calendar"), {"year": 2026, "export": "xlsx"})
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("日期", "类型", "名称")
    assert len(rows) == 2 + 365


def test_calendar_pages_forbidden_to_others(client, leader, make_user):
    login(client, leader)
    for name, kwargs in [("clocks:calendar_import", {}), ("clocks:calendar_year_edit", {"year": 2027}),
                         ("clocks:calendar_day_edit", {"day": "2026-10-01"}), ("clocks:calendar_template", {})]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    auditor = make_user(Role.AUDITOR)
    login(client, auditor)
    assert client.get(reverse("clocks:calendar")).status_code == 403


def test_year_form_prefills_and_saves(client, sysadmin, django_assert_max_num_queries):
    login(client, sysadmin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clocks:calendar_year_edit", kwargs={"year": 2026}))
    body = response.content.decode()
    assert 'value="国庆节"' in body and 'value="2026-10-10"' in body
    data = {
        "h-TOTAL_FORMS": "3", "h-INITIAL_FORMS": "0",
        "h-0-name": "元旦", "h-0-first": "2027-01-01", "h-0-last": "2027-01-03",
        "h-1-name": "国庆节", "h-1-first": "2027-10-01", "h-1-last": "2027-10-07",
        "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-0-date": "2027-10-09", "m-0-name": "国庆节",
        "notice_ref": "国办发明电〔2026〕1号", "reason": "按通知录入", "complete": "on",
    }
    response = client.post(reverse("clocks:calendar_year_edit", kwargs={"year": 2027}), data)
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).complete
    assert CalendarDay.objects.get(date=D(2027, 10, 9)).kind == DayKind.MAKEUP_WORKDAY


def test_year_form_bad_input_shows_the_error_and_writes_nothing(client, sysadmin):
    login(client, sysadmin)
    data = {"h-TOTAL_FORMS": "1", "h-INITIAL_FORMS": "0", "h-0-name": "国庆节", "h-0-first": "2027-10-01",
            "h-0-last": "2027-10-07", "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-date": "2027-10-11",
            "m-0-name": "国庆节", "reason": "按通知录入"}
    audit_before = AuditEntry.objects.count()
    response = client.post(reverse("clocks:calendar_year_edit", kwargs={"year": 2027}), data)
    assert response.status_code == 200
    assert "2027-10-11不是星期六或星期日" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert AuditEntry.objects.count() == audit_before


def test_import_page_reports_rows_and_imports_nothing(client, sysadmin):
    login(client, sysadmin)
    bad = workbook([("2027-01-01", "法定节假日", "元旦", ""), ("2027-02-30", "法定节假日", "春节", "")])
    response = client.post(reverse("clocks:calendar_import"), {"file": bad, "reason": "通知"})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in body and "2027-02-30" in body
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    good = workbook([("2027-01-01", "法定节假日", "元旦", "")])
    response = client.post(reverse("clocks:calendar_import"), {"file": good, "reason": "通知", "complete": "on"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).complete


def test_export_then_import_round_trip(client, sysadmin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, sysadmin)
    exported = client.get(reverse("clocks:calendar"), {"year": 2026, "export": "xlsx"}).content
    upload = SimpleUploadedFile("2026.xlsx", exported)
    response = client.post(reverse("clocks:calendar_import"), {"file": upload, "reason": "重新导入", "complete": "on"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (day.kind, day.name, day.source) == (DayKind.MAKEUP_WORKDAY, "国庆节", "chinesecalendar")  # unchanged
    assert AuditEntry.objects.filter(action="clocks.calendar_import", object_id="2026").exists()


def test_import_page_refuses_other_files(client, sysadmin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, sysadmin)
    response = client.post(reverse("clocks:calendar_import"),
                           {"file": SimpleUploadedFile("x.csv", b"a,b"), "reason": "通知"})
    assert ".xlsx" in response.content.decode()


def test_template_download(client, sysadmin):
    response = login(client, sysadmin).get(reverse("clocks:calendar_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_mark_and_day_edit(client, sysadmin):
    login(client, sysadmin)
    response = client.post(reverse("clocks:calendar_year_mark", kwargs={"year": 2026}),
                           {"complete": "0", "reason": "重新核对"})
    assert response.status_code == 302 and not CalendarYear.objects.get(year=2026).complete
    response = client.post(reverse("clocks:calendar_year_mark", kwargs={"year": 2026}), {"complete": "1"})
    assert not CalendarYear.objects.get(year=2026).complete  # no reason: refused with a message
    assert client.get(reverse("clocks:calendar_day_edit", kwargs={"day": "2026-10-12"})).status_code == 200
    assert client.get(reverse("clocks:calendar_day_edit", kwargs={"day": "2026-13-12"})).status_code == 404
    response = client.post(reverse("clocks:calendar_day_edit", kwargs={"day": "2026-10-12"}),
                           {"kind": "makeup_workday", "reason": "x"})
    assert response.status_code == 200 and "不是星期六或星期日" in response.content.decode()
    response = client.post(reverse("clocks:calendar_day_edit", kwargs={"day": "2026-10-12"}),
                           {"kind": "holiday", "name": "临时", "reason": "补充通知"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D(2026, 10, 12)).kind == DayKind.HOLIDAY


# --- registry -------------------------------------------------------------------------------------
def test_rules_list_filters_and_exports(client, leader, django_assert_max_num_queries):
    login(client, leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clocks:rules"), {"section": "penalty", "kind": "clock"})
    body = response.content.decode()
    assert "penalty.hearing.request" in body and "ogi.request.reply" not in body
    assert "《行政处罚法》第六十四条第（一）项、第八十五条" in body
    response = client.get(reverse("clocks:rules"), {"status": "unverified", "q": "交接"})
    assert "org.handover.complete" in response.content.decode()
    response = client.get(reverse("clocks:rules"), {"export": "xlsx"})
    rows = list(load_workbook(__import__("io").BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(services.registry.all_rules())


def test_rule_detail_and_override(client, leader, town, make_user):
    login(client, leader)
    response = client.get(reverse("clocks:rule_detail", kwargs={"code": "org.handover.complete"}))
    body = response.content.decode()
    assert 'data-testid="override-form"' in body and "可配置默认值（未经核实）" in body
    assert client.get(reverse("clocks:rule_detail", kwargs={"code": "no.such"})).status_code == 404
    assert client.get(reverse("clocks:rule_detail", kwargs={"code": "recon.answer"})).status_code == 302
    url = reverse("clocks:rule_override", kwargs={"code": "org.handover.complete"})
    response = client.post(url, {"length": "0", "note": "x"}, follow=True)
    assert "1至3650" in response.content.decode() and not RuleOverride.objects.exists()
    client.post(url, {"length": "7", "note": "镇政府办公会决定"})
    assert RuleOverride.objects.get(town=town, code="org.handover.complete").length == 7
    response = client.post(reverse("clocks:rule_override", kwargs={"code": "penalty.decision"}),
                           {"length": "60", "note": "x"}, follow=True)
    assert "镇街不能调整" in response.content.decode()
    client.post(url, {"action": "clear", "reason": "恢复"})
    assert not RuleOverride.objects.exists()
    login(client, make_user(Role.GRID_WORKER))
    assert client.post(url, {"length": "7", "note": "x"}).status_code == 403
    body = client.get(reverse("clocks:rule_detail", kwargs={"code": "org.handover.complete"})).content.decode()
    assert 'data-testid="override-form"' not in body


# --- calculator -----------------------------------------------------------------------------------
def test_calculator(client, leader, django_assert_max_num_queries):
    login(client, leader)
    assert client.get(reverse("clocks:calculator")).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clocks:calculator"), {"rule": "penalty.decision", "start": "2026-07-05"})
    body = response.content.decode()
    assert '<div class="display-6 fw-semibold" data-testid="due">2026-10-08</div>' in body
    assert "民法典第二百零三条第一款" in body
    response = client.get(reverse("clocks:calculator"), {"rule": "ogi.request.reply", "start": "2026-12-20"})
    assert "2027年的工作日历尚未录入" in response.content.decode()
    response = client.get(reverse("clocks:calculator"), {"rule": "penalty.guard.power", "start": "2026-10-01"})
    body = response.content.decode()
    assert "invalid-feedback" in body and 'data-testid="calc-result"' not in body
    response = client.get(reverse("clocks:calculator"), {"rule": "penalty.hearing.request", "start": "2026-10-01",
                                                         "length": "9"})
    assert "不能按事项调整" in response.content.decode()
    response = client.get(reverse("clocks:calculator"), {"rule": "penalty.hearing.request", "today": "1"})
    assert response.status_code == 200 and 'data-testid="calc-result"' in response.content.decode()


# --- supervision and clock pages -------------------------------------------------------------------
@pytest.fixture
def clocks_in_towns(town, other_town, leader):
    services.clock_start(obj=town, rule_code="penalty.decision", actor=leader, start_date=D(2026, 7, 5))
    services.clock_start(obj=town, rule_code="ogi.request.reply", actor=leader, start_date=D(2026, 11, 20))
    services.clock_start(obj=other_town, rule_code="penalty.decision", actor=leader, start_date=D(2026, 7, 5))
    services.scan_clocks()
    return Clock.objects.order_by("pk")


def test_supervision_lists_own_town_only(client, leader, clocks_in_towns, django_assert_max_num_queries):
    login(client, leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clocks:supervision"))
    assert response.status_code == 200
    page = list(response.context["page_obj"])
    assert len(page) == 1 and page[0].town == leader.town and page[0].status == ClockStatus.OVERDUE
    assert response.context["counts"]["overdue"] == 1
    response = client.get(reverse("clocks:supervision"), {"state": "open", "q": "公开"})
    assert [c.rule_code for c in response.context["page_obj"]] == ["ogi.request.reply"]
    response = client.get(reverse("clocks:supervision"), {"state": "open", "export": "xlsx"})
    rows = list(load_workbook(__import__("io").BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 2


def test_district_supervisor_sees_the_district(client, make_user, clocks_in_towns):
    login(client, make_user(Role.DISTRICT_SUPERVISOR))
    response = client.get(reverse("clocks:supervision"), {"state": "overdue"})
    assert len(response.context["page_obj"]) == 2


def test_supervision_forbidden_to_three_officers(client, sysadmin):
    assert login(client, sysadmin).get(reverse("clocks:supervision")).status_code == 403


def test_clock_detail_and_actions(client, leader, dispatcher, town, other_town, django_assert_max_num_queries):
    clock = services.clock_start(obj=town, rule_code="ogi.request.reply", actor=leader, start_date=D(2026, 9, 30))
    other = ClockFactory(town=other_town)
    login(client, dispatcher)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("clocks:clock_detail", kwargs={"pk": clock.pk}))
    body = response.content.decode()
    assert 'data-testid="extend-form"' in body and 'data-testid="pause-form"' in body
    assert "第3个工作日：2026-10-10" in body
    assert client.get(reverse("clocks:clock_detail", kwargs={"pk": other.pk})).status_code == 404
    action = reverse("clocks:clock_action", kwargs={"pk": clock.pk})
    response = client.post(action, {"action": "extend", "length": "30", "approver": leader.pk, "reason": "复杂"},
                           follow=True)
    assert "不得超过20个工作日" in response.content.decode()
    client.post(action, {"action": "extend", "length": "20", "approver": leader.pk, "reason": "复杂"})
    clock.refresh_from_db()
    assert clock.due_date == D(2026, 12, 1)
    client.post(action, {"action": "pause", "on_date": "2026-10-12", "reason": "征求第三方意见"})
    client.post(action, {"action": "resume", "on_date": "2026-10-19"})
    clock.refresh_from_db()
    assert clock.status == ClockStatus.RUNNING and clock.paused_days == 5
    assert client.post(reverse("clocks:clock_action", kwargs={"pk": other.pk}), {"action": "pause"}).status_code == 404


def test_clock_actions_forbidden_to_other_roles(client, make_user, town):
    clock = ClockFactory(town=town)
    login(client, make_user(Role.GRID_WORKER))
    assert client.get(reverse("clocks:clock_detail", kwargs={"pk": clock.pk})).status_code == 200
    assert client.post(reverse("clocks:clock_action", kwargs={"pk": clock.pk}),
                       {"action": "pause", "reason": "x"}).status_code == 403


# --- the include, the tag and the panel ------------------------------------------------------------
def test_clocks_for_tag(leader, town, other_town, sysadmin):
    services.clock_start(obj=town, rule_code="penalty.decision", actor=leader, start_date=D(2026, 7, 5))
    services.clock_start(obj=other_town, rule_code="penalty.decision", actor=leader, start_date=D(2026, 7, 5))
    request = RequestFactory().get("/")
    request.user = leader
    html = Template("{% load clocks_tags %}{% clocks_for obj %}").render(Context({"request": request, "obj": town}))
    assert html.count('data-testid="clock-penalty.decision"') == 1
    assert "2026-10-08" in html and "届满日是怎样计算的" in html and "《行政处罚法》第六十条" in html
    request.user = sysadmin  # no clocks.view: nothing, no error
    html = Template("{% load clocks_tags %}{% clocks_for obj %}").render(Context({"request": request, "obj": town}))
    assert "clock-penalty.decision" not in html


def test_home_panel(client, leader, clocks_in_towns, django_assert_max_num_queries):
    login(client, leader)
    response = client.get(reverse("core:home"))
    body = response.content.decode()
    assert "即将到期与逾期" in body and 'data-testid="panel-overdue">1<' in body
