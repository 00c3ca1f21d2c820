"""Home-page panels. Each app lists them in ``<app>/panels.py``::

    PANELS = [Panel(key="org_overview", title=_("组织概况"), template="org/panels/overview.html",
                    context=overview_context, roles={Role.LEADER, Role.DISPATCHER}, order=10)]

``context(request)`` returns the panel's template context; keep it to one or two queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable
    roles: frozenset = field(default_factory=frozenset)
    order: int = 100
    width: str = "col-12 col-lg-6"


_PANELS: list[Panel] | None = None


def all_panels() -> list[Panel]:
    global _PANELS
    if _PANELS is None:
        found = []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.panels")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.panels":
                    raise
                continue
            found.extend(getattr(module, "PANELS", []))
        _PANELS = sorted(found, key=lambda p: p.order)
    return _PANELS


def panels_for(roles: set) -> list[Panel]:
    return [p for p in all_panels() if not p.roles or (set(p.roles) & roles)]
