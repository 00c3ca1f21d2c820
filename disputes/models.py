"""矛盾纠纷排查调处 (the 枫桥 approach) and 信访.

ScreeningRound → Lead → Dispute (parties, sessions, agreement, return visit, archive) under a
MediationCommittee and its Mediators; Petition (信访) with its classes, routes, opinion and 复查/复核.
Every row carries its town; contact data of parties and petitioners is encrypted at rest (SM4-GCM).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.crypto import EncryptedTextField
from org.models import TownScoped

from .choices import AgreementKind, DisputeStatus, LeadStatus, PetitionStatus, RoundStatus


class Level(models.TextChoices):
    VILLAGE = "village", _("村(社区)调解")
    TOWN = "town", _("镇级调处")
    TRANSFERRED = "transferred", _("移交/上交")


class Risk(models.TextChoices):
    RED = "red", _("红色（高风险）")
    YELLOW = "yellow", _("黄色（中风险）")
    GREEN = "green", _("绿色（低风险）")


RISK_COLOURS = {"red": "danger", "yellow": "warning", "green": "success"}


class DisputeKind(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭纠纷")
    LAND = "land", _("土地山林纠纷")
    LABOUR = "labour", _("劳资纠纷")
    DAMAGES = "damages", _("损害赔偿纠纷")
    CONTRACT = "contract", _("合同纠纷")
    PROPERTY = "property", _("房屋宅基地纠纷")
    OTHER = "other", _("其他纠纷")


class MediationCommittee(TownScoped):
    """人民调解委员会: one per village/community (调解法 Art. 8), optionally the town's own (Art. 34)."""

    name = models.CharField(_("名称"), max_length=80)
    level = models.CharField(_("层级"), max_length=16,
                             choices=[(Level.VILLAGE, _("村(社区)")), (Level.TOWN, _("镇街"))])
    village = models.ForeignKey("org.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("村(社区)"))
    members = models.PositiveSmallIntegerField(_("委员人数"))
    women_members = models.PositiveSmallIntegerField(_("女性委员人数"))
    term_start = models.DateField(_("本届任期起"))
    term_end = models.DateField(_("本届任期止"))
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    class Meta:
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")
        ordering = ["town", "level", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="disputes_committee_town_name")]

    def __str__(self):
        return self.name


class Mediator(TownScoped):
    """人民调解员 with qualifications (调解法 Art. 14)."""

    committee = models.ForeignKey(MediationCommittee, on_delete=models.PROTECT, related_name="mediators",
                                  verbose_name=_("调解委员会"))
    name = models.CharField(_("姓名"), max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("系统账号"))
    qualification = models.CharField(_("资质/专长"), max_length=120, blank=True)
    certificate_no = models.CharField(_("调解员证号"), max_length=40, blank=True)
    trained_on = models.DateField(_("最近培训日期"), null=True, blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("人民调解员")
        verbose_name_plural = _("人民调解员")
        ordering = ["town", "committee", "name"]
        indexes = [models.Index(fields=["town", "committee"], name="disputes_mediator_town_comm")]

    def __str__(self):
        return self.name


class ScreeningRound(TownScoped):
    """排查: one round of screening of a village (or one grid) for a month."""

    village = models.ForeignKey("org.Village", on_delete=models.PROTECT, related_name="+", verbose_name=_("村(社区)"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("网格"))
    month = models.DateField(_("排查月份"), help_text=_("当月第一天"))
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.PLANNED)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("排查人"))
    households = models.PositiveIntegerField(_("走访户数"), default=0)
    note = models.TextField(_("排查情况"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("排查轮次")
        verbose_name_plural = _("排查轮次")
        ordering = ["town", "-month", "village__code"]
        constraints = [models.UniqueConstraint(fields=["town", "month", "village", "grid"],
                                               name="disputes_round_town_month_place")]

    def __str__(self):
        return _("{month}月 {village}排查").format(month=self.month.strftime("%Y-%m"), village=self.village)


class Lead(TownScoped):
    """矛盾纠纷线索: from a grid event, a screening round, a petition, a walk-in or a referral."""

    class Source(models.TextChoices):
        EVENT = "event", _("网格事件")
        SCREENING = "screening", _("排查发现")
        PETITION = "petition", _("信访转来")
        WALK_IN = "walk_in", _("群众来访")
        REFERRAL = "referral", _("公安/法院委托移送")

    code = models.CharField(_("编号"), max_length=24)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    event_id = models.PositiveBigIntegerField(_("来源事件"), null=True, blank=True)
    event_code = models.CharField(_("来源事件查询码"), max_length=16, blank=True)
    screening = models.ForeignKey(ScreeningRound, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="leads", verbose_name=_("排查轮次"))
    petition = models.ForeignKey("Petition", null=True, blank=True, on_delete=models.PROTECT, related_name="leads",
                                 verbose_name=_("来源信访"))
    village = models.ForeignKey("org.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("村(社区)"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("网格"))
    place = models.CharField(_("发生地点"), max_length=120, blank=True)
    kind = models.CharField(_("纠纷类型"), max_length=16, choices=DisputeKind.choices, default=DisputeKind.OTHER)
    summary = models.TextField(_("线索摘要"))
    parties_count = models.PositiveSmallIntegerField(_("涉及人数"), default=2)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    violence_threat = models.BooleanField(_("有激化/暴力苗头"), default=False)
    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices, default=Risk.GREEN)
    found_on = models.DateField(_("发现日期"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("报告人"))
    status = models.CharField(_("状态"), max_length=16, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    note = models.TextField(_("处理说明"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("矛盾纠纷线索")
        verbose_name_plural = _("矛盾纠纷线索")
        ordering = ["town", "-found_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="disputes_lead_town_code")]
        indexes = [models.Index(fields=["town", "status", "found_on"], name="disputes_lead_town_status")]

    def __str__(self):
        return self.code


class Dispute(TownScoped):
    """矛盾纠纷 and its people's mediation (人民调解法)."""

    class Outcome(models.TextChoices):
        WRITTEN = "written", _("达成书面调解协议")
        ORAL = "oral", _("达成口头调解协议")
        TERMINATED = "terminated", _("调解不成，终止调解")
        REFUSED = "refused", _("当事人拒绝调解")

    class Route(models.TextChoices):
        ARBITRATION = "arbitration", _("仲裁")
        LITIGATION = "litigation", _("诉讼")
        ADMINISTRATIVE = "administrative", _("行政途径（行政调解、裁决、复议等）")
        POLICE = "police", _("移交公安机关")

    class Performance(models.TextChoices):
        FULL = "full", _("已全部履行")
        PARTIAL = "partial", _("部分履行")
        NONE = "none", _("未履行")

    code = models.CharField(_("案号"), max_length=24)
    lead = models.OneToOneField(Lead, null=True, blank=True, on_delete=models.PROTECT, related_name="dispute",
                                verbose_name=_("来源线索"))
    kind = models.CharField(_("纠纷类型"), max_length=16, choices=DisputeKind.choices)
    summary = models.TextField(_("纠纷简要情况"))
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    violence_threat = models.BooleanField(_("有激化/暴力苗头"), default=False)
    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices, default=Risk.GREEN)
    warning = models.CharField(_("预警"), max_length=255, blank=True)
    village = models.ForeignKey("org.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("村(社区)"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("网格"))
    place = models.CharField(_("发生地点"), max_length=120, blank=True)
    level = models.CharField(_("调处层级"), max_length=16, choices=Level.choices, default=Level.VILLAGE)
    committee = models.ForeignKey(MediationCommittee, on_delete=models.PROTECT, related_name="disputes",
                                  verbose_name=_("调解委员会"))
    mediator = models.ForeignKey(Mediator, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes",
                                 verbose_name=_("调解员"))
    registered_on = models.DateField(_("登记日期"))
    status = models.CharField(_("状态"), max_length=20, choices=DisputeStatus.choices,
                              default=DisputeStatus.REGISTERED)
    outcome = models.CharField(_("调解结果"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    termination_record = models.TextField(_("终止调解记录"), blank=True)
    route = models.CharField(_("告知的其他途径"), max_length=16, choices=Route.choices, blank=True)
    visited_on = models.DateField(_("回访日期"), null=True, blank=True)
    visit_note = models.TextField(_("回访情况"), blank=True)
    performance = models.CharField(_("履行情况"), max_length=8, choices=Performance.choices, blank=True)
    closed_on = models.DateField(_("归档日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["town", "-registered_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="disputes_dispute_town_code")]
        indexes = [models.Index(fields=["town", "status", "registered_on"], name="disputes_dispute_town_status"),
                   models.Index(fields=["town", "grid"], name="disputes_dispute_town_grid")]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("disputes:detail", args=[self.pk])


class Party(TownScoped):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("申请人")
        RESPONDENT = "respondent", _("被申请人")
        OTHER = "other", _("其他当事人")

    class Consent(models.TextChoices):
        PENDING = "pending", _("待确认")
        AGREED = "agreed", _("同意调解")
        REFUSED = "refused", _("明确拒绝调解")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties", verbose_name=_("纠纷"))
    side = models.CharField(_("当事人身份"), max_length=16, choices=Side.choices)
    name = EncryptedTextField(_("姓名/名称"))
    name_index = models.CharField(max_length=64, editable=False, db_index=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    address = EncryptedTextField(_("住址"), blank=True)
    consent = models.CharField(_("调解意愿"), max_length=16, choices=Consent.choices, default=Consent.PENDING)
    consent_on = models.DateField(_("确认日期"), null=True, blank=True)
    signed_on = models.DateField(_("在协议上签名/按指印日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute", "pk"]
        indexes = [models.Index(fields=["town", "name_index"], name="disputes_party_town_name")]

    def __str__(self):
        from core.crypto import mask_name

        return mask_name(self.name)


class Session(TownScoped):
    """一次调解（时间、地点、参加人、调解记录）."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("纠纷"))
    held_on = models.DateField(_("调解日期"))
    place = models.CharField(_("调解地点"), max_length=120)
    attendees = models.CharField(_("参加人员"), max_length=255)
    invitees = models.CharField(_("邀请参与人员"), max_length=255, blank=True)
    invitees_consented = models.BooleanField(_("当事人同意邀请人员参与"), default=False)
    public = models.BooleanField(_("公开调解"), default=False)
    record = models.TextField(_("调解记录"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["dispute", "held_on", "pk"]

    def __str__(self):
        return _("{date}调解").format(date=self.held_on)


class Agreement(TownScoped):
    """调解协议: written (effective once every party and the mediator signed and the seal is recorded) or oral."""

    class Confirmation(models.TextChoices):
        NONE = "none", _("未申请")
        APPLIED = "applied", _("已共同申请")
        CONFIRMED = "confirmed", _("法院已确认")
        DECLINED = "declined", _("当事人认为无必要")

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement", verbose_name=_("纠纷"))
    kind = models.CharField(_("协议形式"), max_length=8, choices=AgreementKind.choices)
    terms = models.TextField(_("协议内容（履行方式、期限）"))
    performance_days = models.PositiveSmallIntegerField(_("履行期限（天）"), null=True, blank=True)
    agreed_on = models.DateField(_("达成日期"))
    mediator_signed_on = models.DateField(_("调解员签名日期"), null=True, blank=True)
    seal_on = models.DateField(_("加盖调解委员会印章日期"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    instrument = models.ForeignKey("instruments.Instrument", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("调解协议书"))
    confirmation = models.CharField(_("司法确认"), max_length=12, choices=Confirmation.choices,
                                    default=Confirmation.NONE)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self):
        return _("{code}调解协议").format(code=self.dispute.code)


class Petition(TownScoped):
    """信访事项 (信访工作条例)."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("来信")
        VISIT = "visit", _("来访")
        PHONE = "phone", _("来电")
        ONLINE = "online", _("网上信访")
        TRANSFERRED = "transferred", _("上级转送、交办")

    class Class(models.TextChoices):
        SUGGESTION = "suggestion", _("建议意见")
        ACCUSATION = "accusation", _("检举控告")
        CLAIM = "claim", _("申诉求决")

    class Route(models.TextChoices):
        PETITION = "petition", _("信访程序办理")
        LITIGATION = "litigation", _("诉讼")
        RECONSIDERATION = "reconsideration", _("行政复议")
        ARBITRATION = "arbitration", _("仲裁")
        ADMINISTRATIVE = "administrative", _("行政裁决、确认、许可、处罚等程序")
        MEDIATION = "mediation", _("人民调解")
        DISCIPLINE = "discipline", _("纪检监察机关")

    class Opinion(models.TextChoices):
        SUPPORT = "support", _("支持")
        EXPLAIN = "explain", _("解释说明")
        NOT_SUPPORT = "not_support", _("不支持")

    code = models.CharField(_("查询码"), max_length=16)
    channel = models.CharField(_("信访渠道"), max_length=16, choices=Channel.choices)
    received_on = models.DateField(_("收到日期"))
    petitioner_name = EncryptedTextField(_("信访人"))
    petitioner_phone = EncryptedTextField(_("联系电话"), blank=True)
    petitioner_address = EncryptedTextField(_("通信地址"), blank=True)
    people = models.PositiveSmallIntegerField(_("人数"), default=1)
    village = models.ForeignKey("org.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("村(社区)"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("网格"))
    subject = models.CharField(_("信访事由"), max_length=120)
    content = models.TextField(_("信访内容"))
    petition_class = models.CharField(_("信访事项类别"), max_length=16, choices=Class.choices, blank=True)
    route = models.CharField(_("处理途径"), max_length=16, choices=Route.choices, blank=True)
    handling_unit = models.CharField(_("承办单位"), max_length=80, blank=True)
    acknowledged_on = models.DateField(_("书面告知日期"), null=True, blank=True)
    opinion = models.CharField(_("处理意见"), max_length=16, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField(_("处理意见及依据"), blank=True)
    answered_on = models.DateField(_("出具处理意见日期"), null=True, blank=True)
    opinion_instrument = models.ForeignKey("instruments.Instrument", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+",
                                           verbose_name=_("信访处理意见书"))
    review_text = models.TextField(_("复查意见"), blank=True)
    recheck_text = models.TextField(_("复核意见"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=PetitionStatus.choices,
                              default=PetitionStatus.REGISTERED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("信访事项")
        verbose_name_plural = _("信访事项")
        ordering = ["town", "-received_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="disputes_petition_town_code")]
        indexes = [models.Index(fields=["town", "status", "received_on"], name="disputes_petition_town_status")]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("disputes:petition_detail", args=[self.pk])


class DisputeSettings(TownScoped):
    """A town's own early-warning period and risk-grading thresholds (defaults: services' constants).

    These are local working rules with no statute behind them; no row means the defaults apply."""

    recurrence_days = models.PositiveSmallIntegerField(_("重复发生预警期（天）"), default=180)
    yellow_amount = models.DecimalField(_("黄色风险金额（元）"), max_digits=12, decimal_places=2, default=20000)
    red_amount = models.DecimalField(_("红色风险金额（元）"), max_digits=12, decimal_places=2, default=100000)
    yellow_people = models.PositiveSmallIntegerField(_("黄色风险涉及人数"), default=5)
    red_people = models.PositiveSmallIntegerField(_("红色风险涉及人数"), default=10)

    class Meta:
        verbose_name = _("矛盾纠纷预警设置")
        verbose_name_plural = _("矛盾纠纷预警设置")
        constraints = [models.UniqueConstraint(fields=["town"], name="disputes_settings_town")]

    def __str__(self):
        return str(_("矛盾纠纷预警设置"))
