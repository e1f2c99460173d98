"""The follow-up of an awarded project: payments, changes, reports and closing the case (returns:
`returns.py`).

Each runs in one transaction on the case's locked row, and changes a status only through the workflow,
which checks that the project is still followed up and that the right person acts. The money is computed
by `rules` (the 85 % cap, the 100 € rule, interest by the reference rate)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.formatting import format_euros

from .. import notifications, rules, workflow
from ..documents.followup import (
    change_decision_pdf,
    change_title,
    payment_decision_pdf,
    payment_title,
)
from ..documents.issue import issue
from ..exceptions import WorkflowError
from ..files import atomic_with_files, store_attachment
from ..models import (
    Application,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    CostLine,
    Decision,
    DocumentKind,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    PaymentRequest,
    PaymentStatus,
    Report,
    ReportKind,
)
from .locking import lock_case

FOLLOW_UP = ("call", "decision")


def _check_period(decision, start, end):
    if start > end:
        raise WorkflowError(_("The period must start before it ends."))
    if decision.use_period_start and start < decision.use_period_start:
        raise WorkflowError(_("Costs before the use period are not eligible."))
    if decision.use_period_end and end > decision.use_period_end:
        raise WorkflowError(_("Costs after the use period are not eligible."))


def request_payment(*, application, period_start, period_end, costs, ledger, is_final, by):
    """The lead's payment request: realised costs per line {category: (description, amount)} and the
    general-ledger extract (a checked upload)."""
    with atomic_with_files() as written:
        locked = lock_case(application, *FOLLOW_UP)
        payment = PaymentRequest(
            application=locked,
            period_start=period_start,
            period_end=period_end,
            is_final=is_final,
            submitted_by=by,
        )
        workflow.require(payment, "request", by=by)
        _check_period(locked.decision, period_start, period_end)
        if period_end > timezone.localdate():
            raise WorkflowError(
                _(
                    "A payment request covers costs already incurred: the period cannot end after today, %(today)s."
                )
                % {"today": formats.date_format(timezone.localdate(), "j.n.Y")}
            )
        if not any(amount > 0 for _description, amount in costs.values()):
            raise WorkflowError(_("Enter the realised costs."))
        if (
            is_final
            and not locked.reports.filter(kind=ReportKind.FINAL, financial_checked_at__isnull=False).exists()
        ):
            raise WorkflowError(_("The final payment follows the checked final report."))
        payment.ledger_extract = store_attachment(
            locked, ledger, by=by, written=written, description=_("General-ledger extract")
        )
        claimed = sum((amount for _description, amount in costs.values() if amount > 0), Decimal("0"))
        workflow.perform(payment, "request", by=by, note=format_euros(claimed))
        CostLine.objects.bulk_create(
            CostLine(payment_request=payment, category=category, description=description, amount=amount)
            for category, (description, amount) in costs.items()
            if amount > 0
        )
    return payment


def _already_committed(application, excluding=None):
    payments = PaymentRequest.objects.filter(
        application=application, status__in=[PaymentStatus.APPROVED, PaymentStatus.PAID]
    )
    if excluding is not None:
        payments = payments.exclude(pk=excluding.pk)
    return payments.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")


def _eligible_so_far(application):
    lines = CostLine.objects.filter(
        payment_request__application=application,
        payment_request__status__in=[PaymentStatus.APPROVED, PaymentStatus.PAID],
        accepted=True,
    )
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def payable_if_approved(payment: PaymentRequest) -> Decimal:
    """What approving the request with every cost accepted would pay, by the same formula as the approval:
    the official sees it before deciding."""
    application = payment.application
    accepted = sum((line.amount for line in payment.cost_lines.all()), Decimal("0"))
    return max(
        rules.payable_amount(
            granted=application.decision.granted_amount,
            share=application.call.max_share,
            eligible_costs=_eligible_so_far(application) + accepted,
            already_paid=_already_committed(application),
        ),
        Decimal("0"),
    )


def _locked_payment(payment: PaymentRequest) -> PaymentRequest:
    application = lock_case(payment.application, *FOLLOW_UP)
    locked = PaymentRequest.objects.select_for_update().get(pk=payment.pk)
    locked.application = application
    return locked


def _issue_payment_decision(payment, written):
    """A payment decision that refuses costs is an appealable decision: issued and archived."""
    language = payment.application.document_language
    issue(
        payment.application,
        kind=DocumentKind.PAYMENT,
        title=payment_title(language),
        language=language,
        decision_date=timezone.localdate(payment.checked_at),
        content=payment_decision_pdf(payment),
        written=written,
        payment=payment,
    )


def approve_payment(*, payment: PaymentRequest, rejections: dict, note: str, by) -> PaymentRequest:
    """The official's check: cost lines rejected with reasons {line id: reason}; the rest count, and the
    payment is what the formula allows. The case's row is locked, so two approvals at the same moment
    take turns and together never exceed the grant. Refused costs make it a decision of its own, issued
    with rectification instructions."""
    with atomic_with_files() as written:
        locked = _approve_payment(payment, rejections, note, by)
        if rejections:
            _issue_payment_decision(locked, written)
        else:
            notifications.payment_approved(locked)
    return locked


def _approve_payment(payment, rejections, note, by):
    locked = _locked_payment(payment)
    application = locked.application
    workflow.require(locked, "approve", by=by)
    lines = {line.pk: line for line in locked.cost_lines.all()}
    for line_id, reason in rejections.items():
        if line_id not in lines:
            raise WorkflowError(_("The cost lines changed meanwhile. Check the request again."))
        lines[line_id].accepted = False
        lines[line_id].rejection_reason = reason
        lines[line_id].save(update_fields=["accepted", "rejection_reason"])
    accepted = sum((line.amount for line in lines.values() if line.accepted), Decimal("0"))
    amount = rules.payable_amount(
        granted=application.decision.granted_amount,
        share=application.call.max_share,
        eligible_costs=_eligible_so_far(application) + accepted,
        already_paid=_already_committed(application),
    )
    if amount <= 0:
        raise WorkflowError(
            _("Nothing can be paid: the grant or the share of the accepted costs is used up.")
        )
    changes = {"approved_amount": amount, "checked_by": by, "checked_at": timezone.now(), "check_note": note}
    workflow.perform(locked, "approve", by=by, changes=changes, note=format_euros(amount))
    return locked


def reject_payment(*, payment: PaymentRequest, note: str, by) -> PaymentRequest:
    """A rejected payment request is a decision of its own, issued with rectification instructions."""
    with atomic_with_files() as written:
        locked = _locked_payment(payment)
        workflow.require(locked, "reject", by=by)
        if not note.strip():
            raise WorkflowError(_("Give the reason for rejecting the request."))
        changes = {"checked_by": by, "checked_at": timezone.now(), "check_note": note}
        workflow.perform(locked, "reject", by=by, changes=changes, note=note[:500])
        _issue_payment_decision(locked, written)
    return locked


@transaction.atomic
def mark_paid(*, payment: PaymentRequest, paid_on, reference: str, by) -> PaymentRequest:
    locked = _locked_payment(payment)
    workflow.perform(
        locked,
        "mark_paid",
        by=by,
        changes={"paid_on": paid_on, "payment_reference": reference},
        note=f"{format_euros(locked.approved_amount)} {reference}",
    )
    notifications.payment_paid(locked)
    return locked


@transaction.atomic
def record_past_payment(*, application, amount, paid_on, reference, by):
    """A payment made outside this system (the 2022 projects), recorded afterwards by an official."""
    locked = lock_case(application, *FOLLOW_UP)
    decision = locked.decision
    start = decision.use_period_start or decision.decision_date
    payment = PaymentRequest(
        application=locked,
        period_start=min(start, paid_on),
        period_end=max(start, paid_on),
        submitted_by=by,
        approved_amount=amount,
        checked_by=by,
        checked_at=timezone.now(),
        check_note=_("Recorded afterwards: paid outside this system."),
        paid_on=paid_on,
        payment_reference=reference,
    )
    workflow.require(payment, "record_past", by=by)
    available = decision.granted_amount - _already_committed(locked)
    if amount <= 0 or amount > available:
        raise WorkflowError(
            _("The payment must be above zero and at most what is still available, %(available)s.")
            % {"available": format_euros(available)}
        )
    workflow.perform(payment, "record_past", by=by, note=f"{format_euros(amount)} {reference}")
    return payment


@transaction.atomic
def request_change(
    *, application, kind, description, new_use_period_end=None, budget_changes=None, new_participant=None, by
):
    """A change applied for before the use period ends. Changes between budget lines give new amounts
    {budget line id: amount} with the same total; a new participant must then confirm in the system."""
    locked = lock_case(application, *FOLLOW_UP)
    change = ChangeRequest(application=locked, kind=kind, description=description, submitted_by=by)
    workflow.require(change, "request", by=by)
    if locked.change_requests.filter(status=ChangeStatus.PENDING, kind=kind).exists():
        raise WorkflowError(_("A change of this kind is already waiting for a decision."))
    end = locked.decision.use_period_end
    budget = {}
    if kind == ChangeKind.EXTENSION and (new_use_period_end is None or (end and new_use_period_end <= end)):
        raise WorkflowError(_("An extension needs a new end date after the current one."))
    if kind == ChangeKind.BUDGET:
        lines = {line.pk: line.amount for line in locked.budget_lines.all()}
        budget = {
            pk: amount for pk, amount in (budget_changes or {}).items() if pk in lines and amount != lines[pk]
        }
        if not budget:
            raise WorkflowError(_("Change the amount of at least one budget line."))
        if sum({**lines, **budget}.values(), Decimal("0")) != sum(lines.values(), Decimal("0")):
            raise WorkflowError(_("Changes between budget lines keep the total of the eligible costs."))
    if kind == ChangeKind.PARTICIPANTS:
        if new_participant is None:
            raise WorkflowError(_("Name the municipality that joins the project."))
        if (
            locked.lead_id == new_participant.pk
            or locked.participants.filter(organisation=new_participant).exists()
        ):
            raise WorkflowError(rules.already_takes_part(new_participant))
    change.new_use_period_end = new_use_period_end if kind == ChangeKind.EXTENSION else None
    change.budget_changes = {str(pk): str(amount) for pk, amount in budget.items()}
    change.new_participant = new_participant if kind == ChangeKind.PARTICIPANTS else None
    workflow.perform(change, "request", by=by, note=str(ChangeKind(kind).label))
    if kind == ChangeKind.PARTICIPANTS:
        Participant.objects.create(
            application=locked, organisation=new_participant, role=ParticipantRole.PARTNER
        )
    return change


@transaction.atomic
def respond_to_joining(*, application, confirm, by, participant):
    """The staff of a municipality named in a pending change of participants confirm or decline."""
    locked = lock_case(application)
    participant.application = locked
    if not locked.change_requests.filter(
        status=ChangeStatus.PENDING,
        kind=ChangeKind.PARTICIPANTS,
        new_participant_id=participant.organisation_id,
    ).exists():
        raise WorkflowError(_("There is no pending change that your municipality could answer."))
    workflow.perform(
        participant,
        "confirm" if confirm else "decline",
        by=by,
        changes={"responded_by": by, "responded_at": timezone.now()},
        organisation=participant.organisation,
    )
    return participant


DECIDING = {
    ChangeStatus.ACCEPTED: "accept",
    ChangeStatus.ACCEPTED_WITH_CHANGES: "accept_with_changes",
    ChangeStatus.REJECTED: "reject",
}


def decide_change(*, change, status, grounds, decided_use_period_end, by):
    """Accepted (perhaps with changes) or rejected, with grounds. An accepted extension moves the use
    period and the final report's deadline; accepted budget changes update the budget lines; an accepted
    new participant joins (it must have confirmed), a rejected one is removed. The decision document is
    issued and archived in the same transaction."""
    with atomic_with_files() as written:
        return _decide_change(change, status, grounds, decided_use_period_end, by, written)


def _decide_change(change, status, grounds, decided_use_period_end, by, written):
    application = lock_case(change.application, *FOLLOW_UP)
    locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    locked.application = application
    action = DECIDING[status]
    workflow.require(locked, action, by=by)
    if not grounds.strip():
        raise WorkflowError(_("Give the grounds."))
    accepted = status != ChangeStatus.REJECTED
    changes = {"grounds": grounds, "decided_by": by, "decided_at": timezone.now()}
    if locked.kind == ChangeKind.EXTENSION and accepted:
        new_end = (
            decided_use_period_end
            if status == ChangeStatus.ACCEPTED_WITH_CHANGES
            else locked.new_use_period_end
        )
        current_end = application.decision.use_period_end
        if new_end is None or (current_end is not None and new_end <= current_end):
            raise WorkflowError(_("An extension needs a new end date after the current one."))
        changes["decided_use_period_end"] = new_end
        Decision.objects.filter(pk=application.decision.pk).update(use_period_end=new_end)
    if locked.kind == ChangeKind.BUDGET and accepted:
        for line in application.budget_lines.filter(pk__in=[int(pk) for pk in locked.budget_changes]):
            line.amount = Decimal(locked.budget_changes[str(line.pk)])
            line.save(update_fields=["amount"])
    if locked.kind == ChangeKind.PARTICIPANTS:
        joining = Participant.objects.filter(application=application, organisation=locked.new_participant_id)
        if accepted and not joining.filter(status=ParticipationStatus.CONFIRMED).exists():
            raise WorkflowError(_("The joining municipality has not confirmed its participation yet."))
        if not accepted:
            joining.delete()
    note = f"{locked.get_kind_display()}: {ChangeStatus(status).label}"
    workflow.perform(locked, action, by=by, changes=changes, note=note)
    language = application.document_language
    issue(
        application,
        kind=DocumentKind.CHANGE,
        title=change_title(language),
        language=language,
        decision_date=timezone.localdate(locked.decided_at),
        content=change_decision_pdf(locked),
        written=written,
        change=locked,
    )
    return locked


@transaction.atomic
def submit_report(*, application, kind, achieved, spread, continues, realised_costs, own_financing, by):
    locked = lock_case(application, *FOLLOW_UP)
    report = Report(
        application=locked,
        kind=kind,
        achieved=achieved,
        spread=spread,
        continues=continues,
        realised_costs=realised_costs,
        own_financing=own_financing,
        submitted_by=by,
    )
    workflow.require(report, "submit", by=by)
    if kind == ReportKind.FINAL and locked.reports.filter(kind=ReportKind.FINAL).exists():
        raise WorkflowError(_("The project has already submitted its final report."))
    workflow.perform(report, "submit", by=by, note=str(ReportKind(kind).label))
    return report


@transaction.atomic
def check_report(*, report, content_note, accepted_costs, financial_note, by):
    """The content check and the financial check; the accepted costs are what returns are computed from."""
    application = lock_case(report.application, *FOLLOW_UP)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    locked.application = application
    workflow.require(locked, "check", by=by)
    if accepted_costs > locked.realised_costs:
        raise WorkflowError(_("The accepted costs cannot exceed the reported costs."))
    now = timezone.now()
    changes = {
        "content_checked_by": by,
        "content_checked_at": now,
        "content_note": content_note,
        "financial_checked_by": by,
        "financial_checked_at": now,
        "accepted_costs": accepted_costs,
        "financial_note": financial_note,
    }
    workflow.perform(locked, "check", by=by, changes=changes, note=locked.get_kind_display())
    notifications.report_checked(locked)
    return locked


@transaction.atomic
def close_case(*, application: Application, by) -> Application:
    locked = lock_case(application, *FOLLOW_UP)
    workflow.perform(locked, "close", by=by)
    return locked
