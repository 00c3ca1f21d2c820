"""Journeys of the statutory clocks: the deadline calculator across the National Day week, the working-day
calendar, and a system administrator entering next year's calendar (fictional dates, test data only)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from access.roles import Role
from e2e.helpers import PASSWORD, deadline_lines, seed_calendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Clearly fictional: NOT a State Council notice. Used only inside this test database.
FICTIONAL_NOTICE = "测试通知〔2027〕0号（虚构）"
HOLIDAY = re.compile(r"\bcal-day cal-holiday\b")
MAKEUP = re.compile(r"\bcal-day cal-makeup_workday\b")
WORKDAY = re.compile(r"\bcal-day cal-workday\b")


@pytest.fixture
def calendar(db):
    seed_calendar((2025, 2026))


def _calculate(page, live_server, code: str, start: str) -> None:
    page.goto(f"{live_server.url}/clocks/calculator/")
    page.select_option("#id_rule", code)
    page.fill("#id_start", start)
    page.click("[data-testid=compute]")


def test_calculator_across_national_day_matches_the_command(page, live_server, login, make_user, calendar):
    make_user(Role.LEGAL_REVIEWER, username="reviewer1")
    expected = deadline_lines("penalty.hearing.request", "2026-09-30")
    login(page, "reviewer1", PASSWORD)
    _calculate(page, live_server, "penalty.hearing.request", "2026-09-30")

    result = page.get_by_test_id("calc-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("penalty.hearing.request")
    expect(page.get_by_test_id("due")).to_have_text(expected[0])
    # The National Day week is skipped: the due date is after the holidays, not five days after 30 Sept.
    assert expected[0] > "2026-10-07"
    steps = page.get_by_test_id("explanation").locator("li")
    expect(steps).to_have_text(expected[1:])
    expect(page.get_by_test_id("explanation")).to_contain_text("《行政处罚法》第六十四条")
    expect(page.get_by_test_id("explanation")).to_contain_text("国庆节")
    # The form keeps what was asked.
    expect(page.locator("#id_rule")).to_have_value("penalty.hearing.request")
    expect(page.locator("#id_start")).to_have_value("2026-09-30")
    assert page.js_errors == []


def test_calendar_shows_october_2026_with_national_day(page, live_server, login, make_user, calendar):
    make_user(Role.DISPATCHER, username="centre1")
    login(page, "centre1", PASSWORD)
    page.goto(f"{live_server.url}/clocks/calendar/?year=2026")
    expect(page.locator("h1")).to_have_text("工作日历")
    expect(page.get_by_test_id("year-state")).to_contain_text("2026年日历已确认完整")
    october = page.locator(".cal-month", has=page.locator(".card-header", has_text="10月"))
    expect(october).to_have_count(1)
    expect(october.locator("span.cal-holiday")).to_have_count(7)
    for day in range(1, 8):
        expect(october.locator(f"span[title='2026-10-{day:02d} 国庆节']")).to_have_class(HOLIDAY)
    expect(october.locator("span[title='2026-10-10 国庆节']")).to_have_class(MAKEUP)
    expect(october.locator("span[title='2026-10-08 ']")).to_have_class(WORKDAY)
    expect(page.get_by_test_id("holiday-list")).to_contain_text("国庆节：10月1日至10月7日（7天）")
    expect(page.get_by_test_id("makeup-list")).to_contain_text("10月10日（星期六） · 国庆节")
    # Business users read the calendar; only the system administrator edits it.
    expect(page.get_by_test_id("calendar-admin")).to_have_count(0)
    assert page.js_errors == []


def test_sysadmin_enters_2027_calendar_and_marks_it_complete(page, live_server, login, make_user, calendar):
    from clocks.models import CalendarYear

    make_user(Role.SYSADMIN, username="sysadmin1")
    login(page, "sysadmin1", PASSWORD)

    # Before: 2027 is unknown, and a deadline running into it is not guessed.
    _calculate(page, live_server, "penalty.hearing.request", "2027-02-26")
    expect(page.get_by_test_id("calc-error")).to_contain_text("2027")
    expect(page.get_by_test_id("calc-result")).to_have_count(0)

    page.goto(f"{live_server.url}/clocks/calendar/?year=2027")
    expect(page.get_by_test_id("year-state")).to_contain_text("2027年日历尚未录入")
    page.click("[data-testid=edit-year]")
    expect(page.locator("h1")).to_have_text("录入2027年节假日安排")
    # Fictional arrangement: one three-day holiday and one make-up Saturday.
    page.fill("#id_h-0-name", "测试假期甲")
    page.fill("#id_h-0-first", "2027-03-01")
    page.fill("#id_h-0-last", "2027-03-03")
    page.fill("#id_m-0-date", "2027-02-27")
    page.fill("#id_m-0-name", "测试假期甲")
    page.fill("#id_notice_ref", FICTIONAL_NOTICE)
    page.fill("#id_reason", "端到端测试：虚构的2027年安排")
    page.click("[data-testid=save]")
    expect(page.locator(".fazhi-messages .alert-success")).to_contain_text("2027年工作日历已保存。")
    expect(page.get_by_test_id("year-state")).to_contain_text("2027年日历已录入但尚未确认完整")
    expect(page.get_by_test_id("holiday-list")).to_contain_text("测试假期甲：3月1日至3月3日（3天）")
    expect(page.get_by_test_id("makeup-list")).to_contain_text("2月27日（星期六） · 测试假期甲")
    march = page.locator(".cal-month", has=page.locator(".card-header", has_text="3月"))
    expect(march.locator("span[title='2027-03-02 测试假期甲']")).to_have_class(HOLIDAY)

    # Mark the year complete.
    page.fill("[data-testid=mark-form] input[name=reason]", "已核对（测试数据）")
    page.click("[data-testid=mark-complete]")
    expect(page.locator(".fazhi-messages .alert-success")).to_contain_text("2027年日历状态已更新。")
    expect(page.get_by_test_id("year-state")).to_contain_text("2027年日历已确认完整")
    expect(page.get_by_test_id("year-state")).to_contain_text(FICTIONAL_NOTICE)
    assert CalendarYear.objects.get(year=2027).complete

    # After: the calculator uses the entered days (make-up Saturday counted, the holiday skipped).
    expected = deadline_lines("penalty.hearing.request", "2027-02-26")
    _calculate(page, live_server, "penalty.hearing.request", "2027-02-26")
    expect(page.get_by_test_id("due")).to_have_text(expected[0])
    expect(page.get_by_test_id("explanation").locator("li")).to_have_text(expected[1:])
    assert expected[0] == "2027-03-09", expected
    assert page.js_errors == []
