"""Thin views: parse input, call a selector or a service, render. Domain errors become messages."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import can, get_in_scope, require, restrict
from audit.services import record
from core.errors import DomainError
from core.exports import xlsx_response

from . import selectors, services
from .files import ATTACHMENT_ACCEPT
from .forms import (
    ActForm,
    ApiKeyForm,
    CampaignActForm,
    CampaignEditForm,
    CampaignForm,
    CategoryForm,
    DateRangeForm,
    DutyImportForm,
    DutyShiftForm,
    EscalateForm,
    EventFilterForm,
    HazardActForm,
    HazardFilterForm,
    HazardForm,
    NoteForm,
    OperationForm,
    PlanForm,
    ReportForm,
    RuleForm,
    SuperviseForm,
    TaskForm,
    TaskTypeForm,
)
from .models import (
    ApiKey,
    Campaign,
    CampaignStatus,
    Category,
    Channel,
    DutyShift,
    EventAttachment,
    EventPhoto,
    EventStatus,
    GridTaskType,
    Hazard,
    HazardPhoto,
    HazardStatus,
    Priority,
    RoutingRule,
    ScreeningPlan,
    ScreeningTask,
)
from .procedure import EVENT, FORM_ACTIONS, HAZARD, INTERNAL_ACTIONS

PAGE_SIZE = 30


def _page(request, qs, size=PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _town(request):
    town = request.user.town
    if town is None:
        raise PermissionDenied(_("区县账号不能在镇街登记数据。"))
    return town


def _error(request, exc: DomainError):
    messages.error(request, str(exc))


def _grids(user, action):
    from org.models import Grid

    return restrict(user, action, Grid).filter(active=True).select_related("village").order_by("code")


# --- the centre ---------------------------------------------------------------------------------

@login_required
def board(request):
    data = selectors.board(request.user)
    template = "events/_board.html" if request.htmx else "events/board.html"
    return render(request, template, {"title": _("指挥中心调度台"), "can_duty": can(request.user, "events.duty_view"),
                                      **data})


@login_required
def event_list(request):
    require(request.user, "events.view")
    town_filter = {"town_id": request.user.town_id} if request.user.town_id else {
        "town__district_id": request.user.district_id}
    form = EventFilterForm(request.GET or None,
                           categories=Category.objects.filter(**town_filter).select_related("parent"),
                           grids=_grids(request.user, "events.view"))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.event_list(request.user, data)
    if request.GET.get("export") == "xlsx":
        require(request.user, "events.export")
        record(action="events.event.export", actor=request.user, town=request.user.town,
               after={"filter": {k: str(v) for k, v in data.items() if v}})
        rows = ([e.tracking_code, e.reported_at, e.get_channel_display(), str(e.category), e.title,
                 e.grid.name if e.grid_id else "", e.get_status_display(), _("是") if e.urgent else "",
                 e.sector.name if e.sector_id else "", e.position.name if e.position_id else "", e.due_at,
                 e.resolved_at, e.get_settlement_level_display(), e.rating or "", e.result]
                for e in qs[:20000])
        return xlsx_response(f"events-{timezone.localdate():%Y%m%d}", _("事件台账"), [
            _("查询码"), _("上报时间"), _("渠道"), _("分类"), _("标题"), _("网格"), _("状态"), _("紧急"), _("承办板块"),
            _("承办岗位"), _("时限"), _("办结时间"), _("化解层级"), _("满意度"), _("处置结果")], rows,
            note=_("导出时间 {t}").format(t=timezone.localtime().strftime("%Y-%m-%d %H:%M")))
    return render(request, "events/list.html", {"title": _("事件台账"), "form": form, "page_obj": _page(request, qs),
                                                "can_export": can(request.user, "events.export")})


@login_required
def statistics(request):
    form = DateRangeForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    stats = selectors.statistics(request.user, date_from=data.get("date_from"), date_to=data.get("date_to"))
    return render(request, "events/stats.html", {"title": _("事件统计分析"), "form": form, "stats": stats,
                                                 "stats_json": json.dumps(stats, ensure_ascii=False, default=str)})


@login_required
def event_map(request):
    require(request.user, "events.view")
    grids = _grids(request.user, "events.view")
    features = [{"type": "Feature", "geometry": g.boundary, "properties": {"name": g.name}}
                for g in grids if g.boundary]
    points = selectors.map_points(request.user)
    return render(request, "events/map.html", {"title": _("事件地图"), "grids_json": json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        "points_json": json.dumps(points, ensure_ascii=False), "count": len(points)})


# --- post holders and grid workers ----------------------------------------------------------------

@login_required
def my_tasks(request):
    done = request.GET.get("tab") == "done"
    qs = selectors.my_tasks(request.user, done=done)
    return render(request, "events/my_tasks.html", {"title": _("我的待办"), "page_obj": _page(request, qs),
                                                    "done": done, "now": timezone.now()})


@login_required
def my_grid(request):
    require(request.user, "events.my_grid")
    data = selectors.my_grid(request.user)
    return render(request, "events/my_grid.html", {"title": _("我的网格"), **data, "now": timezone.now()})


@login_required
def report(request):
    require(request.user, "events.report")
    town = _town(request)
    categories = selectors.leaf_categories(town)
    staff_channels = can(request.user, "events.triage")
    from org.models import Enterprise

    enterprises = list(Enterprise.objects.filter(town=town, active=True).only("pk", "name").order_by("name")) \
        if staff_channels else []
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, categories=categories, staff_channels=staff_channels,
                          enterprises=enterprises)
        if form.is_valid():
            d = form.cleaned_data
            channel = d.get("channel") or (Channel.CENTRE if staff_channels else Channel.GRID_WORKER)
            enterprise = next((e for e in enterprises if e.pk == d.get("enterprise")), None)
            if enterprise is not None:
                channel = Channel.ENTERPRISE
            try:
                event = services.event_report(
                    town=town, category=d.get("category"), title=d.get("title") or "",
                    description=d.get("description") or "", channel=channel, actor=request.user,
                    lat=d.get("lat"), lng=d.get("lng"), address=d.get("address") or "", urgent=d.get("urgent"),
                    reporter_name=d.get("reporter_name") or "", reporter_phone=d.get("reporter_phone") or "",
                    photos=request.FILES.getlist("photos"), attachments=request.FILES.getlist("attachments"),
                    client_key=d.get("token") or "", enterprise=enterprise,
                    settle_result=(d.get("result") or "").strip() if d.get("settle") else "")
            except services.DuplicateSubmission as exc:
                messages.warning(request, str(exc))
                return redirect("events:detail", pk=exc.event.pk)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, _("事件已上报，查询码 {code}。").format(code=event.tracking_code))
                return redirect("events:detail", pk=event.pk)
    else:
        form = ReportForm(initial={"token": uuid.uuid4().hex}, categories=categories, staff_channels=staff_channels,
                          enterprises=enterprises)
    grids = _grids(request.user, "events.report")
    features = [{"type": "Feature", "geometry": g.boundary, "properties": {"name": g.name}}
                for g in grids if g.boundary]
    return render(request, "events/report.html", {
        "title": _("上报事件"), "form": form,
        "grids_json": json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        "centre": [town.centre_lat, town.centre_lng] if town.centre_lat is not None else None,
        "settleable": json.dumps([c.pk for c in categories if c.spot_settleable]),
        "can_settle": can(request.user, "events.settle"), "attachment_accept": ATTACHMENT_ACCEPT,
    })


# --- one event ------------------------------------------------------------------------------------

def _dispatch_options(event):
    from org.models import Position

    positions = list(Position.objects.filter(town_id=event.town_id, active=True).select_related("sector")
                     .order_by("sector__order", "order", "code"))
    sectors = {}
    for p in positions:
        sectors.setdefault(p.sector_id, p.sector)
    return positions, list(sectors.values())


@login_required
def detail(request, pk):
    event = selectors.event_detail(request.user, pk)
    user = request.user
    available = [t for t in EVENT.available(event, user) if t.action not in INTERNAL_ACTIONS]
    handler_actions = {"start", "return", "resolve"}
    if any(t.action in handler_actions for t in available):
        from .procedure import is_handler

        if not is_handler(event, user):
            available = [t for t in available if t.action not in handler_actions]
    if event.level not in ("grid", "village"):
        available = [t for t in available if t.action != "settle"]
    handling = event.status in (EventStatus.DISPATCHED, EventStatus.IN_PROGRESS)
    can_cohandle = handling and can(user, "events.dispatch")
    wants_dispatch = can_cohandle or any(t.action in ("dispatch", "redispatch") for t in available)
    positions, sectors = _dispatch_options(event) if wants_dispatch else ([], [])
    suggestion = services.suggest_route(event) if any(t.action == "dispatch" for t in available) else None
    cohandlers = list(selectors.cohandlers(event)) if handling else []
    is_co = any(user.pk in (d.position.primary_holder.user_id if d.position.primary_holder else None,
                            d.position.backup_holder.user_id if d.position.backup_holder else None)
                for d in cohandlers)
    photos = list(event.photos.all())
    context = {
        "title": event.title, "event": event, "photos": photos, "timeline": selectors.timeline(event),
        "transitions": available, "form_actions": FORM_ACTIONS, "positions": positions, "sectors": sectors,
        "suggestion": suggestion, "can_pin": can(user, "events.pin"), "can_supervise": can(user, "events.supervise")
        and event.is_open, "can_note": handling and can(user, "events.handle")
        and (is_co or any(t.action == "resolve" for t in available)),
        "cohandlers": cohandlers, "can_cohandle": can_cohandle,
        "can_escalate": can(user, "events.escalate") and event.status == EventStatus.REPORTED
        and event.level in ("grid", "village"),
        "attachments": list(event.attachments.all()),
        "can_merge": event.status == EventStatus.REPORTED and can(user, "events.triage"),
        "can_hazard": can(user, "events.hazard_report"),
        "can_dispute_lead": can(user, "disputes.lead_report"),
        "can_enforcement_case": can(user, "enforcement.case_open"),
        "attachment_accept": ATTACHMENT_ACCEPT,
        "can_contact": can(user, "events.contact") and bool(event.reporter_phone or event.reporter_name
                                                             or event.address),
        "contact": request.session.pop(f"event-contact-{event.pk}", False) and can(user, "events.contact"),
        "escalate_form": EscalateForm(), "priorities": Priority.choices,
    }
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def act(request, pk):
    event = selectors.event_detail(request.user, pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效。"))
        return redirect("events:detail", pk=pk)
    d = form.cleaned_data
    action = d["action"]
    if action in INTERNAL_ACTIONS or action not in EVENT.transitions:
        raise PermissionDenied(action)
    if EVENT.get(action).permission:
        require(request.user, EVENT.get(action).permission)
    data = {"result": d.get("result") or ""}
    if action in ("dispatch", "redispatch"):
        from org.models import Position, Sector

        position = Position.objects.filter(town_id=event.town_id, pk=d.get("position")).select_related(
            "sector", "primary_holder", "backup_holder").first() if d.get("position") else None
        sector = position.sector if position else Sector.objects.filter(town_id=event.town_id,
                                                                        pk=d.get("sector") or 0).first()
        data.update({"position": position, "sector": sector, "kind": d.get("kind") or "internal",
                     "note": d.get("reason") or ""})
    if action == "accept":
        if d.get("priority"):
            data["priority"] = d["priority"]
        if "urgent_shown" in request.POST:
            data["urgent"] = bool(d.get("urgent"))
    if action == "transfer":
        data["department"] = d.get("department") or ""
    try:
        services.event_transition(event=event, action=action, actor=request.user, reason=d.get("reason") or "",
                                  data=data, photos=request.FILES.getlist("photos"))
    except DomainError as exc:
        _error(request, exc)
    else:
        label = EVENT.get(action).label
        messages.success(request, _("已{action}。").format(action=label))
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def note(request, pk):
    event = selectors.event_detail(request.user, pk)
    require(request.user, "events.handle")
    form = NoteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.event_add_note(event=event, text=form.cleaned_data["text"], actor=request.user,
                                    photos=request.FILES.getlist("photos"),
                                    attachments=request.FILES.getlist("attachments"))
            messages.success(request, _("办理记录已保存。"))
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("请填写办理情况。"))
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def cohandler(request, pk):
    event = selectors.event_detail(request.user, pk)
    require(request.user, "events.dispatch")
    from org.models import Position

    position = Position.objects.filter(town_id=event.town_id, pk=request.POST.get("position") or 0).select_related(
        "sector", "primary_holder", "backup_holder").first()
    try:
        services.event_add_cohandler(event=event, position=position, actor=request.user,
                                     note=request.POST.get("note", ""))
        messages.success(request, _("已增加协办岗位。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def merge(request, pk):
    """Merge a duplicate report into another event, found by its tracking code."""
    event = selectors.event_detail(request.user, pk)
    require(request.user, "events.triage")
    code = (request.POST.get("into") or "").strip().upper()
    into = selectors.events(request.user).filter(tracking_code=code).first() if code else None
    try:
        services.event_merge(event=event, into=into, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("已并入事件 {code}。").format(code=into.tracking_code))
    except DomainError as exc:
        _error(request, exc)
    return redirect("events:detail", pk=pk)


@login_required
def attachment(request, pk):
    item = get_in_scope(request.user, "events.view", EventAttachment, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。"))
    return FileResponse(handle, content_type=item.content_type or "application/octet-stream", as_attachment=True,
                        filename=item.name)


@login_required
@require_POST
def pin(request, pk):
    event = selectors.event_detail(request.user, pk)
    services.event_pin(event=event, pinned=not event.pinned, actor=request.user)
    return redirect(request.POST.get("next") or reverse("events:detail", args=[pk]))


@login_required
@require_POST
def supervise(request, pk):
    event = selectors.event_detail(request.user, pk)
    require(request.user, "events.supervise")
    form = SuperviseForm(request.POST)
    if form.is_valid():
        try:
            services.event_supervise(event=event, instruction=form.cleaned_data["instruction"], actor=request.user,
                                     due_at=form.cleaned_data.get("due_at"))
            messages.success(request, _("已督办。"))
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("请填写督办意见。"))
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def escalate(request, pk):
    event = selectors.event_detail(request.user, pk)
    require(request.user, "events.escalate")
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            services.event_escalate(event=event, to_level=form.cleaned_data["to_level"],
                                    reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("已逐级上报。"))
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("请选择层级并填写上报理由。"))
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def contact(request, pk):
    """Reveal the reporter's contact details: audited (personal-data read)."""
    event = selectors.event_detail(request.user, pk)
    require(request.user, "events.contact")
    record(action="events.event.contact_read", obj=event, actor=request.user)
    request.session[f"event-contact-{event.pk}"] = True  # a flag only: personal data never goes in the session
    return redirect("events:detail", pk=pk)


@login_required
def photo(request, pk):
    item = get_in_scope(request.user, "events.view", EventPhoto, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。"))
    return FileResponse(handle, content_type=item.content_type or "application/octet-stream")


# --- configuration --------------------------------------------------------------------------------

@login_required
def categories(request):
    require(request.user, "events.configure")
    town = _town(request)
    form = CategoryForm(request.POST or None, town=town)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(town=town, actor=request.user, **form.cleaned_data)
            messages.success(request, _("分类已添加。"))
            return redirect("events:categories")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    items = restrict(request.user, "events.configure", Category).select_related("parent").order_by(
        "parent__order", "parent_id", "order", "code")
    return render(request, "events/categories.html", {"title": _("事件分类与时限"), "form": form, "items": items})


@login_required
def category_edit(request, pk):
    category = get_in_scope(request.user, "events.configure", Category, pk=pk)
    form = CategoryForm(request.POST or None, instance=category, town=category.town)
    if request.method == "POST" and form.is_valid():
        try:
            changes = {k: form.cleaned_data[k] for k in form.changed_data}
            # the ModelForm already wrote the cleaned values onto the instance; reload before the service
            category.refresh_from_db()
            services.category_update(category=category, actor=request.user, **changes)
            messages.success(request, _("分类已保存。"))
            return redirect("events:categories")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    return render(request, "events/form.html", {"title": _("编辑分类：{name}").format(name=category.name),
                                                "form": form, "back": reverse("events:categories")})


@login_required
def rules(request):
    require(request.user, "events.configure")
    town = _town(request)
    form = RuleForm(request.POST or None, town=town)
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_set(town=town, actor=request.user, **form.cleaned_data)
            messages.success(request, _("分拨规则已保存。"))
            return redirect("events:rules")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    items = restrict(request.user, "events.configure", RoutingRule).select_related(
        "category", "category__parent", "village", "grid", "sector", "position").order_by("category__code")
    return render(request, "events/rules.html", {"title": _("分拨规则"), "form": form, "items": items})


@login_required
@require_POST
def rule_toggle(request, pk):
    rule = get_in_scope(request.user, "events.configure", RoutingRule, pk=pk)
    services.routing_rule_toggle(rule=rule, active=not rule.active, actor=request.user)
    messages.success(request, _("分拨规则已启用。") if rule.active else _("分拨规则已停用。"))
    return redirect("events:rules")


@login_required
def task_types(request, pk=None):
    require(request.user, "events.configure")
    town = _town(request)
    instance = get_in_scope(request.user, "events.configure", GridTaskType, pk=pk) if pk else None
    initial = ({"code": instance.code, "name": instance.name, "basis": instance.basis,
                "description": instance.description, "admitted": instance.admitted, "order": instance.order}
               if instance else None)
    form = TaskTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data["order"] = data.get("order") or 0
            services.grid_task_type_save(town=town, actor=request.user, instance=instance, **data)
            messages.success(request, _("网格准入事项已保存。"))
            return redirect("events:task_types")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    items = restrict(request.user, "events.configure", GridTaskType).order_by("order", "code")
    return render(request, "events/task_types.html", {"title": _("网格准入事项清单"), "form": form, "items": items,
                                                      "instance": instance})


@login_required
def api_keys(request):
    require(request.user, "events.api_keys")
    town = _town(request)
    form = ApiKeyForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _key, raw = services.apikey_create(town=town, name=form.cleaned_data["name"], actor=request.user)
            form = ApiKeyForm()
        except DomainError as exc:
            form.add_error("name", str(exc))
    items = restrict(request.user, "events.api_keys", ApiKey).order_by("-active", "name")
    return render(request, "events/api_keys.html", {"title": _("Open311 接入密钥"), "form": form, "items": items,
                                                    "raw": raw})


@login_required
@require_POST
def api_key_revoke(request, pk):
    key = get_in_scope(request.user, "events.api_keys", ApiKey, pk=pk)
    services.apikey_revoke(key=key, actor=request.user)
    messages.success(request, _("密钥已停用。"))
    return redirect("events:api_keys")


# --- campaigns, screening, hazards, operations ------------------------------------------------------

def _campaign_choice(user, value):
    if not value:
        return None
    return restrict(user, "events.campaign_view", Campaign).filter(pk=value).first()


@login_required
def campaigns(request):
    qs = selectors.campaigns(request.user)
    status = request.GET.get("status") or ""
    if status in CampaignStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("export") == "xlsx":
        require(request.user, "events.export")
        record(action="events.campaign.export", actor=request.user, town=request.user.town)
        rows = ([c.code, c.name, c.start_date, c.end_date, c.get_status_display(), c.sector.name if c.sector_id else "",
                 c.operations_n, c.target_operations, c.hazards_done, c.hazards_n, c.target_hazards, c.targets,
                 c.closed_on, c.closing_summary]
                for c in qs)
        return xlsx_response(f"campaigns-{timezone.localdate():%Y%m%d}", _("专项整治台账"), [
            _("代码"), _("名称"), _("开始"), _("结束"), _("状态"), _("牵头板块"), _("联合执法次数"), _("目标次数"),
            _("隐患销号"), _("隐患总数"), _("目标隐患数"), _("工作目标"), _("实际结束日期"), _("整治工作总结")], rows,
            note=_("状态：{status}").format(status=CampaignStatus(status).label) if status in CampaignStatus.values
            else "")
    can_manage = can(request.user, "events.campaign_manage")
    form = CampaignForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(request.user, "events.campaign_manage")
        if form.is_valid():
            try:
                campaign = services.campaign_create(town=_town(request), actor=request.user, **form.cleaned_data)
                messages.success(request, _("专项整治已创建。"))
                return redirect("events:campaign_detail", pk=campaign.pk)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    return render(request, "events/campaigns.html", {"title": _("专项整治"), "page_obj": _page(request, qs),
                                                     "form": form, "can_export": can(request.user, "events.export"),
                                                     "status": status, "statuses": CampaignStatus.choices})


@login_required
def campaign_detail(request, pk):
    campaign = selectors.campaign_detail(request.user, pk)
    plans = selectors.plan_completion(list(selectors.screening_plans(request.user, campaign)))
    ops = list(selectors.operations(request.user, {"campaign": campaign}).only(
        "pk", "date", "title", "location", "staff_count", "vehicles_checked", "hazards_found", "town_id",
        "campaign_id")[:50])
    hazard_counts = {r["status"]: r["n"] for r in selectors.hazards(request.user, {"campaign": campaign}).order_by()
                     .values("status").annotate(n=Count("pk"))}
    can_manage = can(request.user, "events.campaign_manage")
    writable = can_manage and not campaign.read_only
    task_types = list(restrict(request.user, "events.view", GridTaskType).filter(admitted=True)) if writable else []
    return render(request, "events/campaign_detail.html", {
        "title": campaign.name, "campaign": campaign, "plans": plans, "operations": ops,
        "operations_n": len(ops), "hazard_counts": [(HazardStatus(s).label, hazard_counts.get(s, 0))
                                                    for s in HazardStatus.values],
        "hazards_verified": hazard_counts.get(HazardStatus.VERIFIED, 0), "hazards_n": sum(hazard_counts.values()),
        "plan_form": PlanForm() if writable else None, "task_types": task_types, "can_manage": can_manage})


@login_required
@require_POST
def plan_create(request, pk):
    campaign = selectors.campaign_detail(request.user, pk)
    require(request.user, "events.campaign_manage")
    form = PlanForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        task_type = GridTaskType.objects.filter(town_id=campaign.town_id, pk=d.get("task_type") or 0).first()
        try:
            plan = services.screening_plan_create(town=campaign.town, campaign=campaign, month=d["month"],
                                                  title=d["title"], content=d.get("content") or "",
                                                  task_type=task_type, actor=request.user)
            messages.success(request, _("排查计划已下发到各网格。"))
            return redirect("events:plan_detail", pk=plan.pk)
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("请填写月份和排查主题。"))
    return redirect("events:campaign_detail", pk=pk)


@login_required
def plan_detail(request, pk):
    plan = get_in_scope(request.user, "events.campaign_view", ScreeningPlan.objects.select_related(
        "campaign", "task_type"), pk=pk)
    tasks = list(restrict(request.user, "events.campaign_view", ScreeningTask).filter(plan=plan).select_related(
        "grid", "grid__village", "done_by").order_by("grid__code"))
    done = sum(1 for t in tasks if t.done)
    if request.GET.get("export") == "xlsx":
        require(request.user, "events.export")
        record(action="events.screening_plan.export", obj=plan, actor=request.user)
        rows = ([t.grid.village.name, t.grid.name, _("已完成") if t.done else _("待排查"), t.done_at,
                 t.done_by.display_name if t.done_by else "", t.places_checked, t.issues_found, t.note] for t in tasks)
        return xlsx_response(f"screening-{plan.month:%Y%m}", _("月度排查完成情况"), [
            _("村(社区)"), _("网格"), _("状态"), _("完成时间"), _("完成人"), _("排查点位"), _("发现问题"),
            _("情况说明")],
            rows, note=_("{plan}：完成 {done}/{total}").format(plan=plan, done=done, total=len(tasks)))
    return render(request, "events/plan_detail.html", {
        "title": str(plan), "plan": plan, "tasks": tasks, "done": done,
        "rate": round(100 * done / len(tasks)) if tasks else 0, "task_form": TaskForm(),
        "can_export": can(request.user, "events.export"),
        "can_complete": can(request.user, "events.screening") and not (plan.campaign and plan.campaign.read_only)})


@login_required
@require_POST
def task_complete(request, pk):
    task = get_in_scope(request.user, "events.screening", ScreeningTask, pk=pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.screening_task_complete(task=task, actor=request.user, **form.cleaned_data)
            messages.success(request, _("排查任务已完成。"))
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("数量须为非负整数。"))
    return redirect(request.POST.get("next") or reverse("events:plan_detail", args=[task.plan_id]))


@login_required
def hazards(request):
    form = HazardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.hazards(request.user, data)
    if request.GET.get("export") == "xlsx":
        require(request.user, "events.export")
        record(action="events.hazard.export", actor=request.user, town=request.user.town,
               after={"filter": {k: str(v) for k, v in data.items() if v}})
        rows = ([h.code, h.title, h.get_kind_display(), h.grid.name if h.grid_id else "", h.location, h.found_on,
                 h.get_status_display(), h.responsible, h.deadline, h.rectified_on, h.verified_on, h.measures]
                for h in qs[:20000])
        return xlsx_response(f"hazards-{timezone.localdate():%Y%m%d}", _("隐患台账"), [
            _("编号"), _("隐患名称"), _("类别"), _("网格"), _("位置"), _("发现日期"), _("状态"), _("责任单位/人"),
            _("整改期限"), _("整改完成"), _("验收日期"), _("整改措施")], rows)
    return render(request, "events/hazards.html", {
        "title": _("隐患台账"), "form": form, "page_obj": _page(request, qs),
        "can_report": can(request.user, "events.hazard_report"), "can_export": can(request.user, "events.export"),
        "today": timezone.localdate()})


@login_required
def hazard_create(request):
    require(request.user, "events.hazard_report")
    town = _town(request)
    form = HazardForm(request.POST or None, request.FILES or None)
    grids = list(_grids(request.user, "events.hazard_report"))
    campaign_list = list(restrict(request.user, "events.campaign_view", Campaign).order_by("-start_date")[:50])
    source = (selectors.events(request.user).filter(pk=request.GET.get("event") or request.POST.get("event"))
              .select_related("grid").first() if (request.GET.get("event") or request.POST.get("event"))
              else None)
    if source is not None and request.method != "POST":
        form = HazardForm(initial={"title": source.title, "description": source.description,
                                   "grid": source.grid_id})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        grid = next((g for g in grids if g.pk == d.get("grid")), None)
        campaign = next((c for c in campaign_list if c.pk == d.get("campaign")), None)
        try:
            hazard = services.hazard_report(town=town, title=d["title"], kind=d["kind"], description=d["description"],
                                            grid=grid, location=d.get("location") or "", found_on=d.get("found_on"),
                                            campaign=campaign, actor=request.user, event=source,
                                            photos=request.FILES.getlist("photos"))
            messages.success(request, _("隐患已登记：{code}。").format(code=hazard.code))
            return redirect("events:hazard_detail", pk=hazard.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    return render(request, "events/hazard_form.html", {"title": _("登记隐患"), "form": form, "grids": grids,
                                                       "campaigns": campaign_list, "source": source})


@login_required
def hazard_detail(request, pk):
    hazard = get_in_scope(request.user, "events.hazard_view", Hazard.objects.select_related(
        "grid", "campaign", "operation", "event"), pk=pk)
    from audit.models import AuditEntry

    history = list(AuditEntry.objects.filter(object_type="events.hazard", object_id=str(hazard.pk)).order_by("seq")
                   .only("seq", "at", "actor_name", "action", "reason", "files"))
    for entry in history:
        entry.label = selectors.ACTION_LABELS.get(entry.action, entry.action)
    return render(request, "events/hazard_detail.html", {
        "title": hazard.title, "hazard": hazard, "photos": list(hazard.photos.all()), "history": history,
        "transitions": HAZARD.available(hazard, request.user), "form": HazardActForm()})


@login_required
@require_POST
def hazard_act(request, pk):
    hazard = get_in_scope(request.user, "events.hazard_view", Hazard, pk=pk)
    action = request.POST.get("action", "")
    if action not in HAZARD.transitions:
        raise PermissionDenied(action)
    if HAZARD.get(action).permission:
        require(request.user, HAZARD.get(action).permission)
    form = HazardActForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.hazard_transition(hazard=hazard, action=d["action"], actor=request.user, reason=d.get("reason")
                                       or "", data={"deadline": d.get("deadline"), "responsible": d.get("responsible"),
                                                    "measures": d.get("measures")},
                                       photos=request.FILES.getlist("photos"))
            messages.success(request, _("已{action}。").format(action=HAZARD.get(d["action"]).label))
        except DomainError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("请求无效。"))
    return redirect("events:hazard_detail", pk=pk)


@login_required
def hazard_photo(request, pk):
    item = get_in_scope(request.user, "events.hazard_view", HazardPhoto, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。"))
    return FileResponse(handle, content_type=item.content_type or "application/octet-stream")


@login_required
def operations(request):
    form = DateRangeForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.operations(request.user, data)
    if request.GET.get("export") == "xlsx":
        require(request.user, "events.export")
        record(action="events.operation.export", actor=request.user, town=request.user.town,
               after={"filter": {k: str(v) for k, v in data.items() if v}})
        rows = ([o.date, o.title, o.location, "、".join(o.unit_list), o.leader, o.staff_count, o.vehicles_checked,
                 o.places_checked, o.violations, o.hazards_found, o.follow_ups] for o in qs[:20000])
        return xlsx_response(f"joint-operations-{timezone.localdate():%Y%m%d}", _("联合执法行动台账"), [
            _("日期"), _("行动名称"), _("地点/路段"), _("参与单位"), _("带队人"), _("出动人数"), _("检查车辆"),
            _("检查场所"), _("查处违法行为"), _("发现隐患"), _("后续跟进")], rows)
    return render(request, "events/operations.html", {
        "title": _("联合执法行动"), "form": form, "page_obj": _page(request, qs),
        "can_record": can(request.user, "events.operation_manage"), "can_export": can(request.user, "events.export")})


@login_required
def operation_create(request):
    require(request.user, "events.operation_manage")
    town = _town(request)
    form = OperationForm(request.POST or None)
    campaign_list = list(restrict(request.user, "events.campaign_view", Campaign).order_by("-start_date")[:50])
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["campaign"] = next((c for c in campaign_list if c.pk == d.get("campaign")), None)
        try:
            op = services.operation_record(town=town, actor=request.user, **d)
            messages.success(request, _("联合执法行动已登记。"))
            return redirect("events:operation_detail", pk=op.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    return render(request, "events/operation_form.html", {"title": _("登记联合执法行动"), "form": form,
                                                          "campaigns": campaign_list})


@login_required
def operation_detail(request, pk):
    from .models import JointOperation

    op = get_in_scope(request.user, "events.operation_view", JointOperation.objects.select_related("campaign"), pk=pk)
    found = list(Hazard.objects.filter(town_id=op.town_id, operation=op).filter(
        Q(pk__in=restrict(request.user, "events.hazard_view", Hazard).values("pk"))).order_by("code"))
    return render(request, "events/operation_detail.html", {"title": op.title, "op": op, "hazards": found})


@login_required
def map_data(request):
    return JsonResponse({"points": selectors.map_points(request.user)})


# --- campaign lifecycle -------------------------------------------------------------------------------

@login_required
def campaign_edit(request, pk):
    campaign = selectors.campaign_detail(request.user, pk)
    require(request.user, "events.campaign_manage")
    if campaign.read_only:
        messages.error(request, _("专项整治已结束，只能查看。"))
        return redirect("events:campaign_detail", pk=pk)
    initial = {k: getattr(campaign, k) for k in services.CAMPAIGN_FIELDS}
    form = CampaignEditForm(request.POST or None, initial=initial, town=campaign.town)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        reason = d.pop("reason")
        changes = {k: v for k, v in d.items() if k in form.changed_data}
        try:
            services.campaign_update(campaign=campaign, actor=request.user, reason=reason, **changes)
            messages.success(request, _("专项整治已保存。"))
            return redirect("events:campaign_detail", pk=pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    return render(request, "events/form.html", {"title": _("编辑专项整治：{name}").format(name=campaign.name),
                                                "form": form, "back": reverse("events:campaign_detail", args=[pk])})


@login_required
@require_POST
def campaign_act(request, pk):
    campaign = selectors.campaign_detail(request.user, pk)
    require(request.user, "events.campaign_manage")
    form = CampaignActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择操作并正确填写日期。"))
        return redirect("events:campaign_detail", pk=pk)
    d = form.cleaned_data
    try:
        services.campaign_transition(campaign=campaign, action=d["action"], actor=request.user, reason=d["reason"],
                                     data={"summary": d.get("summary") or "", "closed_on": d.get("closed_on")})
        messages.success(request, _("专项整治已结束，总结已归档。") if d["action"] == "close"
                         else _("专项整治已启动。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("events:campaign_detail", pk=pk)


# --- duty roster (值班表) ---------------------------------------------------------------------------

def _month_of(value):
    import datetime as dt

    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def duty(request):
    import calendar
    import datetime as dt

    require(request.user, "events.duty_view")
    month = _month_of(request.GET.get("month"))
    shifts = selectors.duty_month(request.user, month)
    by_day = {}
    for s in shifts:  # a district user sees one shift per town and day
        by_day.setdefault(s.date, []).append(s)
    last = calendar.monthrange(month.year, month.month)[1]
    town_column = request.user.town_id is None
    if request.GET.get("export") == "xlsx":
        record(action="events.duty.export", actor=request.user, town=request.user.town,
               after={"month": f"{month:%Y-%m}"})
        weekdays = [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日")]
        rows = []
        for n in range(1, last + 1):
            day = month.replace(day=n)
            for s in by_day.get(day) or [None]:
                rows.append([day, weekdays[day.weekday()], s.leader.display_name if s else "",
                             s.leader.username if s else "", s.deputy.display_name if s and s.deputy else "",
                             s.deputy.username if s and s.deputy else "", s.note if s else ""]
                            + ([s.town.name if s else ""] if town_column else []))
        headers = list(services.DUTY_HEADERS) + ([_("镇街")] if town_column else [])
        return xlsx_response(f"duty-{month:%Y%m}", _("值班表"), headers, rows,
                             note=_("{month} 值班表（导入时以账号列为准，未填账号按姓名匹配）").format(
                                 month=f"{month:%Y-%m}"))
    can_plan = can(request.user, "events.duty_plan")
    town = request.user.town
    form = None
    if can_plan and town is not None:
        day = request.GET.get("day")
        initial = {"date": day or timezone.localdate()}
        try:
            picked = dt.date.fromisoformat(day) if day else None
        except ValueError:
            picked = None
        if picked and picked in by_day:
            s = by_day[picked][0]
            initial.update(leader=s.leader_id, deputy=s.deputy_id, note=s.note)
        form = DutyShiftForm(request.POST or None, initial=initial, town=town)
        if request.method == "POST":
            if form.is_valid():
                d = form.cleaned_data
                try:
                    shift = services.duty_shift_set(town=town, actor=request.user, date=d["date"], leader=d["leader"],
                                                    deputy=d.get("deputy"), note=d.get("note") or "")
                    messages.success(request, _("{date} 值班已安排。").format(date=shift.date))
                    return redirect(f"{reverse('events:duty')}?month={shift.date:%Y-%m}")
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    elif request.method == "POST":
        require(request.user, "events.duty_plan")
        raise PermissionDenied(_("区县账号不能编排镇街值班表。"))
    today = timezone.localdate()
    weeks = [[{"date": d, "in_month": d.month == month.month, "today": d == today, "shifts": by_day.get(d, [])}
              for d in week] for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)]
    prev_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    planned = sum(1 for n in range(1, last + 1) if month.replace(day=n) in by_day)
    return render(request, "events/duty.html", {
        "title": _("值班表"), "month": month, "weeks": weeks, "form": form, "can_plan": can_plan,
        "prev_month": prev_month, "next_month": next_month, "planned": planned, "days": last,
        "import_form": DutyImportForm() if can_plan else None, "shifts": shifts, "town_column": town_column})


@login_required
@require_POST
def duty_import(request):
    require(request.user, "events.duty_plan")
    town = _town(request)
    form = DutyImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择Excel文件。"))
        return redirect("events:duty")
    try:
        n = services.duty_import(town=town, file=form.cleaned_data["file"], actor=request.user)
        messages.success(request, _("已导入 {n} 天的值班安排。").format(n=n))
    except DomainError as exc:
        _error(request, exc)
    return redirect("events:duty")


@login_required
@require_POST
def duty_clear(request, pk):
    shift = get_in_scope(request.user, "events.duty_plan", DutyShift, pk=pk)
    month = shift.date
    if request.POST.get("confirm") != "1":
        messages.error(request, _("请确认取消 {date} 的值班安排。").format(date=month))
    else:
        services.duty_shift_clear(shift=shift, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("{date} 的值班安排已取消。").format(date=month))
    return redirect(f"{reverse('events:duty')}?month={month:%Y-%m}")
