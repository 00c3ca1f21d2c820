"""Period arithmetic (民法典 Arts 200–204 and statutes.md §1.4), as pure functions over a calendar.

Every function takes a *calendar lookup*: any object with ``day(date) -> (kind, name)`` that raises
``clocks.errors.CalendarMissing`` for a year it does not know for certain. ``DictCalendar`` below is the
in-memory one (tests, batch work); ``clocks.calendar.DbCalendar`` loads whole years from the database.
Nothing here queries the database or reads the clock: each function returns the due date and the
Chinese explanation steps that cite the articles applied.

Kinds: ``workday``, ``rest_day``, ``holiday``, ``makeup_workday`` (调休上班日). Working days are
``workday`` and ``makeup_workday``.
"""

from __future__ import annotations

import calendar as _pycal
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _

from .errors import CalendarMissing

WORKDAY = "workday"
REST_DAY = "rest_day"
HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"
WORKING_KINDS = frozenset({WORKDAY, MAKEUP_WORKDAY})

ART_201_1 = "民法典第二百零一条第一款"
ART_201_2 = "民法典第二百零一条第二款"
ART_202 = "民法典第二百零二条"
ART_203_1 = "民法典第二百零三条第一款"
ART_203_2 = "民法典第二百零三条第二款"
BEFORE_RULE = "statutes.md §1.4第4条，可配置默认值（未经核实）"

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

MAX_SPAN_DAYS = 400 * 366  # a loop guard far beyond any statutory period (20 years)


class CalendarLookup(Protocol):
    def day(self, date: dt.date) -> tuple[str, str]: ...


def default_kind(date: dt.date) -> str:
    """The kind of a date when no notice says otherwise (工时规定第七条: Saturday and Sunday rest)."""
    return REST_DAY if date.weekday() >= 5 else WORKDAY


class DictCalendar:
    """A calendar held in memory: ``days`` maps dates to ``(kind, name)``; only ``complete_years`` are known.

    A date of a complete year that is missing from ``days`` takes its default kind (weekday/weekend).
    """

    def __init__(self, days: Mapping[dt.date, tuple[str, str]] | None = None, complete_years: Iterable[int] = ()):
        self.days = dict(days or {})
        self.complete_years = set(complete_years)

    def day(self, date: dt.date) -> tuple[str, str]:
        if date.year not in self.complete_years:
            raise CalendarMissing(date.year)
        return self.days.get(date) or (default_kind(date), "")


def is_working(calendar: CalendarLookup, date: dt.date) -> bool:
    return calendar.day(date)[0] in WORKING_KINDS


# --- wording ---------------------------------------------------------------------------------
def iso(date) -> str:
    return date.isoformat() if isinstance(date, dt.date) and not isinstance(date, dt.datetime) \
        else date.strftime("%Y-%m-%d %H:%M")


def describe_day(calendar: CalendarLookup, date: dt.date) -> str:
    """"法定节假日（国庆节）", "休息日（星期六）", "调休上班日（国庆节）", "工作日（星期三）"."""
    kind, name = calendar.day(date)
    weekday = WEEKDAYS[date.weekday()]
    if kind == HOLIDAY:
        return _("法定节假日（{name}）").format(name=name or weekday)
    if kind == REST_DAY:
        return _("休息日（{name}）").format(name=name or weekday)
    if kind == MAKEUP_WORKDAY:
        return _("调休上班日（{weekday}{name}）").format(
            weekday=weekday, name=_("，{n}").format(n=name) if name else "")
    return _("工作日（{weekday}）").format(weekday=weekday)


def _short_day(calendar: CalendarLookup, date: dt.date) -> str:
    kind, name = calendar.day(date)
    weekday = WEEKDAYS[date.weekday()]
    if kind == MAKEUP_WORKDAY:
        return _("{weekday}，调休上班日{name}").format(weekday=weekday, name=_("：{n}").format(n=name) if name else "")
    return weekday


def _describe_run(calendar: CalendarLookup, run: list[dt.date]) -> str:
    names, plain_rest = [], False
    for date in run:
        kind, name = calendar.day(date)
        if kind == HOLIDAY and name and name not in names:
            names.append(name)
        elif kind == REST_DAY or (kind == HOLIDAY and not name):
            plain_rest = True
    parts = []
    if names:
        parts.append(_("法定节假日（{names}）").format(names="、".join(names)))
    if plain_rest:
        parts.append(_("休息日"))
    what = _("及").join(parts) or _("非工作日")
    if len(run) == 1:
        return _("{d}为{what}，不计入").format(d=iso(run[0]), what=what)
    return _("{a}至{b}为{what}，不计入").format(a=iso(run[0]), b=iso(run[-1]), what=what)


@dataclass
class Computation:
    due: dt.date | dt.datetime
    steps: list[str] = field(default_factory=list)
    last_day: dt.date | None = None  # the last day before the rest-day rollover
    rolled: bool = False

    @property
    def due_date(self) -> dt.date:
        return self.due.date() if isinstance(self.due, dt.datetime) else self.due


# --- primitives ------------------------------------------------------------------------------
def add_working_days(calendar: CalendarLookup, start: dt.date, n: int, *, steps: list[str] | None = None,
                     list_days: bool = True) -> dt.date:
    """The n-th working day after ``start`` (start excluded). Rest days and holidays are skipped."""
    steps = steps if steps is not None else []
    date, counted, run, guard = start, 0, [], 0
    while counted < n:
        date += dt.timedelta(days=1)
        guard += 1
        if guard > MAX_SPAN_DAYS:  # pragma: no cover - a calendar without working days
            raise CalendarMissing(date.year)
        if is_working(calendar, date):
            if run:
                steps.append(_describe_run(calendar, run))
                run = []
            counted += 1
            if list_days:
                steps.append(_("第{k}个工作日：{d}（{what}）").format(
                    k=counted, d=iso(date), what=_short_day(calendar, date)))
        else:
            run.append(date)
    return date


def count_working_days(calendar: CalendarLookup, first: dt.date, last: dt.date) -> int:
    """Working days in the closed range [first, last] (0 when last < first)."""
    n, date = 0, first
    while date <= last:
        n += is_working(calendar, date)
        date += dt.timedelta(days=1)
    return n


def days_overdue(due: dt.date, on: dt.date) -> int:
    """Natural days past a deadline on ``on``: counted from the day after ``due`` (民法典 201) through ``on``
    inclusive; 0 on or before the due date. Used for per-day accruals such as the late fine (处罚法 72(1))."""
    return max(0, (on - due).days)


def previous_working_day(calendar: CalendarLookup, date: dt.date) -> dt.date:
    date -= dt.timedelta(days=1)
    while not is_working(calendar, date):
        date -= dt.timedelta(days=1)
    return date


def rollover(calendar: CalendarLookup, last_day: dt.date, steps: list[str]) -> tuple[dt.date, bool]:
    """民法典第二百零三条: a last day that is a rest day moves to the day after the rest ends."""
    if is_working(calendar, last_day):
        steps.append(_("期间最后一日{d}为{what}，无需顺延").format(
            d=iso(last_day), what=describe_day(calendar, last_day)))
        return last_day, False
    date = last_day + dt.timedelta(days=1)
    while not is_working(calendar, date):
        date += dt.timedelta(days=1)
    steps.append(_("期间最后一日{d}为{what}，以法定休假日结束的次日{e}为期间最后一日（{art}）").format(
        d=iso(last_day), what=describe_day(calendar, last_day), e=iso(date), art=ART_203_1))
    return date, True


def add_months(start: dt.date, months: int) -> tuple[dt.date, bool]:
    """民法典第二百零二条: the corresponding day of the final month, or its last day. Returns (date, clipped)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = _pycal.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last)), start.day > last


# --- the computations --------------------------------------------------------------------------
def working_day_period(calendar: CalendarLookup, start: dt.date, n: int, *, extra: int = 0,
                       steps: list[str] | None = None) -> Computation:
    """§1.4 rule 1: count forward from start+1 over working days; the n-th counted date is due."""
    steps = [] if steps is None else steps
    total = n + extra
    if total == 0:
        steps.append(_("期限为即时：当日{d}").format(d=iso(start)))
        return Computation(due=start, steps=steps, last_day=start)
    steps.append(_("起算日{d}不计入，自下一日开始计算（{art}）").format(d=iso(start), art=ART_201_1))
    due = add_working_days(calendar, start, total, steps=steps, list_days=total <= 60)
    if total > 60:
        steps.append(_("第{k}个工作日：{d}").format(k=total, d=iso(due)))
    steps.append(_("按工作日计算的期间不会止于休息日，无需顺延"))
    return Computation(due=due, steps=steps, last_day=due)


def natural_day_period(calendar: CalendarLookup, start: dt.date, n: int, *, extra: int = 0,
                       steps: list[str] | None = None) -> Computation:
    """§1.4 rule 2: due = start + n natural days, then the rest-day rollover."""
    steps = [] if steps is None else steps
    total = n + extra
    if total == 0:
        steps.append(_("期限为即时：当日{d}").format(d=iso(start)))
        return Computation(due=start, steps=steps, last_day=start)
    steps.append(_("起算日{d}不计入，自下一日开始计算（{art}）").format(d=iso(start), art=ART_201_1))
    last = start + dt.timedelta(days=total)
    steps.append(_("自{a}起第{n}日为{b}").format(a=iso(start + dt.timedelta(days=1)), n=total, b=iso(last)))
    due, rolled = rollover(calendar, last, steps)
    return Computation(due=due, steps=steps, last_day=last, rolled=rolled)


def month_period(calendar: CalendarLookup, start: dt.date, months: int, *, extra_days: int = 0,
                 steps: list[str] | None = None, unit_label: str | None = None) -> Computation:
    """§1.4 rule 3: the corresponding day of the final month (or its last day), then the rollover."""
    steps = [] if steps is None else steps
    steps.append(_("起算日{d}不计入，自下一日开始计算（{art}）").format(d=iso(start), art=ART_201_1))
    last, clipped = add_months(start, months)
    label = unit_label or _("{n}个月").format(n=months)
    if clipped:
        steps.append(_("{d}加{label}：到期月没有对应日，以月末日{e}为期间最后一日（{art}）").format(
            d=iso(start), label=label, e=iso(last), art=ART_202))
    else:
        steps.append(_("{d}加{label}：到期月的对应日{e}为期间最后一日（{art}）").format(
            d=iso(start), label=label, e=iso(last), art=ART_202))
    if extra_days:
        last += dt.timedelta(days=extra_days)
        steps.append(_("加上不计入期间的{n}日，期间最后一日为{e}").format(n=extra_days, e=iso(last)))
    due, rolled = rollover(calendar, last, steps)
    return Computation(due=due, steps=steps, last_day=last, rolled=rolled)


def before_event(calendar: CalendarLookup, event: dt.date, n: int, unit: str,
                 steps: list[str] | None = None) -> Computation:
    """§1.4 rule 4: at least n counted days strictly between the act and the event; the latest date."""
    steps = [] if steps is None else steps
    label = _("个工作日") if unit == "wd" else _("日")
    steps.append(_("事件日{e}；须在其{n}{label}前完成，完成之日与事件日均不计入，两日之间至少相隔{n}{label}（{rule}）")
                 .format(e=iso(event), n=n, label=label, rule=BEFORE_RULE))
    if unit == "wd":
        date, counted = event, 0
        while counted < n:
            date -= dt.timedelta(days=1)
            if is_working(calendar, date):
                counted += 1
                steps.append(_("倒数第{k}个工作日：{d}（{what}）").format(
                    k=counted, d=iso(date), what=_short_day(calendar, date)))
        latest = date - dt.timedelta(days=1)
    else:
        latest = event - dt.timedelta(days=n + 1)
        steps.append(_("{a}至{b}共{n}日").format(a=iso(latest + dt.timedelta(days=1)),
                                               b=iso(event - dt.timedelta(days=1)), n=n))
    steps.append(_("最迟应于{d}完成（{d}与{e}之间有{n}{label}）").format(d=iso(latest), e=iso(event), n=n, label=label))
    if not is_working(calendar, latest):
        previous = previous_working_day(calendar, latest)
        steps.append(_("提示：{d}为{what}；如须在工作日办理，最迟为{p}").format(
            d=iso(latest), what=describe_day(calendar, latest), p=iso(previous)))
    return Computation(due=latest, steps=steps, last_day=latest)


def hour_period(start: dt.datetime, hours: int, steps: list[str] | None = None) -> Computation:
    """民法典第二百零一条第二款: an hour period runs from the stated moment."""
    steps = [] if steps is None else steps
    due = start + dt.timedelta(hours=hours)
    steps.append(_("按小时计算期间，自{a}起算（{art}）").format(a=iso(start), art=ART_201_2))
    steps.append(_("{n}小时后为{b}").format(n=hours, b=iso(due)))
    return Computation(due=due, steps=steps)


def fixed_date(start: dt.date, month_day: str, steps: list[str] | None = None) -> Computation:
    """An annual calendar deadline ("每年1月31日前"): the first such date after ``start``."""
    steps = [] if steps is None else steps
    month, day = (int(x) for x in month_day.split("-"))
    due = dt.date(start.year, month, day)
    if due <= start:
        due = dt.date(start.year + 1, month, day)
    steps.append(_("每年{m}月{d}日前完成：{s}之后最近的截止日为{due}（固定日期，不适用顺延）").format(
        m=month, d=day, s=iso(start), due=iso(due)))
    return Computation(due=due, steps=steps, last_day=due)


def compute(*, calendar: CalendarLookup, start, length: int, unit: str, direction: str = "forward",
            extension: int = 0, paused: int = 0, month_day: str = "") -> Computation:
    """Dispatch on the unit. ``extension`` is in the rule's unit; ``paused`` counts skipped counted days
    (working days for ``wd``, natural days otherwise) added per §1.4 rule 5."""
    if unit == "h":
        if not isinstance(start, dt.datetime):
            start = dt.datetime.combine(start, dt.time())
        return hour_period(start, length + extension)
    if isinstance(start, dt.datetime):
        start = start.date()
    if unit == "fixed":
        return fixed_date(start, month_day)
    if direction == "before":
        return before_event(calendar, start, length, unit)
    if unit == "wd":
        return working_day_period(calendar, start, length, extra=extension + paused)
    if unit == "d":
        return natural_day_period(calendar, start, length, extra=extension + paused)
    if unit in ("m", "y"):
        months = (length + extension) * (12 if unit == "y" else 1)
        label = _("{n}年").format(n=length + extension) if unit == "y" else None
        return month_period(calendar, start, months, extra_days=paused, unit_label=label)
    raise ValueError(f"unknown unit {unit!r}")


def paused_counted_days(calendar: CalendarLookup, *, start: dt.date, paused_since: dt.date, resumed: dt.date,
                        unit: str) -> int:
    """§1.4 rule 5: counted days inside [paused_since, resumed) (days after the start day only)."""
    first = max(paused_since, start + dt.timedelta(days=1))
    last = resumed - dt.timedelta(days=1)
    if last < first:
        return 0
    if unit == "wd":
        return count_working_days(calendar, first, last)
    return (last - first).days + 1


def reminder_date(calendar: CalendarLookup, due: dt.date, working_days: int) -> dt.date:
    """The date ``working_days`` working days before ``due`` (due itself excluded)."""
    date = due
    for _i in range(working_days):
        date = previous_working_day(calendar, date)
    return date
