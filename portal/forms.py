from django import forms
from django.utils.translation import gettext_lazy as _


class PublicReportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    category = forms.TypedChoiceField(label=_("问题类型"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    lng = forms.FloatField(widget=forms.HiddenInput, required=False)
    address = forms.CharField(label=_("地点"), max_length=300, required=False)
    reporter_phone = forms.CharField(label=_("联系电话（选填，仅工作人员可见）"), max_length=20, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("请选择"))] + [(c.pk, str(c)) for c in categories]


class AppealForm(PublicReportForm):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=128)
    reporter_name = forms.CharField(label=_("联系人"), max_length=64, required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("满意度"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)],
                                    required=False, empty_value=None)
    comment = forms.CharField(label=_("评价意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                              required=False)
