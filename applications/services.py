"""State changes of applications. Each runs in one transaction, re-reads what it changes under a row
lock where a race matters, checks the transition, and writes one journal row (CaseEvent)."""

from contextlib import contextmanager
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from grants.models import Call

from . import notifications, workflow
from .models import (
    APPLICANT_FIELDS,
    Application,
    Attachment,
    BudgetLine,
    CaseEvent,
    EventKind,
    InternalComment,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    Status,
)


class WorkflowError(Exception):
    """A refused action, with a message for the user; nothing was changed."""


def _journal(application, *, kind, by, note="", from_status="", to_status=""):
    return CaseEvent.objects.create(
        application=application, actor=by, kind=kind, note=note, from_status=from_status, to_status=to_status
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
