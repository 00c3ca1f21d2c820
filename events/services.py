"""The one write path of the events module. Every function is keyword-only, atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import can, require
from audit.services import record, record_change, snapshot
from core.crypto import sm3_hex
from core.errors import DomainError

from . import geo
from .files import check_attachments, check_photos
from .models import (
    LEVEL_ORDER,
    ApiKey,
    Campaign,
    CampaignStatus,
    Category,
    Channel,
    Dispatch,
    DispatchKind,
    DispatchStatus,
    DutyShift,
    Escalation,
    EscalationStatus,
    Evaluation,
    Event,
    EventAttachment,
    EventNote,
    EventPhoto,
    EventStatus,
    GridTaskType,
    Hazard,
    HazardPhoto,
    JointOperation,
    Level,
    PhotoStage,
    Priority,
    RoutingRule,
    ScreeningPlan,
    ScreeningTask,
    Supervision,
)
from .procedure import CAMPAIGN, EVENT, HAZARD, INTERNAL_ACTIONS

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
POOR_RATING = 2


class DuplicateSubmission(DomainError):
    """The same form token or Idempotency-Key was already used: nothing new is written."""

    status_code = 409

    def __init__(self, event: Event):
        super().__init__(_("该事件已提交（查询码 {code}），请勿重复提交。").format(code=event.tracking_code),
                         rule="events.guard.duplicate_submission")
        self.event = event


def new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
        if not Event.objects.filter(tracking_code=code).exists():
            return code


def _clean_text(value, *, label: str, field: str, max_length: int | None = None, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("请填写{label}。").format(label=label), field=field)
    if max_length and len(value) > max_length:
        raise DomainError(_("{label}不能超过 {n} 个字。").format(label=label, n=max_length), field=field)
    return value


def _clean_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "").replace("-", "")
    if value and not (value.isdigit() and 7 <= len(value) <= 12):
        raise DomainError(_("联系电话格式不正确。"), rule="events.guard.phone", field="reporter_phone")
    return value


def _store_photos(*, checked, town, event=None, hazard=None, stage: str, actor) -> list[dict]:
    """Save validated uploads; returns the ``files`` list for the audit entry."""
    files = []
    for item in checked:
        upload = item["upload"]
        name = (getattr(upload, "name", "") or "photo")[-200:]
        if event is not None:
            photo = EventPhoto(town=town, event=event, stage=stage, name=name, content_type=item["content_type"],
                               size=item["size"], sm3=item["sm3"],
                               uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        else:
            photo = HazardPhoto(town=town, hazard=hazard, stage=stage, name=name, content_type=item["content_type"],
                                size=item["size"], sm3=item["sm3"])
        ext = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
               "image/heic": "heic"}[item["content_type"]]
        photo.file.save(f"{item['sm3'][:16]}.{ext}", upload, save=False)
        photo.save()
        files.append({"name": name, "path": photo.file.name, "sm3": item["sm3"], "stage": stage})
    return files


def _store_attachments(*, checked, town, event, actor) -> list[dict]:
    files = []
    for item in checked:
        upload = item["upload"]
        name = (getattr(upload, "name", "") or "file")[-200:]
        att = EventAttachment(town=town, event=event, name=name, content_type=item["content_type"],
                              size=item["size"], sm3=item["sm3"],
                              uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        att.file.save(f"{item['sm3'][:16]}.{item['ext']}", upload, save=False)
        att.save()
        files.append({"name": name, "path": att.file.name, "sm3": item["sm3"], "stage": "attachment"})
    return files


def _users_with_role(town, role: str):
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(town=town, is_active=True, grants__role=role).distinct())


def _notify(users, *, title: str, body: str = "", url: str = "", level: str = "info", key: str = "", town=None,
            sms: bool = False):
    from notify.services import notify

    seen = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notify(recipient=user, title=title, body=body, url=url, level=level, key=key, town=town, sms=sms)


def duty_recipients(town, day=None) -> tuple[list, DutyShift | None]:
    """Who is alerted of an urgent event: the day's duty leader and deputy; when no shift is planned for the day,
    every leader of the town. Returns (users, shift or None)."""
    day = day or timezone.localdate()
    shift = DutyShift.objects.filter(town=town, date=day).select_related("leader", "deputy").first()
    if shift is not None:
        return [u for u in (shift.leader, shift.deputy) if u is not None and u.is_active], shift
    return _users_with_role(town, "leader"), None


def _notify_urgent(event, *, with_dispatchers: bool):
    """On commit: the duty leader (and deputy) by in-app message and SMS — or every leader when nobody is on
    duty — and, for a new report, the dispatchers in-app."""
    town, title, body = event.town, _("紧急事件：{title}").format(title=event.title), event.description[:200]
    key, url = f"event:{event.pk}:urgent", _event_url(event)

    def send():
        leaders, _shift = duty_recipients(town)
        _notify(leaders, title=title, body=body, url=url, level="danger", key=key, town=town, sms=True)
        if with_dispatchers:
            _notify(_users_with_role(town, "dispatcher"), title=title, body=body, url=url, level="danger", key=key,
                    town=town)

    transaction.on_commit(send)


def _event_url(event) -> str:
    return f"/events/{event.pk}/"


def _on_commit_notify(users_fn, **kwargs):
    transaction.on_commit(lambda: _notify(users_fn(), **kwargs))


# --- routing ------------------------------------------------------------------------------------

def _acting(position):
    try:
        from org.selectors import acting_holder
    except ImportError:  # pragma: no cover - org selectors not there yet
        acting_holder = None
    if acting_holder is not None:
        acting = acting_holder(position)
        return acting.staff, acting.note
    return (position.primary_holder or position.backup_holder), ""


def suggest_route(event) -> RoutingRule | None:
    """The most specific active rule for the event's category (or its nearest ancestor) × grid/village."""
    chain = []
    category = event.category
    seen = set()
    while category is not None and category.pk not in seen:
        seen.add(category.pk)
        chain.append(category.pk)
        category = category.parent
    rules = list(RoutingRule.objects.filter(town_id=event.town_id, category_id__in=chain, active=True)
                 .select_related("sector", "position"))

    def rank(rule):
        depth = chain.index(rule.category_id)
        if rule.grid_id:
            where = 0 if rule.grid_id == event.grid_id else None
        elif rule.village_id:
            where = 1 if rule.village_id == event.village_id else None
        else:
            where = 2
        return None if where is None else (depth, where)

    ranked = [(rank(r), r) for r in rules]
    ranked = [(k, r) for k, r in ranked if k is not None]
    return min(ranked, key=lambda kr: kr[0])[1] if ranked else None


# --- intake -----------------------------------------------------------------------------------

@transaction.atomic
def event_report(*, town, category, title: str, description: str, channel: str, actor=None, grid=None,
                 lat=None, lng=None, address: str = "", reporter_name: str = "", reporter_phone: str = "",
                 urgent: bool = False, photos=(), attachments=(), enterprise=None, client_key: str = "",
                 settle_result: str = "", level: str | None = None, reported_at=None, source: str = "") -> Event:
    """Register an event from any channel. ``settle_result`` settles it on the spot (grid workers)."""
    if getattr(actor, "is_authenticated", False) and channel not in (Channel.PORTAL, Channel.OPEN311):
        require(actor, "events.report")
    if category is None:
        raise DomainError(_("请选择事件分类。"), rule="events.guard.category", field="category")
    if category.town_id != town.pk or not category.active:
        raise DomainError(_("所选事件分类不可用。"), rule="events.guard.category", field="category")
    if channel not in Channel.values:
        raise DomainError(_("未知的来源渠道。"), field="channel")
    title = _clean_text(title, label=_("事件标题"), field="title", max_length=120)
    description = _clean_text(description, label=_("事件描述"), field="description", max_length=4000)
    reporter_phone = _clean_phone(reporter_phone)
    client_key = (client_key or "").strip()[:64]
    if client_key:
        existing = Event.objects.filter(town=town, client_key=client_key).first()
        if existing is not None:
            raise DuplicateSubmission(existing)
    checked = check_photos(photos)
    checked_files = check_attachments(attachments)

    from org.models import Grid

    grids = list(Grid.objects.filter(town=town, active=True).select_related("village"))
    if grid is not None and grid.town_id != town.pk:
        raise DomainError(_("所选网格不属于本镇街。"), field="grid")
    if (lat is None) != (lng is None):
        raise DomainError(_("位置须同时包含经度和纬度。"), rule="events.guard.location", field="location")
    if lat is not None:
        try:
            lat, lng = float(lat), float(lng)
        except (TypeError, ValueError):
            raise DomainError(_("位置坐标格式不正确。"), rule="events.guard.location", field="location")
        if not (-90 <= lat <= 90 and -180 <= lng <= 180) or not geo.in_town(town, lat, lng, grids):
            raise DomainError(_("所选位置不在{town}辖区内，请重新定位或在地图上选点。").format(town=town.name),
                              rule="events.guard.location", field="location")
        if grid is None:
            grid = geo.grid_at(grids, lat, lng)
    village = grid.village if grid is not None else None

    if level is None:
        level = Level.GRID if channel == Channel.GRID_WORKER else Level.TOWN
    if urgent:
        level = Level.TOWN  # urgent events bypass the grid and village levels
    now = reported_at or timezone.now()
    liaison = None
    if enterprise is not None:
        if enterprise.town_id != town.pk:
            raise DomainError(_("企业不属于本镇街。"), field="enterprise")
        liaison = enterprise.liaison
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    event = Event(
        town=town, tracking_code=new_tracking_code(), title=title, description=description, category=category,
        channel=channel, status=EventStatus.REPORTED,
        priority=Priority.HIGH if urgent else category.default_priority, urgent=bool(urgent), level=level,
        grid=grid, village=village, lat=lat, lng=lng, address=(address or "").strip()[:300],
        reporter_name=(reporter_name or "").strip()[:64], reporter_phone=reporter_phone,
        reporter_user=actor_user, enterprise=enterprise, liaison=liaison, reported_at=now,
        due_at=now + dt.timedelta(hours=category.sla_ack_hours), client_key=client_key,
        escalate_at=level_timer(category, level, now),
    )
    try:
        with transaction.atomic():
            event.save(force_insert=True)
    except IntegrityError:
        existing = Event.objects.filter(town=town, client_key=client_key).first() if client_key else None
        if existing is not None:
            raise DuplicateSubmission(existing)
        raise
    files = _store_photos(checked=checked, town=town, event=event, stage=PhotoStage.REPORT, actor=actor)
    files += _store_attachments(checked=checked_files, town=town, event=event, actor=actor)
    record(action="events.event.report", obj=event, actor=actor_user,
           after={"category": category.code, "channel": channel, "grid": grid.pk if grid else None,
                  "urgent": event.urgent, "level": level, "tracking_code": event.tracking_code,
                  "enterprise": enterprise.pk if enterprise else None, "source": source},
           files=files)
    if event.urgent:
        _notify_urgent(event, with_dispatchers=True)
    if liaison is not None and liaison.user_id:
        user = liaison.user
        _on_commit_notify(lambda: [user], title=_("企业诉求：{name}").format(name=enterprise.name),
                          body=title, url=_event_url(event), key=f"event:{event.pk}:liaison", town=town)
    if settle_result:
        EVENT.fire(event, "settle", actor=actor_user, data={"result": settle_result})
    return event


# --- the flow ---------------------------------------------------------------------------------

def level_timer(category, level: str, since):
    """When an event entering ``level`` at ``since`` moves up automatically (grid and village only)."""
    if level == Level.GRID:
        return since + dt.timedelta(hours=category.escalate_grid_hours)
    if level == Level.VILLAGE:
        return since + dt.timedelta(hours=category.escalate_village_hours)
    return None


def _close_active_dispatches(event, status: str, reason: str = ""):
    now = timezone.now()
    for d in Dispatch.objects.filter(event=event, status=DispatchStatus.ACTIVE):
        d.status = status
        d.closed_at = now
        if reason:
            d.return_reason = reason
        d.save(update_fields=["status", "closed_at", "return_reason"])


@transaction.atomic
def event_transition(*, event: Event, action: str, actor, reason: str = "", data: dict | None = None,
                     photos=()) -> Event:
    """Fire one move of the event flow, with the records that go with it (dispatches, photos, escalations)."""
    if action in INTERNAL_ACTIONS:
        raise PermissionDenied(action)
    data = dict(data or {})
    reason = (reason or "").strip()
    checked = check_photos(photos)
    if action in ("resolve", "settle", "answer"):
        data["result"] = (data.get("result") or reason or "").strip()
    if action in ("dispatch", "redispatch"):
        position = data.get("position")
        if position is not None and data.get("sector") is None:
            data["sector"] = position.sector
    if action == "transfer":
        data["department"] = _clean_text(data.get("department"), label=_("接收部门"), field="department",
                                         max_length=100)
    # Lock the row for the duration (PostgreSQL); SQLite's immediate transactions serialise writers anyway.
    Event.objects.select_for_update().filter(pk=event.pk).first()
    previous_level = event.level
    was_urgent = event.urgent
    EVENT.fire(event, action, actor=actor, reason=reason, data=data)
    if event.urgent and not was_urgent:
        _notify_urgent(event, with_dispatchers=False)

    if action in ("dispatch", "redispatch"):
        _close_active_dispatches(event, DispatchStatus.SUPERSEDED)
        position = data.get("position")
        holder, note = _acting(position) if position is not None else (None, "")
        rule = suggest_route(event)
        dispatch = Dispatch.objects.create(
            town=event.town, event=event, sector=data["sector"], position=position, holder=holder,
            kind=data.get("kind") or DispatchKind.INTERNAL, note=(data.get("note") or reason or note or "")[:2000],
            suggested=bool(rule and rule.sector_id == data["sector"].pk
                           and (rule.position_id is None or rule.position_id == getattr(position, "pk", None))),
            dispatched_by=actor,
        )
        record(action="events.dispatch.create", obj=event, actor=actor, reason=reason,
               after={"dispatch": dispatch.pk, "sector": dispatch.sector_id, "position": dispatch.position_id,
                      "holder": holder.pk if holder else None, "kind": dispatch.kind, "note": note})
        if holder is not None and holder.user_id:
            user = holder.user
            _on_commit_notify(lambda: [user], title=_("新分拨事件：{title}").format(title=event.title),
                              url=_event_url(event), level="danger" if event.urgent else "info",
                              key=f"event:{event.pk}:dispatch:{dispatch.pk}", town=event.town)
    elif action == "return":
        _close_active_dispatches(event, DispatchStatus.RETURNED, reason)
    elif action in ("resolve", "settle", "answer"):
        _close_active_dispatches(event, DispatchStatus.DONE)
        if action == "answer":
            esc = event.escalations.filter(status=EscalationStatus.OPEN).order_by("-at").first()
            if esc is not None:
                esc.status = EscalationStatus.ANSWERED
                esc.answer = data["result"]
                esc.answered_at = timezone.now()
                esc.save(update_fields=["status", "answer", "answered_at"])
    elif action == "close":
        Supervision.objects.filter(event=event, done_at__isnull=True).update(done_at=timezone.now())
    elif action == "transfer":
        at = timezone.now()
        esc = Escalation.objects.create(town=event.town, event=event, from_level=previous_level,
                                        to_level=Level.DISTRICT, department=data["department"], reason=reason,
                                        by=actor, at=at,
                                        answer_due_at=at + dt.timedelta(hours=event.category.transfer_answer_hours))
        record(action="events.escalation.create", obj=event, actor=actor, reason=reason,
               after={"escalation": esc.pk, "from": previous_level, "to": Level.DISTRICT,
                      "department": data["department"], "answer_due_at": esc.answer_due_at})
    if checked:
        stage = PhotoStage.RESULT if action in ("resolve", "settle", "answer") else PhotoStage.PROGRESS
        files = _store_photos(checked=checked, town=event.town, event=event, stage=stage, actor=actor)
        record(action="events.event.photos", obj=event, actor=actor, files=files,
               after={"stage": stage, "count": len(files)})
    return event


def _same_town(obj, town, label):
    if obj is not None and obj.town_id != town.pk:
        raise DomainError(_("{label}不属于本镇街。").format(label=label))


@transaction.atomic
def event_add_note(*, event: Event, text: str, actor, photos=(), attachments=()) -> EventNote:
    from .procedure import is_cohandler, is_handler

    require(actor, "events.handle")
    if not (is_handler(event, actor) or is_cohandler(event, actor)):
        raise PermissionDenied("events.handle")
    if event.status not in (EventStatus.DISPATCHED, EventStatus.IN_PROGRESS):
        raise DomainError(_("只有办理中的事件可以填写办理记录。"), rule="events.guard.note_state")
    text = _clean_text(text, label=_("办理情况"), field="text", max_length=2000)
    checked = check_photos(photos)
    checked_files = check_attachments(attachments)
    note = EventNote.objects.create(town=event.town, event=event, text=text, author=actor)
    files = _store_photos(checked=checked, town=event.town, event=event, stage=PhotoStage.PROGRESS, actor=actor)
    files += _store_attachments(checked=checked_files, town=event.town, event=event, actor=actor)
    record(action="events.event.note", obj=event, actor=actor, after={"note": text}, files=files)
    return note


@transaction.atomic
def event_add_cohandler(*, event: Event, position, actor, note: str = "") -> Dispatch:
    """协办: another post joins the handling of a dispatched event (the lead post still resolves it)."""
    require(actor, "events.dispatch")
    if event.status not in (EventStatus.DISPATCHED, EventStatus.IN_PROGRESS):
        raise DomainError(_("事件分拨后才能增加协办岗位。"), rule="events.guard.cohandler_state")
    if position is None or position.town_id != event.town_id:
        raise DomainError(_("请选择本镇街的协办岗位。"), rule="events.guard.cohandler", field="position")
    if position.pk == event.position_id:
        raise DomainError(_("协办岗位不能是主办岗位。"), rule="events.guard.cohandler", field="position")
    if Dispatch.objects.filter(event=event, position=position, status=DispatchStatus.ACTIVE).exists():
        raise DomainError(_("“{name}”已在协办。").format(name=position.name), rule="events.guard.cohandler",
                          field="position")
    holder, acting_note = _acting(position)
    dispatch = Dispatch.objects.create(town=event.town, event=event, sector=position.sector, position=position,
                                       holder=holder, role="co", note=(note or acting_note)[:2000],
                                       dispatched_by=actor)
    record(action="events.event.cohandler", obj=event, actor=actor, reason=note,
           after={"dispatch": dispatch.pk, "position": position.pk, "position_name": position.name,
                  "holder": holder.pk if holder else None})
    if holder is not None and holder.user_id:
        user = holder.user
        _on_commit_notify(lambda: [user], title=_("协办事件：{title}").format(title=event.title),
                          url=_event_url(event), key=f"event:{event.pk}:co:{dispatch.pk}", town=event.town)
    return dispatch


@transaction.atomic
def event_merge(*, event: Event, into: Event, actor, reason: str = "") -> Event:
    """A duplicate report: not accepted on its own, handled with ``into`` (its reporter follows that one)."""
    require(actor, "events.triage")
    if into is None or into.pk == event.pk or into.town_id != event.town_id:
        raise DomainError(_("请选择本镇街的另一件事件。"), rule="events.guard.merge_target", field="into")
    if into.duplicate_of_id:
        raise DomainError(_("目标事件本身已并入其他事件。"), rule="events.guard.merge_target", field="into")
    if into.status in (EventStatus.REJECTED,):
        raise DomainError(_("不能并入不予受理的事件。"), rule="events.guard.merge_target", field="into")
    event.duplicate_of = into
    event.save(update_fields=["duplicate_of"])
    text = _("与事件 {code} 重复，并入该事件办理。").format(code=into.tracking_code)
    EVENT.fire(event, "reject", actor=actor, reason=(text + (" " + reason.strip() if reason.strip() else "")))
    record(action="events.event.merge", obj=into, actor=actor, after={"duplicate": event.pk})
    return event


@transaction.atomic
def event_pin(*, event: Event, pinned: bool, actor) -> Event:
    require(actor, "events.pin")
    if event.pinned == bool(pinned):
        return event
    event.pinned = bool(pinned)
    event.save(update_fields=["pinned"])
    record(action="events.event.pin" if pinned else "events.event.unpin", obj=event, actor=actor,
           before={"pinned": not pinned}, after={"pinned": bool(pinned)})
    return event


@transaction.atomic
def event_escalate(*, event: Event, to_level: str, reason: str, actor) -> Escalation:
    """Move an event up the ladder within the town (grid → village → town). District: use ``transfer``."""
    require(actor, "events.escalate")
    if to_level not in (Level.VILLAGE, Level.TOWN):
        raise DomainError(_("上报区县部门请使用“上报区县部门”操作。"), field="to_level")
    if not event.is_open or event.status not in (EventStatus.REPORTED,):
        raise DomainError(_("只有待受理的事件可以逐级上报。"), rule="events.guard.escalate_state")
    if LEVEL_ORDER.index(to_level) <= LEVEL_ORDER.index(event.level):
        raise DomainError(_("只能向更高层级上报。"), rule="events.guard.escalate_up", field="to_level")
    reason = _clean_text(reason, label=_("上报理由"), field="reason", max_length=2000)
    esc = Escalation.objects.create(town=event.town, event=event, from_level=event.level, to_level=to_level,
                                    reason=reason, by=actor, status=EscalationStatus.ANSWERED)
    before = {"level": event.level, "escalate_at": event.escalate_at}
    event.level = to_level
    event.escalate_at = level_timer(event.category, to_level, timezone.now())
    event.save(update_fields=["level", "escalate_at"])
    record(action="events.event.escalate", obj=event, actor=actor, reason=reason, before=before,
           after={"level": to_level, "escalate_at": event.escalate_at})
    return esc


@transaction.atomic
def event_supervise(*, event: Event, instruction: str, actor, due_at=None) -> Supervision:
    require(actor, "events.supervise")
    if not event.is_open:
        raise DomainError(_("已结案的事件无需督办。"), rule="events.guard.supervise_state")
    instruction = _clean_text(instruction, label=_("督办意见"), field="instruction", max_length=2000)
    if due_at is not None and due_at <= timezone.now():
        raise DomainError(_("督办时限须晚于当前时间。"), field="due_at")
    sup = Supervision.objects.create(town=event.town, event=event, instruction=instruction, due_at=due_at, by=actor)
    changed = ["supervised"]
    event.supervised = True
    if due_at is not None:
        event.due_at = due_at
        changed.append("due_at")
    event.save(update_fields=changed)
    record(action="events.event.supervise", obj=event, actor=actor, reason=instruction,
           after={"supervision": sup.pk, "due_at": due_at})
    position = event.position
    if position is not None:
        def recipients():
            users = []
            for staff in (position.primary_holder, position.backup_holder):
                if staff is not None and staff.user_id:
                    users.append(staff.user)
            return users

        transaction.on_commit(lambda: _notify(recipients(), title=_("督办：{title}").format(title=event.title),
                                              body=instruction, url=_event_url(event), level="danger",
                                              key=f"event:{event.pk}:supervise:{sup.pk}", town=event.town))
    return sup


@transaction.atomic
def event_rate(*, event: Event, rating, comment: str = "", channel: str = "portal", actor=None,
               reopen: bool | None = None) -> Evaluation:
    """The reporter's rating (1–5). A poor rating (≤ 2) reopens the event unless ``reopen`` is False."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_("请选择 1 至 5 星的满意度。"), rule="events.guard.rating", field="rating")
    if channel != "portal":
        require(actor, "events.verify")
    Event.objects.select_for_update().filter(pk=event.pk).first()
    event.refresh_from_db()
    if event.status not in (EventStatus.VERIFIED, EventStatus.CLOSED):
        raise DomainError(_("事件办结并经中心核查后才能评价。"), rule="events.guard.rating_state")
    since = event.closed_at or event.resolved_at or event.reported_at
    if event.evaluations.filter(at__gte=since).exists():
        raise DomainError(_("您已评价过本次办理结果，谢谢！"), rule="events.guard.rating_once")
    comment = (comment or "").strip()[:1000]
    do_reopen = rating <= POOR_RATING if reopen is None else (bool(reopen) and rating <= POOR_RATING)
    evaluation = Evaluation.objects.create(town=event.town, event=event, rating=rating, comment=comment,
                                           channel=channel, reopened=do_reopen)
    event.rating = rating
    event.save(update_fields=["rating"])
    record(action="events.event.rate", obj=event, actor=actor, after={"rating": rating, "comment": comment,
                                                                      "reopened": do_reopen, "channel": channel})
    if do_reopen:
        EVENT.fire(event, "reopen_by_rating", actor=actor,
                   reason=_("反映人评价不满意（{n}星）：{comment}").format(n=rating, comment=comment or "-"))
        town = event.town
        _on_commit_notify(lambda: _users_with_role(town, "dispatcher"),
                          title=_("群众不满意，事件已重启：{title}").format(title=event.title),
                          url=_event_url(event), level="warning", key=f"event:{event.pk}:reopen:{evaluation.pk}",
                          town=town)
    return evaluation


# --- configuration -----------------------------------------------------------------------------

CATEGORY_FIELDS = ("parent", "code", "name", "description", "default_priority", "sla_ack_hours",
                   "sla_dispatch_hours", "sla_handle_hours", "escalate_grid_hours", "escalate_village_hours",
                   "transfer_answer_hours", "spot_settleable", "public", "order", "active")
TIMER_FIELDS = ("sla_ack_hours", "sla_dispatch_hours", "sla_handle_hours", "escalate_grid_hours",
                "escalate_village_hours", "transfer_answer_hours")


def _clean_category(town, fields: dict, *, instance=None) -> dict:
    data = {k: v for k, v in fields.items() if k in CATEGORY_FIELDS}
    if "code" in data:
        data["code"] = _clean_text(data["code"], label=_("代码"), field="code", max_length=48)
        clash = Category.objects.filter(town=town, code=data["code"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise DomainError(_("代码“{code}”已被使用。").format(code=data["code"]), field="code")
    if "name" in data:
        data["name"] = _clean_text(data["name"], label=_("名称"), field="name", max_length=64)
    parent = data.get("parent")
    if parent is not None:
        _same_town(parent, town, _("上级分类"))
        node = parent
        while node is not None:
            if instance is not None and node.pk == instance.pk:
                raise DomainError(_("上级分类不能是本分类或其下级。"), field="parent")
            node = node.parent
    for name in TIMER_FIELDS:
        if name in data:
            try:
                ok = data[name] is not None and 1 <= int(data[name]) <= 24 * 365
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise DomainError(_("时限须为 1 至 8760 之间的整数小时。"), field=name)
    ack = data.get("sla_ack_hours", getattr(instance, "sla_ack_hours", 1))
    disp = data.get("sla_dispatch_hours", getattr(instance, "sla_dispatch_hours", 1))
    if ack is not None and disp is not None and int(disp) < int(ack):
        raise DomainError(_("分拨时限不能短于受理时限。"), field="sla_dispatch_hours")
    return data


@transaction.atomic
def category_create(*, town, actor, **fields) -> Category:
    require(actor, "events.configure")
    data = _clean_category(town, fields)
    category = Category.objects.create(town=town, **data)
    record(action="events.category.create", obj=category, actor=actor, after=snapshot(category))
    return category


@transaction.atomic
def category_update(*, category: Category, actor, reason: str = "", **changes) -> Category:
    require(actor, "events.configure")
    data = _clean_category(category.town, changes, instance=category)
    before = snapshot(category)
    for k, v in data.items():
        setattr(category, k, v)
    category.save()
    record_change(action="events.category.update", obj=category, before=before, actor=actor, reason=reason)
    return category


@transaction.atomic
def routing_rule_set(*, town, category, sector, actor, position=None, village=None, grid=None,
                     note: str = "") -> RoutingRule:
    require(actor, "events.configure")
    for obj, label in ((category, _("事件分类")), (sector, _("板块")), (position, _("岗位")), (village, _("村(社区)")),
                       (grid, _("网格"))):
        _same_town(obj, town, label)
    if position is not None and position.sector_id != sector.pk:
        raise DomainError(_("承办岗位不属于所选板块。"), field="position")
    if village is not None and grid is not None:
        raise DomainError(_("村(社区)与网格只能选择一项。"), field="grid")
    rule, created = RoutingRule.objects.get_or_create(
        town=town, category=category, village=village, grid=grid,
        defaults={"sector": sector, "position": position, "note": note[:200]})
    before = None if created else snapshot(rule)
    if not created:
        rule.sector, rule.position, rule.note, rule.active = sector, position, note[:200], True
        rule.save()
    record(action="events.routing_rule.set", obj=rule, actor=actor, before=before, after=snapshot(rule))
    return rule


@transaction.atomic
def routing_rule_toggle(*, rule: RoutingRule, active: bool, actor, reason: str = "") -> RoutingRule:
    require(actor, "events.configure")
    if rule.active == bool(active):
        return rule
    rule.active = bool(active)
    rule.save(update_fields=["active"])
    record(action="events.routing_rule.enable" if active else "events.routing_rule.disable", obj=rule,
           actor=actor, reason=reason, before={"active": not active}, after={"active": bool(active)})
    return rule


@transaction.atomic
def grid_task_type_save(*, town, actor, instance: GridTaskType | None = None, **fields) -> GridTaskType:
    require(actor, "events.configure")
    code = _clean_text(fields.get("code", getattr(instance, "code", "")), label=_("代码"), field="code",
                       max_length=48)
    name = _clean_text(fields.get("name", getattr(instance, "name", "")), label=_("事项名称"), field="name",
                       max_length=100)
    clash = GridTaskType.objects.filter(town=town, code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise DomainError(_("代码“{code}”已被使用。").format(code=code), field="code")
    before = snapshot(instance) if instance is not None else None
    obj = instance or GridTaskType(town=town)
    obj.code, obj.name = code, name
    for k in ("basis", "description", "admitted", "order"):
        if k in fields:
            setattr(obj, k, fields[k])
    obj.save()
    record(action="events.grid_task_type.save", obj=obj, actor=actor, before=before, after=snapshot(obj))
    return obj


def hash_key(raw: str) -> str:
    return sm3_hex(("fazhi-open311:" + raw).encode("utf-8"))


@transaction.atomic
def apikey_create(*, town, name: str, actor) -> tuple[ApiKey, str]:
    """Returns the key and its raw value, which is shown once and never stored."""
    require(actor, "events.api_keys")
    name = _clean_text(name, label=_("接入系统"), field="name", max_length=100)
    raw = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(town=town, name=name, key_hash=hash_key(raw), prefix=raw[:8])
    record(action="events.apikey.create", obj=key, actor=actor, after={"name": name, "prefix": key.prefix})
    return key, raw


@transaction.atomic
def apikey_revoke(*, key: ApiKey, actor, reason: str = "") -> ApiKey:
    require(actor, "events.api_keys")
    key.active = False
    key.save(update_fields=["active"])
    record(action="events.apikey.revoke", obj=key, actor=actor, reason=reason, after={"active": False})
    return key


def apikey_touch(*, key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())


# --- campaigns, screening, hazards, operations ---------------------------------------------------

@transaction.atomic
def campaign_create(*, town, actor, code: str, name: str, start_date, end_date, scope: str = "",
                    targets: str = "", target_operations: int = 0, target_hazards: int = 0, sector=None,
                    categories=(), status: str | None = None) -> Campaign:
    """A new campaign: planned when it starts in the future, else active (unless ``status`` says otherwise)."""
    require(actor, "events.campaign_manage")
    code = _clean_text(code, label=_("代码"), field="code", max_length=48)
    name = _clean_text(name, label=_("名称"), field="name", max_length=120)
    if start_date is None or end_date is None:
        raise DomainError(_("请填写起止日期。"), field="start_date")
    if end_date < start_date:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end_date")
    if Campaign.objects.filter(town=town, code=code).exists():
        raise DomainError(_("代码“{code}”已被使用。").format(code=code), field="code")
    _same_town(sector, town, _("牵头板块"))
    if status is None:
        status = CampaignStatus.PLANNED if start_date > timezone.localdate() else CampaignStatus.ACTIVE
    if status not in (CampaignStatus.PLANNED, CampaignStatus.ACTIVE):
        raise DomainError(_("新建的专项整治只能是筹备或进行中。"), field="status")
    campaign = Campaign.objects.create(town=town, code=code, name=name, start_date=start_date, end_date=end_date,
                                       scope=scope, targets=targets, target_operations=target_operations or 0,
                                       target_hazards=target_hazards or 0, sector=sector, status=status)
    cats = [c for c in categories if c.town_id == town.pk]
    if cats:
        campaign.categories.set(cats)
    record(action="events.campaign.create", obj=campaign, actor=actor,
           after={**snapshot(campaign), "categories": [c.pk for c in cats]})
    return campaign


@transaction.atomic
def screening_plan_create(*, town, month, title: str, actor, campaign=None, content: str = "",
                          task_type=None, grids=None) -> ScreeningPlan:
    """A monthly screening with one task per (active) grid."""
    require(actor, "events.campaign_manage")
    title = _clean_text(title, label=_("排查主题"), field="title", max_length=120)
    if month is None:
        raise DomainError(_("请选择月份。"), field="month")
    month = month.replace(day=1)
    _same_town(campaign, town, _("专项整治"))
    _campaign_writable(campaign)
    if task_type is not None:
        _same_town(task_type, town, _("网格准入事项"))
        if not task_type.admitted:
            raise DomainError(_("“{name}”不在网格准入事项清单内，不能下派网格。").format(name=task_type.name),
                              rule="events.guard.grid_task_admitted", field="task_type")
    clash = ScreeningPlan.objects.filter(town=town, campaign=campaign, month=month)
    if campaign is None:
        clash = clash.filter(title=title)
    if clash.exists():
        raise DomainError(_("{month}已有该专项的排查计划。").format(month=month.strftime("%Y-%m")), field="month")
    from org.models import Grid

    plan = ScreeningPlan.objects.create(town=town, campaign=campaign, month=month, title=title, content=content,
                                        task_type=task_type)
    grids = list(grids) if grids is not None else list(Grid.objects.filter(town=town, active=True))
    ScreeningTask.objects.bulk_create([ScreeningTask(town=town, plan=plan, grid=g) for g in grids
                                       if g.town_id == town.pk])
    record(action="events.screening_plan.create", obj=plan, actor=actor,
           after={"month": month, "title": title, "grids": [g.pk for g in grids]})
    return plan


@transaction.atomic
def screening_task_complete(*, task: ScreeningTask, actor, places_checked: int = 0, issues_found: int = 0,
                            note: str = "", done_at=None) -> ScreeningTask:
    require(actor, "events.screening")
    _campaign_writable(task.plan.campaign)
    if task.done:
        raise DomainError(_("该网格的排查任务已完成。"), rule="events.guard.task_done")
    try:
        places_checked, issues_found = int(places_checked or 0), int(issues_found or 0)
    except (TypeError, ValueError):
        raise DomainError(_("数量须为整数。"), field="places_checked")
    if places_checked < 0 or issues_found < 0:
        raise DomainError(_("数量不能为负数。"), field="places_checked")
    task.done, task.done_at, task.done_by = True, done_at or timezone.now(), actor
    task.places_checked, task.issues_found, task.note = places_checked, issues_found, (note or "").strip()
    task.save()
    record(action="events.screening_task.complete", obj=task, actor=actor,
           after={"places_checked": places_checked, "issues_found": issues_found, "note": task.note})
    return task


def next_hazard_code(town, year: int) -> str:
    prefix = f"YH{year}-"
    last = (Hazard.objects.filter(town=town, code__startswith=prefix).order_by("-code")
            .values_list("code", flat=True).first())
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def hazard_report(*, town, title: str, description: str, actor, kind: str = "road", grid=None, location: str = "",
                  lat=None, lng=None, found_on=None, campaign=None, operation=None, event=None,
                  photos=()) -> Hazard:
    require(actor, "events.hazard_report")
    title = _clean_text(title, label=_("隐患名称"), field="title", max_length=120)
    description = _clean_text(description, label=_("隐患描述"), field="description", max_length=4000)
    for obj, label in ((grid, _("网格")), (campaign, _("专项整治")), (operation, _("联合执法行动")),
                       (event, _("事件"))):
        _same_town(obj, town, label)
    _campaign_writable(campaign)
    checked = check_photos(photos)
    found_on = found_on or timezone.localdate()
    if found_on > timezone.localdate():
        raise DomainError(_("发现日期不能晚于今天。"), field="found_on")
    hazard = Hazard.objects.create(town=town, code=next_hazard_code(town, found_on.year), title=title, kind=kind,
                                   description=description, grid=grid, location=(location or "")[:200], lat=lat,
                                   lng=lng, found_on=found_on, campaign=campaign, operation=operation, event=event)
    files = _store_photos(checked=checked, town=town, hazard=hazard, stage=HazardPhoto.Stage.BEFORE, actor=actor)
    record(action="events.hazard.report", obj=hazard, actor=actor, after=snapshot(hazard), files=files)
    return hazard


@transaction.atomic
def hazard_transition(*, hazard: Hazard, action: str, actor, reason: str = "", data: dict | None = None,
                      photos=()) -> Hazard:
    data = dict(data or {})
    checked = check_photos(photos)
    if checked:
        data["has_after_photo"] = True
    Hazard.objects.select_for_update().filter(pk=hazard.pk).first()
    HAZARD.fire(hazard, action, actor=actor, reason=reason, data=data)
    if checked:
        stage = HazardPhoto.Stage.AFTER if action in ("rectified", "start") else HazardPhoto.Stage.BEFORE
        files = _store_photos(checked=checked, town=hazard.town, hazard=hazard, stage=stage, actor=actor)
        record(action="events.hazard.photos", obj=hazard, actor=actor, files=files, after={"stage": stage})
    return hazard


@transaction.atomic
def operation_record(*, town, actor, date, title: str, units: str, campaign=None, location: str = "",
                     staff_count: int = 0, vehicles_checked: int = 0, places_checked: int = 0, violations: int = 0,
                     hazards_found: int = 0, follow_ups: str = "", leader: str = "") -> JointOperation:
    require(actor, "events.operation_manage")
    title = _clean_text(title, label=_("行动名称"), field="title", max_length=120)
    units = _clean_text(units, label=_("参与单位"), field="units", max_length=2000)
    if date is None:
        raise DomainError(_("请填写日期。"), field="date")
    if date > timezone.localdate():
        raise DomainError(_("行动日期不能晚于今天。"), field="date")
    _same_town(campaign, town, _("专项整治"))
    _campaign_writable(campaign)
    numbers = {"staff_count": staff_count, "vehicles_checked": vehicles_checked, "places_checked": places_checked,
               "violations": violations, "hazards_found": hazards_found}
    for k, v in numbers.items():
        try:
            numbers[k] = int(v or 0)
        except (TypeError, ValueError):
            raise DomainError(_("数量须为整数。"), field=k)
        if numbers[k] < 0:
            raise DomainError(_("数量不能为负数。"), field=k)
    op = JointOperation.objects.create(town=town, campaign=campaign, date=date, title=title, units=units,
                                       location=(location or "")[:200], follow_ups=follow_ups or "",
                                       leader=(leader or "")[:64], **numbers)
    record(action="events.operation.record", obj=op, actor=actor, after=snapshot(op))
    return op


def can_see_contact(user) -> bool:
    return can(user, "events.contact")


# --- periodic: overdue crossings and the grid/village timer ---------------------------------------

def scan_overdue(*, now=None, limit: int = 500) -> dict:
    """Record each overdue crossing once (audit + notifications); move events that waited beyond their
    category's grid / village timer one level up (grid → village → town); raise a supervision (督办) and remind
    the centre when a district department has not answered a transfer in time. Idempotent: run it as often as
    you like."""
    from django.db.models import F, Q

    now = now or timezone.now()
    crossed = list(Event.objects.filter(status__in=[s for s in EventStatus.values
                                                    if s not in (EventStatus.CLOSED, EventStatus.REJECTED)],
                                        due_at__lt=now)
                   .filter(Q(overdue_mark__isnull=True) | ~Q(overdue_mark=F("due_at")))
                   .select_related("town", "position", "position__primary_holder", "position__backup_holder",
                                   "category")[:limit])
    for event in crossed:
        with transaction.atomic():
            updated = Event.objects.filter(pk=event.pk, due_at=event.due_at).exclude(
                overdue_mark=event.due_at).update(overdue_mark=event.due_at, overdue_count=F("overdue_count") + 1)
            if not updated:
                continue  # handled meanwhile
            record(action="events.event.overdue", obj=event,
                   after={"status": event.status, "due_at": event.due_at, "level": event.level})
            _notify_overdue(event)
    escalated = _scan_level_timers(now=now, limit=limit)
    reminders = _scan_transfers(now=now, limit=limit)
    hazards = _scan_hazards(today=timezone.localtime(now).date(), limit=limit)
    return {"overdue": len(crossed), "escalated": escalated, "reminders": reminders, "hazards": hazards}


def _scan_level_timers(*, now, limit: int) -> int:
    """Events still waiting at the grid or village level beyond the category's timer move one level up."""
    due = list(Event.objects.filter(status=EventStatus.REPORTED, level__in=[Level.GRID, Level.VILLAGE],
                                    escalate_at__lt=now).select_related("town", "category")[:limit])
    moved = 0
    for event in due:
        up = Level.VILLAGE if event.level == Level.GRID else Level.TOWN
        timer = level_timer(event.category, up, now)
        with transaction.atomic():
            if not Event.objects.filter(pk=event.pk, status=EventStatus.REPORTED, level=event.level,
                                        escalate_at=event.escalate_at).update(level=up, escalate_at=timer):
                continue  # handled meanwhile
            hours = (event.category.escalate_grid_hours if event.level == Level.GRID
                     else event.category.escalate_village_hours)
            reason = _("在{level}层级超过{hours}小时未处置，自动上报{up}。").format(
                level=Level(event.level).label, hours=hours, up=Level(up).label)
            Escalation.objects.create(town=event.town, event=event, from_level=event.level, to_level=up,
                                      reason=reason, at=now, status=EscalationStatus.ANSWERED)
            record(action="events.event.escalate", obj=event, reason=reason,
                   before={"level": event.level, "escalate_at": event.escalate_at},
                   after={"level": up, "escalate_at": timer, "auto": True})
            moved += 1
            if up == Level.TOWN:
                town, title = event.town, _("事件自动提交中心：{title}").format(title=event.title)
                key = f"event:{event.pk}:level:{up}"
                transaction.on_commit(lambda t=town, ti=title, k=key, e=event: _notify(
                    _users_with_role(t, "dispatcher"), title=ti, url=_event_url(e), level="warning", key=k, town=t))
    return moved


def _scan_transfers(*, now, limit: int) -> int:
    """A transfer to a district department unanswered beyond the category's answer time: a supervision (督办)
    on the event, the centre reminded to chase the answer; the next reminder one answer time later."""
    late = list(Escalation.objects.filter(status=EscalationStatus.OPEN, to_level=Level.DISTRICT,
                                          answer_due_at__lt=now, event__status=EventStatus.ESCALATED)
                .select_related("town", "event", "event__category")[:limit])
    raised = 0
    for esc in late:
        event, hours = esc.event, esc.event.category.transfer_answer_hours
        with transaction.atomic():
            if not Escalation.objects.filter(pk=esc.pk, answer_due_at=esc.answer_due_at).update(
                    answer_due_at=esc.answer_due_at + dt.timedelta(hours=hours),
                    reminder_count=F("reminder_count") + 1):
                continue
            instruction = _("{department}超过{hours}小时未答复，请督促答复并登记（第{n}次催办）。").format(
                department=esc.department or _("区县部门"), hours=hours, n=esc.reminder_count + 1)
            sup = Supervision.objects.create(town=esc.town, event=event, instruction=instruction, at=now)
            raised += 1
            Event.objects.filter(pk=event.pk).update(supervised=True)
            record(action="events.escalation.overdue", obj=event, reason=instruction,
                   after={"escalation": esc.pk, "department": esc.department, "answer_due_at": esc.answer_due_at,
                          "supervision": sup.pk, "reminder": esc.reminder_count + 1})
            town, title = esc.town, _("区县部门逾期未答复：{title}").format(title=event.title)
            key = f"event:{event.pk}:transfer:{esc.pk}:{esc.reminder_count + 1}"
            transaction.on_commit(lambda t=town, ti=title, b=instruction, k=key, e=event: _notify(
                _users_with_role(t, "dispatcher") + _users_with_role(t, "leader"), title=ti, body=b,
                url=_event_url(e), level="warning", key=k, town=t))
    return raised


def _scan_hazards(*, today, limit: int) -> int:
    """Rectification deadlines passed: recorded once per deadline, the centre notified."""
    from django.db.models import F, Q

    from .models import HazardStatus

    late = list(Hazard.objects.filter(status__in=[HazardStatus.ORDERED, HazardStatus.RECTIFYING], deadline__lt=today)
                .filter(Q(overdue_mark__isnull=True) | ~Q(overdue_mark=F("deadline"))).select_related("town")[:limit])
    for hazard in late:
        with transaction.atomic():
            if not Hazard.objects.filter(pk=hazard.pk, deadline=hazard.deadline).exclude(
                    overdue_mark=hazard.deadline).update(overdue_mark=hazard.deadline):
                continue
            record(action="events.hazard.overdue", obj=hazard, after={"deadline": hazard.deadline,
                                                                      "status": hazard.status})
            town = hazard.town
            title = _("隐患逾期未整改：{code} {title}").format(code=hazard.code, title=hazard.title)
            key = f"hazard:{hazard.pk}:overdue:{hazard.deadline.isoformat()}"
            transaction.on_commit(lambda t=town, ti=title, k=key, h=hazard: _notify(
                _users_with_role(t, "dispatcher"), title=ti, url=f"/events/hazards/{h.pk}/", level="warning",
                key=k, town=t))
    return len(late)


def _notify_overdue(event):
    town = event.town
    title = _("事件超时：{title}").format(title=event.title)
    key = f"event:{event.pk}:overdue:{int(event.due_at.timestamp())}"
    position = event.position
    if event.status in (EventStatus.DISPATCHED, EventStatus.IN_PROGRESS) and position is not None:
        def users():
            return [s.user for s in (position.primary_holder, position.backup_holder) if s is not None and s.user_id]
    else:
        def users():
            return _users_with_role(town, "dispatcher")
    transaction.on_commit(lambda: _notify(users(), title=title, url=_event_url(event), level="warning", key=key,
                                          town=town))


# --- campaign lifecycle ---------------------------------------------------------------------------

CAMPAIGN_FIELDS = ("name", "scope", "targets", "target_operations", "target_hazards", "start_date", "end_date",
                   "sector")


def _campaign_writable(campaign, label=None):
    """Closed campaigns are read-only: nothing may be edited or added to them."""
    if campaign is not None and campaign.status == CampaignStatus.CLOSED:
        raise DomainError(_("专项整治“{name}”已结束，不能再修改或添加记录。").format(name=campaign.name),
                          rule="events.guard.campaign_closed", field="campaign")


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor, reason: str, **changes) -> Campaign:
    """Edit a planned or active campaign (reason required, audited with before/after)."""
    require(actor, "events.campaign_manage")
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    campaign.refresh_from_db()
    _campaign_writable(campaign)
    reason = _clean_text(reason, label=_("修改理由"), field="reason", max_length=2000)
    data = {k: v for k, v in changes.items() if k in CAMPAIGN_FIELDS}
    if "name" in data:
        data["name"] = _clean_text(data["name"], label=_("名称"), field="name", max_length=120)
    for name in ("target_operations", "target_hazards"):
        if name in data:
            try:
                data[name] = int(data[name] or 0)
            except (TypeError, ValueError):
                raise DomainError(_("数量须为整数。"), field=name)
            if data[name] < 0:
                raise DomainError(_("数量不能为负数。"), field=name)
    start = data.get("start_date", campaign.start_date)
    end = data.get("end_date", campaign.end_date)
    if start is None or end is None:
        raise DomainError(_("请填写起止日期。"), field="start_date")
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end_date")
    if "sector" in data:
        _same_town(data["sector"], campaign.town, _("牵头板块"))
    before = snapshot(campaign)
    for k, v in data.items():
        setattr(campaign, k, v)
    campaign.version += 1
    campaign.save()
    record_change(action="events.campaign.update", obj=campaign, before=before, actor=actor, reason=reason)
    return campaign


@transaction.atomic
def campaign_transition(*, campaign: Campaign, action: str, actor, reason: str = "",
                        data: dict | None = None) -> Campaign:
    """Start a planned campaign, or close an active one with its summary (figures frozen at closing)."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    return CAMPAIGN.fire(campaign, action, actor=actor, reason=(reason or "").strip(), data=dict(data or {}))


# --- duty roster (值班) ------------------------------------------------------------------------------

def _duty_person(town, user, label, field):
    if user is None:
        return None
    if getattr(user, "town_id", None) != town.pk or not user.is_active:
        raise DomainError(_("{label}须为本镇街在用的账号。").format(label=label), rule="events.guard.duty_person",
                          field=field)
    return user


def _clean_shift(town, *, date, leader, deputy, note):
    if date is None:
        raise DomainError(_("请选择值班日期。"), field="date")
    if leader is None:
        raise DomainError(_("请选择值班领导。"), rule="events.guard.duty_person", field="leader")
    _duty_person(town, leader, _("值班领导"), "leader")
    _duty_person(town, deputy, _("副班"), "deputy")
    if deputy is not None and deputy.pk == leader.pk:
        raise DomainError(_("副班不能与值班领导为同一人。"), rule="events.guard.duty_person", field="deputy")
    return (note or "").strip()[:200]


def _shift_row(shift):
    return {"date": shift.date, "leader": shift.leader_id, "deputy": shift.deputy_id, "note": shift.note}


def _put_shift(*, town, date, leader, deputy, note):
    shift = DutyShift.objects.select_for_update().filter(town=town, date=date).first()
    before = _shift_row(shift) if shift is not None else None
    if shift is None:
        shift = DutyShift.objects.create(town=town, date=date, leader=leader, deputy=deputy, note=note)
    else:
        shift.leader, shift.deputy, shift.note = leader, deputy, note
        shift.save()
    return shift, before


@transaction.atomic
def duty_shift_set(*, town, date, leader, actor, deputy=None, note: str = "") -> DutyShift:
    """Plan (or change) the duty leader and deputy of one day."""
    require(actor, "events.duty_plan")
    note = _clean_shift(town, date=date, leader=leader, deputy=deputy, note=note)
    shift, before = _put_shift(town=town, date=date, leader=leader, deputy=deputy, note=note)
    record(action="events.duty.set", obj=shift, actor=actor, before=before, after=_shift_row(shift))
    return shift


@transaction.atomic
def duty_shift_clear(*, shift: DutyShift, actor, reason: str = "") -> None:
    require(actor, "events.duty_plan")
    before = _shift_row(shift)
    record(action="events.duty.clear", obj=shift, actor=actor, reason=reason, before=before, after={})
    shift.delete()


DUTY_HEADERS = ("日期", "星期", "值班领导", "值班领导账号", "副班", "副班账号", "备注")


def _duty_people(town):
    """Lookups for an imported roster: by login name, by full name, by staff name / code (unique ones only)."""
    from django.contrib.auth import get_user_model

    from org.models import Staff

    by_key: dict[str, list] = {}
    users = list(get_user_model().objects.filter(town=town, is_active=True))
    for u in users:
        by_key.setdefault(u.username, []).append(u)
        if u.full_name:
            by_key.setdefault(u.full_name, []).append(u)
    ids = {u.pk: u for u in users}
    for staff in Staff.objects.filter(town=town, active=True, user__isnull=False).only("code", "name", "user_id"):
        user = ids.get(staff.user_id)
        if user is not None:
            for key in (staff.code, staff.name):
                if user not in by_key.setdefault(key, []):
                    by_key[key].append(user)
    return by_key


def _parse_day(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def duty_import(*, town, file, actor) -> int:
    """Import a roster from Excel (the columns of the export: 日期, 值班领导 or 值班领导账号, 副班 or 副班账号,
    备注). Every row is checked first; one bad row → nothing written, the message names the rows."""
    require(actor, "events.duty_plan")
    from openpyxl import load_workbook

    if file is None:
        raise DomainError(_("请选择Excel文件。"), field="file")
    raw = file.read()
    if len(raw) > 2 * 1024 * 1024:
        raise DomainError(_("文件不能超过2MB。"), field="file")
    try:
        from io import BytesIO

        sheet = load_workbook(BytesIO(raw), read_only=True, data_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    except Exception:  # noqa: BLE001 - any unreadable upload is the user's bad input
        raise DomainError(_("无法读取文件，请上传由值班表导出的 .xlsx 文件。"), field="file")
    header_at = next((i for i, r in enumerate(rows[:5]) if any(str(c or "").strip() == "日期" for c in r)), None)
    if header_at is None:
        raise DomainError(_("未找到表头“日期”，请使用值班表导出的格式。"), field="file")
    cols = {str(c or "").strip(): i for i, c in enumerate(rows[header_at])}
    if "值班领导账号" not in cols and "值班领导" not in cols:
        raise DomainError(_("缺少“值班领导”列。"), field="file")
    people = _duty_people(town)

    def cell(row, name):
        i = cols.get(name)
        return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

    def person(row, account_col, name_col, label, n):
        key = cell(row, account_col) or cell(row, name_col)
        if not key:
            return None
        found = people.get(key, [])
        if len(found) != 1:
            errors.append(_("第{n}行：{label}“{key}”{what}。").format(
                n=n, label=label, key=key, what=_("找不到对应账号") if not found else _("有重名，请填写账号")))
            return None
        return found[0]

    errors, plan, seen = [], [], set()
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(c not in (None, "") for c in row):
            continue
        day = _parse_day(row[cols["日期"]] if cols["日期"] < len(row) else None)
        if day is None:
            errors.append(_("第{n}行：日期格式不正确。").format(n=offset))
            continue
        if day in seen:
            errors.append(_("第{n}行：日期{day}重复。").format(n=offset, day=day))
            continue
        seen.add(day)
        if not any(cell(row, c) for c in ("值班领导账号", "值班领导", "副班账号", "副班")):
            continue  # a day left blank (the export lists every day of the month)
        leader = person(row, "值班领导账号", "值班领导", _("值班领导"), offset)
        deputy = person(row, "副班账号", "副班", _("副班"), offset)
        if leader is None:
            if not (cell(row, "值班领导账号") or cell(row, "值班领导")):
                errors.append(_("第{n}行：请填写值班领导。").format(n=offset))
            continue
        if deputy is not None and deputy.pk == leader.pk:
            errors.append(_("第{n}行：副班不能与值班领导为同一人。").format(n=offset))
            continue
        plan.append((day, leader, deputy, cell(row, "备注")[:200]))
    if errors:
        more = _("（另有 {n} 处错误）").format(n=len(errors) - 5) if len(errors) > 5 else ""
        raise DomainError(_("导入未执行：") + "".join(errors[:5]) + more, rule="events.guard.duty_import",
                          field="file")
    if not plan:
        raise DomainError(_("文件中没有值班安排。"), field="file")
    for day, leader, deputy, note in plan:
        _put_shift(town=town, date=day, leader=leader, deputy=deputy, note=note)
    record(action="events.duty.import", actor=actor, town=town,
           after={"days": len(plan), "from": min(p[0] for p in plan), "to": max(p[0] for p in plan)},
           files=[{"name": getattr(file, "name", "roster.xlsx"), "path": "", "sm3": sm3_hex(raw)}])
    return len(plan)
