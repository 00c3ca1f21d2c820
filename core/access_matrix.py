from access.matrix import Entry
from access.roles import BUSINESS_ROLES, Role

ALL = frozenset(Role)

MATRIX = {
    "core:home": Entry(allowed=ALL),
    "core:healthz": Entry(public=True),
    # A panel answers only the roles it is for (the clocks panel: every business role).
    "core:panel": Entry(allowed=BUSINESS_ROLES, kwargs=lambda town: {"key": "clocks_due"}, out_of_scope_404=False),
}
