from django import template
from django.utils.html import format_html

from core.procedure import colour_for_field

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def status_badge(obj, field="status"):
    """A coloured badge for a status field whose TextChoices were decorated with ``@coloured``."""
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    colour = colour_for_field(type(obj), field, value)
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)
