"""Forms only parse input; the services validate and write. ``ServiceModelForm`` borrows labels and
widgets from the model but never builds or validates an instance (the service does)."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from access.scope import restrict

from . import models as m

FORM_CONTROL = "form-control"


def _style(form: forms.BaseForm) -> None:
    for name, fld in form.fields.items():
        widget = fld.widget
        if isinstance(widget, (forms.CheckboxInput,)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", FORM_CONTROL)
        widget.attrs.setdefault("data-testid", f"field-{name}")


class ServiceModelForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        _style(self)

    def _post_clean(self):  # the service validates (and the instance is never modified here)
        pass


class BoundaryField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "form-control font-monospace"})

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return value


def _boundary_field():
    return BoundaryField(label=_("边界（GeoJSON）"), required=False,
                         help_text=_("Polygon 或 MultiPolygon，坐标为[经度, 纬度]；可留空。"))


def _town_staff(user, *, include=None):
    qs = restrict(user, "org.view", m.Staff).filter(town_id=user.town_id, active=True).order_by("code")
    if include is not None:
        qs = (qs | m.Staff.objects.filter(pk=include.pk)).distinct()
    return qs


class TownForm(ServiceModelForm):
    boundary = _boundary_field()

    class Meta:
        model = m.Town
        fields = ["name", "abbreviation", "kind", "address", "phone", "centre_lat", "centre_lng", "boundary"]


class SectorForm(ServiceModelForm):
    class Meta:
        model = m.Sector
        fields = ["code", "name", "order", "description", "lead"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _town_staff(self.user, include=self.instance.lead if self.instance.pk else None)


class PositionForm(ServiceModelForm):
    class Meta:
        model = m.Position
        fields = ["sector", "code", "name", "order", "duties", "primary_holder", "backup_holder"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = restrict(self.user, "org.view", m.Sector).filter(
            town_id=self.user.town_id, active=True)
        if self.instance.pk:  # holders change through a handover, not by editing
            del self.fields["primary_holder"]
            del self.fields["backup_holder"]
        else:
            self.fields["primary_holder"].queryset = _town_staff(self.user)
            self.fields["backup_holder"].queryset = _town_staff(self.user)


class VillageForm(ServiceModelForm):
    class Meta:
        model = m.Village
        fields = ["code", "name", "kind", "households", "population", "village_committees"]
        widgets = {"village_committees": forms.Textarea(attrs={"rows": 3})}


class GridForm(ServiceModelForm):
    boundary = _boundary_field()

    class Meta:
        model = m.Grid
        fields = ["village", "code", "name", "households", "population", "boundary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = restrict(self.user, "org.view", m.Village).filter(
            town_id=self.user.town_id, active=True)


class MicroGridForm(ServiceModelForm):
    boundary = _boundary_field()

    class Meta:
        model = m.MicroGrid
        fields = ["grid", "code", "name", "households", "boundary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = restrict(self.user, "org.view", m.Grid).filter(
            town_id=self.user.town_id, active=True)


class StaffForm(ServiceModelForm):
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=18)

    class Meta:
        model = m.Staff
        fields = ["code", "name", "title", "phone", "id_number", "user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(town_id=self.user.town_id, staff__isnull=True)
        if self.instance.pk and self.instance.user_id:
            users = users | get_user_model().objects.filter(pk=self.instance.user_id)
        self.fields["user"].queryset = users.order_by("username")
        self.fields["user"].required = False
        if self.instance.pk:  # personal data is never shown in clear: blank keeps the stored value
            self.initial["phone"] = ""
            self.initial["id_number"] = ""
            for name, masked in (("phone", self.instance.phone_masked),
                                 ("id_number", self.instance.id_number_masked)):
                self.fields[name].help_text = _("当前：{v}；留空则不修改。").format(v=masked or _("未填"))

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if self.instance.pk:
            for name in ("phone", "id_number"):
                if not (data.get(name) or "").strip():
                    data.pop(name, None)
        return data


class EnterpriseForm(ServiceModelForm):
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    address = forms.CharField(label=_("地址"), required=False, max_length=255)

    class Meta:
        model = m.Enterprise
        fields = ["name", "credit_code", "industry", "grid", "liaison", "legal_representative", "contact_phone",
                  "address", "lat", "lng"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = restrict(self.user, "org.view", m.Grid).filter(
            town_id=self.user.town_id, active=True)
        self.fields["liaison"].queryset = _town_staff(
            self.user, include=self.instance.liaison if self.instance.pk and self.instance.liaison_id else None)
        if self.instance.pk:
            self.initial["contact_phone"] = ""
            from core.crypto import mask_phone

            masked = mask_phone(self.instance.contact_phone)
            self.fields["contact_phone"].help_text = _("当前：{v}；留空则不修改。").format(v=masked or _("未填"))

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if self.instance.pk and not (data.get("contact_phone") or "").strip():
            data.pop("contact_phone", None)
        return data


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("原因"), required=False, max_length=500)


class HandoverRequestForm(forms.Form):
    slot = forms.ChoiceField(label=_("交接岗别"), choices=m.HandoverSlot.choices)
    to_staff = forms.ModelChoiceField(label=_("接收人"), queryset=m.Staff.objects.none())
    reason = forms.CharField(label=_("交接事由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    notes = forms.CharField(label=_("交接清单"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("在办事项、台账、钥匙印章等，每行一项。"), max_length=4000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = _town_staff(user)
        _style(self)


class HandoverFireForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("confirm", "complete", "reject", "cancel")])
    reason = forms.CharField(required=False, max_length=2000)


class GridAssignmentForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("人员"), queryset=m.Staff.objects.none())
    role = forms.ChoiceField(label=_("网格角色"), choices=m.GridRole.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _town_staff(user)
        _style(self)


class AbsenceForm(forms.Form):
    start_date = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类型"), choices=m.ImportBatch.Kind.choices)
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        _style(self)


# --- list filters (GET) ---------------------------------------------------------------------------------

ACTIVE_CHOICES = [("1", _("在用")), ("0", _("已停用")), ("all", _("全部"))]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    active = forms.ChoiceField(label=_("状态"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        _style(self)
        for fld in self.fields.values():
            fld.widget.attrs["class"] += " form-control-sm" if "form-control" in fld.widget.attrs["class"] \
                else " form-select-sm"

    def town_labels(self, *names: str) -> None:
        """District users see several towns: choices say which town they belong to."""
        if getattr(self.user, "town_id", None) is not None:
            return
        for name in names:
            fld = self.fields[name]
            fld.queryset = fld.queryset.select_related("town")
            fld.label_from_instance = lambda obj: f"{obj.town.name} · {obj}"

    def value(self, name: str, default=""):
        if not self.is_valid():
            return default
        val = self.cleaned_data.get(name)
        return default if val in (None, "") else val


class PositionFilter(FilterForm):
    sector = forms.ModelChoiceField(label=_("板块"), queryset=m.Sector.objects.none(), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部岗位状态"))] + list(m.PositionStatus.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = restrict(self.user, "org.view", m.Sector).filter(active=True)
        self.town_labels("sector")


class VillageFilter(FilterForm):
    kind = forms.ChoiceField(label=_("类型"), required=False,
                             choices=[("", _("村和社区"))] + list(m.Village.Kind.choices))


class GridFilter(FilterForm):
    village = forms.ModelChoiceField(label=_("村(社区)"), queryset=m.Village.objects.none(), required=False)
    completeness = forms.ChoiceField(label=_("1+3+N"), required=False, choices=[
        ("", _("全部")), ("complete", _("配齐")), ("incomplete", _("未配齐"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = restrict(self.user, "org.view", m.Village).filter(active=True)
        self.town_labels("village")


class MicroGridFilter(FilterForm):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=m.Grid.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = restrict(self.user, "org.view", m.Grid).filter(active=True)
        self.town_labels("grid")


class StaffFilter(FilterForm):
    role = forms.ChoiceField(label=_("网格角色"), required=False,
                             choices=[("", _("全部角色"))] + list(m.GridRole.choices))


class EnterpriseFilter(FilterForm):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=m.Grid.objects.none(), required=False)
    liaison = forms.ChoiceField(label=_("联系干部"), required=False, choices=[
        ("", _("全部")), ("some", _("已落实")), ("none", _("未落实"))])
    liaison_staff = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = restrict(self.user, "org.view", m.Grid).filter(active=True)
        self.town_labels("grid")
