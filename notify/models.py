from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification for one user (reminders from clocks, assignments, alerts)."""

    class Level(models.TextChoices):
        INFO = "info", _("提示")
        WARNING = "warning", _("预警")
        DANGER = "danger", _("逾期/紧急")

    town = models.ForeignKey("org.Town", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("镇街"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("接收人"))
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    key = models.CharField(_("去重键"), max_length=120, blank=True,
                           help_text=_("同一接收人同一键只提醒一次，如“clock:12:due_soon”。"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    scope_town = "town"

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_recipient_unread")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~models.Q(key=""),
                                    name="notify_unique_key"),
        ]

    def __str__(self):
        return self.title
