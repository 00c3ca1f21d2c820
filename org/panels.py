"""Home-page panels of org.

The home page's query budget (≤ 10) is shared by every app's panels and is already used up by the page
itself and the centre's panels, so org's panels load their content with htmx from ``org:panel_*`` (each
fragment: its selector is ≤ 2 queries). The panel context below costs no query at all.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.roles import Role
from core.panels import Panel


def _lazy(url_name: str, fallback: str):
    def context(request):
        return {"url": reverse(url_name), "fallback": reverse(fallback)}

    return context


PANELS = [
    Panel(key="org_overview", title=_("组织概况"), template="org/panels/lazy.html",
          context=_lazy("org:panel_overview", "org:overview"),
          roles=frozenset({Role.LEADER, Role.DISPATCHER, Role.DISTRICT_SUPERVISOR}), order=10),
    Panel(key="org_my_posts", title=_("我的岗位"), template="org/panels/lazy.html",
          context=_lazy("org:panel_my_posts", "org:position_list"),
          roles=frozenset({Role.POST_HOLDER, Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER}), order=20),
    Panel(key="org_my_grid", title=_("我的网格"), template="org/panels/lazy.html",
          context=_lazy("org:panel_my_grid", "org:grid_list"), roles=frozenset({Role.GRID_WORKER}), order=21),
]
