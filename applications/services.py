"""State changes of applications. Each runs in one transaction, re-reads what it changes under a row
lock where a race matters, checks the transition, and writes one journal row (CaseEvent)."""

from contextlib import contextmanager
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from grants.models import Call
from grants.templatetags.money import format_euros

from . import notifications, workflow
from .models import (
    APPLICANT_FIELDS,
    Application,
    Attachment,
    BudgetLine,
    CaseEvent,
    Decision,
    DecisionStatus,
    EligibilityCheck,
    EventKind,
    InformationRequest,
    InternalComment,
    Outcome,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    ReviewAssignment,
    ReviewStatus,
    Score,
    Status,
)


class WorkflowError(Exception):
    """A refused action, with a message for the user; nothing was changed."""


def _journal(application, *, kind, by, note="", from_status="", to_status="", internal=False):
    return CaseEvent.objects.create(
        application=application,
        actor=by,
        kind=kind,
        note=note,
        from_status=from_status,
        to_status=to_status,
        internal=internal,
    )


def _locked_draft(application):
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Status.DRAFT:
        raise WorkflowError(_("The application has been submitted and can no longer be changed."))
    return locked


@transaction.atomic
def start_application(*, call: Call, lead: Organisation, project_name: str, by) -> Application:
    if not call.is_open():
        raise WorkflowError(_("The call is not open for applications."))
    application = Application.objects.create(
        call=call,
        lead=lead,
        project_name=project_name,
        created_by=by,
        contact_name=by.full_name,
        contact_email=by.email,
    )
    Participant.objects.create(
        application=application,
        organisation=lead,
        role=ParticipantRole.LEAD,
        status=ParticipationStatus.CONFIRMED,
        responded_by=by,
        responded_at=timezone.now(),
        share_percent=Decimal("100"),
    )
    _journal(application, kind=EventKind.CREATED, by=by, to_status=Status.DRAFT)
    return application


@transaction.atomic
def save_draft(
    *, application: Application, values: dict, budget_lines=None, pending_input=None, by
) -> Application:
    """Save what the form validated; `pending_input` keeps what still needs correcting, so that nothing
    the applicant typed is lost even when the form has errors. `budget_lines` (a list of dicts) replaces
    the budget when given."""
    locked = _locked_draft(application)
    changed = []
    for field in APPLICANT_FIELDS:
        if field in values:
            setattr(locked, field, values[field])
            changed.append(field)
    locked.draft_input = pending_input or {}
    locked.save(update_fields=[*changed, "draft_input", "updated_at"])
    if budget_lines is not None:
        locked.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(BudgetLine(application=locked, **line) for line in budget_lines)
    return locked


@transaction.atomic
def add_participant(
    *, application: Application, organisation: Organisation, share_percent, by
) -> Participant:
    locked = _locked_draft(application)
    if organisation.pk == locked.lead_id:
        raise WorkflowError(_("The lead applicant is already part of the application."))
    if locked.participants.filter(organisation=organisation).exists():
        raise WorkflowError(
            _("%(name)s already takes part in the application.") % {"name": organisation.name}
        )
    participant = Participant.objects.create(
        application=locked,
        organisation=organisation,
        role=ParticipantRole.PARTNER,
        share_percent=share_percent,
    )
    _journal(locked, kind=EventKind.PARTICIPANT_ADDED, by=by, note=organisation.name_fi)
    return participant


@transaction.atomic
def remove_participant(*, participant: Participant, by) -> None:
    locked = _locked_draft(participant.application)
    if participant.is_lead:
        raise WorkflowError(_("The lead applicant cannot be removed."))
    name = participant.organisation.name_fi
    participant.delete()
    _journal(locked, kind=EventKind.PARTICIPANT_REMOVED, by=by, note=name)


@transaction.atomic
def set_shares(*, application: Application, shares: dict, by) -> None:
    """Set each participant's share of the costs: {participant id: percent}."""
    locked = _locked_draft(application)
    participants = {p.pk: p for p in locked.participants.select_for_update()}
    for participant_id, share in shares.items():
        participant = participants.get(participant_id)
        if participant is None:
            raise WorkflowError(_("The list of municipalities changed meanwhile. Check the shares again."))
        participant.share_percent = share
        participant.save(update_fields=["share_percent"])


def respond_to_participation(*, participant: Participant, confirm: bool, by, document=None) -> Participant:
    """A partner municipality's staff confirm (optionally with a commitment document) or decline."""
    with _atomic_with_files() as written:
        return _respond(participant, confirm, by, document, written)


def _respond(participant, confirm, by, document, written):
    locked_application = _locked_draft(participant.application)
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.is_lead:
        raise WorkflowError(_("The lead applicant takes part by applying."))
    previous = locked.status
    locked.status = ParticipationStatus.CONFIRMED if confirm else ParticipationStatus.DECLINED
    locked.responded_by = by
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_by", "responded_at"])
    if document is not None:
        _store_attachment(
            locked_application,
            document,
            by=by,
            written=written,
            participant=locked,
            description=_("Commitment"),
        )
    _journal(
        locked_application,
        kind=EventKind.PARTICIPATION_CONFIRMED if confirm else EventKind.PARTICIPATION_DECLINED,
        by=by,
        note=locked.organisation.name_fi,
        from_status=previous,
        to_status=locked.status,
    )
    return locked


@contextmanager
def _atomic_with_files():
    """A transaction that also removes the files it wrote if it fails: Django has no rollback hook, and
    a file without its row would be an orphan nobody can reach or delete."""
    written = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def _store_attachment(application, upload, *, by, written, participant=None, description=""):
    """`upload` is a validated `attachments.CheckedUpload`; `written` collects the stored file."""
    attachment = Attachment(
        application=application,
        participant=participant,
        original_name=upload.name,
        content_type=upload.content_type,
        size=upload.size,
        description=description,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload.file, save=False)
    written.append((attachment.file.storage, attachment.file.name))
    attachment.save()
    return attachment


def add_attachment(*, application: Application, upload, description: str, by) -> Attachment:
    with _atomic_with_files() as written:
        locked = _locked_draft(application)
        attachment = _store_attachment(locked, upload, by=by, written=written, description=description)
        _journal(locked, kind=EventKind.ATTACHMENT_ADDED, by=by, note=attachment.original_name)
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: Attachment, by) -> None:
    locked = _locked_draft(attachment.application)
    name, stored, storage = attachment.original_name, attachment.file.name, attachment.file.storage
    attachment.delete()
    _journal(locked, kind=EventKind.ATTACHMENT_REMOVED, by=by, note=name)
    transaction.on_commit(lambda: storage.delete(stored))


def submit_application(*, application: Application, by, now=None) -> Application:
    """Submit a draft: check every rule, assign the next case number of the call, freeze the content,
    and send receipts once the transaction has committed.

    The call's row is locked first so that two submissions to the same call take numbers one after
    the other, without gaps or duplicates; the application's row is locked so that a double click or a
    second tab finds it already submitted."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Status.DRAFT:
            raise WorkflowError(_("The application has already been submitted."))
        now = now or timezone.now()
        locked.call = call
        problems = workflow.unmet_rules(locked, now)
        if problems:
            raise WorkflowError(
                _("The application cannot be submitted yet: %(rules)s")
                % {"rules": " ".join(str(rule.label) for rule in problems)}
            )
        sequence = (
            Application.objects.filter(call=call).aggregate(last=Max("case_sequence"))["last"] or 0
        ) + 1
        locked.case_sequence = sequence
        locked.case_number = f"{call.case_number_prefix}/{sequence}/{call.year}"
        locked.status = Status.SUBMITTED
        locked.submitted_at = now
        locked.save(update_fields=["case_sequence", "case_number", "status", "submitted_at", "updated_at"])
        _journal(
            locked,
            kind=EventKind.SUBMITTED,
            by=by,
            from_status=Status.DRAFT,
            to_status=Status.SUBMITTED,
            note=locked.case_number,
        )
        transaction.on_commit(lambda: notifications.send_submission_receipts(locked.pk, submitted_by=by))
    return locked


@transaction.atomic
def withdraw_application(*, application: Application, by, reason: str = "") -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not workflow.can_transition(locked.status, Status.WITHDRAWN):
        raise WorkflowError(_("Only a submitted application that has not been decided can be withdrawn."))
    previous = locked.status
    locked.status = Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    _journal(
        locked, kind=EventKind.WITHDRAWN, by=by, from_status=previous, to_status=Status.WITHDRAWN, note=reason
    )
    return locked


def add_internal_comment(*, application: Application, text: str, by) -> InternalComment:
    """A ministry-internal note. Not a journal event: the journal is shown to the applicant."""
    return InternalComment.objects.create(application=application, author=by, text=text)


# --- Processing by the ministry -------------------------------------------------------------------


def _locked_in_processing(application):
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted application that has not been decided can be processed."))
    return locked


@transaction.atomic
def record_eligibility(*, application: Application, judgements: dict, notes: dict, by) -> EligibilityCheck:
    """The official's judgement (met or not) and note for each formal requirement of the call."""
    locked = _locked_in_processing(application)
    fields = {item: bool(judgements[item]) for item in EligibilityCheck.ITEMS}
    fields.update({f"{item}_note": notes.get(item, "") for item in EligibilityCheck.ITEMS})
    check, _created = EligibilityCheck.objects.update_or_create(
        application=locked, defaults={**fields, "checked_by": by, "checked_at": timezone.now()}
    )
    _journal(
        locked,
        kind=EventKind.ELIGIBILITY_CHECKED,
        by=by,
        note=_("Eligible") if check.is_eligible else _("Not eligible"),
        internal=True,
    )
    return check


@transaction.atomic
def request_information(*, application: Application, message: str, deadline, by) -> InformationRequest:
    locked = _locked_in_processing(application)
    if deadline < timezone.localdate():
        raise WorkflowError(_("The deadline cannot be in the past."))
    request = InformationRequest.objects.create(
        application=locked, message=message, deadline=deadline, requested_by=by
    )
    _journal(locked, kind=EventKind.INFORMATION_REQUESTED, by=by, note=message[:500])
    transaction.on_commit(lambda: notifications.send_information_request(request.pk))
    return request


@transaction.atomic
def answer_information(*, request: InformationRequest, answer: str, by) -> InformationRequest:
    _locked_in_processing(request.application)
    locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.is_answered:
        raise WorkflowError(_("The request has already been answered."))
    locked.answer = answer
    locked.answered_by = by
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    _journal(locked.application, kind=EventKind.INFORMATION_GIVEN, by=by, note=answer[:500])
    return locked


@transaction.atomic
def assign_reviewers(*, applications, reviewers, by) -> int:
    """Assign each reviewer to each application (one by one or in bulk); returns how many were new."""
    created = 0
    for application in applications:
        locked = _locked_in_processing(application)
        for reviewer in reviewers:
            _review, is_new = ReviewAssignment.objects.get_or_create(
                application=locked, reviewer=reviewer, defaults={"assigned_by": by}
            )
            if is_new:
                created += 1
                _journal(
                    locked, kind=EventKind.REVIEWER_ASSIGNED, by=by, note=reviewer.full_name, internal=True
                )
    return created


def _locked_review(review, by):
    locked = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application__call")
        .get(pk=review.pk)
    )
    if locked.reviewer_id != by.pk:
        raise WorkflowError(_("Only the assigned reviewer can do this."))
    if locked.application.status != Status.SUBMITTED:
        raise WorkflowError(_("The application is no longer being reviewed."))
    return locked


@transaction.atomic
def declare_interests(*, review: ReviewAssignment, has_conflict: bool, note: str, by) -> ReviewAssignment:
    """A reviewer first declares whether they have a conflict of interest; with one, they cannot score."""
    locked = _locked_review(review, by)
    if locked.status != ReviewStatus.ASSIGNED:
        raise WorkflowError(_("Your interests have already been declared for this application."))
    locked.status = ReviewStatus.CONFLICT if has_conflict else ReviewStatus.DRAFT
    locked.conflict_note = note
    locked.declared_at = timezone.now()
    locked.save(update_fields=["status", "conflict_note", "declared_at"])
    return locked


@transaction.atomic
def save_review(*, review: ReviewAssignment, scores: dict, complete: bool, by) -> ReviewAssignment:
    """Save the scores {criterion id: (score, justification)}; `complete` finishes the review, which then
    needs every criterion scored and justified."""
    locked = _locked_review(review, by)
    if locked.status == ReviewStatus.CONFLICT:
        raise WorkflowError(_("You declared a conflict of interest and cannot score this application."))
    if locked.status == ReviewStatus.ASSIGNED:
        raise WorkflowError(_("Declare your interests before scoring."))
    if locked.status == ReviewStatus.COMPLETED:
        raise WorkflowError(_("The review is completed and can no longer be changed."))
    criteria = {criterion.pk: criterion for criterion in locked.application.call.evaluation_criteria.all()}
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
        saved = {score.criterion_id: score for score in locked.scores.all()}
        if set(saved) != set(criteria) or any(not score.justification.strip() for score in saved.values()):
            raise WorkflowError(
                _("Score every criterion and justify each score before completing the review.")
            )
        locked.status = ReviewStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        _journal(locked.application, kind=EventKind.REVIEW_COMPLETED, by=by, internal=True)
    return locked


@transaction.atomic
def propose_decision(
    *,
    application: Application,
    outcome: str,
    granted_amount,
    language: str,
    grounds_fi: str,
    grounds_sv: str,
    conditions_fi: str = "",
    conditions_sv: str = "",
    by,
) -> Decision:
    """An official's proposal: a positive decision within the request and the maximum share of the
    eligible costs, or a negative one with grounds. A returned proposal can be proposed again."""
    locked = _locked_in_processing(application)
    existing = Decision.objects.select_for_update().filter(application=locked).first()
    if existing is not None and existing.is_approved:
        raise WorkflowError(_("The application has already been decided."))
    grounds = grounds_sv if language == "sv" else grounds_fi
    if not grounds.strip():
        raise WorkflowError(_("Give the grounds in the decision's language."))
    if outcome == Outcome.POSITIVE:
        check = EligibilityCheck.objects.filter(application=locked).first()
        if check is None or not check.is_eligible:
            raise WorkflowError(_("Only an application found eligible can be awarded a grant."))
        ceiling = workflow.max_grant(locked)
        if granted_amount is None or granted_amount <= 0:
            raise WorkflowError(_("Give the maximum grant."))
        if locked.requested_amount is not None and granted_amount > locked.requested_amount:
            raise WorkflowError(_("The grant cannot exceed the amount applied for."))
        if granted_amount > ceiling:
            raise WorkflowError(
                _("The grant cannot exceed %(share)s %% of the eligible costs, that is %(max)s.")
                % {"share": f"{locked.call.max_share_percent.normalize():f}", "max": format_euros(ceiling)}
            )
    else:
        granted_amount = None
    decision = existing or Decision(application=locked)
    decision.status = DecisionStatus.PROPOSED
    decision.outcome = outcome
    decision.granted_amount = granted_amount
    decision.requested_amount = locked.requested_amount
    decision.language = language
    decision.grounds_fi, decision.grounds_sv = grounds_fi, grounds_sv
    decision.conditions_fi, decision.conditions_sv = conditions_fi, conditions_sv
    decision.use_period_start, decision.use_period_end = locked.start_date, locked.end_date
    decision.proposed_by, decision.proposed_at = by, timezone.now()
    decision.return_note = ""
    decision.save()
    _journal(
        locked,
        kind=EventKind.DECISION_PROPOSED,
        by=by,
        note=format_euros(granted_amount) if granted_amount else decision.get_outcome_display(),
        internal=True,
    )
    return decision


@transaction.atomic
def return_proposal(*, decision: Decision, note: str, by) -> Decision:
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != DecisionStatus.PROPOSED:
        raise WorkflowError(_("Only a proposal waiting for approval can be returned."))
    locked.status = DecisionStatus.RETURNED
    locked.return_note = note
    locked.save(update_fields=["status", "return_note"])
    _journal(locked.application, kind=EventKind.PROPOSAL_RETURNED, by=by, note=note, internal=True)
    return locked


def approved_total(call) -> Decimal:
    return Decision.objects.filter(
        application__call=call, status=DecisionStatus.APPROVED, outcome=Outcome.POSITIVE
    ).aggregate(total=Sum("granted_amount"))["total"] or Decimal("0")


def approve_decisions(*, call: Call, decision_ids, by) -> list[Decision]:
    """Approve proposals of one call, one or many, in one transaction.

    The call's row is locked first, so that two decision-makers approving at the same moment take turns:
    the sum of the call's positive decisions can never exceed its appropriation. If it would, nothing is
    approved and the refusal says by how much."""
    from .decision_document import archive_document

    written = []
    try:
        with transaction.atomic():
            locked_call = Call.objects.select_for_update().get(pk=call.pk)
            decisions = list(
                Decision.objects.select_for_update()
                .filter(pk__in=list(decision_ids), application__call=locked_call)
                .order_by("application__case_sequence", "pk")
            )
            if not decisions or len(decisions) != len(set(decision_ids)):
                raise WorkflowError(_("The proposals changed meanwhile. Check the list again."))
            if any(decision.status != DecisionStatus.PROPOSED for decision in decisions):
                raise WorkflowError(
                    _("Only proposals waiting for approval can be approved; one was decided already.")
                )
            adding = sum((d.granted_amount for d in decisions if d.outcome == Outcome.POSITIVE), Decimal("0"))
            total = approved_total(locked_call) + adding
            if total > locked_call.appropriation:
                raise WorkflowError(
                    _("Approving would exceed the call's appropriation of %(appropriation)s by %(excess)s.")
                    % {
                        "appropriation": format_euros(locked_call.appropriation),
                        "excess": format_euros(total - locked_call.appropriation),
                    }
                )
            today = timezone.localdate()
            for decision in decisions:
                application = Application.objects.select_for_update().get(pk=decision.application_id)
                decision.status = DecisionStatus.APPROVED
                decision.decision_date = today
                decision.approved_by = by
                decision.approved_at = timezone.now()
                decision.save()
                previous = application.status
                application.status = (
                    Status.AWARDED if decision.outcome == Outcome.POSITIVE else Status.REJECTED
                )
                application.save(update_fields=["status", "updated_at"])
                archive_document(decision, written=written)
                _journal(
                    application,
                    kind=EventKind.DECIDED,
                    by=by,
                    from_status=previous,
                    to_status=application.status,
                    note=format_euros(decision.granted_amount) if decision.granted_amount else "",
                )
                transaction.on_commit(lambda pk=decision.pk: notifications.send_decision(pk))
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    return decisions


@transaction.atomic
def publish_results(*, call: Call, by) -> Call:
    """Publish a call's results once every submitted application has a decision."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.results_published:
        raise WorkflowError(_("The results of this call have already been published."))
    undecided = Application.objects.filter(call=locked, status=Status.SUBMITTED).count()
    if undecided:
        raise WorkflowError(
            _("%(count)s applications still wait for a decision; results are published when all are decided.")
            % {"count": undecided}
        )
    if not Decision.objects.filter(application__call=locked, status=DecisionStatus.APPROVED).exists():
        raise WorkflowError(_("The call has no decisions to publish."))
    locked.results_published_on = timezone.localdate()
    locked.save(update_fields=["results_published_on"])
    decided = Application.objects.filter(call=locked, status__in=[Status.AWARDED, Status.REJECTED])
    CaseEvent.objects.bulk_create(
        CaseEvent(application=application, actor=by, kind=EventKind.RESULTS_PUBLISHED)
        for application in decided
    )
    return locked
