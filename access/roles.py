"""The roles of Fazhi. A user holds one or more roles through ``RoleGrant`` rows.

三员 (system administrator, security administrator, auditor) are mutually exclusive with each other
and with every business role (GB/T 22239-2019 level 3 §8.1.5; anchors.md §3.2).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("指挥中心调度员")
    SECTOR_LEAD = "sector_lead", _("板块负责人")
    POST_HOLDER = "post_holder", _("岗位人员")
    GRID_WORKER = "grid_worker", _("网格员")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法人员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    LEADER = "leader", _("镇领导")
    DISTRICT_SUPERVISOR = "district_supervisor", _("区县督导员")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")


THREE_OFFICERS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - THREE_OFFICERS)
DISTRICT_ROLES = frozenset({Role.DISTRICT_SUPERVISOR})
# Roles whose grant may be narrowed to a sector or a grid.
SECTOR_SCOPED = frozenset({Role.SECTOR_LEAD, Role.POST_HOLDER})
GRID_SCOPED = frozenset({Role.GRID_WORKER})
