from django.utils.translation import gettext_lazy as _

from .roles import Role

ACTIONS = {
    "access.manage_roles": (_("管理角色与授权"), {Role.SECADMIN}),
    "access.manage_users": (_("管理用户账号"), {Role.SYSADMIN, Role.SECADMIN}),
}
