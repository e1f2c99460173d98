"""'My cases': the user's municipalities' applications as lead or participant, and what is expected next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from tests.factories import ApplicationFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_lead_and_partner_rows_with_next_steps(client, draft, people, open_call):
    client.force_login(people["partner"])
    response = client.get(reverse("applications:my-cases"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.application for row in rows] == [draft]
    assert not rows[0].is_lead
    assert "Confirm or decline" in rows[0].next_step
    html = response.content.decode()
    assert "Yhteinen tiedonhallinta" in html
    assert reverse("applications:start", kwargs={"slug": open_call.slug}) in html

    client.force_login(people["lead"])
    rows = client.get(reverse("applications:my-cases")).context["rows"]
    assert rows[0].is_lead and "submit it by" in rows[0].next_step


def test_other_municipalities_cases_are_not_listed(client, draft, people):
    client.force_login(people["other"])
    response = client.get(reverse("applications:my-cases"))
    assert response.context["rows"] == []
    assert "Yhteinen tiedonhallinta" not in response.content.decode()


def test_submitted_case_shows_case_number(client, ready, people):
    services.submit_application(application=ready, by=people["lead"])
    client.force_login(people["partner"])
    html = client.get(reverse("applications:my-cases")).content.decode()
    assert f"VM/1/{ready.call.year}" in html


def add_cases(lead, count, call):
    for _ in range(count):
        application = ApplicationFactory(call=call, lead=lead)
        ParticipantFactory(application=application, organisation=lead, role="lead", confirmed=True)
        ParticipantFactory(application=application, organisation=OrganisationFactory())


def test_query_count_does_not_grow_with_rows(client, people, municipalities, open_call):
    client.force_login(people["lead"])
    url = reverse("applications:my-cases")
    counts = []
    for extra, total, on_page in ((5, 5, 5), (495, 500, 50)):
        add_cases(municipalities["lead"], extra, open_call)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["rows"]) == on_page
        assert response.context["page"].paginator.count == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Every case once, across the pages, whether led or taken part in.
    seen = []
    for number in range(1, 11):
        seen += [row.application.pk for row in client.get(url, {"page": number}).context["rows"]]
    assert len(seen) == len(set(seen)) == 500


def test_detail_page_query_count_does_not_grow(client, draft, people, municipalities):
    from applications.models import EventKind
    from tests.factories import BudgetLineFactory, CaseEventFactory

    client.force_login(people["lead"])
    counts = []
    for extra in (2, 20):
        for _ in range(extra):
            BudgetLineFactory(application=draft)
            CaseEventFactory(application=draft, kind=EventKind.CREATED, actor=people["lead"])
            ParticipantFactory(application=draft, organisation=OrganisationFactory())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(draft.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
