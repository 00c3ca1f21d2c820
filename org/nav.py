from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    # 四板块: the sectors and their posts
    NavItem(section="sectors", label=_("板块与岗位"), url_name="org:sector_list", icon="grid-3x2-gap",
            action="org.view", order=10),
    NavItem(section="sectors", label=_("岗位清单"), url_name="org:position_list", icon="person-badge",
            action="org.view", order=11),
    # 一网格
    NavItem(section="grid", label=_("网格地图"), url_name="org:grid_map", icon="map", action="org.view", order=20),
    NavItem(section="grid", label=_("网格"), url_name="org:grid_list", icon="bounding-box", action="org.view",
            order=21),
    NavItem(section="grid", label=_("微网格"), url_name="org:microgrid_list", icon="grid-3x3",
            action="org.view", order=22),
    # 组织架构
    NavItem(section="org", label=_("组织概况"), url_name="org:overview", icon="diagram-3", action="org.view",
            order=30),
    NavItem(section="org", label=_("组织架构图"), url_name="org:chart", icon="diagram-2", action="org.view",
            order=31),
    NavItem(section="org", label=_("村(社区)"), url_name="org:village_list", icon="houses", action="org.view",
            order=32),
    NavItem(section="org", label=_("工作人员"), url_name="org:staff_list", icon="people", action="org.view",
            order=33),
    NavItem(section="org", label=_("企业与联系干部"), url_name="org:enterprise_list", icon="building",
            action="org.view", order=34),
    NavItem(section="org", label=_("Excel 导入"), url_name="org:import_index", icon="file-earmark-spreadsheet",
            action="org.import", order=35),
    NavItem(section="org", label=_("镇街设置"), url_name="org:town_settings", icon="sliders",
            action="org.town_settings", order=36),
]
