"""Who may do what in 综合行政执法. Rows are narrowed to the user's town by ``restrict()``."""

from django.utils.translation import gettext_lazy as _

from access.roles import Role

R = Role
OFFICERS = {R.ENFORCEMENT_OFFICER}
READERS = {R.ENFORCEMENT_OFFICER, R.LEGAL_REVIEWER, R.LEADER, R.DISPATCHER, R.DISTRICT_SUPERVISOR}
CASE_READERS = {R.ENFORCEMENT_OFFICER, R.LEGAL_REVIEWER, R.LEADER, R.DISTRICT_SUPERVISOR}

ACTIONS = {
    "enforcement.view": (_("查看执法事项与执法人员"), READERS),
    "enforcement.manage": (_("维护执法事项清单与执法人员"), {R.LEADER, R.LEGAL_REVIEWER}),
    "enforcement.case_view": (_("查看执法案件"), CASE_READERS),
    "enforcement.case_open": (_("登记案源"), OFFICERS | {R.DISPATCHER}),
    "enforcement.case_handle": (_("办理执法案件（调查、告知、送达、执行）"), OFFICERS),
    "enforcement.case_approve": (_("审批立案、处罚决定与归档"), {R.LEADER}),
    "enforcement.legal_review": (_("法制审核"), {R.LEGAL_REVIEWER}),
    "enforcement.collective": (_("集体讨论"), {R.LEADER}),
    "enforcement.party_data": (_("查看当事人身份信息"), OFFICERS | {R.LEGAL_REVIEWER, R.LEADER}),
    "enforcement.export": (_("导出执法台账与卷宗"), CASE_READERS),
    "enforcement.publish": (_("执法公示（撤回）"), {R.LEADER}),
}
