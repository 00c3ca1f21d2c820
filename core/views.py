from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from access.roles import Role
from access.scope import roles_of

from .panels import panels_for

ROLE_GREETING = {
    Role.DISPATCHER: _("指挥中心工作台"),
    Role.SECTOR_LEAD: _("板块工作台"),
    Role.POST_HOLDER: _("我的岗位"),
    Role.GRID_WORKER: _("我的网格"),
    Role.ENFORCEMENT_OFFICER: _("执法工作台"),
    Role.LEGAL_REVIEWER: _("法制审核工作台"),
    Role.LEADER: _("领导驾驶舱"),
    Role.DISTRICT_SUPERVISOR: _("区县督导"),
    Role.SYSADMIN: _("系统管理"),
    Role.SECADMIN: _("安全管理"),
    Role.AUDITOR: _("安全审计"),
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
