from django.utils.translation import gettext_lazy as _

from access.roles import BUSINESS_ROLES, Role

ACTIONS = {
    # Everyone doing the town's business sees its structure (in their scope).
    "org.view": (_("查看组织架构"), BUSINESS_ROLES),
    # The command centre and the leaders maintain it.
    "org.manage": (_("维护组织架构"), {Role.DISPATCHER, Role.LEADER}),
    "org.import": (_("导入组织数据"), {Role.DISPATCHER, Role.LEADER}),
    "org.handover": (_("岗位交接"), {Role.DISPATCHER, Role.LEADER, Role.SECTOR_LEAD}),
    "org.handover_confirm": (_("确认岗位交接"), {Role.LEADER}),
    # The town's own settings (name, abbreviation used in instrument numbers, centre, boundary).
    "org.town_settings": (_("镇街设置"), {Role.LEADER}),
}
