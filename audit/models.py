from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One append-only entry of the 全过程记录, chained to the previous one by HMAC-SM3.

    Nothing updates or deletes an entry: the model refuses it, and on PostgreSQL a trigger does too.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=255, blank=True)
    town = models.ForeignKey("org.Town", null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+", verbose_name=_("镇街"))
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    client_ip = models.CharField(_("客户端地址"), max_length=64, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, blank=True)
    files = models.JSONField(_("文件摘要"), default=list, blank=True)
    prev_hash = models.CharField(_("前序摘要"), max_length=64)
    hash = models.CharField(_("本条摘要"), max_length=64)

    scope_town = "town"

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["town", "at"], name="audit_town_at"),
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object"),
            # Keyset pagination of one town's log and look-ups by request id (auditor pages, 1M+ rows).
            models.Index(fields=["town", "seq"], name="audit_town_seq"),
            models.Index(fields=["request_id"], name="audit_request"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")


class AuditChainHead(models.Model):
    """The single row holding the last sequence number and hash; locked by each writer."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class Verification(models.Model):
    """One run of the chain verification (``manage.py audit_verify`` or the daily task).

    Not part of the chain itself: it tells auditors when the chain was last checked and what was found.
    """

    class Result(models.TextChoices):
        INTACT = "intact", _("完整")
        BROKEN = "broken", _("发现异常")

    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    finished_at = models.DateTimeField(_("结束时间"))
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices)
    entries_checked = models.PositiveBigIntegerField(_("校验记录数"), default=0)
    files_checked = models.PositiveIntegerField(_("校验文件数"), default=0)
    last_seq = models.BigIntegerField(_("校验至序号"), default=0)
    first_bad_seq = models.BigIntegerField(_("首个异常序号"), null=True, blank=True)
    problem = models.TextField(_("异常说明"), blank=True)
    channel = models.CharField(_("渠道"), max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("发起人"))

    class Meta:
        verbose_name = _("审计链校验")
        verbose_name_plural = _("审计链校验")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_result_display()}"

    @property
    def ok(self) -> bool:
        return self.result == self.Result.INTACT
