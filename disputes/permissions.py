"""Who may do what with disputes and petitions. Scope (which rows) is decided by ``restrict()``: grid
workers with a grid-scoped grant see their grid's leads and disputes."""

from django.utils.translation import gettext_lazy as _

from access.roles import Role

R = Role
MEDIATORS = {R.POST_HOLDER, R.SECTOR_LEAD}
READERS = MEDIATORS | {R.DISPATCHER, R.LEADER, R.GRID_WORKER, R.DISTRICT_SUPERVISOR}
STATS = {R.LEADER, R.DISPATCHER, R.SECTOR_LEAD, R.DISTRICT_SUPERVISOR}
PETITION_HANDLERS = {R.POST_HOLDER, R.SECTOR_LEAD, R.DISPATCHER}
PETITION_READERS = PETITION_HANDLERS | {R.LEADER, R.DISTRICT_SUPERVISOR}

ACTIONS = {
    "disputes.view": (_("查看矛盾纠纷"), READERS),
    "disputes.lead_report": (_("登记矛盾纠纷线索"), MEDIATORS | {R.GRID_WORKER, R.DISPATCHER, R.LEADER}),
    "disputes.screening": (_("矛盾纠纷排查"), MEDIATORS | {R.GRID_WORKER}),
    "disputes.mediate": (_("调处矛盾纠纷（登记、调解、协议、回访）"), MEDIATORS),
    "disputes.close": (_("审核归档调解案卷"), {R.SECTOR_LEAD, R.LEADER}),
    "disputes.contact": (_("查看当事人联系方式"), MEDIATORS | {R.LEADER}),
    "disputes.committee_manage": (_("管理人民调解组织与调解员"), {R.SECTOR_LEAD, R.LEADER}),
    "disputes.settings": (_("设置矛盾纠纷预警期与风险分级标准"), {R.SECTOR_LEAD, R.LEADER}),
    "disputes.stats": (_("矛盾纠纷与信访统计"), STATS),
    "disputes.export": (_("导出矛盾纠纷与信访台账"), STATS | MEDIATORS),
    "disputes.petition_view": (_("查看信访事项"), PETITION_READERS),
    "disputes.petition_handle": (_("登记、办理信访事项"), PETITION_HANDLERS),
}
