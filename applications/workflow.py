"""The case workflow as data: the one authority on who may do what to a case, and when.

For every case object with a status (the application, a partner's participation, an attachment, a request
for information, a review, the decision, a payment, a change, a report, a return, a call's results)
`MACHINES` lists each action: the statuses it starts from, the status it leads to, who may take it, and
the conditions (guards) it needs. Services change a status only through `perform`, which checks all
three and writes the journal row in the caller's transaction; views and templates ask `allowed_actions`
what to offer, so a button is shown exactly when the action would be allowed.

Who may approve a grant? `Decision` → `approve` below: a decision-maker, never the official who presented
(proposed) it, only while the application is still being processed, only after the call's application
period has ended, and never once the call's results are published.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.models import Call

from .exceptions import WorkflowError
from .guards import (
    application_period_ended,
    call_open,
    call_ready_to_open,
    case_followed_up,
    case_in_processing,
    commitment_by_its_partner,
    draft_or_joining,
    electronic_notification_consented,
    eligible_if_positive,
    every_application_decided,
    final_report_checked,
    hearing_concluded,
    hearing_open,
    not_own_proposal,
    not_the_decisions_preparer,
    payments_not_stopped,
    payments_settled,
    recovery_possible,
    rectification_in_time,
    results_not_published,
    returns_repaid,
    review_complete,
    submission_rules_met,
    use_period_not_ended,
)
from .journal import record_event
from .models import (
    Application,
    Attachment,
    CaseEvent,
    ChangeRequest,
    ChangeStatus,
    Decision,
    DecisionStatus,
    EventKind,
    GrantReturn,
    Hearing,
    InformationRequest,
    IssuedDocument,
    Participant,
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
from .statemachine import (
    DRAFT_ONLY,
    NEW,
    SYSTEM,
    CallState,
    HearingState,
    InformationState,
    Machine,
    NotificationState,
    Performer,
    ReportState,
    Transition,
    case_for,
    holds,
    step,
)

LEAD, PARTNER = Performer.LEAD_STAFF, Performer.PARTNER_STAFF
OFFICIAL, DECISION_MAKER = Performer.OFFICIAL, Performer.DECISION_MAKER
CASE_STAFF = Performer.CASE_STAFF
REVIEWER = Performer.ASSIGNED_REVIEWER
IN_PROCESSING = gettext_lazy("Only a submitted application that has not been decided can be processed.")
FOLLOWED_UP = gettext_lazy("Only an awarded project is followed up.")
CONFLICTED = gettext_lazy("You declared a conflict of interest and cannot score this application.")
COMPLETED = gettext_lazy("The review is completed and can no longer be changed.")
ALL_BUT_DRAFT = (Status.SUBMITTED, Status.WITHDRAWN, Status.AWARDED, Status.REJECTED, Status.CLOSED)

APPLICATION = Machine(
    Application,
    journal_states=True,
    transitions=(
        # The applicant's draft.
        step("start", NEW, Status.DRAFT, LEAD, call_open, event=EventKind.CREATED),
        step("edit", Status.DRAFT, None, LEAD, refused=DRAFT_ONLY),
        step("set_shares", Status.DRAFT, None, LEAD, refused=DRAFT_ONLY),
        step(
            "add_participant", Status.DRAFT, None, LEAD, event=EventKind.PARTICIPANT_ADDED, refused=DRAFT_ONLY
        ),
        step(
            "remove_participant",
            Status.DRAFT,
            None,
            LEAD,
            event=EventKind.PARTICIPANT_REMOVED,
            refused=DRAFT_ONLY,
        ),
        step(
            "add_attachment", Status.DRAFT, None, LEAD, event=EventKind.ATTACHMENT_ADDED, refused=DRAFT_ONLY
        ),
        step(
            "submit",
            Status.DRAFT,
            Status.SUBMITTED,
            LEAD,
            results_not_published,
            submission_rules_met,
            event=EventKind.SUBMITTED,
            refused=gettext_lazy("The application has already been submitted."),
        ),
        step(
            "withdraw",
            Status.SUBMITTED,
            Status.WITHDRAWN,
            LEAD,
            results_not_published,
            event=EventKind.WITHDRAWN,
            refused=gettext_lazy("Only a submitted application that has not been decided can be withdrawn."),
        ),
        # The ministry's processing.
        step(
            "check_eligibility",
            Status.SUBMITTED,
            None,
            OFFICIAL,
            event=EventKind.ELIGIBILITY_CHECKED,
            internal=True,
            refused=IN_PROCESSING,
        ),
        step("comment", ALL_BUT_DRAFT, None, (OFFICIAL, DECISION_MAKER)),
        step(
            "award",
            Status.SUBMITTED,
            Status.AWARDED,
            DECISION_MAKER,
            application_period_ended,
            results_not_published,
            event=EventKind.DECIDED,
            refused=IN_PROCESSING,
        ),
        step(
            "reject",
            Status.SUBMITTED,
            Status.REJECTED,
            DECISION_MAKER,
            application_period_ended,
            results_not_published,
            event=EventKind.DECIDED,
            refused=IN_PROCESSING,
        ),
        # The follow-up of an awarded project.
        step(
            "close",
            Status.AWARDED,
            Status.CLOSED,
            OFFICIAL,
            final_report_checked,
            payments_settled,
            returns_repaid,
            event=EventKind.CLOSED,
            refused=FOLLOWED_UP,
        ),
        # An accepted rectification request may turn a rejection into an award.
        step(
            "award_on_rectification",
            Status.REJECTED,
            Status.AWARDED,
            OFFICIAL,
            event=EventKind.DECIDED,
            refused=gettext_lazy("Only a rejected application is awarded on rectification."),
        ),
        # A recovery within ten years of the last payment reopens a closed case (§ 28).
        step(
            "reopen",
            Status.CLOSED,
            Status.AWARDED,
            OFFICIAL,
            recovery_possible,
            event=EventKind.REOPENED,
            refused=gettext_lazy("Only a closed case is reopened."),
        ),
    ),
)

PARTICIPATION = Machine(
    Participant,
    journal_states=True,
    transitions=(
        step(
            "confirm",
            (ParticipationStatus.PENDING, ParticipationStatus.CONFIRMED, ParticipationStatus.DECLINED),
            ParticipationStatus.CONFIRMED,
            PARTNER,
            draft_or_joining,
            event=EventKind.PARTICIPATION_CONFIRMED,
        ),
        step(
            "decline",
            (ParticipationStatus.PENDING, ParticipationStatus.CONFIRMED, ParticipationStatus.DECLINED),
            ParticipationStatus.DECLINED,
            PARTNER,
            draft_or_joining,
            event=EventKind.PARTICIPATION_DECLINED,
        ),
    ),
)

ATTACHMENT = Machine(
    Attachment,
    field=None,
    # A file follows its case: it can be removed while the application is a draft.
    state=lambda attachment: attachment.application.status,
    transitions=(
        step(
            "delete",
            Status.DRAFT,
            None,
            (LEAD, PARTNER),
            commitment_by_its_partner,
            event=EventKind.ATTACHMENT_REMOVED,
            refused=DRAFT_ONLY,
        ),
    ),
)

INFORMATION_REQUEST = Machine(
    InformationRequest,
    field=None,
    state=lambda request: InformationState.ANSWERED if request.is_answered else InformationState.OPEN,
    derived_from=("answer", "answered_at", "answered_by"),
    transitions=(
        step(
            "request",
            NEW,
            InformationState.OPEN,
            OFFICIAL,
            case_in_processing,
            event=EventKind.INFORMATION_REQUESTED,
        ),
        step(
            "answer",
            InformationState.OPEN,
            InformationState.ANSWERED,
            LEAD,
            case_in_processing,
            event=EventKind.INFORMATION_GIVEN,
            refused=gettext_lazy("The request has already been answered."),
        ),
    ),
)

REVIEW = Machine(
    ReviewAssignment,
    transitions=(
        step(
            "assign",
            NEW,
            ReviewStatus.ASSIGNED,
            OFFICIAL,
            case_in_processing,
            event=EventKind.REVIEWER_ASSIGNED,
            internal=True,
        ),
        step(
            "declare_conflict",
            ReviewStatus.ASSIGNED,
            ReviewStatus.CONFLICT,
            REVIEWER,
            case_in_processing,
            refused=gettext_lazy("Your interests have already been declared for this application."),
        ),
        step(
            "declare_no_conflict",
            ReviewStatus.ASSIGNED,
            ReviewStatus.DRAFT,
            REVIEWER,
            case_in_processing,
            refused=gettext_lazy("Your interests have already been declared for this application."),
        ),
        step(
            "score",
            ReviewStatus.DRAFT,
            None,
            REVIEWER,
            case_in_processing,
            refused={
                ReviewStatus.ASSIGNED: gettext_lazy("Declare your interests before scoring."),
                ReviewStatus.CONFLICT: CONFLICTED,
                ReviewStatus.COMPLETED: COMPLETED,
            },
        ),
        step(
            "complete",
            ReviewStatus.DRAFT,
            ReviewStatus.COMPLETED,
            REVIEWER,
            case_in_processing,
            review_complete,
            event=EventKind.REVIEW_COMPLETED,
            internal=True,
            refused={
                ReviewStatus.ASSIGNED: gettext_lazy("Declare your interests before scoring."),
                ReviewStatus.CONFLICT: CONFLICTED,
                ReviewStatus.COMPLETED: COMPLETED,
            },
        ),
    ),
)

DECISION = Machine(
    Decision,
    transitions=(
        step(
            "propose",
            (NEW, DecisionStatus.PROPOSED, DecisionStatus.RETURNED),
            DecisionStatus.PROPOSED,
            OFFICIAL,
            case_in_processing,
            results_not_published,
            eligible_if_positive,
            event=EventKind.DECISION_PROPOSED,
            internal=True,
            refused=gettext_lazy("The application has already been decided."),
        ),
        step(
            "send_back",
            DecisionStatus.PROPOSED,
            DecisionStatus.RETURNED,
            DECISION_MAKER,
            event=EventKind.PROPOSAL_RETURNED,
            internal=True,
            refused=gettext_lazy("Only a proposal waiting for approval can be returned."),
        ),
        # The application's own award or rejection writes the journal row.
        step(
            "approve",
            DecisionStatus.PROPOSED,
            DecisionStatus.APPROVED,
            DECISION_MAKER,
            not_own_proposal,
            case_in_processing,
            application_period_ended,
            results_not_published,
            refused=gettext_lazy(
                "Only proposals waiting for approval can be approved; one was decided already."
            ),
        ),
    ),
)

PAYMENT = Machine(
    PaymentRequest,
    transitions=(
        step(
            "request",
            NEW,
            PaymentStatus.SUBMITTED,
            LEAD,
            case_followed_up,
            payments_not_stopped,
            event=EventKind.PAYMENT_REQUESTED,
        ),
        step(
            "record_past",
            NEW,
            PaymentStatus.PAID,
            OFFICIAL,
            case_followed_up,
            event=EventKind.PAYMENT_PAID,
        ),
        step(
            "approve",
            PaymentStatus.SUBMITTED,
            PaymentStatus.APPROVED,
            OFFICIAL,
            case_followed_up,
            payments_not_stopped,
            event=EventKind.PAYMENT_APPROVED,
            refused=gettext_lazy("This payment request has already been checked."),
        ),
        step(
            "reject",
            PaymentStatus.SUBMITTED,
            PaymentStatus.REJECTED,
            OFFICIAL,
            case_followed_up,
            event=EventKind.PAYMENT_REJECTED,
            refused=gettext_lazy("This payment request has already been checked."),
        ),
        step(
            "mark_paid",
            PaymentStatus.APPROVED,
            PaymentStatus.PAID,
            OFFICIAL,
            payments_not_stopped,
            event=EventKind.PAYMENT_PAID,
            refused=gettext_lazy("Only an approved payment can be marked as paid."),
        ),
    ),
)

CHANGE = Machine(
    ChangeRequest,
    transitions=(
        step(
            "request",
            NEW,
            ChangeStatus.PENDING,
            LEAD,
            case_followed_up,
            use_period_not_ended,
            event=EventKind.CHANGE_REQUESTED,
        ),
        *(
            step(
                action,
                ChangeStatus.PENDING,
                target,
                OFFICIAL,
                case_followed_up,
                event=EventKind.CHANGE_DECIDED,
                refused=gettext_lazy("The change has already been decided."),
            )
            for action, target in (
                ("accept", ChangeStatus.ACCEPTED),
                ("accept_with_changes", ChangeStatus.ACCEPTED_WITH_CHANGES),
                ("reject", ChangeStatus.REJECTED),
            )
        ),
    ),
)

REPORT = Machine(
    Report,
    field=None,
    state=lambda report: ReportState.CHECKED if report.is_checked else ReportState.SUBMITTED,
    derived_from=("content_checked_at", "content_checked_by", "financial_checked_at", "financial_checked_by"),
    transitions=(
        step("submit", NEW, ReportState.SUBMITTED, LEAD, case_followed_up, event=EventKind.REPORT_SUBMITTED),
        step(
            "check",
            ReportState.SUBMITTED,
            ReportState.CHECKED,
            OFFICIAL,
            case_followed_up,
            event=EventKind.REPORT_CHECKED,
            refused=gettext_lazy("The report has already been checked."),
        ),
    ),
)

HEARING = Machine(
    Hearing,
    field=None,
    state=lambda hearing: HearingState.ANSWERED if hearing.answered_at else HearingState.OPEN,
    derived_from=("answer", "answered_at", "answered_by"),
    transitions=(
        step("send", NEW, HearingState.OPEN, OFFICIAL, recovery_possible, event=EventKind.HEARING_SENT),
        step(
            "answer",
            HearingState.OPEN,
            HearingState.ANSWERED,
            LEAD,
            hearing_open,
            event=EventKind.HEARING_ANSWERED,
            refused=gettext_lazy("The hearing has already been answered."),
        ),
    ),
)

RETURN = Machine(
    GrantReturn,
    transitions=(
        step(
            "decide",
            NEW,
            ReturnStatus.DECIDED,
            OFFICIAL,
            recovery_possible,
            hearing_concluded,
            event=EventKind.RETURN_DECIDED,
        ),
        step(
            "record_part_repayment",
            ReturnStatus.DECIDED,
            None,
            OFFICIAL,
            event=EventKind.REPAYMENT_RECORDED,
            refused=gettext_lazy("This return has already been repaid."),
        ),
        step(
            "record_repayment",
            ReturnStatus.DECIDED,
            ReturnStatus.REPAID,
            OFFICIAL,
            event=EventKind.REPAYMENT_RECORDED,
            refused=gettext_lazy("This return has already been repaid."),
        ),
    ),
)

NOTIFICATION = Machine(
    IssuedDocument,
    field=None,
    state=lambda document: NotificationState.NOTIFIED if document.method else NotificationState.NOT_NOTIFIED,
    derived_from=("method", "sent_on", "notified_on", "notification_recorded_by"),
    transitions=(
        step(
            "record_notification",
            NotificationState.NOT_NOTIFIED,
            NotificationState.NOTIFIED,
            OFFICIAL,
            event=EventKind.NOTIFICATION_RECORDED,
            refused=gettext_lazy("The notification of this decision is already recorded."),
        ),
        # The first delivered e-mail about the decision, where the applicant consented to electronic
        # notification (13/2003 § 19): recorded by the system when the mail worker delivers it.
        step(
            "record_electronic_notification",
            NotificationState.NOT_NOTIFIED,
            NotificationState.NOTIFIED,
            Performer.SYSTEM,
            electronic_notification_consented,
            event=EventKind.NOTIFICATION_RECORDED,
            refused=gettext_lazy("The notification of this decision is already recorded."),
        ),
    ),
)

RECTIFICATION = Machine(
    RectificationRequest,
    transitions=(
        step(
            "submit",
            NEW,
            RectificationStatus.SUBMITTED,
            CASE_STAFF,
            rectification_in_time,
            event=EventKind.RECTIFICATION_REQUESTED,
        ),
        *(
            step(
                action,
                RectificationStatus.SUBMITTED,
                target,
                OFFICIAL,
                not_the_decisions_preparer,
                event=EventKind.RECTIFICATION_DECIDED,
                refused=gettext_lazy("The request has already been decided."),
            )
            for action, target in (
                ("accept", RectificationStatus.ACCEPTED),
                ("reject", RectificationStatus.REJECTED),
            )
        ),
    ),
)


def _call_state(call: Call) -> str:
    if call.is_draft:
        return CallState.DRAFT
    return CallState.RESULTS_PUBLISHED if call.results_published else CallState.PUBLISHED


CALL = Machine(
    Call,
    field=None,
    state=_call_state,
    derived_from=("status", "published_at", "published_by", "results_published_on"),
    transitions=(
        # Officials prepare a call as a draft that only the ministry sees, then open it to applicants.
        step("create", NEW, CallState.DRAFT, OFFICIAL),
        step(
            "edit",
            CallState.DRAFT,
            None,
            OFFICIAL,
            refused=gettext_lazy("The call has been published and can no longer be changed here."),
        ),
        step(
            "open",
            CallState.DRAFT,
            CallState.PUBLISHED,
            OFFICIAL,
            call_ready_to_open,
            refused=gettext_lazy("The call has already been published."),
        ),
        # Ending the application period before its published time (a call published in error); the reason
        # is shown on the call's page.
        step(
            "close",
            CallState.PUBLISHED,
            None,
            OFFICIAL,
            call_open,
            refused={
                CallState.DRAFT: gettext_lazy("A draft call has no application period to end."),
                "": gettext_lazy("The call's results have been published."),
            },
        ),
        # One journal row per decided application, written by the service.
        step(
            "publish_results",
            CallState.PUBLISHED,
            CallState.RESULTS_PUBLISHED,
            OFFICIAL,
            application_period_ended,
            every_application_decided,
            refused={
                CallState.DRAFT: gettext_lazy("The call has not been published."),
                "": gettext_lazy("The results of this call have already been published."),
            },
        ),
    ),
)

MACHINES: dict[type, Machine] = {
    machine.model: machine
    for machine in (
        APPLICATION,
        PARTICIPATION,
        ATTACHMENT,
        INFORMATION_REQUEST,
        REVIEW,
        DECISION,
        PAYMENT,
        CHANGE,
        REPORT,
        HEARING,
        RETURN,
        NOTIFICATION,
        RECTIFICATION,
        CALL,
    )
}


def machine_of(obj) -> Machine:
    return MACHINES[type(obj)]


# --- Asking and acting -----------------------------------------------------------------------------------


def _refusal(machine: Machine, transition: Transition, obj, user, context: dict) -> str | None:
    if not any(holds(user, performer, obj) for performer in transition.performers):
        return _("Only %(who)s can do this.") % {
            "who": _(" or ").join(str(Performer(p).label) for p in sorted(transition.performers))
        }
    state = machine.state_of(obj)
    if state not in transition.sources:
        return transition.refused_in(state)
    for guard in transition.guards:
        message = guard(obj, user, context)
        if message:
            return message
    return None


def refusal(obj, action: str, user, *, now: dt.datetime | None = None, **context) -> str | None:
    """Why `user` may not take `action` on `obj` now, or None when they may."""
    machine = machine_of(obj)
    context["now"] = now or timezone.now()
    return _refusal(machine, machine.find(action), obj, user, context)


def require(obj, action: str, *, by, now: dt.datetime | None = None, **context) -> None:
    """Refuse with WorkflowError unless `by` may take `action` on `obj` now; for the checks a service makes
    before it computes what `perform` then records."""
    reason = refusal(obj, action, by, now=now, **context)
    if reason:
        raise WorkflowError(reason)


def performs(obj, action: str, user) -> bool:
    """Whether `user` is among those who may take `action` on `obj` at all, whatever its status now: a view
    answers 403 to anyone else, and says the workflow's reason to them (`refusal`)."""
    transition = machine_of(obj).find(action)
    return any(holds(user, performer, obj) for performer in transition.performers)


def allows(obj, action: str, user, **context) -> bool:
    return refusal(obj, action, user, **context) is None


def allowed_actions(obj, user, *, now: dt.datetime | None = None, **context) -> frozenset[str]:
    """Every action `user` may take on `obj` now: what a page offers."""
    machine = machine_of(obj)
    context["now"] = now or timezone.now()
    return frozenset(
        transition.action
        for transition in machine.transitions
        if _refusal(machine, transition, obj, user, context) is None
    )


def perform(
    obj,
    action: str,
    *,
    by,
    changes: dict | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    organisation=None,
    **context,
) -> CaseEvent | None:
    """Take `action` on `obj` for `by`: refuse with WorkflowError (nothing changed) unless the object is in
    one of the action's statuses, `by` may take it and every guard holds; then apply `changes`, move the
    status, save and write the journal row. Call it inside the service's transaction, on rows it locked."""
    machine = machine_of(obj)
    transition = machine.find(action)
    context["now"] = now or timezone.now()
    reason = _refusal(machine, transition, obj, by, context)
    if reason:
        raise WorkflowError(reason)
    before = machine.state_of(obj)
    fields = list(changes or {})
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
    if machine.field and transition.target is not None:
        setattr(obj, machine.field, transition.target)
        fields.append(machine.field)
    if obj.pk is None:
        obj.save()
    elif fields:
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            fields.append("updated_at")
        obj.save(update_fields=fields)
    if transition.event is None:
        return None
    after = machine.state_of(obj)
    states = machine.journal_states and before != after
    return record_event(
        case_for(obj),
        by=None if by is SYSTEM else by,
        kind=transition.event,
        note=note,
        from_status=before if states and before != NEW else "",
        to_status=after if states else "",
        internal=transition.internal,
        organisation=organisation,
    )
