from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.roles import THREE_OFFICERS, Role
from access.scope import can, restrict
from core.panels import Panel


def accounts_summary(request):
    """Two queries: one aggregate over the town's accounts (joined once to their grants), one for 三员兼任."""
    users = restrict(request.user, "accounts.view_users", get_user_model())
    now = timezone.now()
    officers = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
    counts = users.aggregate(
        active=Count("pk", distinct=True, filter=Q(is_active=True)),
        inactive=Count("pk", distinct=True, filter=Q(is_active=False)),
        locked=Count("pk", distinct=True, filter=Q(locked_until__gt=now)),
        must_change=Count("pk", distinct=True, filter=Q(must_change_password=True)),
        no_role=Count("pk", distinct=True, filter=Q(grants__isnull=True, is_active=True)),
        **{role.value: Count("pk", distinct=True, filter=Q(grants__role=role)) for role in officers},
    )
    violations = (users.annotate(officer=Count("grants", filter=Q(grants__role__in=THREE_OFFICERS)),
                                 roles=Count("grants__role", distinct=True))
                  .filter(officer__gt=0, roles__gt=1).count())
    return {**counts, "violations": violations, "show_security": can(request.user, "audit.view_security"),
            "officers": [(role.label, counts[role.value]) for role in officers]}


PANELS = [
    Panel(key="accounts_summary", title=_("账号与角色"), template="accounts/panels/summary.html",
          context=accounts_summary, roles={Role.SECADMIN, Role.SYSADMIN}, order=10),
]
