from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    NavItem(section="sectors", label=_("执法案件"), url_name="enforcement:cases", icon="briefcase",
            action="enforcement.case_view", order=30),
    NavItem(section="sectors", label=_("执法事项清单"), url_name="enforcement:matters", icon="journal-text",
            action="enforcement.view", order=32),
    NavItem(section="sectors", label=_("执法人员"), url_name="enforcement:officers", icon="person-badge",
            action="enforcement.view", order=34),
    NavItem(section="sectors", label=_("双随机检查"), url_name="enforcement:plans", icon="shuffle",
            action="enforcement.view", order=35),
    NavItem(section="sectors", label=_("执法监督"), url_name="enforcement:supervision", icon="clipboard-data",
            action="enforcement.case_view", order=36),
]
