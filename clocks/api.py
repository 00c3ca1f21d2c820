"""API of the clocks app (registered under /api/v1/ by fazhi/urls.py).

- ``clocks/rules/``            the statute registry (read-only; ``?section=&kind=&status=&q=``)
- ``clocks/calendar/``         calendar days (read-only; ``?year=`` required or ``?start=&end=``)
- ``clocks/clocks/``           clocks in the user's scope (read-only; ``?status=&rule_code=&object_type=&object_id=``)
- ``clocks/deadline/``         compute a due date: GET ``?rule=&start=[&length=]`` or POST the same fields
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from access.scope import can

from . import registry, selectors, services
from .calendar import DbCalendar
from .models import CalendarDay, Clock


class HasAction(permissions.BasePermission):
    """The view's ``action_code`` must be granted to one of the user's roles (403 otherwise)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if not can(request.user, view.action_code):
            raise PermissionDenied(view.action_code)
        return True


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    length = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    direction = serializers.CharField()
    bound = serializers.CharField()
    start = serializers.CharField()
    pause = serializers.CharField()
    lapse = serializers.CharField()
    pausable = serializers.BooleanField()
    max_extensions = serializers.IntegerField()
    extension_length = serializers.IntegerField(allow_null=True)
    citation = serializers.CharField()
    quote = serializers.CharField()
    status = serializers.CharField()
    configurable = serializers.BooleanField()
    per_matter = serializers.BooleanField()
    value = serializers.FloatField(allow_null=True)
    value_unit = serializers.CharField()
    values = serializers.DictField(child=serializers.CharField())
    fixed_date = serializers.CharField()
    note = serializers.CharField()
    source_version = serializers.CharField()
    town_length = serializers.SerializerMethodField()

    def get_town_length(self, rule) -> int | None:
        return (self.context.get("overrides") or {}).get(rule.code)


class RuleViewSet(viewsets.ViewSet):
    permission_classes = [HasAction]
    action_code = "clocks.reference"
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9_.]+"

    def _overrides(self, request):
        if request.user.town_id is None:
            return {}
        return dict(selectors.overrides(request.user).filter(town_id=request.user.town_id)
                    .values_list("code", "length"))

    @extend_schema(responses=RuleSerializer(many=True), parameters=[
        OpenApiParameter("section", str), OpenApiParameter("kind", str), OpenApiParameter("status", str),
        OpenApiParameter("q", str)])
    def list(self, request):
        rules = registry.all_rules()
        for name in ("section", "kind", "status"):
            value = request.query_params.get(name)
            if value:
                rules = [r for r in rules if getattr(r, name) == value]
        q = request.query_params.get("q")
        if q:
            rules = [r for r in rules if q.lower() in r.code.lower() or q in r.title or q in r.citation]
        context = {"overrides": self._overrides(request)}
        return Response(RuleSerializer(rules, many=True, context=context).data)

    @extend_schema(responses=RuleSerializer)
    def retrieve(self, request, code=None):
        rule = registry.find(code)
        if rule is None:
            from rest_framework.exceptions import NotFound

            raise NotFound(_("未知的期限规则代码：{code}").format(code=code))
        return Response(RuleSerializer(rule, context={"overrides": self._overrides(request)}).data)


class CalendarDaySerializer(serializers.ModelSerializer):
    working = serializers.BooleanField(source="is_working", read_only=True)

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "note", "source", "working"]


class CalendarDayViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    action_code = "clocks.reference"
    serializer_class = CalendarDaySerializer
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("start", str),
                               OpenApiParameter("end", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = CalendarDay.objects.order_by("date")
        if self.action != "list":
            return qs
        params = self.request.query_params
        try:
            if params.get("year"):
                return qs.filter(date__year=int(params["year"]))
            start = dt.date.fromisoformat(params.get("start", ""))
            end = dt.date.fromisoformat(params.get("end", ""))
        except ValueError:
            raise serializers.ValidationError({"detail": _("请给出 year，或 start 与 end（YYYY-MM-DD）。")}) from None
        if end < start or (end - start).days > 400:
            raise serializers.ValidationError({"detail": _("日期范围无效（最长400天）。")})
        return qs.filter(date__gte=start, date__lte=end)


class ClockSerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    rule_title = serializers.SerializerMethodField()
    citation = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = Clock
        fields = ["id", "town", "object_type", "object_id", "object_repr", "rule_code", "rule_title", "citation",
                  "unit", "length", "start_date", "due_date", "due_at", "status", "status_label", "missing_year",
                  "paused_since", "paused_days", "extensions_used", "extended_by", "restarted_from", "met_at",
                  "days_left", "steps", "version"]

    def get_rule_title(self, clock) -> str:
        rule = clock.rule
        return rule.title if rule else ""

    def get_citation(self, clock) -> str:
        return registry.citation_for(clock.rule_code)

    def get_days_left(self, clock) -> int | None:
        return clock.days_left()


class ClockViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasAction]
    action_code = "clocks.view"
    serializer_class = ClockSerializer
    queryset = Clock.objects.none()  # for the schema only; get_queryset() restricts every request

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("rule_code", str),
                               OpenApiParameter("object_type", str), OpenApiParameter("object_id", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.clocks(self.request.user).select_related("content_type").order_by("due_date", "pk")
        params = self.request.query_params
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("rule_code"):
            qs = qs.filter(rule_code=registry.resolve(params["rule_code"]))
        if params.get("object_type"):
            qs = qs.filter(content_type__model=params["object_type"].lower())
        if params.get("object_id", "").isdigit():
            qs = qs.filter(object_id=int(params["object_id"]))
        return qs


class DeadlineInput(serializers.Serializer):
    rule = serializers.CharField()
    start = serializers.DateField(required=False)
    start_at = serializers.DateTimeField(required=False)
    length = serializers.IntegerField(required=False, min_value=1, max_value=3650)


class DeadlineOutput(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    start = serializers.CharField()
    due = serializers.CharField()
    due_date = serializers.DateField()
    length = serializers.IntegerField(allow_null=True)
    length_source = serializers.CharField()
    citation = serializers.CharField()
    steps = serializers.ListField(child=serializers.CharField())


class DeadlineViewSet(viewsets.ViewSet):
    """Compute a due date without starting a clock (the "filed today" calculator)."""

    permission_classes = [HasAction]
    action_code = "clocks.reference"

    def _compute(self, request, data):
        serializer = DeadlineInput(data=data)
        serializer.is_valid(raise_exception=True)
        rule = registry.get_clock_rule(serializer.validated_data["rule"])
        start = serializer.validated_data.get("start") or timezone.localdate()
        if rule.unit == "h":
            start = serializer.validated_data.get("start_at") or timezone.now()
        matter = serializer.validated_data.get("length")
        if matter is not None and not rule.per_matter:
            raise serializers.ValidationError({"length": _("“{title}”为法定期限，不能按事项调整。").format(
                title=rule.title)})
        length, source = services.effective_length(rule, town_id=request.user.town_id, matter_length=matter)
        result = services.compute_rule(rule, start=start, calendar=DbCalendar(), length=length, length_source=source)
        due = result.due
        return Response(DeadlineOutput({
            "rule": rule.code, "title": rule.title, "start": start.isoformat(), "due": due.isoformat(),
            "due_date": result.due_date, "length": length, "length_source": source, "citation": rule.citation,
            "steps": result.steps,
        }).data)

    @extend_schema(parameters=[OpenApiParameter("rule", str, required=True), OpenApiParameter("start", str),
                               OpenApiParameter("length", int)], responses=DeadlineOutput)
    def list(self, request):
        return self._compute(request, request.query_params)

    @extend_schema(request=DeadlineInput, responses=DeadlineOutput)
    def create(self, request):
        return self._compute(request, request.data)


ROUTES = [
    ("clocks/rules", RuleViewSet, "clocks-rule"),
    ("clocks/calendar", CalendarDayViewSet, "clocks-calendar-day"),
    ("clocks/clocks", ClockViewSet, "clocks-clock"),
    ("clocks/deadline", DeadlineViewSet, "clocks-deadline"),
]
