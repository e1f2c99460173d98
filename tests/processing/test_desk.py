"""What needs me now: where each role lands after signing in, what its page lists, and the counts in the
navigation; for municipality staff, the next action and its deadline on My cases."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Participant
from tests.conftest import end_application_period, propose_award, verify_second_factor

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client()
    client.force_login(user)
    if not user.memberships.filter(role="applicant").exists():
        verify_second_factor(client, user)
    return client


def nav_count(page, label):
    """The number shown beside a navigation item, or None."""
    import re

    match = re.search(rf"{label}\s+<span class=\"nav-count\">(\d+)<", page)
    return int(match.group(1)) if match else None


def test_each_role_lands_on_its_own_page_after_signing_in(people, ministry_people):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "lead@example.fi", "password": "a-good-test-password"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get(response["Location"])["Location"] == "/fi/applications/"  # in the user's language
    for user in (people["official"], ministry_people["reviewer"], ministry_people["decision_maker"]):
        signed_in = browser(user)
        assert signed_in.get(reverse("landing"))["Location"] == reverse("processing:desk")


def test_the_official_sees_new_applications_answers_and_overdue_requests(submitted_case, people):
    official = browser(people["official"])
    page = official.get(reverse("processing:desk")).content.decode()
    assert "1 new application to check" in page
    assert reverse("processing:case", kwargs={"pk": submitted_case.pk}) + "#eligibility-title" in page
    assert nav_count(page, "My tasks") == 1

    request = services.request_information(
        application=submitted_case,
        message="Tarkentakaa.",
        deadline=timezone.localdate() + dt.timedelta(days=7),
        by=people["official"],
    )
    services.answer(request, answer="Vastaus", by=people["lead"])
    page = official.get(reverse("processing:desk")).content.decode()
    assert "1 answered request for information" in page and nav_count(page, "My tasks") == 2

    late = services.request_information(
        application=submitted_case,
        message="Toinen kysymys.",
        deadline=timezone.localdate() + dt.timedelta(days=1),
        by=people["official"],
    )
    type(late).objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    page = official.get(reverse("processing:desk")).content.decode()
    assert "1 overdue item" in page and "information was due" in page


def test_the_official_sees_final_reports_past_their_due_date(awarded_project, people):
    """Due the call's final_report_months (2) after the use period ends; not when it is still to come,
    nor once the final report is in."""
    from applications.models import Decision
    from applications.rules import add_months

    official = browser(people["official"])
    today = timezone.localdate()

    def ended(day):
        Decision.objects.filter(application=awarded_project).update(
            use_period_start=add_months(day, -12), use_period_end=day
        )
        return official.get(reverse("processing:desk")).content.decode()

    page = ended(add_months(today, -2))  # due today: not yet late
    assert "final report was due" not in page and "Nothing is overdue." in page
    end = add_months(today, -3)
    page = ended(end)
    due = add_months(end, 2)
    assert f"final report was due {due.day}.{due.month}.{due.year}" in page
    assert reverse("processing:project", kwargs={"pk": awarded_project.pk}) in page
    services.submit_report(
        application=awarded_project,
        kind="final",
        achieved="Valmis",
        spread="Verkkosivut",
        continues="Ylläpito",
        realised_costs=D("100000"),
        own_financing=D("20000"),
        by=people["lead"],
    )
    page = official.get(reverse("processing:desk")).content.decode()
    assert "final report was due" not in page and "Nothing is overdue." in page


def test_the_reviewer_sees_assigned_reviews_with_their_dates(submitted_case, people, ministry_people):
    due = timezone.localdate() + dt.timedelta(days=10)
    services.assign_reviewers(
        applications=[submitted_case],
        reviewers=[ministry_people["reviewer"]],
        by=people["official"],
        due_date=due,
    )
    reviewer = browser(ministry_people["reviewer"])
    page = reviewer.get(reverse("processing:desk")).content.decode()
    assert reverse("processing:review", kwargs={"pk": submitted_case.reviews.get().pk}) in page
    assert f"review by {due.day}.{due.month}.{due.year}" in page
    assert nav_count(page, "My tasks") == 1
    # Another reviewer has nothing waiting.
    other = browser(ministry_people["reviewer2"]).get(reverse("processing:desk")).content.decode()
    assert "No review waits for you." in other and nav_count(other, "My tasks") is None


def test_a_review_date_cannot_be_in_the_past(submitted_case, people, ministry_people):
    with pytest.raises(services.WorkflowError):
        services.assign_reviewers(
            applications=[submitted_case],
            reviewers=[ministry_people["reviewer"]],
            by=people["official"],
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )


def test_the_decision_maker_sees_proposals_against_the_appropriation(submitted_case, people, ministry_people):
    propose_award(submitted_case, people["official"])
    end_application_period(submitted_case.call)
    page = browser(ministry_people["decision_maker"]).get(reverse("processing:desk")).content.decode()
    assert submitted_case.display_name in page and "presented by Olli Official" in page
    appropriation = submitted_case.call.appropriation
    left = f"{appropriation - D('80000'):,.0f}"  # the English page: 920,000 €
    assert "<dd>80,000\xa0€</dd>" in page and f"<dd>{left}\xa0€</dd>" in page
    assert nav_count(page, "My tasks") == 1


def test_the_desk_keeps_a_fixed_number_of_queries(submitted_case, people, ministry_people, municipalities):
    official = browser(people["official"])
    official.get(reverse("processing:desk"))
    with CaptureQueriesContext(connection) as one:
        official.get(reverse("processing:desk"))
    # A second case of everything: the same queries.
    second = services.start_application(
        call=submitted_case.call, lead=municipalities["other"], project_name="Toinen", by=people["other"]
    )
    assert second.pk
    official.get(reverse("processing:desk"))  # the navigation's count, out of date after the change, again
    with CaptureQueriesContext(connection) as two:
        official.get(reverse("processing:desk"))
    assert len(one) == len(two)


def test_municipality_staff_see_their_turn_and_its_deadline(draft, people, municipalities):
    partner = browser(people["partner"])
    page = partner.get(reverse("applications:my-cases")).content.decode()
    closes = timezone.localtime(draft.call.closes_at).date()
    assert "Your turn" in page and f"{closes.day}.{closes.month}.{closes.year}" in page
    assert reverse("applications:detail", kwargs={"pk": draft.pk}) + "#participation-title" in page
    assert nav_count(page, "My cases") == 1
    vantaa = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    services.respond_to_participation(participant=vantaa, confirm=True, by=people["partner"])
    page = partner.get(reverse("applications:my-cases")).content.decode()
    assert nav_count(page, "My cases") is None and "Your turn" not in page


def test_the_lead_is_asked_to_answer_an_information_request(submitted_case, people):
    deadline = timezone.localdate() + dt.timedelta(days=7)
    request = services.request_information(
        application=submitted_case, message="Tarkentakaa.", deadline=deadline, by=people["official"]
    )
    page = browser(people["lead"]).get(reverse("applications:my-cases")).content.decode()
    assert "Answer the ministry&#x27;s request for additional information" in page
    assert (
        reverse("applications:answer-request", kwargs={"pk": submitted_case.pk, "request_pk": request.pk})
        in page
    )
    assert nav_count(page, "My cases") == 1
    # The partner sees the processing, not the lead's task.
    partner_page = browser(people["partner"]).get(reverse("applications:my-cases")).content.decode()
    assert "The ministry is processing the application." in partner_page


def test_the_waiting_work_counts_are_one_query_then_kept_until_the_work_changes(
    submitted_case, people, ministry_people
):
    """Counted in one query, whatever the roles; no query on the next pages; counted again after a change."""
    from accounts.models import Role
    from tests.factories import MembershipFactory

    official = people["official"]
    MembershipFactory(user=official, organisation=official.memberships.get().organisation, role=Role.REVIEWER)
    client = browser(official)
    privacy = reverse("grants:privacy")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(privacy).content.decode()
        counting = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
        return page, counting

    page, counting = count_queries()
    assert nav_count(page, "My tasks") == 1 and len(counting) == 1
    page, counting = count_queries()
    assert nav_count(page, "My tasks") == 1 and counting == []

    services.request_information(
        application=submitted_case,
        message="Tarkentakaa.",
        deadline=timezone.localdate() + dt.timedelta(days=7),
        by=official,
    )
    services.answer(submitted_case.information_requests.get(), answer="Vastaus", by=people["lead"])
    page, counting = count_queries()
    assert nav_count(page, "My tasks") == 2 and len(counting) == 1
