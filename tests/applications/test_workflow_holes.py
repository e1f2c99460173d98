"""The holes that independent probing of commit 8daacf6 found, each tried again through the web pages as
the people involved would: each of these tests failed before the workflow became the one authority."""

from decimal import Decimal

import pytest
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import CaseEvent, Decision, DecisionStatus, EventKind, Status
from tests.conftest import end_application_period, propose_award
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_withdrawn_application_is_never_awarded_nor_published(
    client, submitted_case, people, ministry_people
):
    decision = propose_award(submitted_case, people["official"])
    signed_in(client, people["lead"]).post(
        reverse("applications:withdraw", kwargs={"pk": submitted_case.pk}),
        {"reason": "Hanke peruttiin.", "confirm": "on"},
    )
    submitted_case.refresh_from_db()
    assert submitted_case.status == Status.WITHDRAWN
    end_application_period(submitted_case.call)
    decider = signed_in(client, ministry_people["decision_maker"])
    decisions = reverse("processing:decisions", kwargs={"slug": submitted_case.call.slug})
    page = decider.get(decisions).content.decode()
    assert "The application has been withdrawn." in page
    assert reverse("processing:approve", kwargs={"pk": decision.pk}) not in page
    refused = decider.post(reverse("processing:approve", kwargs={"pk": decision.pk}), follow=True)
    assert "The application has been withdrawn." in refused.content.decode()
    all_refused = decider.post(
        reverse("processing:approve-all", kwargs={"slug": submitted_case.call.slug}),
        {"confirm": "1", "decision": [decision.pk]},
    )
    assert all_refused.status_code == 302
    decision.refresh_from_db()
    submitted_case.refresh_from_db()
    assert (decision.status, submitted_case.status) == (DecisionStatus.PROPOSED, Status.WITHDRAWN)
    assert not CaseEvent.objects.filter(application=submitted_case, kind=EventKind.DECIDED).exists()
    # With nothing left to decide, the results are published without it.
    signed_in(client, people["official"]).post(
        reverse("processing:publish", kwargs={"slug": submitted_case.call.slug}), {"confirm": "1"}
    )
    client.logout()
    results = client.get(reverse("opendata:call-results", kwargs={"slug": submitted_case.call.slug}))
    assert "Yhteinen tiedonhallinta" not in results.content.decode()


@pytest.mark.parametrize("presenter", ["official_and_decision_maker", "superuser"])
def test_the_presenter_never_decides_their_own_proposal(
    client, submitted_case, people, ministry_people, presenter
):
    from accounts.models import User

    if presenter == "superuser":
        both = User.objects.create_superuser("root@example.fi", "a-good-test-password", full_name="Root")
    else:
        both = people["official"]
        MembershipFactory(
            user=both,
            organisation=ministry_people["decision_maker"].memberships.get().organisation,
            role=Role.DECISION_MAKER,
        )
    decision = propose_award(submitted_case, both)
    end_application_period(submitted_case.call)
    approve = reverse("processing:approve", kwargs={"pk": decision.pk})
    page = signed_in(client, both).post(approve, follow=True).content.decode()
    assert "You presented this proposal; another decision-maker must decide it." in page
    assert approve not in page
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and decision.approved_by is None
    # Another decision-maker decides; both are on record.
    signed_in(client, ministry_people["decision_maker"]).post(approve)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    assert (decision.proposed_by, decision.approved_by) == (both, ministry_people["decision_maker"])


def test_nothing_is_decided_or_published_while_the_call_is_open(
    client, submitted_case, people, ministry_people
):
    decision = propose_award(submitted_case, people["official"])
    assert submitted_case.call.is_open()
    decider = signed_in(client, ministry_people["decision_maker"])
    refused = decider.post(reverse("processing:approve", kwargs={"pk": decision.pk}), follow=True)
    assert "Decisions are made after the application period has ended" in refused.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED
    publish = reverse("processing:publish", kwargs={"slug": submitted_case.call.slug})
    official = signed_in(client, people["official"])
    assert (
        "Decisions are made after the application period has ended"
        in official.get(
            reverse("processing:decisions", kwargs={"slug": submitted_case.call.slug})
        ).content.decode()
    )
    official.post(publish, {"confirm": "1"})
    submitted_case.call.refresh_from_db()
    assert submitted_case.call.results_published_on is None


def test_once_results_are_published_nothing_is_submitted_withdrawn_or_proposed(
    client, ready, submitted_case, people
):
    """Publication needs every application decided, so a submitted one in a published call can come only
    from outside the workflow (an import, a data fix); even then nothing moves."""
    from applications import services
    from grants.models import Call

    Call.objects.filter(pk=submitted_case.call_id).update(results_published_on=timezone.localdate())
    lead = signed_in(client, people["lead"])
    page = lead.get(submitted_case.get_absolute_url()).content.decode()
    assert reverse("applications:withdraw", kwargs={"pk": submitted_case.pk}) not in page
    refused = lead.post(
        reverse("applications:withdraw", kwargs={"pk": submitted_case.pk}),
        {"reason": "x", "confirm": "on"},
        follow=True,
    )
    assert "results have been published" in refused.content.decode()
    submitted_case.refresh_from_db()
    assert submitted_case.status == Status.SUBMITTED
    second = services.start_application(
        call=submitted_case.call, lead=submitted_case.lead, project_name="Toinen", by=people["lead"]
    )
    with pytest.raises(services.WorkflowError, match="results have been published"):
        services.submit_application(application=second, by=people["lead"])
    proposal = reverse("processing:proposal", kwargs={"pk": submitted_case.pk})
    data = {"outcome": "negative", "language": "fi", "grounds_fi": "Ei rahaa."}
    answer = signed_in(client, people["official"]).post(proposal, data, follow=True).content.decode()
    assert "results have been published" in answer
    assert not Decision.objects.filter(application=submitted_case).exists()


def admin_post(admin_client, url, **changes):
    """Posts the admin's change form back as shown, with `changes`, leaving every inline as it is."""
    response = admin_client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value, widget = form[name].value(), field.widget
        if isinstance(widget, MultiWidget):  # the admin's date and time halves
            for index, (part, sub) in enumerate(zip(widget.decompress(value), widget.widgets, strict=True)):
                data[f"{name}_{index}"] = sub.format_value(part)
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        data.update(
            {f"{inline.formset.prefix}-TOTAL_FORMS": "0", f"{inline.formset.prefix}-INITIAL_FORMS": "0"}
        )
    data.update(changes)
    posted = admin_client.post(url, {name: value for name, value in data.items() if value is not None})
    assert posted.status_code == 302, posted.context["adminform"].form.errors
    return response.content.decode()


def test_the_admin_cannot_change_an_application_s_status(admin_client, submitted_case):
    url = reverse("admin:applications_application_change", args=[submitted_case.pk])
    page = admin_post(admin_client, url, status=Status.AWARDED, summary="Korjattu tiivistelmä")
    assert 'name="status"' not in page
    submitted_case.refresh_from_db()
    assert submitted_case.summary == "Korjattu tiivistelmä", "the rest of the form was saved"
    assert submitted_case.status == Status.SUBMITTED
    assert not CaseEvent.objects.filter(application=submitted_case, kind=EventKind.DECIDED).exists()


def test_the_admin_cannot_publish_a_call_s_results(admin_client, submitted_case):
    from grants.models import Call

    call = submitted_case.call
    url = reverse("admin:grants_call_change", args=[call.pk])
    page = admin_post(
        admin_client, url, results_published_on=timezone.localdate().isoformat(), name_fi="Korjattu"
    )
    assert 'name="results_published_on"' not in page
    call = Call.objects.get(pk=call.pk)
    assert call.name_fi == "Korjattu", "the rest of the form was saved"
    assert call.results_published_on is None


def test_the_decision_letter_states_the_report_deadline_of_the_call(
    client, submitted_case, people, ministry_people
):
    from applications import rules
    from grants.models import Call

    Call.objects.filter(pk=submitted_case.call_id).update(final_report_months=5)
    submitted_case.call.refresh_from_db()
    decision = propose_award(submitted_case, people["official"])
    end_application_period(submitted_case.call)
    signed_in(client, ministry_people["decision_maker"]).post(
        reverse("processing:approve", kwargs={"pk": decision.pk})
    )
    decision.refresh_from_db()
    end = decision.use_period_end
    due, two_months = rules.add_months(end, 5), rules.add_months(end, 2)
    text = (
        signed_in(client, people["lead"])
        .get(reverse("applications:decision", kwargs={"pk": submitted_case.pk}))
        .content.decode()
    )
    assert f"{due.day}.{due.month}.{due.year}" in text
    assert f"{two_months.day}.{two_months.month}.{two_months.year}" not in text
    # The follow-up page and the reminders read the same date.
    project = signed_in(client, people["lead"]).get(
        reverse("applications:project", kwargs={"pk": submitted_case.pk})
    )
    assert project.context["figures"].report_due == due
    assert decision.granted_amount == Decimal("80000")


def test_a_municipality_that_declined_reads_the_draft_but_not_the_submitted_case(
    client, ready, people, municipalities
):
    """Red-team finding 14: Vantaa declined and still read the case, its files and its follow-up."""
    from applications import services

    partner2 = services.add_participant(
        application=ready, organisation=municipalities["partner2"], share_percent=None, by=people["lead"]
    )
    services.respond_to_participation(participant=partner2, confirm=False, by=people["partner2"])
    client.force_login(people["partner2"])
    url = reverse("applications:detail", kwargs={"pk": ready.pk})
    assert client.get(url).status_code == 200  # the draft: it may still change its mind
    services.respond_to_participation(participant=partner2, confirm=True, by=people["partner2"])
    services.respond_to_participation(participant=partner2, confirm=False, by=people["partner2"])
    services.submit_application(application=ready, by=people["lead"])
    assert client.get(url).status_code == 404
    client.force_login(people["partner"])  # a confirmed partner still reads it
    assert client.get(url).status_code == 200
