"""Home panels: the centre's queues, a post holder's tasks, a grid worker's grid (one query each)."""

from django.utils.translation import gettext_lazy as _

from access.roles import Role
from core.panels import Panel


def centre_context(request):
    from .selectors import panel_counts

    return {"counts": panel_counts(request.user, "events.board")}


def tasks_context(request):
    from .selectors import my_tasks

    rows = list(my_tasks(request.user)[:5])
    return {"events": rows}


def grid_context(request):
    from .selectors import panel_counts

    return {"counts": panel_counts(request.user, "events.my_grid")}


PANELS = [
    Panel(key="events_centre", title=_("网格事件"), template="events/panels/centre.html", context=centre_context,
          roles=frozenset({Role.DISPATCHER, Role.LEADER, Role.DISTRICT_SUPERVISOR}), order=5),
    Panel(key="events_tasks", title=_("分拨给我的事件"), template="events/panels/tasks.html", context=tasks_context,
          roles=frozenset({Role.POST_HOLDER, Role.SECTOR_LEAD, Role.ENFORCEMENT_OFFICER}), order=5),
    Panel(key="events_grid", title=_("本网格事件"), template="events/panels/grid.html", context=grid_context,
          roles=frozenset({Role.GRID_WORKER}), order=5),
]
