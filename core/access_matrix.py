from access.matrix import Entry
from access.roles import Role

ALL = frozenset(Role)

MATRIX = {
    "core:home": Entry(allowed=ALL),
    "core:healthz": Entry(public=True),
}
