"""The data generator: realistic, consistent with every database rule, and reproducible from its seed."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from applications.models import Application, BudgetLine, CaseEvent, Decision, Participant, Score, Status
from grants.models import Call

pytestmark = pytest.mark.django_db


def generate(count, seed=1, **options):
    call_command(
        "generate_demo_data", applications=count, seed=seed, allow_without_debug=True, verbosity=0, **options
    )


def test_generates_every_status_with_its_records(published_2022):
    generate(6000)
    generated = Application.objects.filter(call__slug__startswith="gen-")
    assert generated.count() == 6000
    assert Call.objects.filter(slug__startswith="gen-").count() == 3
    statuses = set(generated.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.AWARDED, Status.REJECTED, Status.WITHDRAWN} <= statuses
    # Every application has its lead as a participant and at least one partner, and a budget.
    assert Participant.objects.filter(application__in=generated, role="lead").count() == 6000
    assert Participant.objects.filter(application__in=generated, role="partner").count() >= 6000
    assert (
        BudgetLine.objects.filter(application__in=generated).values("application").distinct().count() == 6000
    )
    decided = generated.filter(status__in=[Status.AWARDED, Status.REJECTED, Status.CLOSED])
    assert Decision.objects.filter(application__in=decided).count() == decided.count()
    assert Score.objects.filter(review__application__in=generated).exists()
    assert CaseEvent.objects.filter(application__in=generated).count() > 6000
    # Submitted applications have case numbers, unique per call.
    numbers = list(generated.exclude(status=Status.DRAFT).values_list("call", "case_sequence"))
    assert len(numbers) == len(set(numbers))


def test_the_same_seed_gives_the_same_data(published_2022):
    generate(300, seed=7)
    first = list(
        Application.objects.filter(call__slug__startswith="gen-")
        .order_by("pk")
        .values_list("project_name", "lead__code", "status")
    )
    generate(300, seed=7, delete=True)
    second = list(
        Application.objects.filter(call__slug__startswith="gen-")
        .order_by("pk")
        .values_list("project_name", "lead__code", "status")
    )
    assert first == second
    generate(300, seed=8, delete=True)
    third = list(
        Application.objects.filter(call__slug__startswith="gen-")
        .order_by("pk")
        .values_list("project_name", "lead__code", "status")
    )
    assert third != first


def test_refuses_to_run_twice_or_without_the_fixtures(db):
    with pytest.raises(CommandError, match="Load the fixtures first"):
        generate(10)


def test_refuses_without_debug(published_2022):
    with pytest.raises(CommandError, match="development and benchmarks only"):
        call_command("generate_demo_data", applications=10, verbosity=0)


@pytest.mark.postgres
def test_free_text_search_can_use_the_trigram_indexes(published_2022):
    """The worklist's search expression (icontains: UPPER(column) LIKE UPPER('%…%')) matches the trigram
    indexes: with sequential scans disallowed, PostgreSQL answers it from them. (Within one call the planner
    may still prefer the call's index; across calls and many rows these are what keep search fast.)"""
    from processing.filters import WorklistFilter

    generate(200)
    call = Call.objects.get(slug="gen-1")
    search = WorklistFilter(call=call).search
    queryset = search(Application.objects.all(), "q", "tiedonhallinta").only("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in ("project_name", "case_number", "summary"):
        assert f"application_{column}_trgm" in plan, plan
