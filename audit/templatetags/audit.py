from django import template

from audit.labels import action_label as _action_label
from audit.selectors import timeline_for

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """``{{ entry.action|action_label }}`` → the Chinese name of an audit action code."""
    return _action_label(code or "")


@register.simple_tag
def timeline_entries(obj, limit=50):
    """``{% timeline_entries object as timeline %}``: the object's audit history (newest first)."""
    return timeline_for(obj, limit=int(limit))


@register.filter
def changed_fields(entry) -> str:
    """Names of the fields a change touched, for a one-line summary."""
    keys = []
    for part in (entry.before, entry.after):
        if isinstance(part, dict):
            keys.extend(k for k in part if k not in keys)
    return "、".join(str(k) for k in keys[:8]) + ("…" if len(keys) > 8 else "")


@register.filter
def role_labels(codes: str) -> str:
    """"auditor,leader" → "安全审计员、镇领导" (the roles stored on an entry)."""
    from access.roles import Role

    labels = []
    for code in (codes or "").split(","):
        code = code.strip()
        if code:
            labels.append(str(Role(code).label) if code in Role.values else code)
    return "、".join(labels)
