from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import DayKind

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def rule_choices():
    groups = {}
    for rule in registry.clock_rules():
        groups.setdefault(rule.section_label, []).append((rule.code, f"{rule.title}（{rule.code}）"))
    return [("", _("请选择规则"))] + [(label, items) for label, items in groups.items()]


class CalculatorForm(BootstrapMixin, forms.Form):
    rule = forms.ChoiceField(label=_("期限规则"), choices=())
    start = forms.DateField(label=_("起算日（或事件日）"), widget=DATE_INPUT,
                            help_text=_("倒算的期限（如“听证七日前”）填写事件日期。"))
    time = forms.TimeField(label=_("起算时刻"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                           help_text=_("仅按小时计算的期限需要。"))
    length = forms.IntegerField(label=_("本事项期限"), required=False, min_value=1, max_value=3650,
                                help_text=_("仅在法律对本事项另有规定时填写；留空按登记的期限。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = rule_choices()

    def clean_rule(self):
        code = self.cleaned_data["rule"]
        rule = registry.find(code)
        if rule is None or not rule.is_clock:
            raise forms.ValidationError(_("请选择一条期限规则。"))
        return rule

    def clean(self):
        data = super().clean()
        rule, length = data.get("rule"), data.get("length")
        if rule is not None and length is not None and not rule.per_matter:
            self.add_error("length", _("“{title}”为法定期限，不能按事项调整。").format(title=rule.title))
        return data


class HolidayForm(forms.Form):
    name = forms.CharField(label=_("假期名称"), max_length=64, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：国庆节")}))
    first = forms.DateField(label=_("放假开始"), required=False, widget=DATE_INPUT)
    last = forms.DateField(label=_("放假结束"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(k)) for k in ("name", "first", "last")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("请完整填写假期名称、开始和结束日期。"))
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        return data


class MakeupForm(forms.Form):
    date = forms.DateField(label=_("调休上班日"), required=False, widget=DATE_INPUT)
    name = forms.CharField(label=_("对应假期"), max_length=64, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("如：国庆节")}))

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("date"):
            raise forms.ValidationError(_("请填写调休上班日期。"))
        return data


def holiday_formset(extra: int):
    return forms.formset_factory(HolidayForm, extra=extra, max_num=40)


def makeup_formset(extra: int):
    return forms.formset_factory(MakeupForm, extra=extra, max_num=40)


class YearMetaForm(BootstrapMixin, forms.Form):
    notice_ref = forms.CharField(label=_("通知文号"), max_length=100, required=False,
                                 help_text=_("如“国办发明电〔2025〕7号”。"))
    reason = forms.CharField(label=_("录入依据或说明"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    complete = forms.BooleanField(label=_("已按通知完整录入，标记该年为完整"), required=False)


class CalendarImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel文件（.xlsx）"))
    notice_ref = forms.CharField(label=_("通知文号"), max_length=100, required=False)
    reason = forms.CharField(label=_("导入依据或说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    complete = forms.BooleanField(label=_("导入后标记为完整"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的Excel文件。"))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过5MB。"))
        return upload


class YearMarkForm(BootstrapMixin, forms.Form):
    complete = forms.TypedChoiceField(label=_("状态"), choices=[("1", _("完整")), ("0", _("不完整"))],
                                      coerce=lambda v: v == "1")
    reason = forms.CharField(label=_("理由"), max_length=500)


class DayForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=64, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    reason = forms.CharField(label=_("调整理由"), max_length=500)


class OverrideForm(BootstrapMixin, forms.Form):
    length = forms.IntegerField(label=_("本镇街默认期限"), min_value=1, max_value=3650)
    note = forms.CharField(label=_("调整依据"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ClearOverrideForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)


class PauseForm(BootstrapMixin, forms.Form):
    on_date = forms.DateField(label=_("暂停日"), widget=DATE_INPUT, initial=dt.date.today)
    reason = forms.CharField(label=_("暂停原因"), max_length=255,
                             help_text=_("如：书面征求第三方意见（公开条例第三十三条）。"))


class ResumeForm(BootstrapMixin, forms.Form):
    on_date = forms.DateField(label=_("恢复日"), widget=DATE_INPUT, initial=dt.date.today)
    reason = forms.CharField(label=_("说明"), max_length=255, required=False)


class ExtendForm(BootstrapMixin, forms.Form):
    length = forms.IntegerField(label=_("延长长度"), min_value=1, max_value=3650)
    approver = forms.ModelChoiceField(label=_("批准人"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("延长理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    notice = forms.CharField(label=_("告知当事人情况"), max_length=255, required=False,
                             help_text=_("如：已于某日书面告知申请人。"))

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if approvers is not None:
            self.fields["approver"].queryset = approvers
