"""The applicant's draft: starting it, its content, participating municipalities, shares and files.

Every change goes through the workflow (`workflow.perform`): only the lead municipality's staff change a
draft, only while it is a draft; a partner's staff answer for their own municipality."""

import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from grants.models import Call

from .. import notifications, rules, workflow
from ..exceptions import EditConflict, WorkflowError
from ..files import atomic_with_files, store_attachment
from ..models import (
    APPLICANT_FIELDS,
    Application,
    Attachment,
    BudgetLine,
    Participant,
    ParticipantRole,
    ParticipationStatus,
)
from .locking import lock_case


@transaction.atomic
def start_application(*, call: Call, lead: Organisation, project_name: str, by) -> Application:
    application = Application(
        call=call,
        lead=lead,
        project_name=project_name,
        language=lead.language,
        created_by=by,
        contact_name=by.full_name,
        contact_email=by.email,
    )
    workflow.perform(application, "start", by=by)
    Participant.objects.create(
        application=application,
        organisation=lead,
        role=ParticipantRole.LEAD,
        status=ParticipationStatus.CONFIRMED,
        responded_by=by,
        responded_at=timezone.now(),
        share_percent=Decimal("100"),
    )
    return application


def draft_version(application: Application) -> str:
    """A fingerprint of what the draft's content form shows (its fields, budget and kept input): the form
    carries it, and a save from a form opened before somebody else's save is refused."""
    content: dict = {field: str(application.serializable_value(field)) for field in APPLICANT_FIELDS}
    # The rows the page read already, when it did (all(), not order_by(), which would read them again).
    content["budget"] = [
        [line.category, line.description, str(line.amount)]
        for line in sorted(application.budget_lines.all(), key=lambda line: line.pk)
    ]
    content["pending"] = application.draft_input or {}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


@transaction.atomic
def save_draft(
    *, application: Application, values: dict, budget_lines=None, pending_input=None, by, version=None
) -> Application:
    """Save what the form validated; `pending_input` keeps what still needs correcting, so that nothing
    the applicant typed is lost even when the form has errors. `budget_lines` (a list of dicts) replaces
    the budget when given. With `version` (the `draft_version` the form was opened with), a save is refused
    with EditConflict if the draft changed meanwhile."""
    locked = lock_case(application)
    if version is not None and version != draft_version(locked):
        raise EditConflict(
            _(
                "Someone else saved this draft after you opened it. Your text was not saved: it is below, "
                "with what was saved meanwhile. Combine the two and save again."
            )
        )
    changes = {field: values[field] for field in APPLICANT_FIELDS if field in values}
    changes["draft_input"] = pending_input or {}
    workflow.perform(locked, "edit", by=by, changes=changes)
    if budget_lines is not None:
        locked.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(BudgetLine(application=locked, **line) for line in budget_lines)
    return locked


@transaction.atomic
def add_participant(
    *, application: Application, organisation: Organisation, share_percent, by
) -> Participant:
    locked = lock_case(application)
    workflow.require(locked, "add_participant", by=by)
    if organisation.pk == locked.lead_id:
        raise WorkflowError(_("The lead applicant is already part of the application."))
    if locked.participants.filter(organisation=organisation).exists():
        raise WorkflowError(rules.already_takes_part(organisation))
    participant = Participant.objects.create(
        application=locked,
        organisation=organisation,
        role=ParticipantRole.PARTNER,
        share_percent=share_percent,
    )
    workflow.perform(locked, "add_participant", by=by, organisation=organisation)
    notifications.partner_invited(participant)
    return participant


@transaction.atomic
def remove_participant(*, participant: Participant, by) -> None:
    locked = lock_case(participant.application)
    workflow.require(locked, "remove_participant", by=by)
    if participant.is_lead:
        raise WorkflowError(_("The lead applicant cannot be removed."))
    organisation = participant.organisation
    participant.delete()
    workflow.perform(locked, "remove_participant", by=by, organisation=organisation)


@transaction.atomic
def set_shares(*, application: Application, shares: dict, by) -> None:
    """Set each participant's share of the costs: {participant id: percent}."""
    locked = lock_case(application)
    participants = {p.pk: p for p in locked.participants.select_for_update()}
    if any(participant_id not in participants for participant_id in shares):
        raise WorkflowError(_("The list of municipalities changed meanwhile. Check the shares again."))
    for participant_id, share in shares.items():
        participant = participants[participant_id]
        participant.share_percent = share
        participant.save(update_fields=["share_percent"])
    workflow.perform(locked, "set_shares", by=by)


def respond_to_participation(*, participant: Participant, confirm: bool, by, document=None) -> Participant:
    """A partner municipality's staff confirm (optionally with a commitment document) or decline."""
    with atomic_with_files() as written:
        locked_application = lock_case(participant.application)
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        locked.application = locked_application
        if locked.is_lead:
            raise WorkflowError(_("The lead applicant takes part by applying."))
        workflow.perform(
            locked,
            "confirm" if confirm else "decline",
            by=by,
            changes={"responded_by": by, "responded_at": timezone.now()},
            organisation=locked.organisation,
        )
        if document is not None:
            store_attachment(
                locked_application,
                document,
                by=by,
                written=written,
                participant=locked,
                description=_("Commitment"),
            )
        notifications.participation_answered(locked)
    return locked


def add_attachment(*, application: Application, upload, description: str, by) -> Attachment:
    with atomic_with_files() as written:
        locked = lock_case(application)
        workflow.require(locked, "add_attachment", by=by)
        attachment = store_attachment(locked, upload, by=by, written=written, description=description)
        workflow.perform(locked, "add_attachment", by=by, note=attachment.original_name)
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: Attachment, by) -> None:
    attachment.application = lock_case(attachment.application)
    name, stored, storage = attachment.original_name, attachment.file.name or "", attachment.file.storage
    workflow.perform(attachment, "delete", by=by, note=name)
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
