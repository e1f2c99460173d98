"""The read-only JSON API (/api/v1/): calls, published awards and municipalities, with django-filter filters,
pagination and stable ordering, described by OpenAPI 3 (drf-spectacular). Unpublished data never appears."""

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from accounts.models import Organisation
from applications.models import Decision, Participant, ParticipationStatus
from grants.models import Call


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["code", "name_fi", "name_sv", "region_fi", "region_sv"]


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Call
        fields = [
            "slug",
            "year",
            "name_fi",
            "name_sv",
            "name_en",
            "appropriation",
            "opens_at",
            "closes_at",
            "use_period_end",
            "max_share_percent",
            "min_municipalities",
            "decision_date",
            "results_published_on",
        ]


class AwardSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(source="application.call", slug_field="slug", read_only=True)
    year = serializers.IntegerField(source="application.call.year", read_only=True)
    case_number = serializers.CharField(source="application.case_number", read_only=True, allow_null=True)
    project_name = serializers.CharField(source="application.project_name", read_only=True)
    lead = MunicipalitySerializer(source="application.lead", read_only=True)
    participants = serializers.SerializerMethodField()
    emphasis_area = serializers.IntegerField(
        source="application.emphasis_area.number", read_only=True, allow_null=True
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "call",
            "year",
            "case_number",
            "project_name",
            "lead",
            "participants",
            "emphasis_area",
            "granted_amount",
            "decision_date",
            "use_period_start",
            "use_period_end",
        ]

    def get_participants(self, decision) -> list[str]:
        """Codes of the confirmed partner municipalities; empty where they were never published."""
        return [p.organisation.code for p in decision.application.confirmed_partners]


class MunicipalityFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region_fi", max_length=100)

    class Meta:
        model = Organisation
        fields = []


class CallFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(min_value=1900, max_value=2999)

    class Meta:
        model = Call
        fields = []


class AwardFilter(django_filters.FilterSet):
    call = django_filters.CharFilter(field_name="application__call__slug", max_length=60)
    year = django_filters.NumberFilter(field_name="application__call__year", min_value=1900, max_value=2999)
    municipality = django_filters.CharFilter(
        method="taking_part", max_length=3, help_text="Municipality code, lead or partner"
    )
    region = django_filters.CharFilter(field_name="application__lead__region_fi", max_length=100)
    emphasis_area = django_filters.NumberFilter(
        field_name="application__emphasis_area__number", min_value=1, max_value=99
    )
    amount_min = django_filters.NumberFilter(
        field_name="granted_amount", lookup_expr="gte", min_value=0, max_value=10**10
    )
    amount_max = django_filters.NumberFilter(
        field_name="granted_amount", lookup_expr="lte", min_value=0, max_value=10**10
    )

    class Meta:
        model = Decision
        fields = []

    def taking_part(self, queryset, name, value):
        partner = Participant.objects.filter(organisation__code=value, status=ParticipationStatus.CONFIRMED)
        return queryset.filter(
            Q(application__lead__code=value) | Q(application__in=partner.values("application"))
        )


@extend_schema(summary="Municipalities of Finland (2022 division)")
class MunicipalityList(generics.ListAPIView):
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    queryset = Organisation.objects.municipalities().order_by("code")


@extend_schema(summary="Calls for applications")
class CallList(generics.ListAPIView):
    serializer_class = CallSerializer
    filterset_class = CallFilter
    queryset = Call.objects.public().order_by("-year", "slug")


@extend_schema(summary="Published awards")
class AwardList(generics.ListAPIView):
    serializer_class = AwardSerializer
    filterset_class = AwardFilter

    def get_queryset(self):
        partners = Participant.objects.confirmed_partners().select_related("organisation")
        return (
            Decision.objects.published_awards()
            .select_related("application__call", "application__lead", "application__emphasis_area")
            .prefetch_related(
                Prefetch("application__participants", queryset=partners, to_attr="confirmed_partners")
            )
            .order_by("application__call__year", "application__lead__code", "pk")
        )
