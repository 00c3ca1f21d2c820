from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    NavItem(section="sectors", label=_("矛盾纠纷"), url_name="disputes:list", icon="people", action="disputes.view",
            order=30),
    NavItem(section="sectors", label=_("纠纷线索"), url_name="disputes:leads", icon="search", action="disputes.view",
            order=31),
    NavItem(section="sectors", label=_("矛盾排查"), url_name="disputes:screening", icon="clipboard-check",
            action="disputes.screening", order=32),
    NavItem(section="sectors", label=_("人民调解组织"), url_name="disputes:committees", icon="diagram-3",
            action="disputes.mediate", order=33),
    NavItem(section="sectors", label=_("信访事项"), url_name="disputes:petitions", icon="envelope-paper",
            action="disputes.petition_view", order=34),
    NavItem(section="sectors", label=_("纠纷信访统计"), url_name="disputes:stats", icon="pie-chart",
            action="disputes.stats", order=35),
    NavItem(section="sectors", label=_("纠纷预警设置"), url_name="disputes:settings", icon="sliders",
            action="disputes.settings", order=36),
    NavItem(section="grid", label=_("上报纠纷线索"), url_name="disputes:lead_new", icon="chat-square-dots",
            action="events.my_grid", order=14),
]
