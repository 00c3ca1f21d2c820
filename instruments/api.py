"""Read-only API: instruments of the user's town (metadata and download links) and the kinds."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from access.scope import require, restrict

from .models import Instrument, InstrumentKind


class InstrumentKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstrumentKind
        fields = ["code", "name", "abbreviation", "category", "numbered", "basis"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    record_type = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Instrument
        fields = ["id", "town", "kind", "number", "year", "serial", "version", "title", "record_type", "object_id",
                  "object_repr", "sm3", "size", "template_label", "rendered_at", "rendered_by", "pdf_sm3",
                  "download_url", "pdf_url"]
        read_only_fields = fields

    def get_record_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}" if obj.content_type_id else ""

    def get_download_url(self, obj) -> str:
        return reverse("instruments:instrument_download", args=[obj.pk])

    def get_pdf_url(self, obj) -> str:
        return reverse("instruments:instrument_download", args=[obj.pk]) + "?format=pdf" if obj.pdf else ""


@extend_schema_view(list=extend_schema(summary="文书种类"), retrieve=extend_schema(summary="文书种类"))
class InstrumentKindViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InstrumentKindSerializer
    lookup_field = "code"
    queryset = InstrumentKind.objects.none()

    def get_queryset(self):
        require(self.request.user, "instruments.view")
        return InstrumentKind.objects.filter(active=True)


@extend_schema_view(
    list=extend_schema(summary="文书", parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, description="文书种类代码"),
        OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
        OpenApiParameter("number", OpenApiTypes.STR, description="文书编号"),
        OpenApiParameter("record_type", OpenApiTypes.STR, description="所属记录类型，如 org.position"),
        OpenApiParameter("object_id", OpenApiTypes.STR, description="所属记录编号"),
    ]),
    retrieve=extend_schema(summary="文书"),
)
class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InstrumentSerializer
    queryset = Instrument.objects.none()

    def get_queryset(self):
        qs = restrict(self.request.user, "instruments.view", Instrument).select_related("kind", "content_type")
        params = self.request.query_params
        if params.get("kind"):
            qs = qs.filter(kind__code=params["kind"])
        if params.get("year", "").isdigit():
            qs = qs.filter(year=int(params["year"]))
        if params.get("number"):
            qs = qs.filter(number=params["number"])
        if "." in params.get("record_type", ""):
            app_label, model = params["record_type"].lower().split(".", 1)
            qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
        if params.get("object_id"):
            qs = qs.filter(object_id=params["object_id"])
        return qs.order_by("-rendered_at", "-pk")


ROUTES = [
    ("instruments/kinds", InstrumentKindViewSet, "instrument-kind"),
    ("instruments/instruments", InstrumentViewSet, "instrument"),
]
