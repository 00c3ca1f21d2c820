from django import forms, template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def enf_widget(field, **attrs):
    """A bound field's widget with Bootstrap classes."""
    w = field.field.widget
    if isinstance(w, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(w, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    merged = {"class": css, "data-testid": f"f-{field.html_name}"}
    merged.update({k.replace("_", "-"): v for k, v in attrs.items()})
    return mark_safe(field.as_widget(attrs=merged))


@register.filter
def transfer_status(value):
    from enforcement.models import TransferStatus

    return TransferStatus(value).label if value in TransferStatus.values else value


@register.filter
def measure_kind(value):
    from enforcement.models import MeasureKind

    return MeasureKind(value).label if value in MeasureKind.values else value
