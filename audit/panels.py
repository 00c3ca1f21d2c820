import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.roles import Role
from core.panels import Panel

from . import selectors


def chain_status(request):
    today = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    today_count, more = selectors.count_upto(
        selectors.entries_for(request.user, "audit.view").filter(at__gte=today))
    return {"verification": selectors.last_verification(), "today": today_count, "more": more}


PANELS = [
    Panel(key="audit_chain", title=_("审计链状态"), template="audit/panels/chain.html", context=chain_status,
          roles={Role.AUDITOR}, order=10),
]
