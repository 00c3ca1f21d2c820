"""Reads of the clocks app, always through ``access.scope.restrict``."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from access.scope import restrict

from .models import OPEN_STATUSES, Clock, ClockStatus, RuleOverride


def clocks(user, action: str = "clocks.view"):
    return restrict(user, action, Clock).select_related("town")


def clocks_for_object(user, obj):
    """The clocks of one record (every status), newest first."""
    content_type = ContentType.objects.get_for_model(obj)
    return clocks(user).filter(content_type=content_type, object_id=obj.pk).order_by("-created_at", "-pk")


def open_clocks(user):
    return clocks(user).filter(status__in=OPEN_STATUSES)


def overdue(user, *, on: dt.date | None = None):
    on = on or timezone.localdate()
    return open_clocks(user).filter(Q(status=ClockStatus.OVERDUE) | Q(status=ClockStatus.RUNNING, due_date__lt=on))


def due_soon(user, *, days: int = 7, on: dt.date | None = None):
    on = on or timezone.localdate()
    return open_clocks(user).filter(status=ClockStatus.RUNNING, due_date__gte=on,
                                    due_date__lte=on + dt.timedelta(days=days))


def for_town(user, town):
    return clocks(user).filter(town=town)


def counts(user, *, on: dt.date | None = None, soon_days: int = 7) -> dict:
    """Open, overdue, due-soon and calendar-missing counts in one query."""
    on = on or timezone.localdate()
    return open_clocks(user).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(status=ClockStatus.OVERDUE) | Q(status=ClockStatus.RUNNING, due_date__lt=on)),
        due_soon=Count("pk", filter=Q(status=ClockStatus.RUNNING, due_date__gte=on,
                                      due_date__lte=on + dt.timedelta(days=soon_days))),
        calendar_missing=Count("pk", filter=Q(status=ClockStatus.CALENDAR_MISSING)),
    )


def overrides(user, action: str = "clocks.reference"):
    return restrict(user, action, RuleOverride).select_related("town", "updated_by")
