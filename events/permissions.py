"""Who may do what with events. Scope (which rows) is decided by ``restrict()``: grid workers with a
grid-scoped grant see their grid, post holders with a sector-scoped grant their sector."""

from django.utils.translation import gettext_lazy as _

from access.roles import Role

R = Role
CENTRE = {R.DISPATCHER, R.LEADER}
HANDLERS = {R.POST_HOLDER, R.SECTOR_LEAD, R.ENFORCEMENT_OFFICER}
READERS = CENTRE | HANDLERS | {R.GRID_WORKER, R.DISTRICT_SUPERVISOR}

ACTIONS = {
    "events.view": (_("查看事件"), READERS),
    "events.report": (_("登记上报事件"), {R.GRID_WORKER, R.DISPATCHER, R.LEADER}),
    "events.board": (_("指挥中心调度台"), CENTRE | {R.DISTRICT_SUPERVISOR}),
    "events.triage": (_("受理事件"), CENTRE),
    "events.dispatch": (_("分拨、改派、上报区县"), CENTRE),
    "events.verify": (_("核查、结案"), {R.DISPATCHER}),
    "events.reopen": (_("重启事件"), CENTRE),
    "events.pin": (_("重点置顶"), CENTRE),
    "events.handle": (_("办理分拨事件"), HANDLERS),
    "events.my_tasks": (_("我的待办"), HANDLERS),
    "events.my_grid": (_("我的网格"), {R.GRID_WORKER}),
    "events.settle": (_("就地处置"), {R.GRID_WORKER}),
    "events.escalate": (_("逐级上报"), {R.GRID_WORKER, R.DISPATCHER, R.LEADER}),
    "events.supervise": (_("督办"), {R.LEADER}),
    "events.stats": (_("事件统计"), CENTRE | {R.SECTOR_LEAD, R.DISTRICT_SUPERVISOR}),
    "events.export": (_("导出事件台账"), CENTRE | {R.SECTOR_LEAD, R.DISTRICT_SUPERVISOR}),
    "events.contact": (_("查看反映人联系方式"), CENTRE | HANDLERS),
    "events.configure": (_("维护分类、分拨规则与准入事项"), CENTRE),
    "events.api_keys": (_("管理接入密钥"), {R.DISPATCHER}),
    "events.campaign_view": (_("查看专项整治"), READERS),
    "events.campaign_manage": (_("管理专项整治与排查计划"), CENTRE | {R.SECTOR_LEAD}),
    "events.screening": (_("完成网格排查任务"), {R.GRID_WORKER, R.DISPATCHER}),
    "events.hazard_view": (_("查看隐患台账"), READERS),
    "events.hazard_report": (_("登记隐患"), {R.GRID_WORKER, R.DISPATCHER, R.SECTOR_LEAD, R.ENFORCEMENT_OFFICER}),
    "events.hazard_manage": (_("责令整改、验收隐患"), CENTRE | {R.SECTOR_LEAD}),
    "events.hazard_rectify": (_("登记隐患整改"), HANDLERS | {R.DISPATCHER}),
    "events.duty_view": (_("查看值班表"), CENTRE | HANDLERS | {R.DISTRICT_SUPERVISOR}),
    "events.duty_plan": (_("编排值班表"), CENTRE),
    "events.operation_view": (_("查看联合执法行动"), READERS),
    "events.operation_manage": (_("登记联合执法行动"), CENTRE | {R.SECTOR_LEAD, R.ENFORCEMENT_OFFICER}),
}
