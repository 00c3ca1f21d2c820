from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

NAV = [
    NavItem(section="system", label=_("文书"), url_name="instruments:instrument_list", icon="file-earmark-text",
            action="instruments.view", order=50),
    NavItem(section="system", label=_("文书种类与模板"), url_name="instruments:kind_list", icon="file-earmark-word",
            action="instruments.view", order=60),
]
