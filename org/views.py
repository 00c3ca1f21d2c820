"""Thin views: parse input, call a selector or a service, render. Queries are budgeted (≤ 10 per page)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import TemplateDoesNotExist, get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from access.scope import can, get_in_scope, require, restrict
from audit.labels import action_label
from audit.models import AuditEntry
from core.crypto import mask_address, mask_phone
from core.errors import DomainError
from core.exports import XLSX, xlsx_response
from instruments.selectors import instruments_by_record

from . import forms as f
from . import imports, selectors, services
from .errors import error_text
from .models import (
    Enterprise,
    Grid,
    GridAssignment,
    GridRole,
    HandoverStatus,
    ImportBatch,
    MicroGrid,
    Position,
    PositionHandover,
    PositionStatus,
    Sector,
    Staff,
    StaffAbsence,
    Town,
    Village,
)
from .procedure import HANDOVER

PAGE_SIZE = 25
TIMELINE_LABELS = {
    "org.position_create": _lazy("设立岗位"),
    "org.position_update": _lazy("修改岗位信息"),
    "org.position_holders": _lazy("岗位人员/状态变更"),
    "org.position_vacate": _lazy("人员离职，岗位空缺"),
    "org.position_deactivate": _lazy("停用岗位"),
    "org.handover.create": _lazy("起草交接"),
    "org.handover.request": _lazy("申请交接"),
    "org.handover.confirm": _lazy("确认交接"),
    "org.handover.complete": _lazy("完成交接"),
    "org.handover.reject": _lazy("退回交接"),
    "org.handover.cancel": _lazy("撤销交接"),
}
CLOCKS_INCLUDE = "org/includes/handover_clocks.html"


# --- helpers --------------------------------------------------------------------------------------------

def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _add_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, error_text(exc))


def _export(request, *, what: str, title: str, headers, rows, qs) -> HttpResponse:
    data = [rows(o) for o in qs]
    services.export_record(actor=request.user, what=what, label=str(title), count=len(data),
                           filters=request.GET.dict())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    note = _("导出时间：{t}；导出人：{u}").format(t=stamp, u=request.user.display_name)
    return xlsx_response(f"{title}-{stamp}", title, headers, data, note=note)


def _wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def _form_page(request, *, form, title, save, success_message, success_url, cancel_url, deactivate_url=None,
               extra=None):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, success_message)
            return redirect(success_url(obj))
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
    context = {"title": title, "form": form, "cancel_url": cancel_url, "deactivate_url": deactivate_url}
    context.update(extra or {})
    return render(request, "org/form.html", context, status=200)


def _deactivate(request, call, *, back: str) -> HttpResponse:
    form = f.DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        call(reason)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已停用。"))
    return redirect(back)


def _clocks_include() -> str:
    """The clocks app's ``{% clocks_for obj %}`` panel (due date, days left), when that app provides it."""
    import importlib.util

    if importlib.util.find_spec("clocks.templatetags.clocks_tags") is None:
        return ""
    try:
        get_template("clocks/includes/clocks_for.html")
    except TemplateDoesNotExist:
        return ""
    return CLOCKS_INCLUDE


# --- overview and chart ---------------------------------------------------------------------------------

@login_required
def overview(request):
    data = selectors.overview(request.user)
    return render(request, "org/overview.html", {"title": _("组织架构概况"), "data": data,
                                                 "can_manage": can(request.user, "org.manage")})


@login_required
def chart(request):
    tree = selectors.chart(request.user)
    return render(request, "org/chart.html", {"title": _("一中心四板块一网格"), "tree": tree})


@login_required
def town_settings(request):
    town = get_in_scope(request.user, "org.town_settings", Town, pk=request.user.town_id or 0)
    form = f.TownForm(request.POST or None, instance=town, user=request.user)
    return _form_page(
        request, form=form, title=_("镇街设置"),
        save=lambda fm: services.town_update(town=town, actor=request.user, **fm.cleaned_data),
        success_message=_("镇街设置已保存。"), success_url=lambda o: reverse("org:overview"),
        cancel_url=reverse("org:overview"))


# --- sectors and posts ----------------------------------------------------------------------------------

@login_required
def sector_list(request):
    flt = f.FilterForm(request.GET, user=request.user)
    qs = selectors.sectors(request.user, q=flt.value("q"), active=flt.value("active", "1"))
    if _wants_export(request):
        return _export(request, what="sector", title=_("板块岗位"), qs=qs, headers=[
            _("板块"), _("代码"), _("板块负责人"), _("岗位数"), _("岗位（A岗/B岗）")],
            rows=lambda s: [s.name, s.code, s.lead or "", len(s.live_positions), "；".join(
                f"{p.name}（{p.primary_holder or '-'}/{p.backup_holder or '-'}）" for p in s.live_positions)])
    return render(request, "org/sector_list.html", {
        "title": _("四板块与岗位"), "filter": flt, "page_obj": _page(request, qs),
        "can_manage": can(request.user, "org.manage")})


@login_required
def sector_create(request):
    require(request.user, "org.manage")
    form = f.SectorForm(request.POST or None, user=request.user)
    return _form_page(
        request, form=form, title=_("新增板块"),
        save=lambda fm: services.sector_create(town=request.user.town, actor=request.user, **fm.cleaned_data),
        success_message=_("板块已创建。"), success_url=lambda o: reverse("org:sector_list"),
        cancel_url=reverse("org:sector_list"))


@login_required
def sector_update(request, pk):
    sector = get_in_scope(request.user, "org.manage", Sector, pk=pk)
    form = f.SectorForm(request.POST or None, instance=sector, user=request.user)
    return _form_page(
        request, form=form, title=_("编辑板块：{name}").format(name=sector.name),
        save=lambda fm: services.sector_update(sector=sector, actor=request.user, **fm.cleaned_data),
        success_message=_("板块已保存。"), success_url=lambda o: reverse("org:sector_list"),
        cancel_url=reverse("org:sector_list"), deactivate_url=reverse("org:sector_deactivate", args=[pk]))


@login_required
@require_POST
def sector_deactivate(request, pk):
    sector = get_in_scope(request.user, "org.manage", Sector, pk=pk)
    return _deactivate(request, lambda r: services.sector_deactivate(sector=sector, actor=request.user, reason=r),
                       back=reverse("org:sector_list"))


@login_required
def position_list(request):
    flt = f.PositionFilter(request.GET, user=request.user)
    sector = flt.value("sector", None)
    qs = selectors.positions(request.user, sector=sector.pk if sector else None, status=flt.value("status"),
                             q=flt.value("q"), active=flt.value("active", "1"))
    if _wants_export(request):
        return _export(request, what="position", title=_("岗位清单"), qs=qs, headers=[
            _("板块"), _("岗位代码"), _("岗位名称"), _("A岗（主岗）"), _("B岗（备岗）"), _("状态"), _("职责清单")],
            rows=lambda p: [p.sector.name, p.code, p.name, p.primary_holder or "", p.backup_holder or "",
                            p.get_status_display(), "\n".join(p.duty_list)])
    return render(request, "org/position_list.html", {
        "title": _("岗位"), "filter": flt, "page_obj": _page(request, qs),
        "can_manage": can(request.user, "org.manage")})


@login_required
def position_detail(request, pk):
    today = timezone.localdate()
    away = StaffAbsence.objects.filter(start_date__lte=today, end_date__gte=today)
    position = get_in_scope(
        request.user, "org.view",
        Position.objects.select_related("town", "sector", "primary_holder", "backup_holder").annotate(
            a_away=Exists(away.filter(staff_id=OuterRef("primary_holder_id"))),
            b_away=Exists(away.filter(staff_id=OuterRef("backup_holder_id")))),
        pk=pk)
    handovers = list(selectors.handovers_of(request.user, position))
    open_handovers = [h for h in handovers if h.is_open]
    ids = [str(h.pk) for h in handovers]
    forms_by_handover = instruments_by_record(town_id=position.town_id, model=PositionHandover, object_ids=ids)
    for h in handovers:
        h.forms = forms_by_handover.get(str(h.pk), [])
    entries = AuditEntry.objects.filter(town_id=position.town_id).filter(
        Q(object_type="org.position", object_id=str(position.pk))
        | Q(object_type="org.positionhandover", object_id__in=ids)).order_by("-seq")[:50]
    status_labels = dict(HandoverStatus.choices) | dict(PositionStatus.choices)
    timeline = [{"at": e.at, "actor": e.actor_name, "reason": e.reason,
                 "label": TIMELINE_LABELS.get(e.action) or action_label(e.action),
                 "status": status_labels.get((e.after or {}).get("status"), "")} for e in entries]
    away_ids = {h for h, flag in ((position.primary_holder_id, position.a_away),
                                  (position.backup_holder_id, position.b_away)) if flag}
    acting = selectors.acting_holder(position, away=away_ids)
    actions = {h.pk: HANDOVER.available(h, request.user) for h in open_handovers}
    open_slots = {h.slot for h in open_handovers}
    return render(request, "org/position_detail.html", {
        "title": position.name, "position": position, "handovers": handovers,
        "open_handovers": [(h, actions[h.pk]) for h in open_handovers], "timeline": timeline, "acting": acting,
        "a_open": "primary" in open_slots, "b_open": "backup" in open_slots,
        "can_manage": can(request.user, "org.manage"), "can_handover": can(request.user, "org.handover"),
        "clocks_include": _clocks_include()})


@login_required
def position_create(request):
    require(request.user, "org.manage")
    initial = {}
    if request.GET.get("sector", "").isdigit():
        initial["sector"] = int(request.GET["sector"])
    form = f.PositionForm(request.POST or None, user=request.user, initial=initial)

    def save(fm):
        data = dict(fm.cleaned_data)
        return services.position_create(actor=request.user, **data)

    return _form_page(
        request, form=form, title=_("新增岗位"), save=save, success_message=_("岗位已创建。"),
        success_url=lambda o: reverse("org:position_detail", args=[o.pk]), cancel_url=reverse("org:position_list"))


@login_required
def position_update(request, pk):
    position = get_in_scope(request.user, "org.manage", Position, pk=pk)
    form = f.PositionForm(request.POST or None, instance=position, user=request.user)
    return _form_page(
        request, form=form, title=_("编辑岗位：{name}").format(name=position.name),
        save=lambda fm: services.position_update(position=position, actor=request.user, **fm.cleaned_data),
        success_message=_("岗位已保存。"), success_url=lambda o: reverse("org:position_detail", args=[pk]),
        cancel_url=reverse("org:position_detail", args=[pk]),
        deactivate_url=reverse("org:position_deactivate", args=[pk]))


@login_required
@require_POST
def position_deactivate(request, pk):
    position = get_in_scope(request.user, "org.manage", Position, pk=pk)
    return _deactivate(request, lambda r: services.position_deactivate(position=position, actor=request.user,
                                                                        reason=r),
                       back=reverse("org:position_detail", args=[pk]))


@login_required
def handover_request(request, pk):
    position = get_in_scope(request.user, "org.handover", Position.objects.select_related("sector"), pk=pk)
    initial = {"slot": request.GET.get("slot")} if request.GET.get("slot") in ("primary", "backup") else {}
    form = f.HandoverRequestForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request, form=form, title=_("发起岗位交接：{name}").format(name=position.name),
        save=lambda fm: services.handover_request(position=position, actor=request.user, **fm.cleaned_data),
        success_message=_("交接已申请，待镇领导确认。"),
        success_url=lambda o: reverse("org:position_detail", args=[pk]),
        cancel_url=reverse("org:position_detail", args=[pk]), extra={"position": position})


@login_required
@require_POST
def handover_fire(request, pk):
    handover = get_in_scope(request.user, "org.handover", PositionHandover, pk=pk)
    form = f.HandoverFireForm(request.POST)
    back = reverse("org:position_detail", args=[handover.position_id])
    if not form.is_valid():
        messages.error(request, _("请选择要执行的操作。"))
        return redirect(back)
    try:
        services.handover_fire(handover=handover, action=form.cleaned_data["action"], actor=request.user,
                               reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已办理：{label}").format(label=HANDOVER.get(form.cleaned_data["action"]).label))
    return redirect(back)


# --- villages -------------------------------------------------------------------------------------------

@login_required
def village_list(request):
    flt = f.VillageFilter(request.GET, user=request.user)
    qs = selectors.villages(request.user, kind=flt.value("kind"), q=flt.value("q"), active=flt.value("active", "1"))
    if _wants_export(request):
        return _export(request, what="village", title=_("村(社区)"), qs=qs, headers=[
            _("编码"), _("名称"), _("类型"), _("网格数"), _("户数"), _("人口"), _("两委成员"), _("状态")],
            rows=lambda v: [v.code, v.name, v.get_kind_display(), v.grid_count, v.households, v.population,
                            "、".join(v.village_committees.splitlines()), _("在用") if v.active else _("已停用")])
    return render(request, "org/village_list.html", {
        "title": _("村(社区)"), "filter": flt, "page_obj": _page(request, qs),
        "can_manage": can(request.user, "org.manage")})


@login_required
def village_detail(request, pk):
    village = get_in_scope(request.user, "org.view", Village.objects.select_related("town"), pk=pk)
    grids = [(g, selectors.completeness_of(g)) for g in selectors.grids(request.user, active="all").filter(
        village=village)]
    return render(request, "org/village_detail.html", {
        "title": village.name, "village": village, "grids": grids, "can_manage": can(request.user, "org.manage")})


@login_required
def village_create(request):
    require(request.user, "org.manage")
    form = f.VillageForm(request.POST or None, user=request.user)
    return _form_page(
        request, form=form, title=_("新增村(社区)"),
        save=lambda fm: services.village_create(town=request.user.town, actor=request.user, **fm.cleaned_data),
        success_message=_("村(社区)已创建。"), success_url=lambda o: reverse("org:village_detail", args=[o.pk]),
        cancel_url=reverse("org:village_list"))


@login_required
def village_update(request, pk):
    village = get_in_scope(request.user, "org.manage", Village, pk=pk)
    form = f.VillageForm(request.POST or None, instance=village, user=request.user)
    return _form_page(
        request, form=form, title=_("编辑村(社区)：{name}").format(name=village.name),
        save=lambda fm: services.village_update(village=village, actor=request.user, **fm.cleaned_data),
        success_message=_("村(社区)已保存。"), success_url=lambda o: reverse("org:village_detail", args=[pk]),
        cancel_url=reverse("org:village_detail", args=[pk]), deactivate_url=reverse("org:village_deactivate",
                                                                                      args=[pk]))


@login_required
@require_POST
def village_deactivate(request, pk):
    village = get_in_scope(request.user, "org.manage", Village, pk=pk)
    return _deactivate(request, lambda r: services.village_deactivate(village=village, actor=request.user, reason=r),
                       back=reverse("org:village_detail", args=[pk]))


# --- grids and micro-grids ------------------------------------------------------------------------------

@login_required
def grid_list(request):
    flt = f.GridFilter(request.GET, user=request.user)
    village = flt.value("village", None)
    qs = selectors.grids(request.user, village=village.pk if village else None, q=flt.value("q"),
                         active=flt.value("active", "1"), completeness=flt.value("completeness"))
    if _wants_export(request):
        def row(g):
            c = selectors.completeness_of(g)
            return [g.code, g.name, g.village.name, g.micro_count, g.households, g.population, c.label,
                    _("配齐") if c.complete else _("缺：{m}").format(m="、".join(str(x) for x in c.missing))]
        return _export(request, what="grid", title=_("网格"), qs=qs, rows=row, headers=[
            _("网格编码"), _("网格名称"), _("村(社区)"), _("微网格数"), _("户数"), _("人口"), _("1+3+N"),
            _("配备情况")])
    page = _page(request, qs)
    rows = [(g, selectors.completeness_of(g)) for g in page.object_list]
    return render(request, "org/grid_list.html", {
        "title": _("网格"), "filter": flt, "page_obj": page, "rows": rows,
        "can_manage": can(request.user, "org.manage")})


@login_required
def grid_detail(request, pk):
    grid = get_in_scope(request.user, "org.view", Grid.objects.select_related("town", "village"), pk=pk)
    micro = list(restrict(request.user, "org.view", MicroGrid).filter(grid=grid).order_by("-active", "code"))
    team = list(selectors.team_of(grid))
    counts: dict = {}
    for a in team:
        counts[a.role] = counts.get(a.role, 0) + 1
    by_role = [(label, [a for a in team if a.role == value]) for value, label in GridRole.choices]
    return render(request, "org/grid_detail.html", {
        "title": grid.name, "grid": grid, "micro_grids": micro, "by_role": by_role,
        "completeness": selectors.completeness_from_counts(counts),
        "micro_households": sum(m.households for m in micro if m.active),
        "boundary_json": json.dumps(grid.boundary, ensure_ascii=False) if grid.boundary else "",
        "can_manage": can(request.user, "org.manage")})


@login_required
def grid_create(request):
    require(request.user, "org.manage")
    initial = {"village": int(request.GET["village"])} if request.GET.get("village", "").isdigit() else {}
    form = f.GridForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request, form=form, title=_("新增网格"),
        save=lambda fm: services.grid_create(town=request.user.town, actor=request.user, **fm.cleaned_data),
        success_message=_("网格已创建。"), success_url=lambda o: reverse("org:grid_detail", args=[o.pk]),
        cancel_url=reverse("org:grid_list"))


@login_required
def grid_update(request, pk):
    grid = get_in_scope(request.user, "org.manage", Grid, pk=pk)
    form = f.GridForm(request.POST or None, instance=grid, user=request.user)
    return _form_page(
        request, form=form, title=_("编辑网格：{name}").format(name=grid.name),
        save=lambda fm: services.grid_update(grid=grid, actor=request.user, **fm.cleaned_data),
        success_message=_("网格已保存。"), success_url=lambda o: reverse("org:grid_detail", args=[pk]),
        cancel_url=reverse("org:grid_detail", args=[pk]), deactivate_url=reverse("org:grid_deactivate", args=[pk]))


@login_required
@require_POST
def grid_deactivate(request, pk):
    grid = get_in_scope(request.user, "org.manage", Grid, pk=pk)
    return _deactivate(request, lambda r: services.grid_deactivate(grid=grid, actor=request.user, reason=r),
                       back=reverse("org:grid_detail", args=[pk]))


@login_required
def grid_assignment_add(request, pk):
    grid = get_in_scope(request.user, "org.manage", Grid, pk=pk)
    initial = {"role": request.GET["role"]} if request.GET.get("role") in GridRole.values else {}
    form = f.GridAssignmentForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request, form=form, title=_("{grid}：添加网格力量").format(grid=grid.name),
        save=lambda fm: services.grid_assignment_add(grid=grid, actor=request.user, **fm.cleaned_data),
        success_message=_("已添加。"), success_url=lambda o: reverse("org:grid_detail", args=[pk]),
        cancel_url=reverse("org:grid_detail", args=[pk]))


@login_required
@require_POST
def grid_assignment_remove(request, pk):
    grid = get_in_scope(request.user, "org.manage", Grid, pk=pk)
    form = f.DeactivateForm(request.POST)
    assignment_id = request.POST.get("assignment", "")
    assignment = grid.assignments.filter(pk=int(assignment_id)).first() if assignment_id.isdigit() else None
    if assignment is None:
        messages.error(request, _("该网格角色不存在或已移除。"))
    else:
        services.grid_assignment_remove(assignment=assignment, actor=request.user,
                                        reason=form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, _("已移除。"))
    return redirect("org:grid_detail", pk=pk)


@login_required
def grid_map(request):
    require(request.user, "org.view")
    return render(request, "org/grid_map.html", {"title": _("网格地图")})


@login_required
def grid_geojson(request):
    return JsonResponse(selectors.geojson(request.user))


@login_required
def microgrid_list(request):
    flt = f.MicroGridFilter(request.GET, user=request.user)
    grid = flt.value("grid", None)
    qs = selectors.microgrids(request.user, grid=grid.pk if grid else None, q=flt.value("q"),
                              active=flt.value("active", "1"))
    if _wants_export(request):
        return _export(request, what="microgrid", title=_("微网格"), qs=qs, headers=[
            _("微网格编码"), _("微网格名称"), _("网格"), _("村(社区)"), _("户数"), _("状态")],
            rows=lambda m: [m.code, m.name, m.grid.name, m.grid.village.name, m.households,
                            _("在用") if m.active else _("已停用")])
    return render(request, "org/microgrid_list.html", {
        "title": _("微网格"), "filter": flt, "page_obj": _page(request, qs),
        "can_manage": can(request.user, "org.manage")})


@login_required
def microgrid_create(request):
    require(request.user, "org.manage")
    initial = {"grid": int(request.GET["grid"])} if request.GET.get("grid", "").isdigit() else {}
    form = f.MicroGridForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request, form=form, title=_("新增微网格"),
        save=lambda fm: services.microgrid_create(town=request.user.town, actor=request.user, **fm.cleaned_data),
        success_message=_("微网格已创建。"), success_url=lambda o: reverse("org:grid_detail", args=[o.grid_id]),
        cancel_url=reverse("org:microgrid_list"))


@login_required
def microgrid_update(request, pk):
    micro = get_in_scope(request.user, "org.manage", MicroGrid, pk=pk)
    form = f.MicroGridForm(request.POST or None, instance=micro, user=request.user)
    return _form_page(
        request, form=form, title=_("编辑微网格：{name}").format(name=micro.name),
        save=lambda fm: services.microgrid_update(microgrid=micro, actor=request.user, **fm.cleaned_data),
        success_message=_("微网格已保存。"), success_url=lambda o: reverse("org:grid_detail", args=[o.grid_id]),
        cancel_url=reverse("org:microgrid_list"), deactivate_url=reverse("org:microgrid_deactivate", args=[pk]))


@login_required
@require_POST
def microgrid_deactivate(request, pk):
    micro = get_in_scope(request.user, "org.manage", MicroGrid, pk=pk)
    return _deactivate(request, lambda r: services.microgrid_deactivate(microgrid=micro, actor=request.user,
                                                                         reason=r),
                       back=reverse("org:microgrid_list"))


# --- staff ----------------------------------------------------------------------------------------------

@login_required
def staff_list(request):
    flt = f.StaffFilter(request.GET, user=request.user)
    qs = selectors.staff(request.user, q=flt.value("q"), active=flt.value("active", "1"), role=flt.value("role"))
    if _wants_export(request):
        return _export(request, what="staff", title=_("工作人员"), qs=qs, headers=[
            _("工号"), _("姓名"), _("职务"), _("手机号（脱敏）"), _("A岗数"), _("B岗数"), _("网格角色数"), _("状态")],
            rows=lambda s: [s.code, s.name, s.title, s.phone_masked, s.a_count, s.b_count, s.grid_role_count,
                            _("在职") if s.active else _("离职")])
    return render(request, "org/staff_list.html", {
        "title": _("工作人员"), "filter": flt, "page_obj": _page(request, qs),
        "can_manage": can(request.user, "org.manage")})


@login_required
def staff_detail(request, pk):
    today = timezone.localdate()
    current = StaffAbsence.objects.filter(staff_id=OuterRef("pk"), end_date__gte=today).order_by("start_date")
    staff = get_in_scope(request.user, "org.view", Staff.objects.select_related("town", "user").annotate(
        absence_start=Subquery(current.values("start_date")[:1]),
        absence_end=Subquery(current.values("end_date")[:1]),
        absence_reason=Subquery(current.values("reason")[:1])), pk=pk)
    posts = list(restrict(request.user, "org.view", Position).filter(
        Q(primary_holder=staff) | Q(backup_holder=staff)).select_related("sector"))
    roles = list(restrict(request.user, "org.view", GridAssignment).filter(staff=staff).select_related("grid"))
    return render(request, "org/staff_detail.html", {
        "title": staff.name, "staff": staff, "posts": posts, "roles": roles, "today": today,
        "can_manage": can(request.user, "org.manage")})


@login_required
def staff_create(request):
    require(request.user, "org.manage")
    form = f.StaffForm(request.POST or None, user=request.user)
    return _form_page(
        request, form=form, title=_("新增工作人员"),
        save=lambda fm: services.staff_create(town=request.user.town, actor=request.user, **fm.changes()),
        success_message=_("人员已创建。"), success_url=lambda o: reverse("org:staff_detail", args=[o.pk]),
        cancel_url=reverse("org:staff_list"))


@login_required
def staff_update(request, pk):
    staff = get_in_scope(request.user, "org.manage", Staff, pk=pk)
    form = f.StaffForm(request.POST or None, instance=staff, user=request.user)
    return _form_page(
        request, form=form, title=_("编辑人员：{name}").format(name=staff.name),
        save=lambda fm: services.staff_update(staff=staff, actor=request.user, **fm.changes()),
        success_message=_("人员信息已保存。"), success_url=lambda o: reverse("org:staff_detail", args=[pk]),
        cancel_url=reverse("org:staff_detail", args=[pk]), deactivate_url=reverse("org:staff_deactivate", args=[pk]),
        extra={"deactivate_label": _("登记离职"), "deactivate_needs_reason": True})


@login_required
@require_POST
def staff_deactivate(request, pk):
    staff = get_in_scope(request.user, "org.manage", Staff, pk=pk)
    return _deactivate(request, lambda r: services.staff_deactivate(staff=staff, actor=request.user, reason=r),
                       back=reverse("org:staff_detail", args=[pk]))


@login_required
def absence_add(request, pk):
    staff = get_in_scope(request.user, "org.manage", Staff, pk=pk)
    form = f.AbsenceForm(request.POST or None)
    return _form_page(
        request, form=form, title=_("{name}：登记离岗").format(name=staff.name),
        save=lambda fm: services.absence_record(staff=staff, actor=request.user, **fm.cleaned_data),
        success_message=_("离岗已登记：期间由B岗代行其A岗。"),
        success_url=lambda o: reverse("org:staff_detail", args=[pk]),
        cancel_url=reverse("org:staff_detail", args=[pk]))


# --- enterprises ----------------------------------------------------------------------------------------

@login_required
def enterprise_list(request):
    flt = f.EnterpriseFilter(request.GET, user=request.user)
    grid = flt.value("grid", None)
    qs = selectors.enterprises(request.user, q=flt.value("q"), grid=grid.pk if grid else None,
                               active=flt.value("active", "1"), liaison=flt.value("liaison"),
                               liaison_staff=flt.value("liaison_staff", None))
    if _wants_export(request):
        return _export(request, what="enterprise", title=_("企业与联系干部"), qs=qs, headers=[
            _("企业名称"), _("统一社会信用代码"), _("行业"), _("所在网格"), _("联系干部"), _("法定代表人"),
            _("联系电话（脱敏）"), _("地址（脱敏）")],
            rows=lambda e: [e.name, e.credit_code, e.industry, e.grid or "", e.liaison or "",
                            e.legal_representative, mask_phone(e.contact_phone), mask_address(e.address)])
    return render(request, "org/enterprise_list.html", {
        "title": _("企业与联系干部"), "filter": flt, "page_obj": _page(request, qs),
        "can_manage": can(request.user, "org.manage")})


@login_required
def enterprise_create(request):
    require(request.user, "org.manage")
    form = f.EnterpriseForm(request.POST or None, user=request.user)
    return _form_page(
        request, form=form, title=_("新增企业"),
        save=lambda fm: services.enterprise_create(town=request.user.town, actor=request.user, **fm.changes()),
        success_message=_("企业已创建。"), success_url=lambda o: reverse("org:enterprise_list"),
        cancel_url=reverse("org:enterprise_list"))


@login_required
def enterprise_update(request, pk):
    enterprise = get_in_scope(request.user, "org.manage", Enterprise, pk=pk)
    form = f.EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    return _form_page(
        request, form=form, title=_("编辑企业：{name}").format(name=enterprise.name),
        save=lambda fm: services.enterprise_update(enterprise=enterprise, actor=request.user, **fm.changes()),
        success_message=_("企业已保存。"), success_url=lambda o: reverse("org:enterprise_list"),
        cancel_url=reverse("org:enterprise_list"), deactivate_url=reverse("org:enterprise_deactivate", args=[pk]))


@login_required
@require_POST
def enterprise_deactivate(request, pk):
    enterprise = get_in_scope(request.user, "org.manage", Enterprise, pk=pk)
    return _deactivate(request, lambda r: services.enterprise_deactivate(enterprise=enterprise, actor=request.user,
                                                                          reason=r),
                       back=reverse("org:enterprise_list"))


# --- Excel import ---------------------------------------------------------------------------------------

SESSION_ERRORS = "org_import_errors"
MAX_SESSION_ERRORS = 2000


@login_required
def import_index(request):
    require(request.user, "org.import")
    form = f.ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        try:
            if upload.size > imports.MAX_BYTES:
                raise DomainError(_("文件过大：不得超过 {n} MB。").format(n=imports.MAX_BYTES // (1024 * 1024)),
                                  rule="org.import.size", field="file")
            result = imports.run_import(town=request.user.town, kind=kind, content=upload.read(),
                                        file_name=upload.name, actor=request.user)
        except imports.ImportFailed as failed:
            errors = [e.as_dict() for e in failed.errors]
            request.session[SESSION_ERRORS] = {"file": upload.name, "errors": errors[:MAX_SESSION_ERRORS]}
            messages.error(request, _("文件有 {n} 处错误，未导入任何数据。请按下方清单改正后重新上传。").format(
                n=len(errors)))
        except DomainError as exc:
            _add_error(form, exc)
        else:
            request.session.pop(SESSION_ERRORS, None)
            messages.success(request, _("导入成功：共 {rows} 行，新增 {c} 条，更新 {u} 条。").format(
                rows=result.rows, c=result.created, u=result.updated))
            return redirect("org:import_index")
    batches = restrict(request.user, "org.import", ImportBatch).select_related("actor").order_by("-at")[:20]
    return render(request, "org/import.html", {
        "title": _("Excel 导入"), "form": form, "errors": errors, "batches": batches,
        "specs": imports.SPECS.values(), "max_mb": imports.MAX_BYTES // (1024 * 1024)})


@login_required
def import_template(request, kind):
    require(request.user, "org.import")
    if kind not in imports.SPECS:
        raise Http404
    spec = imports.SPECS[kind]
    from urllib.parse import quote

    response = HttpResponse(imports.template_workbook(kind), content_type=XLSX)
    name = _("{title}导入模板.xlsx").format(title=spec.title)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def import_errors(request):
    require(request.user, "org.import")
    data = request.session.get(SESSION_ERRORS)
    if not data:
        messages.info(request, _("没有待下载的错误报告。"))
        return redirect("org:import_index")
    from urllib.parse import quote

    response = HttpResponse(imports.error_workbook(data["errors"], file_name=data["file"]), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('导入错误报告.xlsx'))}"
    return response


# --- home-page panel fragments (loaded by htmx from org/panels.py) ---------------------------------------

@login_required
def panel_overview(request):
    return render(request, "org/panels/overview.html", {"panel": selectors.overview(request.user)})


@login_required
def panel_my_posts(request):
    require(request.user, "org.view")
    return render(request, "org/panels/my_posts.html", {"panel": {"posts": selectors.my_posts(request.user)}})


@login_required
def panel_my_grid(request):
    require(request.user, "org.view")
    return render(request, "org/panels/my_grid.html", {"panel": selectors.my_grids(request.user) or {}})
