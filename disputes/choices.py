"""Status values of the disputes module (coloured for badges)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.procedure import coloured


@coloured({"planned": "secondary", "done": "success"})
class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("待排查")
    DONE = "done", _("已排查")


@coloured({"open": "warning", "converted": "success", "dismissed": "secondary"})
class LeadStatus(models.TextChoices):
    OPEN = "open", _("待研判")
    CONVERTED = "converted", _("已登记为纠纷")
    DISMISSED = "dismissed", _("已排除")


@coloured({"registered": "secondary", "mediating": "primary", "signing": "info", "performing": "warning",
           "visited": "info", "terminated": "dark", "refused": "dark", "closed": "success"})
class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记（征求调解意愿）")
    MEDIATING = "mediating", _("调解中")
    SIGNING = "signing", _("协议待签署生效")
    PERFORMING = "performing", _("协议履行中")
    VISITED = "visited", _("已回访")
    TERMINATED = "terminated", _("已终止调解")
    REFUSED = "refused", _("当事人拒绝调解")
    CLOSED = "closed", _("已归档")


class AgreementKind(models.TextChoices):
    WRITTEN = "written", _("书面协议")
    ORAL = "oral", _("口头协议")


@coloured({"registered": "secondary", "accepted": "primary", "diverted": "info", "answered": "warning",
           "reviewing": "primary", "reviewed": "warning", "rechecking": "primary", "rechecked": "success",
           "closed": "success"})
class PetitionStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ACCEPTED = "accepted", _("已受理（办理中）")
    DIVERTED = "diverted", _("已导入法定途径")
    ANSWERED = "answered", _("已出具处理意见")
    REVIEWING = "reviewing", _("复查中")
    REVIEWED = "reviewed", _("已复查")
    RECHECKING = "rechecking", _("复核中")
    RECHECKED = "rechecked", _("已复核（终结）")
    CLOSED = "closed", _("已办结")
