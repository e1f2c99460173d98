"""Simultaneous submissions on the real PostgreSQL server: one submission per application, and case
numbers unique and without gaps per call. The row locks are the database's; nothing is mocked."""

import threading

import pytest
from django.db import connection

from applications import services
from applications.models import APPLICANT_FIELDS, Application, CaseEvent, EventKind, Status
from applications.services import WorkflowError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs):
    """Run callables in threads released at the same moment; returns each one's result or exception."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def make_ready_copy(ready, people, municipalities, name):
    """Another complete application in the same call."""
    from decimal import Decimal

    from applications.models import Participant

    application = services.start_application(
        call=ready.call, lead=municipalities["partner2"], project_name=name, by=people["partner2"]
    )
    fields = {field: getattr(ready, field) for field in APPLICANT_FIELDS if field != "project_name"}
    services.save_draft(
        application=application,
        values=fields,
        budget_lines=[{"category": "personnel", "description": "x", "amount": Decimal("100000.00")}],
        by=people["partner2"],
    )
    partner = services.add_participant(
        application=application,
        organisation=municipalities["partner"],
        share_percent=None,
        by=people["partner2"],
    )
    services.respond_to_participation(participant=partner, confirm=True, by=people["partner"])
    lead = Participant.objects.get(application=application, role="lead")
    services.set_shares(
        application=application,
        shares={lead.pk: Decimal("50"), partner.pk: Decimal("50")},
        by=people["partner2"],
    )
    return application


def test_same_application_submitted_twice_at_once(ready, people):
    results = run_together(
        [lambda: services.submit_application(application=ready, by=people["lead"]) for _ in range(2)]
    )
    successes = [r for r in results if isinstance(r, Application)]
    refusals = [r for r in results if isinstance(r, WorkflowError)]
    assert len(successes) == 1 and len(refusals) == 1, results
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED
    assert ready.case_sequence == 1
    assert CaseEvent.objects.filter(application=ready, kind=EventKind.SUBMITTED).count() == 1


def test_different_applications_at_once_get_gapless_numbers(ready, people, municipalities):
    others = [make_ready_copy(ready, people, municipalities, f"Rinnakkainen {n}") for n in range(3)]
    # Each application is submitted by its own lead's staff (the copies are led by Kauniainen).
    submissions = [(ready, people["lead"]), *[(other, people["partner2"]) for other in others]]
    results = run_together(
        [
            lambda app=app, by=by: services.submit_application(application=app, by=by)
            for app, by in submissions
        ]
    )
    assert all(isinstance(r, Application) for r in results), results
    sequences = sorted(Application.objects.filter(call=ready.call).values_list("case_sequence", flat=True))
    assert sequences == [1, 2, 3, 4]
    numbers = set(Application.objects.filter(call=ready.call).values_list("case_number", flat=True))
    assert numbers == {f"VM/{n}/{ready.call.year}" for n in range(1, 5)}


def test_simultaneous_approvals_never_exceed_the_appropriation(
    ready, people, municipalities, ministry_people
):
    """Four proposals of 80 000 € against 200 000 €: whatever the timing, at most two are approved."""
    from decimal import Decimal

    from applications.models import Decision, DecisionStatus
    from grants.models import Call
    from tests.conftest import end_application_period

    copies = [make_ready_copy(ready, people, municipalities, f"Kilpaileva {n}") for n in range(3)]
    cases = [(ready, people["lead"]), *[(copy, people["partner2"]) for copy in copies]]
    decisions = []
    for application, lead_staff in cases:
        submitted = services.submit_application(application=application, by=lead_staff)
        services.record_eligibility(
            application=submitted,
            judgements=dict.fromkeys(
                ["arrived_in_time", "municipalities", "emphasis_area", "max_share", "eligible_costs"], True
            ),
            notes={},
            by=people["official"],
        )
        decisions.append(
            services.propose_decision(
                application=submitted,
                outcome="positive",
                granted_amount=Decimal("80000"),
                language="fi",
                grounds_fi="Perustelu",
                grounds_sv="",
                by=people["official"],
            )
        )
    Call.objects.filter(pk=ready.call_id).update(appropriation=Decimal("200000.00"))
    end_application_period(ready.call)
    makers = [ministry_people["decision_maker"], ministry_people["decision_maker2"]] * 2
    results = run_together(
        [
            lambda decision=decision, maker=maker: services.approve_decisions(
                call=ready.call, decision_ids=[decision.pk], by=maker
            )
            for decision, maker in zip(decisions, makers, strict=True)
        ]
    )
    approved = Decision.objects.filter(application__call=ready.call, status=DecisionStatus.APPROVED)
    assert approved.count() == 2, results
    assert sum(d.granted_amount for d in approved) == Decimal("160000.00")
    refusals = [r for r in results if isinstance(r, WorkflowError)]
    # Each refusal says by how much: 2 × 80 000 approved + 80 000 = 240 000, so 40 000 € over.
    assert len(refusals) == 2 and all("40\xa0000" in str(r) or "40,000" in str(r) for r in refusals)


def test_simultaneous_payment_approvals_never_exceed_the_grant(
    late_in_use_period, awarded_project, people, ministry_people
):
    """Two requests of 80 000 € of costs each (68 000 € payable alone) against an 80 000 € grant,
    approved at the same moment by two officials: together they get exactly 80 000 €."""
    import datetime as dt
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Role
    from applications.attachments import check_upload
    from applications.models import PaymentRequest, PaymentStatus
    from tests.factories import MembershipFactory, UserFactory

    second_official = UserFactory()
    MembershipFactory(
        user=second_official,
        organisation=people["official"].memberships.get().organisation,
        role=Role.OFFICIAL,
    )
    start = awarded_project.decision.use_period_start
    requests = [
        services.request_payment(
            application=awarded_project,
            period_start=start,
            period_end=start + dt.timedelta(days=n),
            costs={"personnel": ("Palkat", Decimal("80000"))},
            ledger=check_upload(SimpleUploadedFile("l.pdf", b"%PDF-1.4\n%%EOF\n")),
            is_final=False,
            by=people["lead"],
        )
        for n in (1, 2)
    ]
    results = run_together(
        [
            lambda request=request, official=official: services.approve_payment(
                payment=request, rejections={}, note="", by=official
            )
            for request, official in zip(requests, [people["official"], second_official], strict=True)
        ]
    )
    approved = PaymentRequest.objects.filter(status=PaymentStatus.APPROVED)
    assert sum(p.approved_amount for p in approved) == Decimal("80000.00"), results
    assert sorted(p.approved_amount for p in approved) == [Decimal("12000.00"), Decimal("68000.00")]
