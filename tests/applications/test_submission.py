"""Submitting: every rule, the case number, the frozen content, the journal and the receipts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import rules, services
from applications.models import CaseEvent, EventKind, Participant, ParticipationStatus, Status
from applications.services import WorkflowError
from tests.conftest import deliver_mail, delivered, squeezed
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def unmet_codes(application):
    application.refresh_from_db()
    return [rule.code for rule in rules.unmet_rules(application, timezone.now())]


def test_ready_application_meets_every_rule(ready):
    assert unmet_codes(ready) == []


def test_new_draft_lists_what_is_missing(draft):
    codes = unmet_codes(draft)
    for code in [
        "required_fields",
        "emphasis_area",
        "dates",
        "budget",
        "financing_balances",
        "max_share",
        "municipalities",
        "no_pending",
        "shares",
    ]:
        assert code in codes


@pytest.mark.parametrize(
    "change, code",
    [
        ({"requested_amount": Decimal("85000.01"), "own_financing": Decimal("14999.99")}, "max_share"),
        ({"own_financing": Decimal("14000.00")}, "financing_balances"),
        ({"emphasis_area": None}, "emphasis_area"),
        ({"summary": ""}, "required_fields"),
        ({"dissemination": "  "}, "required_fields"),
        ({"start_date": None}, "dates"),
        ({"requested_amount": Decimal("0"), "own_financing": Decimal("100000.00")}, "max_share"),
    ],
)
def test_each_content_rule(ready, people, change, code):
    services.save_draft(application=ready, values=change, by=people["lead"])
    assert unmet_codes(ready) == [code]


def test_end_after_use_period_fails_dates_rule(ready, people):
    ready.call.use_period_end = ready.end_date - dt.timedelta(days=1)
    ready.call.save()
    assert unmet_codes(ready) == ["dates"]


def test_pending_partner_blocks_and_declined_partner_does_not_count(ready, people, municipalities):
    pending = services.add_participant(
        application=ready,
        organisation=municipalities["partner2"],
        share_percent=Decimal("0"),
        by=people["lead"],
    )
    assert unmet_codes(ready) == ["no_pending"]
    services.respond_to_participation(participant=pending, confirm=False, by=people["partner2"])
    assert unmet_codes(ready) == []
    partner = Participant.objects.get(application=ready, organisation=municipalities["partner"])
    services.respond_to_participation(participant=partner, confirm=False, by=people["partner"])
    assert set(unmet_codes(ready)) == {"municipalities", "shares"}


def test_shares_must_add_up(ready, people):
    lead = Participant.objects.get(application=ready, role="lead")
    services.set_shares(application=ready, shares={lead.pk: Decimal("50")}, by=people["lead"])
    assert unmet_codes(ready) == ["shares"]


def test_pending_form_input_blocks(ready, people):
    services.save_draft(
        application=ready, values={}, pending_input={"requested_amount": ["abc"]}, by=people["lead"]
    )
    assert unmet_codes(ready) == ["no_pending_input"]


def test_submit_assigns_case_number_freezes_and_journals(ready, people):
    submitted = services.submit_application(application=ready, by=people["lead"])
    assert submitted.status == Status.SUBMITTED
    assert submitted.case_number == f"VM/1/{ready.call.year}"
    assert submitted.case_sequence == 1
    assert submitted.submitted_at is not None
    event = CaseEvent.objects.filter(application=ready, kind=EventKind.SUBMITTED).get()
    assert (event.actor, event.from_status, event.to_status) == (people["lead"], "draft", "submitted")
    with pytest.raises(WorkflowError, match="can no longer be changed"):
        services.save_draft(application=submitted, values={"summary": "changed"}, by=people["lead"])


def test_case_numbers_run_per_call(ready, people, open_call):
    services.submit_application(application=ready, by=people["lead"])
    ApplicationFactory(
        call=open_call,
        status=Status.WITHDRAWN,
        submitted_at=timezone.now(),
        case_sequence=2,
        case_number=f"VM/2/{open_call.year}",
    )
    other = ApplicationFactory(call=open_call)
    other.refresh_from_db()
    # Withdrawn applications keep their number, so the next one continues the sequence.
    from django.db.models import Max

    assert open_call.applications.aggregate(m=Max("case_sequence"))["m"] == 2


def test_second_submission_is_refused(ready, people):
    services.submit_application(application=ready, by=people["lead"])
    with pytest.raises(WorkflowError, match="already been submitted"):
        services.submit_application(application=ready, by=people["lead"])
    assert CaseEvent.objects.filter(application=ready, kind=EventKind.SUBMITTED).count() == 1


def test_submission_after_deadline_is_refused(ready, people):
    ready.call.closes_at = timezone.now() - dt.timedelta(seconds=1)
    ready.call.opens_at = timezone.now() - dt.timedelta(days=30)
    ready.call.save()
    with pytest.raises(WorkflowError, match="call is open"):
        services.submit_application(application=ready, by=people["lead"])
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT and ready.case_number is None


def test_deadline_is_exclusive_at_the_closing_moment(ready):
    closes = ready.call.closes_at
    assert ready.call.is_open(closes - dt.timedelta(microseconds=1))
    assert not ready.call.is_open(closes)


def test_receipts_go_to_contact_and_every_participant_in_their_language(
    ready, people, django_capture_on_commit_callbacks
):
    services.submit_application(application=ready, by=people["lead"])
    deliver_mail()
    receipts = delivered("submitted")
    recipients = sorted(message.to[0] for message in receipts)
    assert recipients == sorted(
        ["hanke@espoo.example.fi", "lead@example.fi", "lead2@example.fi", "partner@example.fi"]
    )
    by_recipient = {message.to[0]: message for message in receipts}
    case_number = f"VM/1/{ready.call.year}"
    swedish = by_recipient["partner@example.fi"]
    assert case_number in swedish.subject
    assert "Ansökan" in swedish.subject or "ansökan" in swedish.body
    finnish = by_recipient["lead@example.fi"]
    assert "Hakemus" in finnish.subject
    for message in receipts:
        assert "Yhteinen tiedonhallinta" in message.body
        assert "Vantaa" in message.body or "Vanda" in message.body
        assert "85" in message.body


def test_no_receipt_when_submission_refused(draft, people, django_capture_on_commit_callbacks):
    with pytest.raises(WorkflowError):
        services.submit_application(application=draft, by=people["lead"])
    deliver_mail()
    assert delivered("submitted") == []


def test_withdraw_before_decision_only(ready, people):
    with pytest.raises(WorkflowError):
        services.withdraw_application(application=ready, by=people["lead"])
    services.submit_application(application=ready, by=people["lead"])
    withdrawn = services.withdraw_application(
        application=ready, by=people["lead"], reason="Hanke yhdistettiin"
    )
    assert withdrawn.status == Status.WITHDRAWN
    assert withdrawn.case_number == f"VM/1/{ready.call.year}"
    event = CaseEvent.objects.get(application=ready, kind=EventKind.WITHDRAWN)
    assert event.note == "Hanke yhdistettiin"
    with pytest.raises(WorkflowError):
        services.withdraw_application(application=ready, by=people["lead"])


def test_submit_through_the_page(client, ready, people):
    client.force_login(people["lead"])
    url = reverse("applications:submit", kwargs={"pk": ready.pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # Check your answers: the whole application, the shares in euros, links to change each part.
    assert "Check your answers and submit" in html and "Submit the application" in html
    assert "Kunnat kuvaavat tietoaineistonsa laadun yhdessä." in html and "Projektipäällikkö" in html
    assert (
        "60,000.00" not in html and "60,000\xa0€" in html and "40,000\xa0€" in html
    )  # 60 % and 40 % of 100 000 €
    assert reverse("applications:participants", kwargs={"pk": ready.pk}) in html
    # Without the declaration nothing is submitted, and the page says why beside the box.
    refused = client.post(url, {"electronic_notification": "on"})
    assert refused.status_code == 200
    assert "Confirm the declaration to submit the application." in refused.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT
    response = client.post(url, {"declaration": "on"})
    assert response["Location"] == reverse("applications:receipt", kwargs={"pk": ready.pk})
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED
    receipt = client.get(response["Location"]).content.decode()
    assert "Application submitted" in receipt and ready.case_number in receipt
    assert "What happens next" in receipt and "hanke@espoo.example.fi" in receipt
    # A double click: the second POST changes nothing and says so.
    again = client.post(url, {"declaration": "on"}, follow=True)
    assert "already been submitted" in again.content.decode()
    assert CaseEvent.objects.filter(application=ready, kind=EventKind.SUBMITTED).count() == 1


def test_submit_page_lists_unmet_rules_and_refuses(client, draft, people):
    client.force_login(people["lead"])
    url = reverse("applications:submit", kwargs={"pk": draft.pk})
    html = client.get(url).content.decode()
    assert "Not yet" in html
    # Each rule not met links to the page where it is put right, and the waiting municipality is named.
    participants = reverse("applications:participants", kwargs={"pk": draft.pk})
    assert f'<a href="{participants}">No municipality is still waiting to confirm.</a>' in html
    assert "Still waiting to confirm: Vantaa." in squeezed(html)
    assert 'name="declaration"' not in html and '<button type="submit">' not in html
    response = client.post(url, {"declaration": "on"}, follow=True)
    assert "cannot be submitted yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_withdraw_through_the_page(client, ready, people):
    services.submit_application(application=ready, by=people["lead"])
    client.force_login(people["lead"])
    url = reverse("applications:withdraw", kwargs={"pk": ready.pk})
    missing_confirm = client.post(url, {"reason": "x"})
    assert missing_confirm.status_code == 200
    assert "This field is required" in missing_confirm.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED
    client.post(url, {"reason": "x", "confirm": "on"})
    ready.refresh_from_db()
    assert ready.status == Status.WITHDRAWN


def test_partner_cannot_submit_or_withdraw(client, ready, people):
    client.force_login(people["partner"])
    assert client.post(reverse("applications:submit", kwargs={"pk": ready.pk})).status_code == 403
    services.submit_application(application=ready, by=people["lead"])
    assert (
        client.post(reverse("applications:withdraw", kwargs={"pk": ready.pk}), {"confirm": "on"}).status_code
        == 403
    )
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED


def test_participant_status_values_are_kept(ready):
    statuses = set(Participant.objects.filter(application=ready).values_list("status", flat=True))
    assert statuses == {ParticipationStatus.CONFIRMED}
