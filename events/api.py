"""REST API over the same selectors and services (registered under /api/v1/ from ROUTES)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import get_in_scope, restrict

from . import selectors, services
from .models import (
    Campaign,
    Category,
    Channel,
    DutyShift,
    Event,
    EventStatus,
    Hazard,
    HazardKind,
    JointOperation,
    Level,
    ScreeningPlan,
)
from .procedure import CAMPAIGN, EVENT, HAZARD, INTERNAL_ACTIONS


# Choice fields shared by several columns are plain strings here, so the OpenAPI enums get one name each.
class CategorySerializer(serializers.ModelSerializer):
    default_priority = serializers.CharField(read_only=True, help_text="low / normal / high")

    class Meta:
        model = Category
        fields = ["id", "parent", "code", "name", "description", "default_priority", "sla_ack_hours",
                  "sla_dispatch_hours", "sla_handle_hours", "escalate_grid_hours", "escalate_village_hours",
                  "transfer_answer_hours", "spot_settleable", "public", "active"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    grid_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField(help_text="脱敏显示")
    overdue = serializers.BooleanField(read_only=True)
    priority = serializers.CharField(read_only=True, help_text="low / normal / high")
    level = serializers.CharField(read_only=True, help_text="grid / village / town / district")
    settlement_level = serializers.CharField(read_only=True, help_text="grid / village / town / district / 空")

    class Meta:
        model = Event
        fields = ["id", "tracking_code", "title", "description", "category", "category_name", "channel", "status",
                  "priority", "urgent", "pinned", "level", "settlement_level", "village", "grid", "grid_name", "lat",
                  "lng", "reporter_phone", "enterprise", "sector", "position", "reported_at", "accepted_at",
                  "dispatched_at", "resolved_at", "closed_at", "due_at", "due_handle_at", "overdue", "result",
                  "reopen_count", "supervised", "rating", "version"]
        read_only_fields = fields

    def get_grid_name(self, obj) -> str:
        return obj.grid.name if obj.grid_id else ""

    def get_reporter_phone(self, obj) -> str:
        return obj.reporter_phone_masked


class EventCreateSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    title = serializers.CharField(max_length=120)
    description = serializers.CharField()
    channel = serializers.ChoiceField(choices=[Channel.GRID_WORKER, Channel.HOTLINE, Channel.DISTRICT,
                                               Channel.CENTRE], default=Channel.CENTRE)
    lat = serializers.FloatField(required=False, allow_null=True)
    lng = serializers.FloatField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    urgent = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="EventTransition")
class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[a for a in EVENT.transitions if a not in INTERNAL_ACTIONS])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    result = serializers.CharField(required=False, allow_blank=True, default="")
    sector = serializers.IntegerField(required=False, allow_null=True)
    position = serializers.IntegerField(required=False, allow_null=True)
    department = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(summary="事件分类"), retrieve=extend_schema(summary="事件分类"))
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    queryset = Category.objects.none()

    def get_queryset(self):
        return restrict(self.request.user, "events.view", Category).order_by("order", "code")


@extend_schema_view(list=extend_schema(summary="事件列表"), retrieve=extend_schema(summary="事件详情"))
class EventViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    queryset = Event.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        data = {k: params.get(k) for k in ("status", "channel", "q") if params.get(k)}
        if params.get("urgent") in ("1", "true"):
            data["urgent"] = True
        if params.get("overdue") in ("1", "true"):
            data["overdue"] = True
        if params.get("level") in Level.values:
            data["level"] = params["level"]
        return selectors.event_list(self.request.user, data)

    def get_serializer_class(self):
        return EventCreateSerializer if self.action == "create" else EventSerializer

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer}, summary="登记事件")
    def create(self, request, *args, **kwargs):
        ser = EventCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        town = request.user.town
        if town is None:
            raise PermissionDenied("events.report")
        category = Category.objects.filter(town=town, pk=d.pop("category")).first()
        event = services.event_report(town=town, category=category, actor=request.user,
                                      client_key=request.headers.get("Idempotency-Key", "")[:64], **d)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses={200: EventSerializer}, summary="事件流转")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        event = selectors.event_detail(request.user, pk)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        data = {"result": d.get("result", "")}
        if d["action"] in ("dispatch", "redispatch"):
            from org.models import Position, Sector

            position = (Position.objects.filter(town_id=event.town_id, pk=d.get("position")).first()
                        if d.get("position") else None)
            sector = position.sector if position else Sector.objects.filter(town_id=event.town_id,
                                                                            pk=d.get("sector") or 0).first()
            data.update({"position": position, "sector": sector})
        if d["action"] == "transfer":
            data["department"] = d.get("department", "")
        services.event_transition(event=event, action=d["action"], actor=request.user, reason=d.get("reason", ""),
                                  data=data)
        event.refresh_from_db()
        return Response(EventSerializer(event).data)


class HazardSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=" / ".join(HazardKind.values))

    class Meta:
        model = Hazard
        fields = ["id", "code", "title", "kind", "description", "grid", "location", "lat", "lng", "campaign",
                  "operation", "event", "status", "found_on", "responsible", "measures", "deadline", "rectified_on",
                  "verified_on", "version"]
        read_only_fields = fields


class HazardCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    kind = serializers.CharField(default=HazardKind.ROAD, help_text=" / ".join(HazardKind.values))
    description = serializers.CharField()

    def validate_kind(self, value):
        if value not in HazardKind.values:
            raise serializers.ValidationError("kind: " + " / ".join(HazardKind.values))
        return value
    grid = serializers.IntegerField(required=False, allow_null=True)
    location = serializers.CharField(required=False, allow_blank=True, default="")
    found_on = serializers.DateField(required=False, allow_null=True)


class HazardTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(HAZARD.transitions))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True)
    responsible = serializers.CharField(required=False, allow_blank=True, default="")
    measures = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(summary="隐患台账"), retrieve=extend_schema(summary="隐患"))
class HazardViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = HazardSerializer
    queryset = Hazard.objects.none()

    def get_queryset(self):
        return selectors.hazards(self.request.user, {k: self.request.query_params.get(k)
                                                     for k in ("status", "kind", "q")})

    def get_serializer_class(self):
        return HazardCreateSerializer if self.action == "create" else HazardSerializer

    @extend_schema(request=HazardCreateSerializer, responses={201: HazardSerializer}, summary="登记隐患")
    def create(self, request, *args, **kwargs):
        ser = HazardCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        town = request.user.town
        if town is None:
            raise PermissionDenied("events.hazard_report")
        from org.models import Grid

        d["grid"] = Grid.objects.filter(town=town, pk=d.get("grid") or 0).first()
        hazard = services.hazard_report(town=town, actor=request.user, **d)
        return Response(HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HazardTransitionSerializer, responses={200: HazardSerializer}, summary="隐患整改流转")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        hazard = get_in_scope(request.user, "events.hazard_view", Hazard, pk=pk)
        ser = HazardTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        act, reason = d.pop("action"), d.pop("reason", "")
        services.hazard_transition(hazard=hazard, action=act, actor=request.user, reason=reason, data=d)
        hazard.refresh_from_db()
        return Response(HazardSerializer(hazard).data)


class CampaignSerializer(serializers.ModelSerializer):
    operations_n = serializers.IntegerField(read_only=True)
    hazards_n = serializers.IntegerField(read_only=True)
    hazards_done = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "code", "name", "scope", "targets", "target_operations", "target_hazards", "start_date",
                  "end_date", "sector", "status", "closed_on", "closing_summary", "closing_figures", "operations_n",
                  "hazards_n", "hazards_done"]
        read_only_fields = fields


class CampaignTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(CAMPAIGN.transitions))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    closed_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(list=extend_schema(summary="专项整治"), retrieve=extend_schema(summary="专项整治"))
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()

    def get_queryset(self):
        return selectors.campaigns(self.request.user)

    @extend_schema(request=CampaignTransitionSerializer, responses={200: CampaignSerializer},
                   summary="专项整治启动、结束（附总结）")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        campaign = get_in_scope(request.user, "events.campaign_view", Campaign, pk=pk)
        ser = CampaignTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        act, reason = d.pop("action"), d.pop("reason", "")
        services.campaign_transition(campaign=campaign, action=act, actor=request.user, reason=reason, data=d)
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)


class DutyShiftSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.display_name", read_only=True)
    deputy_name = serializers.CharField(source="deputy.display_name", read_only=True, default="")

    class Meta:
        model = DutyShift
        fields = ["id", "date", "leader", "leader_name", "deputy", "deputy_name", "note"]
        read_only_fields = ["id", "leader_name", "deputy_name"]


class DutyShiftWriteSerializer(serializers.Serializer):
    date = serializers.DateField()
    leader = serializers.IntegerField()
    deputy = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


@extend_schema_view(list=extend_schema(summary="值班表（?month=YYYY-MM）"), retrieve=extend_schema(summary="值班安排"))
class DutyShiftViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DutyShiftSerializer
    queryset = DutyShift.objects.none()

    def get_queryset(self):
        qs = restrict(self.request.user, "events.duty_view", DutyShift).select_related("leader", "deputy")
        month = self.request.query_params.get("month") or ""
        try:
            import datetime as dt

            first = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            return qs.order_by("-date")
        return qs.filter(date__gte=first, date__lt=(first + dt.timedelta(days=32)).replace(day=1)).order_by("date")

    @extend_schema(request=DutyShiftWriteSerializer, responses={201: DutyShiftSerializer},
                   summary="安排某日值班（已有安排则替换）")
    def create(self, request, *args, **kwargs):
        from django.contrib.auth import get_user_model

        ser = DutyShiftWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        town = request.user.town
        if town is None:
            raise PermissionDenied("events.duty_plan")
        users = get_user_model().objects.filter(town=town)
        shift = services.duty_shift_set(town=town, actor=request.user, date=d["date"],
                                        leader=users.filter(pk=d["leader"]).first(),
                                        deputy=users.filter(pk=d.get("deputy") or 0).first() if d.get("deputy")
                                        else None, note=d.get("note") or "")
        return Response(DutyShiftSerializer(shift).data, status=status.HTTP_201_CREATED)


class PlanSerializer(serializers.ModelSerializer):
    tasks_total = serializers.SerializerMethodField()
    tasks_done = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningPlan
        fields = ["id", "campaign", "month", "title", "content", "task_type", "tasks_total", "tasks_done"]
        read_only_fields = fields

    def get_tasks_total(self, obj) -> int:
        return sum(1 for _t in obj.tasks.all())

    def get_tasks_done(self, obj) -> int:
        return sum(1 for t in obj.tasks.all() if t.done)


@extend_schema_view(list=extend_schema(summary="月度排查计划"), retrieve=extend_schema(summary="月度排查计划"))
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    queryset = ScreeningPlan.objects.none()

    def get_queryset(self):
        return selectors.screening_plans(self.request.user).prefetch_related("tasks")


class OperationSerializer(serializers.ModelSerializer):
    class Meta:
        model = JointOperation
        fields = ["id", "campaign", "date", "title", "location", "units", "staff_count", "vehicles_checked",
                  "places_checked", "violations", "hazards_found", "follow_ups", "leader"]
        read_only_fields = ["id"]


@extend_schema_view(list=extend_schema(summary="联合执法行动"), retrieve=extend_schema(summary="联合执法行动"),
                    create=extend_schema(summary="登记联合执法行动"))
class OperationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OperationSerializer
    queryset = JointOperation.objects.none()

    def get_queryset(self):
        return selectors.operations(self.request.user, {})

    def create(self, request, *args, **kwargs):
        ser = OperationSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        town = request.user.town
        if town is None:
            raise PermissionDenied("events.operation_manage")
        campaign = d.pop("campaign", None)
        if campaign is not None and campaign.town_id != town.pk:
            campaign = None
        op = services.operation_record(town=town, actor=request.user, campaign=campaign, **d)
        return Response(OperationSerializer(op).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("events/categories", CategoryViewSet, "events-category"),
    ("events/events", EventViewSet, "events-event"),
    ("events/hazards", HazardViewSet, "events-hazard"),
    ("events/campaigns", CampaignViewSet, "events-campaign"),
    ("events/duty-shifts", DutyShiftViewSet, "events-duty"),
    ("events/screening-plans", PlanViewSet, "events-plan"),
    ("events/operations", OperationViewSet, "events-operation"),
]

__all__ = ["ROUTES", "EventStatus"]
