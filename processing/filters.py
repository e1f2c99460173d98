"""The officials' worklist filters, used by the worklist page and its CSV export alike."""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role
from applications.models import Application, ReviewAssignment, Status
from core.widgets import QuickSelect
from grants.models import EmphasisArea

PROCESSING_STATUSES = [choice for choice in Status.choices if choice[0] != Status.DRAFT]


# The municipality and region lists change only when an organisation is edited: the process where that
# happens forgets them at once (processing/signals.py), the others within five minutes.
MUNICIPALITY_LIST_SECONDS = 300


def forget_municipality_lists():
    cache.delete_many(
        ["municipality-regions", *(f"municipality-choices:{code}" for code, _name in settings.LANGUAGES)]
    )


def regions():
    def build():
        names = (
            Organisation.objects.municipalities().exclude(region_fi="").values_list("region_fi", flat=True)
        )
        return [(name, name) for name in sorted(set(names))]

    return cache.get_or_set("municipality-regions", build, MUNICIPALITY_LIST_SECONDS)


def municipality_choices():
    """(id, name in the page's language) of every municipality, kept in the cache for a while: the list is
    the same on every worklist page and building 309 model instances for it was a fifth of the page."""
    language = get_language() or "fi"

    def build():
        return [(o.pk, o.name) for o in Organisation.objects.municipalities().order_by("name_fi")]

    return cache.get_or_set(f"municipality-choices:{language}", build, MUNICIPALITY_LIST_SECONDS)


class WorklistFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        help_text=_("Project name, case number or summary."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PROCESSING_STATUSES, empty_label=_("All"))
    emphasis_area = django_filters.ModelChoiceFilter(
        label=_("Emphasis area"), queryset=EmphasisArea.objects.none(), empty_label=_("All")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region of the lead applicant"),
        field_name="lead__region_fi",
        choices=regions,
        empty_label=_("All"),
    )
    municipality = django_filters.ChoiceFilter(
        label=_("Municipality (lead or participant)"),
        choices=lambda: municipality_choices(),
        method="taking_part",
        empty_label=_("All"),
    )
    reviewer = django_filters.ModelChoiceFilter(
        label=_("Reviewer"),
        queryset=get_user_model().objects.none(),
        method="reviewed_by",
        empty_label=_("All"),
    )
    amount_min = django_filters.NumberFilter(
        label=_("Requested at least (€)"), field_name="requested_amount", lookup_expr="gte", min_value=0
    )
    amount_max = django_filters.NumberFilter(
        label=_("Requested at most (€)"), field_name="requested_amount", lookup_expr="lte", min_value=0
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("case_sequence", "case"),
            ("submitted_at", "submitted"),
            ("requested_amount", "amount"),
            ("lead__name_fi", "lead"),
            ("project_name", "name"),
        ],
        # django-filter keys an ascending label by model field and a descending one by "-parameter"; every
        # label is lazy, so each request gets its own language (its own "%s (descending)" is formatted once,
        # at import, in whatever language was active then).
        field_labels={
            "case_sequence": _("Case number"),
            "-case": _("Case number, descending"),
            "submitted_at": _("Submitted"),
            "-submitted": _("Submitted, newest first"),
            "requested_amount": _("Requested grant"),
            "-amount": _("Requested grant, largest first"),
            "lead__name_fi": _("Lead applicant"),
            "-lead": _("Lead applicant, Ö–A"),
            "project_name": _("Project name"),
            "-name": _("Project name, Ö–A"),
        },
        empty_label=None,
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["emphasis_area"].queryset = call.emphasis_areas.all()
        self.filters["reviewer"].queryset = (
            get_user_model().objects.filter(memberships__role=Role.REVIEWER).distinct().order_by("full_name")
        )
        self.form.fields["reviewer"].label_from_instance = lambda user: user.full_name or user.email
        for field in self.form.fields.values():
            # Plain selects only: the ordering's widget also parses comma-separated values.
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(choices=field.widget.choices, attrs=field.widget.attrs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(project_name__icontains=value) | Q(case_number__icontains=value) | Q(summary__icontains=value)
        )

    def reviewed_by(self, queryset, name, value):
        return queryset.filter(pk__in=ReviewAssignment.objects.filter(reviewer=value).values("application"))

    def taking_part(self, queryset, name, value):
        # A subquery rather than a join, so that each application appears once without DISTINCT.
        taking_part = Application.objects.filter(participants__organisation=value).values("pk")
        return queryset.filter(Q(lead=value) | Q(pk__in=taking_part))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by("case_sequence", "pk")
        else:
            queryset = queryset.order_by(*queryset.query.order_by, "pk")
        return queryset
