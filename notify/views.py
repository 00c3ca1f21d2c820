from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import xlsx_response

from . import selectors, services
from .models import Notification


def _filters(request):
    state = request.GET.get("state", "")
    unread = {"unread": True, "read": False}.get(state)
    level = request.GET.get("level", "")
    return state, unread, level if level in Notification.Level.values else ""


@login_required
def inbox(request):
    state, unread, level = _filters(request)
    qs = selectors.inbox(request.user, unread=unread, level=level)
    if request.GET.get("export") == "xlsx":
        rows = ([n.created_at, n.get_level_display(), n.title, n.body, n.read_at] for n in qs[:5000])
        headers = [_("时间"), _("级别"), _("标题"), _("内容"), _("已读时间")]
        return xlsx_response(_("我的提醒"), _("我的提醒"), headers, rows)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {
        "title": _("我的提醒"), "page_obj": page, "state": state, "level": level,
        "levels": Notification.Level.choices,
    })


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notify:inbox")


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one notification read and follow its link (only local links)."""
    note = selectors.get_own(request.user, pk)
    services.mark_read(user=request.user, ids=[note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
        return redirect(note.url)
    return redirect("notify:inbox")
