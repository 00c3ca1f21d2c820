"""Account and role administration for 三员: the system administrator creates accounts, resets passwords,
disables/enables and unlocks; the security administrator grants and revokes roles. Both see the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from access import services as access_services
from access.models import RoleGrant
from access.roles import Role
from access.scope import can, get_in_scope, require, restrict
from core.crypto import mask_phone
from core.errors import DomainError
from core.exports import xlsx_response

from . import services
from .forms import GrantForm, PasswordResetForm, ReasonForm, UserCreateForm, UserFilterForm
from .models import UserSession

User = get_user_model()


def _grants_prefetch():
    return Prefetch("grants", queryset=RoleGrant.objects.select_related("sector", "grid").order_by("role"))


def _roles_text(user) -> str:
    parts = []
    for grant in user.grants.all():
        scope = grant.sector or grant.grid
        label = Role(grant.role).label
        parts.append(_("{role}（{scope}）").format(role=label, scope=scope) if scope else str(label))
    return "、".join(parts)


def _form_error(form, exc: DomainError) -> None:
    field = "password1" if exc.field == "password" and "password1" in form.fields else exc.field
    form.add_error(field if field in form.fields else None, str(exc))


@login_required
def user_list(request):
    qs = restrict(request.user, "accounts.view_users", User).select_related("town").prefetch_related(
        _grants_prefetch())
    form = UserFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        qs = qs.none()
    elif request.GET:
        data = form.cleaned_data
        if data.get("q"):
            qs = qs.filter(Q(username__icontains=data["q"]) | Q(full_name__icontains=data["q"]))
        if data.get("role") == "none":
            qs = qs.filter(grants__isnull=True)
        elif data.get("role"):
            qs = qs.filter(pk__in=RoleGrant.objects.filter(role=data["role"]).values("user_id"))
        status = data.get("status")
        if status == "active":
            qs = qs.filter(is_active=True)
        elif status == "inactive":
            qs = qs.filter(is_active=False)
        elif status == "locked":
            qs = qs.filter(locked_until__gt=timezone.now())
        elif status == "must_change":
            qs = qs.filter(must_change_password=True)
        if data.get("town"):
            qs = qs.filter(town=data["town"])
    qs = qs.order_by("username")
    if request.GET.get("export") == "xlsx":
        require(request.user, "accounts.export_users")
        rows = [[u.username, u.full_name, u.town.name if u.town else "", _roles_text(u),
                 pgettext("status", "启用") if u.is_active else _("已停用"), u.locked_until if u.locked_until and
                 u.locked_until > timezone.now() else "", u.last_login, u.password_changed_at,
                 _("是") if u.must_change_password else _("否")] for u in qs[:20000]]
        services.users_exported(actor=request.user, count=len(rows), filters=request.GET.dict())
        headers = [_("用户名"), _("姓名"), _("所属镇街"), _("角色"), _("状态"), _("锁定至"), _("最后登录"),
                   _("密码修改时间"), _("须修改密码")]
        return xlsx_response(_("用户账号-{date}").format(date=timezone.localdate().isoformat()), _("用户账号"),
                             headers, rows, note=_("筛选：{f}").format(f=request.GET.urlencode() or _("无")))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {
        "title": _("用户与角色"), "form": form, "page_obj": page, "now": timezone.now(),
        "can_create": can(request.user, "accounts.create_user"),
        "can_export": can(request.user, "accounts.export_users"),
    })


def _user_in_scope(request, pk, action="accounts.view_users"):
    return get_in_scope(request.user, action, User.objects.select_related("town").prefetch_related(
        _grants_prefetch()), pk=pk)


@login_required
def user_detail(request, pk: int):
    target = _user_in_scope(request, pk)
    return render(request, "accounts/user_detail.html", {
        "title": target.display_name, "target": target, "phone": mask_phone(target.phone),
        "grants": list(target.grants.all()),
        "sessions": UserSession.objects.filter(user=target).count(),
        "locked": bool(target.locked_until and target.locked_until > timezone.now()),
        "can_roles": can(request.user, "access.manage_roles") and target.pk != request.user.pk,
        "can_reset": can(request.user, "accounts.reset_password") and target.pk != request.user.pk,
        "can_set_active": can(request.user, "accounts.set_active") and target.pk != request.user.pk,
        "can_unlock": can(request.user, "accounts.unlock"),
        "reason_form": ReasonForm(),
    })


@login_required
def user_create(request):
    require(request.user, "accounts.create_user")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(actor=request.user, username=data["username"], password=data["password1"],
                                        full_name=data["full_name"], phone=data["phone"], town=request.user.town,
                                        reason=data["reason"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已新建账号“{name}”，首次登录须修改密码。请由安全管理员分配角色。").format(
                name=user.username))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"title": _("新建账号"), "form": form,
                                                        "submit": _("新建")})


@login_required
def user_password_reset(request, pk: int):
    require(request.user, "accounts.reset_password")
    target = _user_in_scope(request, pk, "accounts.reset_password")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset(user=target, actor=request.user, password=form.cleaned_data["password1"],
                                         reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已重置“{name}”的密码，其现有会话已结束，下次登录须修改密码。").format(
                name=target.username))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {
        "title": _("重置密码：{name}").format(name=target.display_name), "form": form, "submit": _("重置"),
        "target": target})


def _post_action(request, pk, action, call, success):
    require(request.user, action)
    target = _user_in_scope(request, pk, action)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        call(target, reason)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success.format(name=target.username))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_set_active(request, pk: int):
    active = request.POST.get("active") == "1"
    return _post_action(
        request, pk, "accounts.set_active",
        lambda user, reason: services.user_set_active(user=user, actor=request.user, active=active, reason=reason),
        _("已启用账号“{name}”。") if active else _("已停用账号“{name}”，其所有会话已结束。"))


@login_required
@require_POST
def user_unlock(request, pk: int):
    return _post_action(
        request, pk, "accounts.unlock",
        lambda user, reason: services.user_unlock(user=user, actor=request.user, reason=reason),
        _("已解除账号“{name}”的锁定。"))


@login_required
def grant_create(request, pk: int):
    require(request.user, "access.manage_roles")
    target = _user_in_scope(request, pk, "access.manage_roles")
    form = GrantForm(request.POST or None, actor=request.user, target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        exists = target.grants.filter(role=data["role"], sector=data["sector"], grid=data["grid"]).exists()
        try:
            if exists:
                raise DomainError(_("该用户已有此角色。"), field="role")
            access_services.role_grant(user=target, role=data["role"], actor=request.user, sector=data["sector"],
                                       grid=data["grid"], reason=data["reason"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已为“{name}”授予角色：{role}。").format(
                name=target.username, role=Role(data["role"]).label))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {
        "title": _("授予角色：{name}").format(name=target.display_name), "form": form, "submit": _("授予"),
        "target": target})


@login_required
@require_POST
def grant_revoke(request, pk: int, grant_pk: int):
    require(request.user, "access.manage_roles")
    target = _user_in_scope(request, pk, "access.manage_roles")
    grant = get_object_or_404(RoleGrant.objects.select_related("user"), pk=grant_pk, user=target)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if not reason.strip():
            raise DomainError(_("撤销角色须填写理由。"), field="reason")
        access_services.role_revoke(grant=grant, actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销“{name}”的角色：{role}。").format(
            name=target.username, role=Role(grant.role).label))
    return redirect("accounts:user_detail", pk=target.pk)
