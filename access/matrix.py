"""The URL × role access matrix. Each app lists every URL name it serves in ``<app>/access_matrix.py``::

    from access.matrix import Entry, PUBLIC
    from access.roles import BUSINESS_ROLES, Role

    MATRIX = {
        "org:village_list": Entry(allowed=BUSINESS_ROLES),
        "org:village_detail": Entry(allowed=BUSINESS_ROLES, kwargs=lambda town: {"pk": VillageFactory(town=town).pk}),
        "org:village_create": Entry(allowed={Role.DISPATCHER, Role.LEADER}),
        "org:handover_fire": Entry(allowed={...}, method="post", kwargs=...),
        "portal:home": PUBLIC,
    }

``tests/test_url_access.py`` resolves every URL pattern of the project, fails when one has no entry,
and checks for each role (and anonymous):

- anonymous → redirect to the login page (public entries: 200);
- a role in ``allowed`` → a status in ``ok`` for an object of the user's own town, and 404 for the
  same kind of object built in another town (when ``kwargs`` is given);
- any other role → 403.

``kwargs(town)`` builds what the URL needs inside ``town`` and returns the URL kwargs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    allowed: frozenset = field(default_factory=frozenset)
    kwargs: Callable | None = None
    method: str = "get"
    ok: tuple = (200,)
    public: bool = False
    data: dict | None = None  # POST body
    # District-level users can see other towns of their district: skip the 404 check for them.
    out_of_scope_404: bool = True
    skip_reason: str = ""  # a URL the walker cannot call meaningfully (say why); still must be listed

    def __post_init__(self):
        object.__setattr__(self, "allowed", frozenset(self.allowed))


PUBLIC = Entry(public=True)
