"""文书: kinds (town-independent), DOCX templates per town (versioned), numbering, rendered instruments.

A number reads "清镇罚决〔2026〕3号": the town's abbreviation, the kind's abbreviation, the year in 〔〕
and the serial number followed by 号 (GB/T 9704-2012 7.2.5: full year, no leading zeros, no 第).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import TownScoped


class InstrumentKind(models.Model):
    """A kind of instrument (通知, 岗位交接单, 行政处罚决定书 …). The same for every town."""

    class Category(models.TextChoices):
        GENERAL = "general", _("通用公文")
        ORG = "org", _("组织管理")
        ENFORCEMENT = "enforcement", _("行政执法")
        OTHER = "other", _("其他")

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    abbreviation = models.CharField(_("编号简称"), max_length=16, blank=True,
                                    help_text=_("用于文书编号，如“罚决”；编号形如“清镇罚决〔2026〕3号”。"))
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.GENERAL)
    numbered = models.BooleanField(_("编号"), default=True, help_text=_("笔录、审批表等不编号的文书取消勾选。"))
    template_file = models.CharField(_("默认模板文件"), max_length=128, blank=True,
                                     help_text=_("instruments/templates_docx/ 下随系统提供的模板文件名。"))
    description = models.TextField(_("说明"), blank=True)
    basis = models.CharField(_("依据"), max_length=128, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("文书种类")
        verbose_name_plural = _("文书种类")
        ordering = ["category", "order", "code"]

    def __str__(self):
        return self.name


def template_upload_to(instance, filename):
    return f"instruments/templates/{instance.town.code}/{instance.kind.code}-v{instance.version}.docx"


class InstrumentTemplate(TownScoped):
    """A town's own version of a kind's DOCX template, edited in Word and uploaded. Versions are kept."""

    kind = models.ForeignKey(InstrumentKind, on_delete=models.PROTECT, related_name="templates",
                             verbose_name=_("文书种类"))
    version = models.PositiveIntegerField(_("版本"))
    file = models.FileField(_("模板文件"), upload_to=template_upload_to, max_length=255)
    sm3 = models.CharField(_("SM3 摘要"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    note = models.CharField(_("修改说明"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("上传人"))

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["town", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["town", "kind", "version"], name="instruments_template_version"),
        ]

    def __str__(self):
        return f"{self.kind} v{self.version}"


class NumberSequence(TownScoped):
    """The last number given for one kind in one town and year. Locked (select_for_update) by each render."""

    kind = models.ForeignKey(InstrumentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("文书种类"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("文书编号序列")
        verbose_name_plural = _("文书编号序列")
        constraints = [
            models.UniqueConstraint(fields=["town", "kind", "year"], name="instruments_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.town_id}/{self.kind_id}/{self.year}: {self.last}"


class Instrument(TownScoped):
    """One rendered instrument: the DOCX (and PDF when LibreOffice is present), with their SM3 digests."""

    kind = models.ForeignKey(InstrumentKind, on_delete=models.PROTECT, related_name="instruments",
                             verbose_name=_("文书种类"))
    number = models.CharField(_("文书编号"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("所属记录类型"))
    object_id = models.CharField(_("所属记录编号"), max_length=64, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("所属记录"), max_length=255, blank=True)
    file = models.FileField(_("文件"), max_length=255)
    sm3 = models.CharField(_("SM3 摘要"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    template_label = models.CharField(_("所用模板"), max_length=64, blank=True)
    template_sm3 = models.CharField(_("模板摘要"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), db_index=True)
    rendered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("生成人"))
    pdf = models.FileField(_("PDF 文件"), max_length=255, blank=True, null=True)
    pdf_sm3 = models.CharField(_("PDF 摘要"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("版次"), default=1)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["town", "-rendered_at"]
        constraints = [
            models.UniqueConstraint(fields=["town", "number", "version"], condition=~Q(number=""),
                                    name="instruments_number_version"),
        ]
        indexes = [
            models.Index(fields=["town", "kind", "year"], name="instruments_town_kind_year"),
            models.Index(fields=["town", "content_type", "object_id"], name="instruments_town_record"),
            models.Index(fields=["town", "rendered_at"], name="instruments_town_rendered"),
        ]

    def __str__(self):
        return self.number or self.title or str(self.kind)

    @property
    def display_name(self) -> str:
        base = self.number or self.title or self.kind.name
        return f"{base}（第{self.version}版）" if self.version > 1 else base

    @property
    def download_name(self) -> str:
        name = self.number or f"{self.kind.name}-{self.pk}"
        return f"{name}-v{self.version}" if self.version > 1 else name
