from django import forms, template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def widget(field, **attrs):
    """Render a bound field's widget with Bootstrap classes (and any extra attributes)."""
    w = field.field.widget
    if isinstance(w, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(w, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    merged = {"class": css, "data-testid": f"f-{field.name}"}
    merged.update({k.replace("_", "-"): v for k, v in attrs.items()})
    return field.as_widget(attrs=merged)


@register.filter
def overdue(event):
    return bool(getattr(event, "due_at", None) and event.is_open and event.due_at < timezone.now())


@register.filter
def hours_left(event):
    if not getattr(event, "due_at", None):
        return ""
    delta = event.due_at - timezone.now()
    hours = int(delta.total_seconds() // 3600)
    return hours


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
