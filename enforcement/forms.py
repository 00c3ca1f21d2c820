"""Thin forms: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    CaseSource,
    CaseStatus,
    EvidenceKind,
    MatterCategory,
    Outcome,
    PartyKind,
    Post,
    PowerSource,
    ProcedureKind,
    ReviewResult,
    ServiceMethod,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(choices):
    return [("", _("全部"))] + list(choices)


class MatterFilterForm(forms.Form):
    q = forms.CharField(label=_("编码或名称"), required=False)
    area = forms.CharField(label=_("执法领域"), required=False)
    source = forms.ChoiceField(label=_("权力来源"), choices=_blank(PowerSource.choices), required=False)
    category = forms.ChoiceField(label=_("权力类别"), choices=_blank(MatterCategory.choices), required=False)


class MatterForm(forms.Form):
    code = forms.CharField(label=_("事项编码"), max_length=40)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    category = forms.ChoiceField(label=_("权力类别"), choices=MatterCategory.choices)
    area = forms.CharField(label=_("执法领域"), max_length=40, required=False)
    source = forms.ChoiceField(label=_("权力来源"), choices=PowerSource.choices)
    source_document = forms.CharField(label=_("赋权/委托/派驻文件"), max_length=255, required=False)
    acting_body = forms.CharField(label=_("实施主体名称（委托、派驻事项）"), max_length=120, required=False)
    law = forms.CharField(label=_("法律依据（法规名称）"), max_length=200)
    article = forms.CharField(label=_("条款"), max_length=80, required=False)
    basis_text = forms.CharField(label=_("条文内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    penalty_kinds = forms.CharField(label=_("处罚种类"), max_length=200, required=False)
    fine_min = forms.DecimalField(label=_("罚款下限（元）"), required=False, min_value=0, decimal_places=2)
    fine_max = forms.DecimalField(label=_("罚款上限（元）"), required=False, min_value=0, decimal_places=2)
    discretion = forms.CharField(label=_("裁量基准（每行“情节：处罚幅度”）"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    summary_allowed = forms.BooleanField(label=_("可适用简易程序"), required=False)
    hearing_threshold_person = forms.DecimalField(label=_("听证标准（公民，元，空白为默认）"), required=False,
                                                  min_value=0)
    hearing_threshold_org = forms.DecimalField(label=_("听证标准（组织，元，空白为默认）"), required=False, min_value=0)
    decision_days = forms.IntegerField(label=_("作出决定期限（日，空白为九十日）"), required=False, min_value=1,
                                       max_value=3650)
    legal_review_required = forms.BooleanField(label=_("法律规定须经法制审核"), required=False)
    coercive_measures_allowed = forms.BooleanField(label=_("法律、法规设定了查封、扣押"), required=False)
    responsible_post = forms.ChoiceField(label=_("责任岗位"), choices=Post.choices)
    checklist = forms.CharField(label=_("办案要点（每行一项）"), widget=forms.Textarea(attrs={"rows": 4}),
                                required=False)
    active = forms.BooleanField(label=_("有效"), required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class OfficerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    credential = forms.CharField(label=_("执法证号"), max_length=40)
    credential_scope = forms.CharField(label=_("执法类别"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("证件有效期起"), widget=DATE)
    valid_until = forms.DateField(label=_("证件有效期至"), widget=DATE)
    post = forms.ChoiceField(label=_("岗位"), choices=Post.choices)
    legal_qualification = forms.BooleanField(label=_("具有法律职业资格"), required=False)
    username = forms.CharField(label=_("登录账号（用户名，可空）"), max_length=150, required=False)


class TrainingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    hours = forms.DecimalField(label=_("培训学时"), min_value=0, decimal_places=1)
    exam_score = forms.DecimalField(label=_("考试成绩"), min_value=0, max_value=100, required=False)
    passed = forms.BooleanField(label=_("考试合格"), required=False)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("案号或当事人"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=_blank(CaseStatus.choices), required=False)
    procedure = forms.ChoiceField(label=_("程序"), choices=_blank(ProcedureKind.choices), required=False)
    area = forms.CharField(label=_("执法领域"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    open_only = forms.BooleanField(label=_("只看在办"), required=False)


class CaseForm(forms.Form):
    matter = forms.TypedChoiceField(label=_("执法事项"), coerce=int)
    party_kind = forms.ChoiceField(label=_("当事人类型"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("当事人"), max_length=120)
    party_id_number = forms.CharField(label=_("身份证号/统一社会信用代码"), max_length=32, required=False)
    party_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    party_address = forms.CharField(label=_("住所/地址"), max_length=200, required=False)
    place = forms.CharField(label=_("违法地点"), max_length=200, required=False)
    act_date = forms.DateField(label=_("违法行为发生日"), required=False, widget=DATE)
    source = forms.ChoiceField(label=_("案件来源"), choices=CaseSource.choices)
    event = forms.IntegerField(label=_("来源事件编号"), required=False, widget=forms.HiddenInput)
    facts = forms.CharField(label=_("案情摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    officers = forms.TypedMultipleChoiceField(label=_("承办执法人员（至少两名）"), coerce=int, required=False)
    major_public_interest = forms.BooleanField(label=_("涉及重大公共利益"), required=False)
    complex_case = forms.BooleanField(label=_("案情复杂或涉及多个法律关系"), required=False)
    serious_violation = forms.BooleanField(label=_("重大违法行为（须集体讨论）"), required=False)

    def __init__(self, *args, matters=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(m.pk, str(m)) for m in matters]
        self.fields["officers"].choices = [(o.pk, str(o)) for o in officers]


class SummaryForm(forms.Form):
    matter = forms.TypedChoiceField(label=_("执法事项（可适用简易程序）"), coerce=int)
    party_kind = forms.ChoiceField(label=_("当事人类型"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("当事人"), max_length=120)
    party_id_number = forms.CharField(label=_("身份证号/统一社会信用代码"), max_length=32, required=False)
    party_address = forms.CharField(label=_("住所/地址"), max_length=200)
    place = forms.CharField(label=_("违法地点"), max_length=200, required=False)
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 2}))
    penalty_text = forms.CharField(label=_("处罚内容（警告或罚款）"), max_length=255)
    fine = forms.DecimalField(label=_("罚款（元）"), required=False, min_value=0, decimal_places=2)
    officers = forms.TypedMultipleChoiceField(label=_("执法人员（至少两名）"), coerce=int)

    def __init__(self, *args, matters=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(m.pk, str(m)) for m in matters]
        self.fields["officers"].choices = [(o.pk, str(o)) for o in officers]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("种类"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(label=_("内容/说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    upload = forms.FileField(label=_("文件"), required=False)
    officers = forms.TypedMultipleChoiceField(label=_("在场执法人员"), coerce=int, required=False)
    credentials_shown = forms.BooleanField(label=_("已向当事人出示执法证件"), required=False)
    device = forms.CharField(label=_("记录设备（音像记录必填）"), max_length=120, required=False)
    recorded_from = forms.DateTimeField(label=_("记录开始"), required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    recorded_to = forms.DateTimeField(label=_("记录结束"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    preserved = forms.BooleanField(label=_("先行登记保存"), required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = [(o.pk, str(o)) for o in officers]


class OfficersForm(forms.Form):
    officers = forms.TypedMultipleChoiceField(label=_("承办执法人员"), coerce=int)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = [(o.pk, str(o)) for o in officers]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("意见/理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(forms.Form):
    proposed_penalty = forms.CharField(label=_("拟处罚内容"), max_length=255)
    proposed_fine = forms.DecimalField(label=_("拟罚款（元）"), required=False, min_value=0, decimal_places=2)
    hearing_offered = forms.BooleanField(label=_("告知听证权利"), required=False)


class HearingForm(forms.Form):
    notice_date = forms.DateField(label=_("听证通知送达日"), widget=DATE)
    held_on = forms.DateField(label=_("听证日期"), widget=DATE)
    host = forms.CharField(label=_("听证主持人（用户名）"), max_length=150)
    record_text = forms.CharField(label=_("听证笔录"), widget=forms.Textarea(attrs={"rows": 3}))
    signed = forms.BooleanField(label=_("当事人已签字确认"), required=False)


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("审核结论"), choices=ReviewResult.choices)
    opinion = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))


class DiscussionForm(forms.Form):
    held_on = forms.DateField(label=_("讨论日期"), widget=DATE)
    participants = forms.CharField(label=_("参加人员"), max_length=255)
    minutes = forms.CharField(label=_("讨论记录"), widget=forms.Textarea(attrs={"rows": 3}))
    dissent = forms.CharField(label=_("不同意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    conclusion = forms.CharField(label=_("讨论决定"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Outcome.choices)
    penalty_text = forms.CharField(label=_("处罚内容（种类和数额）/不予处罚或移送理由"), max_length=255, required=False)
    fine = forms.DecimalField(label=_("罚款（元）"), required=False, min_value=0, decimal_places=2)
    correction_ordered = forms.BooleanField(label=_("已责令改正或限期改正"), required=False)
    party_present = forms.BooleanField(label=_("宣告时当事人在场"), required=False, initial=True)
    first_offence_waiver = forms.BooleanField(label=_("首违不罚"), required=False)


class ServeForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)
    served_on = forms.DateField(label=_("送达日期"), widget=DATE)
    eservice_consent = forms.BooleanField(label=_("当事人已签署电子送达确认书"), required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("缴款日期"), widget=DATE)
    amount = forms.DecimalField(label=_("实缴金额（元，含加处罚款）"), min_value=0, decimal_places=2)


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("结案报告"), widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由（公开说明）"), max_length=255)


class DemandForm(forms.Form):
    on_date = forms.DateField(label=_("催告书送达日"), widget=DATE)


class CourtForm(forms.Form):
    court = forms.CharField(label=_("受理法院"), max_length=120)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销或变更理由（将公开说明）"), max_length=255)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    kind = forms.ChoiceField(label=_("检查方式"), choices=[("random", _("双随机抽查")),
                                                          ("combined_inspection", _("综合查一次"))])
    matters = forms.TypedMultipleChoiceField(label=_("检查事项"), coerce=int)
    industry = forms.CharField(label=_("抽查对象行业（空白为全部企业）"), max_length=64, required=False)
    sample_size = forms.IntegerField(label=_("抽取对象数"), min_value=1, max_value=500)
    inspectors_per_target = forms.IntegerField(label=_("每户检查人员数"), min_value=2, max_value=5, initial=2)
    planned_on = forms.DateField(label=_("计划检查日期"), widget=DATE)
    public = forms.BooleanField(label=_("向社会公示"), required=False, initial=True)

    def __init__(self, *args, matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matters"].choices = [(m.pk, str(m)) for m in matters]


class DrawForm(forms.Form):
    seed = forms.CharField(label=_("随机种子（空白自动生成）"), max_length=64, required=False)


class InspectionForm(forms.Form):
    result = forms.ChoiceField(label=_("检查结果"), choices=[("compliant", _("未发现问题")),
                                                            ("corrected", _("发现问题，已责令整改")),
                                                            ("case", _("发现违法行为，立案查处"))])
    findings = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 2}))


class RecusalForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("回避的执法人员"), coerce=int)
    reason = forms.CharField(label=_("回避理由"), max_length=255)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(o.pk, str(o)) for o in officers]


class ReviewerForm(forms.Form):
    username = forms.CharField(label=_("登录账号（用户名）"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=64)
    qualification_number = forms.CharField(label=_("法律职业资格证书编号"), max_length=40, required=False)
    active = forms.BooleanField(label=_("在岗"), required=False, initial=True)


class OfficerEditForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    credential_scope = forms.CharField(label=_("执法类别"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("证件有效期起"), widget=DATE)
    valid_until = forms.DateField(label=_("证件有效期至"), widget=DATE)
    post = forms.ChoiceField(label=_("岗位"), choices=Post.choices)
    legal_qualification = forms.BooleanField(label=_("具有法律职业资格"), required=False)
    active = forms.BooleanField(label=_("在岗"), required=False)


class StatementForm(forms.Form):
    statement = forms.CharField(label=_("当事人陈述申辩意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    review = forms.CharField(label=_("复核意见（采纳或不采纳的理由）"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)
    waived = forms.BooleanField(label=_("当事人明确放弃陈述申辩（已签字）"), required=False)


class DeferForm(forms.Form):
    days = forms.IntegerField(label=_("延长缴款期限（日）"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("当事人申请理由与审批意见"), max_length=255)


YES_NO_APPROVE = [("1", _("批准移送")), ("0", _("不批准移送"))]


def _truthy(value) -> bool:
    return value in (True, "1", "true", "True", "on")


class TransferReportForm(forms.Form):
    suspected_offence = forms.CharField(label=_("涉嫌罪名"), max_length=120)
    report = forms.CharField(label=_("涉嫌犯罪的事实和移送理由"), widget=forms.Textarea(attrs={"rows": 3}))


class TransferDecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审批决定"), choices=YES_NO_APPROVE, coerce=_truthy)
    opinion = forms.CharField(label=_("审批意见（不批准的须写明理由）"), max_length=255, required=False)


class TransferSendForm(forms.Form):
    organ = forms.CharField(label=_("接受移送的公安机关"), max_length=120)
    materials = forms.CharField(label=_("移送材料清单（每行一项）"), widget=forms.Textarea(attrs={"rows": 4}),
                                initial=_("涉嫌犯罪案件移送书\n涉嫌犯罪案件情况的调查报告\n涉案物品清单\n有关检验报告或者鉴定结论\n"
                                          "其他有关涉嫌犯罪的材料"))


class TransferReceiptForm(forms.Form):
    receipt_on = forms.DateField(label=_("公安机关回执日期"), widget=DATE)


class TransferAnswerForm(forms.Form):
    accepted = forms.TypedChoiceField(label=_("公安机关的决定"), coerce=_truthy,
                                      choices=[("1", _("立案")), ("0", _("不予立案"))])
    reason = forms.CharField(label=_("决定书文号与理由（不予立案的须填写）"), max_length=255, required=False)
    on_date = forms.DateField(label=_("决定日期"), widget=DATE)


class TransferReconsiderForm(forms.Form):
    reason = forms.CharField(label=_("提请复议的理由"), max_length=255)


class RecusalApplyForm(forms.Form):
    applicant = forms.CharField(label=_("申请人"), max_length=120)
    officers = forms.TypedMultipleChoiceField(label=_("申请回避的执法人员"), coerce=int)
    grounds = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 2}))
    received_on = forms.DateField(label=_("收到申请日期"), widget=DATE)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = [(o.pk, str(o)) for o in officers]


class RecusalDecideForm(forms.Form):
    application = forms.TypedChoiceField(label=_("回避申请"), coerce=int)
    grant = forms.TypedChoiceField(label=_("决定"), coerce=_truthy,
                                   choices=[("1", _("决定回避")), ("0", _("驳回申请"))])
    reason = forms.CharField(label=_("决定理由"), max_length=255)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [(a["id"], f"{a.get('applicant', '')} · {a.get('received_on', '')}")
                                              for a in applications]


class InstalmentForm(forms.Form):
    instalments = forms.CharField(
        label=_("分期安排（每行“自批准之日起天数 金额”，如“30 500”）"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("当事人申请理由与审批意见"), max_length=255)


class InstalmentPayForm(forms.Form):
    paid_on = forms.DateField(label=_("缴款日期"), widget=DATE)
    amount = forms.DecimalField(label=_("缴款金额（元，含加处罚款）"), min_value=0, decimal_places=2)


class _MeasureChoiceForm(forms.Form):
    measure = forms.TypedChoiceField(label=_("查封扣押"), coerce=int)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(m["id"], f"{m.get('kind_label', '')} {m.get('decision_number', '')}")
                                          for m in measures]


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("措施"), choices=[("seal", _("查封")), ("seize", _("扣押"))])
    items = forms.CharField(label=_("物品清单（每行一项：名称、数量、规格）"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("实施地点"), max_length=200)
    officers = forms.TypedMultipleChoiceField(label=_("实施的执法人员（至少两名）"), coerce=int)
    emergency = forms.BooleanField(label=_("情况紧急，当场实施（24小时内向负责人报告并补办批准手续）"), required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = [(o.pk, str(o)) for o in officers]


class MeasureReportForm(_MeasureChoiceForm):
    approve = forms.TypedChoiceField(label=_("负责人意见"), coerce=_truthy,
                                     choices=[("1", _("补办批准")), ("0", _("不应当采取，立即解除"))])
    reason = forms.CharField(label=_("意见"), max_length=255, required=False)


class MeasureTestingForm(_MeasureChoiceForm):
    start = forms.TypedChoiceField(label=_("检测、检验、检疫或者技术鉴定"), coerce=_truthy,
                                   choices=[("1", _("开始（期限暂停，书面告知当事人）")), ("0", _("结束（恢复计算）"))])
    reason = forms.CharField(label=_("事项和机构"), max_length=255, required=False)


class MeasureExtendForm(_MeasureChoiceForm):
    days = forms.IntegerField(label=_("延长（日，不超过三十日）"), min_value=1, max_value=30, initial=30)
    reason = forms.CharField(label=_("延长理由（情况复杂）"), max_length=255)


class MeasureEndForm(_MeasureChoiceForm):
    outcome = forms.ChoiceField(label=_("处理决定"), choices=[("released", _("解除")), ("confiscated", _("没收")),
                                                          ("destroyed", _("销毁"))])
    reason = forms.CharField(label=_("理由"), max_length=255)
