"""The navigation mirrors 一中心四板块一网格. Each app lists its pages in ``<app>/nav.py``::

    NAV = [
        NavItem(section="grid", label=_("网格地图"), url_name="org:grid_map", icon="map",
                action="org.view", order=20),
    ]

An item shows only to users whose roles grant ``action`` (see ``access.policy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SECTIONS = [
    ("centre", _("一中心"), "broadcast"),
    ("sectors", _("四板块"), "grid-3x2-gap"),
    ("grid", _("一网格"), "geo-alt"),
    ("org", _("组织架构"), "diagram-3"),
    ("system", _("系统与审计"), "gear"),
]


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    icon: str = "circle"
    action: str = ""
    order: int = 100


_ITEMS: list[NavItem] | None = None


def items() -> list[NavItem]:
    global _ITEMS
    if _ITEMS is None:
        collected = []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.nav")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.nav":
                    raise
                continue
            collected.extend(getattr(module, "NAV", []))
        _ITEMS = sorted(collected, key=lambda i: (i.order, str(i.label)))
    return _ITEMS


def menu_for(user, current_path: str = "") -> list[dict]:
    """The sidebar for this user; the one entry whose URL is the longest prefix of the path is active."""
    from access.scope import can

    sections = []
    for code, label, icon in SECTIONS:
        entries = []
        for item in items():
            if item.section != code or (item.action and not can(user, item.action)):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
        if entries:
            sections.append({"code": code, "label": label, "icon": icon, "items": entries})
    matches = [e for s in sections for e in s["items"]
               if current_path and e["url"] != "/" and current_path.startswith(e["url"])]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    return sections
