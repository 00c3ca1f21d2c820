"""REST API of the town's structure (/api/v1/org/...). Reads for org.view, writes for org.manage, through
the same selectors and services as the screens. Personal data is masked; phones are write-only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import require, restrict
from core.errors import DomainError

from . import selectors, services
from .models import Enterprise, Grid, MicroGrid, Position, PositionHandover, Sector, Staff, Village

SAFE = ("GET", "HEAD", "OPTIONS")


class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A foreign key limited to what the requesting user may see."""

    def get_queryset(self):
        request = self.context.get("request")
        qs = super().get_queryset()
        if request is None:
            return qs
        return restrict(request.user, "org.view", qs)


def _scoped(model, **kwargs):
    return ScopedPK(queryset=model.objects.all(), **kwargs)


class ServiceSerializer(serializers.ModelSerializer):
    """Validation of shape here; validation of meaning in the service (DomainError → 400)."""

    def create(self, validated_data):
        return self.Meta.create(self.context["request"], validated_data)

    def update(self, instance, validated_data):
        return self.Meta.update(self.context["request"], instance, validated_data)


# --- serializers ----------------------------------------------------------------------------------------

class SectorSerializer(ServiceSerializer):
    lead = _scoped(Staff, allow_null=True, required=False)

    class Meta:
        model = Sector
        fields = ["id", "town", "code", "name", "order", "description", "lead", "active"]
        read_only_fields = ["town", "active"]

        @staticmethod
        def create(request, data):
            return services.sector_create(town=request.user.town, actor=request.user, **data)

        @staticmethod
        def update(request, obj, data):
            return services.sector_update(sector=obj, actor=request.user, **data)


class PositionSerializer(ServiceSerializer):
    sector = _scoped(Sector)
    primary_holder = _scoped(Staff, allow_null=True, required=False)
    backup_holder = _scoped(Staff, allow_null=True, required=False)
    duty_list = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Position
        fields = ["id", "town", "sector", "code", "name", "duties", "duty_list", "order", "primary_holder",
                  "backup_holder", "status", "active", "version"]
        read_only_fields = ["town", "status", "active", "version"]

        @staticmethod
        def create(request, data):
            return services.position_create(actor=request.user, **data)

        @staticmethod
        def update(request, obj, data):
            for slot in ("primary_holder", "backup_holder"):
                if slot in data and data.pop(slot) != getattr(obj, slot):
                    raise DomainError(_("岗位人员须通过岗位交接变更。"), rule="org.position.holders_by_handover",
                                      field=slot)
            return services.position_update(position=obj, actor=request.user, **data)


class VillageSerializer(ServiceSerializer):
    class Meta:
        model = Village
        fields = ["id", "town", "code", "name", "kind", "village_committees", "households", "population", "active"]
        read_only_fields = ["town", "active"]

        @staticmethod
        def create(request, data):
            return services.village_create(town=request.user.town, actor=request.user, **data)

        @staticmethod
        def update(request, obj, data):
            return services.village_update(village=obj, actor=request.user, **data)


class GridSerializer(ServiceSerializer):
    village = _scoped(Village)
    boundary = serializers.JSONField(required=False, allow_null=True,
                                     help_text="GeoJSON Polygon / MultiPolygon, [lng, lat]")

    class Meta:
        model = Grid
        fields = ["id", "town", "village", "code", "name", "boundary", "households", "population", "active"]
        read_only_fields = ["town", "active"]

        @staticmethod
        def create(request, data):
            return services.grid_create(town=request.user.town, actor=request.user, **data)

        @staticmethod
        def update(request, obj, data):
            return services.grid_update(grid=obj, actor=request.user, **data)


class MicroGridSerializer(ServiceSerializer):
    grid = _scoped(Grid)
    boundary = serializers.JSONField(required=False, allow_null=True)

    class Meta:
        model = MicroGrid
        fields = ["id", "town", "grid", "code", "name", "households", "boundary", "active"]
        read_only_fields = ["town", "active"]

        @staticmethod
        def create(request, data):
            return services.microgrid_create(town=request.user.town, actor=request.user, **data)

        @staticmethod
        def update(request, obj, data):
            return services.microgrid_update(microgrid=obj, actor=request.user, **data)


class StaffSerializer(ServiceSerializer):
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20)
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    phone_masked = serializers.CharField(read_only=True)
    id_number_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Staff
        fields = ["id", "town", "code", "name", "title", "phone", "id_number", "phone_masked", "id_number_masked",
                  "active"]
        read_only_fields = ["town", "active"]

        @staticmethod
        def create(request, data):
            return services.staff_create(town=request.user.town, actor=request.user, **data)

        @staticmethod
        def update(request, obj, data):
            return services.staff_update(staff=obj, actor=request.user, **data)


class EnterpriseSerializer(ServiceSerializer):
    grid = _scoped(Grid, allow_null=True, required=False)
    liaison = _scoped(Staff, allow_null=True, required=False)
    contact_phone = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20)
    contact_phone_masked = serializers.CharField(read_only=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=255)

    class Meta:
        model = Enterprise
        fields = ["id", "town", "name", "credit_code", "industry", "grid", "liaison", "legal_representative",
                  "contact_phone", "contact_phone_masked", "address", "lat", "lng", "active"]
        read_only_fields = ["town", "active"]

        @staticmethod
        def create(request, data):
            return services.enterprise_create(town=request.user.town, actor=request.user, **data)

        @staticmethod
        def update(request, obj, data):
            return services.enterprise_update(enterprise=obj, actor=request.user, **data)


class HandoverSerializer(serializers.ModelSerializer):
    position = _scoped(Position)
    to_staff = _scoped(Staff)

    class Meta:
        model = PositionHandover
        fields = ["id", "town", "position", "slot", "from_staff", "to_staff", "status", "reason", "notes",
                  "created_at", "version"]
        read_only_fields = ["town", "from_staff", "status", "created_at", "version"]

    def create(self, validated_data):
        request = self.context["request"]
        return services.handover_request(actor=request.user, **validated_data)


class FireSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["confirm", "complete", "reject", "cancel"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# --- viewsets -------------------------------------------------------------------------------------------

class OrgViewSet(viewsets.ModelViewSet):
    """List/retrieve for org.view; create/update for org.manage; DELETE deactivates (nothing is deleted)."""

    model = None
    related: tuple = ()
    write_action = "org.manage"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return self.model.objects.none()
        action_code = "org.view" if self.request.method in SAFE else self.write_action
        return restrict(self.request.user, action_code, self.model).select_related(*self.related).order_by("pk")

    def perform_create(self, serializer):
        require(self.request.user, self.write_action)
        serializer.save()

    def perform_destroy(self, instance):
        self.deactivate(instance, self.request.user, self.request.query_params.get("reason", "")[:500])

    def deactivate(self, instance, user, reason):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class SectorViewSet(OrgViewSet):
    model, serializer_class, related = Sector, SectorSerializer, ("lead",)

    def deactivate(self, instance, user, reason):
        services.sector_deactivate(sector=instance, actor=user, reason=reason or _("通过接口停用"))


class PositionViewSet(OrgViewSet):
    model, serializer_class, related = Position, PositionSerializer, ("sector",)

    def deactivate(self, instance, user, reason):
        services.position_deactivate(position=instance, actor=user, reason=reason or _("通过接口停用"))


class VillageViewSet(OrgViewSet):
    model, serializer_class = Village, VillageSerializer

    def deactivate(self, instance, user, reason):
        services.village_deactivate(village=instance, actor=user, reason=reason or _("通过接口停用"))


class GridViewSet(OrgViewSet):
    model, serializer_class, related = Grid, GridSerializer, ("village",)

    def deactivate(self, instance, user, reason):
        services.grid_deactivate(grid=instance, actor=user, reason=reason or _("通过接口停用"))

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="GeoJSON FeatureCollection of grids and micro-grids")
    @action(detail=False, methods=["get"], url_path="geojson", pagination_class=None)
    def geojson(self, request):
        return Response(selectors.geojson(request.user))


class MicroGridViewSet(OrgViewSet):
    model, serializer_class, related = MicroGrid, MicroGridSerializer, ("grid",)

    def deactivate(self, instance, user, reason):
        services.microgrid_deactivate(microgrid=instance, actor=user, reason=reason or _("通过接口停用"))


class StaffViewSet(OrgViewSet):
    model, serializer_class = Staff, StaffSerializer

    def deactivate(self, instance, user, reason):
        # Someone leaving: the reason is required (DELETE /api/v1/org/staff/{id}/?reason=...).
        services.staff_deactivate(staff=instance, actor=user, reason=reason)


class EnterpriseViewSet(OrgViewSet):
    model, serializer_class, related = Enterprise, EnterpriseSerializer, ("grid", "liaison")

    def deactivate(self, instance, user, reason):
        services.enterprise_deactivate(enterprise=instance, actor=user, reason=reason or _("通过接口停用"))


class HandoverViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """岗位交接: POST requests one; POST .../fire/ confirms, completes, rejects or cancels it."""

    serializer_class = HandoverSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return PositionHandover.objects.none()
        action_code = "org.view" if self.request.method in SAFE else "org.handover"
        return restrict(self.request.user, action_code, PositionHandover).select_related(
            "position").order_by("-pk")

    def perform_create(self, serializer):
        require(self.request.user, "org.handover")
        serializer.save()

    @extend_schema(request=FireSerializer, responses={200: HandoverSerializer})
    @action(detail=True, methods=["post"])
    def fire(self, request, pk=None):
        handover = self.get_object()
        body = FireSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.handover_fire(handover=handover, action=body.validated_data["action"], actor=request.user,
                               reason=body.validated_data["reason"])
        handover.refresh_from_db()
        return Response(HandoverSerializer(handover, context={"request": request}).data, status=status.HTTP_200_OK)


ROUTES = [
    ("org/sectors", SectorViewSet, "org-sector"),
    ("org/positions", PositionViewSet, "org-position"),
    ("org/villages", VillageViewSet, "org-village"),
    ("org/grids", GridViewSet, "org-grid"),
    ("org/micro-grids", MicroGridViewSet, "org-microgrid"),
    ("org/staff", StaffViewSet, "org-staff"),
    ("org/enterprises", EnterpriseViewSet, "org-enterprise"),
    ("org/handovers", HandoverViewSet, "org-handover"),
]

