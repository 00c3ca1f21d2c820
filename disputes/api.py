"""REST API over the same selectors and services (registered under /api/v1/ from ROUTES).

Party and petitioner data is masked; mediation agreements are never exposed beyond their kind and dates.
"""


from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import require
from core.crypto import mask_name

from . import selectors, services
from .models import Dispute, Lead, Petition


class LeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lead
        fields = ["id", "code", "source", "event_id", "event_code", "screening", "petition", "village", "grid",
                  "place", "kind", "summary", "parties_count", "amount", "violence_threat", "risk", "found_on",
                  "status"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    parties = serializers.SerializerMethodField(help_text="当事人（脱敏）")
    agreement_effective_on = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = ["id", "code", "lead", "kind", "summary", "amount", "risk", "warning", "village", "grid", "place",
                  "level", "committee", "mediator", "registered_on", "status", "outcome", "outcome_on", "route",
                  "visited_on", "performance", "closed_on", "parties", "agreement_effective_on", "version"]
        read_only_fields = fields

    def get_parties(self, obj) -> list[dict]:
        return [{"side": p.side, "name": mask_name(p.name), "consent": p.consent} for p in obj.parties.all()]

    def get_agreement_effective_on(self, obj) -> datetime.date | None:
        agreement = getattr(obj, "agreement", None)
        return agreement.effective_on if agreement else None


class PetitionSerializer(serializers.ModelSerializer):
    petitioner = serializers.SerializerMethodField(help_text="脱敏显示")

    class Meta:
        model = Petition
        fields = ["id", "code", "channel", "received_on", "petitioner", "people", "village", "grid", "subject",
                  "petition_class", "route", "handling_unit", "acknowledged_on", "opinion", "answered_on",
                  "closed_on", "status", "version"]
        read_only_fields = fields

    def get_petitioner(self, obj) -> str:
        return mask_name(obj.petitioner_name)


class StatsQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


def _params(request, names):
    return {k: request.query_params.get(k) for k in names if request.query_params.get(k)}


@extend_schema_view(list=extend_schema(summary="矛盾纠纷线索"), retrieve=extend_schema(summary="线索"))
class LeadViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LeadSerializer
    queryset = Lead.objects.none()

    def get_queryset(self):
        return selectors.lead_list(self.request.user, _params(self.request, ("status", "source", "risk", "kind", "q")))


@extend_schema_view(list=extend_schema(summary="矛盾纠纷台账"), retrieve=extend_schema(summary="矛盾纠纷"))
class DisputeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DisputeSerializer
    queryset = Dispute.objects.none()

    def get_queryset(self):
        return selectors.dispute_list(self.request.user, _params(
            self.request, ("status", "kind", "risk", "level", "q"))).select_related("agreement")

    @extend_schema(parameters=[StatsQuerySerializer], summary="矛盾纠纷与信访统计（含口径）",
                   responses={200: dict})
    @action(detail=False, methods=["get"])
    def statistics(self, request):
        require(request.user, "disputes.stats")
        ser = StatsQuerySerializer(data=request.query_params)
        ser.is_valid(raise_exception=True)
        date_from, date_to = selectors.default_range()
        date_from = ser.validated_data.get("date_from", date_from)
        date_to = ser.validated_data.get("date_to", date_to)
        if date_from > date_to:
            raise serializers.ValidationError({"date_from": "起始日期不能晚于截止日期。"})
        figures = selectors.statistics(request.user, date_from=date_from, date_to=date_to)
        figures["definition"] = selectors.statistics.__doc__
        return Response(figures)


class PetitionCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Petition.Channel.choices)
    received_on = serializers.DateField(required=False)
    petitioner_name = serializers.CharField(max_length=60)
    petitioner_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    petitioner_address = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    people = serializers.IntegerField(min_value=1, default=1)
    subject = serializers.CharField(max_length=120)
    content = serializers.CharField()


@extend_schema_view(list=extend_schema(summary="信访事项"), retrieve=extend_schema(summary="信访事项"))
class PetitionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PetitionSerializer
    queryset = Petition.objects.none()

    def get_serializer_class(self):
        return PetitionCreateSerializer if self.action == "create" else PetitionSerializer

    def get_queryset(self):
        return selectors.petition_list(self.request.user, _params(
            self.request, ("status", "channel", "petition_class", "route", "q")))

    @extend_schema(request=PetitionCreateSerializer, responses={201: PetitionSerializer}, summary="登记信访事项")
    def create(self, request, *args, **kwargs):
        require(request.user, "disputes.petition_handle")
        ser = PetitionCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["received_on"] = d.get("received_on") or timezone.localdate()
        petition = services.petition_register(town=request.user.town, actor=request.user, **d)
        return Response(PetitionSerializer(petition).data, status=201)


ROUTES = [
    ("disputes/leads", LeadViewSet, "disputes-lead"),
    ("disputes/disputes", DisputeViewSet, "disputes-dispute"),
    ("disputes/petitions", PetitionViewSet, "disputes-petition"),
]
