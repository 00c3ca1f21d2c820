"""综合行政执法: the powers catalogue (Matter), officers and their training, cases with their evidence,
legal reviews, collective discussions and the after-the-fact publication (domain.md §5–§7, statutes.md §2, §11).

Every row carries its town; unique constraints and indexes lead with it. Parties' ID numbers, phones and
addresses are encrypted (SM4-GCM) with a blind index on the ID number.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField, blind_index, mask_address, mask_id_number, mask_name, mask_phone
from core.procedure import coloured
from org.models import TownScoped


class PowerSource(models.TextChoices):
    STATUTORY = "statutory", _("法定")
    DELEGATED = "delegated", _("赋权")
    ENTRUSTED = "entrusted", _("委托")
    SECONDED = "seconded", _("派驻")


class MatterCategory(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    LICENSE = "license", _("行政许可")
    OTHER = "other", _("其他")


class Post(models.TextChoices):
    DISPATCH = "enf_dispatch", _("执法调度岗")
    CASEWORK = "enf_casework", _("执法事务岗")
    ASSIST = "enf_assist", _("执法协助岗")
    SECONDED = "enf_seconded", _("派出执法岗")


class Matter(TownScoped):
    """执法事项: one line of the town's powers list."""

    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("权力类别"), max_length=16, choices=MatterCategory.choices,
                                default=MatterCategory.PENALTY)
    area = models.CharField(_("执法领域"), max_length=40, blank=True, help_text=_("如安全生产、人居环境、交通运输。"))
    source = models.CharField(_("权力来源"), max_length=16, choices=PowerSource.choices)
    source_document = models.CharField(_("赋权/委托/派驻文件"), max_length=255, blank=True,
                                       help_text=_("赋权决定、委托书或派驻文件的名称和文号。"))
    acting_body = models.CharField(_("实施主体名称"), max_length=120, blank=True,
                                   help_text=_("委托、派驻事项为委托（派出）机关名称；空白为本镇街。"))
    law = models.CharField(_("法律依据（法规名称）"), max_length=200)
    article = models.CharField(_("条款"), max_length=80, blank=True)
    basis_text = models.TextField(_("条文内容"), blank=True)
    penalty_kinds = models.CharField(_("处罚种类"), max_length=200, blank=True,
                                     help_text=_("如警告、罚款、没收违法所得。"))
    fine_min = models.DecimalField(_("罚款下限（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("罚款上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    discretion = models.JSONField(_("裁量基准"), default=list, blank=True,
                                  help_text=_("情节与处罚幅度：[{\"circumstance\", \"range\"}]。"))
    summary_allowed = models.BooleanField(_("可适用简易程序"), default=False)
    hearing_threshold_person = models.DecimalField(_("听证标准（公民，元）"), max_digits=12, decimal_places=2,
                                                   null=True, blank=True, help_text=_("空白时采用全市默认值。"))
    hearing_threshold_org = models.DecimalField(_("听证标准（法人或其他组织，元）"), max_digits=12, decimal_places=2,
                                                null=True, blank=True, help_text=_("空白时采用全市默认值。"))
    decision_days = models.PositiveIntegerField(_("作出决定期限（日）"), null=True, blank=True,
                                                help_text=_("法律、法规、规章另有规定时填写；空白为立案之日起九十日。"))
    legal_review_required = models.BooleanField(_("须经法制审核"), default=False,
                                                help_text=_("法律另有规定须经法制审核的事项（处罚法第五十八条第一款第四项）。"))
    responsible_post = models.CharField(_("责任岗位"), max_length=16, choices=Post.choices, default=Post.CASEWORK)
    checklist = models.TextField(_("办案要点"), blank=True, help_text=_("每行一项，供执法人员办案时逐项核对。"))
    coercive_measures_allowed = models.BooleanField(
        _("法律、法规设定了查封、扣押"), default=False,
        help_text=_("只有法律、法规规定可以查封、扣押的事项才能实施行政强制措施（行政强制法第十七条）。"))
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")
        ordering = ["town", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="enforcement_matter_town_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def basis_citation(self) -> str:
        return f"《{self.law}》{self.article}" if self.article else f"《{self.law}》"

    @property
    def checklist_items(self) -> list[str]:
        return [line.strip() for line in (self.checklist or "").splitlines() if line.strip()]

    def body_name(self, town) -> str:
        """The name decisions are made in: the entrusting/posting department, else the town."""
        from instruments.services import issuer_for

        if self.source in (PowerSource.ENTRUSTED, PowerSource.SECONDED) and self.acting_body:
            return self.acting_body
        return issuer_for(town)


class Officer(TownScoped):
    """执法人员 with the enforcement credential (执法证)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="enforcement_officers", verbose_name=_("登录账号"))
    name = models.CharField(_("姓名"), max_length=64)
    credential = models.CharField(_("执法证号"), max_length=40)
    credential_scope = models.CharField(_("执法类别（证件范围）"), max_length=200, blank=True)
    valid_from = models.DateField(_("证件有效期起"))
    valid_until = models.DateField(_("证件有效期至"))
    post = models.CharField(_("岗位"), max_length=16, choices=Post.choices, default=Post.CASEWORK)
    legal_qualification = models.BooleanField(_("具有法律职业资格"), default=False)
    active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["town", "credential"]
        constraints = [models.UniqueConstraint(fields=["town", "credential"], name="enforcement_officer_town_cred")]

    def __str__(self):
        return f"{self.name}（{self.credential}）"

    def credential_valid(self, on: dt.date) -> bool:
        return self.active and self.valid_from <= on <= self.valid_until


class Reviewer(TownScoped):
    """法制审核人员 (处罚法 Art. 58 para 2: first-time reviewers hold 法律职业资格)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("登录账号"))
    name = models.CharField(_("姓名"), max_length=64)
    qualification_number = models.CharField(_("法律职业资格证书编号"), max_length=40, blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("法制审核人员")
        verbose_name_plural = _("法制审核人员")
        ordering = ["town", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "user"], name="enforcement_reviewer_town_user")]

    def __str__(self):
        return self.name


class Training(TownScoped):
    """One officer's yearly training hours and exam."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("执法人员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    hours = models.DecimalField(_("培训学时"), max_digits=6, decimal_places=1, default=Decimal("0"))
    exam_score = models.DecimalField(_("考试成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("考试合格"), default=False)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("培训考试")
        verbose_name_plural = _("培训考试")
        ordering = ["town", "-year", "officer"]
        constraints = [models.UniqueConstraint(fields=["town", "officer", "year"], name="enforcement_training_year")]

    def __str__(self):
        return f"{self.officer.name} {self.year}"


class ProcedureKind(models.TextChoices):
    ORDINARY = "ordinary", _("普通程序")
    SUMMARY = "summary", _("简易程序")


@coloured({
    "lead": "secondary", "filed": "info", "investigating": "primary", "investigation_closed": "primary",
    "notice_served": "warning", "hearing": "warning", "legal_review": "warning", "collective_discussion": "warning",
    "decided": "success", "decided_on_spot": "success", "served": "success", "filed_with_agency": "success",
    "executing": "info", "closed": "dark", "archived": "dark", "dropped": "secondary",
})
class CaseStatus(models.TextChoices):
    LEAD = "lead", _("案源")
    FILED = "filed", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    INVESTIGATION_CLOSED = "investigation_closed", _("调查终结")
    NOTICE_SERVED = "notice_served", _("已事先告知")
    HEARING = "hearing", _("听证")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    COLLECTIVE_DISCUSSION = "collective_discussion", _("集体讨论")
    DECIDED = "decided", _("已决定")
    DECIDED_ON_SPOT = "decided_on_spot", _("当场处罚")
    SERVED = "served", _("已送达")
    FILED_WITH_AGENCY = "filed_with_agency", _("已备案")
    EXECUTING = "executing", _("执行中")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    DROPPED = "dropped", _("不予立案")


OPEN_STATUSES = [s for s in CaseStatus.values if s not in ("closed", "archived", "dropped")]


class PartyKind(models.TextChoices):
    PERSON = "person", _("公民")
    ORG = "org", _("法人或其他组织")


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("日常巡查")
    COMPLAINT = "complaint", _("投诉举报")
    EVENT = "event", _("网格事件")
    REFERRAL = "referral", _("部门移送")
    RANDOM = "random", _("双随机抽查")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")
    TRANSFER = "transfer", _("移送司法机关")


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", _("直接送达")
    LEFT = "left", _("留置送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")


class Case(TownScoped):
    """行政执法案件."""

    number = models.CharField(_("案件编号"), max_length=40)
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="cases", verbose_name=_("执法事项"))
    procedure = models.CharField(_("程序"), max_length=12, choices=ProcedureKind.choices,
                                 default=ProcedureKind.ORDINARY)
    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.LEAD)
    source = models.CharField(_("案件来源"), max_length=16, choices=CaseSource.choices, default=CaseSource.INSPECTION)
    event_id = models.PositiveBigIntegerField(_("来源事件"), null=True, blank=True)
    party_kind = models.CharField(_("当事人类型"), max_length=8, choices=PartyKind.choices, default=PartyKind.PERSON)
    party_name = models.CharField(_("当事人"), max_length=120)
    party_id_number = EncryptedTextField(_("身份证号/统一社会信用代码"), blank=True, default="")
    party_id_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    party_phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    party_address = EncryptedTextField(_("住所/地址"), blank=True, default="")
    place = models.CharField(_("违法地点"), max_length=200, blank=True)
    act_date = models.DateField(_("违法行为发生日"), null=True, blank=True)
    facts = models.TextField(_("案情摘要"))
    officers = models.ManyToManyField(Officer, blank=True, related_name="cases", verbose_name=_("承办执法人员"))
    recused = models.ManyToManyField(Officer, blank=True, related_name="recused_cases",
                                     verbose_name=_("已回避的执法人员"))
    # Art. 58 / Art. 57 flags, set at filing and editable until the decision
    major_public_interest = models.BooleanField(_("涉及重大公共利益"), default=False)
    complex_case = models.BooleanField(_("案情复杂或涉及多个法律关系"), default=False)
    serious_violation = models.BooleanField(_("重大违法行为（须集体讨论）"), default=False)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    # notice of intended penalty
    proposed_fine = models.DecimalField(_("拟罚款（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    proposed_penalty = models.CharField(_("拟处罚内容"), max_length=255, blank=True)
    notice_served_on = models.DateField(_("事先告知送达日"), null=True, blank=True)
    hearing_offered = models.BooleanField(_("已告知听证权利"), default=False)
    statement_waived = models.BooleanField(_("当事人明确放弃陈述申辩"), default=False)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    statement_text = models.TextField(_("陈述申辩意见"), blank=True)
    statement_review = models.TextField(_("复核意见"), blank=True)
    # hearing
    hearing_requested_on = models.DateField(_("申请听证日"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("听证主持人"))
    hearing_record = models.TextField(_("听证笔录"), blank=True)
    hearing_record_signed = models.BooleanField(_("听证笔录已签字确认"), default=False)
    # decision
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices, blank=True)
    fine = models.DecimalField(_("罚款（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    penalty_text = models.CharField(_("处罚内容"), max_length=255, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    party_present = models.BooleanField(_("宣告时当事人在场"), default=True)
    correction_ordered = models.BooleanField(_("已责令改正"), default=False)
    first_offence_waiver = models.BooleanField(_("首违不罚"), default=False)
    # service and execution
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=16, choices=ServiceMethod.choices, blank=True)
    eservice_consent = models.BooleanField(_("已签署电子送达确认书"), default=False)
    paid_on = models.DateField(_("缴款日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("实缴罚款（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    late_fine = models.DecimalField(_("加处罚款（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    demand_served_on = models.DateField(_("催告书送达日"), null=True, blank=True)
    court_applied_on = models.DateField(_("申请法院强制执行日"), null=True, blank=True)
    court = models.CharField(_("受理法院"), max_length=120, blank=True)
    revoked_on = models.DateField(_("决定撤销/变更日"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销/变更理由"), max_length=255, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closing_summary = models.TextField(_("结案报告"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("行政执法案件")
        verbose_name_plural = _("行政执法案件")
        ordering = ["town", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["town", "number"], name="enforcement_case_town_number")]
        indexes = [models.Index(fields=["town", "status"], name="enforcement_case_status"),
                   # the case list's order and the supervision page's yearly figures
                   models.Index(fields=["town", "-created_at", "-id"], name="enforcement_case_created")]

    def __str__(self):
        return f"{self.number} {self.party_display}"

    @property
    def party_display(self) -> str:
        """The party as lists show it: a natural person's name masked (surname + 某)."""
        return mask_name(self.party_name) if self.party_kind == PartyKind.PERSON else self.party_name

    def save(self, *args, **kwargs):
        self.party_id_index = blind_index(self.party_id_number or "")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"party_id_index"}
        super().save(*args, **kwargs)

    @property
    def party_id_masked(self) -> str:
        return mask_id_number(self.party_id_number)

    @property
    def party_phone_masked(self) -> str:
        return mask_phone(self.party_phone)

    @property
    def party_address_masked(self) -> str:
        return mask_address(self.party_address)

    @property
    def legal_review_mandatory(self) -> bool:
        """处罚法 Art. 58 para 1: (1) major public interest, (2) a hearing was held, (3) complex, (4) by law."""
        return bool(self.major_public_interest or self.hearing_on or self.complex_case
                    or self.matter.legal_review_required)

    @property
    def collective_mandatory(self) -> bool:
        """处罚法 Art. 57 para 2: complex cases and serious violations."""
        return bool(self.complex_case or self.serious_violation)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EvidenceKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", _("现场检查（勘验）笔录")
    INTERVIEW_RECORD = "interview_record", _("询问笔录")
    PHOTO = "photo", _("照片")
    AUDIO_VIDEO = "av", _("音像记录")
    DOCUMENT = "document", _("书证")
    DATA = "data", _("电子数据")


FIELD_RECORDS = {EvidenceKind.INSPECTION_RECORD, EvidenceKind.INTERVIEW_RECORD}


def evidence_upload_to(instance, filename):
    return f"enforcement/{instance.town.code}/evidence/{filename}"


class Evidence(TownScoped):
    """A piece of evidence or a field record, with its SM3 digest (全过程记录)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("案件"))
    kind = models.CharField(_("种类"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255, blank=True)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    sm3 = models.CharField(_("SM3摘要"), max_length=64, blank=True)
    device = models.CharField(_("记录设备"), max_length=120, blank=True)
    recorded_from = models.DateTimeField(_("记录开始"), null=True, blank=True)
    recorded_to = models.DateTimeField(_("记录结束"), null=True, blank=True)
    officers = models.ManyToManyField(Officer, blank=True, related_name="+", verbose_name=_("在场执法人员"))
    credentials_shown = models.BooleanField(_("已出示执法证件"), default=False)
    preserved = models.BooleanField(_("先行登记保存"), default=False)
    preservation_decided_on = models.DateField(_("保存处理决定日"), null=True, blank=True)
    preservation_decision = models.CharField(_("保存处理决定"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据与记录")
        verbose_name_plural = _("证据与记录")
        ordering = ["town", "case", "created_at", "id"]
        indexes = [models.Index(fields=["town", "case"], name="enforcement_evidence_case")]

    def __str__(self):
        return self.title


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("同意")
    AMEND = "amend", _("修改后再审")
    FAILED = "failed", _("不同意")


class LegalReview(TownScoped):
    """法制审核 (处罚法 Art. 58)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("案件"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("审核人员"))
    result = models.CharField(_("审核结论"), max_length=8, choices=ReviewResult.choices)
    opinion = models.TextField(_("审核意见"))
    reviewed_on = models.DateField(_("审核日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["town", "case", "-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.case.number} {self.get_result_display()}"


class Discussion(TownScoped):
    """集体讨论 (处罚法 Art. 57 para 2)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discussions", verbose_name=_("案件"))
    held_on = models.DateField(_("讨论日期"))
    participants = models.CharField(_("参加人员"), max_length=255)
    minutes = models.TextField(_("讨论记录"))
    conclusion = models.TextField(_("讨论决定"))
    dissent = models.TextField(_("不同意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")
        ordering = ["town", "case", "-held_on"]

    def __str__(self):
        return f"{self.case.number} {self.held_on}"


class Publication(TownScoped):
    """事后公示: the de-identified projection of a decision, and its withdrawal."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="publication", verbose_name=_("案件"))
    title = models.CharField(_("标题"), max_length=200)
    decision_number = models.CharField(_("决定书文号"), max_length=60)
    party = models.CharField(_("当事人（公示）"), max_length=120)
    summary = models.TextField(_("违法事实（公示）"))
    penalty = models.CharField(_("处罚结果"), max_length=255)
    basis = models.CharField(_("处罚依据"), max_length=255)
    body = models.CharField(_("执法主体"), max_length=120)
    decided_on = models.DateField(_("决定日期"))
    published_on = models.DateField(_("公示日期"))
    filter_log = models.JSONField(_("去标识化记录"), default=dict, blank=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=255, blank=True)
    expired = models.BooleanField(_("公示期满撤下"), default=False,
                                  help_text=_("公示期满自动撤下（区别于决定被撤销、变更后的撤回）。"))

    class Meta:
        verbose_name = _("执法决定公示")
        verbose_name_plural = _("执法决定公示")
        ordering = ["town", "-published_on", "-id"]
        indexes = [models.Index(fields=["town", "published_on"], name="enforcement_pub_date")]

    def __str__(self):
        return self.title


class InspectionKind(models.TextChoices):
    RANDOM = "random", _("双随机抽查")
    COMBINED = "combined_inspection", _("综合查一次")


@coloured({"draft": "secondary", "drawn": "primary", "done": "success"})
class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("待抽取")
    DRAWN = "drawn", _("已抽取")
    DONE = "done", _("已完成")


class InspectionPlan(TownScoped):
    """双随机一公开 plan: targets and inspectors drawn reproducibly from the recorded seed; or a joint
    综合查一次 covering several matters in one visit."""

    title = models.CharField(_("计划名称"), max_length=200)
    kind = models.CharField(_("检查方式"), max_length=24, choices=InspectionKind.choices, default=InspectionKind.RANDOM)
    matters = models.ManyToManyField(Matter, related_name="inspection_plans", verbose_name=_("检查事项"))
    industry = models.CharField(_("抽查对象行业（空白为全部企业）"), max_length=64, blank=True)
    sample_size = models.PositiveIntegerField(_("抽取对象数"))
    inspectors_per_target = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    planned_on = models.DateField(_("计划检查日期"))
    status = models.CharField(_("状态"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    target_pool = models.JSONField(_("对象名录（抽取时）"), default=list, blank=True)
    inspector_pool = models.JSONField(_("执法人员名录（抽取时）"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    public = models.BooleanField(_("向社会公示"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["town", "-planned_on", "-id"]

    def __str__(self):
        return self.title


class InspectionResult(models.TextChoices):
    PENDING = "pending", _("待检查")
    COMPLIANT = "compliant", _("未发现问题")
    CORRECTED = "corrected", _("发现问题，已责令整改")
    CASE = "case", _("发现违法行为，已立案")


class Inspection(TownScoped):
    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="inspections",
                             verbose_name=_("检查计划"))
    enterprise = models.ForeignKey("org.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("检查对象"))
    officers = models.ManyToManyField(Officer, related_name="inspections", verbose_name=_("检查人员"))
    result = models.CharField(_("检查结果"), max_length=12, choices=InspectionResult.choices,
                              default=InspectionResult.PENDING)
    findings = models.TextField(_("检查情况"), blank=True)
    done_on = models.DateField(_("检查日期"), null=True, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("立案案件"))

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["town", "plan", "id"]

    def __str__(self):
        return f"{self.plan.title} · {self.enterprise.name}"


# --- transfer to judicial organs (移送司法机关) ----------------------------------------------------------
@coloured({"reported": "warning", "approved": "warning", "not_approved": "secondary", "sent": "info",
           "accepted": "dark", "refused": "secondary", "reconsidering": "info"})
class TransferStatus(models.TextChoices):
    REPORTED = "reported", _("待负责人审批")
    APPROVED = "approved", _("已批准移送")
    NOT_APPROVED = "not_approved", _("不批准移送")
    SENT = "sent", _("已移送，待公安机关决定")
    ACCEPTED = "accepted", _("公安机关已立案")
    REFUSED = "refused", _("公安机关不予立案")
    RECONSIDERING = "reconsidering", _("已提请复议")


# The case waits (no administrative decision) while a transfer is in one of these states.
TRANSFER_PENDING = (TransferStatus.REPORTED, TransferStatus.APPROVED, TransferStatus.SENT,
                    TransferStatus.RECONSIDERING)


class Transfer(TownScoped):
    """涉嫌犯罪案件移送 (处罚法 Arts 27, 57(4), 82; 国务院《行政执法机关移送涉嫌犯罪案件的规定》Arts 5-11)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("案件"))
    status = models.CharField(_("状态"), max_length=16, choices=TransferStatus.choices,
                              default=TransferStatus.REPORTED)
    suspected_offence = models.CharField(_("涉嫌罪名"), max_length=120)
    report = models.TextField(_("移送报告（涉嫌犯罪的事实和理由）"))
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("报告人"))
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("审批负责人"))
    head_opinion = models.CharField(_("审批意见"), max_length=255, blank=True)
    organ = models.CharField(_("接受移送的公安机关"), max_length=120, blank=True)
    sent_on = models.DateField(_("移送日期"), null=True, blank=True)
    letter_number = models.CharField(_("移送书文号"), max_length=60, blank=True)
    materials = models.TextField(_("移送材料清单"), blank=True, help_text=_("每行一项。"))
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    answered_on = models.DateField(_("公安机关决定日期"), null=True, blank=True)
    answer_reason = models.CharField(_("公安机关决定理由"), max_length=255, blank=True)
    reconsider_requested_on = models.DateField(_("提请复议日期"), null=True, blank=True)
    reconsider_reason = models.CharField(_("提请复议理由"), max_length=255, blank=True)
    reconsider_answered_on = models.DateField(_("复议决定日期"), null=True, blank=True)
    reconsider_answer = models.CharField(_("复议决定"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("涉嫌犯罪案件移送")
        verbose_name_plural = _("涉嫌犯罪案件移送")
        ordering = ["town", "case", "-id"]
        indexes = [models.Index(fields=["town", "status"], name="enforcement_transfer_status")]

    def __str__(self):
        return f"{self.case.number} {self.suspected_offence}"

    @property
    def material_items(self) -> list[str]:
        return [line.strip() for line in (self.materials or "").splitlines() if line.strip()]


# --- a party's recusal application (当事人申请回避) ---------------------------------------------------
@coloured({"pending": "warning", "granted": "success", "refused": "secondary"})
class RecusalStatus(models.TextChoices):
    PENDING = "pending", _("待负责人决定")
    GRANTED = "granted", _("决定回避")
    REFUSED = "refused", _("驳回申请")


class RecusalApplication(TownScoped):
    """当事人申请回避 (处罚法 Art. 43): decided by the head; the investigation does not stop meanwhile."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recusal_applications",
                             verbose_name=_("案件"))
    applicant = models.CharField(_("申请人"), max_length=120)
    officers = models.ManyToManyField(Officer, related_name="+", verbose_name=_("申请回避的执法人员"))
    grounds = models.TextField(_("申请理由"))
    received_on = models.DateField(_("收到申请日期"))
    status = models.CharField(_("决定"), max_length=8, choices=RecusalStatus.choices, default=RecusalStatus.PENDING)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("决定负责人"))
    decision_reason = models.CharField(_("决定理由"), max_length=255, blank=True)
    notified_on = models.DateField(_("告知当事人日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("当事人回避申请")
        verbose_name_plural = _("当事人回避申请")
        ordering = ["town", "case", "-id"]
        indexes = [models.Index(fields=["town", "status"], name="enforcement_recusal_status")]

    def __str__(self):
        return f"{self.case.number} {self.applicant}"


# --- instalments (分期缴纳, 处罚法 Art. 66 para 2) ------------------------------------------------------
class Instalment(TownScoped):
    """One instalment of an approved plan: its due date comes from its own clock (``penalty.fine.instalment``,
    the approved number of days from the approval); payments are allocated to instalments in order."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("案件"))
    seq = models.PositiveSmallIntegerField(_("期次"))
    days = models.PositiveIntegerField(_("自批准之日起（日）"))
    amount = models.DecimalField(_("本期金额（元）"), max_digits=12, decimal_places=2)
    approved_on = models.DateField(_("批准日期"))
    due_date = models.DateField(_("本期缴款期限"), null=True, blank=True, help_text=_("由期限引擎计算。"))
    paid_amount = models.DecimalField(_("已缴本金（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    late_fine = models.DecimalField(_("已缴加处罚款（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # the late-fine ledger: what accrued on the unpaid part up to ``accrued_to`` (the last payment after the due
    # date); from then on it accrues on what is still unpaid
    late_accrued = models.DecimalField(_("已计加处罚款（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    accrued_to = models.DateField(_("加处罚款计至"), null=True, blank=True)
    paid_on = models.DateField(_("缴清日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("分期缴纳")
        verbose_name_plural = _("分期缴纳")
        ordering = ["town", "case", "seq"]
        constraints = [models.UniqueConstraint(fields=["town", "case", "seq"], name="enforcement_instalment_seq")]

    def __str__(self):
        return f"{self.case.number} #{self.seq}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid_amount


# --- seizure and sealing (查封、扣押, 行政强制法 Arts 17-28) -----------------------------------------------
class MeasureKind(models.TextChoices):
    SEAL = "seal", _("查封")
    SEIZE = "seize", _("扣押")


@coloured({"in_force": "warning", "released": "success", "confiscated": "dark", "destroyed": "dark"})
class MeasureStatus(models.TextChoices):
    IN_FORCE = "in_force", _("实施中")
    RELEASED = "released", _("已解除")
    CONFISCATED = "confiscated", _("已没收")
    DESTROYED = "destroyed", _("已销毁")


class CoerciveMeasure(TownScoped):
    """查封、扣押 with its 30-day term clock (``penalty.seizure.term``): paused for testing (written notice),
    extended once with the head's approval, ended by 解除 / 没收 / 销毁 within the term."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures", verbose_name=_("案件"))
    kind = models.CharField(_("措施"), max_length=8, choices=MeasureKind.choices)
    items = models.TextField(_("查封（扣押）物品清单"), help_text=_("每行一项：名称、数量、规格。"))
    place = models.CharField(_("实施地点"), max_length=200)
    decided_on = models.DateField(_("实施日期"))
    emergency = models.BooleanField(_("情况紧急，当场实施"), default=False)
    reported_on = models.DateField(_("向负责人报告并补办批准日期"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("批准负责人"))
    officers = models.ManyToManyField(Officer, related_name="+", verbose_name=_("实施的执法人员"))
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.IN_FORCE)
    testing = models.BooleanField(_("检测、检验、检疫或技术鉴定中"), default=False)
    extended = models.BooleanField(_("已延长期限"), default=False)
    ended_on = models.DateField(_("处理决定日期"), null=True, blank=True)
    end_reason = models.CharField(_("处理理由"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("查封扣押")
        verbose_name_plural = _("查封扣押")
        ordering = ["town", "case", "-decided_on", "-id"]
        indexes = [models.Index(fields=["town", "status"], name="enforcement_measure_status")]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"

    @property
    def item_lines(self) -> list[str]:
        return [line.strip() for line in (self.items or "").splitlines() if line.strip()]
