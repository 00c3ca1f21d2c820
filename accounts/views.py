from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.roles import Role
from access.scope import grants_of
from core.errors import DomainError

from . import services
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # A locked account looks like a failed login to the user; say that it is locked.
        username = form.data.get("username", "")
        user = get_user_model().objects.filter(username=username).only("locked_until").first()
        if user is not None and user.locked_until and user.locked_until > timezone.now():
            form.errors.clear()
            form.add_error(None, _("该账号因多次登录失败已临时锁定，请 15 分钟后再试。"))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_change(user=request.user, password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            form.add_error("new_password1", str(exc))
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect("core:home")
    elif request.method == "GET" and request.user.must_change_password:
        messages.warning(request, _("您的密码为管理员设置的临时密码或已到期，请先修改密码再使用系统。"))
    return render(request, "registration/password_change.html", {"form": form, "title": _("修改密码")})


@login_required
def profile(request):
    grants = [(Role(g.role).label, g.sector_id and g.sector or g.grid_id and g.grid or "")
              for g in grants_of(request.user)]
    return render(request, "registration/profile.html", {"title": _("个人信息"), "grants": grants})
