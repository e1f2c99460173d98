"""Reads of calls shared by the public pages."""

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from .models import Call


def calls_for_home(now=None):
    """Every call, open ones first, then upcoming, then closed ones newest first."""
    now = now or timezone.now()
    return (
        Call.objects.public()
        .select_related("programme")
        .annotate(
            is_open_now=Case(
                When(Q(opens_at__lte=now, closes_at__gt=now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_upcoming=Case(
                When(opens_at__gt=now, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by("-is_open_now", "-is_upcoming", "-closes_at")
    )


def call_for_page(slug):
    return (
        Call.objects.public()
        .select_related("programme")
        .prefetch_related("emphasis_areas", "contacts", "evaluation_criteria")
        .filter(slug=slug)
    )
