from access.matrix import Entry
from access.roles import Role

ALL = frozenset(Role)

MATRIX = {
    "notify:inbox": Entry(allowed=ALL),
    "notify:mark_all_read": Entry(allowed=ALL, method="post", ok=(302,)),
}
