from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误（连续失败 5 次将锁定 15 分钟）。"),
        "inactive": _("该账号已停用或已被临时锁定，请稍后再试或联系安全管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)


# --- account administration (三员) ---------------------------------------------------------------

def _style(form):
    from django import forms as f

    for field in form.fields.values():
        if isinstance(field.widget, f.Select):
            field.widget.attrs.setdefault("class", "form-select")
        elif isinstance(field.widget, f.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
        else:
            field.widget.attrs.setdefault("class", "form-control")


class UserFilterForm(forms.Form):
    STATUS = [("", _("全部状态")), ("active", pgettext_lazy("status", "启用")), ("inactive", _("已停用")),
              ("locked", _("已锁定")), ("must_change", _("须修改密码"))]

    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("角色"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS)
    town = forms.ModelChoiceField(label=_("镇街"), queryset=None, required=False, empty_label=_("全部镇街"))

    def __init__(self, *args, user=None, **kwargs):
        from access.roles import Role
        from access.scope import restrict
        from org.models import Town

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("全部角色")), ("none", _("无角色")), *Role.choices]
        if user is not None and user.town_id is None and user.district_id is not None:
            self.fields["town"].queryset = restrict(user, "accounts.view_users", Town)
        else:
            del self.fields["town"]
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css if "select" in css else "form-control form-control-sm")


class _PasswordPair(forms.Form):
    password1 = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False), strip=False)
    password2 = forms.CharField(label=_("再次输入"), widget=forms.PasswordInput(render_value=False), strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class UserCreateForm(_PasswordPair):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    reason = forms.CharField(label=_("事由"), max_length=255, required=False)

    field_order = ["username", "full_name", "phone", "password1", "password2", "reason"]

    def __init__(self, *args, **kwargs):
        from django.contrib.auth.password_validation import password_validators_help_texts

        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())
        self.fields["username"].help_text = _("登录用，字母、数字和 @/./+/-/_。")
        _style(self)

    def clean_phone(self):
        import re

        phone = self.cleaned_data["phone"].strip()
        if phone and not re.fullmatch(r"1\d{10}", phone):
            raise forms.ValidationError(_("请输入 11 位手机号。"))
        return phone


class PasswordResetForm(_PasswordPair):
    reason = forms.CharField(label=_("事由"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("临时密码")
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    sector = forms.ModelChoiceField(label=_("限定板块"), queryset=None, required=False, empty_label=_("不限（全镇）"),
                                    help_text=_("仅板块负责人、岗位人员可限定。"))
    grid = forms.ModelChoiceField(label=_("限定网格"), queryset=None, required=False, empty_label=_("不限（全镇）"),
                                  help_text=_("仅网格员可限定。"))
    reason = forms.CharField(label=_("理由"), max_length=255)

    def __init__(self, *args, actor=None, target=None, **kwargs):
        from access.roles import Role
        from access.scope import restrict
        from org.models import Grid, Sector

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—"), *Role.choices]
        self.fields["sector"].queryset = restrict(actor, "access.manage_roles", Sector).filter(town=target.town_id)
        self.fields["grid"].queryset = restrict(actor, "access.manage_roles", Grid).filter(town=target.town_id)
        _style(self)
