"""Period arithmetic on the real State Council calendars (from the chinesecalendar package, no database)."""

import datetime as dt

import pytest

from clocks import periods
from clocks.calendar import package_days
from clocks.errors import CalendarMissing
from clocks.periods import DictCalendar

D = dt.date


@pytest.fixture(scope="module")
def cal():
    days = {}
    for year in (2023, 2024, 2025, 2026):
        days.update({date: (kind, name) for date, (kind, name, _note) in package_days(year).items()})
    return DictCalendar(days, complete_years={2023, 2024, 2025, 2026})


def steps_text(result):
    return "\n".join(result.steps)


# --- working days ----------------------------------------------------------------------------
def test_working_days_across_national_day_2026_counts_the_makeup_saturday(cal):
    result = periods.working_day_period(cal, D(2026, 9, 30), 20)
    assert result.due == D(2026, 11, 3)
    text = steps_text(result)
    assert "起算日2026-09-30不计入" in text and "民法典第二百零一条第一款" in text
    assert "2026-10-01至2026-10-07为法定节假日（国庆节），不计入" in text
    assert "第1个工作日：2026-10-08（星期四）" in text
    assert "第3个工作日：2026-10-10（星期六，调休上班日：国庆节）" in text
    assert "第20个工作日：2026-11-03" in text


def test_working_days_across_spring_festival_2026(cal):
    # 2026-02-14 (Sat) is a make-up working day; 15–23 Feb are the holiday.
    result = periods.working_day_period(cal, D(2026, 2, 13), 5)
    assert result.due == D(2026, 2, 27)
    assert "2026-02-15至2026-02-23为法定节假日（春节），不计入" in steps_text(result)


def test_working_days_never_end_on_a_rest_day(cal):
    # 5 wd from Tuesday 2026-04-28: 29, 30 Apr, then Labour Day 1–5 May, makeup Sat 9 May.
    result = periods.working_day_period(cal, D(2026, 4, 28), 5)
    assert result.due == D(2026, 5, 8)
    assert periods.is_working(cal, result.due)


def test_working_days_with_makeup_saturday_in_the_count(cal):
    # After Labour Day 2026 the Saturday 9 May is a working day: 3 wd from Thursday 7 May → 8, 9, 11.
    assert periods.working_day_period(cal, D(2026, 5, 7), 3).due == D(2026, 5, 11)


def test_zero_length_is_immediate(cal):
    assert periods.working_day_period(cal, D(2026, 10, 3), 0).due == D(2026, 10, 3)
    assert periods.natural_day_period(cal, D(2026, 10, 3), 0).due == D(2026, 10, 3)


# --- natural days and the rollover ------------------------------------------------------------
def test_natural_days_ending_in_national_day_roll_to_the_day_after_the_holiday(cal):
    # 处罚法第六十条: 90 days from 立案 on 2026-07-05 → last day 2026-10-03 (国庆节) → 2026-10-08.
    result = periods.natural_day_period(cal, D(2026, 7, 5), 90)
    assert result.last_day == D(2026, 10, 3)
    assert result.due == D(2026, 10, 8)
    assert result.rolled
    assert ("期间最后一日2026-10-03为法定节假日（国庆节），以法定休假日结束的次日2026-10-08为期间最后一日"
            "（民法典第二百零三条第一款）") in steps_text(result)


def test_natural_days_ending_in_spring_festival(cal):
    result = periods.natural_day_period(cal, D(2026, 2, 1), 15)
    assert result.last_day == D(2026, 2, 16)
    assert result.due == D(2026, 2, 24)


def test_natural_days_ending_on_a_makeup_saturday_do_not_roll(cal):
    result = periods.natural_day_period(cal, D(2026, 9, 25), 15)
    assert result.due == D(2026, 10, 10)
    assert not result.rolled
    assert "调休上班日" in steps_text(result)


def test_natural_days_ending_on_a_weekend_roll_to_monday(cal):
    result = periods.natural_day_period(cal, D(2026, 3, 1), 13)
    assert result.last_day == D(2026, 3, 14)
    assert result.due == D(2026, 3, 16)
    assert "休息日（星期六）" in steps_text(result)


def test_natural_days_ending_on_a_workday(cal):
    result = periods.natural_day_period(cal, D(2026, 3, 1), 15)
    assert result.due == D(2026, 3, 16)
    assert not result.rolled
    assert "无需顺延" in steps_text(result)


# --- months and years --------------------------------------------------------------------------
@pytest.mark.parametrize("start,months,expected", [
    (D(2025, 1, 31), 1, D(2025, 2, 28)),   # no corresponding day → month end
    (D(2024, 1, 31), 1, D(2024, 2, 29)),   # leap year month end
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 1, 15), 1, D(2026, 2, 15)),   # corresponding day
    (D(2025, 12, 20), 2, D(2026, 2, 20)),  # across the year end
    (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day + 1 year
])
def test_add_months_corresponding_day_or_month_end(start, months, expected):
    assert periods.add_months(start, months)[0] == expected


def test_month_period_month_end_and_makeup_saturday(cal):
    # 2026-01-31 + 1 m → 2026-02-28, a Saturday that is a make-up working day (Spring Festival): no rollover.
    result = periods.month_period(cal, D(2026, 1, 31), 1)
    assert result.due == D(2026, 2, 28)
    assert "到期月没有对应日，以月末日2026-02-28为期间最后一日（民法典第二百零二条）" in steps_text(result)
    assert not result.rolled


def test_month_period_rolls_over_a_holiday(cal):
    # 2 months from 2026-08-03 → 2026-10-03 (国庆节) → 2026-10-08.
    result = periods.month_period(cal, D(2026, 8, 3), 2)
    assert result.last_day == D(2026, 10, 3)
    assert result.due == D(2026, 10, 8)


def test_leap_day_year_periods(cal):
    one = periods.compute(calendar=cal, start=D(2024, 2, 29), length=1, unit="y")
    assert one.due == D(2025, 2, 28)
    two = periods.compute(calendar=cal, start=D(2024, 2, 29), length=2, unit="y")
    assert two.due == D(2026, 2, 28)  # Saturday, but a make-up working day in 2026
    assert "加2年" in steps_text(two)


# --- unknown calendar -------------------------------------------------------------------------------
def test_year_not_known_raises_calendar_missing(cal):
    with pytest.raises(CalendarMissing) as exc:
        periods.working_day_period(cal, D(2026, 12, 15), 20)
    assert exc.value.year == 2027
    assert "2027年的工作日历尚未录入" in str(exc.value)
    assert exc.value.rule == "calendar.makeup_workday"


def test_natural_period_into_unknown_year_raises(cal):
    with pytest.raises(CalendarMissing):
        periods.natural_day_period(cal, D(2026, 12, 20), 30)


def test_fixed_date_needs_no_calendar():
    result = periods.fixed_date(D(2026, 12, 31), "01-31")
    assert result.due == D(2027, 1, 31)
    assert periods.fixed_date(D(2026, 1, 1), "12-31").due == D(2026, 12, 31)
    assert periods.fixed_date(D(2026, 1, 31), "01-31").due == D(2027, 1, 31)


# --- before an event, hours, pause, reminders ----------------------------------------------------
def test_before_event_working_days(cal):
    # 处罚法第六十四条: notice at least 7 wd before a hearing on Monday 2026-10-12.
    result = periods.before_event(cal, D(2026, 10, 12), 7, "wd")
    assert result.due == D(2026, 9, 23)
    between = periods.count_working_days(cal, result.due + dt.timedelta(days=1), D(2026, 10, 11))
    assert between == 7
    assert "可配置默认值（未经核实）" in steps_text(result)


def test_before_event_natural_days_flags_a_rest_day(cal):
    # 决策条例第十六条: materials 7 days before a hearing on 2026-10-10 → latest 2026-10-02 (a holiday).
    result = periods.before_event(cal, D(2026, 10, 10), 7, "d")
    assert result.due == D(2026, 10, 2)
    assert "如须在工作日办理，最迟为2026-09-30" in steps_text(result)


def test_hours_run_from_the_moment():
    start = dt.datetime(2026, 10, 1, 9, 30)
    result = periods.hour_period(start, 24)
    assert result.due == dt.datetime(2026, 10, 2, 9, 30)
    assert "民法典第二百零一条第二款" in steps_text(result)


def test_pause_skips_counted_days(cal):
    # Paused 2026-10-12 (Mon) to 2026-10-19 (Mon): 5 working days skipped.
    skipped = periods.paused_counted_days(cal, start=D(2026, 9, 30), paused_since=D(2026, 10, 12),
                                          resumed=D(2026, 10, 19), unit="wd")
    assert skipped == 5
    result = periods.compute(calendar=cal, start=D(2026, 9, 30), length=20, unit="wd", paused=skipped)
    assert result.due == D(2026, 11, 10)
    assert periods.paused_counted_days(cal, start=D(2026, 9, 30), paused_since=D(2026, 10, 12),
                                       resumed=D(2026, 10, 19), unit="d") == 7
    # Nothing is counted on or before the start day.
    assert periods.paused_counted_days(cal, start=D(2026, 9, 30), paused_since=D(2026, 9, 29),
                                       resumed=D(2026, 9, 30), unit="d") == 0


def test_extension_counts_from_the_original_start(cal):
    result = periods.compute(calendar=cal, start=D(2026, 9, 30), length=20, unit="wd", extension=20)
    assert result.due == D(2026, 12, 1)


def test_reminder_date_counts_working_days_back(cal):
    assert periods.reminder_date(cal, D(2026, 10, 12), 3) == D(2026, 10, 8)
    assert periods.reminder_date(cal, D(2026, 11, 3), 3) == D(2026, 10, 29)


def test_days_overdue_counts_from_the_day_after_the_due_date():
    due = dt.date(2026, 3, 16)
    assert periods.days_overdue(due, dt.date(2026, 3, 15)) == 0
    assert periods.days_overdue(due, due) == 0
    assert periods.days_overdue(due, dt.date(2026, 3, 17)) == 1  # the first day of the late fine
    assert periods.days_overdue(due, dt.date(2026, 4, 16)) == 31
