"""Follow-up of awarded projects: the money computations (pure functions) and the state changes
(payments, changes, reports, returns, closing). Each state change runs in one transaction, re-reads the
case under a row lock and writes one journal row, like the services of the application itself."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import ReferenceRate
from grants.templatetags.money import format_euros

from .models import (
    Application,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    CostLine,
    Decision,
    EventKind,
    GrantReturn,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    PaymentRequest,
    PaymentStatus,
    Report,
    ReportKind,
    ReturnStatus,
    Status,
)
from .services import WorkflowError, _atomic_with_files, _journal, _store_attachment

CENT = Decimal("0.01")
# Sums of 100 euros or less need not be returned (State Aid Act 688/2001 § 20).
RETURN_THRESHOLD = Decimal("100")
# Interest on returned grants: the reference rate plus three percentage points (§ 24).
INTEREST_MARGIN = Decimal("3")


def cents_down(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def payable_amount(*, granted, share, eligible_costs, already_paid):
    """min(eligible realised costs × maximum share − already paid, maximum grant − already paid), never
    below zero. `already_paid` includes payments approved but not yet paid."""
    by_costs = cents_down(eligible_costs * share) - already_paid
    by_grant = granted - already_paid
    return max(Decimal("0"), min(by_costs, by_grant))


def return_amount(*, paid, accepted_costs, share, granted):
    """What was paid beyond what the accepted costs justify; nothing when it is 100 € or less."""
    justified = min(cents_down(accepted_costs * share), granted)
    excess = paid - justified
    return excess if excess > RETURN_THRESHOLD else Decimal("0")


@dataclass
class InterestLine:
    amount: Decimal
    start: dt.date
    end: dt.date
    rate: Decimal
    days: int
    interest: Decimal


@dataclass
class InterestResult:
    total: Decimal
    lines: list[InterestLine] = field(default_factory=list)


def allocate_to_payments(excess, payments):
    """The excess comes from the latest payments first: [(amount, payment date)]."""
    portions, left = [], excess
    for amount, paid_on in sorted(payments, key=lambda p: p[1], reverse=True):
        if left <= 0:
            break
        portion = min(amount, left)
        portions.append((portion, paid_on))
        left -= portion
    return portions


def interest(portions, until, rates):
    """Simple interest, actual days / 365, at each day's reference rate + 3 percentage points, on each
    portion from its payment date until `until`. `rates` is [(valid from, rate %)]."""
    rates = sorted(rates)
    if not rates and portions:
        raise WorkflowError(
            _("Enter the reference rates first: the interest cannot be computed without them.")
        )
    lines = []
    for amount, start in portions:
        if start < rates[0][0]:
            raise WorkflowError(
                _("No reference rate is recorded for %(date)s.") % {"date": start.strftime("%d.%m.%Y")}
            )
        for index, (valid_from, rate) in enumerate(rates):
            valid_to = rates[index + 1][0] if index + 1 < len(rates) else until
            segment_start, segment_end = max(start, valid_from), min(until, valid_to)
            days = (segment_end - segment_start).days
            if days <= 0:
                continue
            yearly = rate + INTEREST_MARGIN
            value = (amount * yearly / Decimal(100) * Decimal(days) / Decimal(365)).quantize(
                CENT, ROUND_HALF_UP
            )
            lines.append(InterestLine(amount, segment_start, segment_end, yearly, days, value))
    return InterestResult(total=sum((line.interest for line in lines), Decimal("0")), lines=lines)


@dataclass(frozen=True)
class ProjectFigures:
    granted: Decimal
    share: Decimal
    use_period_start: dt.date | None
    use_period_end: dt.date | None
    paid: Decimal
    approved_unpaid: Decimal
    eligible_costs: Decimal
    available: Decimal
    returned: Decimal
    to_return: Decimal
    report_due: dt.date | None
    interim_due: dt.date | None

    @property
    def committed(self):
        return self.paid + self.approved_unpaid


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def figures(application):
    """What was granted, paid, is still available, and when reports are due."""
    decision = application.decision
    call = application.call
    payments = list(application.payment_requests.all())
    paid = sum((p.approved_amount for p in payments if p.status == PaymentStatus.PAID), Decimal("0"))
    approved = sum((p.approved_amount for p in payments if p.status == PaymentStatus.APPROVED), Decimal("0"))
    eligible = sum(
        (p.accepted_costs for p in payments if p.status in (PaymentStatus.APPROVED, PaymentStatus.PAID)),
        Decimal("0"),
    )
    returns = list(application.returns.all())
    returned = sum((r.repaid_amount or Decimal("0") for r in returns), Decimal("0"))
    to_return = sum(
        (r.amount + r.interest for r in returns if r.status == ReturnStatus.DECIDED), Decimal("0")
    )
    end = decision.use_period_end
    return ProjectFigures(
        granted=decision.granted_amount or Decimal("0"),
        share=call.max_share,
        use_period_start=decision.use_period_start,
        use_period_end=end,
        paid=paid,
        approved_unpaid=approved,
        eligible_costs=eligible,
        available=(decision.granted_amount or Decimal("0")) - paid - approved,
        returned=returned,
        to_return=to_return,
        report_due=add_months(end, call.final_report_months) if end else None,
        interim_due=call.interim_report_due if call.interim_report_required else None,
    )


# --- State changes ----------------------------------------------------------------------------------


def _locked_awarded(application):
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "decision")
        .get(pk=application.pk)
    )
    if locked.status == Status.CLOSED:
        raise WorkflowError(_("The case is closed."))
    if locked.status != Status.AWARDED:
        raise WorkflowError(_("Only an awarded project is followed up."))
    return locked


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
    with _atomic_with_files() as written:
        locked = _locked_awarded(application)
        _check_period(locked.decision, period_start, period_end)
        if not any(amount > 0 for _description, amount in costs.values()):
            raise WorkflowError(_("Enter the realised costs."))
        if (
            is_final
            and not locked.reports.filter(kind=ReportKind.FINAL, financial_checked_at__isnull=False).exists()
        ):
            raise WorkflowError(_("The final payment follows the checked final report."))
        attachment = _store_attachment(
            locked, ledger, by=by, written=written, description=_("General-ledger extract")
        )
        request = PaymentRequest.objects.create(
            application=locked,
            period_start=period_start,
            period_end=period_end,
            is_final=is_final,
            ledger_extract=attachment,
            submitted_by=by,
        )
        CostLine.objects.bulk_create(
            CostLine(payment_request=request, category=category, description=description, amount=amount)
            for category, (description, amount) in costs.items()
            if amount > 0
        )
        _journal(locked, kind=EventKind.PAYMENT_REQUESTED, by=by, note=format_euros(request.claimed_costs))
    return request


def _already_committed(application, excluding=None):
    payments = PaymentRequest.objects.filter(
        application=application, status__in=[PaymentStatus.APPROVED, PaymentStatus.PAID]
    )
    if excluding is not None:
        payments = payments.exclude(pk=excluding.pk)
    return payments.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")


def _eligible_so_far(application, excluding=None):
    lines = CostLine.objects.filter(
        payment_request__application=application,
        payment_request__status__in=[PaymentStatus.APPROVED, PaymentStatus.PAID],
        accepted=True,
    )
    if excluding is not None:
        lines = lines.exclude(payment_request=excluding)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")


@transaction.atomic
def approve_payment(*, request, rejections, note, by):
    """The official's check: cost lines rejected with reasons {line id: reason}; the rest count, and the
    payment is what the formula allows. The case's row is locked, so two approvals at the same moment
    take turns and together never exceed the grant."""
    locked_application = _locked_awarded(request.application)
    locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != PaymentStatus.SUBMITTED:
        raise WorkflowError(_("This payment request has already been checked."))
    lines = {line.pk: line for line in locked.cost_lines.all()}
    for line_id, reason in rejections.items():
        if line_id not in lines:
            raise WorkflowError(_("The cost lines changed meanwhile. Check the request again."))
        lines[line_id].accepted = False
        lines[line_id].rejection_reason = reason
        lines[line_id].save(update_fields=["accepted", "rejection_reason"])
    accepted = sum((line.amount for line in lines.values() if line.accepted), Decimal("0"))
    decision = locked_application.decision
    amount = payable_amount(
        granted=decision.granted_amount,
        share=locked_application.call.max_share,
        eligible_costs=_eligible_so_far(locked_application) + accepted,
        already_paid=_already_committed(locked_application),
    )
    if amount <= 0:
        raise WorkflowError(
            _("Nothing can be paid: the grant or the share of the accepted costs is used up.")
        )
    locked.status = PaymentStatus.APPROVED
    locked.approved_amount = amount
    locked.checked_by, locked.checked_at, locked.check_note = by, timezone.now(), note
    locked.save()
    _journal(locked_application, kind=EventKind.PAYMENT_APPROVED, by=by, note=format_euros(amount))
    return locked


@transaction.atomic
def reject_payment(*, request, note, by):
    _locked_awarded(request.application)
    locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != PaymentStatus.SUBMITTED:
        raise WorkflowError(_("This payment request has already been checked."))
    if not note.strip():
        raise WorkflowError(_("Give the reason for rejecting the request."))
    locked.status = PaymentStatus.REJECTED
    locked.checked_by, locked.checked_at, locked.check_note = by, timezone.now(), note
    locked.save()
    _journal(locked.application, kind=EventKind.PAYMENT_REJECTED, by=by, note=note[:500])
    return locked


@transaction.atomic
def mark_paid(*, request, paid_on, reference, by):
    locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != PaymentStatus.APPROVED:
        raise WorkflowError(_("Only an approved payment can be marked as paid."))
    locked.status = PaymentStatus.PAID
    locked.paid_on, locked.payment_reference = paid_on, reference
    locked.save()
    _journal(
        locked.application,
        kind=EventKind.PAYMENT_PAID,
        by=by,
        note=f"{format_euros(locked.approved_amount)} {reference}",
    )
    return locked


@transaction.atomic
def record_past_payment(*, application, amount, paid_on, reference, by):
    """A payment made outside this system (the 2022 projects), recorded afterwards by an official."""
    locked = _locked_awarded(application)
    decision = locked.decision
    available = decision.granted_amount - _already_committed(locked)
    if amount <= 0 or amount > available:
        raise WorkflowError(
            _("The payment must be above zero and at most what is still available, %(available)s.")
            % {"available": format_euros(available)}
        )
    start = decision.use_period_start or decision.decision_date
    payment = PaymentRequest.objects.create(
        application=locked,
        period_start=min(start, paid_on),
        period_end=max(start, paid_on),
        status=PaymentStatus.PAID,
        submitted_by=by,
        approved_amount=amount,
        checked_by=by,
        checked_at=timezone.now(),
        check_note=_("Recorded afterwards: paid outside this system."),
        paid_on=paid_on,
        payment_reference=reference,
    )
    _journal(locked, kind=EventKind.PAYMENT_PAID, by=by, note=f"{format_euros(amount)} {reference}")
    return payment


@transaction.atomic
def request_change(
    *, application, kind, description, new_use_period_end=None, budget_changes=None, new_participant=None, by
):
    """A change applied for before the use period ends. Changes between budget lines give new amounts
    {budget line id: amount} with the same total; a new participant must then confirm in the system."""
    locked = _locked_awarded(application)
    end = locked.decision.use_period_end
    if end and timezone.localdate() > end:
        raise WorkflowError(_("Changes are applied for before the use period ends."))
    if locked.change_requests.filter(status=ChangeStatus.PENDING, kind=kind).exists():
        raise WorkflowError(_("A change of this kind is already waiting for a decision."))
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
            raise WorkflowError(
                _("%(name)s already takes part in the application.") % {"name": new_participant.name}
            )
    change = ChangeRequest.objects.create(
        application=locked,
        kind=kind,
        description=description,
        new_use_period_end=new_use_period_end if kind == ChangeKind.EXTENSION else None,
        budget_changes={str(pk): str(amount) for pk, amount in budget.items()},
        new_participant=new_participant if kind == ChangeKind.PARTICIPANTS else None,
        submitted_by=by,
    )
    if kind == ChangeKind.PARTICIPANTS:
        Participant.objects.create(
            application=locked, organisation=new_participant, role=ParticipantRole.PARTNER
        )
    _journal(locked, kind=EventKind.CHANGE_REQUESTED, by=by, note=change.get_kind_display())
    return change


@transaction.atomic
def respond_to_joining(*, application, confirm, by, participant):
    """The staff of a municipality named in a pending change of participants confirm or decline."""
    locked = _locked_awarded(application)
    if not locked.change_requests.filter(
        status=ChangeStatus.PENDING,
        kind=ChangeKind.PARTICIPANTS,
        new_participant_id=participant.organisation_id,
    ).exists():
        raise WorkflowError(_("There is no pending change that your municipality could answer."))
    participant.status = ParticipationStatus.CONFIRMED if confirm else ParticipationStatus.DECLINED
    participant.responded_by, participant.responded_at = by, timezone.now()
    participant.save(update_fields=["status", "responded_by", "responded_at"])
    _journal(
        locked,
        kind=EventKind.PARTICIPATION_CONFIRMED if confirm else EventKind.PARTICIPATION_DECLINED,
        by=by,
        note=participant.organisation.name_fi,
    )
    return participant


@transaction.atomic
def decide_change(*, change, status, grounds, decided_use_period_end, by):
    """Accepted (perhaps with changes) or rejected, with grounds. An accepted extension moves the use
    period and the final report's deadline; accepted budget changes update the budget lines; an accepted
    new participant joins (it must have confirmed), a rejected one is removed."""
    locked_application = _locked_awarded(change.application)
    locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if locked.status != ChangeStatus.PENDING:
        raise WorkflowError(_("The change has already been decided."))
    if not grounds.strip():
        raise WorkflowError(_("Give the grounds."))
    accepted = status != ChangeStatus.REJECTED
    locked.status, locked.grounds = status, grounds
    locked.decided_by, locked.decided_at = by, timezone.now()
    if locked.kind == ChangeKind.EXTENSION and accepted:
        new_end = (
            decided_use_period_end
            if status == ChangeStatus.ACCEPTED_WITH_CHANGES
            else locked.new_use_period_end
        )
        if new_end is None or new_end <= locked_application.decision.use_period_end:
            raise WorkflowError(_("An extension needs a new end date after the current one."))
        locked.decided_use_period_end = new_end
        Decision.objects.filter(pk=locked_application.decision.pk).update(use_period_end=new_end)
    if locked.kind == ChangeKind.BUDGET and accepted:
        for line in locked_application.budget_lines.filter(pk__in=[int(pk) for pk in locked.budget_changes]):
            line.amount = Decimal(locked.budget_changes[str(line.pk)])
            line.save(update_fields=["amount"])
    if locked.kind == ChangeKind.PARTICIPANTS:
        joining = Participant.objects.filter(
            application=locked_application, organisation=locked.new_participant_id
        )
        if accepted and not joining.filter(status=ParticipationStatus.CONFIRMED).exists():
            raise WorkflowError(_("The joining municipality has not confirmed its participation yet."))
        if not accepted:
            joining.delete()
    locked.save()
    _journal(
        locked_application,
        kind=EventKind.CHANGE_DECIDED,
        by=by,
        note=f"{locked.get_kind_display()}: {locked.get_status_display()}",
    )
    return locked


@transaction.atomic
def submit_report(*, application, kind, achieved, spread, continues, realised_costs, own_financing, by):
    locked = _locked_awarded(application)
    if kind == ReportKind.FINAL and locked.reports.filter(kind=ReportKind.FINAL).exists():
        raise WorkflowError(_("The project has already submitted its final report."))
    report = Report.objects.create(
        application=locked,
        kind=kind,
        achieved=achieved,
        spread=spread,
        continues=continues,
        realised_costs=realised_costs,
        own_financing=own_financing,
        submitted_by=by,
    )
    _journal(locked, kind=EventKind.REPORT_SUBMITTED, by=by, note=report.get_kind_display())
    return report


@transaction.atomic
def check_report(*, report, content_note, accepted_costs, financial_note, by):
    """The content check and the financial check; the accepted costs are what returns are computed from."""
    _locked_awarded(report.application)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_checked:
        raise WorkflowError(_("The report has already been checked."))
    if accepted_costs > locked.realised_costs:
        raise WorkflowError(_("The accepted costs cannot exceed the reported costs."))
    now = timezone.now()
    locked.content_checked_by, locked.content_checked_at, locked.content_note = by, now, content_note
    locked.financial_checked_by, locked.financial_checked_at = by, now
    locked.accepted_costs, locked.financial_note = accepted_costs, financial_note
    locked.save()
    _journal(locked.application, kind=EventKind.REPORT_CHECKED, by=by, note=locked.get_kind_display())
    return locked


def return_proposal(application, until):
    """(amount, interest result) that the checked final report makes returnable, counted until `until`."""
    report = application.reports.filter(kind=ReportKind.FINAL, financial_checked_at__isnull=False).first()
    if report is None:
        raise WorkflowError(_("Returns are computed from the checked final report."))
    payments = [
        (p.approved_amount, p.paid_on) for p in application.payment_requests.filter(status=PaymentStatus.PAID)
    ]
    paid = sum((amount for amount, _paid_on in payments), Decimal("0"))
    already = application.returns.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    amount = return_amount(
        paid=paid - already,
        accepted_costs=report.accepted_costs,
        share=application.call.max_share,
        granted=application.decision.granted_amount,
    )
    if amount <= 0:
        return Decimal("0"), InterestResult(Decimal("0"))
    rates = list(ReferenceRate.objects.values_list("valid_from", "rate"))
    return amount, interest(allocate_to_payments(amount, payments), until, rates)


@transaction.atomic
def decide_return(*, application, until, grounds, is_recovery, by):
    locked = _locked_awarded(application)
    if locked.returns.filter(status=ReturnStatus.DECIDED).exists():
        raise WorkflowError(_("A return is already waiting for repayment."))
    amount, result = return_proposal(locked, until)
    if amount <= 0:
        raise WorkflowError(_("Nothing is to be returned: the excess is 100 € or less, or there is none."))
    calculation = "\n".join(
        f"{format_euros(line.amount)} × {line.rate} % × {line.days}/365 ({line.start:%d.%m.%Y}–{line.end:%d.%m.%Y})"
        f" = {format_euros(line.interest)}"
        for line in result.lines
    )
    grant_return = GrantReturn.objects.create(
        application=locked,
        is_recovery=is_recovery,
        amount=amount,
        interest=result.total,
        interest_until=until,
        calculation=calculation,
        grounds=grounds,
        decided_by=by,
    )
    _journal(
        locked,
        kind=EventKind.RETURN_DECIDED,
        by=by,
        note=f"{format_euros(amount)} + {format_euros(result.total)}",
    )
    return grant_return


@transaction.atomic
def record_repayment(*, grant_return, amount, repaid_on, by):
    locked = GrantReturn.objects.select_for_update().get(pk=grant_return.pk)
    if locked.status != ReturnStatus.DECIDED:
        raise WorkflowError(_("This return has already been repaid."))
    if amount <= 0:
        raise WorkflowError(_("The repaid amount must be above zero."))
    locked.status, locked.repaid_amount, locked.repaid_on = ReturnStatus.REPAID, amount, repaid_on
    locked.save()
    _journal(locked.application, kind=EventKind.REPAYMENT_RECORDED, by=by, note=format_euros(amount))
    return locked


@transaction.atomic
def close_case(*, application, by):
    locked = _locked_awarded(application)
    if not locked.reports.filter(kind=ReportKind.FINAL, financial_checked_at__isnull=False).exists():
        raise WorkflowError(_("The case is closed after the final report has been checked."))
    if locked.payment_requests.filter(status__in=[PaymentStatus.SUBMITTED, PaymentStatus.APPROVED]).exists():
        raise WorkflowError(_("Payments are still open."))
    if locked.returns.filter(status=ReturnStatus.DECIDED).exists():
        raise WorkflowError(_("A return is still waiting for repayment."))
    locked.status = Status.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    _journal(locked, kind=EventKind.CLOSED, by=by, from_status=Status.AWARDED, to_status=Status.CLOSED)
    return locked
