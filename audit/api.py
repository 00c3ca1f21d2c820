"""Read-only API over the audit log (auditors; security admins see security events). Reads are audited."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from access.scope import can

from . import selectors, services
from .forms import EntryFilterForm
from .labels import action_label
from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()
    town_name = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "seq", "at", "actor", "actor_name", "role", "town", "town_name", "action", "action_label",
                  "object_type", "object_id", "object_repr", "before", "after", "reason", "request_id",
                  "client_ip", "channel", "files", "prev_hash", "hash"]
        read_only_fields = fields

    def get_action_label(self, obj) -> str:
        return action_label(obj.action)

    def get_town_name(self, obj) -> str:
        return obj.town.name if obj.town_id and obj.town else ""


class SeqCursorPagination(CursorPagination):
    ordering = "-seq"
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


FILTER_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="起始日期（含）"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="截止日期（含）"),
    OpenApiParameter("town", OpenApiTypes.INT, description="镇街（区县用户）"),
    OpenApiParameter("actor", OpenApiTypes.STR, description="操作人编号或姓名"),
    OpenApiParameter("action", OpenApiTypes.STR, description="动作代码前缀"),
    OpenApiParameter("object_type", OpenApiTypes.STR, description="对象类型，如 org.position"),
    OpenApiParameter("object_id", OpenApiTypes.STR, description="对象编号"),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=["web", "api", "cli", "task", "system"]),
    OpenApiParameter("request_id", OpenApiTypes.STR, description="请求编号"),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS, summary="审计日志"),
                    retrieve=extend_schema(summary="审计记录"))
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    pagination_class = SeqCursorPagination
    queryset = AuditEntry.objects.none()

    def _action(self) -> str:
        return "audit.view" if can(self.request.user, "audit.view") else "audit.view_security"

    def get_queryset(self):
        qs = selectors.visible_entries(self.request.user)  # 403 without an audit action
        if self.action == "list":
            form = EntryFilterForm(self.request.query_params, user=self.request.user, action=self._action())
            if not form.is_valid():
                raise ValidationError(form.errors)
            self._filters = form.described()
            qs = selectors.apply_filters(qs, form.cleaned_data)
        return qs

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.log_read(actor=request.user, action="audit.read", filters=getattr(self, "_filters", {}),
                          shown=len(response.data.get("results", [])))
        return response

    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        services.log_read(actor=request.user, action="audit.read_entry", entry=entry)
        return Response(self.get_serializer(entry).data)


ROUTES = [("audit/entries", AuditEntryViewSet, "audit-entry")]
