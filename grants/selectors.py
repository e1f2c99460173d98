"""Reads of calls shared by the public pages."""

from django.core.cache import cache
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from .models import Call


def calls_for_home(now=None):
    """Every call, open ones first, then upcoming, then closed ones newest first."""
    now = now or timezone.now()
    return (
        Call.objects.select_related("programme")
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
        Call.objects.select_related("programme")
        .prefetch_related("emphasis_areas", "contacts", "evaluation_criteria")
        .filter(slug=slug)
    )


# How long a process may go on using a call's results version that it read. Every change to the results
# deletes the key at once (applications/cache.py); with a cache shared by all processes (CACHE_URL=redis://…)
# that reaches them all, with each process's own cache (the default) the others see it within this time.
RESULTS_VERSION_SECONDS = 10


def results_version_key(slug):
    return f"results-version:{slug}"


def published_results_version(slug):
    """(pk, results_published_on, results_version) of a call with published results, or None; from the
    cache when it can, so that a cached results page costs no query at all."""
    key = results_version_key(slug)
    version = cache.get(key)
    if version is None:
        version = (
            Call.objects.filter(slug=slug, results_published_on__isnull=False)
            .values_list("pk", "results_published_on", "results_version")
            .first()
        )
        if version is not None:  # an unpublished call is asked again: its publication shows at once
            cache.set(key, version, RESULTS_VERSION_SECONDS)
    return version
