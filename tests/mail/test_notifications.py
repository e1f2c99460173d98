"""The README's table "Who is told of what": each event mails the right people, once, each in their own
language, and the link in the mail opens the page where that person acts."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from applications import services
from applications.attachments import check_upload
from applications.models import Participant
from mail.models import Message
from tests.conftest import deliver_mail, delivered, propose_award, verify_second_factor

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/\S*)")
# One word of each language's subject, to see the mail was written in the recipient's language.
SUBJECT_WORDS = {
    "partner-invited": {"fi": "kutsuu", "sv": "bjuder"},
    "participation-confirmed": {"fi": "vahvisti", "sv": "bekräftade"},
    "decision-grant": {"fi": "päätös", "sv": "beslut"},
}


def told(event, expected):
    """The event's delivered mails go to exactly `expected` (users), one each, in each user's language,
    with a link that opens for that user; returns the mails."""
    deliver_mail()
    mails = delivered(event)
    assert sorted(m.to[0] for m in mails) == sorted(user.email for user in expected), event
    for message in mails:
        user = User.objects.get(email=message.to[0])
        row = Message.objects.get(event=event, to=user.email)
        assert row.language == user.preferred_language and row.sent_at is not None
        words = SUBJECT_WORDS.get(event)
        if words:
            assert words[user.preferred_language] in message.subject.lower(), (event, message.subject)
        path = LINK.search(message.body).group(1).split("#")[0]
        assert path.startswith(f"/{user.preferred_language}/")
        assert f'href="http://127.0.0.1:8000{path}' in message.alternatives[0].content
        browser = Client()
        browser.force_login(user)
        if not user.memberships.filter(role="applicant").exists():
            verify_second_factor(browser, user)
        assert browser.get(path).status_code == 200, (event, path)
    return mails


def test_partners_are_invited_and_the_lead_hears_their_answer(draft, municipalities, people):
    # The draft fixture added Vantaa: its staff (Swedish-speaking) were invited.
    told("partner-invited", [people["partner"]])
    participant = services.add_participant(
        application=draft, organisation=municipalities["partner2"], share_percent=D("20"), by=people["lead"]
    )
    mails = told("partner-invited", [people["partner"], people["partner2"]])
    finnish = next(m for m in mails if m.to == ["partner2@example.fi"])
    assert "Espoo" in finnish.subject and "Kauniainen" in finnish.body and "20 " in finnish.body
    swedish = next(m for m in mails if m.to == ["partner@example.fi"])
    assert "Esbo" in swedish.subject and "Vanda" in swedish.body  # names in Swedish

    vantaa = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    services.respond_to_participation(participant=vantaa, confirm=True, by=people["partner"])
    told("participation-confirmed", [people["lead"], people["lead2"]])
    services.respond_to_participation(participant=participant, confirm=False, by=people["partner2"])
    (declined, _) = told("participation-declined", [people["lead"], people["lead2"]])
    assert "Kauniainen" in declined.body


def test_information_and_reviews_reach_the_ministry_people(submitted_case, people, ministry_people):
    official = people["official"]
    services.assign_reviewers(
        applications=[submitted_case], reviewers=[ministry_people["reviewer"]], by=official
    )
    (mail,) = told("reviewer-assigned", [ministry_people["reviewer"]])
    assert submitted_case.case_number in mail.subject
    # Assigning the same reviewer again tells nobody again.
    services.assign_reviewers(
        applications=[submitted_case], reviewers=[ministry_people["reviewer"]], by=official
    )
    told("reviewer-assigned", [ministry_people["reviewer"]])


def test_decision_makers_hear_of_proposals_and_the_presenter_of_a_returned_one(
    submitted_case, people, ministry_people
):
    decision = propose_award(submitted_case, people["official"])
    (mail, _) = told(
        "proposal-waiting", [ministry_people["decision_maker"], ministry_people["decision_maker2"]]
    )
    assert "80\xa0000" in mail.body
    services.send_back_proposal(
        decision=decision, note="Tarkista summa.", by=ministry_people["decision_maker"]
    )
    (returned,) = told("proposal-returned", [people["official"]])
    assert "Tarkista summa." in returned.body


def test_the_decision_reaches_every_municipality_with_outcome_and_amount(awarded_project, people):
    mails = told("decision-grant", [people["lead"], people["lead2"], people["partner"]])
    for mail in mails:
        assert "80\xa0000" in mail.body


def pay_request(project, people, **costs):
    start = project.decision.use_period_start
    return services.request_payment(
        application=project,
        period_start=start,
        period_end=start + dt.timedelta(days=10),
        costs=costs or {"personnel": ("Palkat", D("10000"))},
        ledger=check_upload(SimpleUploadedFile("l.pdf", b"%PDF-1.4\n%%EOF\n")),
        is_final=False,
        by=people["lead"],
    )


def test_payments_reports_and_hearings(late_in_use_period, awarded_project, people):
    official = people["official"]
    payment = pay_request(awarded_project, people)
    services.approve_payment(payment=payment, rejections={}, note="", by=official)
    (approved, _) = told("payment-approved", [people["lead"], people["lead2"]])
    assert "8\xa0500" in approved.body
    services.mark_paid(payment=payment, paid_on=dt.date(2030, 3, 2), reference="RF18", by=official)
    (paid, _) = told("payment-paid", [people["lead"], people["lead2"]])
    assert "RF18" in paid.body and "2.3.2030" in paid.body

    refused = pay_request(
        awarded_project, people, personnel=("Palkat", D("10000")), travel=("Matkat", D("2000"))
    )
    line = refused.cost_lines.get(category="travel")
    services.approve_payment(
        payment=refused, rejections={line.pk: "Ei kuulu hankkeeseen"}, note="", by=official
    )
    told("decision-payment", [people["lead"], people["lead2"], people["partner"]])
    assert len(delivered("payment-approved")) == 2  # a refusal is told by its decision, not twice

    report = services.submit_report(
        application=awarded_project,
        kind="interim",
        achieved="x",
        spread="x",
        continues="x",
        realised_costs=D("10000"),
        own_financing=D("1500"),
        by=people["lead"],
    )
    services.check_report(
        report=report, content_note="Hyvä", accepted_costs=D("9000"), financial_note="", by=official
    )
    (checked, _) = told("report-checked", [people["lead"], people["lead2"]])
    assert "9\xa0000" in checked.body

    hearing = services.send_hearing(
        application=awarded_project,
        basis="discretionary",
        proposed_amount=D("1000"),
        facts="Ministeriö aikoo periä 1 000 euroa.",
        deadline=late_in_use_period.date() + dt.timedelta(days=14),
        stop_payments=False,
        by=official,
    )
    (heard, _) = told("hearing-sent", [people["lead"], people["lead2"]])
    assert "Ministeriö aikoo periä 1 000 euroa." in heard.body
    services.answer(hearing, answer="Emme hyväksy.", by=people["lead"])
    told("hearing-answered", [official])


def test_a_change_decision_is_told_by_its_document(awarded_project, people):
    end = awarded_project.decision.use_period_end
    change = services.request_change(
        application=awarded_project,
        kind="extension",
        description="Viive",
        new_use_period_end=end + dt.timedelta(days=30),
        by=people["lead"],
    )
    services.decide_change(
        change=change,
        status="accepted",
        grounds="Perusteltu",
        decided_use_period_end=None,
        by=people["official"],
    )
    told("decision-change", [people["lead"], people["lead2"], people["partner"]])
