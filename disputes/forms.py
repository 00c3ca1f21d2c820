"""Forms of the disputes module: thin; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import DisputeStatus, LeadStatus, PetitionStatus
from .models import Agreement, Dispute, DisputeKind, Lead, Level, Party, Petition, Risk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


ALL = _("全部")


def _blank(choices, label=ALL):
    return [("", label)] + list(choices)


class Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 2)


class DisputeFilterForm(Styled, forms.Form):
    q = forms.CharField(label=_("案号/关键词"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=_blank(DisputeStatus.choices), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=_blank(DisputeKind.choices), required=False)
    risk = forms.ChoiceField(label=_("风险等级"), choices=_blank(Risk.choices), required=False)
    level = forms.ChoiceField(label=_("调处层级"), choices=_blank(Level.choices), required=False)
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None, required=False, empty_label=ALL)
    date_from = forms.DateField(label=_("登记自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("登记至"), required=False, widget=DATE)
    warning = forms.BooleanField(label=_("仅看预警"), required=False)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids


class LeadFilterForm(Styled, forms.Form):
    q = forms.CharField(label=_("编号/关键词"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=_blank(LeadStatus.choices), required=False)
    source = forms.ChoiceField(label=_("来源"), choices=_blank(Lead.Source.choices), required=False)
    risk = forms.ChoiceField(label=_("风险等级"), choices=_blank(Risk.choices), required=False)
    date_from = forms.DateField(label=_("发现自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("发现至"), required=False, widget=DATE)


class PetitionFilterForm(Styled, forms.Form):
    q = forms.CharField(label=_("查询码/事由"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=_blank(PetitionStatus.choices), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=_blank(Petition.Channel.choices), required=False)
    petition_class = forms.ChoiceField(label=_("类别"), choices=_blank(Petition.Class.choices), required=False)
    date_from = forms.DateField(label=_("收到自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("收到至"), required=False, widget=DATE)


class LeadForm(Styled, forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=Lead.Source.choices)
    event_code = forms.CharField(label=_("来源事件查询码"), required=False, max_length=16,
                                 help_text=_("来源为网格事件时填写。"))
    kind = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeKind.choices)
    summary = forms.CharField(label=_("线索摘要"), widget=forms.Textarea)
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None, required=False)
    place = forms.CharField(label=_("发生地点"), required=False, max_length=120)
    parties_count = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=10000, initial=2)
    amount = forms.DecimalField(label=_("涉及金额（元）"), required=False, min_value=0, max_digits=12,
                                decimal_places=2)
    violence_threat = forms.BooleanField(label=_("有激化/暴力苗头"), required=False)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids


class DisputeForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeKind.choices)
    summary = forms.CharField(label=_("纠纷简要情况"), widget=forms.Textarea)
    committee = forms.ModelChoiceField(label=_("调解委员会"), queryset=None)
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=None, required=False)
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None, required=False)
    place = forms.CharField(label=_("发生地点"), required=False, max_length=120)
    amount = forms.DecimalField(label=_("涉及金额（元）"), required=False, min_value=0, max_digits=12,
                                decimal_places=2)
    violence_threat = forms.BooleanField(label=_("有激化/暴力苗头"), required=False)
    party1_name = forms.CharField(label=_("申请人姓名/名称"), max_length=60)
    party1_phone = forms.CharField(label=_("申请人电话"), max_length=32, required=False)
    party1_address = forms.CharField(label=_("申请人住址"), max_length=120, required=False)
    party2_name = forms.CharField(label=_("被申请人姓名/名称"), max_length=60)
    party2_phone = forms.CharField(label=_("被申请人电话"), max_length=32, required=False)
    party2_address = forms.CharField(label=_("被申请人住址"), max_length=120, required=False)
    party3_name = forms.CharField(label=_("其他当事人（可选）"), max_length=60, required=False)
    party3_phone = forms.CharField(label=_("其他当事人电话"), max_length=32, required=False)

    def __init__(self, *args, committees=None, mediators=None, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["mediator"].queryset = mediators
        self.fields["grid"].queryset = grids

    def parties(self):
        d = self.cleaned_data
        sides = [("1", Party.Side.APPLICANT), ("2", Party.Side.RESPONDENT), ("3", Party.Side.OTHER)]
        return [{"side": side, "name": d.get(f"party{i}_name", ""), "phone": d.get(f"party{i}_phone", ""),
                 "address": d.get(f"party{i}_address", "")} for i, side in sides if d.get(f"party{i}_name")]


class ReasonForm(Styled, forms.Form):
    reason = forms.CharField(label=_("情况说明"), widget=forms.Textarea, required=False)


class ConsentForm(forms.Form):
    party = forms.IntegerField()
    consent = forms.ChoiceField(choices=[(Party.Consent.AGREED, _("同意")), (Party.Consent.REFUSED, _("拒绝"))])


class SessionForm(Styled, forms.Form):
    held_on = forms.DateField(label=_("调解日期"), widget=DATE)
    place = forms.CharField(label=_("调解地点"), max_length=120)
    attendees = forms.CharField(label=_("参加人员"), max_length=255)
    invitees = forms.CharField(label=_("邀请参与人员（亲属、邻里、专业人员）"), max_length=255, required=False)
    invitees_consented = forms.BooleanField(label=_("当事人同意邀请人员参与"), required=False)
    public = forms.BooleanField(label=_("当事人选择公开调解"), required=False)
    record_text = forms.CharField(label=_("调解记录"), widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("协议形式"), choices=Agreement._meta.get_field("kind").choices)
    terms = forms.CharField(label=_("协议内容（每行一项：履行方式、期限）"), widget=forms.Textarea(attrs={"rows": 3}))
    performance_days = forms.IntegerField(label=_("履行期限（天，可选）"), min_value=1, max_value=3650, required=False)


class SignForm(forms.Form):
    what = forms.CharField()


class TerminateForm(Styled, forms.Form):
    route = forms.ChoiceField(label=_("已告知当事人的途径"), choices=_blank(Dispute.Route.choices, _("请选择")))
    reason = forms.CharField(label=_("终止调解记录"), widget=forms.Textarea)


class VisitForm(Styled, forms.Form):
    performance = forms.ChoiceField(label=_("协议履行情况"), choices=Dispute.Performance.choices)
    visit_note = forms.CharField(label=_("回访情况"), widget=forms.Textarea, required=False)


class ConfirmationForm(Styled, forms.Form):
    confirmation = forms.ChoiceField(label=_("司法确认情况"), choices=[
        c for c in Agreement.Confirmation.choices if c[0] != Agreement.Confirmation.NONE])


class EscalateForm(Styled, forms.Form):
    risk = forms.ChoiceField(label=_("升级为"), choices=[(Risk.RED, Risk.RED.label), (Risk.YELLOW, Risk.YELLOW.label)])
    reason = forms.CharField(label=_("激化情况"), widget=forms.Textarea)


class ScreeningForm(Styled, forms.Form):
    households = forms.IntegerField(label=_("走访户数"), min_value=0, max_value=100000)
    note = forms.CharField(label=_("排查情况"), widget=forms.Textarea)
    finding_kind = forms.ChoiceField(label=_("发现纠纷类型"), choices=_blank(DisputeKind.choices, _("未发现纠纷")),
                                     required=False)
    finding_summary = forms.CharField(label=_("发现的纠纷线索"), widget=forms.Textarea, required=False)
    finding_place = forms.CharField(label=_("地点"), max_length=120, required=False)


class PlanForm(Styled, forms.Form):
    month = forms.DateField(label=_("排查月份（任选当月一天）"), widget=DATE)


class CommitteeForm(Styled, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    level = forms.ChoiceField(label=_("层级"), choices=[("village", _("村(社区)")), ("town", _("镇街"))])
    village = forms.ModelChoiceField(label=_("村(社区)"), queryset=None, required=False)
    members = forms.IntegerField(label=_("委员人数"), min_value=0, max_value=99)
    women_members = forms.IntegerField(label=_("女性委员人数"), min_value=0, max_value=99)
    term_start = forms.DateField(label=_("任期起"), widget=DATE)
    term_end = forms.DateField(label=_("任期止"), widget=DATE)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class MediatorForm(Styled, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=32)
    qualification = forms.CharField(label=_("资质/专长"), max_length=120, required=False)
    certificate_no = forms.CharField(label=_("调解员证号"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    trained_on = forms.DateField(label=_("最近培训日期"), required=False, widget=DATE)


class CommitteeEditForm(CommitteeForm):
    active = forms.BooleanField(label=pgettext_lazy("status", "启用"), required=False)


class MediatorEditForm(MediatorForm):
    committee = forms.ModelChoiceField(label=_("调解委员会"), queryset=None,
                                       error_messages={"invalid_choice": _("请选择本镇街在用的调解委员会。"),
                                                       "required": _("请选择调解委员会。")})
    field_order = ["committee", "name", "qualification", "certificate_no", "phone", "trained_on"]

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class MediatorActiveForm(Styled, forms.Form):
    reason = forms.CharField(label=_("离任原因"), max_length=200, required=False)


class SettingsForm(Styled, forms.Form):
    recurrence_days = forms.IntegerField(label=_("重复发生预警期（天）"), min_value=1, max_value=3650,
                                         help_text=_("同一当事人或同一地点在此期限内再次发生纠纷时预警"))
    yellow_amount = forms.DecimalField(label=_("黄色风险金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    red_amount = forms.DecimalField(label=_("红色风险金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    yellow_people = forms.IntegerField(label=_("黄色风险涉及人数"), min_value=1, max_value=10000)
    red_people = forms.IntegerField(label=_("红色风险涉及人数"), min_value=1, max_value=10000)


class PetitionForm(Styled, forms.Form):
    channel = forms.ChoiceField(label=_("信访渠道"), choices=Petition.Channel.choices)
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    petitioner_name = forms.CharField(label=_("信访人"), max_length=60)
    petitioner_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    petitioner_address = forms.CharField(label=_("通信地址"), max_length=120, required=False)
    people = forms.IntegerField(label=_("人数"), min_value=1, max_value=10000, initial=1)
    grid = forms.ModelChoiceField(label=_("网格"), queryset=None, required=False)
    subject = forms.CharField(label=_("信访事由"), max_length=120)
    content = forms.CharField(label=_("信访内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids


class ClassifyForm(Styled, forms.Form):
    petition_class = forms.ChoiceField(label=_("信访事项类别"), choices=_blank(Petition.Class.choices, _("请选择")),
                                       required=False)
    route = forms.ChoiceField(label=_("处理途径"), choices=_blank(Petition.Route.choices, _("请选择")), required=False)
    handling_unit = forms.CharField(label=_("承办单位"), max_length=80, required=False)
    reason = forms.CharField(label=_("书面告知内容"), widget=forms.Textarea, required=False)


class AnswerForm(Styled, forms.Form):
    opinion = forms.ChoiceField(label=_("处理意见"), choices=_blank(Petition.Opinion.choices, _("请选择")),
                                required=False)
    opinion_text = forms.CharField(label=_("处理意见及依据"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StepForm(Styled, forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("request_review", "review_done", "request_recheck",
                                                         "recheck_done", "close")], widget=forms.HiddenInput)
    text = forms.CharField(label=_("意见"), widget=forms.Textarea, required=False)


class ExtendForm(Styled, forms.Form):
    days = forms.IntegerField(label=_("延长天数（不超过30日）"), min_value=1, max_value=30)
    approver = forms.ModelChoiceField(label=_("批准负责人"), queryset=None)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea)
    notice = forms.CharField(label=_("告知信访人情况"), max_length=255)

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers


class StatsForm(Styled, forms.Form):
    date_from = forms.DateField(label=_("自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE)


class PublicQueryForm(Styled, forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=16)
