from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    NavItem(section="centre", label=_("期限督办"), url_name="clocks:supervision", icon="alarm",
            action="clocks.view", order=40),
    NavItem(section="centre", label=_("期限计算器"), url_name="clocks:calculator", icon="calculator",
            action="clocks.reference", order=41),
    NavItem(section="system", label=_("工作日历"), url_name="clocks:calendar", icon="calendar3",
            action="clocks.reference", order=60),
    NavItem(section="system", label=_("法定期限规则"), url_name="clocks:rules", icon="journal-bookmark",
            action="clocks.reference", order=61),
]
