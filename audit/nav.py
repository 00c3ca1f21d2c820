from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    NavItem(section="system", label=_("审计日志"), url_name="audit:entry_list", icon="journal-text",
            action="audit.view", order=10),
    NavItem(section="system", label=_("安全事件"), url_name="audit:security_list", icon="shield-lock",
            action="audit.view_security", order=20),
    NavItem(section="system", label=_("审计链校验"), url_name="audit:verification_list", icon="shield-check",
            action="audit.view", order=30),
]
