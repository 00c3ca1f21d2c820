from django.utils.translation import gettext_lazy as _

from access.roles import BUSINESS_ROLES, Role

ACTIONS = {
    # The clocks of the town's records (supervision page, clock pages, the home panel, the API).
    "clocks.view": (_("查看期限"), BUSINESS_ROLES),
    # Reference data: the calendar, the statute registry and the deadline calculator.
    "clocks.reference": (_("查阅工作日历与期限规则"), BUSINESS_ROLES | {Role.SYSADMIN}),
    "clocks.manage_calendar": (_("维护工作日历"), {Role.SYSADMIN}),
    "clocks.override": (_("调整期限默认值"), {Role.LEADER, Role.LEGAL_REVIEWER}),
    # Pause, resume or extend a clock from the clock page (approval is a separate check).
    "clocks.operate": (_("暂停、恢复或延长期限"), {Role.LEADER, Role.DISPATCHER}),
    "clocks.approve_extension": (_("批准延长期限"), {Role.LEADER, Role.SECTOR_LEAD}),
}
