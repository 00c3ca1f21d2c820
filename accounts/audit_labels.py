from django.utils.translation import gettext_lazy as _

LABELS = {
    "accounts.login": _("登录"),
    "accounts.logout": _("退出登录"),
    "accounts.login_failed": _("登录失败"),
    "accounts.password_change": _("修改密码"),
    "accounts.password_expired": _("密码已到期，须修改"),
    "accounts.password_reset": _("重置密码"),
    "accounts.user_create": _("新建账号"),
    "accounts.user_disable": _("停用账号"),
    "accounts.user_enable": _("启用账号"),
    "accounts.user_unlock": _("解除锁定"),
    "accounts.users_export": _("导出用户账号"),
    "access.role_grant": _("授予角色"),
    "access.role_revoke": _("撤销角色"),
}
