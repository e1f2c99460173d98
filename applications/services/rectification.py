"""After a decision is issued: recording its notification (by letter, or electronically by the system when
the mail is delivered), a party's request for rectification,
and the official's reasoned decision on it, which amends the original decision when it is accepted."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import municipality_ids
from core.formatting import format_euros
from grants.models import Call

from .. import rules, workflow
from ..documents.issue import issue
from ..documents.rectification import rectification_decision_pdf, rectification_title
from ..exceptions import WorkflowError
from ..files import atomic_with_files
from ..models import (
    Application,
    Decision,
    DocumentKind,
    IssuedDocument,
    NotificationMethod,
    Outcome,
    RectificationRequest,
    RectificationStatus,
    Status,
)
from ..statemachine import SYSTEM
from .decisions import approved_total, grant_refusal
from .locking import lock_case


@transaction.atomic
def record_letter(*, document: IssuedDocument, sent_on, by) -> IssuedDocument:
    """An official records the day the decision was posted; it is deemed received on the 7th day
    (434/2003 § 59), and the rectification period runs from then."""
    lock_case(document.application)
    locked = IssuedDocument.objects.select_for_update().select_related("application").get(pk=document.pk)
    if sent_on > timezone.localdate():
        raise WorkflowError(_("The letter cannot be sent in the future."))
    if sent_on < locked.decision_date:
        raise WorkflowError(_("The letter cannot be sent before the decision was made."))
    notified_on = rules.presumed_notified_on(NotificationMethod.LETTER, sent_on)
    changes = {
        "method": NotificationMethod.LETTER,
        "sent_on": sent_on,
        "notified_on": notified_on,
        "notification_recorded_by": by,
    }
    note = f"{locked.title}: {sent_on:%d.%m.%Y} → {notified_on:%d.%m.%Y}"
    workflow.perform(locked, "record_notification", by=by, changes=changes, note=note)
    return locked


@transaction.atomic
def record_electronic_notification(*, document_id: int, delivered_at) -> IssuedDocument:
    """The system records the first delivered e-mail about a decision as its notification, where the
    applicant consented (13/2003 § 19): sent on the Helsinki date of delivery, deemed received on the third
    day after. Refused (WorkflowError) when already recorded or without consent."""
    application_id = IssuedDocument.objects.values_list("application_id", flat=True).get(pk=document_id)
    lock_case(Application(pk=application_id))
    locked = IssuedDocument.objects.select_for_update().select_related("application").get(pk=document_id)
    sent_on = timezone.localdate(delivered_at)
    notified_on = rules.presumed_notified_on(NotificationMethod.ELECTRONIC, sent_on)
    changes = {"method": NotificationMethod.ELECTRONIC, "sent_on": sent_on, "notified_on": notified_on}
    note = f"{locked.title}: {sent_on:%d.%m.%Y} → {notified_on:%d.%m.%Y}"
    workflow.perform(locked, "record_electronic_notification", by=SYSTEM, changes=changes, note=note)
    return locked


@transaction.atomic
def submit_rectification(*, document: IssuedDocument, demands: str, grounds: str, by) -> RectificationRequest:
    """A party (the lead or a participating municipality) requests rectification within the period."""
    application = lock_case(document.application)
    organisations = municipality_ids(by)
    organisation_id = (
        application.lead_id
        if application.lead_id in organisations
        else application.participants.filter(organisation_id__in=organisations)
        .values_list("organisation_id", flat=True)
        .first()
    )
    request = RectificationRequest(application=application, document=document, submitted_by=by)
    workflow.require(request, "submit", by=by)
    if organisation_id is None:  # the workflow lets only a municipality taking part submit
        raise WorkflowError(_("Only a municipality taking part in the case can request rectification."))
    request.organisation_id = organisation_id
    if not demands.strip() or not grounds.strip():
        raise WorkflowError(_("State the rectification requested and its grounds."))
    changes = {"demands": demands, "grounds": grounds}
    workflow.perform(request, "submit", by=by, changes=changes, note=document.title)
    return request


def decide_rectification(
    *,
    request: RectificationRequest,
    accept: bool,
    grounds: str,
    appeal_court: str,
    new_granted_amount=None,
    by,
) -> RectificationRequest:
    """The official's reasoned decision on the request, issued with appeal instructions to the
    administrative court. Accepting a request against a grant decision or a rejection may set a new
    maximum grant: the original decision is amended, and the call's appropriation still holds."""
    with atomic_with_files() as written:
        locked = (
            RectificationRequest.objects.select_for_update().select_related("document").get(pk=request.pk)
        )
        application = lock_case(locked.application)
        locked.application = application
        action = "accept" if accept else "reject"
        workflow.require(locked, action, by=by)
        if not grounds.strip():
            raise WorkflowError(_("Give the grounds."))
        if not appeal_court.strip():
            raise WorkflowError(_("Name the administrative court for an appeal."))
        document = locked.document
        if new_granted_amount is not None:
            if not accept or document.kind not in (DocumentKind.GRANT, DocumentKind.REJECTION):
                raise WorkflowError(_("A new maximum grant is set only when a grant decision is amended."))
            _amend_grant(application, new_granted_amount, by)
        changes = {
            "decision_grounds": grounds,
            "appeal_court": appeal_court,
            "new_granted_amount": new_granted_amount,
            "decided_by": by,
            "decided_at": timezone.now(),
        }
        note = str(RectificationStatus.ACCEPTED.label if accept else RectificationStatus.REJECTED.label)
        workflow.perform(locked, action, by=by, changes=changes, note=note)
        language = application.document_language
        issue(
            application,
            kind=DocumentKind.RECTIFICATION,
            title=rectification_title(language),
            language=language,
            decision_date=timezone.localdate(locked.decided_at),
            content=rectification_decision_pdf(locked),
            written=written,
            rectification=locked,
        )
    return locked


def _amend_grant(application, amount, by):
    call = Call.objects.select_for_update().get(pk=application.call_id)
    decision = Decision.objects.select_for_update().get(application=application)
    problem = grant_refusal(application, amount)
    if problem:
        raise WorkflowError(problem)
    current = decision.granted_amount if decision.outcome == Outcome.POSITIVE else Decimal("0")
    total = approved_total(call) - current + amount
    if total > call.appropriation:
        raise WorkflowError(
            _("Amending would exceed the call's appropriation of %(appropriation)s by %(excess)s.")
            % {
                "appropriation": format_euros(call.appropriation),
                "excess": format_euros(total - call.appropriation),
            }
        )
    Decision.objects.filter(pk=decision.pk).update(outcome=Outcome.POSITIVE, granted_amount=amount)
    if application.status == Status.REJECTED:
        workflow.perform(application, "award_on_rectification", by=by, note=format_euros(amount))
