"""A return or recovery of a grant paid (Discretionary Government Transfers Act 688/2001 §§ 20–22): what
may be returned, the hearing (Administrative Procedure Act 434/2003 § 34), the decision with interest
(§§ 24–25), and the repayments."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formatting import format_euros, format_percent
from core.validators import creditor_reference
from grants.models import ReferenceRate

from .. import notifications, rules, workflow
from ..documents.followup import (
    return_decision_pdf,
    return_title,
)
from ..documents.issue import issue
from ..documents.pdf import date_text
from ..exceptions import WorkflowError
from ..files import atomic_with_files
from ..models import (
    DocumentKind,
    GrantReturn,
    Hearing,
    PaymentStatus,
    Repayment,
    ReportKind,
    ReturnBasis,
    ReturnStatus,
    Status,
)
from .followup import FOLLOW_UP
from .locking import lock_case


def _paid(application):
    return [
        (p.approved_amount, p.paid_on) for p in application.payment_requests.filter(status=PaymentStatus.PAID)
    ]


def _rates():
    return list(ReferenceRate.objects.values_list("valid_from", "rate"))


def excess_amount(application) -> Decimal:
    """What the checked final report makes returnable (§ 20: nothing when it is 100 € or less)."""
    report = application.reports.filter(kind=ReportKind.FINAL, financial_checked_at__isnull=False).first()
    if report is None:
        raise WorkflowError(_("Returns are computed from the checked final report."))
    paid = sum((amount for amount, _paid_on in _paid(application)), Decimal("0"))
    already = application.returns.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return rules.return_amount(
        paid=paid - already,
        accepted_costs=report.accepted_costs,
        share=application.call.max_share,
        granted=application.decision.granted_amount,
    )


def recoverable_amount(application) -> Decimal:
    """At most what was paid and not yet returned or recovered (§§ 21–22: all or part of the grant)."""
    paid = sum((amount for amount, _paid_on in _paid(application)), Decimal("0"))
    already = application.returns.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return paid - already


def returnable_amount(application, until):
    """(amount, interest result) that the checked final report makes returnable, counted until `until`."""
    amount = excess_amount(application)
    if amount <= 0:
        return Decimal("0"), rules.InterestResult(Decimal("0"))
    return amount, rules.interest(rules.allocate_to_payments(amount, _paid(application)), until, _rates())


@transaction.atomic
def send_hearing(*, application, basis, proposed_amount, facts, deadline, stop_payments, by):
    """Hear the municipality before a return or recovery decision (434/2003 § 34): the ground, the amount
    considered, the facts and a deadline for the answer. For an excess (§ 20) the amount is the final
    report's; a recovery (§§ 21–22) considers all or part of what was paid."""
    locked = lock_case(application, *FOLLOW_UP)
    hearing = Hearing(application=locked, sent_by=by)
    workflow.require(hearing, "send", by=by)
    if basis == ReturnBasis.EXCESS:
        proposed_amount = excess_amount(locked)
        if proposed_amount <= 0:
            raise WorkflowError(
                _("Nothing is to be returned: the excess is 100 € or less, or there is none.")
            )
        stop_payments = False
    else:
        ceiling = recoverable_amount(locked)
        if proposed_amount is None or not Decimal("0") < proposed_amount <= ceiling:
            raise WorkflowError(
                _("The amount must be above zero and at most what was paid and not yet recovered, %(max)s.")
                % {"max": format_euros(ceiling)}
            )
    if deadline <= timezone.localdate():
        raise WorkflowError(_("Give the municipality a deadline after today."))
    if not facts.strip():
        raise WorkflowError(_("State what the ministry intends and why."))
    changes = {
        "basis": basis,
        "proposed_amount": proposed_amount,
        "facts": facts,
        "deadline": deadline,
        "stop_payments": stop_payments,
        "sent_at": timezone.now(),
    }
    note = f"{ReturnBasis(basis).label}: {format_euros(proposed_amount)}"
    workflow.perform(hearing, "send", by=by, changes=changes, note=note)
    notifications.hearing_sent(hearing)
    return hearing


def decide_return(*, application, hearing, due_date, grounds, amount=None, by):
    """The return (§ 20) or recovery (§§ 21–22) decision after the hearing, issued and archived in the same
    transaction: the amount, interest under § 24 from each payment date to the due date, the account and
    an RF reference; late-payment interest under § 25 runs from the due date. A recovery within ten years
    of the last payment reopens a closed case (§ 28)."""
    with atomic_with_files() as written:
        return _decide_return(application, hearing, due_date, grounds, amount, by, written)


def _decide_return(application, hearing, due_date, grounds, amount, by, written):
    locked = lock_case(application, "call__programme", "decision")
    hearing = Hearing.objects.get(pk=hearing.pk, application=locked)
    grant_return = GrantReturn(application=locked, hearing=hearing, decided_by=by)
    workflow.require(grant_return, "decide", by=by, hearing=hearing)
    if locked.returns.filter(status=ReturnStatus.DECIDED).exists():
        raise WorkflowError(_("A return is already waiting for repayment."))
    today = timezone.localdate()
    if due_date is None or due_date <= today:
        raise WorkflowError(_("The due date must be after the decision date."))
    if not grounds.strip():
        raise WorkflowError(_("Give the grounds."))
    programme = locked.call.programme
    if not programme.repayment_iban:
        raise WorkflowError(_("Record the account for repayments in the programme's settings first."))
    if hearing.basis == ReturnBasis.EXCESS:
        amount = excess_amount(locked)
        if amount <= 0:
            raise WorkflowError(
                _("Nothing is to be returned: the excess is 100 € or less, or there is none.")
            )
    else:
        amount = hearing.proposed_amount if amount is None else amount
        if not Decimal("0") < amount <= recoverable_amount(locked):
            raise WorkflowError(
                _("The amount must be above zero and at most what was paid and not yet recovered, %(max)s.")
                % {"max": format_euros(recoverable_amount(locked))}
            )
    result = rules.interest(rules.allocate_to_payments(amount, _paid(locked)), due_date, _rates())
    with translation.override(locked.document_language):  # the decision's language: 7,50 %, 1.12.2026
        calculation = "\n".join(
            f"{format_euros(line.amount)} × {format_percent(line.rate)} × {line.days}/365 "
            f"({date_text(line.start)}–{date_text(line.end)}) = {format_euros(line.interest)}"
            for line in result.lines
        )
    if locked.status == Status.CLOSED:
        workflow.perform(locked, "reopen", by=by, note=str(ReturnBasis(hearing.basis).label))
    sequence = locked.returns.count() + 1
    changes = {
        "is_recovery": hearing.basis != ReturnBasis.EXCESS,
        "basis": hearing.basis,
        "stop_payments": hearing.stop_payments,
        "amount": amount,
        "interest": result.total,
        "interest_until": due_date,
        "due_date": due_date,
        "iban": programme.repayment_iban,
        "bic": programme.repayment_bic,
        "reference": creditor_reference(f"{locked.pk:07d}{sequence:02d}"),
        "calculation": calculation,
        "grounds": grounds,
        "decided_at": timezone.now(),
    }
    note = f"{format_euros(amount)} + {format_euros(result.total)}"
    workflow.perform(grant_return, "decide", by=by, changes=changes, note=note, hearing=hearing)
    language = locked.document_language
    issue(
        locked,
        kind=DocumentKind.RECOVERY if grant_return.is_recovery else DocumentKind.RETURN,
        title=return_title(grant_return, language),
        language=language,
        decision_date=timezone.localdate(grant_return.decided_at),
        content=return_decision_pdf(grant_return),
        written=written,
        grant_return=grant_return,
    )
    return grant_return


def return_debt(grant_return, until=None) -> rules.Debt:
    """Where the return stands on `until` (today): repaid, late-payment interest accrued, still open."""
    return rules.debt(
        decided=grant_return.principal_and_interest,
        due_date=grant_return.due_date,
        repayments=[(r.amount, r.paid_on) for r in grant_return.repayments.all()],
        until=until or timezone.localdate(),
        rates=_rates(),
    )


@transaction.atomic
def record_repayment(*, grant_return, amount, repaid_on, by):
    """A repayment, whole or part. The return is repaid when the repayments cover the amount, the § 24
    interest and the § 25 late-payment interest accrued on what was unpaid after the due date; a part
    leaves the rest open."""
    application = lock_case(grant_return.application)
    locked = GrantReturn.objects.select_for_update().get(pk=grant_return.pk)
    locked.application = application
    workflow.require(locked, "record_part_repayment", by=by)
    if amount <= 0:
        raise WorkflowError(_("The repaid amount must be above zero."))
    if repaid_on > timezone.localdate():
        raise WorkflowError(_("A repayment cannot be dated in the future."))
    Repayment.objects.create(grant_return=locked, amount=amount, paid_on=repaid_on, recorded_by=by)
    last = max(locked.repayments.values_list("paid_on", flat=True))
    state = return_debt(locked, until=last)
    changes = {"repaid_amount": state.repaid, "repaid_on": last}
    action = "record_repayment" if state.settled else "record_part_repayment"
    note = f"{format_euros(amount)}; " + _("still open %(open)s") % {"open": format_euros(state.open)}
    workflow.perform(locked, action, by=by, changes=changes, note=note)
    return locked
