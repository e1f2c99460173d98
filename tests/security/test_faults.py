"""Faults: a database that fails in the middle of a service leaves nothing half-written, a database outage
answers 503 and the service recovers by itself, and the health endpoints tell a load balancer which is which.

Failures are injected with Django's own database instrumentation (`connection.execute_wrapper`): the
chosen statement reaches the wrapper and fails there as a broken connection would, so everything before it
in the same transaction has really run against the database and must be rolled back."""

import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from applications.models import CaseEvent, Decision, PaymentRequest, PaymentStatus, Status
from tests.conftest import deliver_mail, delivered

pytestmark = pytest.mark.django_db


@contextmanager
def failing(statement_pattern, after=0):
    """Makes the (after+1)-th statement matching the pattern fail as a lost connection does."""
    pattern = re.compile(statement_pattern, re.IGNORECASE)
    seen = {"count": 0}

    def wrapper(execute, sql, params, many, context):
        if pattern.search(sql):
            seen["count"] += 1
            if seen["count"] > after:
                raise OperationalError("server closed the connection unexpectedly (injected)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def browser(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path) for path in root.rglob("*") if path.is_file())


JOURNAL_INSERT = r'^INSERT INTO "applications_caseevent"'


def test_submission_failing_at_the_journal_leaves_the_draft_as_it_was(ready, people):
    lead = browser(people["lead"])
    events = CaseEvent.objects.count()
    with failing(JOURNAL_INSERT):
        response = lead.post(reverse("applications:submit", kwargs={"pk": ready.pk}), {"declaration": "on"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    ready.refresh_from_db()
    assert (ready.status, ready.case_number, ready.case_sequence, ready.submitted_at) == (
        Status.DRAFT,
        None,
        None,
        None,
    )
    assert CaseEvent.objects.count() == events
    deliver_mail()
    assert delivered("submitted") == [], "no receipt for a submission that did not happen"
    # The same request succeeds once the database is well again.
    assert (
        lead.post(reverse("applications:submit", kwargs={"pk": ready.pk}), {"declaration": "on"}).status_code
        == 302
    )
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED and ready.case_sequence == 1


def test_approval_failing_after_the_document_is_archived_approves_nothing(
    submitted_case, people, ministry_people
):
    from tests.conftest import end_application_period, propose_award

    propose_award(submitted_case, people["official"])
    end_application_period(submitted_case.call)
    files = stored_files()
    decider = browser(ministry_people["decision_maker"])
    url = reverse("processing:approve-all", kwargs={"slug": submitted_case.call.slug})
    # The decision and the case are saved and the documents written before the journal entry fails.
    with failing(JOURNAL_INSERT) as seen:
        response = decider.post(url, {"confirm": "1", "decision": [Decision.objects.get().pk]})
    assert seen["count"] == 1
    assert response.status_code == 503
    decision = Decision.objects.get()
    assert (decision.status, decision.approved_by, decision.document_pdf.name) == ("proposed", None, "")
    submitted_case.refresh_from_db()
    assert submitted_case.status == Status.SUBMITTED
    assert stored_files() == files, "the archived documents of the rolled-back approval are removed"
    deliver_mail()
    assert delivered("decision-grant") == [], "the queued mail rolled back with the approval"
    decider.post(url, {"confirm": "1", "decision": [Decision.objects.get().pk]})
    decision.refresh_from_db()
    assert decision.status == "approved" and decision.document_pdf.name


def test_payment_approval_failing_at_the_journal_keeps_the_request_unchecked(
    late_in_use_period, awarded_project, people
):
    from tests.applications.test_followup import action, official_action, payment_data

    assert (
        browser(people["lead"])
        .post(action(awarded_project, "payment"), payment_data(awarded_project))
        .status_code
        == 302
    )
    request = PaymentRequest.objects.get()
    official = browser(people["official"])
    with failing(JOURNAL_INSERT):
        response = official.post(official_action(awarded_project, "approve-payment", request.pk), {})
    assert response.status_code == 503
    request.refresh_from_db()
    assert (request.status, request.approved_amount) == (PaymentStatus.SUBMITTED, None)
    official.post(official_action(awarded_project, "approve-payment", request.pk), {})
    request.refresh_from_db()
    assert request.status == PaymentStatus.APPROVED and request.approved_amount == Decimal("59500.00")


def test_removing_personal_data_failing_halfway_keeps_the_account_whole(people):
    from accounts.personal_data import pseudonymise

    user = people["lead"]
    with failing(r'^DELETE FROM "accounts_membership"'), pytest.raises(OperationalError):
        pseudonymise(user, by=people["official"])
    user.refresh_from_db()
    assert (user.email, user.full_name, user.is_active) == ("lead@example.fi", "Eeva Espoo", True)
    assert Membership.objects.filter(user=user).exists()


# --- Outage and health -----------------------------------------------------------------------------


def test_pages_answer_503_while_the_database_is_down_and_recover_without_restart(people):
    lead = browser(people["lead"])
    with failing(r"."):
        for url in [reverse("applications:my-cases"), reverse("grants:home"), "/readyz"]:
            response = lead.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
        page = lead.get(reverse("applications:my-cases")).content.decode()
        assert "Palvelu on hetken poissa käytöstä" in page and "Tjänsten är tillfälligt otillgänglig" in page
    assert lead.get(reverse("applications:my-cases")).status_code == 200
    assert lead.get("/readyz").content == b"ready"


def test_a_programming_error_is_still_a_500_not_a_503(people, monkeypatch):
    from applications.views import base

    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(base.MyCasesView, "get", broken)
    response = browser(people["lead"]).get(reverse("applications:my-cases"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    with failing(r"."):
        assert client.get("/healthz").status_code == 200


def test_readyz_checks_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ready")
    assert client.post("/readyz").status_code == 405


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_outage_answers_503_and_the_next_request_after_it_succeeds(live_server):
    """PostgreSQL refuses new connections to the database (as during a failover), then accepts them again."""
    import urllib.error
    import urllib.request

    def status(path):
        try:
            with urllib.request.urlopen(live_server.url + path, timeout=30) as response:
                return response.status, response.headers.get("Retry-After")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Retry-After")

    import psycopg

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    admin = psycopg.connect(**params, autocommit=True)

    def database_accepts_connections(allowed):
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                [name, own_pid],
            )

    assert status("/readyz") == (200, None)
    database_accepts_connections(False)
    try:
        assert status("/readyz") == (503, "30")
        assert status(reverse("grants:home")) == (503, "30")
        assert status("/healthz") == (200, None)
    finally:
        database_accepts_connections(True)
        admin.close()
    assert status("/readyz") == (200, None)
    assert status(reverse("grants:home")) == (200, None)
