from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("平台")

    def ready(self):
        from . import checks  # noqa: F401  (system checks: SM3 available, durability settings)
