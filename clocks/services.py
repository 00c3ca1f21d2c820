"""The one write path of the clocks app: clocks, the calendar, town overrides and the reminder scan.

Every function is keyword-only, atomic and audited. Modules start and stop clocks through
``core.procedure`` (``clock_start(obj=, rule_code=, actor=, start_date=)`` and
``clock_stop_for(obj=, rule_code=, actor=, on_date=)``) or call these functions from their services.
A due date is never guessed: when the calendar of a needed year is missing the clock is kept with
status ``calendar_missing`` and no due date, and every calendar change recomputes open clocks.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from core.errors import ConflictError, DomainError

from . import periods, registry
from .calendar import DbCalendar, year_dates
from .errors import CalendarImportError, CalendarMissing, NoLength
from .models import (
    OPEN_STATUSES,
    CalendarDay,
    CalendarSource,
    CalendarYear,
    Clock,
    ClockEvent,
    ClockStatus,
    DayKind,
    RuleOverride,
)

logger = logging.getLogger("fazhi.clocks")

CLOCK_FIELDS = ["rule_code", "start_date", "due_date", "due_at", "status", "length", "paused_since", "paused_days",
                "extensions_used", "extended_by", "missing_year", "met_at"]
MAX_LENGTH = 3650


def today() -> dt.date:
    return timezone.localdate()


# --- helpers -----------------------------------------------------------------------------------
def town_of(obj):
    """The town of a record, through its ``scope_town`` path (``""`` when the record is the town)."""
    path = getattr(type(obj), "scope_town", None)
    if path is None:
        return None
    if path == "":
        return obj
    target = obj
    for part in path.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def _override_length(town_id, code: str) -> int | None:
    return RuleOverride.objects.filter(town_id=town_id, code=code).values_list("length", flat=True).first()


def effective_length(rule, *, town_id=None, matter_length=None,
                     overrides: dict | None = None) -> tuple[int | None, str]:
    """(length, source) where source is "matter", "override" or "statute"."""
    if matter_length is not None:
        return matter_length, "matter"
    if rule.configurable and town_id is not None:
        value = overrides.get((town_id, rule.code)) if overrides is not None else _override_length(town_id, rule.code)
        if value is not None:
            return value, "override"
    return rule.length, "statute"


def compute_rule(rule, *, start, calendar, length=None, length_source="statute", extension=0, paused=0,
                 extension_note="", paused_note="") -> periods.Computation:
    """A rule's due date from ``start`` with the explanation, headed by the rule and its basis."""
    if not rule.is_clock:
        from .errors import NotAClock

        raise NotAClock(rule.code, rule.title)
    length = rule.length if length is None else length
    if length is None and rule.unit != "fixed":
        raise NoLength(rule.code, rule.title)
    head = [_("规则：{title}（{code}）").format(title=rule.title, code=rule.code)]
    if rule.citation:
        head.append(_("依据：{citation}{quote}").format(
            citation=rule.citation, quote=_("：“{q}”").format(q=rule.quote) if rule.quote else ""))
    text = rule.length_text(length)
    if length_source == "override":
        head.append(_("期限：{x}（本镇街调整的默认值；登记的默认值为{d}）").format(
            x=text, d=rule.length_text() or _("未设定")))
    elif length_source == "matter":
        head.append(_("期限：{x}（本事项依法另有规定）").format(x=text))
    elif text:
        head.append(_("期限：{x}").format(x=text))
    if not rule.verified:
        head.append(_("注意：本规则为可配置默认值（未经核实）"))
    counting = registry.find(rule.counting) if rule.counting else None
    if rule.unit == "wd":
        if counting is None or counting.code == "period.wd.explicit":
            head.append(_("计算方式：按工作日计算，不含法定节假日（条文明定为“个工作日”）"))
        else:
            head.append(_("计算方式：按工作日计算，不含法定节假日（{citation}）").format(citation=counting.citation))
    elif rule.unit == "d" and counting is not None:
        head.append(_("计算方式：按自然日计算（{citation}）").format(citation=counting.citation))
    if extension:
        head.append(extension_note or _("延长：{n}").format(n=extension))
    if paused:
        head.append(paused_note or _("暂停期间不计入：{n}").format(n=paused))
    result = periods.compute(calendar=calendar, start=start, length=length or 0, unit=rule.unit,
                             direction=rule.direction, extension=extension, paused=paused,
                             month_day=rule.fixed_date)
    due = result.due
    if rule.unit == "h":
        tail = [_("届满时刻：{d}").format(d=periods.iso(due))]
    elif rule.direction == "before":
        tail = []
    elif rule.bound == "min":
        tail = [_("最早届满日：{d}（期间届满前不得结束或采取后续行动）").format(d=periods.iso(due))]
    else:
        tail = [_("届满日：{d}（当日二十四时截止，{art}）").format(d=periods.iso(due), art=periods.ART_203_2)]
    result.steps = head + result.steps + tail
    return result


def _unit_text(rule, n: int) -> str:
    return f"{n}{rule.unit_label}"


def _compute_clock(clock: Clock, calendar, *, overrides=None) -> periods.Computation:
    rule = registry.get_clock_rule(clock.rule_code)
    length, source = effective_length(rule, town_id=clock.town_id, matter_length=clock.matter_length,
                                      overrides=overrides)
    clock.length = length
    extension_note = paused_note = ""
    if clock.extended_by:
        approver = clock.extension_approver.display_name if clock.extension_approver_id else ""
        extension_note = _("延长：{x}（经{who}批准；理由：{why}）").format(
            x=_unit_text(rule, clock.extended_by), who=approver or _("负责人"), why=clock.extension_reason or "—")
    if clock.paused_days:
        paused_note = _("暂停期间不计入的{x}，期限相应顺延（statutes.md §1.4第5条）").format(
            x=_unit_text(rule, clock.paused_days) if rule.unit == "wd" else _("{n}日").format(n=clock.paused_days))
    start = clock.start_at if rule.unit == "h" and clock.start_at else clock.start_date
    result = compute_rule(rule, start=start, calendar=calendar, length=length, length_source=source,
                          extension=clock.extended_by, paused=clock.paused_days,
                          extension_note=extension_note, paused_note=paused_note)
    if clock.restarted_from:
        result.steps.insert(1, _("重新起算：原起算日{a}，自{b}重新计算（statutes.md §1.4第6条）").format(
            a=clock.restarted_from.isoformat(), b=clock.start_date.isoformat()))
    return result


def _apply(clock: Clock, calendar, *, overrides=None) -> None:
    """Recompute the due date in place; a missing calendar flags the clock instead of guessing."""
    try:
        result = _compute_clock(clock, calendar, overrides=overrides)
    except CalendarMissing as exc:
        clock.due_date = None
        clock.due_at = None
        clock.missing_year = exc.year
        clock.steps = [str(exc)]
        if clock.status in OPEN_STATUSES:
            clock.status = ClockStatus.CALENDAR_MISSING
        return
    if isinstance(result.due, dt.datetime):
        clock.due_at = result.due
        clock.due_date = timezone.localtime(result.due).date() if timezone.is_aware(result.due) else result.due.date()
    else:
        clock.due_at = None
        clock.due_date = result.due
    clock.steps = result.steps
    clock.missing_year = None
    if clock.status == ClockStatus.CALENDAR_MISSING:
        clock.status = ClockStatus.PAUSED if clock.paused_since else ClockStatus.RUNNING
    elif clock.status == ClockStatus.OVERDUE and not _is_past_due(clock, today()):
        clock.status = ClockStatus.RUNNING


def _is_past_due(clock: Clock, on: dt.date) -> bool:
    if clock.due_at is not None:
        return timezone.now() > clock.due_at
    return clock.due_date is not None and on > clock.due_date


def _save(clock: Clock) -> None:
    """Optimistic locking on ``version``: a concurrent change of the same clock → ConflictError."""
    if clock.pk is None:
        clock.save()
        return
    current = clock.version
    values = {f.attname: getattr(clock, f.attname) for f in Clock._meta.concrete_fields
              if f.name not in ("id", "version", "created_at", "town", "content_type", "object_id")}
    values["updated_at"] = timezone.now()
    values["version"] = F("version") + 1
    if Clock.objects.filter(pk=clock.pk, version=current).update(**values) != 1:
        raise ConflictError(_("该期限已被他人修改，请刷新后重试。"))
    clock.version = current + 1


def _event(clock: Clock, kind: str, *, actor=None, on_date=None, detail=None) -> ClockEvent:
    return ClockEvent.objects.create(
        town_id=clock.town_id, clock=clock, kind=kind, on_date=on_date or today(), due_date=clock.due_date,
        actor=actor if getattr(actor, "is_authenticated", False) else None, detail=detail or {})


def _require_open(clock: Clock, action: str) -> None:
    if clock.status not in OPEN_STATUSES:
        raise DomainError(_("期限已{status}，不能{action}。").format(status=clock.get_status_display(), action=action),
                          rule=clock.rule_code, field="status")


def _locked(clock: Clock) -> Clock:
    fresh = Clock.objects.select_for_update(of=("self",)).select_related("extension_approver").get(pk=clock.pk)
    if fresh.version != clock.version:
        raise ConflictError(_("该期限已被他人修改，请刷新后重试。"))
    return fresh


def _object_url(obj) -> str:
    try:
        return str(obj.get_absolute_url())[:300]
    except Exception:  # noqa: BLE001 - a record without a page
        return ""


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# --- clocks ------------------------------------------------------------------------------------
@transaction.atomic
def clock_start(*, obj, rule_code: str, actor, start_date=None, town=None, length: int | None = None,
                start_at: dt.datetime | None = None) -> Clock:
    """Start the clock of ``rule_code`` for ``obj`` (start day = ``start_date`` or today).

    A clock of the same rule already open for the object is restarted from the new date (§1.4 rule 6).
    ``length`` gives this matter's own length where a special law prevails (rules marked per_matter).
    """
    rule = registry.get_clock_rule(rule_code)
    if rule.retired:
        raise DomainError(_("规则{code}已停用。").format(code=rule.code), field="rule_code")
    town = town or town_of(obj)
    if town is None:
        raise DomainError(_("该记录没有所属镇街，不能计算期限。"), field="town")
    if length is not None:
        if not rule.per_matter:
            raise DomainError(_("“{title}”为法定期限，不能按事项调整长度。").format(title=rule.title),
                              rule=rule.code, field="length")
        if not 0 < int(length) <= MAX_LENGTH:
            raise DomainError(_("期限长度须为1至{max}之间的整数。").format(max=MAX_LENGTH), field="length")
    start = _as_date(start_date) or today()
    content_type = ContentType.objects.get_for_model(obj)
    existing = (Clock.objects.select_for_update()
                .filter(town=town, content_type=content_type, object_id=obj.pk, rule_code=rule.code,
                        status__in=OPEN_STATUSES).first())
    if existing is not None:
        return clock_restart(clock=existing, actor=actor, start_date=start,
                             reason=_("同一事项再次启动该期限"), length=length)
    if rule.unit == "h":
        start_at = start_at or (timezone.now() if start == today() else
                                timezone.make_aware(dt.datetime.combine(start, dt.time())))
    clock = Clock(town=town, content_type=content_type, object_id=obj.pk, object_repr=str(obj)[:255],
                  object_url=_object_url(obj), rule_code=rule.code, unit=rule.unit, matter_length=length,
                  start_date=start, start_at=start_at if rule.unit == "h" else None)
    _apply(clock, DbCalendar())
    clock.save()
    _event(clock, ClockEvent.Kind.STARTED, actor=actor, on_date=start,
           detail={"length": clock.length, "unit": rule.unit, "missing_year": clock.missing_year})
    record(action="clocks.clock_start", obj=clock, actor=actor, after=snapshot(clock, CLOCK_FIELDS),
           reason=_("开始计时：{title}").format(title=rule.title))
    return clock


@transaction.atomic
def clock_pause(*, clock: Clock, actor, reason: str, on_date=None) -> Clock:
    """Pause (e.g. third-party consultation): counted days from ``on_date`` until resume are skipped."""
    clock = _locked(clock)
    rule = registry.get_clock_rule(clock.rule_code)
    if not rule.pausable:
        raise DomainError(_("“{title}”依法不能暂停计算。").format(title=rule.title), rule=rule.code)
    if clock.status not in (ClockStatus.RUNNING, ClockStatus.OVERDUE):
        raise DomainError(_("期限当前为“{s}”，不能暂停。").format(s=clock.get_status_display()), rule=rule.code,
                          field="status")
    if not (reason or "").strip():
        raise DomainError(_("暂停须填写原因。"), field="reason")
    on = _as_date(on_date) or today()
    if on < clock.start_date:
        raise DomainError(_("暂停日不能早于起算日{d}。").format(d=clock.start_date.isoformat()), field="on_date")
    before = snapshot(clock, CLOCK_FIELDS)
    clock.status = ClockStatus.PAUSED
    clock.paused_since = on
    clock.pause_reason = reason.strip()[:255]
    _save(clock)
    _event(clock, ClockEvent.Kind.PAUSED, actor=actor, on_date=on, detail={"reason": clock.pause_reason})
    record(action="clocks.clock_pause", obj=clock, actor=actor, before=before,
           after=snapshot(clock, CLOCK_FIELDS), reason=reason)
    return clock


@transaction.atomic
def clock_resume(*, clock: Clock, actor, on_date=None, reason: str = "") -> Clock:
    """Resume a paused clock; the due date moves by the counted days skipped (§1.4 rule 5)."""
    clock = _locked(clock)
    rule = registry.get_clock_rule(clock.rule_code)
    if clock.paused_since is None or clock.status not in (ClockStatus.PAUSED, ClockStatus.CALENDAR_MISSING):
        raise DomainError(_("期限未暂停，不能恢复计时。"), rule=rule.code, field="status")
    on = _as_date(on_date) or today()
    if on < clock.paused_since:
        raise DomainError(_("恢复日不能早于暂停日{d}。").format(d=clock.paused_since.isoformat()), field="on_date")
    calendar = DbCalendar()
    skipped = periods.paused_counted_days(calendar, start=clock.start_date, paused_since=clock.paused_since,
                                          resumed=on, unit="wd" if rule.unit == "wd" else "d")
    before = snapshot(clock, CLOCK_FIELDS)
    paused_since = clock.paused_since
    clock.paused_days += skipped
    clock.paused_since = None
    clock.status = ClockStatus.RUNNING
    _apply(clock, calendar)
    _save(clock)
    _event(clock, ClockEvent.Kind.RESUMED, actor=actor, on_date=on,
           detail={"paused_since": paused_since.isoformat(), "skipped": skipped})
    record(action="clocks.clock_resume", obj=clock, actor=actor, before=before,
           after=snapshot(clock, CLOCK_FIELDS), reason=reason or _("恢复计时，扣除暂停期间{n}天").format(n=skipped))
    return clock


@transaction.atomic
def clock_restart(*, clock: Clock, actor, start_date=None, reason: str = "", length: int | None = None) -> Clock:
    """Count again from zero from a new trigger (e.g. the corrected application); §1.4 rule 6."""
    clock = _locked(clock)
    _require_open(clock, _("重新计算"))
    rule = registry.get_clock_rule(clock.rule_code)
    start = _as_date(start_date) or today()
    before = snapshot(clock, CLOCK_FIELDS)
    before["steps"] = clock.steps
    old_start, old_due = clock.start_date, clock.due_date
    clock.restarted_from = old_start
    clock.start_date = start
    if rule.unit == "h":
        clock.start_at = (timezone.now() if start == today()
                          else timezone.make_aware(dt.datetime.combine(start, dt.time())))
    if length is not None:
        clock.matter_length = length
    clock.paused_days = 0
    clock.paused_since = None
    clock.pause_reason = ""
    clock.extensions_used = 0
    clock.extended_by = 0
    clock.extension_approver = None
    clock.extension_reason = ""
    clock.extension_notice = ""
    clock.status = ClockStatus.RUNNING
    _apply(clock, DbCalendar())
    _save(clock)
    _event(clock, ClockEvent.Kind.RESTARTED, actor=actor, on_date=start,
           detail={"from": old_start.isoformat(), "to": start.isoformat(),
                   "old_due": old_due.isoformat() if old_due else None})
    record(action="clocks.clock_restart", obj=clock, actor=actor, before=before,
           after=snapshot(clock, CLOCK_FIELDS), reason=reason or _("重新起算"))
    return clock


@transaction.atomic
def clock_extend(*, clock: Clock, days_or_length: int, approver, reason: str, actor, notice: str = "") -> Clock:
    """Extend by ``days_or_length`` (in the rule's unit), at most the rule's number of extensions, each
    within its maximum; approver and reason are required (§1.4 rule 7). Recomputed from the original start."""
    from access.scope import can

    clock = _locked(clock)
    _require_open(clock, _("延长"))
    rule = registry.get_clock_rule(clock.rule_code)
    if rule.max_extensions == 0:
        raise DomainError(_("“{title}”依法不得延长。").format(title=rule.title), rule=rule.code)
    if clock.extensions_used >= rule.max_extensions:
        raise DomainError(_("“{title}”最多只能延长{n}次，已延长{m}次。").format(
            title=rule.title, n=rule.max_extensions, m=clock.extensions_used), rule=rule.code)
    try:
        length = int(days_or_length)
    except (TypeError, ValueError):
        raise DomainError(_("延长长度须为正整数。"), field="days_or_length") from None
    if length <= 0 or length > MAX_LENGTH:
        raise DomainError(_("延长长度须为正整数。"), field="days_or_length")
    if rule.extension_length is not None and length > rule.extension_length:
        raise DomainError(_("“{title}”每次延长不得超过{x}。").format(
            title=rule.title, x=_unit_text(rule, rule.extension_length)), rule=rule.code, field="days_or_length")
    if approver is None or not getattr(approver, "is_active", False):
        raise DomainError(_("延长须由负责人批准，请选择批准人。"), field="approver")
    if approver.town_id != clock.town_id or not can(approver, "clocks.approve_extension"):
        raise DomainError(_("批准人须为本镇街有审批权的负责人。"), field="approver")
    if not (reason or "").strip():
        raise DomainError(_("延长须填写理由。"), field="reason")
    before = snapshot(clock, CLOCK_FIELDS)
    clock.extensions_used += 1
    clock.extended_by += length
    clock.extension_approver = approver
    clock.extension_reason = reason.strip()
    clock.extension_notice = (notice or "").strip()[:255]
    _apply(clock, DbCalendar())
    _save(clock)
    _event(clock, ClockEvent.Kind.EXTENDED, actor=actor,
           detail={"length": length, "unit": rule.unit, "approver": approver.pk, "reason": clock.extension_reason,
                   "notice": clock.extension_notice})
    record(action="clocks.clock_extend", obj=clock, actor=actor, before=before,
           after=snapshot(clock, CLOCK_FIELDS + ["extension_approver_id", "extension_notice"]), reason=reason)
    return clock


@transaction.atomic
def clock_stop_for(*, obj, rule_code: str, actor, on_date=None, outcome: str = "met", reason: str = "") -> list[Clock]:
    """Close the open clock(s) of ``rule_code`` for ``obj``: ``met`` (the act was done) or ``stopped``
    (the procedure ended otherwise). No open clock → nothing to do."""
    if outcome not in (ClockStatus.MET, ClockStatus.STOPPED):
        raise ValueError(outcome)
    code = registry.resolve(rule_code)
    content_type = ContentType.objects.get_for_model(obj)
    on = _as_date(on_date) or today()
    closed = []
    for clock in (Clock.objects.select_for_update()
                  .filter(content_type=content_type, object_id=obj.pk, rule_code=code, status__in=OPEN_STATUSES)):
        before = snapshot(clock, CLOCK_FIELDS)
        on_time = clock.due_date is None or on <= clock.due_date
        if clock.due_date is not None and registry.get(code).bound == "min":
            on_time = on >= clock.due_date
        clock.status = outcome
        clock.met_at = on
        _save(clock)
        _event(clock, ClockEvent.Kind.MET if outcome == ClockStatus.MET else ClockEvent.Kind.STOPPED,
               actor=actor, on_date=on, detail={"on_time": on_time, "reason": reason})
        record(action=f"clocks.clock_{outcome}", obj=clock, actor=actor, before=before,
               after=snapshot(clock, CLOCK_FIELDS), reason=reason)
        closed.append(clock)
    return closed


def clock_explain(clock: Clock) -> list[str]:
    """The explanation of the clock's due date, computed now from the calendar (Chinese steps)."""
    try:
        steps = _compute_clock(clock, DbCalendar()).steps
    except CalendarMissing as exc:
        return [str(exc)]
    except DomainError as exc:
        return [str(exc)]
    if clock.paused_since:
        steps.append(_("自{d}起暂停计算（{why}），恢复后届满日将相应顺延").format(
            d=clock.paused_since.isoformat(), why=clock.pause_reason or "—"))
    return steps


# --- recomputation -------------------------------------------------------------------------------
def recompute_open_clocks(*, actor, reason: str, town=None, rule_code: str | None = None) -> int:
    """Recompute every open clock (optionally of one town / rule); audit each clock that changed.

    Called inside the transaction of a calendar or override change. Returns the number changed.
    """
    qs = (Clock.objects.select_for_update(of=("self",)).select_related("extension_approver")
          .filter(status__in=OPEN_STATUSES))
    if town is not None:
        qs = qs.filter(town=town)
    if rule_code:
        qs = qs.filter(rule_code=rule_code)
    calendar = DbCalendar()
    overrides = {(o.town_id, o.code): o.length for o in RuleOverride.objects.all()}
    changed = 0
    for clock in qs.order_by("pk"):
        before = snapshot(clock, CLOCK_FIELDS)
        old_steps = clock.steps
        _apply(clock, calendar, overrides=overrides)
        after = snapshot(clock, CLOCK_FIELDS)
        if before == after and old_steps == clock.steps:
            continue
        _save(clock)
        if before != after:
            changed += 1
            _event(clock, ClockEvent.Kind.RECOMPUTED, actor=actor,
                   detail={"old_due": before.get("due_date"), "new_due": after.get("due_date"),
                           "status": clock.status, "reason": reason})
            diff = sorted(k for k in after if before.get(k) != after.get(k))
            record(action="clocks.clock_recompute", obj=clock, actor=actor,
                   before={k: before.get(k) for k in diff}, after={k: after[k] for k in diff}, reason=reason)
    return changed


# --- calendar ------------------------------------------------------------------------------------
def _validate_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("年份无效。"), field="year") from None
    if not 2000 <= year <= 2100:
        raise DomainError(_("年份须在2000至2100之间。"), field="year")
    return year


def _write_year(*, year: int, special: dict[dt.date, tuple[str, str, str]], source: str) -> list[dict]:
    """Make the rows of ``year`` = default kinds + ``special`` {date: (kind, name, note)}; return the changes."""
    existing = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    creates, updates, changes = [], [], []
    for date in year_dates(year):
        kind, name, note = special.get(date) or (periods.default_kind(date), "", "")
        row = existing.get(date)
        if row is None:
            creates.append(CalendarDay(date=date, kind=kind, name=name, note=note, source=source))
            if date in special:
                changes.append({"date": date.isoformat(), "old": None, "new": kind, "name": name})
        elif (row.kind, row.name, row.note) != (kind, name, note):
            changes.append({"date": date.isoformat(), "old": row.kind, "new": kind, "name": name})
            row.kind, row.name, row.note, row.source = kind, name, note, source
            updates.append(row)
    CalendarDay.objects.bulk_create(creates, batch_size=1000)
    CalendarDay.objects.bulk_update(updates, ["kind", "name", "note", "source"], batch_size=500)
    return changes


@transaction.atomic
def calendar_set_year(*, year, holidays, makeup_days, actor, reason: str, notice_ref: str = "",
                      complete: bool | None = None, source: str = CalendarSource.MANUAL) -> CalendarYear:
    """Enter a year's State Council schedule: ``holidays`` = [(name, first, last)], ``makeup_days`` =
    [(date, name)]. Every other date takes its default kind. Recomputes open clocks when anything changed."""
    year = _validate_year(year)
    if not (reason or "").strip():
        raise DomainError(_("请填写录入依据或理由。"), field="reason")
    special: dict[dt.date, tuple[str, str, str]] = {}
    for name, first, last in holidays:
        name = (name or "").strip()
        if not name:
            raise DomainError(_("每个假期须填写名称。"), field="holidays")
        if first is None or last is None or last < first:
            raise DomainError(_("假期“{name}”的起止日期无效。").format(name=name), field="holidays")
        if first.year != year or last.year != year:
            raise DomainError(_("假期“{name}”的日期须在{year}年内（跨年的元旦假期请在各自年份分别录入）。").format(
                name=name, year=year), field="holidays")
        if (last - first).days > 14:
            raise DomainError(_("假期“{name}”超过15天，请检查日期。").format(name=name), field="holidays")
        date = first
        while date <= last:
            if date in special:
                raise DomainError(_("{d}在多个假期中重复出现。").format(d=date.isoformat()), field="holidays")
            note = _("调休休息") if date.weekday() < 5 else ""
            special[date] = (DayKind.HOLIDAY, name[:64], note)
            date += dt.timedelta(days=1)
    for date, name in makeup_days:
        if date is None or date.year != year:
            raise DomainError(_("调休上班日须在{year}年内。").format(year=year), field="makeup_days")
        if date.weekday() < 5:
            raise DomainError(_("{d}不是星期六或星期日，不能设为调休上班日。").format(d=date.isoformat()),
                              field="makeup_days")
        if date in special:
            raise DomainError(_("{d}既是假期又是调休上班日。").format(d=date.isoformat()), field="makeup_days")
        special[date] = (DayKind.MAKEUP_WORKDAY, (name or "").strip()[:64], _("调休上班"))
    return _store_year(year=year, special=special, actor=actor, reason=reason, notice_ref=notice_ref,
                       complete=complete, source=source, action="clocks.calendar_year_set")


def _store_year(*, year, special, actor, reason, notice_ref, complete, source, action) -> CalendarYear:
    cal_year, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": source, "entered_by": actor if getattr(actor, "pk", None) else None})
    before = {"complete": None if created else cal_year.complete, "source": None if created else cal_year.source}
    changes = _write_year(year=year, special=special, source=source)
    cal_year.source = source
    if getattr(actor, "pk", None):
        cal_year.entered_by = actor
    if notice_ref:
        cal_year.notice_ref = notice_ref[:100]
    if complete is not None:
        cal_year.complete = bool(complete)
    cal_year.save()
    record(action=action, obj=cal_year, actor=actor, before=before,
           after={"complete": cal_year.complete, "source": cal_year.source, "notice_ref": cal_year.notice_ref,
                  "changes": changes[:400], "changed_days": len(changes)},
           reason=reason, object_type="clocks.calendaryear", object_id=str(year), object_repr=str(year))
    if changes or before["complete"] != cal_year.complete:
        recompute_open_clocks(actor=actor, reason=_("{year}年工作日历变更：{reason}").format(year=year, reason=reason))
    return cal_year


@transaction.atomic
def calendar_day_set(*, day: dt.date, kind: str, name: str = "", note: str = "", actor, reason: str) -> CalendarDay:
    """Change one date (e.g. a late notice). The year must already be entered."""
    if kind not in DayKind.values:
        raise DomainError(_("日期类型无效。"), field="kind")
    if not (reason or "").strip():
        raise DomainError(_("请填写调整理由。"), field="reason")
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        raise DomainError(_("{year}年的日历尚未录入，请先录入全年安排。").format(year=day.year), field="day")
    if kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise DomainError(_("{d}不是星期六或星期日，不能设为调休上班日。").format(d=day.isoformat()), field="kind")
    before = snapshot(row, ["kind", "name", "note", "source"])
    row.kind, row.name, row.note, row.source = kind, (name or "").strip()[:64], (note or "").strip()[:200], \
        CalendarSource.MANUAL
    row.save()
    record(action="clocks.calendar_day_set", obj=row, actor=actor, before=before,
           after=snapshot(row, ["kind", "name", "note", "source"]), reason=reason)
    if before["kind"] != row.kind:
        recompute_open_clocks(actor=actor, reason=_("{d}日历调整：{reason}").format(d=day.isoformat(), reason=reason))
    return row


@transaction.atomic
def calendar_year_mark(*, year, complete: bool, actor, reason: str) -> CalendarYear:
    """Mark a year complete (usable for computations) or incomplete."""
    year = _validate_year(year)
    if not (reason or "").strip():
        raise DomainError(_("请填写理由。"), field="reason")
    cal_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if cal_year is None:
        raise DomainError(_("{year}年的日历尚未录入。").format(year=year), field="year")
    days = CalendarDay.objects.filter(date__year=year).count()
    expected = 366 if dt.date(year, 12, 31).timetuple().tm_yday == 366 else 365
    if complete and days != expected:
        raise DomainError(_("{year}年只有{n}天的日历数据，不能标记为完整。").format(year=year, n=days), field="year")
    if complete and not CalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).exists():
        raise DomainError(_("{year}年尚未录入任何法定节假日，不能标记为完整。").format(year=year), field="year")
    before = {"complete": cal_year.complete}
    cal_year.complete = bool(complete)
    if getattr(actor, "pk", None):
        cal_year.entered_by = actor
    cal_year.save()
    record(action="clocks.calendar_year_mark", obj=cal_year, actor=actor, before=before,
           after={"complete": cal_year.complete}, reason=reason, object_type="clocks.calendaryear",
           object_id=str(year), object_repr=str(year))
    if before["complete"] != cal_year.complete:
        recompute_open_clocks(actor=actor, reason=_("{year}年工作日历{what}：{reason}").format(
            year=year, what=_("确认完整") if complete else _("取消完整"), reason=reason))
    return cal_year


KIND_WORDS = {
    "workday": DayKind.WORKDAY, "工作日": DayKind.WORKDAY, "上班": DayKind.WORKDAY,
    "rest_day": DayKind.REST_DAY, "休息日": DayKind.REST_DAY, "休息": DayKind.REST_DAY,
    "holiday": DayKind.HOLIDAY, "法定节假日": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY, "假日": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "makeup_workday": DayKind.MAKEUP_WORKDAY, "调休上班日": DayKind.MAKEUP_WORKDAY, "调休上班": DayKind.MAKEUP_WORKDAY,
    "补班": DayKind.MAKEUP_WORKDAY,
}
IMPORT_HEADERS = ("日期", "类型", "名称", "备注")


def parse_calendar_rows(rows) -> tuple[dict[int, dict], list[tuple[int, str]]]:
    """Rows (row number, date, kind, name, note) → ({year: {date: (kind, name, note)}}, errors)."""
    years: dict[int, dict] = {}
    errors: list[tuple[int, str]] = []
    seen: dict[dt.date, int] = {}
    for number, raw_date, raw_kind, raw_name, raw_note in rows:
        if raw_date in (None, "") and raw_kind in (None, ""):
            continue
        date = None
        if isinstance(raw_date, dt.datetime):
            date = raw_date.date()
        elif isinstance(raw_date, dt.date):
            date = raw_date
        else:
            try:
                date = dt.date.fromisoformat(str(raw_date).strip().replace("/", "-"))
            except ValueError:
                errors.append((number, _("日期“{v}”无法识别，请使用 2027-01-01 格式。").format(v=raw_date)))
                continue
        kind = KIND_WORDS.get(str(raw_kind or "").strip())
        if kind is None:
            errors.append((number, _("类型“{v}”无效，应为：工作日、休息日、法定节假日、调休上班日。").format(
                v=raw_kind)))
            continue
        if not 2000 <= date.year <= 2100:
            errors.append((number, _("年份须在2000至2100之间。")))
            continue
        if date in seen:
            errors.append((number, _("日期{d}与第{n}行重复。").format(d=date.isoformat(), n=seen[date])))
            continue
        if kind == DayKind.WORKDAY and date.weekday() >= 5:
            kind = DayKind.MAKEUP_WORKDAY  # a working Saturday or Sunday is a 调休 make-up day
        if kind == DayKind.MAKEUP_WORKDAY and date.weekday() < 5:
            errors.append((number, _("{d}不是星期六或星期日，不能设为调休上班日。").format(d=date.isoformat())))
            continue
        name = str(raw_name or "").strip()
        if kind == DayKind.HOLIDAY and not name:
            errors.append((number, _("法定节假日须填写名称。")))
            continue
        seen[date] = number
        years.setdefault(date.year, {})[date] = (kind, name[:64], str(raw_note or "").strip()[:200])
    return years, errors


def read_calendar_workbook(file) -> list[tuple]:
    """The rows of the first sheet after the header: (row number, 日期, 类型, 名称, 备注)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload
        raise CalendarImportError([(0, _("文件无法读取，请上传 .xlsx 格式的Excel文件。"))]) from None
    sheet = workbook.worksheets[0]
    rows, header_seen = [], False
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = tuple(values or ()) + (None,) * 4
        if not header_seen:
            if str(values[0] or "").strip() == IMPORT_HEADERS[0]:
                header_seen = True
            continue
        rows.append((number, *values[:4]))
    workbook.close()
    if not header_seen:
        raise CalendarImportError([(1, _("未找到表头：第一列应为“日期”，依次为 日期、类型、名称、备注。"))])
    return rows


@transaction.atomic
def calendar_import(*, file, actor, reason: str, complete: bool = False, notice_ref: str = "") -> list[int]:
    """Import an Excel file of special days (holidays and make-up working days; other dates default).

    Each year found in the file is rebuilt. Any error → ``CalendarImportError`` with every bad row,
    and nothing is written. Returns the years imported."""
    if not (reason or "").strip():
        raise DomainError(_("请填写导入依据或理由。"), field="reason")
    years, errors = parse_calendar_rows(read_calendar_workbook(file))
    if not errors and not years:
        errors = [(0, _("文件中没有任何日期。"))]
    if errors:
        raise CalendarImportError(errors)
    for year, special in sorted(years.items()):
        _store_year(year=year, special=special, actor=actor, reason=reason, notice_ref=notice_ref,
                    complete=complete or None, source=CalendarSource.IMPORT, action="clocks.calendar_import")
    return sorted(years)


@transaction.atomic
def calendar_seed(*, actor, replace: bool = False) -> list[int]:
    """Add the chinesecalendar package's years that are not in the database (audited)."""
    from .calendar import seed_from_package

    years = seed_from_package(CalendarDay, CalendarYear, replace=replace)
    for year in years:
        record(action="clocks.calendar_seed", actor=actor, object_type="clocks.calendaryear", object_id=str(year),
               object_repr=str(year), after={"source": "chinesecalendar", "complete": True},
               reason=_("由 chinesecalendar 数据包导入{year}年日历").format(year=year))
    if years:
        recompute_open_clocks(actor=actor, reason=_("导入chinesecalendar日历：{years}").format(
            years="、".join(str(y) for y in years)))
    return years


# --- overrides -----------------------------------------------------------------------------------
@transaction.atomic
def rule_override_set(*, town, code: str, length, note: str, actor) -> RuleOverride:
    rule = registry.get_clock_rule(code)
    if not rule.configurable:
        raise DomainError(_("“{title}”为已核对的法定期限，镇街不能调整。").format(title=rule.title), rule=rule.code)
    try:
        length = int(length)
    except (TypeError, ValueError):
        raise DomainError(_("期限长度须为正整数。"), field="length") from None
    if not 0 < length <= MAX_LENGTH:
        raise DomainError(_("期限长度须为1至{max}之间的整数。").format(max=MAX_LENGTH), field="length")
    if not (note or "").strip():
        raise DomainError(_("请说明调整依据。"), field="note")
    override = RuleOverride.objects.select_for_update().filter(town=town, code=rule.code).first()
    before = snapshot(override, ["length", "note"]) if override else None
    if override is None:
        override = RuleOverride(town=town, code=rule.code)
    override.length, override.note = length, note.strip()
    override.updated_by = actor if getattr(actor, "pk", None) else None
    override.save()
    record(action="clocks.rule_override_set", obj=override, actor=actor, before=before,
           after=snapshot(override, ["length", "note"]), reason=note)
    recompute_open_clocks(actor=actor, town=town, rule_code=rule.code,
                          reason=_("调整{code}默认期限为{x}").format(code=rule.code, x=rule.length_text(length)))
    return override


@transaction.atomic
def rule_override_clear(*, town, code: str, actor, reason: str) -> None:
    rule = registry.get(code)
    override = RuleOverride.objects.select_for_update().filter(town=town, code=rule.code).first()
    if override is None:
        return
    before = snapshot(override, ["length", "note"])
    record(action="clocks.rule_override_clear", obj=override, actor=actor, before=before, after=None,
           reason=reason or _("恢复登记的默认值"))
    override.delete()
    recompute_open_clocks(actor=actor, town=town, rule_code=rule.code,
                          reason=_("恢复{code}登记的默认期限").format(code=rule.code))


# --- reminders -----------------------------------------------------------------------------------
REMINDER_ROLES = ("leader", "dispatcher")


def recipients_for(clock: Clock) -> list:
    """Users of the clock's town holding the leader or dispatcher roles, plus ``obj.clock_recipients()``."""
    from django.contrib.auth import get_user_model

    users = {u.pk: u for u in get_user_model().objects.filter(
        town_id=clock.town_id, is_active=True, grants__role__in=REMINDER_ROLES).distinct()}
    obj = None
    try:
        obj = clock.obj
    except Exception:  # noqa: BLE001 - the record was deleted
        obj = None
    extra = getattr(obj, "clock_recipients", None)
    if callable(extra):
        for user in extra() or ():
            if user is not None and getattr(user, "is_active", False):
                users.setdefault(user.pk, user)
    return list(users.values())


def _notify_crossing(clock: Clock, kind: str, *, days_left: int | None) -> int:
    from notify.models import Notification
    from notify.services import notify

    rule = clock.rule
    title_rule = rule.title if rule else clock.rule_code
    due = clock.due_date.isoformat() if clock.due_date else ""
    if kind == ClockEvent.Kind.OVERDUE:
        title = _("期限已逾期：{rule}").format(rule=title_rule)
        body = _("{obj}：期限已于{due}届满，至今未完成。").format(obj=clock.object_repr, due=due)
        level = Notification.Level.DANGER
    else:
        title = _("期限即将届满：{rule}").format(rule=title_rule)
        body = _("{obj}：应于{due}前完成（还有{n}天）。").format(obj=clock.object_repr, due=due, n=days_left)
        level = Notification.Level.WARNING
    url = clock.object_url
    if not url:
        from django.urls import reverse

        url = reverse("clocks:clock_detail", kwargs={"pk": clock.pk})
    sent = 0
    for user in recipients_for(clock):
        note = notify(recipient=user, title=title, body=body, url=url, level=level, town=clock.town,
                      key=f"clock:{clock.pk}:{kind}:{due}", sms=getattr(settings, "FAZHI_REMINDER_SMS", True))
        sent += note is not None
    return sent


def _notify_calendar_missing(clock: Clock) -> int:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notify.models import Notification
    from notify.services import notify

    year = clock.missing_year
    admins = get_user_model().objects.filter(town_id=clock.town_id, is_active=True, grants__role="sysadmin").distinct()
    sent = 0
    for user in admins:
        note = notify(recipient=user, title=_("请录入{year}年工作日历").format(year=year),
                      body=_("有期限因缺少{year}年日历无法计算届满日。").format(year=year),
                      url=reverse("clocks:calendar") + f"?year={year}", level=Notification.Level.WARNING,
                      town=clock.town, key=f"calendar_missing:{year}")
        sent += note is not None
    return sent


def scan_clocks(*, on_date=None, reminder_working_days: int | None = None) -> dict:
    """Write each due-soon / overdue crossing once (ClockEvent) and notify the people responsible.

    Idempotent: running it twice a day writes nothing new. Each clock is handled in its own transaction.
    """
    on = _as_date(on_date) or today()
    window = settings.FAZHI_REMINDER_WORKING_DAYS if reminder_working_days is None else reminder_working_days
    calendar = DbCalendar()
    stats = {"due_soon": 0, "overdue": 0, "notified": 0, "calendar_missing": 0, "errors": 0}
    missing_years_seen = set()
    scanned = (ClockStatus.RUNNING, ClockStatus.OVERDUE, ClockStatus.CALENDAR_MISSING)
    candidates = list(Clock.objects.filter(status__in=scanned).select_related("town").order_by("due_date", "pk"))
    # Crossings already written (one query): an overdue clock seen again costs nothing.
    written = set(ClockEvent.objects.filter(clock__status__in=scanned, kind__in=(ClockEvent.Kind.DUE_SOON,
                                                                                 ClockEvent.Kind.OVERDUE))
                  .values_list("clock_id", "kind", "due_date"))
    for clock in candidates:
        try:
            if clock.status == ClockStatus.CALENDAR_MISSING:
                if (clock.town_id, clock.missing_year) not in missing_years_seen:
                    missing_years_seen.add((clock.town_id, clock.missing_year))
                    with transaction.atomic():
                        stats["calendar_missing"] += _notify_calendar_missing(clock)
                continue
            rule = clock.rule
            if clock.due_date is None or rule is None or rule.bound == "min":
                continue
            if _is_past_due(clock, on):
                if clock.status == ClockStatus.OVERDUE and (clock.pk, "overdue", clock.due_date) in written:
                    continue
                with transaction.atomic():
                    crossed, notified = _cross_overdue(clock, on)
                stats["overdue"] += crossed
                stats["notified"] += notified
                continue
            if clock.status != ClockStatus.RUNNING:
                continue
            try:
                remind_from = periods.reminder_date(calendar, clock.due_date, window)
            except CalendarMissing:
                remind_from = clock.due_date - dt.timedelta(days=window)
            if on >= remind_from and (clock.pk, "due_soon", clock.due_date) not in written:
                with transaction.atomic():
                    try:
                        with transaction.atomic():
                            _event(clock, ClockEvent.Kind.DUE_SOON, on_date=on,
                                   detail={"days_left": (clock.due_date - on).days})
                    except IntegrityError:
                        continue  # this crossing was already written
                    stats["due_soon"] += 1
                    stats["notified"] += _notify_crossing(clock, ClockEvent.Kind.DUE_SOON,
                                                          days_left=(clock.due_date - on).days)
        except Exception:  # noqa: BLE001 - one bad clock must not stop the scan
            stats["errors"] += 1
            logger.exception("clock scan failed for clock %s", clock.pk)
    return stats


def _cross_overdue(clock: Clock, on: dt.date) -> tuple[int, int]:
    """(1 if this crossing is new else 0, notifications sent)."""
    locked = Clock.objects.select_for_update(of=("self",)).select_related("town").get(pk=clock.pk)
    if locked.status not in (ClockStatus.RUNNING, ClockStatus.OVERDUE) or locked.due_date != clock.due_date:
        return 0, 0
    if locked.status == ClockStatus.RUNNING:
        before = snapshot(locked, ["status"])
        locked.status = ClockStatus.OVERDUE
        _save(locked)
        record(action="clocks.clock_overdue", obj=locked, actor=None, before=before,
               after=snapshot(locked, ["status"]), reason=_("期限{due}已届满").format(due=locked.due_date.isoformat()))
    try:
        with transaction.atomic():
            _event(locked, ClockEvent.Kind.OVERDUE, on_date=on,
                   detail={"days_over": (on - locked.due_date).days})
    except IntegrityError:
        return 0, 0
    return 1, _notify_crossing(locked, ClockEvent.Kind.OVERDUE, days_left=None)
