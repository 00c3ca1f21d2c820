from django.utils.translation import gettext_lazy as _

from access.roles import Role

ACTIONS = {
    # The audit administrator (安全审计员) reads and exports the whole log of the town; changes nothing.
    "audit.view": (_("查阅审计日志"), {Role.AUDITOR}),
    "audit.export": (_("导出审计日志"), {Role.AUDITOR}),
    "audit.verify": (_("校验审计链"), {Role.AUDITOR}),
    # The security administrator sees security events only (logins, failures, lockouts, accounts, roles).
    "audit.view_security": (_("查阅安全事件"), {Role.SECADMIN, Role.AUDITOR}),
}
