"""Auditor pages: the log, security events, one entry, verification runs. Every read is itself audited."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import can, require
from core.exports import xlsx_response

from . import selectors, services
from .forms import EntryFilterForm
from .labels import action_label
from .pagination import keyset_page
from .selectors import entries_for

EXPORT_LIMIT = 20000
PAGE_SIZE = 50


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _entry_list(request, *, action: str, title: str, read_action: str, template: str):
    qs = entries_for(request.user, action)  # 403 without the action
    form = EntryFilterForm(request.GET or None, user=request.user, action=action)
    valid = form.is_valid() if request.GET else True
    if request.GET and not valid:
        qs = qs.none()
    elif request.GET:
        qs = selectors.apply_filters(qs, form.cleaned_data)
    filters = form.described() if request.GET and valid else {}

    if request.GET.get("export") == "xlsx":
        require(request.user, "audit.export")
        return _export(request, qs, filters, title)

    page = keyset_page(qs, request.GET, size=PAGE_SIZE)
    if request.GET.get("count") == "1":
        total, more = selectors.count_upto(qs)  # at most COUNT_LIMIT rows are counted
    elif not page.older and not page.newer:
        total, more = len(page), False  # everything is on this page: no query needed
    else:
        total, more = None, False
    services.log_read(actor=request.user, action=read_action, filters=filters, shown=len(page))
    query = request.GET.copy()
    for key in ("before", "after", "export", "count"):
        query.pop(key, None)
    return render(request, template, {
        "title": title,
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "query": query.urlencode(),
        "can_export": can(request.user, "audit.export"),
        "list_url_name": request.resolver_match.view_name,
    })


def _export(request, qs, filters: dict, title: str):
    rows = []
    truncated = False
    for n, e in enumerate(qs.order_by("-seq").iterator(chunk_size=2000)):
        if n >= EXPORT_LIMIT:
            truncated = True
            break
        rows.append([
            e.seq, e.at, e.town.name if e.town_id and e.town else "", e.actor_name, e.role, e.action,
            action_label(e.action), e.object_type, e.object_id, e.object_repr, e.reason, e.channel,
            e.request_id, e.client_ip, _as_text(e.before), _as_text(e.after), _as_text(e.files), e.hash,
        ])
    services.log_read(actor=request.user, action="audit.export", filters=filters, shown=len(rows))
    note = _("{title}；筛选：{filters}；导出人：{user}；导出时间：{at}").format(
        title=title, filters=json.dumps(filters, ensure_ascii=False) if filters else _("无"),
        user=request.user.display_name, at=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    if truncated:
        note += _("；仅导出最新 {n} 条，请缩小筛选范围。").format(n=EXPORT_LIMIT)
    headers = [_("序号"), _("时间"), _("镇街"), _("操作人"), _("角色"), _("动作代码"), _("动作"), _("对象类型"),
               _("对象编号"), _("对象"), _("理由"), _("渠道"), _("请求编号"), _("客户端地址"), _("变更前"),
               _("变更后"), _("文件摘要"), _("本条摘要")]
    filename = _("审计日志-{date}").format(date=timezone.localdate().isoformat())
    return xlsx_response(filename, title, headers, rows, note=note)


@login_required
def entry_list(request):
    return _entry_list(request, action="audit.view", title=_("审计日志"), read_action="audit.read",
                       template="audit/entry_list.html")


@login_required
def security_list(request):
    return _entry_list(request, action="audit.view_security", title=_("安全事件"),
                       read_action="audit.read_security", template="audit/entry_list.html")


def _diff(before, after) -> list[dict]:
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before is None and after is None:
            return []
        return [{"key": "", "before": _as_text(before), "after": _as_text(after), "changed": before != after}]
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [{"key": k, "before": _as_text(before.get(k)), "after": _as_text(after.get(k)),
             "changed": before.get(k) != after.get(k)} for k in keys]


@login_required
def entry_detail(request, pk: int):
    entry, prev, nxt = selectors.entry_with_neighbours(request.user, pk)
    files = []
    for item in entry.files or []:
        item = item if isinstance(item, dict) else {"path": str(item)}
        files.append({**item, "exists": bool(item.get("path")) and _exists(item["path"])})
    services.log_read(actor=request.user, action="audit.read_entry", entry=entry)
    return render(request, "audit/entry_detail.html", {
        "title": _("审计记录 #{seq}").format(seq=entry.seq),
        "entry": entry,
        "diff": _diff(entry.before, entry.after),
        "files": files,
        "hash_ok": services.compute_hash(entry) == entry.hash,
        "prev": prev,
        "next": nxt,
        "prev_link_ok": (prev is not None and prev.hash == entry.prev_hash) or
                        (entry.seq == 1 and entry.prev_hash == services.GENESIS),
        "next_link_ok": nxt is None or nxt.prev_hash == entry.hash,
    })


def _exists(path: str) -> bool:
    from django.core.files.storage import default_storage

    try:
        return default_storage.exists(path)
    except Exception:
        return False


@login_required
def verification_list(request):
    qs = selectors.verifications(request.user)
    page = Paginator(qs.select_related("actor"), 30).get_page(request.GET.get("page"))
    return render(request, "audit/verification_list.html", {
        "title": _("审计链校验记录"),
        "page_obj": page,
        "can_verify": can(request.user, "audit.verify"),
        "retention_days": settings.FAZHI_AUDIT_RETENTION_DAYS,
    })


@login_required
@require_POST
def verification_run(request):
    require(request.user, "audit.verify")
    from .tasks import audit_verify_daily

    audit_verify_daily.enqueue(actor_id=request.user.pk)
    messages.success(request, _("已提交审计链校验，完成后结果显示在本页。"))
    return redirect("audit:verification_list")

