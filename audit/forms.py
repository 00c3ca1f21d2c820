from django import forms
from django.utils.translation import gettext_lazy as _

from access.scope import restrict
from org.models import Town

CHANNELS = [("", _("全部渠道")), ("web", _("网页")), ("api", _("接口")), ("cli", _("命令行")),
            ("task", _("后台任务")), ("system", _("系统"))]


class EntryFilterForm(forms.Form):
    """Filters of the audit log (pages, export and API share them)."""

    date_from = forms.DateField(label=_("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    town = forms.ModelChoiceField(label=_("镇街"), queryset=Town.objects.none(), required=False,
                                  empty_label=_("全部镇街"))
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(label=_("动作（前缀）"), required=False, max_length=80,
                             help_text=_("如 accounts. 或 org.position"))
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=80,
                                  help_text=_("如 org.position"))
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    channel = forms.ChoiceField(label=_("渠道"), choices=CHANNELS, required=False)
    request_id = forms.CharField(label=_("请求编号"), required=False, max_length=64)

    def __init__(self, *args, user=None, action="audit.view", **kwargs):
        super().__init__(*args, **kwargs)
        # Town users have one town: no choice (and no query). District users choose among theirs.
        if user is not None and user.town_id is None and user.district_id is not None:
            self.fields["town"].queryset = restrict(user, action, Town)
            self.show_town = True
        else:
            del self.fields["town"]
            self.show_town = False
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def described(self) -> dict:
        """The filter as plain values (for the audit entry of the read and the export note)."""
        data = getattr(self, "cleaned_data", {}) or {}
        out = {}
        for name, value in data.items():
            if value in (None, ""):
                continue
            out[name] = value.isoformat() if hasattr(value, "isoformat") else str(getattr(value, "pk", value))
        return out
