from django import forms
from django.utils.translation import gettext_lazy as _

from access.scope import restrict
from org.models import Town

from .models import InstrumentKind


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        elif isinstance(field.widget, forms.ClearableFileInput):
            field.widget.attrs.setdefault("class", "form-control")
        else:
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class InstrumentFilterForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("文书种类"), queryset=InstrumentKind.objects.all(), required=False,
                                  empty_label=_("全部种类"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("编号或标题"), required=False, max_length=64)
    date_from = forms.DateField(label=_("生成日期起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("生成日期止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    town = forms.ModelChoiceField(label=_("镇街"), queryset=Town.objects.none(), required=False,
                                  empty_label=_("全部镇街"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.town_id is None and user.district_id is not None:
            self.fields["town"].queryset = restrict(user, "instruments.view", Town)
        else:
            del self.fields["town"]
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("模板文件（.docx）"), help_text=_("在 Word 中编辑后上传，上传后成为本镇的新版本。"))
    note = forms.CharField(label=_("修改说明"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".docx"
        _style(self)
