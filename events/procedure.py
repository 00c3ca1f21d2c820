"""The event flow: reported → accepted (or rejected) → dispatched → in progress → resolved → verified → closed,
with returns and re-dispatch, on-the-spot settlement, transfer to a district department, and reopening.

Service levels are category configuration (no statute fixes them), so due times are plain timestamps:
``due_at`` is the deadline of the step the event is waiting for, ``due_handle_at`` the handling deadline.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.procedure import Procedure, Transition

from .models import Event, EventStatus, Level

S = EventStatus


def _hours(n: int) -> dt.timedelta:
    return dt.timedelta(hours=n)


def is_cohandler(event: Event, user) -> bool:
    """The user holds a post with an active co-handling (协办) dispatch on the event: one query."""
    from django.db.models import Q

    from .models import Dispatch

    return Dispatch.objects.filter(event=event, status="active", role="co").filter(
        Q(position__primary_holder__user=user) | Q(position__backup_holder__user=user)).exists()


def is_handler(event: Event, user) -> bool:
    """The user holds the event's (lead) post, A or B, or leads its sector, or is a sector-scoped handler of it."""
    from access.roles import Role
    from access.scope import grants_of

    grants = grants_of(user)
    for g in grants:
        if g.role == Role.SECTOR_LEAD and (g.sector_id is None or g.sector_id == event.sector_id):
            return True
    position = event.position
    if position is not None and user.pk in _holder_user_ids(position):
        return True
    if position is None and event.sector_id:
        return any(g.role in (Role.POST_HOLDER, Role.ENFORCEMENT_OFFICER) and g.sector_id == event.sector_id
                   for g in grants)
    return False


def _holder_user_ids(position) -> set:
    """User ids of the post's A and B holders (no query when the holders were select_related)."""
    return {s.user_id for s in (position.primary_holder, position.backup_holder) if s is not None and s.user_id}


def guard_handler(event, ctx):
    if not is_handler(event, ctx.actor):
        raise PermissionDenied("events.handle")


def guard_spot_settleable(event, ctx):
    if event.level == Level.GRID and not event.category.spot_settleable:
        raise DomainError(_("“{category}”类事件不能由网格员就地处置，请提交中心受理。").format(
            category=event.category.name), rule="events.guard.spot_settleable", field="category")


def guard_result(event, ctx):
    if not (ctx.data.get("result") or "").strip():
        raise DomainError(_("请填写处置结果。"), rule="events.guard.result_required", field="result")


def guard_dispatch_target(event, ctx):
    sector = ctx.data.get("sector")
    if sector is None:
        raise DomainError(_("请选择承办板块。"), rule="events.guard.dispatch_target", field="sector")
    if sector.town_id != event.town_id:
        raise DomainError(_("承办板块不属于本镇街。"), field="sector")
    position = ctx.data.get("position")
    if position is not None and position.sector_id != sector.pk:
        raise DomainError(_("承办岗位不属于所选板块。"), rule="events.guard.dispatch_target", field="position")


# --- field changes applied with each move -------------------------------------------------------

def apply_accept(event, ctx):
    now = timezone.now()
    event.accepted_at = now
    event.due_at = event.reported_at + _hours(event.category.sla_dispatch_hours)
    changed = ["accepted_at", "due_at", "escalate_at"]
    event.escalate_at = None  # the centre has it: the grid/village timer stops
    if event.level in (Level.GRID, Level.VILLAGE):
        event.level = Level.TOWN
        changed.append("level")
    for name in ("priority", "urgent"):
        if name in ctx.data:
            setattr(event, name, ctx.data[name])
            changed.append(name)
    return changed


def apply_reject(event, ctx):
    event.reject_reason = ctx.reason
    event.closed_at = timezone.now()
    event.due_at = None
    event.escalate_at = None
    return ["reject_reason", "closed_at", "due_at", "escalate_at"]


def apply_dispatch(event, ctx):
    now = timezone.now()
    event.sector = ctx.data["sector"]
    event.position = ctx.data.get("position")
    event.dispatched_at = now
    if event.accepted_at is None:
        event.accepted_at = now
    if event.due_handle_at is None:
        event.due_handle_at = now + _hours(event.category.sla_handle_hours)
    event.due_at = event.due_handle_at
    if event.level in (Level.GRID, Level.VILLAGE):
        event.level = Level.TOWN
    event.escalate_at = None
    return ["sector", "position", "dispatched_at", "accepted_at", "due_handle_at", "due_at", "level", "escalate_at"]


def apply_return(event, ctx):
    event.due_at = timezone.now() + _hours(event.category.sla_dispatch_hours)
    return ["due_at"]


def apply_resolve(event, ctx):
    event.result = ctx.data["result"].strip()
    event.resolved_at = timezone.now()
    event.settlement_level = ctx.data.get("settlement_level") or event.level
    event.due_at = None
    event.escalate_at = None
    return ["result", "resolved_at", "settlement_level", "due_at", "escalate_at"]


def apply_send_back(event, ctx):
    event.resolved_at = None
    event.settlement_level = ""
    event.due_at = event.due_handle_at
    return ["resolved_at", "settlement_level", "due_at"]


def apply_close(event, ctx):
    event.closed_at = timezone.now()
    event.due_at = None
    event.supervised = False
    return ["closed_at", "due_at", "supervised"]


def apply_reopen(event, ctx):
    event.reopen_count += 1
    event.closed_at = None
    event.resolved_at = None
    event.settlement_level = ""
    event.due_handle_at = None
    event.due_at = timezone.now() + _hours(event.category.sla_dispatch_hours)
    return ["reopen_count", "closed_at", "resolved_at", "settlement_level", "due_handle_at", "due_at"]


def apply_escalate(event, ctx):
    event.level = Level.DISTRICT
    event.due_at = None
    event.escalate_at = None
    return ["level", "due_at", "escalate_at"]


def apply_answer(event, ctx):
    changed = apply_resolve(event, ctx)
    return changed


EVENT = Procedure(
    model=Event,
    field="status",
    audit_prefix="events.event",
    transitions=[
        Transition("accept", source=[S.REPORTED], target=S.ACCEPTED, label=_("受理"),
                   permission="events.triage", apply=apply_accept, style="primary"),
        Transition("reject", source=[S.REPORTED], target=S.REJECTED, label=_("不予受理"),
                   permission="events.triage", requires_reason=True, apply=apply_reject, style="secondary"),
        Transition("settle", source=[S.REPORTED], target=S.RESOLVED, label=_("就地处置"),
                   permission="events.settle", guards=[guard_spot_settleable, guard_result], apply=apply_resolve,
                   style="success"),
        Transition("dispatch", source=[S.REPORTED, S.ACCEPTED, S.RETURNED, S.REOPENED], target=S.DISPATCHED,
                   label=_("分拨"), permission="events.dispatch", guards=[guard_dispatch_target],
                   apply=apply_dispatch, style="primary"),
        Transition("redispatch", source=[S.DISPATCHED, S.IN_PROGRESS], target=S.DISPATCHED, label=_("改派"),
                   permission="events.dispatch", guards=[guard_dispatch_target], requires_reason=True,
                   apply=apply_dispatch, style="warning"),
        Transition("start", source=[S.DISPATCHED], target=S.IN_PROGRESS, label=_("签收办理"),
                   permission="events.handle", guards=[guard_handler], style="primary"),
        Transition("resolve", source=[S.DISPATCHED, S.IN_PROGRESS], target=S.RESOLVED, label=_("办结反馈"),
                   permission="events.handle", guards=[guard_handler, guard_result], apply=apply_resolve,
                   style="success"),
        Transition("return", source=[S.DISPATCHED, S.IN_PROGRESS], target=S.RETURNED, label=_("退回中心"),
                   permission="events.handle", guards=[guard_handler], requires_reason=True, apply=apply_return,
                   style="danger"),
        Transition("verify", source=[S.RESOLVED], target=S.VERIFIED, label=_("核查通过"),
                   permission="events.verify", style="success"),
        Transition("send_back", source=[S.RESOLVED], target=S.IN_PROGRESS, label=_("核查不通过"),
                   permission="events.verify", requires_reason=True, apply=apply_send_back, style="danger"),
        Transition("close", source=[S.VERIFIED], target=S.CLOSED, label=_("结案"),
                   permission="events.verify", apply=apply_close, style="dark"),
        Transition("reopen", source=[S.VERIFIED, S.CLOSED], target=S.REOPENED, label=_("重启"),
                   permission="events.reopen", requires_reason=True, apply=apply_reopen, style="danger"),
        Transition("reopen_by_rating", source=[S.VERIFIED, S.CLOSED], target=S.REOPENED,
                   label=_("群众不满意重启"), requires_reason=True, apply=apply_reopen, style="danger"),
        Transition("transfer", source=[S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED, S.REOPENED],
                   target=S.ESCALATED, label=_("上报区县部门"), permission="events.dispatch",
                   requires_reason=True, apply=apply_escalate, style="warning"),
        Transition("answer", source=[S.ESCALATED], target=S.RESOLVED, label=_("登记区县答复"),
                   permission="events.dispatch", guards=[guard_result], apply=apply_answer, style="success"),
    ],
)

# Fired only by services (the portal rating), never offered as a button.
INTERNAL_ACTIONS = {"reopen_by_rating"}
# Actions fired from the event page with a form of their own (the others are a button and a reason).
FORM_ACTIONS = {"dispatch", "redispatch", "resolve", "settle", "answer"}


# --- hazards ---------------------------------------------------------------------------------------

def _hazard_order(hazard, ctx):
    deadline = ctx.data.get("deadline")
    if deadline is None:
        raise DomainError(_("请填写整改期限。"), rule="events.guard.hazard_deadline", field="deadline")
    if deadline < hazard.found_on:
        raise DomainError(_("整改期限不能早于发现日期。"), rule="events.guard.hazard_deadline", field="deadline")
    hazard.deadline = deadline
    hazard.responsible = (ctx.data.get("responsible") or hazard.responsible).strip()
    hazard.measures = (ctx.data.get("measures") or hazard.measures).strip()
    return ["deadline", "responsible", "measures"]


def _hazard_rectified(hazard, ctx):
    hazard.rectified_on = ctx.data.get("on_date") or timezone.localdate()
    if ctx.data.get("measures"):
        hazard.measures = ctx.data["measures"].strip()
    return ["rectified_on", "measures"]


def _hazard_verified(hazard, ctx):
    hazard.verified_on = ctx.data.get("on_date") or timezone.localdate()
    return ["verified_on"]


def _hazard_has_after_photo(hazard, ctx):
    if not hazard.photos.filter(stage="after").exists() and not ctx.data.get("has_after_photo"):
        raise DomainError(_("请上传整改后照片。"), rule="events.guard.hazard_after_photo", field="photo")


def _hazard_reject(hazard, ctx):
    hazard.rectified_on = None
    return ["rectified_on"]


def _build_hazard_procedure():
    from .models import Hazard
    from .models import HazardStatus as H

    return Procedure(
        model=Hazard,
        field="status",
        audit_prefix="events.hazard",
        transitions=[
            Transition("order", source=[H.FOUND], target=H.ORDERED, label=_("责令整改"),
                       permission="events.hazard_manage", apply=_hazard_order, style="warning"),
            Transition("start", source=[H.ORDERED], target=H.RECTIFYING, label=_("开始整改"),
                       permission="events.hazard_rectify", style="primary"),
            Transition("rectified", source=[H.ORDERED, H.RECTIFYING], target=H.RECTIFIED, label=_("整改完成"),
                       permission="events.hazard_rectify", guards=[_hazard_has_after_photo],
                       apply=_hazard_rectified, style="info"),
            Transition("verify", source=[H.RECTIFIED], target=H.VERIFIED, label=_("验收销号"),
                       permission="events.hazard_manage", apply=_hazard_verified, style="success"),
            Transition("reject", source=[H.RECTIFIED], target=H.RECTIFYING, label=_("验收不通过"),
                       permission="events.hazard_manage", requires_reason=True, apply=_hazard_reject,
                       style="danger"),
        ],
    )


HAZARD = _build_hazard_procedure()


# --- campaigns (专项整治): planned → active → closed; closed campaigns are read-only ----------------------

def _campaign_start(campaign, ctx):
    from django.utils import timezone as tz

    if campaign.start_date > tz.localdate():
        campaign.start_date = tz.localdate()  # started early: the period begins today
        return ["start_date"]
    return []


def _campaign_close(campaign, ctx):
    summary = (ctx.data.get("summary") or "").strip()
    if not summary:
        raise DomainError(_("请填写整治工作总结。"), rule="events.guard.campaign_summary", field="summary")
    from django.utils import timezone as tz

    from .selectors import campaign_figures

    campaign.closed_on = ctx.data.get("closed_on") or tz.localdate()
    if campaign.closed_on < campaign.start_date:
        raise DomainError(_("结束日期不能早于开始日期。"), rule="events.guard.campaign_dates", field="closed_on")
    campaign.closing_summary = summary
    campaign.closing_figures = campaign_figures(campaign)
    return ["closed_on", "closing_summary", "closing_figures"]


def _build_campaign_procedure():
    from .models import Campaign
    from .models import CampaignStatus as C

    return Procedure(
        model=Campaign,
        field="status",
        audit_prefix="events.campaign",
        transitions=[
            Transition("start", source=[C.PLANNED], target=C.ACTIVE, label=_("启动整治"),
                       permission="events.campaign_manage", apply=_campaign_start, style="primary"),
            Transition("close", source=[C.ACTIVE], target=C.CLOSED, label=_("结束并总结"),
                       permission="events.campaign_manage", requires_reason=True, apply=_campaign_close,
                       style="dark"),
        ],
    )


CAMPAIGN = _build_campaign_procedure()
