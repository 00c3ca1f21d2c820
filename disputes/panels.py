"""Home panel: open disputes, red-risk ones and early warnings (one query)."""

from django.utils.translation import gettext_lazy as _

from access.roles import Role
from core.panels import Panel


def disputes_context(request):
    from .selectors import panel_counts

    return {"counts": panel_counts(request.user)}


PANELS = [
    Panel(key="disputes", title=_("矛盾纠纷调处"), template="disputes/panels/disputes.html", context=disputes_context,
          roles=frozenset({Role.POST_HOLDER, Role.SECTOR_LEAD, Role.LEADER}), order=20, queries=1),
]
