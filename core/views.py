from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.roles import Role
from access.scope import roles_of

from .panels import panels_for

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
    for panel in panels_for(roles):
        context = panel.context(request)
        if context is None:
            continue
        panels.append({"panel": panel, "context": context})
    return render(request, "core/home.html", {
        "title": title,
        "role_labels": [Role(r).label for r in ordered],
        "panels": panels,
    })


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
