"""Chinese names of audit action codes, for the log, the timeline and exports.

Each app may list its codes in ``<app>/audit_labels.py``::

    LABELS = {"org.village_update": _("修改村(社区)")}

A code with no label is shown as itself.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

_LABELS: dict | None = None


def _load() -> dict:
    global _LABELS
    if _LABELS is None:
        merged = {}
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.audit_labels")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.audit_labels":
                    raise
                continue
            merged.update(getattr(module, "LABELS", {}))
        _LABELS = merged
    return _LABELS


def action_label(code: str) -> str:
    label = _load().get(code)
    return str(label) if label else code


def all_labels() -> dict:
    return dict(_load())
