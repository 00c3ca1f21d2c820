"""Reading the audit log. Every query starts from ``access.scope`` (403 without the action, town scope)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Model, Q, Subquery
from django.http import Http404
from django.utils import timezone

from access.scope import can, scope_q

from .models import AuditEntry, Verification

# Security events (S7): what the security administrator may read.
SECURITY_PREFIXES = ("accounts.", "access.")
SECURITY_ACTIONS = ("audit.verify",)
COUNT_LIMIT = 10000


def security_q() -> Q:
    q = Q(action__in=SECURITY_ACTIONS)
    for prefix in SECURITY_PREFIXES:
        q |= Q(action__startswith=prefix)
    return q


def is_security_action(action: str) -> bool:
    return action in SECURITY_ACTIONS or action.startswith(SECURITY_PREFIXES)


def entries_for(user, action: str = "audit.view"):
    """Entries of the user's town (district users: their district) plus town-less system entries
    (failed logins of unknown names, verifications). ``audit.view_security`` narrows to security events."""
    q = scope_q(user, action, AuditEntry) | Q(town__isnull=True)
    qs = AuditEntry.objects.filter(q)
    if action == "audit.view_security":
        qs = qs.filter(security_q())
    return qs.select_related("town")


def visible_q(user) -> Q:
    """The condition of ``visible_entries`` (403 when the user has no audit action)."""
    if can(user, "audit.view"):
        return scope_q(user, "audit.view", AuditEntry) | Q(town__isnull=True)
    if can(user, "audit.view_security"):
        return (scope_q(user, "audit.view_security", AuditEntry) | Q(town__isnull=True)) & security_q()
    raise PermissionDenied("audit.view")


def visible_entries(user):
    """What an entry page may show: everything for auditors, security events for security admins."""
    return AuditEntry.objects.filter(visible_q(user)).select_related("town")


def entry_with_neighbours(user, pk: int):
    """One query: the entry (404 unless visible) and the entries just before and after it in the chain,
    each marked ``visible`` so a page links only to what the user may open."""
    seq = AuditEntry.objects.filter(pk=pk).values("seq")[:1]
    rows = list(
        AuditEntry.objects.filter(Q(pk=pk) | Q(seq=Subquery(seq) - 1) | Q(seq=Subquery(seq) + 1))
        .annotate(visible=ExpressionWrapper(visible_q(user), output_field=BooleanField()))
        .select_related("town")
    )
    entry = next((r for r in rows if r.pk == pk and r.visible), None)
    if entry is None:
        raise Http404
    prev = next((r for r in rows if r.seq == entry.seq - 1), None)
    nxt = next((r for r in rows if r.seq == entry.seq + 1), None)
    return entry, prev, nxt


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(qs, data: dict):
    """Filter by the cleaned data of ``forms.EntryFilterForm`` (also used by the API)."""
    if data.get("date_from"):
        qs = qs.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    if data.get("town"):
        qs = qs.filter(town=data["town"])
    if data.get("actor"):
        value = data["actor"].strip()
        qs = qs.filter(actor_id=int(value)) if value.isdigit() else qs.filter(
            Q(actor_name__icontains=value) | Q(actor__username__iexact=value))
    if data.get("action"):
        qs = qs.filter(action__startswith=data["action"].strip())
    if data.get("object_type"):
        qs = qs.filter(object_type=data["object_type"].strip().lower())
    if data.get("object_id"):
        qs = qs.filter(object_id=data["object_id"].strip())
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("request_id"):
        qs = qs.filter(request_id=data["request_id"].strip())
    return qs


def count_upto(qs, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """Count at most ``limit`` rows (stays fast on millions of rows): ``(count, more)``."""
    n = qs.order_by()[: limit + 1].count()
    return min(n, limit), n > limit


def timeline_for(obj: Model, *, limit: int = 50) -> list[AuditEntry]:
    """Who did what to ``obj`` and when, newest first.

    Not restricted again: the caller passes an object it has already fetched through ``restrict()``,
    so whoever may see the object sees its history.
    """
    if obj is None or obj.pk is None:
        return []
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-seq")
        .only("seq", "at", "actor_name", "role", "action", "reason", "before", "after", "files", "channel")[:limit]
    )


def last_verification():
    return Verification.objects.order_by("-started_at").first()


def verifications(user):
    if not can(user, "audit.view"):
        raise PermissionDenied("audit.view")
    return Verification.objects.order_by("-started_at")
