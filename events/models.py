"""Grid events (网格事件) and the work around them: categories and routing, the event flow, campaigns,
screening plans, the hazard register and joint enforcement operations.

Every row carries its town. An event's ``status`` moves only through ``events.procedure.EVENT``; every
other change goes through ``events.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.crypto import EncryptedTextField, blind_index, mask_address, mask_name, mask_phone
from core.procedure import coloured
from org.models import TownScoped


def now():
    """``timezone.now`` looked up at call time (a default that follows a patched clock, e.g. in the demo)."""
    return timezone.now()


class Priority(models.TextChoices):
    LOW = "low", _("一般")
    NORMAL = "normal", _("较急")
    HIGH = "high", _("紧急")


@coloured({"grid": "success", "village": "info", "town": "primary", "district": "warning"})
class Level(models.TextChoices):
    """The escalation ladder and the level at which an event was settled (小事不出村、大事不出镇)."""

    GRID = "grid", _("网格")
    VILLAGE = "village", _("村(社区)")
    TOWN = "town", _("镇街")
    DISTRICT = "district", _("区县部门")


LEVEL_ORDER = [Level.GRID, Level.VILLAGE, Level.TOWN, Level.DISTRICT]


class Channel(models.TextChoices):
    GRID_WORKER = "grid_worker", _("网格员上报")
    PORTAL = "portal", _("群众随手拍")
    ENTERPRISE = "enterprise", _("企业诉求")
    HOTLINE = "hotline", _("来电")
    DISTRICT = "district", _("区县交办")
    OPEN311 = "open311", _("外部系统接入")
    CENTRE = "centre", _("中心登记")


@coloured({
    "reported": "warning", "accepted": "info", "rejected": "secondary", "dispatched": "primary",
    "in_progress": "primary", "returned": "danger", "resolved": "success", "verified": "success",
    "closed": "dark", "reopened": "danger", "escalated": "warning",
})
class EventStatus(models.TextChoices):
    REPORTED = "reported", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    DISPATCHED = "dispatched", _("已分拨")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURNED = "returned", _("已退回")
    RESOLVED = "resolved", _("已办结待核查")
    VERIFIED = "verified", _("已核查")
    CLOSED = "closed", _("已结案")
    REOPENED = "reopened", _("已重启")
    ESCALATED = "escalated", _("已上报区县")


OPEN_STATUSES = (
    EventStatus.REPORTED, EventStatus.ACCEPTED, EventStatus.DISPATCHED, EventStatus.IN_PROGRESS,
    EventStatus.RETURNED, EventStatus.RESOLVED, EventStatus.VERIFIED, EventStatus.REOPENED, EventStatus.ESCALATED,
)
FINAL_STATUSES = (EventStatus.CLOSED, EventStatus.REJECTED)


class Category(TownScoped):
    """A node of the event category tree, with its service levels (configuration, not statute)."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级分类"))
    code = models.SlugField(_("代码"), max_length=48, help_text=_("也用作 Open311 的 service_code。"))
    name = models.CharField(_("名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    default_priority = models.CharField(_("默认紧急程度"), max_length=8, choices=Priority.choices,
                                        default=Priority.LOW)
    sla_ack_hours = models.PositiveIntegerField(_("受理时限（小时）"), default=2)
    sla_dispatch_hours = models.PositiveIntegerField(_("分拨时限（小时）"), default=4)
    sla_handle_hours = models.PositiveIntegerField(_("办理时限（小时）"), default=72)
    # Escalation timers of the ladder (configuration): how long an event may wait at each level before the
    # scheduled scan moves it up, and how long a district department may take to answer a transfer.
    escalate_grid_hours = models.PositiveIntegerField(
        _("网格层级时限（小时）"), default=24,
        help_text=_("网格上报的事件在网格层级未处置，超过此时限自动上报村(社区)。"))
    escalate_village_hours = models.PositiveIntegerField(
        _("村级时限（小时）"), default=48,
        help_text=_("事件在村(社区)层级未处置，超过此时限自动提交镇街指挥中心。"))
    transfer_answer_hours = models.PositiveIntegerField(
        _("区县部门答复时限（小时）"), default=120,
        help_text=_("上报区县部门后超过此时限未答复，自动督办并提醒中心催办。"))
    spot_settleable = models.BooleanField(_("网格员可就地处置"), default=False)
    public = models.BooleanField(_("群众可上报"), default=True, help_text=_("在门户随手拍和 Open311 中提供。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    class Meta:
        verbose_name = _("事件分类")
        verbose_name_plural = _("事件分类")
        ordering = ["town", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="events_category_town_code")]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name


class RoutingRule(TownScoped):
    """Category (× village or grid) → sector and post. The most specific active rule wins."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules", verbose_name=_("事件分类"))
    village = models.ForeignKey("org.Village", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("村(社区)"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("网格"))
    sector = models.ForeignKey("org.Sector", on_delete=models.PROTECT, related_name="+", verbose_name=_("承办板块"))
    position = models.ForeignKey("org.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("承办岗位"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    class Meta:
        verbose_name = _("分拨规则")
        verbose_name_plural = _("分拨规则")
        ordering = ["town", "category", "village", "grid"]
        constraints = [  # one rule per (category, where): town-wide, one village, or one grid
            models.UniqueConstraint(fields=["town", "category"], name="events_rule_town_wide",
                                    condition=models.Q(village__isnull=True, grid__isnull=True)),
            models.UniqueConstraint(fields=["town", "category", "village"], name="events_rule_village",
                                    condition=models.Q(village__isnull=False, grid__isnull=True)),
            models.UniqueConstraint(fields=["town", "category", "grid"], name="events_rule_grid",
                                    condition=models.Q(grid__isnull=False)),
        ]

    def __str__(self):
        where = self.grid or self.village or _("全镇")
        return f"{self.category} · {where} → {self.position or self.sector}"


class GridTaskType(TownScoped):
    """网格准入事项: a kind of task the centre may push down to grids (only admitted ones)."""

    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("事项名称"), max_length=100)
    basis = models.CharField(_("准入依据"), max_length=200, blank=True)
    description = models.TextField(_("说明"), blank=True)
    admitted = models.BooleanField(_("准入"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("网格准入事项")
        verbose_name_plural = _("网格准入事项")
        ordering = ["town", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="events_gridtask_town_code")]

    def __str__(self):
        return self.name


class Event(TownScoped):
    tracking_code = models.CharField(_("查询码"), max_length=16, editable=False)
    title = models.CharField(_("事件标题"), max_length=120)
    description = models.TextField(_("事件描述"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="events", verbose_name=_("分类"))
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=EventStatus.choices, default=EventStatus.REPORTED)
    priority = models.CharField(_("紧急程度"), max_length=8, choices=Priority.choices, default=Priority.LOW)
    urgent = models.BooleanField(_("紧急事件"), default=False)
    pinned = models.BooleanField(_("重点置顶"), default=False)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates", verbose_name=_("重复于"))
    level = models.CharField(_("当前层级"), max_length=16, choices=Level.choices, default=Level.TOWN)
    settlement_level = models.CharField(_("化解层级"), max_length=16, choices=Level.choices, blank=True)
    village = models.ForeignKey("org.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("村(社区)"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("网格"))
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    address = EncryptedTextField(_("地点描述"), blank=True, default="")
    reporter_name = EncryptedTextField(_("反映人"), blank=True, default="")
    reporter_phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    reporter_phone_index = models.CharField(max_length=64, blank=True, editable=False)
    reporter_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("上报人账号"))
    enterprise = models.ForeignKey("org.Enterprise", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("诉求企业"))
    liaison = models.ForeignKey("org.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("联系干部"))
    sector = models.ForeignKey("org.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("承办板块"))
    position = models.ForeignKey("org.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("承办岗位"))
    reported_at = models.DateTimeField(_("上报时间"), default=now)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("分拨时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("当前环节时限"), null=True, blank=True)
    due_handle_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    overdue_mark = models.DateTimeField(_("已记录超时的时限"), null=True, blank=True, editable=False,
                                        help_text="due_at whose crossing was recorded (each crossing once)")
    overdue_count = models.PositiveSmallIntegerField(_("超时次数"), default=0)
    escalate_at = models.DateTimeField(_("层级时限"), null=True, blank=True, editable=False,
                                       help_text="when the event leaves its grid/village level automatically")
    result = models.TextField(_("处置结果"), blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重启次数"), default=0)
    supervised = models.BooleanField(_("督办中"), default=False)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    client_key = models.CharField(max_length=64, blank=True, editable=False,
                                  help_text="Idempotency key of the submission (form token or Idempotency-Key)")
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_grid = "grid"
    scope_sector = "sector"

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["town", "-reported_at"]
        constraints = [
            models.UniqueConstraint(fields=["town", "tracking_code"], name="events_event_town_tracking"),
            models.UniqueConstraint(fields=["town", "client_key"], condition=~models.Q(client_key=""),
                                    name="events_event_town_client_key"),
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                                   name="events_event_rating_1_5"),
        ]
        indexes = [
            models.Index(fields=["town", "status", "reported_at"], name="events_event_town_status"),
            models.Index(fields=["town", "reported_at"], name="events_event_town_reported"),
            models.Index(fields=["town", "grid", "reported_at"], name="events_event_town_grid"),
            models.Index(fields=["town", "position", "status"], name="events_event_town_position"),
            models.Index(fields=["town", "category", "reported_at"], name="events_event_town_category"),
            models.Index(fields=["tracking_code"], name="events_event_tracking"),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    def save(self, *args, **kwargs):
        self.reporter_phone_index = blind_index(self.reporter_phone or "")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"reporter_phone_index"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        return bool(self.due_at and self.is_open and self.due_at < timezone.now())

    @property
    def reporter_phone_masked(self) -> str:
        return mask_phone(self.reporter_phone)

    @property
    def reporter_name_masked(self) -> str:
        return mask_name(self.reporter_name)

    @property
    def address_masked(self) -> str:
        return mask_address(self.address)

    @property
    def on_time(self) -> bool | None:
        if not self.resolved_at or not self.due_handle_at:
            return None
        return self.resolved_at <= self.due_handle_at


class DispatchKind(models.TextChoices):
    INTERNAL = "internal", _("板块承办")
    HORIZONTAL = "horizontal", _("横向分拨（部门）")
    VERTICAL = "vertical", _("纵向交办（执法队伍）")


@coloured({"active": "primary", "returned": "danger", "superseded": "secondary", "done": "success"})
class DispatchStatus(models.TextChoices):
    ACTIVE = "active", _("承办中")
    RETURNED = "returned", _("已退回")
    SUPERSEDED = "superseded", _("已改派")
    DONE = "done", _("已办结")


class DispatchRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class Dispatch(TownScoped):
    """One dispatch of an event to a sector post; the post's A holder acts, else its B holder. An event has one
    lead (主办) post and may have co-handling (协办) posts, who record their part; the lead resolves it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dispatches", verbose_name=_("事件"))
    sector = models.ForeignKey("org.Sector", on_delete=models.PROTECT, related_name="+", verbose_name=_("承办板块"))
    position = models.ForeignKey("org.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("承办岗位"))
    holder = models.ForeignKey("org.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("承办人"))
    kind = models.CharField(_("分拨方式"), max_length=16, choices=DispatchKind.choices, default=DispatchKind.INTERNAL)
    role = models.CharField(_("承办角色"), max_length=8, choices=DispatchRole.choices, default=DispatchRole.LEAD)
    note = models.TextField(_("分拨意见"), blank=True)
    suggested = models.BooleanField(_("按规则建议"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=DispatchStatus.choices, default=DispatchStatus.ACTIVE)
    return_reason = models.TextField(_("退回理由"), blank=True)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("分拨人"))
    dispatched_at = models.DateTimeField(_("分拨时间"), default=now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    scope_sector = "sector"
    scope_grid = "event__grid"

    class Meta:
        verbose_name = _("分拨记录")
        verbose_name_plural = _("分拨记录")
        ordering = ["town", "event", "-dispatched_at"]
        indexes = [models.Index(fields=["town", "event"], name="events_dispatch_town_event")]

    def __str__(self):
        return f"{self.event.tracking_code} → {self.position or self.sector}"


class PhotoStage(models.TextChoices):
    REPORT = "report", _("上报")
    PROGRESS = "progress", _("办理过程")
    RESULT = "result", _("办理结果")


class EventPhoto(TownScoped):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos", verbose_name=_("事件"))
    stage = models.CharField(_("环节"), max_length=16, choices=PhotoStage.choices, default=PhotoStage.REPORT)
    file = models.FileField(_("文件"), upload_to="events/%Y/%m/")
    name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("类型"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    sm3 = models.CharField(_("SM3摘要"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_grid = "event__grid"
    scope_sector = "event__sector"

    class Meta:
        verbose_name = _("事件照片")
        verbose_name_plural = _("事件照片")
        ordering = ["town", "event", "uploaded_at"]
        indexes = [models.Index(fields=["town", "event"], name="events_photo_town_event")]

    def __str__(self):
        return self.name or self.file.name


class EventAttachment(TownScoped):
    """A document or recording attached to an event (a letter, a form, a voice note), with its SM3 digest."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("事件"))
    file = models.FileField(_("文件"), upload_to="events/files/%Y/%m/")
    name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    sm3 = models.CharField(_("SM3摘要"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=now)

    scope_grid = "event__grid"
    scope_sector = "event__sector"

    class Meta:
        verbose_name = _("事件附件")
        verbose_name_plural = _("事件附件")
        ordering = ["town", "event", "uploaded_at"]
        indexes = [models.Index(fields=["town", "event"], name="events_attachment_town_event")]

    def __str__(self):
        return self.name


class EventNote(TownScoped):
    """A progress note of the handler (办理过程)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notes", verbose_name=_("事件"))
    text = models.TextField(_("办理情况"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("填写人"))
    at = models.DateTimeField(_("时间"), default=now)

    scope_grid = "event__grid"
    scope_sector = "event__sector"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["town", "event", "at"]

    def __str__(self):
        return self.text[:40]


@coloured({"open": "warning", "answered": "success"})
class EscalationStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class Escalation(TownScoped):
    """逐级上报: grid → village → town → district department (transferred out, answer tracked)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("事件"))
    from_level = models.CharField(_("原层级"), max_length=16, choices=Level.choices)
    to_level = models.CharField(_("上报至"), max_length=16, choices=Level.choices)
    department = models.CharField(_("接收部门"), max_length=100, blank=True)
    reason = models.TextField(_("上报理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("上报人"))
    at = models.DateTimeField(_("上报时间"), default=now)
    status = models.CharField(_("状态"), max_length=16, choices=EscalationStatus.choices,
                              default=EscalationStatus.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("答复时限"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)

    scope_grid = "event__grid"

    class Meta:
        verbose_name = _("逐级上报")
        verbose_name_plural = _("逐级上报")
        ordering = ["town", "event", "at"]

    def __str__(self):
        return f"{self.event.tracking_code} {self.get_from_level_display()}→{self.get_to_level_display()}"


class Evaluation(TownScoped):
    """The reporter's rating of the outcome (1–5 and a comment); a poor rating may reopen the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("事件"))
    rating = models.PositiveSmallIntegerField(_("满意度（1–5）"))
    comment = models.TextField(_("评价意见"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=16, default="portal")
    reopened = models.BooleanField(_("引起重启"), default=False)
    at = models.DateTimeField(_("评价时间"), default=now)

    scope_grid = "event__grid"

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        ordering = ["town", "event", "at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="events_evaluation_1_5"),
        ]

    def __str__(self):
        return f"{self.event.tracking_code} {self.rating}"


class Supervision(TownScoped):
    """督办: a leader's order to finish an overdue event, with a new deadline."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("事件"))
    instruction = models.TextField(_("督办意见"))
    due_at = models.DateTimeField(_("督办时限"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("督办人"))
    at = models.DateTimeField(_("督办时间"), default=now)
    done_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    scope_grid = "event__grid"
    scope_sector = "event__sector"

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["town", "-at"]

    def __str__(self):
        return f"{self.event.tracking_code} {self.instruction[:20]}"


class ApiKey(TownScoped):
    """A key for an external system posting Open311 requests. Only the SM3 digest of the key is stored."""

    name = models.CharField(_("接入系统"), max_length=100)
    key_hash = models.CharField(max_length=64, editable=False)
    prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接入密钥")
        verbose_name_plural = _("接入密钥")
        ordering = ["town", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "key_hash"], name="events_apikey_town_hash")]
        indexes = [models.Index(fields=["key_hash"], name="events_apikey_hash")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


# --- campaigns, screening, hazards, joint operations ------------------------------------------

@coloured({"planned": "secondary", "active": "primary", "closed": "dark"})
class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("筹备")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


class Campaign(TownScoped):
    """专项整治 (e.g. 两排查两整治, 道路交通安全专项整治): scope, period and targets."""

    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("名称"), max_length=120)
    scope = models.TextField(_("整治范围"), blank=True)
    targets = models.TextField(_("工作目标"), blank=True)
    target_operations = models.PositiveIntegerField(_("目标：联合执法次数"), default=0)
    target_hazards = models.PositiveIntegerField(_("目标：整治隐患数"), default=0)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    sector = models.ForeignKey("org.Sector", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("牵头板块"))
    categories = models.ManyToManyField(Category, blank=True, related_name="campaigns",
                                        verbose_name=_("相关事件分类"))
    status = models.CharField(_("状态"), max_length=16, choices=CampaignStatus.choices,
                              default=CampaignStatus.ACTIVE)
    closed_on = models.DateField(_("结束日期（实际）"), null=True, blank=True)
    closing_summary = models.TextField(_("总结"), blank=True)
    closing_figures = models.JSONField(_("总结数据"), default=dict, blank=True, editable=False,
                                       help_text="targets met vs. set, hazards and operations, frozen when closed")
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["town", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="events_campaign_town_code"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="events_campaign_dates_ordered"),
        ]

    def __str__(self):
        return self.name

    @property
    def read_only(self) -> bool:
        return self.status == CampaignStatus.CLOSED


class ScreeningPlan(TownScoped):
    """A monthly full screening (每月1次全面排查): one task per grid, completion tracked per grid."""

    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="screening_plans", verbose_name=_("专项整治"))
    month = models.DateField(_("月份"), help_text=_("该月第一天。"))
    title = models.CharField(_("排查主题"), max_length=120)
    content = models.TextField(_("排查内容"), blank=True)
    task_type = models.ForeignKey(GridTaskType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("网格准入事项"))
    created_at = models.DateTimeField(_("下发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度排查计划")
        verbose_name_plural = _("月度排查计划")
        ordering = ["town", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["town", "campaign", "month"], name="events_plan_unique",
                                    condition=models.Q(campaign__isnull=False)),
            models.UniqueConstraint(fields=["town", "month", "title"], name="events_plan_unique_free",
                                    condition=models.Q(campaign__isnull=True)),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.title}"


class ScreeningTask(TownScoped):
    plan = models.ForeignKey(ScreeningPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("计划"))
    grid = models.ForeignKey("org.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("网格"))
    done = models.BooleanField(_("已完成"), default=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("完成人"))
    places_checked = models.PositiveIntegerField(_("排查点位"), default=0)
    issues_found = models.PositiveIntegerField(_("发现问题"), default=0)
    note = models.TextField(_("情况说明"), blank=True)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("网格排查任务")
        verbose_name_plural = _("网格排查任务")
        ordering = ["town", "plan", "grid__code"]
        constraints = [models.UniqueConstraint(fields=["town", "plan", "grid"], name="events_task_unique")]

    def __str__(self):
        return f"{self.plan} {self.grid}"


@coloured({"found": "danger", "ordered": "warning", "rectifying": "primary", "rectified": "info",
           "verified": "success"})
class HazardStatus(models.TextChoices):
    FOUND = "found", _("已发现")
    ORDERED = "ordered", _("已责令整改")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改待验收")
    VERIFIED = "verified", _("已验收销号")


class HazardKind(models.TextChoices):
    ROAD = "road", _("道路交通")
    FIRE = "fire", _("消防")
    GEOLOGY = "geology", _("地质灾害")
    BUILDING = "building", _("房屋建筑")
    PUBLIC_SECURITY = "public_security", _("治安")
    OTHER = "other", _("其他")


class Hazard(TownScoped):
    """隐患: found → rectification ordered (deadline) → rectifying → rectified → verified."""

    code = models.CharField(_("编号"), max_length=32)
    title = models.CharField(_("隐患名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=16, choices=HazardKind.choices, default=HazardKind.ROAD)
    description = models.TextField(_("隐患描述"))
    grid = models.ForeignKey("org.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("网格"))
    location = models.CharField(_("位置"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="hazards",
                                 verbose_name=_("专项整治"))
    operation = models.ForeignKey("JointOperation", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="hazards", verbose_name=_("发现于联合执法"))
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="hazards",
                              verbose_name=_("来源事件"))
    status = models.CharField(_("状态"), max_length=16, choices=HazardStatus.choices, default=HazardStatus.FOUND)
    found_on = models.DateField(_("发现日期"))
    responsible = models.CharField(_("整改责任单位/人"), max_length=100, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    verified_on = models.DateField(_("验收日期"), null=True, blank=True)
    overdue_mark = models.DateField(_("已记录逾期的期限"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患台账")
        ordering = ["town", "-found_on", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="events_hazard_town_code")]
        indexes = [models.Index(fields=["town", "status", "found_on"], name="events_hazard_town_status")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def overdue(self) -> bool:
        return bool(self.deadline and self.status in (HazardStatus.ORDERED, HazardStatus.RECTIFYING)
                    and self.deadline < timezone.localdate())


class HazardPhoto(TownScoped):
    class Stage(models.TextChoices):
        BEFORE = "before", _("整改前")
        AFTER = "after", _("整改后")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos", verbose_name=_("隐患"))
    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices)
    file = models.FileField(_("文件"), upload_to="hazards/%Y/%m/")
    name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("类型"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    sm3 = models.CharField(_("SM3摘要"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_grid = "hazard__grid"

    class Meta:
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")
        ordering = ["town", "hazard", "uploaded_at"]

    def __str__(self):
        return self.name


class JointOperation(TownScoped):
    """联合执法行动: date, units, staff, vehicles or places checked, hazards found, follow-ups."""

    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="operations", verbose_name=_("专项整治"))
    date = models.DateField(_("日期"))
    title = models.CharField(_("行动名称"), max_length=120)
    location = models.CharField(_("地点/路段"), max_length=200, blank=True)
    units = models.TextField(_("参与单位"), help_text=_("每行一个单位。"))
    staff_count = models.PositiveIntegerField(_("出动人数"), default=0)
    vehicles_checked = models.PositiveIntegerField(_("检查车辆"), default=0)
    places_checked = models.PositiveIntegerField(_("检查场所"), default=0)
    violations = models.PositiveIntegerField(_("查处违法行为"), default=0)
    hazards_found = models.PositiveIntegerField(_("发现隐患"), default=0)
    follow_ups = models.TextField(_("后续跟进"), blank=True)
    leader = models.CharField(_("带队人"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("联合执法行动")
        verbose_name_plural = _("联合执法行动")
        ordering = ["town", "-date"]
        indexes = [models.Index(fields=["town", "date"], name="events_operation_town_date")]

    def __str__(self):
        return f"{self.date} {self.title}"

    @property
    def unit_list(self) -> list[str]:
        return [u.strip() for u in self.units.splitlines() if u.strip()]


# --- duty roster -----------------------------------------------------------------------------------

class DutyShift(TownScoped):
    """值班: the town's duty leader (and deputy) of one day; urgent events are notified to them."""

    date = models.DateField(_("值班日期"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("值班领导"))
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("副班"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班表")
        ordering = ["town", "date"]
        constraints = [models.UniqueConstraint(fields=["town", "date"], name="events_dutyshift_town_date")]

    def __str__(self):
        return f"{self.date} {self.leader}"
