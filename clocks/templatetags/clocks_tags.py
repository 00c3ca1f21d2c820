"""``{% load clocks_tags %}{% clocks_for obj %}``: the clocks of a record, with their explanations."""

from django import template
from django.core.exceptions import PermissionDenied

from access.scope import can

from .. import registry, selectors

register = template.Library()


def decorate(clock, today=None):
    rule = registry.find(clock.rule_code)
    clock.rule_title = rule.title if rule else clock.rule_code
    clock.rule_verified = rule.verified if rule else True
    clock.citation = rule.citation if rule else ""
    clock.left = clock.days_left(today)
    clock.left_abs = abs(clock.left) if clock.left is not None else None
    return clock


@register.inclusion_tag("clocks/includes/clocks_for.html", takes_context=True)
def clocks_for(context, obj):
    """Every clock of ``obj`` the viewer may see: due date, status, days left, how it was computed."""
    request = context.get("request")
    user = getattr(request, "user", None)
    clocks = []
    if user is not None and getattr(user, "is_authenticated", False) and obj is not None and obj.pk:
        try:
            clocks = [decorate(c) for c in selectors.clocks_for_object(user, obj)]
        except PermissionDenied:
            clocks = []
    return {"clocks": clocks, "show_links": bool(clocks)}


@register.filter
def rule_title(code):
    rule = registry.find(code)
    return rule.title if rule else code


@register.filter
def user_can(user, action):
    return can(user, action)
