from django.utils.translation import gettext_lazy as _

from access.roles import BUSINESS_ROLES
from core.panels import Panel


def _context(request):
    from .views import panel_context

    return panel_context(request)


PANELS = [
    Panel(key="clocks_due", title=_("即将到期与逾期"), template="clocks/panels/due.html", context=_context,
          roles=BUSINESS_ROLES, order=15),
]
