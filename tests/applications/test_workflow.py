"""The workflow's table, walked whole: every declared transition succeeds for each role allowed to take it
and is refused for every other role; every status pair the table does not declare is refused with the
transition's own message; a refusal changes nothing.

Objects are built straight in the state each transition starts from, with its guards satisfied (an ended
application period for decisions, a checked final report for closing, …), and moved with
`workflow.perform`, the one call through which every service changes a status."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from applications import workflow
from applications.exceptions import WorkflowError
from applications.models import (
    Application,
    Attachment,
    BudgetLine,
    CaseEvent,
    ChangeRequest,
    ChangeStatus,
    Decision,
    DecisionStatus,
    GrantReturn,
    Hearing,
    InformationRequest,
    IssuedDocument,
    Outcome,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    PaymentRequest,
    PaymentStatus,
    RectificationRequest,
    RectificationStatus,
    Report,
    ReturnStatus,
    ReviewAssignment,
    ReviewStatus,
    Status,
)
from applications.statemachine import (
    NEW,
    SYSTEM,
    AnswerState,
    CallState,
    NotificationState,
    Performer,
    ReportState,
    holds,
)
from grants.models import Call, CallStatus
from tests.factories import (
    AttachmentFactory,
    CallContactFactory,
    CallFactory,
    ChangeRequestFactory,
    DecisionFactory,
    EvaluationCriterionFactory,
    GrantReturnFactory,
    HearingFactory,
    InformationRequestFactory,
    IssuedDocumentFactory,
    MembershipFactory,
    OrganisationFactory,
    PaymentRequestFactory,
    ProgrammeFactory,
    RectificationRequestFactory,
    ReportFactory,
    ReviewAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

USERS = [
    "lead",
    "partner",
    "unrelated",
    "official",
    "decision_maker",
    "reviewer",
    "other_reviewer",
    "admin",
    "system",
]
# Who holds which performer for the objects built here (the reviewer is the one assigned to the review).
HOLDS = {
    "lead": {Performer.LEAD_STAFF, Performer.CASE_STAFF},
    "partner": {Performer.PARTNER_STAFF, Performer.CASE_STAFF},
    "official": {Performer.OFFICIAL},
    "decision_maker": {Performer.DECISION_MAKER},
    "reviewer": {Performer.ASSIGNED_REVIEWER},
    "admin": {Performer.OFFICIAL, Performer.DECISION_MAKER},
    "system": {Performer.SYSTEM},
}


@pytest.fixture
def world(db):
    ministry = OrganisationFactory(ministry=True)
    lead_org, partner_org, other_org = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()

    def member(organisation, role):
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    users = {
        "lead": member(lead_org, Role.APPLICANT),
        "partner": member(partner_org, Role.APPLICANT),
        "unrelated": member(other_org, Role.APPLICANT),
        "official": member(ministry, Role.OFFICIAL),
        "decision_maker": member(ministry, Role.DECISION_MAKER),
        "reviewer": member(ministry, Role.REVIEWER),
        "other_reviewer": member(ministry, Role.REVIEWER),
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "system": SYSTEM,  # what the system records on its own; no user, no sign-in
    }
    return {
        "users": users,
        "lead_org": lead_org,
        "partner_org": partner_org,
        "open_call": CallFactory(),
        # Decisions are made after the application period: the processing happens in a closed call.
        "closed_call": CallFactory(closed=True),
    }


# --- Objects in a given state ------------------------------------------------------------------------------


def application(w, status, *, call=None):
    """A complete application in `status`, with a confirmed partner; NEW: not saved yet."""
    call = call or (w["open_call"] if status in (NEW, Status.DRAFT) else w["closed_call"])
    case = Application(
        call=call,
        lead=w["lead_org"],
        project_name="Yhteinen hanke",
        summary="Tiivistelmä",
        objectives="Tavoitteet",
        actions="Toimenpiteet",
        schedule="Aikataulu",
        expected_results="Tulokset",
        dissemination="Levitys",
        emphasis_area=call.emphasis_areas.first(),
        start_date=call.use_period_start,
        end_date=call.use_period_end,
        requested_amount=Decimal("85000"),
        own_financing=Decimal("15000"),
        contact_name="Eeva",
        contact_email="eeva@example.fi",
        status=Status.DRAFT if status == NEW else status,
        submitted_at=None if status in (NEW, Status.DRAFT) else timezone.now() - dt.timedelta(days=40),
    )
    if status == NEW:
        return case
    case.save()
    BudgetLine.objects.create(application=case, category="personnel", description="Työ", amount=100000)
    responded = {"responded_at": timezone.now(), "status": ParticipationStatus.CONFIRMED}
    Participant.objects.create(
        application=case, organisation=w["lead_org"], role=ParticipantRole.LEAD, share_percent=60, **responded
    )
    Participant.objects.create(application=case, organisation=w["partner_org"], share_percent=40, **responded)
    if status in (Status.AWARDED, Status.CLOSED):
        decided(w, case)
    return case


def made(factory_class, state, **fields):
    """An object of `factory_class` in `state`; NEW: built, not saved."""
    return factory_class.build(**fields) if state == NEW else factory_class(**fields)


def decided(w, case):
    return DecisionFactory(
        application=case,
        granted_amount=Decimal("80000"),
        use_period_start=timezone.localdate() - dt.timedelta(days=30),
        use_period_end=timezone.localdate() + dt.timedelta(days=300),
        proposed_by=w["users"]["official"],
        approved_by=w["users"]["decision_maker"],
    )


def final_report_checked(w, case):
    return ReportFactory(application=case, final=True, checked=True, submitted_by=w["users"]["lead"])


def participation(w, status):
    case = application(w, Status.DRAFT)
    participant = case.participants.get(organisation=w["partner_org"])
    participant.status = status
    participant.responded_at = None if status == ParticipationStatus.PENDING else timezone.now()
    participant.save()
    return participant


def attachment(w, status):
    return AttachmentFactory(application=application(w, status), uploaded_by=w["users"]["lead"])


def information_request(w, state):
    return made(
        InformationRequestFactory,
        state,
        application=application(w, Status.SUBMITTED),
        requested_by=w["users"]["official"],
        answered=state == AnswerState.ANSWERED,
    )


def review(w, status):
    return made(
        ReviewAssignmentFactory,
        status,
        application=application(w, Status.SUBMITTED),
        reviewer=w["users"]["reviewer"],
        assigned_by=w["users"]["official"],
        status=ReviewStatus.ASSIGNED if status == NEW else status,
    )


def decision(w, status):
    return made(
        DecisionFactory,
        status,
        application=application(w, Status.SUBMITTED),
        status=DecisionStatus.PROPOSED if status == NEW else status,
        negative=True,
        proposed_by=w["users"]["official"],
    )


def payment(w, status):
    return made(
        PaymentRequestFactory,
        status,
        application=application(w, Status.AWARDED),
        submitted_by=w["users"]["lead"],
        status=PaymentStatus.SUBMITTED if status == NEW else status,
    )


def change(w, status):
    return made(
        ChangeRequestFactory,
        status,
        application=application(w, Status.AWARDED),
        submitted_by=w["users"]["lead"],
        status=ChangeStatus.PENDING if status == NEW else status,
    )


def report(w, state):
    return made(
        ReportFactory,
        state,
        application=application(w, Status.AWARDED),
        submitted_by=w["users"]["lead"],
        checked=state == ReportState.CHECKED,
    )


def hearing(w, state, case=None):
    return made(
        HearingFactory,
        state,
        application=case or application(w, Status.AWARDED),
        sent_by=w["users"]["official"],
        answered=state == AnswerState.ANSWERED,
    )


def issued(w, state):
    return IssuedDocumentFactory(
        application=application(w, Status.AWARDED), notified=state == NotificationState.NOTIFIED
    )


def rectification(w, status):
    return made(
        RectificationRequestFactory,
        status,
        document=issued(w, NotificationState.NOT_NOTIFIED),
        organisation=w["lead_org"],
        submitted_by=w["users"]["lead"],
        status=RectificationStatus.SUBMITTED if status == NEW else status,
    )


def grant_return(w, status):
    case = application(w, Status.AWARDED)
    return made(
        GrantReturnFactory,
        status,
        application=case,
        hearing=hearing(w, AnswerState.ANSWERED, case=case),
        decided_by=w["users"]["official"],
        status=ReturnStatus.DECIDED if status == NEW else status,
    )


def a_call(w, state, action=""):
    """A draft ready to open; an open call (for closing early); or a closed call whose one application is
    decided (rejected), its results published or not."""
    if state in (NEW, CallState.DRAFT):
        new = CallFactory.build(status=CallStatus.DRAFT, programme=ProgrammeFactory())
        if state == NEW:
            return new
        new.save()
        new.emphasis_areas.create(number=1, name_fi="Alue", name_sv="Område")
        EvaluationCriterionFactory(call=new)
        CallContactFactory(call=new)
        return new
    if action == "close" and state == CallState.PUBLISHED:
        return CallFactory()
    call = CallFactory(closed=True)
    case = application(w, Status.REJECTED, call=call)
    Decision.objects.create(
        application=case,
        status=DecisionStatus.APPROVED,
        outcome=Outcome.NEGATIVE,
        language="fi",
        decision_date=timezone.localdate(),
    )
    if state == CallState.RESULTS_PUBLISHED:
        Call.objects.filter(pk=call.pk).update(results_published_on=timezone.localdate())
        call.refresh_from_db()
    return call


BUILDERS = {
    Application: application,
    Participant: participation,
    Attachment: attachment,
    InformationRequest: information_request,
    ReviewAssignment: review,
    Decision: decision,
    PaymentRequest: payment,
    ChangeRequest: change,
    Report: report,
    GrantReturn: grant_return,
    Hearing: hearing,
    IssuedDocument: issued,
    RectificationRequest: rectification,
    Call: a_call,
}


def build(w, model, state, action):
    obj = BUILDERS[model](w, state, action) if model is Call else BUILDERS[model](w, state)
    if (model, action) == (Application, "close"):
        final_report_checked(w, obj)
    if (model, action) == (Application, "reopen") and state == Status.CLOSED:
        payment_made(w, obj)  # within ten years of the last payment (§ 28)
    if (model, action) == (IssuedDocument, "record_electronic_notification"):
        Application.objects.filter(pk=obj.application_id).update(electronic_notification=True)
        obj.application.electronic_notification = True  # the applicant consented (13/2003 § 19)
    return obj


def payment_made(w, case):
    PaymentRequest.objects.create(
        application=case,
        period_start=timezone.localdate() - dt.timedelta(days=20),
        period_end=timezone.localdate(),
        submitted_by=w["users"]["lead"],
        status=PaymentStatus.PAID,
        approved_amount=Decimal("1000"),
        paid_on=timezone.localdate() - dt.timedelta(days=400),
        payment_reference="RF1",
    )


# What a transition needs besides its status, for the database's constraints on the target state.
now = timezone.now
CHANGES = {
    (Application, "submit"): lambda: {"submitted_at": now()},
    (Participant, "confirm"): lambda: {"responded_at": now()},
    (Participant, "decline"): lambda: {"responded_at": now()},
    (InformationRequest, "answer"): lambda: {"answer": "Vastaus", "answered_at": now()},
    (ReviewAssignment, "declare_conflict"): lambda: {"declared_at": now()},
    (ReviewAssignment, "declare_no_conflict"): lambda: {"declared_at": now()},
    (ReviewAssignment, "complete"): lambda: {"completed_at": now()},
    (Decision, "approve"): lambda: {"decision_date": timezone.localdate()},
    (PaymentRequest, "approve"): lambda: {"approved_amount": Decimal("1000")},
    (PaymentRequest, "mark_paid"): lambda: {"paid_on": timezone.localdate(), "payment_reference": "RF9"},
    (PaymentRequest, "record_past"): lambda: {
        "approved_amount": Decimal("100"),
        "paid_on": timezone.localdate(),
        "payment_reference": "RF0",
    },
    (ChangeRequest, "accept"): lambda: {"decided_at": now()},
    (ChangeRequest, "accept_with_changes"): lambda: {"decided_at": now()},
    (ChangeRequest, "reject"): lambda: {"decided_at": now()},
    (Report, "check"): lambda: {"content_checked_at": now(), "financial_checked_at": now()},
    (GrantReturn, "record_repayment"): lambda: {
        "repaid_amount": Decimal("500"),
        "repaid_on": timezone.localdate(),
    },
    (Call, "publish_results"): lambda: {"results_published_on": timezone.localdate()},
    (Call, "open"): lambda: {"status": CallStatus.PUBLISHED, "published_at": now()},
    (Call, "close"): lambda: {"closes_at": now(), "closed_early_reason": "Julkaistu virheellisesti"},
    (Hearing, "answer"): lambda: {"answer": "Vastaus", "answered_at": now()},
    (IssuedDocument, "record_notification"): lambda: {
        "method": "letter",
        "sent_on": timezone.localdate(),
        "notified_on": timezone.localdate() + dt.timedelta(days=7),
    },
    (IssuedDocument, "record_electronic_notification"): lambda: {
        "method": "electronic",
        "sent_on": timezone.localdate(),
        "notified_on": timezone.localdate() + dt.timedelta(days=3),
    },
    (RectificationRequest, "accept"): lambda: {"decided_at": now()},
    (RectificationRequest, "reject"): lambda: {"decided_at": now()},
}


def state_in_database(model, obj):
    machine = workflow.MACHINES[model]
    if obj.pk is None:
        return NEW
    return machine.state_of(type(obj).objects.get(pk=obj.pk))


def counts():
    return {model: model.objects.count() for model in BUILDERS} | {CaseEvent: CaseEvent.objects.count()}


def allowed_users(transition, obj, users):
    held = {name for name, performers in HOLDS.items() if performers & transition.performers}
    # The partner's staff act for their own participation, or for their own commitment document.
    if Performer.PARTNER_STAFF in transition.performers and not holds(
        users["partner"], Performer.PARTNER_STAFF, obj
    ):
        held.discard("partner")
    return held


DECLARED = [
    (model, transition.action, source)
    for model, machine in workflow.MACHINES.items()
    for transition in machine.transitions
    for source in sorted(transition.sources)
]


@pytest.mark.parametrize(
    "model, action, source", DECLARED, ids=[f"{m.__name__}.{a}.{s}" for m, a, s in DECLARED]
)
def test_each_declared_transition_for_each_role(world, model, action, source):
    transition = workflow.MACHINES[model].find(action)
    target = transition.target or source
    for name in USERS:
        obj = build(world, model, source, action)
        allowed = name in allowed_users(transition, obj, world["users"])
        before = counts()
        events = CaseEvent.objects.count()
        if allowed:
            workflow.perform(
                obj, action, by=world["users"][name], changes=CHANGES.get((model, action), dict)()
            )
            assert state_in_database(model, obj) == target, name
            if transition.event:
                event = CaseEvent.objects.latest("pk")
                actor = None if name == "system" else world["users"][name]  # the system is no user
                assert (event.kind, event.actor) == (transition.event, actor), name
                assert CaseEvent.objects.count() == events + 1
        else:
            with (
                pytest.raises(WorkflowError, match="can do this|removed by its own municipality"),
                transaction.atomic(),
            ):
                workflow.perform(
                    obj, action, by=world["users"][name], changes=CHANGES.get((model, action), dict)()
                )
            assert state_in_database(model, obj) == source, name
            assert counts() == before, name


def states_of(model):
    """Every state an object of the model can be in (an attachment's is its case's status)."""
    derived = {
        Call: CallState,
        Report: ReportState,
        InformationRequest: AnswerState,
        Hearing: AnswerState,
        IssuedDocument: NotificationState,
        Attachment: Status,
    }
    if model in derived:
        return list(derived[model].values)
    machine = workflow.MACHINES[model]
    return [value for value, _label in model._meta.get_field(machine.field).choices]


UNDECLARED = [
    (model, transition.action, state)
    for model, machine in workflow.MACHINES.items()
    for transition in machine.transitions
    for state in states_of(model)
    if state not in transition.sources
]


@pytest.mark.parametrize(
    "model, action, state", UNDECLARED, ids=[f"{m.__name__}.{a}.from-{s}" for m, a, s in UNDECLARED]
)
def test_every_undeclared_status_pair_is_refused_with_its_message(world, model, action, state):
    transition = workflow.MACHINES[model].find(action)
    obj = build(world, model, state, action)
    # Someone who may take the action from its own statuses: the refusal is about the status alone.
    name = next(name for name in USERS if name in allowed_users(transition, obj, world["users"]))
    before = counts()
    with pytest.raises(WorkflowError) as refused, transaction.atomic():
        workflow.perform(obj, action, by=world["users"][name], changes=CHANGES.get((model, action), dict)())
    assert str(refused.value) == transition.refused_in(state)
    assert state_in_database(model, obj) == state
    assert counts() == before


def test_the_table_declares_every_status_of_every_case_object():
    """No status is a dead end by accident: each is reached by some transition or is where objects start."""
    for model, machine in workflow.MACHINES.items():
        if model is Attachment:
            continue
        reached = {t.target for t in machine.transitions if t.target} | {NEW}
        starts = {s for t in machine.transitions for s in t.sources}
        for state in states_of(model):
            assert state in reached | starts, f"{model.__name__}: {state} is neither reached nor left"
