"""Home-page panels. Each app lists them in ``<app>/panels.py``::

    PANELS = [Panel(key="org_overview", title=_("组织概况"), template="org/panels/overview.html",
                    context=overview_context, roles={Role.LEADER, Role.DISPATCHER}, order=10)]

``context(request)`` returns the panel's template context; keep it to one or two queries and declare
them in ``queries``. The home page renders panels inline, in order, while their declared queries fit in
``settings.FAZHI_HOME_PANEL_QUERIES`` (so the page stays within 10 queries however many modules add
panels); the rest load themselves through ``core:panel`` (htmx), each within its own budget.
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
    queries: int = 2  # the most queries context() + template may run (0 for a shell that loads itself)


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


def get_panel(key: str) -> Panel | None:
    return next((p for p in all_panels() if p.key == key), None)


def layout(panels: list[Panel], budget: int) -> list[tuple[Panel, bool]]:
    """``(panel, inline)`` in order: inline while the declared queries fit in ``budget``, then lazy."""
    spent, out, overflow = 0, [], False
    for panel in panels:
        inline = not overflow and spent + panel.queries <= budget
        if inline:
            spent += panel.queries
        else:
            overflow = True  # keep the order stable: everything after the first lazy panel is lazy too
        out.append((panel, inline))
    return out
