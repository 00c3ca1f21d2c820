"""REST API over the same selectors and services (registered under /api/v1/ from ROUTES)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import require, restrict

from . import selectors, services, steps
from .models import Case, Matter, Officer
from .procedure import CASE

PLAIN_ACTIONS = ["file", "drop", "investigate", "close_investigation", "submit_review", "execute", "file_with_agency",
                 "archive"]


class MatterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Matter
        fields = ["id", "code", "name", "category", "area", "source", "source_document", "acting_body", "law",
                  "article", "basis_text", "penalty_kinds", "fine_min", "fine_max", "discretion", "summary_allowed",
                  "hearing_threshold_person", "hearing_threshold_org", "decision_days", "legal_review_required",
                  "responsible_post", "checklist", "coercive_measures_allowed", "active"]


class OfficerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Officer
        fields = ["id", "name", "credential", "credential_scope", "valid_from", "valid_until", "post",
                  "legal_qualification", "active"]


class CaseSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party_display", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "matter", "procedure", "status", "source", "event_id", "party_kind", "party",
                  "filed_on", "proposed_fine", "proposed_penalty", "notice_served_on", "hearing_offered", "outcome",
                  "fine", "penalty_text", "decision_number", "decided_on", "served_on", "paid_on", "late_fine",
                  "closed_on", "version"]


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=PLAIN_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class WorkflowSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(steps.WORKFLOW_FORMS))
    data = serializers.DictField(required=False, default=dict,
                                 help_text="该步骤表单的字段，与案件页面相同")


class MatterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MatterSerializer
    queryset = Matter.objects.none()

    def get_queryset(self):
        return selectors.matters(self.request.user, self.request.query_params)


class OfficerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfficerSerializer
    queryset = Officer.objects.none()

    def get_queryset(self):
        return restrict(self.request.user, "enforcement.view", Officer).order_by("credential")


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseSerializer
    queryset = Case.objects.none()

    def get_queryset(self):
        return selectors.cases(self.request.user, {k: self.request.query_params.get(k) for k in
                                                   ("q", "status", "procedure", "area")})

    @extend_schema(request=TransitionSerializer, responses={200: CaseSerializer}, summary="案件流转（无表单的步骤）")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        require(request.user, "enforcement.case_view")
        case = selectors.case_detail(request.user, pk)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        require(request.user, CASE.get(d["action"]).permission)
        if d["action"] == "file":
            services.case_file(case=case, actor=request.user, reason=d["reason"])
        else:
            services.case_fire(case=case, action=d["action"], actor=request.user, reason=d["reason"])
        case.refresh_from_db()
        return Response(CaseSerializer(case).data)


    @extend_schema(request=WorkflowSerializer, responses={200: CaseSerializer},
                   summary="移送司法机关、回避申请、分期缴纳、查封扣押的步骤")
    @action(detail=True, methods=["post"])
    def workflow(self, request, pk=None):
        from django.db import transaction

        require(request.user, "enforcement.case_view")
        case = selectors.case_detail(request.user, pk)
        ser = WorkflowSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        step = ser.validated_data["step"]
        form_class, permission = steps.WORKFLOW_FORMS[step]
        require(request.user, permission)
        form = form_class(ser.validated_data["data"], **steps.form_kwargs(case, step))
        if not form.is_valid():
            raise serializers.ValidationError({"data": form.errors})
        with transaction.atomic():
            steps.run(case, step, form.cleaned_data, request.user)
        case.refresh_from_db()
        return Response(CaseSerializer(case).data)


ROUTES = [
    ("enforcement/matters", MatterViewSet, "enforcement-matter"),
    ("enforcement/officers", OfficerViewSet, "enforcement-officer"),
    ("enforcement/cases", CaseViewSet, "enforcement-case"),
]
