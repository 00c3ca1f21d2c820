"""Permission as data: which roles may perform which action.

Each app declares its actions in ``<app>/permissions.py`` as ``ACTIONS = {code: (label, roles)}``;
``access`` loads them all at start-up. An action code is ``"<app>.<verb>"`` (``"org.view"``).
A role that is not listed gets 403. Scope (which rows) is decided separately by ``restrict()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise

from .roles import Role


@dataclass(frozen=True)
class Action:
    code: str
    label: str | Promise
    roles: frozenset


_REGISTRY: dict[str, Action] = {}
_LOADED = False


def register(code: str, label, roles) -> None:
    _REGISTRY[code] = Action(code=code, label=label, roles=frozenset(Role(r) for r in roles))


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for code, (label, roles) in getattr(module, "ACTIONS", {}).items():
            register(code, label, roles)
    _LOADED = True


def get_action(code: str) -> Action:
    _load()
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"Unknown access action {code!r}: declare it in an app's permissions.py") from None


def all_actions() -> dict[str, Action]:
    _load()
    return dict(_REGISTRY)


def roles_for(code: str) -> frozenset:
    return get_action(code).roles
