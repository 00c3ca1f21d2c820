"""Pages of the clocks app: calendar, statute registry, deadline calculator, supervision, clock page.

Thin: parse input, call a selector or a service, render. Domain errors become messages or form errors.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from access.scope import can, get_in_scope, require, roles_of
from core.errors import DomainError
from core.exports import xlsx_response

from . import forms, periods, registry, selectors, services
from .calendar import DbCalendar
from .errors import CalendarImportError
from .models import CalendarDay, CalendarYear, Clock, ClockStatus, DayKind, RuleOverride
from .templatetags.clocks_tags import decorate

WEEK_HEADER = [pgettext_lazy("weekday", "一"), pgettext_lazy("weekday", "二"), pgettext_lazy("weekday", "三"),
               pgettext_lazy("weekday", "四"), pgettext_lazy("weekday", "五"), pgettext_lazy("weekday", "六"),
               pgettext_lazy("weekday", "日")]


def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def _holiday_ranges(days) -> list[dict]:
    """Consecutive holiday dates with the same name → [{name, first, last, count}]."""
    ranges = []
    for day in days:
        if day.kind != DayKind.HOLIDAY:
            continue
        last = ranges[-1] if ranges else None
        if last and last["name"] == day.name and last["last"] + dt.timedelta(days=1) == day.date:
            last["last"] = day.date
            last["count"] += 1
        else:
            ranges.append({"name": day.name, "first": day.date, "last": day.date, "count": 1})
    return ranges


# --- calendar ----------------------------------------------------------------------------------
@login_required
def calendar_view(request):
    require(request.user, "clocks.reference")
    today = timezone.localdate()
    year = _year_param(request, today.year)
    years = list(CalendarYear.objects.order_by("year"))
    info = next((y for y in years if y.year == year), None)
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    if request.GET.get("export") == "xlsx":
        rows = ([d.date, d.get_kind_display(), d.name, d.note, _(periods.WEEKDAYS[d.date.weekday()]),
                 d.get_source_display()] for d in days)
        return xlsx_response(f"工作日历{year}", _("{year}年工作日历").format(year=year),
                             [_("日期"), _("类型"), _("名称"), _("备注"), _("星期"), _("来源")], rows,
                             note=_("{year}年工作日历（{state}）").format(
                                 year=year, state=_("完整") if info and info.complete else _("不完整")))
    by_date = {d.date: d for d in days}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for date in week:
                if date.month != month:
                    cells.append(None)
                    continue
                day = by_date.get(date)
                cells.append({"date": date, "kind": day.kind if day else "", "name": day.name if day else "",
                              "today": date == today})
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    counts = {kind: sum(1 for d in days if d.kind == kind) for kind in DayKind.values}
    for day in days:
        day.weekday = _(periods.WEEKDAYS[day.date.weekday()])  # msgids 星期一…星期日
    manage = can(request.user, "clocks.manage_calendar")
    return render(request, "clocks/calendar.html", {
        "title": _("工作日历"), "year": year, "years": years, "info": info, "months": months,
        "week_header": WEEK_HEADER, "counts": counts, "kinds": DayKind.choices, "holidays": _holiday_ranges(days),
        "makeups": [d for d in days if d.kind == DayKind.MAKEUP_WORKDAY], "manage": manage,
        "mark_form": forms.YearMarkForm(initial={"complete": "0" if info and info.complete else "1"}),
        "prev_year": year - 1, "next_year": year + 1,
    })


@login_required
def calendar_year_edit(request, year):
    require(request.user, "clocks.manage_calendar")
    if not 2000 <= year <= 2100:
        raise Http404
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    info = CalendarYear.objects.filter(year=year).first()
    ranges = _holiday_ranges(days)
    # A new year gets enough empty rows for a whole State Council notice (7 holidays, several 调休 days).
    HolidayFormSet = forms.holiday_formset(3 if ranges else 9)
    MakeupFormSet = forms.makeup_formset(3 if ranges else 8)
    if request.method == "POST":
        meta = forms.YearMetaForm(request.POST)
        holidays = HolidayFormSet(request.POST, prefix="h")
        makeups = MakeupFormSet(request.POST, prefix="m")
        if meta.is_valid() and holidays.is_valid() and makeups.is_valid():
            try:
                services.calendar_set_year(
                    year=year, actor=request.user, reason=meta.cleaned_data["reason"],
                    notice_ref=meta.cleaned_data["notice_ref"], complete=meta.cleaned_data["complete"],
                    holidays=[(f["name"], f["first"], f["last"]) for f in holidays.cleaned_data if f.get("name")],
                    makeup_days=[(f["date"], f["name"]) for f in makeups.cleaned_data if f.get("date")])
            except DomainError as exc:
                meta.add_error(None, str(exc))
            else:
                messages.success(request, _("{year}年工作日历已保存。").format(year=year))
                return redirect(reverse("clocks:calendar") + f"?year={year}")
    else:
        meta = forms.YearMetaForm(initial={"notice_ref": info.notice_ref if info else "",
                                           "complete": info.complete if info else False})
        holidays = HolidayFormSet(prefix="h", initial=[
            {"name": r["name"], "first": r["first"], "last": r["last"]} for r in ranges])
        makeups = MakeupFormSet(prefix="m", initial=[
            {"date": d.date, "name": d.name} for d in days if d.kind == DayKind.MAKEUP_WORKDAY])
    return render(request, "clocks/calendar_year_form.html", {
        "title": _("录入{year}年节假日安排").format(year=year), "year": year, "info": info, "meta": meta,
        "holidays": holidays, "makeups": makeups,
    })


@login_required
def calendar_import(request):
    require(request.user, "clocks.manage_calendar")
    errors = []
    if request.method == "POST":
        form = forms.CalendarImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                years = services.calendar_import(file=form.cleaned_data["file"], actor=request.user,
                                                 reason=form.cleaned_data["reason"],
                                                 notice_ref=form.cleaned_data["notice_ref"],
                                                 complete=form.cleaned_data["complete"])
            except CalendarImportError as exc:
                errors = exc.errors
                form.add_error(None, str(exc))
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已导入{years}年的工作日历。").format(years="、".join(map(str, years))))
                return redirect(reverse("clocks:calendar") + f"?year={years[0]}")
    else:
        form = forms.CalendarImportForm()
    return render(request, "clocks/calendar_import.html", {"title": _("导入工作日历"), "form": form,
                                                           "errors": errors})


@login_required
def calendar_template(request):
    require(request.user, "clocks.manage_calendar")
    year = timezone.localdate().year + 1
    rows = [
        [dt.date(year, 1, 1), "法定节假日", "元旦", ""],
        [dt.date(year, 10, 1), "法定节假日", "国庆节", ""],
        [dt.date(year, 10, 9), "调休上班日", "国庆节", "示例：请按国务院办公厅通知填写"],
    ]
    return xlsx_response(_("工作日历导入模板"), _("工作日历"), list(services.IMPORT_HEADERS), rows,
                         note=_("每行一个日期；只需列出节假日和调休上班日，其余日期按星期自动确定。类型：工作日、休息日、法定节假日、调休上班日。"))


@login_required
@require_POST
def calendar_year_mark(request, year):
    require(request.user, "clocks.manage_calendar")
    form = forms.YearMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择状态并填写理由。"))
    else:
        try:
            services.calendar_year_mark(year=year, complete=form.cleaned_data["complete"], actor=request.user,
                                        reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("{year}年日历状态已更新。").format(year=year))
    return redirect(reverse("clocks:calendar") + f"?year={year}")


@login_required
def calendar_day_edit(request, day):
    require(request.user, "clocks.manage_calendar")
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    row = CalendarDay.objects.filter(date=date).first()
    if request.method == "POST":
        form = forms.DayForm(request.POST)
        if form.is_valid():
            try:
                services.calendar_day_set(day=date, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("{d}已调整。").format(d=date.isoformat()))
                return redirect(reverse("clocks:calendar") + f"?year={date.year}")
    else:
        form = forms.DayForm(initial={"kind": row.kind if row else periods.default_kind(date),
                                      "name": row.name if row else "", "note": row.note if row else ""})
    return render(request, "clocks/calendar_day_form.html", {"title": _("调整日期：{d}").format(d=date.isoformat()),
                                                             "form": form, "day": date, "row": row})


# --- registry ------------------------------------------------------------------------------------
def _town_overrides(user) -> dict[str, RuleOverride]:
    if user.town_id is None:
        return {}
    return {o.code: o for o in selectors.overrides(user).filter(town_id=user.town_id)}


@login_required
def rules_view(request):
    require(request.user, "clocks.reference")
    q = request.GET.get("q", "").strip()
    section = request.GET.get("section", "")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    rules = registry.all_rules()
    if q:
        rules = [r for r in rules if q.lower() in r.code.lower() or q in r.title or q in r.citation or q in r.quote]
    if section:
        rules = [r for r in rules if r.section == section]
    if kind in registry.KINDS:
        rules = [r for r in rules if r.kind == kind]
    if status in registry.STATUSES:
        rules = [r for r in rules if r.status == status]
    overrides = _town_overrides(request.user)
    if request.GET.get("export") == "xlsx":
        rows = ([r.code, r.title, r.kind_label, r.length_text(), r.value_text, r.direction_label, r.start, r.lapse,
                 r.citation, r.quote, r.status_label,
                 r.length_text(overrides[r.code].length) if r.code in overrides else "", r.source_version]
                for r in rules)
        return xlsx_response(_("法定期限规则"), _("法定期限规则"),
                             [_("规则代码"), _("名称"), _("类型"), _("期限"), _("数额"), _("方向"), _("起算"),
                              _("届满后果"), _("依据"), _("原文"), _("核对状态"), _("本镇街默认值"), _("版本")], rows)
    page = Paginator(rules, 50).get_page(request.GET.get("page"))
    return render(request, "clocks/rules.html", {
        "title": _("法定期限规则"), "page_obj": page, "q": q, "section": section, "kind": kind, "status": status,
        "sections": registry.sections(), "kinds": list(registry.KINDS.items()),
        "statuses": list(registry.STATUSES.items()), "overrides": overrides,
        "total": len(registry.all_rules()),
    })


@login_required
def rule_detail(request, code):
    require(request.user, "clocks.reference")
    rule = registry.find(code)
    if rule is None:
        raise Http404
    if rule.code != code:
        return redirect("clocks:rule_detail", code=rule.code)
    override = _town_overrides(request.user).get(rule.code)
    may_override = rule.configurable and request.user.town_id is not None and can(request.user, "clocks.override")
    counting = registry.find(rule.counting) if rule.counting else None
    return render(request, "clocks/rule_detail.html", {
        "title": rule.title, "rule": rule, "override": override, "may_override": may_override, "counting": counting,
        "form": forms.OverrideForm(initial={"length": override.length if override else rule.length}),
        "clear_form": forms.ClearOverrideForm(),
    })


@login_required
@require_POST
def rule_override(request, code):
    require(request.user, "clocks.override")
    rule = registry.find(code)
    if rule is None:
        raise Http404
    if request.user.town_id is None:
        messages.error(request, _("只有镇街用户可以调整本镇街的默认期限。"))
        return redirect("clocks:rule_detail", code=rule.code)
    try:
        if request.POST.get("action") == "clear":
            form = forms.ClearOverrideForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写理由。"), field="reason")
            services.rule_override_clear(town=request.user.town, code=rule.code, actor=request.user,
                                         reason=form.cleaned_data["reason"])
            messages.success(request, _("已恢复登记的默认值。"))
        else:
            form = forms.OverrideForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写1至3650之间的期限长度和调整依据。"), field="length")
            services.rule_override_set(town=request.user.town, code=rule.code, actor=request.user,
                                       length=form.cleaned_data["length"], note=form.cleaned_data["note"])
            messages.success(request, _("本镇街默认期限已调整，未完成的期限已重新计算。"))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("clocks:rule_detail", code=rule.code)


# --- calculator ----------------------------------------------------------------------------------
@login_required
def calculator(request):
    require(request.user, "clocks.reference")
    today = timezone.localdate()
    result = error = None
    data = request.GET.copy() if "rule" in request.GET else None
    if data is not None and data.get("today"):
        data["start"] = today.isoformat()
    form = forms.CalculatorForm(data, initial={"start": today})
    override = None
    if data is not None and form.is_valid():
        rule = form.cleaned_data["rule"]
        start = form.cleaned_data["start"]
        if rule.unit == "h":
            moment = form.cleaned_data.get("time") or dt.time()
            start = timezone.make_aware(dt.datetime.combine(start, moment))
        length, source = services.effective_length(rule, town_id=request.user.town_id,
                                                   matter_length=form.cleaned_data.get("length"))
        if source == "override":
            override = length
        try:
            result = services.compute_rule(rule, start=start, calendar=DbCalendar(), length=length,
                                           length_source=source)
        except DomainError as exc:
            error = str(exc)
    return render(request, "clocks/calculator.html", {
        "title": _("期限计算器"), "form": form, "result": result, "error": error, "today": today,
        "override": override, "rule": form.cleaned_data.get("rule") if form.is_bound and form.is_valid() else None,
        "due_is_moment": bool(result) and isinstance(result.due, dt.datetime),
    })


# --- supervision ---------------------------------------------------------------------------------
STATE_FILTERS = {
    "overdue": gettext_lazy("已逾期"),
    "due_soon": gettext_lazy("7日内到期"),
    "open": gettext_lazy("全部未完成"),
    "paused": gettext_lazy("已暂停"),
    "calendar_missing": gettext_lazy("缺少日历"),
    "closed": gettext_lazy("已完成或终止"),
}


def _supervision_queryset(request):
    user = request.user
    today = timezone.localdate()
    state = request.GET.get("state", "overdue")
    if state not in STATE_FILTERS:
        state = "overdue"
    if state == "overdue":
        qs = selectors.overdue(user, on=today)
    elif state == "due_soon":
        qs = selectors.due_soon(user, on=today)
    elif state == "open":
        qs = selectors.open_clocks(user)
    elif state == "paused":
        qs = selectors.open_clocks(user).filter(status=ClockStatus.PAUSED)
    elif state == "calendar_missing":
        qs = selectors.open_clocks(user).filter(status=ClockStatus.CALENDAR_MISSING)
    else:
        qs = selectors.clocks(user).filter(status__in=[ClockStatus.MET, ClockStatus.STOPPED])
    section = request.GET.get("section", "")
    if section:
        qs = qs.filter(rule_code__startswith=section + ".")
    q = request.GET.get("q", "").strip()
    if q:
        codes = [r.code for r in registry.all_rules() if q in r.title]
        qs = qs.filter(Q(object_repr__icontains=q) | Q(rule_code__icontains=q) | Q(rule_code__in=codes))
    town = request.GET.get("town", "")
    if town.isdigit():
        qs = qs.filter(town_id=int(town))
    order = "-due_date" if state == "closed" else "due_date"
    return qs.order_by(order, "pk"), state, section, q, town


@login_required
def supervision(request):
    require(request.user, "clocks.view")
    qs, state, section, q, town = _supervision_queryset(request)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        rows = []
        for c in qs[:5000]:
            rule = c.rule
            rows.append([c.town.name, c.object_repr, c.rule_code, rule.title if rule else "", c.start_date, c.due_date,
                         c.get_status_display(), c.days_left(today), rule.citation if rule else "", c.met_at])
        return xlsx_response(_("期限督办"), _("期限督办"),
                             [_("镇街"), _("事项"), _("规则代码"), _("期限"), _("起算日"), _("届满日"), _("状态"),
                              _("剩余天数"), _("依据"), _("完成日")], rows,
                             note=_("{state}（导出日期{d}）").format(state=STATE_FILTERS[state], d=today.isoformat()))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    for clock in page:
        decorate(clock, today)
    towns = None
    if request.user.town_id is None and request.user.district_id is not None:
        from org.models import Town

        towns = Town.objects.filter(district_id=request.user.district_id).order_by("code")
    return render(request, "clocks/supervision.html", {
        "title": _("期限督办"), "page_obj": page, "state": state, "states": list(STATE_FILTERS.items()),
        "section": section, "sections": registry.sections(), "q": q, "town": town, "towns": towns,
        "counts": selectors.counts(request.user, on=today),
    })


# --- one clock -----------------------------------------------------------------------------------
def _approvers(clock):
    return (get_user_model().objects.filter(town_id=clock.town_id, is_active=True,
                                            grants__role__in=["leader", "sector_lead"])
            .distinct().order_by("username"))


@login_required
def clock_detail(request, pk):
    clock = get_in_scope(request.user, "clocks.view", Clock.objects.select_related("town", "extension_approver"),
                         pk=pk)
    events = list(clock.events.select_related("actor").order_by("at", "pk"))
    operate = can(request.user, "clocks.operate") and clock.is_open
    rule = clock.rule
    context = {"title": str(clock), "clock": clock, "rule": rule, "events": events, "operate": operate,
               "left": clock.days_left()}
    if operate:
        context.update({
            "pause_form": forms.PauseForm() if rule and rule.pausable and clock.status in ("running", "overdue")
            else None,
            "resume_form": forms.ResumeForm() if clock.paused_since else None,
            "extend_form": forms.ExtendForm(approvers=_approvers(clock))
            if rule and clock.extensions_used < rule.max_extensions else None,
        })
    return render(request, "clocks/clock_detail.html", context)


@login_required
@require_POST
def clock_action(request, pk):
    require(request.user, "clocks.operate")
    clock = get_in_scope(request.user, "clocks.view", Clock, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "pause":
            form = forms.PauseForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写暂停日和暂停原因。"), field="reason")
            services.clock_pause(clock=clock, actor=request.user, reason=form.cleaned_data["reason"],
                                 on_date=form.cleaned_data["on_date"])
            messages.success(request, _("已暂停计算。"))
        elif action == "resume":
            form = forms.ResumeForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写恢复日。"), field="on_date")
            services.clock_resume(clock=clock, actor=request.user, on_date=form.cleaned_data["on_date"],
                                  reason=form.cleaned_data["reason"])
            messages.success(request, _("已恢复计时。"))
        elif action == "extend":
            form = forms.ExtendForm(request.POST, approvers=_approvers(clock))
            if not form.is_valid():
                raise DomainError(_("请填写延长长度、批准人和理由。"), field="approver")
            services.clock_extend(clock=clock, days_or_length=form.cleaned_data["length"],
                                  approver=form.cleaned_data["approver"], reason=form.cleaned_data["reason"],
                                  notice=form.cleaned_data["notice"], actor=request.user)
            messages.success(request, _("期限已延长。"))
        else:
            raise DomainError(_("未知的操作。"), field="action")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("clocks:clock_detail", pk=clock.pk)


def panel_context(request):
    """Home panel "即将到期与逾期": counts and the ten nearest open clocks."""
    user = request.user
    if not can(user, "clocks.view"):
        return None
    today = timezone.localdate()
    soon = list(selectors.open_clocks(user).filter(
        status__in=[ClockStatus.RUNNING, ClockStatus.OVERDUE], due_date__lte=today + dt.timedelta(days=7))
        .order_by("due_date", "pk")[:10])
    for clock in soon:
        decorate(clock, today)
    return {"counts": selectors.counts(user, on=today), "clocks": soon, "roles": roles_of(user)}
