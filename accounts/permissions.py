from django.utils.translation import gettext_lazy as _

from access.roles import Role

# 三员: the system administrator runs accounts; the security administrator grants roles
# ("access.manage_roles" in access/permissions.py). Both see the account list, neither sees business data.
ACTIONS = {
    "accounts.view_users": (_("查看用户账号"), {Role.SYSADMIN, Role.SECADMIN}),
    "accounts.export_users": (_("导出用户账号"), {Role.SYSADMIN, Role.SECADMIN}),
    "accounts.create_user": (_("新建用户账号"), {Role.SYSADMIN}),
    "accounts.reset_password": (_("重置用户密码"), {Role.SYSADMIN}),
    "accounts.set_active": (_("停用/启用用户账号"), {Role.SYSADMIN}),
    "accounts.unlock": (_("解除账号锁定"), {Role.SYSADMIN}),
}
