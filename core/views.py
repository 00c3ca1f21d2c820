from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.roles import Role
from access.scope import roles_of

from .panels import get_panel, layout, panels_for

ROLE_GREETING = {  # lazy: translated per request, not once at import
    Role.DISPATCHER: gettext_lazy("指挥中心工作台"),
    Role.SECTOR_LEAD: gettext_lazy("板块工作台"),
    Role.POST_HOLDER: gettext_lazy("我的岗位"),
    Role.GRID_WORKER: gettext_lazy("我的网格"),
    Role.ENFORCEMENT_OFFICER: gettext_lazy("执法工作台"),
    Role.LEGAL_REVIEWER: gettext_lazy("法制审核工作台"),
    Role.LEADER: gettext_lazy("领导驾驶舱"),
    Role.DISTRICT_SUPERVISOR: gettext_lazy("区县督导"),
    Role.SYSADMIN: gettext_lazy("系统管理"),
    Role.SECADMIN: gettext_lazy("安全管理"),
    Role.AUDITOR: gettext_lazy("安全审计"),
}


@login_required
def home(request):
    roles = roles_of(request.user)
    ordered = [r for r in Role if r in roles]
    title = ROLE_GREETING.get(ordered[0], _("工作台")) if ordered else _("工作台")
    panels = []
    for panel, inline in layout(panels_for(roles), settings.FAZHI_HOME_PANEL_QUERIES):
        if not inline:
            panels.append({"panel": panel, "lazy": True})
            continue
        context = panel.context(request)
        if context is None:
            continue
        panels.append({"panel": panel, "context": context})
    return render(request, "core/home.html", {
        "title": title,
        "role_labels": [Role(r).label for r in ordered],
        "panels": panels,
    })


@login_required
def panel(request, key):
    """One home panel on its own (loaded by htmx when the home page's query budget is spent)."""
    found = get_panel(key)
    if found is None:
        raise Http404(key)
    if found.roles and not (set(found.roles) & roles_of(request.user)):
        raise PermissionDenied(key)
    context = found.context(request)
    return render(request, "core/panel.html", {"item": {"panel": found, "context": context}})


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
