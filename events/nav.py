from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    NavItem(section="centre", label=_("调度台"), url_name="events:board", icon="broadcast-pin",
            action="events.board", order=10),
    NavItem(section="centre", label=_("事件台账"), url_name="events:list", icon="list-task",
            action="events.board", order=12),
    NavItem(section="centre", label=_("事件地图"), url_name="events:map", icon="map", action="events.board", order=14),
    NavItem(section="centre", label=_("事件统计"), url_name="events:stats", icon="bar-chart", action="events.stats",
            order=16),
    NavItem(section="centre", label=_("专项整治"), url_name="events:campaigns", icon="flag",
            action="events.campaign_manage", order=20),
    NavItem(section="centre", label=_("隐患台账"), url_name="events:hazards", icon="cone-striped",
            action="events.hazard_manage", order=22),
    NavItem(section="centre", label=_("联合执法"), url_name="events:operations", icon="shield-check",
            action="events.operation_manage", order=24),
    NavItem(section="centre", label=_("值班表"), url_name="events:duty", icon="calendar-week",
            action="events.duty_plan", order=26),
    NavItem(section="centre", label=_("事件配置"), url_name="events:categories", icon="sliders",
            action="events.configure", order=90),
    NavItem(section="sectors", label=_("我的待办"), url_name="events:my_tasks", icon="inbox",
            action="events.my_tasks", order=10),
    NavItem(section="sectors", label=_("事件台账"), url_name="events:list", icon="list-task",
            action="events.my_tasks", order=12),
    NavItem(section="grid", label=_("我的网格"), url_name="events:my_grid", icon="phone", action="events.my_grid",
            order=10),
    NavItem(section="grid", label=_("上报事件"), url_name="events:report", icon="camera", action="events.my_grid",
            order=12),
    NavItem(section="grid", label=_("隐患台账"), url_name="events:hazards", icon="cone-striped",
            action="events.my_grid", order=30),
]
