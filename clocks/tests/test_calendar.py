"""The calendar in the database: seed, year entry, import, completeness, recomputation of open clocks."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from clocks import services
from clocks.calendar import DbCalendar, package_years
from clocks.errors import CalendarImportError, CalendarMissing
from clocks.models import CalendarDay, CalendarYear, Clock, ClockEvent, ClockStatus, DayKind
from core.errors import DomainError

from .conftest import HOLIDAYS_2027, MAKEUP_2027, workbook

D = dt.date
pytestmark = pytest.mark.django_db


def test_seed_covers_every_package_year():
    years = package_years()
    assert years[0] == 2004 and years[-1] >= 2026
    assert set(CalendarYear.objects.filter(complete=True, source="chinesecalendar").values_list("year", flat=True)) \
        == set(years)
    assert CalendarDay.objects.filter(date__year=2024).count() == 366
    national_day = CalendarDay.objects.get(date=D(2026, 10, 1))
    assert (national_day.kind, national_day.name) == (DayKind.HOLIDAY, "国庆节")
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == DayKind.MAKEUP_WORKDAY
    assert CalendarDay.objects.get(date=D(2026, 10, 11)).kind == DayKind.REST_DAY
    assert CalendarDay.objects.get(date=D(2026, 10, 12)).kind == DayKind.WORKDAY
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_db_calendar_loads_whole_years_in_two_queries(django_assert_num_queries):
    calendar = DbCalendar()
    with django_assert_num_queries(2):
        result = services.compute_rule(services.registry.get("ogi.request.reply"), start=D(2026, 9, 30),
                                       calendar=calendar)
    assert result.due == D(2026, 11, 3)
    with pytest.raises(CalendarMissing):
        calendar.day(D(2027, 1, 4))


def test_enter_a_new_year_then_mark_it_complete(sysadmin):
    year = services.calendar_set_year(year=2027, holidays=HOLIDAYS_2027, makeup_days=MAKEUP_2027, actor=sysadmin,
                                      reason="按国务院办公厅通知录入", notice_ref="国办发明电〔2026〕1号")
    assert not year.complete and year.source == "manual" and year.entered_by == sysadmin
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert CalendarDay.objects.get(date=D(2027, 10, 4)).kind == DayKind.HOLIDAY
    assert CalendarDay.objects.get(date=D(2027, 10, 9)).kind == DayKind.MAKEUP_WORKDAY
    with pytest.raises(CalendarMissing):  # entered but not yet complete: still not usable
        DbCalendar().day(D(2027, 3, 1))
    services.calendar_year_mark(year=2027, complete=True, actor=sysadmin, reason="已核对")
    assert DbCalendar().day(D(2027, 3, 1)) == (DayKind.WORKDAY, "")
    assert AuditEntry.objects.filter(action="clocks.calendar_year_set", object_id="2027").exists()
    assert AuditEntry.objects.filter(action="clocks.calendar_year_mark", object_id="2027").exists()


@pytest.mark.parametrize("holidays,makeups,message", [
    ([("", D(2027, 1, 1), D(2027, 1, 3))], [], "名称"),
    ([("元旦", D(2027, 1, 3), D(2027, 1, 1))], [], "起止日期无效"),
    ([("元旦", D(2026, 12, 31), D(2027, 1, 2))], [], "须在2027年内"),
    ([("元旦", D(2027, 1, 1), D(2027, 1, 3)), ("又一个", D(2027, 1, 3), D(2027, 1, 4))], [], "重复"),
    ([], [(D(2027, 2, 22), "春节")], "不是星期六或星期日"),
    ([("国庆节", D(2027, 10, 1), D(2027, 10, 9))], [(D(2027, 10, 9), "国庆节")], "既是假期又是调休上班日"),
])
def test_bad_year_entry_writes_nothing(sysadmin, holidays, makeups, message):
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.calendar_set_year(year=2027, holidays=holidays, makeup_days=makeups, actor=sysadmin, reason="录入")
    assert message in str(exc.value)
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert AuditEntry.objects.count() == audit_before


def test_mark_complete_needs_every_day_and_holidays(sysadmin):
    with pytest.raises(DomainError, match="尚未录入"):
        services.calendar_year_mark(year=2027, complete=True, actor=sysadmin, reason="x")
    services.calendar_set_year(year=2027, holidays=[], makeup_days=[], actor=sysadmin, reason="先录入周末")
    with pytest.raises(DomainError, match="尚未录入任何法定节假日"):
        services.calendar_year_mark(year=2027, complete=True, actor=sysadmin, reason="x")


def test_calendar_change_recomputes_open_clocks_and_audits_each(sysadmin, record, leader):
    # A 20-working-day clock started in mid-December 2026 needs 2027: it is flagged, not guessed.
    clock = services.clock_start(obj=record, rule_code="ogi.request.reply", actor=leader, start_date=D(2026, 12, 15))
    assert clock.status == ClockStatus.CALENDAR_MISSING
    assert clock.due_date is None and clock.missing_year == 2027
    assert "2027年的工作日历尚未录入" in clock.steps[0]
    met = services.clock_start(obj=record, rule_code="penalty.decision", actor=leader, start_date=D(2026, 5, 1))
    services.clock_stop_for(obj=record, rule_code="penalty.decision", actor=leader, on_date=D(2026, 6, 1))

    services.calendar_set_year(year=2027, holidays=HOLIDAYS_2027, makeup_days=MAKEUP_2027, actor=sysadmin,
                               reason="录入2027年安排", complete=True)
    clock.refresh_from_db()
    # 16 Dec 2026 … 31 Dec: 12 working days; then 1–3 Jan holiday; 4 Jan … → the 20th is 13 Jan 2027.
    assert clock.status == ClockStatus.RUNNING
    assert clock.due_date == D(2027, 1, 13)
    assert clock.missing_year is None
    entry = AuditEntry.objects.get(action="clocks.clock_recompute", object_id=str(clock.pk))
    assert entry.after["due_date"] == "2027-01-13" and "录入2027年安排" in entry.reason
    assert ClockEvent.objects.filter(clock=clock, kind=ClockEvent.Kind.RECOMPUTED).count() == 1
    # Closed clocks are never recomputed.
    assert not AuditEntry.objects.filter(action="clocks.clock_recompute", object_id=str(met.pk)).exists()

    # A late change (an extra holiday on 12 Jan 2027) moves the open clock again, with its own audit entry.
    services.calendar_day_set(day=D(2027, 1, 12), kind=DayKind.HOLIDAY, name="临时调整", actor=sysadmin,
                              reason="补充通知")
    clock.refresh_from_db()
    assert clock.due_date == D(2027, 1, 14)
    assert AuditEntry.objects.filter(action="clocks.clock_recompute", object_id=str(clock.pk)).count() == 2

    # Marking the year incomplete flags the clock again.
    services.calendar_year_mark(year=2027, complete=False, actor=sysadmin, reason="通知有误，重新核对")
    clock.refresh_from_db()
    assert clock.status == ClockStatus.CALENDAR_MISSING and clock.due_date is None


def test_day_edit_validation(sysadmin):
    with pytest.raises(DomainError, match="不是星期六或星期日"):
        services.calendar_day_set(day=D(2026, 10, 12), kind=DayKind.MAKEUP_WORKDAY, actor=sysadmin, reason="x")
    with pytest.raises(DomainError, match="尚未录入"):
        services.calendar_day_set(day=D(2027, 1, 4), kind=DayKind.WORKDAY, actor=sysadmin, reason="x")
    with pytest.raises(DomainError, match="理由"):
        services.calendar_day_set(day=D(2026, 10, 12), kind=DayKind.HOLIDAY, actor=sysadmin, reason="")


def test_excel_import_rebuilds_the_years_in_the_file(sysadmin):
    rows = [("2027-01-01", "法定节假日", "元旦", ""), (D(2027, 1, 2), "法定节假日", "元旦", ""),
            ("2027/10/09", "调休上班日", "国庆节", "补班"), ("2027-10-01", "节假日", "国庆节", "")]
    years = services.calendar_import(file=workbook(rows, note="2027年安排"), actor=sysadmin, reason="通知",
                                     complete=True)
    assert years == [2027]
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert CalendarDay.objects.get(date=D(2027, 10, 9)).kind == DayKind.MAKEUP_WORKDAY
    assert CalendarDay.objects.get(date=D(2027, 10, 9)).source == "import"
    assert CalendarYear.objects.get(year=2027).complete


def test_bad_excel_imports_nothing_and_reports_every_row(sysadmin):
    rows = [("2027-01-01", "法定节假日", "元旦", ""),
            ("2027-13-01", "法定节假日", "元旦", ""),
            ("2027-01-02", "放个假", "元旦", ""),
            ("2027-01-01", "法定节假日", "元旦", ""),
            ("2027-01-04", "调休上班日", "", ""),
            ("2027-01-05", "法定节假日", "", "")]
    audit_before = AuditEntry.objects.count()
    with pytest.raises(CalendarImportError) as exc:
        services.calendar_import(file=workbook(rows), actor=sysadmin, reason="通知")
    rows_in_error = [row for row, _message in exc.value.errors]
    assert rows_in_error == [3, 4, 5, 6, 7]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert AuditEntry.objects.count() == audit_before


def test_unreadable_or_headerless_file(sysadmin):
    from io import BytesIO

    with pytest.raises(CalendarImportError, match="错误"):
        services.calendar_import(file=BytesIO(b"not an excel file"), actor=sysadmin, reason="x")
    with pytest.raises(CalendarImportError) as exc:
        services.calendar_import(file=workbook([("2027-01-01", "法定节假日", "元旦")], headers=("x", "y", "z")),
                                 actor=sysadmin, reason="x")
    assert "表头" in exc.value.errors[0][1]


def test_calendar_seed_service_is_idempotent(sysadmin):
    assert services.calendar_seed(actor=sysadmin) == []
    CalendarYear.objects.filter(year=2005).delete()
    CalendarDay.objects.filter(date__year=2005).delete()
    assert services.calendar_seed(actor=sysadmin) == [2005]
    assert CalendarDay.objects.filter(date__year=2005).count() == 365
    assert Clock.objects.count() == 0
