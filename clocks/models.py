"""The working-day calendar, town overrides of configurable rule lengths, and clocks.

``CalendarDay``/``CalendarYear`` are national reference data (no town): every date of a known year has
a row with its kind. ``RuleOverride``, ``Clock`` and ``ClockEvent`` carry their town.
Only ``clocks.services`` writes any of them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.procedure import coloured
from org.models import TownScoped


@coloured({"workday": "light", "rest_day": "secondary", "holiday": "danger", "makeup_workday": "warning"})
class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    REST_DAY = "rest_day", _("休息日")
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据包")
    MANUAL = "manual", _("手工录入")
    IMPORT = "import", _("Excel导入")


class CalendarYear(models.Model):
    """One calendar year: whether its State Council schedule is entered completely."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已确认完整"), default=False,
                                   help_text=_("未确认完整的年份不能用于计算期限。"))
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices,
                              default=CalendarSource.MANUAL)
    notice_ref = models.CharField(_("通知文号"), max_length=100, blank=True,
                                  help_text=_("如“国办发明电〔2025〕7号”。"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """One date and its kind. Every date of an entered year has a row."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=64, blank=True, help_text=_("节日名称，如“国庆节”。"))
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices,
                              default=CalendarSource.MANUAL)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    @property
    def is_working(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


class RuleOverride(TownScoped):
    """A town's own length for a configurable default rule (statutes.md: "configurable default")."""

    code = models.CharField(_("规则代码"), max_length=80)
    length = models.PositiveIntegerField(_("期限长度"))
    note = models.TextField(_("说明"), blank=True, help_text=_("依据，如区县通知文号。"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限默认值调整")
        verbose_name_plural = _("期限默认值调整")
        ordering = ["town", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="clocks_override_town_code")]

    def __str__(self):
        return f"{self.code} = {self.length}"


@coloured({"running": "primary", "paused": "secondary", "met": "success", "overdue": "danger",
           "stopped": "dark", "calendar_missing": "warning"})
class ClockStatus(models.TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("已暂停")
    MET = "met", _("已完成")
    OVERDUE = "overdue", _("已逾期")
    STOPPED = "stopped", _("已终止")
    CALENDAR_MISSING = "calendar_missing", _("缺少日历")


OPEN_STATUSES = (ClockStatus.RUNNING, ClockStatus.PAUSED, ClockStatus.OVERDUE, ClockStatus.CALENDAR_MISSING)


class Clock(TownScoped):
    """A statutory period running for one record under one rule code."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("对象类型"))
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    obj = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("事项"), max_length=255, blank=True)
    object_url = models.CharField(_("事项链接"), max_length=300, blank=True)
    rule_code = models.CharField(_("规则代码"), max_length=80)
    unit = models.CharField(_("单位"), max_length=8)
    length = models.PositiveIntegerField(_("期限长度"), null=True, blank=True,
                                         help_text=_("计算时采用的长度（法定、镇街默认值或本事项）。"))
    matter_length = models.PositiveIntegerField(_("本事项期限"), null=True, blank=True,
                                                help_text=_("法律另有规定时按事项给出的长度。"))
    start_date = models.DateField(_("起算日"))
    start_at = models.DateTimeField(_("起算时刻"), null=True, blank=True)
    due_date = models.DateField(_("届满日"), null=True, blank=True)
    due_at = models.DateTimeField(_("届满时刻"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ClockStatus.choices, default=ClockStatus.RUNNING)
    missing_year = models.PositiveSmallIntegerField(_("缺少日历的年份"), null=True, blank=True)
    paused_since = models.DateField(_("暂停日"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("暂停扣除天数"), default=0,
                                              help_text=_("暂停期间不计入的计数日（工作日或自然日）。"))
    pause_reason = models.CharField(_("暂停原因"), max_length=255, blank=True)
    extensions_used = models.PositiveSmallIntegerField(_("已延长次数"), default=0)
    extended_by = models.PositiveIntegerField(_("延长长度"), default=0)
    extension_approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("延长批准人"))
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_notice = models.CharField(_("告知当事人情况"), max_length=255, blank=True)
    restarted_from = models.DateField(_("原起算日"), null=True, blank=True,
                                      help_text=_("重新计算前的起算日。"))
    met_at = models.DateField(_("完成日"), null=True, blank=True)
    steps = models.JSONField(_("计算说明"), default=list, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["town", "status", "due_date"], name="clocks_clock_town_status_due"),
            models.Index(fields=["town", "content_type", "object_id"], name="clocks_clock_town_object"),
            models.Index(fields=["town", "rule_code"], name="clocks_clock_town_rule"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "content_type", "object_id", "rule_code"],
                condition=Q(status__in=["running", "paused", "overdue", "calendar_missing"]),
                name="clocks_one_open_clock_per_rule",
            ),
        ]

    def __str__(self):
        from . import registry

        rule = registry.find(self.rule_code)
        title = rule.title if rule else self.rule_code
        return f"{title} · {self.object_repr}" if self.object_repr else title

    @property
    def rule(self):
        from . import registry

        return registry.find(self.rule_code)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_left(self, today=None) -> int | None:
        """Natural days from today to the due date (negative when overdue); None without a due date."""
        from django.utils import timezone

        if self.due_date is None:
            return None
        return (self.due_date - (today or timezone.localdate())).days


class ClockEvent(TownScoped):
    """One event in a clock's life. Crossings (due_soon, overdue) are written once per due date."""

    class Kind(models.TextChoices):
        STARTED = "started", _("开始计时")
        PAUSED = "paused", _("暂停")
        RESUMED = "resumed", _("恢复计时")
        RESTARTED = "restarted", _("重新计算")
        EXTENDED = "extended", _("延长")
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("逾期")
        MET = "met", _("按期完成/完成")
        STOPPED = "stopped", _("终止")
        RECOMPUTED = "recomputed", _("重新计算届满日")

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events", verbose_name=_("期限"))
    kind = models.CharField(_("事件"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    on_date = models.DateField(_("日期"))
    due_date = models.DateField(_("当时届满日"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("期限事件")
        verbose_name_plural = _("期限事件")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["town", "kind", "on_date"], name="clocks_event_town_kind_date")]
        constraints = [
            models.UniqueConstraint(fields=["town", "clock", "kind", "due_date"],
                                    condition=Q(kind__in=["due_soon", "overdue"]),
                                    name="clocks_event_crossing_once"),
        ]

    def __str__(self):
        return f"{self.clock_id} {self.kind} {self.on_date}"
