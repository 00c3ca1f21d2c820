"""Forms: parse input only. Rules live in services (their DomainErrors become form errors in the views)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Category,
    Channel,
    DispatchKind,
    EventStatus,
    HazardKind,
    HazardStatus,
    Level,
    Priority,
)


class ReportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    category = forms.ModelChoiceField(label=_("事件分类"), queryset=Category.objects.none(), required=False,
                                      empty_label=_("请选择分类"))
    title = forms.CharField(label=_("事件标题"), max_length=120, required=False)
    description = forms.CharField(label=_("事件描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    urgent = forms.BooleanField(label=_("紧急事件（直报中心和值班领导）"), required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    lng = forms.FloatField(widget=forms.HiddenInput, required=False)
    address = forms.CharField(label=_("地点描述"), max_length=300, required=False)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[(Channel.GRID_WORKER, Channel.GRID_WORKER.label),
                                                           (Channel.HOTLINE, Channel.HOTLINE.label),
                                                           (Channel.DISTRICT, Channel.DISTRICT.label),
                                                           (Channel.ENTERPRISE, Channel.ENTERPRISE.label),
                                                           (Channel.CENTRE, Channel.CENTRE.label)],
                                required=False)
    enterprise = forms.TypedChoiceField(label=_("诉求企业（企业诉求时选择）"), coerce=int, required=False,
                                        empty_value=None)
    reporter_name = forms.CharField(label=_("反映人姓名"), max_length=64, required=False)
    reporter_phone = forms.CharField(label=_("反映人电话"), max_length=20, required=False)
    settle = forms.BooleanField(label=_("已就地处置"), required=False)
    result = forms.CharField(label=_("处置结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, categories=(), staff_channels=False, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "—")] + [(e.pk, e.name) for e in enterprises]
        self.fields["category"].queryset = Category.objects.filter(pk__in=[c.pk for c in categories])
        self.fields["category"].label_from_instance = lambda c: str(c)
        self.fields["category"].choices = [("", _("请选择分类"))] + [(c.pk, str(c)) for c in categories]
        self._categories = {str(c.pk): c for c in categories}
        if not staff_channels:
            for name in ("channel", "reporter_name", "reporter_phone", "enterprise"):
                del self.fields[name]

    def clean_category(self):
        value = self.cleaned_data.get("category")
        return value


class ActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("意见/理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    result = forms.CharField(label=_("处置结果"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    position = forms.IntegerField(required=False)
    sector = forms.IntegerField(required=False)
    kind = forms.ChoiceField(choices=DispatchKind.choices, required=False)
    department = forms.CharField(max_length=100, required=False)
    priority = forms.ChoiceField(choices=Priority.choices, required=False)
    urgent = forms.BooleanField(required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 2}))


class SuperviseForm(forms.Form):
    instruction = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 2}))
    due_at = forms.DateTimeField(label=_("督办时限"), required=False,
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class EscalateForm(forms.Form):
    to_level = forms.ChoiceField(label=_("上报至"), choices=[(Level.VILLAGE, Level.VILLAGE.label),
                                                          (Level.TOWN, Level.TOWN.label)])
    reason = forms.CharField(label=_("上报理由"), widget=forms.Textarea(attrs={"rows": 2}))


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("查询码/标题"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态")), ("open", _("未结案"))] + list(EventStatus.choices))
    category = forms.ModelChoiceField(label=_("分类"), queryset=Category.objects.none(), required=False,
                                      empty_label=_("全部分类"))
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None, required=False, empty_label=_("全部网格"))
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部渠道"))] + list(Channel.choices))
    level = forms.ChoiceField(label=_("化解层级"), required=False, choices=[("", _("全部层级"))] + list(Level.choices))
    urgent = forms.BooleanField(label=_("仅紧急"), required=False)
    overdue = forms.BooleanField(label=_("仅超时"), required=False)
    date_from = forms.DateField(label=_("上报自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("上报至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, categories=None, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories if categories is not None else Category.objects.none()
        from org.models import Grid

        self.fields["grid"].queryset = grids if grids is not None else Grid.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["parent", "code", "name", "description", "default_priority", "sla_ack_hours", "sla_dispatch_hours",
                  "sla_handle_hours", "escalate_grid_hours", "escalate_village_hours", "transfer_answer_hours",
                  "spot_settleable", "public", "order", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, town=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Category.objects.filter(town=town, parent__isnull=True)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs

    def validate_unique(self):  # the service checks uniqueness within the town
        pass


class RuleForm(forms.Form):
    category = forms.ModelChoiceField(label=_("事件分类"), queryset=Category.objects.none())
    village = forms.ModelChoiceField(label=_("村(社区)"), queryset=None, required=False, empty_label=_("全镇"))
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None, required=False, empty_label=_("全部网格"))
    sector = forms.ModelChoiceField(label=_("承办板块"), queryset=None)
    position = forms.ModelChoiceField(label=_("承办岗位"), queryset=None, required=False,
                                      empty_label=_("（不指定岗位）"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, town=None, **kwargs):
        super().__init__(*args, **kwargs)
        from org.models import Grid, Position, Sector, Village

        self.fields["category"].queryset = Category.objects.filter(town=town, active=True).select_related("parent")
        self.fields["village"].queryset = Village.objects.filter(town=town)
        self.fields["grid"].queryset = Grid.objects.filter(town=town)
        self.fields["sector"].queryset = Sector.objects.filter(town=town)
        self.fields["position"].queryset = Position.objects.filter(town=town).select_related("sector")


class TaskTypeForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=48)
    name = forms.CharField(label=_("事项名称"), max_length=100)
    basis = forms.CharField(label=_("准入依据"), max_length=200, required=False)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    admitted = forms.BooleanField(label=_("准入"), required=False, initial=True)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("接入系统名称"), max_length=100)


class CampaignForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=48)
    name = forms.CharField(label=_("名称"), max_length=120)
    start_date = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.CharField(label=_("整治范围"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    targets = forms.CharField(label=_("工作目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    target_operations = forms.IntegerField(label=_("目标：联合执法次数"), min_value=0, required=False)
    target_hazards = forms.IntegerField(label=_("目标：整治隐患数"), min_value=0, required=False)


class PlanForm(forms.Form):
    month = forms.DateField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    title = forms.CharField(label=_("排查主题"), max_length=120)
    content = forms.CharField(label=_("排查内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    task_type = forms.IntegerField(label=_("网格准入事项"), required=False)


class TaskForm(forms.Form):
    places_checked = forms.IntegerField(label=_("排查点位"), min_value=0, required=False)
    issues_found = forms.IntegerField(label=_("发现问题"), min_value=0, required=False)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HazardForm(forms.Form):
    title = forms.CharField(label=_("隐患名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类别"), choices=HazardKind.choices)
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}))
    grid = forms.IntegerField(label=_("网格"), required=False)
    location = forms.CharField(label=_("位置"), max_length=200, required=False)
    found_on = forms.DateField(label=_("发现日期"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    campaign = forms.IntegerField(label=_("专项整治"), required=False)


class HazardActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    responsible = forms.CharField(label=_("整改责任单位/人"), max_length=100, required=False)
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HazardFilterForm(forms.Form):
    q = forms.CharField(label=_("编号/名称/位置"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态"))] + list(HazardStatus.choices))
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别"))] + list(HazardKind.choices))
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)


class OperationForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("行动名称"), max_length=120)
    location = forms.CharField(label=_("地点/路段"), max_length=200, required=False)
    units = forms.CharField(label=_("参与单位（每行一个）"), widget=forms.Textarea(attrs={"rows": 3}))
    leader = forms.CharField(label=_("带队人"), max_length=64, required=False)
    staff_count = forms.IntegerField(label=_("出动人数"), min_value=0, required=False)
    vehicles_checked = forms.IntegerField(label=_("检查车辆"), min_value=0, required=False)
    places_checked = forms.IntegerField(label=_("检查场所"), min_value=0, required=False)
    violations = forms.IntegerField(label=_("查处违法行为"), min_value=0, required=False)
    hazards_found = forms.IntegerField(label=_("发现隐患"), min_value=0, required=False)
    follow_ups = forms.CharField(label=_("后续跟进"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    campaign = forms.IntegerField(label=_("专项整治"), required=False)


class DateRangeForm(forms.Form):
    date_from = forms.DateField(label=_("自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def iso_date():
    """A date input whose value the browser's date picker understands whatever the language."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class CampaignEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    start_date = forms.DateField(label=_("开始日期"), widget=iso_date())
    end_date = forms.DateField(label=_("结束日期"), widget=iso_date())
    scope = forms.CharField(label=_("整治范围"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    targets = forms.CharField(label=_("工作目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    target_operations = forms.IntegerField(label=_("目标：联合执法次数"), min_value=0, required=False)
    target_hazards = forms.IntegerField(label=_("目标：整治隐患数"), min_value=0, required=False)
    sector = forms.ModelChoiceField(label=_("牵头板块"), queryset=None, required=False)
    reason = forms.CharField(label=_("修改理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, town=None, **kwargs):
        super().__init__(*args, **kwargs)
        from org.models import Sector

        self.fields["sector"].queryset = Sector.objects.filter(town=town).order_by("code")


class CampaignActForm(forms.Form):
    action = forms.ChoiceField(choices=[("start", _("启动整治")), ("close", _("结束并总结"))])
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    summary = forms.CharField(label=_("整治工作总结"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    closed_on = forms.DateField(label=_("实际结束日期"), widget=iso_date(),
                                required=False)


class DutyShiftForm(forms.Form):
    date = forms.DateField(label=_("值班日期"), widget=iso_date())
    leader = forms.ModelChoiceField(label=_("值班领导"), queryset=None)
    deputy = forms.ModelChoiceField(label=_("副班"), queryset=None, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, town=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        people = get_user_model().objects.filter(town=town, is_active=True).order_by("full_name", "username")
        self.fields["leader"].queryset = people
        self.fields["deputy"].queryset = people
        for name in ("leader", "deputy"):
            self.fields[name].label_from_instance = lambda u: u.display_name


class DutyImportForm(forms.Form):
    file = forms.FileField(label=_("值班表（.xlsx）"))
