from django.utils.translation import gettext_lazy as _

LABELS = {
    "audit.read": _("查阅审计日志"),
    "audit.read_entry": _("查阅审计记录"),
    "audit.read_security": _("查阅安全事件"),
    "audit.export": _("导出审计日志"),
    "audit.verify": _("校验审计链"),
    "audit.verify_request": _("发起审计链校验"),
}
LABELS["audit.archive"] = _("归档审计日志（副本）")
