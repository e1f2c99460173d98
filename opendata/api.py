"""The read-only JSON API (/api/v1/): calls, published awards and municipalities, with django-filter filters,
pagination and stable ordering, described by OpenAPI 3 (drf-spectacular). Unpublished data never appears."""

import django_filters
from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import routers, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.reverse import reverse
from rest_framework.throttling import AnonRateThrottle

from accounts.models import Organisation
from applications.models import Decision, Participant, ParticipationStatus
from grants.models import Call

from .caching import conditional_open_data


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


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FilterErrorsSerializer(serializers.Serializer):
    """A 400 answer: each refused parameter with its messages (or `detail` for the request as a whole)."""

    detail = serializers.CharField(required=False)


ERRORS = {
    400: OpenApiResponse(
        FilterErrorsSerializer, description="A parameter was refused: repeated, or not valid."
    ),
    404: OpenApiResponse(ErrorSerializer, description="No such page or object."),
    406: OpenApiResponse(ErrorSerializer, description="Only JSON is served."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests from this address; wait and retry."),
}


def page_parameter():
    return OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1, "maximum": 1000000},
        description="Page number (50 results a page).",
    )


def year_parameter():
    return OpenApiParameter(
        "year", {"type": "integer", "minimum": 1900, "maximum": 2999}, description="Year."
    )


class StrictPagination(PageNumberPagination):
    """A page number must be a positive whole number (an empty or malformed one is 400, not page 1);
    a page past the end is 404."""

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 1000000):
            raise ValidationError({"page": [_("A page is a whole number from 1 upwards.")]})
        return super().paginate_queryset(queryset, request, view)


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous clients (all of them: the API is open) per address, at OPEN_DATA_RATE."""

    def get_rate(self):
        return settings.OPEN_DATA_RATE


class OpenDataViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only open data: each parameter at most once and only the declared ones; ETag, Last-Modified
    and 304 answers, cacheable for five minutes by anyone."""

    pagination_class = StrictPagination
    throttle_classes = [AnonymousThrottle]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        repeated = sorted(
            name for name in request.query_params if len(request.query_params.getlist(name)) > 1
        )
        if repeated:
            raise ValidationError({name: [_("Give this parameter only once.")] for name in repeated})

    @method_decorator(conditional_open_data)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="Municipalities of Finland (2022 division)",
        parameters=[page_parameter()],
        responses={200: MunicipalitySerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One municipality, by its code", responses={200: MunicipalitySerializer, **ERRORS}
    ),
)
class MunicipalityViewSet(OpenDataViewSet):
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    queryset = Organisation.objects.municipalities().order_by("code")
    lookup_field = "code"
    lookup_value_regex = "[0-9]{3}"


@extend_schema_view(
    list=extend_schema(
        summary="Calls for applications",
        parameters=[page_parameter(), year_parameter()],
        responses={200: CallSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One call, by its address name", responses={200: CallSerializer, **ERRORS}
    ),
)
class CallViewSet(OpenDataViewSet):
    serializer_class = CallSerializer
    filterset_class = CallFilter
    queryset = Call.objects.public().order_by("-year", "slug")
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(
        summary="Published awards",
        parameters=[
            page_parameter(),
            year_parameter(),
            OpenApiParameter("emphasis_area", {"type": "integer", "minimum": 1, "maximum": 99}),
            OpenApiParameter("amount_min", {"type": "number", "minimum": 0, "maximum": 10**10}),
            OpenApiParameter("amount_max", {"type": "number", "minimum": 0, "maximum": 10**10}),
            OpenApiParameter("call", {"type": "string", "maxLength": 60}),
            OpenApiParameter(
                "municipality",
                {"type": "string", "maxLength": 3},
                description="Municipality code, lead or partner",
            ),
            OpenApiParameter("region", {"type": "string", "maxLength": 100}),
        ],
        responses={200: AwardSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="One published award", responses={200: AwardSerializer, **ERRORS}),
)
class AwardViewSet(OpenDataViewSet):
    serializer_class = AwardSerializer
    filterset_class = AwardFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        partners = Participant.objects.confirmed_partners().select_related("organisation")
        return (
            Decision.objects.published_awards()
            .select_related("application__call", "application__lead", "application__emphasis_area")
            # Only what AwardSerializer shows: the case's rows are wide and an API page reads 50 of them.
            .only(
                "granted_amount",
                "decision_date",
                "use_period_start",
                "use_period_end",
                "application__case_number",
                "application__project_name",
                "application__call__slug",
                "application__call__year",
                *(f"application__lead__{name}" for name in MunicipalitySerializer.Meta.fields),
                "application__emphasis_area__number",
            )
            .prefetch_related(
                Prefetch(
                    "application__participants",
                    queryset=partners.only("application", "organisation__code"),
                    to_attr="confirmed_partners",
                )
            )
            .order_by("application__call__year", "application__lead__code", "pk")
        )


class OpenDataRoot(routers.APIRootView):
    """/api/v1/: a link to each list, to the OpenAPI schema and to its documentation."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = reverse("api-schema", request=request)
        response.data["docs"] = reverse("api-docs", request=request)
        return response


class OpenDataRouter(routers.DefaultRouter):
    include_format_suffixes = False
    APIRootView = OpenDataRoot
