"""Clock services: start, restart, pause/resume, extend, stop, explain, overrides and the reminder scan."""

import datetime as dt
import logging

import pytest

from access.roles import Role
from audit.models import AuditEntry
from clocks import services
from clocks.errors import NotAClock, UnknownRule
from clocks.models import Clock, ClockEvent, ClockStatus, RuleOverride
from core.errors import ConflictError, DomainError
from notify.models import Notification
from org.models import Town

D = dt.date
pytestmark = pytest.mark.django_db


SEP_30 = D(2026, 9, 30)


def start(record, actor, code="ogi.request.reply", on=SEP_30, **kwargs):
    return services.clock_start(obj=record, rule_code=code, actor=actor, start_date=on, **kwargs)


def test_start_computes_stores_and_audits(record, leader):
    clock = start(record, leader)
    assert (clock.town, clock.rule_code, clock.unit, clock.length) == (record, "ogi.request.reply", "wd", 20)
    assert clock.due_date == D(2026, 11, 3) and clock.status == ClockStatus.RUNNING
    assert clock.object_repr == str(record)
    assert clock.steps[0] == "规则：依申请公开答复期限（ogi.request.reply）"
    assert any("第3个工作日：2026-10-10" in s for s in clock.steps)
    assert ClockEvent.objects.get(clock=clock).kind == ClockEvent.Kind.STARTED
    entry = AuditEntry.objects.get(action="clocks.clock_start")
    assert entry.town_id == record.pk and entry.after["due_date"] == "2026-11-03"


def test_core_procedure_call_signatures(record, leader):
    """core.procedure calls exactly these keyword signatures."""
    clock = services.clock_start(obj=record, rule_code="penalty.hearing.request", actor=leader, start_date=None)
    assert clock.start_date == services.today()
    closed = services.clock_stop_for(obj=record, rule_code="penalty.hearing.request", actor=leader, on_date=None)
    assert [c.pk for c in closed] == [clock.pk]
    assert services.clock_stop_for(obj=record, rule_code="penalty.hearing.request", actor=leader, on_date=None) == []


def test_unknown_or_non_clock_codes_are_refused(record, leader):
    with pytest.raises(UnknownRule):
        start(record, leader, code="no.such.rule")
    with pytest.raises(NotAClock):
        start(record, leader, code="penalty.guard.two_officers")
    assert not Clock.objects.exists()


def test_second_start_restarts_the_open_clock(record, leader):
    first = start(record, leader)
    again = start(record, leader, on=D(2026, 10, 15))  # 补正后重新起算 (公开条例第三十条)
    assert again.pk == first.pk
    assert again.start_date == D(2026, 10, 15) and again.restarted_from == D(2026, 9, 30)
    assert again.due_date == D(2026, 11, 12)
    assert "重新起算：原起算日2026-09-30" in again.steps[1]
    assert Clock.objects.count() == 1
    event = ClockEvent.objects.get(clock=again, kind=ClockEvent.Kind.RESTARTED)
    assert event.detail["old_due"] == "2026-11-03"
    entry = AuditEntry.objects.get(action="clocks.clock_restart")
    assert entry.before["due_date"] == "2026-11-03" and entry.before["steps"]


def test_pause_and_resume_skip_the_counted_days(record, leader):
    clock = start(record, leader)
    clock = services.clock_pause(clock=clock, actor=leader, reason="书面征求第三方意见", on_date=D(2026, 10, 12))
    assert clock.status == ClockStatus.PAUSED and clock.paused_since == D(2026, 10, 12)
    clock = services.clock_resume(clock=clock, actor=leader, on_date=D(2026, 10, 19))
    assert clock.status == ClockStatus.RUNNING and clock.paused_days == 5
    assert clock.due_date == D(2026, 11, 10)
    assert any("暂停期间不计入的5个工作日" in s for s in clock.steps)
    kinds = list(clock.events.values_list("kind", flat=True))
    assert kinds == ["started", "paused", "resumed"]


def test_pause_refused_where_the_law_has_no_pause(record, leader):
    clock = start(record, leader, code="penalty.decision", on=D(2026, 7, 5))
    with pytest.raises(DomainError, match="不能暂停"):
        services.clock_pause(clock=clock, actor=leader, reason="x", on_date=D(2026, 8, 1))
    clock = start(record, leader, code="ogi.request.reply")
    with pytest.raises(DomainError, match="原因"):
        services.clock_pause(clock=clock, actor=leader, reason=" ", on_date=D(2026, 10, 12))
    with pytest.raises(DomainError, match="未暂停"):
        services.clock_resume(clock=clock, actor=leader)


def test_extend_once_with_approver_and_reason(record, leader, make_user):
    clock = start(record, leader)
    grid_worker = make_user(Role.GRID_WORKER)
    with pytest.raises(DomainError, match="批准"):
        services.clock_extend(clock=clock, days_or_length=20, approver=None, reason="复杂", actor=leader)
    with pytest.raises(DomainError, match="有审批权"):
        services.clock_extend(clock=clock, days_or_length=20, approver=grid_worker, reason="复杂", actor=leader)
    with pytest.raises(DomainError, match="理由"):
        services.clock_extend(clock=clock, days_or_length=20, approver=leader, reason="", actor=leader)
    with pytest.raises(DomainError, match="不得超过20个工作日"):
        services.clock_extend(clock=clock, days_or_length=21, approver=leader, reason="复杂", actor=leader)
    clock = services.clock_extend(clock=clock, days_or_length=20, approver=leader, reason="需征求多个部门意见",
                                  notice="已书面告知申请人", actor=leader)
    assert clock.due_date == D(2026, 12, 1) and clock.extensions_used == 1 and clock.extended_by == 20
    assert any(f"经{leader.display_name}批准；理由：需征求多个部门意见" in s for s in clock.steps)
    with pytest.raises(DomainError, match="最多只能延长1次"):
        services.clock_extend(clock=clock, days_or_length=1, approver=leader, reason="再延", actor=leader)
    assert AuditEntry.objects.filter(action="clocks.clock_extend").count() == 1


def test_extend_refused_for_rules_without_extension(record, leader):
    clock = start(record, leader, code="penalty.hearing.request")
    with pytest.raises(DomainError, match="不得延长"):
        services.clock_extend(clock=clock, days_or_length=1, approver=leader, reason="x", actor=leader)


def test_approver_of_another_town_is_refused(record, leader, other_town, make_user):
    clock = start(record, leader)
    stranger = make_user(Role.LEADER, town_=other_town)
    with pytest.raises(DomainError, match="本镇街"):
        services.clock_extend(clock=clock, days_or_length=5, approver=stranger, reason="x", actor=leader)


def test_stale_clock_is_a_conflict(record, leader):
    clock = start(record, leader)
    services.clock_pause(clock=clock, actor=leader, reason="征求意见", on_date=D(2026, 10, 12))
    with pytest.raises(ConflictError):
        services.clock_pause(clock=clock, actor=leader, reason="征求意见", on_date=D(2026, 10, 12))


def test_stop_met_and_stopped(record, leader):
    start(record, leader)
    [clock] = services.clock_stop_for(obj=record, rule_code="ogi.request.reply", actor=leader, on_date=D(2026, 11, 5))
    assert clock.status == ClockStatus.MET and clock.met_at == D(2026, 11, 5)
    assert ClockEvent.objects.get(clock=clock, kind="met").detail["on_time"] is False
    start(record, leader, code="penalty.decision", on=D(2026, 7, 5))
    [stopped] = services.clock_stop_for(obj=record, rule_code="penalty.decision", actor=leader,
                                        on_date=D(2026, 8, 1), outcome="stopped", reason="案件移送")
    assert stopped.status == ClockStatus.STOPPED
    with pytest.raises(DomainError, match="已终止"):
        services.clock_extend(clock=stopped, days_or_length=1, approver=leader, reason="x", actor=leader)


def test_explain_lists_the_steps(record, leader):
    clock = start(record, leader, code="penalty.decision", on=D(2026, 7, 5))
    steps = services.clock_explain(clock)
    assert clock.due_date == D(2026, 10, 8)
    assert "依据：《行政处罚法》第六十条" in steps[1]
    assert any("期间最后一日2026-10-03为法定节假日（国庆节）" in s for s in steps)


def test_hour_clock(record, leader):
    clock = start(record, leader, code="penalty.coercion.emergency_report", on=D(2026, 10, 1))
    assert clock.due_at is not None and clock.due_date == D(2026, 10, 2)


def test_per_matter_length_only_where_the_law_allows(record, leader):
    clock = start(record, leader, code="penalty.decision", on=D(2026, 7, 5), length=60)
    assert clock.length == 60 and clock.due_date == D(2026, 9, 3)
    assert any("本事项依法另有规定" in s for s in clock.steps)
    with pytest.raises(DomainError, match="法定期限"):
        start(record, leader, code="penalty.hearing.request", length=10)


def test_rule_without_a_number_needs_a_town_default(record, leader):
    with pytest.raises(DomainError, match="没有法定天数"):
        start(record, leader, code="mediation.start")
    services.rule_override_set(town=record, code="mediation.start", length=10, note="镇矛调中心规定", actor=leader)
    assert start(record, leader, code="mediation.start", on=D(2026, 9, 1)).due_date == D(2026, 9, 11)


def test_override_recomputes_open_clocks_of_the_town(record, leader, other_town):
    clock = start(record, leader, code="org.handover.complete", on=D(2026, 9, 30))
    other = start(other_town, leader, code="org.handover.complete", on=D(2026, 9, 30))
    assert clock.due_date == D(2026, 10, 13)  # 8, 9, 10 (makeup Saturday), 12, 13 October
    services.rule_override_set(town=record, code="org.handover.complete", length=3, note="镇政府办公会决定",
                               actor=leader)
    clock.refresh_from_db()
    other.refresh_from_db()
    assert clock.due_date == D(2026, 10, 10) and clock.length == 3
    assert any("本镇街调整的默认值" in s for s in clock.steps)
    assert other.due_date == D(2026, 10, 13)
    assert AuditEntry.objects.filter(action="clocks.clock_recompute", object_id=str(clock.pk)).exists()
    services.rule_override_clear(town=record, code="org.handover.complete", actor=leader, reason="恢复")
    clock.refresh_from_db()
    assert clock.due_date == D(2026, 10, 13)
    assert not RuleOverride.objects.exists()


def test_verified_rules_cannot_be_overridden(record, leader):
    with pytest.raises(DomainError, match="已核对的法定期限"):
        services.rule_override_set(town=record, code="penalty.decision", length=60, note="x", actor=leader)
    with pytest.raises(DomainError, match="正整数"):
        services.rule_override_set(town=record, code="org.handover.complete", length="x", note="x", actor=leader)


# --- the reminder scan -----------------------------------------------------------------------------
def test_scan_writes_each_crossing_once_and_notifies(record, leader, dispatcher, make_user, settings, caplog,
                                                     django_capture_on_commit_callbacks):
    settings.FAZHI_REMINDER_WORKING_DAYS = 3
    grid_worker = make_user(Role.GRID_WORKER)
    leader.phone = "13900001111"
    leader.save()
    clock = start(record, leader)  # due 2026-11-03
    assert services.scan_clocks(on_date=D(2026, 10, 28))["due_soon"] == 0
    with caplog.at_level(logging.INFO, logger="fazhi.sms"), django_capture_on_commit_callbacks(execute=True):
        stats = services.scan_clocks(on_date=D(2026, 10, 29))  # 3 working days before 3 Nov
    assert stats["due_soon"] == 1 and stats["notified"] == 2
    assert "139****1111" in caplog.text  # SMS through the pluggable channel, masked in the log
    assert services.scan_clocks(on_date=D(2026, 10, 30))["due_soon"] == 0  # once per crossing
    note = Notification.objects.get(recipient=leader)
    assert note.level == "warning" and note.key == f"clock:{clock.pk}:due_soon:2026-11-03"
    assert Notification.objects.filter(recipient=dispatcher).count() == 1
    assert not Notification.objects.filter(recipient=grid_worker).exists()

    stats = services.scan_clocks(on_date=D(2026, 11, 4))
    assert stats["overdue"] == 1
    clock.refresh_from_db()
    assert clock.status == ClockStatus.OVERDUE
    assert services.scan_clocks(on_date=D(2026, 11, 5))["overdue"] == 0
    assert ClockEvent.objects.filter(clock=clock, kind="overdue").count() == 1
    assert ClockEvent.objects.filter(clock=clock, kind="due_soon").count() == 1
    assert Notification.objects.filter(recipient=leader, level="danger").count() == 1
    assert AuditEntry.objects.filter(action="clocks.clock_overdue").count() == 1

    # An extension moves the due date: the clock runs again and a new crossing can be written.
    clock = services.clock_extend(clock=clock, days_or_length=20, approver=leader, reason="复杂", actor=leader)
    assert clock.status == ClockStatus.RUNNING and clock.due_date == D(2026, 12, 1)
    assert services.scan_clocks(on_date=D(2026, 11, 27))["due_soon"] == 1


def test_scan_uses_clock_recipients_of_the_record(record, leader, make_user, monkeypatch):
    officer = make_user(Role.ENFORCEMENT_OFFICER)
    monkeypatch.setattr(Town, "clock_recipients", lambda self: [officer], raising=False)
    start(record, leader)
    services.scan_clocks(on_date=D(2026, 11, 4))
    assert Notification.objects.filter(recipient=officer, level="danger").exists()


def test_scan_tells_sysadmins_about_a_missing_calendar(record, leader, sysadmin):
    start(record, leader, on=D(2026, 12, 20))
    services.scan_clocks(on_date=D(2026, 12, 21))
    services.scan_clocks(on_date=D(2026, 12, 22))
    note = Notification.objects.get(recipient=sysadmin)
    assert "2027" in note.title and note.key == "calendar_missing:2027"


def test_scan_skips_minimum_periods_and_paused_clocks(record, leader):
    start(record, leader, code="decision.comment.period", on=D(2026, 9, 1))
    clock = start(record, leader)
    services.clock_pause(clock=clock, actor=leader, reason="征求意见", on_date=D(2026, 10, 12))
    assert services.scan_clocks(on_date=D(2026, 12, 20))["overdue"] == 0
    assert not ClockEvent.objects.filter(kind__in=["due_soon", "overdue"]).exists()


def test_scan_task_runs_on_the_task_backend(record, leader):
    from django_tasks import TaskResultStatus

    from clocks.tasks import scan_clocks

    start(record, leader)
    result = scan_clocks.enqueue("2026-11-04")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["overdue"] == 1


def test_repeated_scan_costs_a_constant_number_of_queries(record, leader, django_assert_max_num_queries):
    from org.tests.factories import TownFactory

    for _i in range(5):
        start(TownFactory(district=record.district), leader, code="penalty.decision", on=D(2026, 7, 5))
    start(record, leader)
    assert services.scan_clocks(on_date=D(2026, 10, 20))["overdue"] == 5
    with django_assert_max_num_queries(6):
        stats = services.scan_clocks(on_date=D(2026, 10, 21))
    assert stats == {"due_soon": 0, "overdue": 0, "notified": 0, "calendar_missing": 0, "errors": 0}
