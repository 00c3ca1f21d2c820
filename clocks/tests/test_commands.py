"""Management commands: deadline, scheduler, calendar_seed."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clocks import services
from clocks.models import ClockEvent

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def test_deadline_prints_the_date_first():
    lines = run("deadline", "ogi.request.reply", "2026-09-30")
    assert lines[0] == "2026-11-03"
    assert "起算日2026-09-30不计入，自下一日开始计算（民法典第二百零一条第一款）" in lines
    assert "第1个工作日：2026-10-08（星期四）" in lines


def test_deadline_hours_and_before_event():
    assert run("deadline", "penalty.coercion.emergency_report", "2026-10-01T09:30")[0] == "2026-10-02T09:30"
    assert run("deadline", "penalty.hearing.notice", "2026-10-12")[0] == "2026-09-23"


def test_deadline_list():
    lines = run("deadline", "--list")
    assert len(lines) == len(services.registry.all_rules())
    assert any(line.startswith("penalty.decision\tclock\t90日\t") for line in lines)


@pytest.mark.parametrize("args,message", [
    (("no.such.rule", "2026-10-01"), "未知的期限规则代码"),
    (("ogi.request.reply", "2026-12-20"), "2027年的工作日历尚未录入"),
    (("ogi.request.reply", "2026-02-30"), "起算日"),
    (("penalty.guard.power", "2026-10-01"), "不是期限规则"),
    (("ogi.request.reply",), "请给出规则代码和起算日"),
])
def test_deadline_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("deadline", *args)


def test_deadline_exit_code_and_stderr():
    import subprocess
    import sys

    from django.conf import settings

    proc = subprocess.run([sys.executable, "manage.py", "deadline", "no.such.rule", "2026-10-01"],
                          capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert proc.returncode != 0
    assert "未知的期限规则代码" in proc.stderr and proc.stdout == ""


def test_scheduler_once_enqueues_the_scan(record, leader):
    services.clock_start(obj=record, rule_code="penalty.decision", actor=leader, start_date=dt.date(2026, 7, 5))
    lines = run("scheduler", "--once")
    assert any(line.startswith("clocks.scan:") and "SUCCESSFUL" in line for line in lines)
    assert ClockEvent.objects.filter(kind="overdue").count() == 1


def test_calendar_seed_command():
    assert run("calendar_seed") == ["没有需要导入的年份。"]
