"""Decisions on applications: the official's proposal (presentation), the decision-maker's approval or
sending back, and the publication of a call's results.

The approval's side effect beyond this module: saving decisions and applications bumps the call's results
version (opendata.signals), so that the cached public results page is never stale."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from core.formatting import format_euros
from grants.models import Call

from .. import notifications, rules, workflow
from ..documents.decision import archive_document
from ..exceptions import EditConflict, WorkflowError
from ..files import atomic_with_files
from ..journal import record_event
from ..models import (
    DECISION_LANGUAGES,
    Application,
    CaseEvent,
    Decision,
    DecisionStatus,
    EventKind,
    Outcome,
    Status,
)
from .locking import lock_case


def grounds_missing(language: str, grounds_fi: str, grounds_sv: str) -> bool:
    """A decision states its grounds in its own language."""
    return not (grounds_sv if language == "sv" else grounds_fi).strip()


def grant_refusal(application: Application, granted_amount) -> str | None:
    """Why a positive decision cannot grant this amount, or None: it must be above zero, within the
    request and within the call's maximum share of the eligible costs."""
    if granted_amount is None or granted_amount <= 0:
        return _("Give the maximum grant.")
    if application.requested_amount is not None and granted_amount > application.requested_amount:
        return _("The grant cannot exceed the amount applied for.")
    ceiling = rules.max_grant(application)
    if granted_amount > ceiling:
        return _("The grant cannot exceed %(share)s %% of the eligible costs, that is %(max)s.") % {
            "share": f"{application.call.max_share_percent.normalize():f}",
            "max": format_euros(ceiling),
        }
    return None


def proposal_version(decision: Decision | None) -> str:
    """What the proposal form was opened on: no proposal, or this one as last presented or returned."""
    if decision is None or decision.pk is None:
        return "none"
    moment = decision.proposed_at.isoformat() if decision.proposed_at else ""
    return f"{decision.pk}-{decision.status}-{moment}"


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
    version: str | None = None,
) -> Decision:
    """An official's proposal: a positive decision within the request and the maximum share of the
    eligible costs, or a negative one with grounds. A returned proposal can be proposed again."""
    locked = lock_case(application)
    decision = Decision.objects.select_for_update().filter(application=locked).first() or Decision()
    if version and version != proposal_version(decision):
        raise EditConflict(
            _(
                "Someone else presented or returned a proposal on this application after you opened the "
                "page: it is shown on the page. Your text was not sent and is kept in the form; compare and "
                "send again."
            )
        )
    decision.application = locked
    workflow.require(decision, "propose", by=by, outcome=outcome)
    if language != locked.document_language:
        raise WorkflowError(
            _("The decision is written in the language of the application: %(language)s.")
            % {"language": dict(DECISION_LANGUAGES)[locked.document_language]}
        )
    if grounds_missing(language, grounds_fi, grounds_sv):
        raise WorkflowError(_("Give the grounds in the decision's language."))
    if outcome == Outcome.POSITIVE:
        problem = grant_refusal(locked, granted_amount)
        if problem:
            raise WorkflowError(problem)
    else:
        granted_amount = None
    changes = {
        "outcome": outcome,
        "granted_amount": granted_amount,
        "requested_amount": locked.requested_amount,
        "language": language,
        "grounds_fi": grounds_fi,
        "grounds_sv": grounds_sv,
        "conditions_fi": conditions_fi,
        "conditions_sv": conditions_sv,
        "use_period_start": locked.start_date,
        "use_period_end": locked.end_date,
        "proposed_by": by,
        "proposed_at": timezone.now(),
        "return_note": "",
    }
    note = format_euros(granted_amount) if granted_amount else str(Outcome(outcome).label)
    workflow.perform(decision, "propose", by=by, changes=changes, note=note, outcome=outcome)
    notifications.proposal_waiting(decision)
    return decision


@transaction.atomic
def send_back_proposal(*, decision: Decision, note: str, by) -> Decision:
    """The decision-maker returns a proposal to the official, saying why."""
    locked = Decision.objects.select_for_update().select_related("application").get(pk=decision.pk)
    workflow.perform(locked, "send_back", by=by, changes={"return_note": note}, note=note)
    notifications.proposal_returned(locked)
    return locked


def approved_total(call: Call) -> Decimal:
    return Decision.objects.filter(
        application__call=call, status=DecisionStatus.APPROVED, outcome=Outcome.POSITIVE
    ).aggregate(total=Sum("granted_amount"))["total"] or Decimal("0")


def approve_decisions(*, call: Call, decision_ids, by) -> list[Decision]:
    """Approve proposals of one call, one or many, in one transaction.

    The call's row is locked first, so that two decision-makers approving at the same moment take turns:
    the sum of the call's positive decisions can never exceed its appropriation. If it would, nothing is
    approved and the refusal says by how much. Each proposal goes through the workflow (a decision-maker
    other than its presenter, the application still being processed, the period ended, the results not
    yet published), and so does its application's award or rejection."""
    with atomic_with_files() as written:
        locked_call = Call.objects.select_for_update().get(pk=call.pk)
        decisions = list(
            Decision.objects.select_for_update()
            .filter(pk__in=list(decision_ids), application__call=locked_call)
            .order_by("application__case_sequence", "pk")
        )
        if not decisions or len(decisions) != len(set(decision_ids)):
            raise WorkflowError(_("The proposals changed meanwhile. Check the list again."))
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
        now = timezone.now()
        for decision in decisions:
            application = lock_case(decision.application)
            application.call = locked_call
            decision.application = application
            changes = {"decision_date": timezone.localdate(now), "approved_by": by, "approved_at": now}
            workflow.perform(decision, "approve", by=by, now=now, changes=changes)
            archive_document(decision, written=written)
            workflow.perform(
                application,
                "award" if decision.outcome == Outcome.POSITIVE else "reject",
                by=by,
                now=now,
                note=format_euros(decision.granted_amount) if decision.granted_amount else "",
            )
    return decisions


def attach_original_decision(*, decision: Decision, upload, by) -> Decision:
    """An official attaches the archived original of a decision made outside this system (the 2022
    awards); from then on it is what the municipality and the ministry download. `upload` is a checked
    PDF (`attachments.CheckedUpload`)."""
    if not permissions.is_official(by):
        raise WorkflowError(_("Only the ministry's officials attach archived decisions."))
    with atomic_with_files() as written:
        locked = Decision.objects.select_for_update().select_related("application").get(pk=decision.pk)
        application = lock_case(locked.application)
        if not application.is_historical:
            raise WorkflowError(_("This decision was made in the system; its document is archived already."))
        if upload.content_type != "application/pdf":
            raise WorkflowError(_("Attach the decision as a PDF file."))
        name = f"original-{application.pk}.pdf"
        locked.document_pdf.save(name, upload.file, save=False)
        written.append((locked.document_pdf.storage, locked.document_pdf.name))
        locked.save(update_fields=["document_pdf"])
        record_event(application, kind=EventKind.ORIGINAL_ATTACHED, by=by, note=upload.name)
    return locked


@transaction.atomic
def record_diary_number(*, application: Application, diary_number: str, by) -> Application:
    """An official records the case's number in the ministry's case register; the system's own case
    number stays as it is."""
    if not permissions.is_official(by):
        raise WorkflowError(_("Only the ministry's officials record diary numbers."))
    locked = lock_case(application)
    locked.diary_number = diary_number.strip()
    locked.save(update_fields=["diary_number", "updated_at"])
    record_event(locked, kind=EventKind.DIARY_NUMBER_RECORDED, by=by, note=locked.diary_number, internal=True)
    return locked


@transaction.atomic
def publish_results(*, call: Call, by) -> Call:
    """Publish a call's results once its application period has ended and every submitted application
    has a decision; each decided application's journal records it."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    workflow.perform(locked, "publish_results", by=by, changes={"results_published_on": timezone.localdate()})
    decided = Application.objects.filter(call=locked, status__in=[Status.AWARDED, Status.REJECTED])
    CaseEvent.objects.bulk_create(
        CaseEvent(application=application, actor=by, kind=EventKind.RESULTS_PUBLISHED)
        for application in decided
    )
    return locked
