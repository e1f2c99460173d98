"""The ministry's processing of a submitted application: internal comments, the eligibility check,
requests for information, reviewers and their reviews."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications, workflow
from ..exceptions import WorkflowError
from ..models import (
    Application,
    EligibilityCheck,
    InformationRequest,
    InternalComment,
    ReviewAssignment,
    Score,
)
from .locking import lock_case


def add_internal_comment(*, application: Application, text: str, by) -> InternalComment:
    """A ministry-internal note. Not a journal event: the journal is shown to the applicant."""
    workflow.require(application, "comment", by=by)
    return InternalComment.objects.create(application=application, author=by, text=text)


@transaction.atomic
def record_eligibility(*, application: Application, judgements: dict, notes: dict, by) -> EligibilityCheck:
    """The official's judgement (met or not) and note for each formal requirement of the call."""
    locked = lock_case(application)
    workflow.require(locked, "check_eligibility", by=by)
    fields = {item: bool(judgements[item]) for item in EligibilityCheck.ITEMS}
    fields.update({f"{item}_note": notes.get(item, "") for item in EligibilityCheck.ITEMS})
    check, _created = EligibilityCheck.objects.update_or_create(
        application=locked, defaults={**fields, "checked_by": by, "checked_at": timezone.now()}
    )
    workflow.perform(
        locked, "check_eligibility", by=by, note=_("Eligible") if check.is_eligible else _("Not eligible")
    )
    return check


@transaction.atomic
def request_information(*, application: Application, message: str, deadline, by) -> InformationRequest:
    locked = lock_case(application)
    if deadline < timezone.localdate():
        raise WorkflowError(_("The deadline cannot be in the past."))
    information_request = InformationRequest(
        application=locked, message=message, deadline=deadline, requested_by=by
    )
    workflow.perform(information_request, "request", by=by, note=message[:500])
    notifications.information_requested(information_request)
    return information_request


@transaction.atomic
def assign_reviewers(*, applications, reviewers, by, due_date=None) -> int:
    """Assign each reviewer to each application (one by one or in bulk), to be reviewed by `due_date` (not
    in the past); returns how many were new. Each reviewer is told of each new assignment."""
    if due_date is not None and due_date < timezone.localdate():
        raise WorkflowError(_("The review date cannot be in the past."))
    created = 0
    for application in applications:
        locked = lock_case(application)
        taken = set(locked.reviews.values_list("reviewer_id", flat=True))
        for reviewer in reviewers:
            if reviewer.pk in taken:
                continue
            review = ReviewAssignment(
                application=locked, reviewer=reviewer, assigned_by=by, due_date=due_date
            )
            workflow.perform(review, "assign", by=by, note=reviewer.full_name)
            notifications.reviewer_assigned(review)
            created += 1
    if not created:
        # Nothing new, but a refusal (wrong role, a decided case) must still say so.
        for application in applications:
            workflow.require(ReviewAssignment(application=application), "assign", by=by)
    return created


def _locked_review(review: ReviewAssignment) -> ReviewAssignment:
    locked = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application__call")
        .get(pk=review.pk)
    )
    return locked


@transaction.atomic
def declare_interests(*, review: ReviewAssignment, has_conflict: bool, note: str, by) -> ReviewAssignment:
    """A reviewer first declares whether they have a conflict of interest; with one, they cannot score."""
    locked = _locked_review(review)
    workflow.perform(
        locked,
        "declare_conflict" if has_conflict else "declare_no_conflict",
        by=by,
        changes={"conflict_note": note, "declared_at": timezone.now()},
    )
    return locked


@transaction.atomic
def save_review(*, review: ReviewAssignment, scores: dict, complete: bool, by) -> ReviewAssignment:
    """Save the scores {criterion id: (score, justification)}; `complete` finishes the review, which then
    needs every criterion scored and justified."""
    locked = _locked_review(review)
    workflow.require(locked, "score", by=by)
    criteria = {criterion.pk for criterion in locked.application.call.evaluation_criteria.all()}
    for criterion_id, (score, justification) in scores.items():
        if criterion_id not in criteria:
            raise WorkflowError(_("The call's evaluation criteria changed meanwhile. Open the review again."))
        if score is None:
            Score.objects.filter(review=locked, criterion_id=criterion_id).delete()
            continue
        Score.objects.update_or_create(
            review=locked,
            criterion_id=criterion_id,
            defaults={"score": score, "justification": justification},
        )
    if complete:
        workflow.perform(locked, "complete", by=by, changes={"completed_at": timezone.now()})
    return locked
