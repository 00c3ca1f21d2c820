"""Reads of the events module. Staff reads start from ``restrict()``; the public projections (portal,
Open311) return masked dictionaries, never model instances with personal data."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Avg, Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import restrict
from core.crypto import mask_address

from .audit_labels import LABELS as ACTION_LABELS
from .models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Campaign,
    Category,
    Dispatch,
    DutyShift,
    Event,
    EventStatus,
    Hazard,
    HazardStatus,
    JointOperation,
    Level,
    ScreeningPlan,
    ScreeningTask,
)

S = EventStatus

# The dispatch board's queues (each a list of statuses), in the order the centre works them.
QUEUES = [
    ("intake", gettext_lazy("待受理"), (S.REPORTED, S.REOPENED)),
    ("dispatch", gettext_lazy("待分拨"), (S.ACCEPTED, S.RETURNED)),
    ("handling", gettext_lazy("办理中"), (S.DISPATCHED, S.IN_PROGRESS, S.ESCALATED)),
    ("verify", gettext_lazy("待核查结案"), (S.RESOLVED, S.VERIFIED)),
]
QUEUE_OF = {status: code for code, _label, statuses in QUEUES for status in statuses}
BOARD_ROWS = 12
LIST_COLUMNS = ("category", "grid", "village", "sector", "position")


def events(user, action: str = "events.view"):
    return restrict(user, action, Event)


def _overdue_expr(now):
    return Case(When(due_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())


def work_order(qs, now=None):
    """Urgent first, then overdue, then pinned, then the nearest deadline, then the oldest."""
    now = now or timezone.now()
    return qs.annotate(is_overdue=_overdue_expr(now)).order_by(
        "-urgent", "-is_overdue", "-pinned", F("due_at").asc(nulls_last=True), "reported_at", "pk")


def board(user) -> dict:
    """Queues by status (urgent and overdue first) and counts: two queries."""
    now = timezone.now()
    base = events(user, "events.board").filter(status__in=[s for _c, _l, ss in QUEUES for s in ss])
    counts = {row["status"]: row for row in base.order_by().values("status").annotate(
        total=Count("pk"), urgent_n=Count("pk", filter=Q(urgent=True)),
        overdue_n=Count("pk", filter=Q(due_at__lt=now)))}
    queue_expr = Case(*[When(status__in=list(ss), then=Value(code)) for code, _l, ss in QUEUES])
    overdue = _overdue_expr(now)
    ranked = (base.annotate(is_overdue=overdue, queue=queue_expr)
              .annotate(rank=Window(RowNumber(), partition_by=[queue_expr],
                                    order_by=[F("urgent").desc(), overdue.desc(), F("pinned").desc(),
                                              F("due_at").asc(nulls_last=True), F("reported_at").asc(),
                                              F("pk").asc()]))
              .filter(rank__lte=BOARD_ROWS)
              .select_related("category", "grid", "sector", "position")
              .only("pk", "tracking_code", "title", "status", "priority", "urgent", "pinned", "level", "supervised",
                    "channel", "reported_at", "due_at", "town_id", "category__name", "category__parent_id",
                    "grid__name", "sector__name", "position__name"))
    rows: dict[str, list] = {code: [] for code, _l, _s in QUEUES}
    for e in ranked:
        rows[e.queue].append(e)
    for code in rows:
        rows[code].sort(key=lambda e: (e.rank,))
    queues = []
    totals = {"total": 0, "urgent": 0, "overdue": 0}
    for code, label, statuses in QUEUES:
        total = sum(counts.get(s, {}).get("total", 0) for s in statuses)
        urgent = sum(counts.get(s, {}).get("urgent_n", 0) for s in statuses)
        overdue_n = sum(counts.get(s, {}).get("overdue_n", 0) for s in statuses)
        totals["total"] += total
        totals["urgent"] += urgent
        totals["overdue"] += overdue_n
        queues.append({"code": code, "label": label, "total": total, "urgent": urgent, "overdue": overdue_n,
                       "events": rows[code], "statuses": [str(s) for s in statuses],
                       "by_status": [(EventStatus(s).label, counts.get(s, {}).get("total", 0)) for s in statuses]})
    alarms = [e for q in queues for e in q["events"] if e.urgent]
    return {"queues": queues, "totals": totals, "alarms": alarms, "now": now, "duty": duty_today(user)}


def my_tasks(user, *, done: bool = False):
    """Events dispatched to the user's posts (A or B holder), or to the sector the user leads."""
    from access.roles import Role
    from access.scope import grants_of

    cond = Q(position__primary_holder__user=user) | Q(position__backup_holder__user=user)
    if not done:  # co-handling (协办) dispatches of the user's posts
        co = Dispatch.objects.filter(status="active", role="co").filter(
            Q(position__primary_holder__user=user) | Q(position__backup_holder__user=user)).values("event_id")
        cond |= Q(pk__in=co)
    for g in grants_of(user):
        if g.role == Role.SECTOR_LEAD:
            cond |= Q(sector_id=g.sector_id) if g.sector_id else Q(sector__isnull=False)
        elif g.role in (Role.POST_HOLDER, Role.ENFORCEMENT_OFFICER) and g.sector_id:
            cond |= Q(sector_id=g.sector_id, position__isnull=True)
    statuses = ((S.RESOLVED, S.VERIFIED, S.CLOSED) if done
                else (S.DISPATCHED, S.IN_PROGRESS))
    qs = events(user, "events.my_tasks").filter(cond, status__in=statuses).select_related(
        "category", "grid", "sector", "position")
    return qs.order_by("-resolved_at", "-pk") if done else work_order(qs)


def my_grid(user) -> dict:
    """What a grid worker needs on a phone: open events in the grid, own reports, pending screening tasks."""
    from access.scope import grants_of

    grid_ids = [g.grid_id for g in grants_of(user) if g.grid_id]
    related = ("category", "grid", "sector", "position")
    open_qs = events(user, "events.my_grid").filter(status__in=OPEN_STATUSES).select_related(*related)
    open_events = list(work_order(open_qs)[:30])
    mine = list(events(user, "events.my_grid").filter(reporter_user=user).select_related(*related)
                .order_by("-reported_at")[:10])
    tasks_qs = restrict(user, "events.screening", ScreeningTask).filter(done=False).select_related("plan", "grid")
    if grid_ids:
        tasks_qs = tasks_qs.filter(grid_id__in=grid_ids)
    tasks = list(tasks_qs.order_by("-plan__month", "grid__code")[:10])
    return {"open_events": open_events, "mine": mine, "tasks": tasks}


def event_list(user, data: dict, *, action: str = "events.view"):
    qs = events(user, action).select_related("category", "category__parent", "grid", "sector", "position")
    status = data.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in EventStatus.values:
        qs = qs.filter(status=status)
    for name in ("category", "grid", "sector"):
        value = data.get(name)
        if value:
            qs = qs.filter(**{f"{name}_id": getattr(value, "pk", value)})
    if data.get("category_tree"):
        cat = data["category_tree"]
        qs = qs.filter(Q(category=cat) | Q(category__parent=cat))
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("level"):
        qs = qs.filter(settlement_level=data["level"])
    if data.get("urgent"):
        qs = qs.filter(urgent=True)
    if data.get("overdue"):
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    if data.get("date_from"):
        qs = qs.filter(reported_at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(reported_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(tracking_code=q.upper()) | Q(title__icontains=q))
    return qs.order_by("-reported_at", "-pk")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def event_detail(user, pk):
    from access.scope import get_in_scope

    return get_in_scope(user, "events.view", Event.objects.select_related(
        "category", "category__parent", "grid", "village", "sector", "position", "position__primary_holder",
        "position__backup_holder", "enterprise", "liaison", "reporter_user", "duplicate_of"), pk=pk)


def cohandlers(event):
    """Active co-handling (协办) dispatches of an event, with their posts and holders: one query."""
    return Dispatch.objects.filter(event=event, status="active", role="co").select_related(
        "position", "position__primary_holder", "position__backup_holder", "holder").order_by("dispatched_at")


def event_related(event) -> dict:
    """Photos, dispatches, escalations, supervisions, evaluations, notes: prefetch in one query each."""
    return {
        "photos": list(event.photos.all()),
        "attachments": list(event.attachments.all()),
        "dispatches": list(event.dispatches.select_related("sector", "position", "holder", "dispatched_by")
                           .order_by("-dispatched_at")),
        "escalations": list(event.escalations.order_by("at")),
        "supervisions": list(event.supervisions.select_related("by").order_by("-at")),
        "evaluations": list(event.evaluations.order_by("-at")),
        "notes": list(event.notes.select_related("author").order_by("at")),
    }




def timeline(event) -> list:
    """The event's full history from the audit chain, oldest first: one query. Dispatches, escalations,
    notes, supervisions and ratings are all recorded against the event itself."""
    from audit.models import AuditEntry

    entries = list(AuditEntry.objects.filter(object_type="events.event", object_id=str(event.pk)).order_by(
        "seq").only(
        "seq", "at", "actor_name", "role", "action", "reason", "after", "files", "channel", "hash"))
    for e in entries:
        e.label = ACTION_LABELS.get(e.action, e.action)
    return entries


def statistics(user, *, date_from=None, date_to=None) -> dict:
    """Counts by category, grid, status, channel, settlement level and month; on-time rate; satisfaction."""
    qs = events(user, "events.stats")
    if date_from:
        qs = qs.filter(reported_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(reported_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    qs = qs.order_by()
    on_time = Q(resolved_at__isnull=False, due_handle_at__isnull=False, resolved_at__lte=F("due_handle_at"))
    judged = Q(resolved_at__isnull=False, due_handle_at__isnull=False)
    by_category = list(qs.values("category__name").annotate(n=Count("pk")).order_by("-n")[:20])
    by_grid = list(qs.values("grid__name").annotate(n=Count("pk"), open_n=Count("pk", filter=Q(
        status__in=OPEN_STATUSES))).order_by("grid__name"))
    by_status = {r["status"]: r["n"] for r in qs.values("status").annotate(n=Count("pk"))}
    by_level = {r["settlement_level"]: r["n"] for r in qs.exclude(settlement_level="").values(
        "settlement_level").annotate(n=Count("pk"))}
    months = list(qs.annotate(m=TruncMonth("reported_at")).values("m").annotate(
        n=Count("pk"), on_time_n=Count("pk", filter=on_time), judged_n=Count("pk", filter=judged),
        rated=Count("rating"), avg_rating=Avg("rating"), channel_portal=Count("pk", filter=Q(channel="portal")),
    ).order_by("m"))
    total = sum(by_status.values())
    judged_n = sum(m["judged_n"] for m in months)
    on_time_n = sum(m["on_time_n"] for m in months)
    rated = sum(m["rated"] for m in months)
    rating_sum = sum((m["avg_rating"] or 0) * m["rated"] for m in months)
    settled = sum(by_level.values())
    return {
        "total": total,
        "open": sum(n for s, n in by_status.items() if s in OPEN_STATUSES),
        "closed": by_status.get(S.CLOSED, 0),
        "on_time_rate": round(100 * on_time_n / judged_n, 1) if judged_n else None,
        "satisfaction": round(rating_sum / rated, 2) if rated else None,
        "rated": rated,
        "by_category": [{"name": r["category__name"], "n": r["n"]} for r in by_category],
        "by_grid": [{"name": r["grid__name"] or _("未定位"), "n": r["n"], "open": r["open_n"]} for r in by_grid],
        "by_status": [{"code": s, "name": str(EventStatus(s).label), "n": by_status.get(s, 0)}
                      for s in EventStatus.values if by_status.get(s)],
        "by_level": [{"code": lv, "name": str(Level(lv).label), "n": by_level.get(lv, 0),
                      "pct": round(100 * by_level.get(lv, 0) / settled, 1) if settled else 0}
                     for lv in Level.values],
        "months": [{"month": timezone.localtime(m["m"]).strftime("%Y-%m") if timezone.is_aware(m["m"])
                    else m["m"].strftime("%Y-%m"), "n": m["n"],
                    "on_time_rate": round(100 * m["on_time_n"] / m["judged_n"], 1) if m["judged_n"] else None,
                    "satisfaction": round(m["avg_rating"], 2) if m["avg_rating"] else None} for m in months],
        "not_up_rate": round(100 * (by_level.get(Level.GRID, 0) + by_level.get(Level.VILLAGE, 0)
                                    + by_level.get(Level.TOWN, 0)) / settled, 1) if settled else None,
    }


def map_points(user, *, limit: int = 2000) -> list[dict]:
    qs = events(user).filter(lat__isnull=False, status__in=OPEN_STATUSES).order_by("-reported_at")[:limit]
    return [{"id": e["pk"], "lat": e["lat"], "lng": e["lng"], "title": e["title"], "status": e["status"],
             "urgent": e["urgent"], "code": e["tracking_code"]}
            for e in qs.values("pk", "lat", "lng", "title", "status", "urgent", "tracking_code")]


def categories_tree(town, *, public_only: bool = False) -> list[Category]:
    qs = Category.objects.filter(town=town, active=True).select_related("parent")
    if public_only:
        qs = qs.filter(public=True)
    return list(qs.order_by("parent__order", "parent_id", "order", "code"))


def leaf_categories(town, *, public_only: bool = False) -> list[Category]:
    """Active categories without active children (a parent is never offered, even if its children are not)."""
    cats = categories_tree(town)
    parents = {c.parent_id for c in cats if c.parent_id}
    return [c for c in cats if c.pk not in parents and (c.public or not public_only)]


# --- public projections (portal, Open311) ----------------------------------------------------------

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
LONG_DIGITS_RE = re.compile(r"(?<!\d)(\d{4})\d{8,15}(\d{2})(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3})-?\d{7,8}(?!\d)")
# House numbers in free text: "3组12号", "5栋2单元301室", "8号楼" → digits masked.
HOUSE_RE = re.compile(r"[0-9０-９一二三四五六七八九十百]+(?=\s*(组|社|号|栋|幢|单元|室|楼|弄|巷|户))")


def scrub(text: str) -> str:
    """Mask phone numbers, ID numbers, bank-account-like digit runs and house numbers in free text (P1)."""
    if not text:
        return ""
    text = ID_RE.sub(lambda m: m.group(1)[:1] + "*" * 16 + m.group(2)[-1:], text)
    text = PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    text = LONG_DIGITS_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = LANDLINE_RE.sub(lambda m: m.group(1) + "-********", text)
    text = HOUSE_RE.sub("*", text)
    return text


PUBLIC_STEPS = [
    (S.REPORTED, gettext_lazy("已提交")),
    (S.ACCEPTED, gettext_lazy("已受理")),
    (S.DISPATCHED, gettext_lazy("办理中")),
    (S.RESOLVED, gettext_lazy("已办结")),
    (S.CLOSED, gettext_lazy("已结案")),
]
_PUBLIC_STEP_OF = {
    S.REPORTED: 0, S.REOPENED: 1, S.ACCEPTED: 1, S.RETURNED: 1, S.DISPATCHED: 2, S.IN_PROGRESS: 2,
    S.ESCALATED: 2, S.RESOLVED: 2, S.VERIFIED: 3, S.CLOSED: 4, S.REJECTED: 0,
}


def public_status(event) -> str:
    return "closed" if event.status in FINAL_STATUSES else "open"


def public_event(code: str) -> Event | None:
    """The event behind a tracking code (case-insensitive). Only for public projections."""
    code = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    if not 6 <= len(code) <= 16:
        return None
    return Event.objects.select_related("category", "grid", "town").filter(tracking_code=code).first()


def public_projection(event) -> dict:
    """What the public may see of an event: no names, phone numbers, ID numbers or full addresses.
    A duplicate shows the progress and result of the event it was merged into."""
    if event.duplicate_of_id and event.status == S.REJECTED:
        master = public_projection(event.duplicate_of)
        own = _projection(event)
        own.update({k: master[k] for k in ("status", "status_label", "step", "updated_at", "result")})
        own.update({"merged": True, "reject_reason": "", "can_rate": False})
        return own
    return _projection(event)


def _projection(event) -> dict:
    shows_result = event.status in (S.VERIFIED, S.CLOSED)
    step = _PUBLIC_STEP_OF.get(event.status, 0)
    return {
        "tracking_code": event.tracking_code,
        "town": event.town.name,
        "title": scrub(event.title),
        "description": scrub(event.description),
        "category": event.category.name,
        "grid": event.grid.name if event.grid_id else "",
        "address": mask_address(scrub(event.address)),
        "status": public_status(event),
        "status_label": _("不予受理") if event.status == S.REJECTED else str(PUBLIC_STEPS[step][1]),
        "status_code": event.status,
        "step": step,
        "steps": [str(label) for _s, label in PUBLIC_STEPS],
        "reported_at": event.reported_at,
        "updated_at": event.closed_at or event.resolved_at or event.dispatched_at or event.accepted_at
        or event.reported_at,
        "result": scrub(event.result) if shows_result else "",
        "reject_reason": scrub(event.reject_reason) if event.status == S.REJECTED else "",
        "rating": event.rating,
        "can_rate": event.status in (S.VERIFIED, S.CLOSED),
        "lat": round(event.lat, 4) if event.lat is not None else None,
        "lng": round(event.lng, 4) if event.lng is not None else None,
        "merged": False,
    }


def open311_requests(town, *, service_code: str = "", status: str = "", start=None, end=None,
                     ids=None, limit: int = 1000):
    qs = Event.objects.filter(category__public=True).select_related("category", "sector", "town")
    if town is not None:
        qs = qs.filter(town=town)
    if ids:
        qs = qs.filter(pk__in=ids)
    if service_code:
        qs = qs.filter(category__code__in=[c.strip() for c in service_code.split(",") if c.strip()])
    if status == "open":
        qs = qs.exclude(status__in=FINAL_STATUSES)
    elif status == "closed":
        qs = qs.filter(status__in=FINAL_STATUSES)
    if start:
        qs = qs.filter(reported_at__gte=start)
    if end:
        qs = qs.filter(reported_at__lte=end)
    if not ids and not start and not end:
        qs = qs.filter(reported_at__gte=timezone.now() - dt.timedelta(days=90))
    return list(qs.order_by("-reported_at")[:limit])


# --- campaigns, screening, hazards, operations ------------------------------------------------------

def campaigns(user):
    return restrict(user, "events.campaign_view", Campaign).select_related("sector").annotate(
        operations_n=Count("operations", distinct=True),
        hazards_n=Count("hazards", distinct=True),
        hazards_done=Count("hazards", filter=Q(hazards__status=HazardStatus.VERIFIED), distinct=True),
    ).order_by("-start_date")


def campaign_figures(campaign) -> dict:
    """The campaign's results against its targets (frozen into ``closing_figures`` when it closes): joint
    operations, hazards found / rectified / verified in its scope, screening completion. Three queries."""
    from django.db.models import Sum

    ops = JointOperation.objects.filter(campaign=campaign).aggregate(
        n=Count("pk"), staff=Sum("staff_count"), vehicles=Sum("vehicles_checked"), places=Sum("places_checked"),
        violations=Sum("violations"), hazards=Sum("hazards_found"))
    hz = Hazard.objects.filter(campaign=campaign).aggregate(
        found=Count("pk"),
        rectified=Count("pk", filter=Q(status__in=[HazardStatus.RECTIFIED, HazardStatus.VERIFIED])),
        verified=Count("pk", filter=Q(status=HazardStatus.VERIFIED)),
        open=Count("pk", filter=Q(status__in=[HazardStatus.FOUND, HazardStatus.ORDERED, HazardStatus.RECTIFYING])))
    tasks = ScreeningTask.objects.filter(plan__campaign=campaign).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done=True)), plans=Count("plan", distinct=True))
    return {
        "operations": ops["n"], "target_operations": campaign.target_operations,
        "operations_met": ops["n"] >= campaign.target_operations,
        "staff": ops["staff"] or 0, "vehicles_checked": ops["vehicles"] or 0, "places_checked": ops["places"] or 0,
        "violations": ops["violations"] or 0, "hazards_reported_by_operations": ops["hazards"] or 0,
        "hazards_found": hz["found"], "hazards_rectified": hz["rectified"], "hazards_verified": hz["verified"],
        "hazards_open": hz["open"], "target_hazards": campaign.target_hazards,
        "hazards_met": hz["verified"] >= campaign.target_hazards,
        "screening_plans": tasks["plans"], "screening_tasks": tasks["total"], "screening_done": tasks["done"],
    }


def duty_today(user, action: str = "events.board") -> list:
    """Today's duty shifts the user may see (one for a town user; one per town for district users): one query."""
    return list(restrict(user, action, DutyShift).filter(date=timezone.localdate())
                .select_related("town", "leader", "deputy").order_by("town__code"))


def duty_month(user, month: dt.date) -> list:
    """The shifts of a month, by date: one query."""
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return list(restrict(user, "events.duty_view", DutyShift).filter(date__gte=first, date__lt=nxt)
                .select_related("town", "leader", "deputy").order_by("date", "town__code"))


def campaign_detail(user, pk):
    from access.scope import get_in_scope

    return get_in_scope(user, "events.campaign_view", Campaign.objects.select_related("sector"), pk=pk)


def plan_completion(plans) -> list[dict]:
    """Per plan: tasks, done, rate — from one aggregate query."""
    ids = [p.pk for p in plans]
    rows = {r["plan_id"]: r for r in ScreeningTask.objects.filter(plan_id__in=ids).values("plan_id").annotate(
        total=Count("pk"), done_n=Count("pk", filter=Q(done=True)), issues=Count("pk", filter=Q(issues_found__gt=0)))}
    out = []
    for p in plans:
        r = rows.get(p.pk, {"total": 0, "done_n": 0, "issues": 0})
        out.append({"plan": p, "total": r["total"], "done": r["done_n"],
                    "rate": round(100 * r["done_n"] / r["total"]) if r["total"] else 0})
    return out


def screening_plans(user, campaign=None):
    qs = restrict(user, "events.campaign_view", ScreeningPlan).select_related("campaign", "task_type")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-month")


def hazards(user, data: dict | None = None):
    data = data or {}
    qs = restrict(user, "events.hazard_view", Hazard).select_related("grid", "campaign")
    if data.get("status") in HazardStatus.values:
        qs = qs.filter(status=data["status"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("campaign"):
        qs = qs.filter(campaign_id=getattr(data["campaign"], "pk", data["campaign"]))
    if data.get("overdue"):
        qs = qs.filter(status__in=[HazardStatus.ORDERED, HazardStatus.RECTIFYING], deadline__lt=timezone.localdate())
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(location__icontains=q))
    return qs.order_by("-found_on", "-code")


def operations(user, data: dict | None = None):
    data = data or {}
    qs = restrict(user, "events.operation_view", JointOperation).select_related("campaign")
    if data.get("campaign"):
        qs = qs.filter(campaign_id=getattr(data["campaign"], "pk", data["campaign"]))
    if data.get("date_from"):
        qs = qs.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(date__lte=data["date_to"])
    return qs.order_by("-date", "-pk")


def panel_counts(user, action: str = "events.view") -> dict:
    """Home panel figures in one query."""
    now = timezone.now()
    return restrict(user, action, Event).filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)), overdue=Count("pk", filter=Q(due_at__lt=now)),
        intake=Count("pk", filter=Q(status__in=[S.REPORTED, S.REOPENED])),
        verify=Count("pk", filter=Q(status__in=[S.RESOLVED, S.VERIFIED])),
    )


def annual_figures(user, *, year: int) -> dict:
    """The figures a town's annual report quotes from this module, each with the records it counted
    (e.g. "全年交安联合执法行动31次，整治道路交通隐患30处"). Five queries."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ops = list(restrict(user, "events.operation_view", JointOperation).filter(date__range=(start, end))
               .values_list("pk", "campaign__code"))
    road_ops = [pk for pk, code in ops if code == "road_safety"]
    rectified = list(restrict(user, "events.hazard_view", Hazard).filter(
        status=HazardStatus.VERIFIED, verified_on__range=(start, end)).values_list("pk", "kind"))
    months = list(restrict(user, "events.campaign_view", ScreeningPlan).filter(month__range=(start, end))
                  .values_list("month", flat=True).distinct())
    qs = events(user, "events.stats").filter(reported_at__gte=_day_start(start),
                                             reported_at__lt=_day_start(end + dt.timedelta(days=1))).order_by()
    by_level = {r["settlement_level"]: r["n"] for r in qs.values("settlement_level").annotate(n=Count("pk"))}
    rated = qs.filter(rating__isnull=False).aggregate(n=Count("pk"), avg=Avg("rating"))
    return {
        "year": year,
        "joint_operations": {"count": len(ops), "ids": [pk for pk, _c in ops]},
        "road_joint_operations": {"count": len(road_ops), "ids": road_ops},
        "hazards_rectified": {"count": len(rectified), "ids": [pk for pk, _k in rectified]},
        "road_hazards_rectified": {"count": sum(1 for _p, k in rectified if k == "road"),
                                   "ids": [pk for pk, k in rectified if k == "road"]},
        "screening_months": len(set(months)),
        "events": sum(by_level.values()),
        "settled_by_level": {lv: by_level.get(lv, 0) for lv in Level.values},
        "satisfaction": round(rated["avg"], 2) if rated["avg"] else None,
        "rated": rated["n"],
    }
