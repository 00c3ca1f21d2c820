"""Home panels: an officer's open cases; the leadership's and reviewers' enforcement figures."""

from django.utils.translation import gettext_lazy as _

from access.roles import Role
from core.panels import Panel


def officer_context(request):
    from access.scope import restrict

    from .models import OPEN_STATUSES, Case

    rows = list(restrict(request.user, "enforcement.case_view", Case)
                .filter(officers__user=request.user, status__in=OPEN_STATUSES)
                .select_related("matter").order_by("-created_at")[:5])
    return {"cases": rows}


def overview_context(request):
    from .selectors import supervision

    return {"counts": supervision(request.user)}


PANELS = [
    Panel(key="enforcement_mine", title=_("我承办的执法案件"), template="enforcement/panels/mine.html",
          context=officer_context, roles=frozenset({Role.ENFORCEMENT_OFFICER}), order=30, queries=1),
    Panel(key="enforcement_overview", title=_("综合行政执法"), template="enforcement/panels/overview.html",
          context=overview_context, roles=frozenset({Role.LEADER, Role.LEGAL_REVIEWER}), order=40, queries=2),
]
