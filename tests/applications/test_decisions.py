"""The ministry's side of issue 4: eligibility, requests for information, reviews and the ranking,
proposals, approval within the appropriation, decision documents and publication."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import User
from applications import services
from applications.documents import decision as decision_document
from applications.models import (
    Application,
    CaseEvent,
    Decision,
    DecisionStatus,
    EventKind,
    ReviewStatus,
    Status,
)
from applications.services import WorkflowError
from tests.conftest import deliver_mail, delivered, end_application_period, verify_second_factor
from tests.factories import ApplicationFactory, EvaluationCriterionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

YES = dict.fromkeys(
    ["arrived_in_time", "municipalities", "emphasis_area", "max_share", "eligible_costs"], True
)


def eligible(application, official):
    return services.record_eligibility(application=application, judgements=YES, notes={}, by=official)


def propose(application, official, amount="80000", outcome="positive", **extra):
    fields = {
        "language": "fi",
        "grounds_fi": "Hanke edistää haun tavoitteita.",
        "grounds_sv": "Projektet främjar målen.",
    }
    fields.update(extra)
    return services.propose_decision(
        application=application,
        outcome=outcome,
        granted_amount=Decimal(amount) if amount else None,
        by=official,
        **fields,
    )


# --- Eligibility ----------------------------------------------------------------------------------


def test_eligibility_page_is_prefilled_and_saved(client, submitted_case, people):
    client.force_login(people["official"])
    case = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    page = client.get(case).content.decode()
    assert 'name="arrived_in_time" value="yes"' in page and "checked" in page
    data = dict.fromkeys(YES, "yes") | {
        "eligible_costs": "no",
        "eligible_costs_note": "Matkakulut epäselvät",
    }
    response = client.post(reverse("processing:eligibility", kwargs={"pk": submitted_case.pk}), data)
    assert response.status_code == 302
    check = submitted_case.__class__.objects.get(pk=submitted_case.pk).eligibility
    assert not check.is_eligible
    assert check.failed_items() == [("eligible_costs", "Matkakulut epäselvät")]
    event = CaseEvent.objects.get(application=submitted_case, kind=EventKind.ELIGIBILITY_CHECKED)
    assert event.internal


def test_eligibility_form_needs_every_judgement(client, submitted_case, people):
    client.force_login(people["official"])
    response = client.post(
        reverse("processing:eligibility", kwargs={"pk": submitted_case.pk}), {"arrived_in_time": "maybe"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html and "This field is required" in html


def test_internal_events_are_not_shown_to_applicants(client, submitted_case, people):
    eligible(submitted_case, people["official"])
    client.force_login(people["lead"])
    html = client.get(submitted_case.get_absolute_url()).content.decode()
    assert "Eligibility checked" not in html
    assert "Application submitted" in html


# --- Requests for additional information ----------------------------------------------------------


def test_request_and_answer(client, submitted_case, people, django_capture_on_commit_callbacks):
    client.force_login(people["official"])
    deadline = (timezone.localdate() + timezone.timedelta(days=14)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("processing:information", kwargs={"pk": submitted_case.pk}),
            {"message": "Tarkentakaa matkakulut.", "deadline": deadline},
        )
    assert response.status_code == 302
    deliver_mail()
    asked = delivered("information-requested")
    assert sorted(m.to[0] for m in asked) == ["lead2@example.fi", "lead@example.fi"]
    request = submitted_case.information_requests.get()
    for message in asked:  # a link to the answer form, in the recipient's language
        with translation.override(User.objects.get(email=message.to[0]).preferred_language):
            path = reverse(
                "applications:answer-request", kwargs={"pk": submitted_case.pk, "request_pk": request.pk}
            )
        assert f"http://127.0.0.1:8000{path}" in message.body
        assert f'href="http://127.0.0.1:8000{path}"' in message.alternatives[0].content
    client.force_login(people["lead"])
    detail = client.get(submitted_case.get_absolute_url()).content.decode()
    assert "Tarkentakaa matkakulut." in detail
    url = reverse("applications:answer-request", kwargs={"pk": submitted_case.pk, "request_pk": request.pk})
    assert "This field is required" in client.post(url, {"answer": ""}).content.decode()
    client.post(url, {"answer": "Matkat ovat kuntien välisiä työpajoja."})
    request.refresh_from_db()
    assert request.is_answered and request.answered_by == people["lead"]
    again = client.post(url, {"answer": "Toinen vastaus"}, follow=True)
    assert "already been answered" in again.content.decode()
    kinds = set(CaseEvent.objects.filter(application=submitted_case).values_list("kind", flat=True))
    assert {EventKind.INFORMATION_REQUESTED, EventKind.INFORMATION_GIVEN} <= kinds
    deliver_mail()
    (answered,) = delivered("information-answered")
    assert answered.to == [people["official"].email]
    assert "Matkat ovat kuntien välisiä työpajoja." in answered.body


def test_partner_cannot_answer_and_deadline_cannot_be_past(client, submitted_case, people):
    request = services.request_information(
        application=submitted_case, message="?", deadline=timezone.localdate(), by=people["official"]
    )
    client.force_login(people["partner"])
    url = reverse("applications:answer-request", kwargs={"pk": submitted_case.pk, "request_pk": request.pk})
    assert client.post(url, {"answer": "x"}).status_code == 403
    client.force_login(people["official"])
    response = client.post(
        reverse("processing:information", kwargs={"pk": submitted_case.pk}),
        {"message": "x", "deadline": "2000-01-01"},
    )
    assert "cannot be in the past" in response.content.decode()


# --- Reviews and ranking --------------------------------------------------------------------------


@pytest.fixture
def criteria(submitted_case):
    call = submitted_case.call
    return [
        EvaluationCriterionFactory(call=call, order=1, weight=Decimal("2")),
        EvaluationCriterionFactory(call=call, order=2, weight=Decimal("1")),
    ]


def test_reviewer_declares_conflict_and_cannot_score(
    client, submitted_case, people, ministry_people, criteria
):
    reviewer = ministry_people["reviewer"]
    services.assign_reviewers(applications=[submitted_case], reviewers=[reviewer], by=people["official"])
    review = submitted_case.reviews.get()
    client.force_login(reviewer)
    url = reverse("processing:review", kwargs={"pk": review.pk})
    page = client.get(url).content.decode()
    assert "Declaration of interests" in page and 'name="score_' not in page
    client.post(url, {"declare": "1", "conflict": "yes", "note": "Olen Vantaan valtuutettu"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFLICT
    page = client.get(url).content.decode()
    assert 'name="score_' not in page and "Metatiedot" not in page
    with pytest.raises(WorkflowError, match="conflict of interest"):
        services.save_review(review=review, scores={criteria[0].pk: (5, "x")}, complete=False, by=reviewer)
    assert not review.scores.exists()


def test_review_draft_then_complete(client, submitted_case, people, ministry_people, criteria):
    reviewer = ministry_people["reviewer"]
    services.assign_reviewers(applications=[submitted_case], reviewers=[reviewer], by=people["official"])
    review = submitted_case.reviews.get()
    client.force_login(reviewer)
    url = reverse("processing:review", kwargs={"pk": review.pk})
    client.post(url, {"declare": "1", "conflict": "no"})
    first, second = criteria
    client.post(url, {"save": "1", f"score_{first.pk}": "4", f"justification_{first.pk}": "Hyvä"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT and review.scores.count() == 1
    response = client.post(
        url,
        {
            "complete": "1",
            f"score_{first.pk}": "4",
            f"justification_{first.pk}": "Hyvä perustelu, joka ei saa kadota",
            f"justification_{second.pk}": "Kesken",
        },
    )
    page = response.content.decode()
    # Nothing typed is lost: the form comes back as typed, the error beside the missing score.
    assert "Give a score for the justification." in page
    assert "Hyvä perustelu, joka ei saa kadota" in page and "Kesken" in page
    assert '<option value="4" selected>' in page
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    bad = client.post(url, {"save": "1", f"score_{first.pk}": "7", f"justification_{first.pk}": "x"})
    assert "Select a valid choice" in bad.content.decode()
    client.post(
        url,
        {
            "complete": "1",
            f"score_{first.pk}": "4",
            f"justification_{first.pk}": "Hyvä",
            f"score_{second.pk}": "1",
            f"justification_{second.pk}": "Heikko",
        },
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED
    with pytest.raises(WorkflowError, match="completed"):
        services.save_review(review=review, scores={first.pk: (1, "x")}, complete=False, by=reviewer)
    # Mean weighted score: (4 × 2 + 1 × 1) / 3 = 3.00
    client.force_login(people["official"])
    worklist = client.get(reverse("processing:worklist", kwargs={"slug": submitted_case.call.slug}))
    row = next(iter(worklist.context["page"]))
    assert (row.mean_score, row.completed_reviews) == (Decimal("3.00"), 1)


def test_reviewer_sees_only_own_assignments(client, submitted_case, people, ministry_people, criteria):
    services.assign_reviewers(
        applications=[submitted_case], reviewers=[ministry_people["reviewer"]], by=people["official"]
    )
    review = submitted_case.reviews.get()
    client.force_login(ministry_people["reviewer2"])
    assert client.get(reverse("processing:review", kwargs={"pk": review.pk})).status_code == 404
    assert (
        client.get(reverse("processing:worklist", kwargs={"slug": submitted_case.call.slug})).status_code
        == 404
    )
    client.force_login(people["lead"])
    assert client.get(reverse("processing:my-reviews")).status_code == 404


def test_bulk_assignment_from_the_worklist(client, submitted_case, people, ministry_people):
    client.force_login(people["official"])
    url = reverse("processing:bulk-assign", kwargs={"slug": submitted_case.call.slug})
    data = {
        "applications": [submitted_case.pk],
        "reviewers": [ministry_people["reviewer"].pk, ministry_people["reviewer2"].pk],
    }
    client.post(url, data)
    client.post(url, data)  # assigning again creates nothing twice
    assert submitted_case.reviews.count() == 2
    response = client.post(url, {"applications": [999999], "reviewers": [people["lead"].pk]}, follow=True)
    assert "Select a valid choice" in response.content.decode()


def test_ranking_orders_eligible_by_score_with_running_sum(
    client, submitted_case, people, ministry_people, criteria
):
    eligible(submitted_case, people["official"])
    client.force_login(people["official"])
    response = client.get(reverse("processing:ranking", kwargs={"slug": submitted_case.call.slug}))
    rows = response.context["rows"]
    assert [row.application for row in rows] == [submitted_case]
    assert rows[0].cumulative == Decimal("85000.00")
    assert rows[0].remaining == submitted_case.call.appropriation - Decimal("85000.00")


# --- Proposals ------------------------------------------------------------------------------------


def test_positive_proposal_needs_eligibility_and_stays_within_limits(submitted_case, people):
    official = people["official"]
    with pytest.raises(WorkflowError, match="found eligible"):
        propose(submitted_case, official)
    eligible(submitted_case, official)
    with pytest.raises(WorkflowError, match="exceed the amount applied for"):
        propose(submitted_case, official, amount="85000.01")
    services.save_draft  # noqa: B018 - the request is frozen; lower the costs through the budget instead
    submitted_case.budget_lines.filter(description="Konsultointi").update(amount=Decimal("0"))
    with pytest.raises(WorkflowError, match="85 % of the eligible costs"):
        propose(submitted_case, official, amount="68000.01")
    decision = propose(submitted_case, official, amount="68000")
    assert (decision.status, decision.granted_amount, decision.requested_amount) == (
        DecisionStatus.PROPOSED,
        Decimal("68000"),
        Decimal("85000.00"),
    )


def test_negative_proposal_needs_grounds_in_decision_language(client, submitted_case, people):
    Application.objects.filter(pk=submitted_case.pk).update(language="sv")  # made in Swedish
    client.force_login(people["official"])
    url = reverse("processing:proposal", kwargs={"pk": submitted_case.pk})
    response = client.post(url, {"outcome": "negative", "language": "sv", "grounds_fi": "Perustelu"})
    assert "Give the grounds in the decision&#x27;s language" in response.content.decode()
    client.post(url, {"outcome": "negative", "language": "sv", "standard_grounds": ["ranking"]})
    decision = Decision.objects.get(application=submitted_case)
    assert decision.outcome == "negative" and "anslaget räckte inte" in decision.grounds_sv


def test_proposal_form_refuses_bad_amounts(client, submitted_case, people):
    eligible(submitted_case, people["official"])
    client.force_login(people["official"])
    url = reverse("processing:proposal", kwargs={"pk": submitted_case.pk})
    for amount, message in [
        ("abc", "Enter a number"),
        ("-1", "greater than or equal to 0"),
        ("", "Give the maximum grant"),
    ]:
        response = client.post(
            url, {"outcome": "positive", "granted_amount": amount, "language": "fi", "grounds_fi": "x"}
        )
        assert message in response.content.decode()
    response = client.post(
        url,
        {"outcome": "positive", "granted_amount": "90000", "language": "fi", "grounds_fi": "x"},
        follow=True,
    )
    assert "exceed the amount applied for" in response.content.decode()
    assert not Decision.objects.exists()


def test_only_officials_propose(client, submitted_case, people, ministry_people):
    eligible(submitted_case, people["official"])
    url = reverse("processing:proposal", kwargs={"pk": submitted_case.pk})
    data = {"outcome": "positive", "granted_amount": "1000", "language": "fi", "grounds_fi": "x"}
    client.force_login(ministry_people["decision_maker"])
    assert client.post(url, data).status_code == 403
    for user in (ministry_people["reviewer"], people["lead"], people["other"]):
        client.force_login(user)
        assert client.post(url, data).status_code == 404
    client.logout()
    assert client.post(url, data).status_code == 404
    assert not Decision.objects.exists()


# --- Approval, the appropriation, documents -------------------------------------------------------


def test_decision_maker_approves_and_applicant_is_told(
    client, submitted_case, people, ministry_people, django_capture_on_commit_callbacks
):
    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"])
    end_application_period(submitted_case.call)
    client.force_login(people["official"])
    assert client.post(reverse("processing:approve", kwargs={"pk": decision.pk})).status_code == 403
    client.force_login(ministry_people["decision_maker"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("processing:approve", kwargs={"pk": decision.pk}))
    decision.refresh_from_db()
    submitted_case.refresh_from_db()
    assert decision.is_approved and decision.decision_date == timezone.localdate()
    assert decision.approved_by == ministry_people["decision_maker"]
    assert submitted_case.status == Status.AWARDED
    assert "80\xa0000\xa0€" in decision.document_html and decision.document_pdf
    deliver_mail()
    told = delivered("decision-grant")
    assert {m.to[0] for m in told} == {"lead@example.fi", "lead2@example.fi", "partner@example.fi"}
    event = CaseEvent.objects.get(application=submitted_case, kind=EventKind.DECIDED)
    assert (event.from_status, event.to_status, event.internal) == ("submitted", "awarded", False)
    with pytest.raises(WorkflowError, match="decided already"):
        services.approve_decisions(
            call=submitted_case.call, decision_ids=[decision.pk], by=ministry_people["decision_maker"]
        )
    with pytest.raises(WorkflowError):
        propose(submitted_case, people["official"])
    # The applicant reads it; another municipality cannot.
    client.force_login(people["lead"])
    assert "Read the decision" in client.get(submitted_case.get_absolute_url()).content.decode()
    assert (
        "80\xa0000\xa0€"
        in client.get(reverse("applications:decision", kwargs={"pk": submitted_case.pk})).content.decode()
    )
    pdf = client.get(reverse("applications:decision-pdf", kwargs={"pk": submitted_case.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    client.force_login(people["other"])
    assert client.get(reverse("applications:decision", kwargs={"pk": submitted_case.pk})).status_code == 404


def test_unapproved_decision_is_not_shown_to_applicants(client, submitted_case, people):
    eligible(submitted_case, people["official"])
    propose(submitted_case, people["official"])
    client.force_login(people["lead"])
    assert client.get(reverse("applications:decision", kwargs={"pk": submitted_case.pk})).status_code == 404


def test_appropriation_is_never_exceeded_and_refusal_says_by_how_much(
    submitted_case, people, ministry_people
):
    call = submitted_case.call
    call.appropriation = Decimal("50000.00")
    call.save()
    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"], amount="60000")
    with pytest.raises(WorkflowError, match="by 10\xa0000\xa0€|by 10,000\xa0€"):
        services.approve_decisions(
            call=call, decision_ids=[decision.pk], by=ministry_people["decision_maker"]
        )
    decision.refresh_from_db()
    submitted_case.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and submitted_case.status == Status.SUBMITTED
    assert not decision.document_pdf


def test_return_and_propose_again(client, submitted_case, people, ministry_people):
    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"])
    client.force_login(ministry_people["decision_maker"])
    url = reverse("processing:return", kwargs={"pk": decision.pk})
    assert "Say why" in client.post(url, {"note": ""}, follow=True).content.decode()
    client.post(url, {"note": "Tarkista ehdot"})
    decision.refresh_from_db()
    assert (decision.status, decision.return_note) == (DecisionStatus.RETURNED, "Tarkista ehdot")
    propose(submitted_case, people["official"], amount="70000")
    decision.refresh_from_db()
    assert (decision.status, decision.granted_amount) == (DecisionStatus.PROPOSED, Decimal("70000"))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    "language, words",
    [
        ("fi", ["Valtionavustuspäätös", "80 000 €", "oikaisua", "30 päivän", "seitsemäntenä"]),
        ("sv", ["Beslut om statsunderstöd", "80 000 €", "omprövning", "30 dagar", "sjunde"]),
    ],
)
def test_decision_pdf_in_finnish_and_swedish(submitted_case, people, ministry_people, language, words):
    Application.objects.filter(pk=submitted_case.pk).update(language=language)
    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"], language=language)
    end_application_period(submitted_case.call)
    services.approve_decisions(
        call=submitted_case.call, decision_ids=[decision.pk], by=ministry_people["decision_maker"]
    )
    decision.refresh_from_db()
    text = " ".join(pdf_text(decision.document_pdf.open("rb").read()).split())
    assert submitted_case.case_number in text
    for word in words:
        assert " ".join(word.split()) in text.replace("\xa0", " "), word


def test_approve_all_approves_every_waiting_proposal_through_the_view(
    client, submitted_case, people, ministry_people, django_capture_on_commit_callbacks
):
    """Two proposals, one positive and one negative, approved together: both decided, both journalled,
    both notified, and the page's button counted them."""
    second = ApplicationFactory(
        call=submitted_case.call, lead=submitted_case.lead, submitted=True, case_sequence=2
    )
    eligible(submitted_case, people["official"])
    positive = propose(submitted_case, people["official"])
    negative = propose(second, people["official"], outcome="negative", amount=None)
    end_application_period(submitted_case.call)
    client.force_login(ministry_people["decision_maker"])
    decisions_page = reverse("processing:decisions", kwargs={"slug": submitted_case.call.slug})
    assert "Approve all 2 waiting proposals" in client.get(decisions_page).content.decode()
    approve_all = reverse("processing:approve-all", kwargs={"slug": submitted_case.call.slug})
    # First the page that says what will happen: count, money, each project with its presenter.
    confirm = client.get(approve_all).content.decode()
    assert "You are about to approve 2 decisions." in confirm
    assert "80,000" in confirm and "Olli Official" in confirm and submitted_case.display_name in confirm
    # A POST without the confirmation only shows that page again; nothing is approved.
    assert client.post(approve_all).status_code == 200
    positive.refresh_from_db()
    assert positive.status == DecisionStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve_all, {"confirm": "1", "decision": [positive.pk, negative.pk]})
    assert response.status_code == 302
    for decision, status in ((positive, Status.AWARDED), (negative, Status.REJECTED)):
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED
        assert decision.approved_by == ministry_people["decision_maker"]
        assert decision.application.status == status
        event = CaseEvent.objects.get(application=decision.application, kind=EventKind.DECIDED)
        assert (event.from_status, event.to_status) == (Status.SUBMITTED, status)
    deliver_mail()
    assert len(delivered("decision-grant")) and len(delivered("decision-rejection"))
    assert "2 decisions were approved." in client.get(decisions_page).content.decode()


# --- Publication ----------------------------------------------------------------------------------


def test_publication_waits_for_every_decision_then_shows_results(
    client, submitted_case, people, ministry_people
):
    call = submitted_case.call
    end_application_period(call)
    client.force_login(people["official"])
    publish = reverse("processing:publish", kwargs={"slug": call.slug})
    assert "still wait for a decision" in client.post(publish, follow=True).content.decode()
    assert client.get(reverse("opendata:call-results", kwargs={"slug": call.slug})).status_code == 404
    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"])
    services.approve_decisions(call=call, decision_ids=[decision.pk], by=ministry_people["decision_maker"])
    assert "Publication cannot be undone" in client.get(publish).content.decode()
    client.post(publish, {"confirm": "1"})
    call.refresh_from_db()
    assert call.results_published_on == timezone.localdate()
    client.logout()
    results = client.get(reverse("opendata:call-results", kwargs={"slug": call.slug}))
    assert results.status_code == 200
    assert "Yhteinen tiedonhallinta" in results.content.decode()
    assert results.context["results"].total_awarded == Decimal("80000.00")
    assert CaseEvent.objects.filter(application=submitted_case, kind=EventKind.RESULTS_PUBLISHED).count() == 1


def test_document_sections_hold_what_the_law_requires(submitted_case, people):
    eligible(submitted_case, people["official"])
    decision = propose(
        submitted_case, people["official"], conditions_fi="Hankkeesta raportoidaan puolivuosittain."
    )
    headings = [section.heading for section in decision_document.sections(decision)]
    for heading in [
        "Saaja",
        "Hanke",
        "Päätös",
        "Käyttöaika",
        "Maksaminen",
        "Raportointi",
        "Ehdot",
        "Palauttaminen ja takaisinperintä",
        "Perustelut",
        "Sovelletut säännökset",
        "Lisätietoja",
        "Oikaisuvaatimusohje",
    ]:
        assert heading in headings, heading


def test_ineligible_application_gets_a_prefilled_rejection(client, submitted_case, people):
    judgements = YES | {"municipalities": False}
    services.record_eligibility(
        application=submitted_case,
        judgements=judgements,
        notes={"municipalities": "Vantaa ei vahvistanut."},
        by=people["official"],
    )
    client.force_login(people["official"])
    form = client.get(reverse("processing:case", kwargs={"pk": submitted_case.pk})).context["proposal_form"]
    assert form.initial["outcome"] == "negative"
    assert (
        "Riittävästi kuntia" in form.initial["grounds_fi"]
        and "Vantaa ei vahvistanut." in form.initial["grounds_fi"]
    )
    assert "Tillräckligt många kommuner" in form.initial["grounds_sv"]
    with pytest.raises(WorkflowError, match="found eligible"):
        propose(submitted_case, people["official"])


def every_processing_url(case, decision, review):
    slug = case.call.slug
    return {
        ("get", reverse("processing:calls")),
        ("get", reverse("processing:worklist", kwargs={"slug": slug})),
        ("get", reverse("processing:worklist-csv", kwargs={"slug": slug})),
        ("post", reverse("processing:bulk-assign", kwargs={"slug": slug})),
        ("get", reverse("processing:ranking", kwargs={"slug": slug})),
        ("get", reverse("processing:decisions", kwargs={"slug": slug})),
        ("post", reverse("processing:approve-all", kwargs={"slug": slug})),
        ("post", reverse("processing:publish", kwargs={"slug": slug})),
        ("get", reverse("processing:case", kwargs={"pk": case.pk})),
        ("post", reverse("processing:eligibility", kwargs={"pk": case.pk})),
        ("post", reverse("processing:information", kwargs={"pk": case.pk})),
        ("post", reverse("processing:assign", kwargs={"pk": case.pk})),
        ("post", reverse("processing:proposal", kwargs={"pk": case.pk})),
        ("get", reverse("processing:decision", kwargs={"pk": decision.pk})),
        ("get", reverse("processing:decision-pdf", kwargs={"pk": decision.pk})),
        ("post", reverse("processing:approve", kwargs={"pk": decision.pk})),
        ("post", reverse("processing:return", kwargs={"pk": decision.pk})),
    }


def test_every_officials_url_is_404_for_anyone_else(client, submitted_case, people, ministry_people):
    from applications.models import ReviewAssignment

    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"])
    services.assign_reviewers(
        applications=[submitted_case], reviewers=[ministry_people["reviewer"]], by=people["official"]
    )
    review = ReviewAssignment.objects.get()
    urls = every_processing_url(submitted_case, decision, review)
    reviewer_urls = {
        ("get", reverse("processing:my-reviews")),
        ("get", reverse("processing:review", kwargs={"pk": review.pk})),
    }
    for user in (None, people["lead"], people["partner"], people["other"], ministry_people["reviewer"]):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    for user in (
        None,
        people["lead"],
        people["official"],
        ministry_people["decision_maker"],
    ):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for method, url in reviewer_urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    # Another reviewer has their own list, without this review, and cannot open it.
    client.force_login(ministry_people["reviewer2"])
    assert client.get(reverse("processing:review", kwargs={"pk": review.pk})).status_code == 404
    assert list(client.get(reverse("processing:my-reviews")).context["reviews"]) == []
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED
    assert submitted_case.reviews.get().status == ReviewStatus.ASSIGNED


def test_officials_act_and_decision_makers_decide(client, submitted_case, people, ministry_people):
    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"])
    client.force_login(ministry_people["decision_maker"])
    for name in (
        "processing:eligibility",
        "processing:information",
        "processing:assign",
        "processing:proposal",
    ):
        assert client.post(reverse(name, kwargs={"pk": submitted_case.pk}), {}).status_code == 403, name
    assert (
        client.post(reverse("processing:publish", kwargs={"slug": submitted_case.call.slug})).status_code
        == 403
    )
    client.force_login(people["official"])
    for name in ("processing:approve", "processing:return"):
        assert client.post(reverse(name, kwargs={"pk": decision.pk}), {"note": "x"}).status_code == 403, name
    assert (
        client.post(reverse("processing:approve-all", kwargs={"slug": submitted_case.call.slug})).status_code
        == 403
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_worklist_filters_by_reviewer(client, submitted_case, people, ministry_people):
    services.assign_reviewers(
        applications=[submitted_case], reviewers=[ministry_people["reviewer"]], by=people["official"]
    )
    client.force_login(people["official"])
    url = reverse("processing:worklist", kwargs={"slug": submitted_case.call.slug})
    mine = client.get(url, {"reviewer": ministry_people["reviewer"].pk}).context["page"]
    others = client.get(url, {"reviewer": ministry_people["reviewer2"].pk}).context["page"]
    assert [a.pk for a in mine] == [submitted_case.pk] and list(others) == []
    assert "Select a valid choice" in client.get(url, {"reviewer": people["lead"].pk}).content.decode()


def test_the_decision_follows_the_language_of_the_application(submitted_case, people):
    """Language Act 423/2003: a Finnish application gets a Finnish decision, a Swedish one a Swedish."""
    eligible(submitted_case, people["official"])
    with pytest.raises(WorkflowError, match="language of the application"):
        propose(submitted_case, people["official"], language="sv")
    Application.objects.filter(pk=submitted_case.pk).update(language="sv")
    submitted_case.refresh_from_db()
    assert propose(submitted_case, people["official"], language="sv").language == "sv"


def test_a_rejection_states_the_assessment_it_rests_on(submitted_case, people, ministry_people, criteria):
    """Administrative Procedure Act § 45: the grounds give the facts relied on. A rejection cites the
    decree's § 2 assessment and the application's mean score on each of the call's criteria."""
    reviewers = [ministry_people["reviewer"], ministry_people["reviewer2"]]
    services.assign_reviewers(applications=[submitted_case], reviewers=reviewers, by=people["official"])
    first, second = criteria
    for reviewer, (a, b) in zip(reviewers, [(4, 1), (5, 2)], strict=True):
        review = submitted_case.reviews.get(reviewer=reviewer)
        services.declare_interests(review=review, has_conflict=False, note="", by=reviewer)
        review.refresh_from_db()
        services.save_review(
            review=review, scores={first.pk: (a, "x"), second.pk: (b, "y")}, complete=True, by=reviewer
        )
    eligible(submitted_case, people["official"])
    decision = propose(submitted_case, people["official"], amount=None, outcome="negative")
    grounds = next(s for s in decision_document.sections(decision) if s.heading == "Perustelut")
    text = " ".join(grounds.paragraphs)
    assert "(asetus 893/2019, 2 §)" in text
    assert f"{first.name_fi}: 4,5 / 5 (2 arvion keskiarvo)" in text
    assert f"{second.name_fi}: 1,5 / 5 (2 arvion keskiarvo)" in text


def test_completing_an_unfinished_review_keeps_every_entry(
    client, submitted_case, people, ministry_people, criteria
):
    """Issue 16: 'mark complete' with something missing returns the form as typed, errors beside fields."""
    reviewer = ministry_people["reviewer"]
    services.assign_reviewers(applications=[submitted_case], reviewers=[reviewer], by=people["official"])
    review = submitted_case.reviews.get()
    client.force_login(reviewer)
    url = reverse("processing:review", kwargs={"pk": review.pk})
    client.post(url, {"declare": "1", "conflict": "no"})
    first, second = criteria
    page = client.post(
        url,
        {"complete": "1", f"score_{first.pk}": "5", f"justification_{first.pk}": "Erinomainen vaikuttavuus"},
    ).content.decode()
    assert "Give a score before completing the review." in page
    assert "Justify the score before completing the review." in page
    assert "Erinomainen vaikuttavuus" in page and '<option value="5" selected>' in page
    assert not review.scores.exists()


def test_a_proposal_sent_from_an_older_page_does_not_overwrite_anothers(client, submitted_case, people):
    from django.test import Client

    eligible(submitted_case, people["official"])
    colleague = UserFactory(email="official2@example.fi")
    MembershipFactory(
        user=colleague, organisation=people["official"].memberships.get().organisation, role="official"
    )
    case_url = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    url = reverse("processing:proposal", kwargs={"pk": submitted_case.pk})
    first, second = Client(), Client()
    for browser, user in ((first, people["official"]), (second, colleague)):
        browser.force_login(user)
        verify_second_factor(browser, user)
    opened = first.get(case_url).context["proposal_form"].initial["version"]
    assert second.get(case_url).context["proposal_form"].initial["version"] == opened
    proposal = {"outcome": "positive", "granted_amount": "80000", "language": "fi", "version": opened}
    second.post(url, {**proposal, "grounds_fi": "Kollegan perustelu"})
    response = first.post(url, {**proposal, "grounds_fi": "Oma perusteluni"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else presented or returned a proposal" in html and "Oma perusteluni" in html
    decision = Decision.objects.get(application=submitted_case)
    assert decision.grounds_fi == "Kollegan perustelu" and decision.proposed_by == colleague
