from access.matrix import Entry
from access.roles import Role

ALL = frozenset(Role)

MATRIX = {
    "notify:inbox": Entry(allowed=ALL),
    "notify:mark_all_read": Entry(allowed=ALL, method="post", ok=(302,)),
    # A notification belongs to one user, not to a town: the walker's users cannot own it.
    # notify/tests/test_views.py checks owner → 302, anyone else (same town included) → 404.
    "notify:open": Entry(allowed=ALL, method="post", ok=(302,),
                         skip_reason="personal object: covered by notify/tests/test_views.py"),
}
