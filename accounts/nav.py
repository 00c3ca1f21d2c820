from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    NavItem(section="system", label=_("用户与角色"), url_name="accounts:user_list", icon="people",
            action="accounts.view_users", order=5),
]
