from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"title": _("我的提醒"), "page_obj": page})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notify:inbox")
