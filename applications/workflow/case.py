"""The case until it is decided: the application, a partner's participation, the attachments, requests
for information, the reviews and the decision. Each `step` says the statuses an action starts from, the
status it leads to, who may take it and the guards (`guards.py`) it needs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..models import (
    Application,
    Attachment,
    Decision,
    DecisionStatus,
    EventKind,
    InformationRequest,
    Participant,
    ParticipationStatus,
    ReviewAssignment,
    ReviewStatus,
    Status,
)
from ..statemachine import (
    DRAFT_ONLY,
    NEW,
    AnswerState,
    Machine,
    Performer,
    step,
)
from .guards import (
    application_period_ended,
    call_open,
    case_in_processing,
    commitment_by_its_partner,
    draft_or_joining,
    eligible_if_positive,
    final_report_checked,
    not_own_proposal,
    payments_settled,
    recovery_possible,
    results_not_published,
    returns_repaid,
    review_complete,
    submission_rules_met,
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


def answer_state(asked) -> str:
    return AnswerState.ANSWERED if asked.is_answered else AnswerState.OPEN


INFORMATION_REQUEST = Machine(
    InformationRequest,
    field=None,
    state=answer_state,
    derived_from=("answer", "answered_at", "answered_by"),
    transitions=(
        step(
            "request",
            NEW,
            AnswerState.OPEN,
            OFFICIAL,
            case_in_processing,
            event=EventKind.INFORMATION_REQUESTED,
        ),
        step(
            "answer",
            AnswerState.OPEN,
            AnswerState.ANSWERED,
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
