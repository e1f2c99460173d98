"""Decisions on follow-up matters as PDF documents: a change of the project, a return or a recovery of
the grant. Each holds what the Administrative Procedure Act § 44 requires, in the case's language, and is
archived unchanged when it is made (`issue`)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formatting import format_euros
from grants import legal

from ..models import PaymentStatus, ReturnBasis
from . import parts
from .pdf import Section, date_text, decision_document_pdf


def change_title(language):
    with translation.override(language):
        return _("Decision on a change to a state grant")


def change_decision_pdf(change) -> bytes:
    """The decision on a change request, in the case's language, dated the Helsinki day it was made."""
    application = change.application
    language = application.document_language
    date = timezone.localdate(change.decided_at)
    with translation.override(language):
        sections = [
            parts.parties(application, language),
            parts.project(application),
            Section(_("Change applied for"), [change.get_kind_display(), change.description]),
            Section(
                _("Decision"),
                [
                    _("The Ministry of Finance has decided on the change: %(outcome)s.")
                    % {"outcome": change.get_status_display()},
                    _("The use period now ends on %(date)s.")
                    % {"date": date_text(change.decided_use_period_end)}
                    if change.decided_use_period_end
                    else "",
                    _("Otherwise the grant decision stays in force as it was."),
                ],
            ),
            Section(_("Grounds"), [change.grounds]),
            parts.legal_basis(application.call, language),
            parts.contacts(application.call, language, fallback_user=change.decided_by),
            parts.signatures(
                decision_maker=change.decided_by, presenter=None, approved_on=date, language=language
            ),
            parts.rectification(application),
            parts.general_terms(application.call, language),
        ]
        return decision_document_pdf(
            application, title=change_title(language), date=date, sections=sections, language=language
        )


def payment_title(language):
    with translation.override(language):
        return _("Decision on a payment request")


def payment_decision_pdf(payment) -> bytes:
    """The decision on a payment request whose costs were refused in whole or in part: what was claimed,
    each refused cost with its reason, and what is paid, dated the Helsinki day it was checked."""
    application = payment.application
    language = application.document_language
    date = timezone.localdate(payment.checked_at)
    with translation.override(language):
        lines = list(payment.cost_lines.all())
        refused = [
            _("%(category)s, %(description)s, %(amount)s: %(reason)s")
            % {
                "category": line.get_category_display(),
                "description": line.description,
                "amount": format_euros(line.amount),
                "reason": line.rejection_reason,
            }
            for line in lines
            if not line.accepted
        ]
        outcome = (
            _("The Ministry of Finance pays %(amount)s on the request.")
            % {"amount": format_euros(payment.approved_amount)}
            if payment.approved_amount is not None and payment.status != PaymentStatus.REJECTED
            else _("The Ministry of Finance rejects the payment request.")
        )
        sections = [
            parts.parties(application, language),
            parts.project(application),
            Section(
                _("Payment request"),
                [
                    _("Costs from %(start)s to %(end)s, claimed %(amount)s.")
                    % {
                        "start": date_text(payment.period_start),
                        "end": date_text(payment.period_end),
                        "amount": format_euros(payment.claimed_costs),
                    }
                ],
            ),
            Section(_("Decision"), [outcome]),
            Section(_("Costs not accepted"), refused),
            Section(_("Grounds"), [payment.check_note]),
            parts.legal_basis(application.call, language),
            parts.contacts(application.call, language, fallback_user=payment.checked_by),
            parts.signatures(
                decision_maker=payment.checked_by, presenter=None, approved_on=date, language=language
            ),
            parts.rectification(application),
            parts.general_terms(application.call, language),
        ]
        return decision_document_pdf(
            application, title=payment_title(language), date=date, sections=sections, language=language
        )


def return_title(grant_return, language):
    with translation.override(language):
        if grant_return.is_recovery:
            return _("Decision on the recovery of a state grant")
        return _("Decision on the return of a state grant")


def return_decision_pdf(grant_return) -> bytes:
    """The decision to return (§ 20) or recover (§§ 21–22) a grant: the amount, § 24 interest from each
    payment date to the due date with its calculation, the due date, account and reference, § 25
    late-payment interest after the due date, the hearing, and the provisions applied; dated the
    Helsinki day it was made."""
    application = grant_return.application
    language = application.document_language
    date = timezone.localdate(grant_return.decided_at)
    with translation.override(language):
        figures = {
            "amount": format_euros(grant_return.amount),
            "interest": format_euros(grant_return.interest),
            "date": date_text(grant_return.interest_until),
            "total": format_euros(grant_return.amount + grant_return.interest),
        }
        decision = (
            _(
                "The Ministry of Finance recovers %(amount)s of the state grant paid, with interest of "
                "%(interest)s counted until %(date)s, in all %(total)s."
            )
            if grant_return.is_recovery
            else _(
                "The Ministry of Finance orders the recipient to return %(amount)s of the state grant paid, with "
                "interest of %(interest)s counted until %(date)s, in all %(total)s."
            )
        )
        provisions = {
            ReturnBasis.EXCESS: [legal.RETURN_DUTY],
            ReturnBasis.MANDATORY: [legal.MANDATORY_RECOVERY],
            ReturnBasis.DISCRETIONARY: [legal.DISCRETIONARY_RECOVERY],
        }[grant_return.basis]
        paying = []
        if grant_return.due_date:
            paying = [
                _("Pay %(total)s by %(due)s to the account %(iban)s%(bic)s with the reference %(reference)s.")
                % {
                    "total": figures["total"],
                    "due": date_text(grant_return.due_date),
                    "iban": grant_return.iban,
                    "bic": f" (BIC {grant_return.bic})" if grant_return.bic else "",
                    "reference": grant_return.reference,
                },
                str(legal.LATE_INTEREST),
                _("A partial payment is credited to what is owed, and the rest stays open."),
            ]
        stop = (
            [_("Further payments of the grant are stopped (State Aid Act § 21).")]
            if grant_return.stop_payments
            else []
        )
        hearing = grant_return.hearing
        heard = []
        if hearing is not None:
            heard = [
                _(
                    "The recipient was heard before the decision: the request was sent on %(sent)s, answer by %(deadline)s."
                )
                % {
                    "sent": date_text(timezone.localdate(hearing.sent_at)),
                    "deadline": date_text(hearing.deadline),
                },
                _("The recipient answered on %(date)s: %(answer)s")
                % {"date": date_text(timezone.localdate(hearing.answered_at)), "answer": hearing.answer}
                if hearing.answered_at
                else _("The recipient did not answer by the deadline."),
            ]
        sections = [
            parts.parties(application, language),
            parts.project(application),
            Section(_("Decision"), [decision % figures, *stop]),
            Section(_("Payment"), paying),
            Section(
                _("Calculation of the interest"),
                [
                    _(
                        "Reference rate plus three percentage points, from each payment's date, actual days / 365 "
                        "(State Aid Act § 24)."
                    ),
                    grant_return.calculation,
                ],
            ),
            Section(_("Hearing"), heard),
            Section(_("Grounds"), [grant_return.grounds]),
            parts.legal_basis(
                application.call,
                language,
                provisions=[*provisions, legal.INTEREST, legal.LATE_INTEREST, legal.TIME_LIMIT],
            ),
            parts.contacts(application.call, language, fallback_user=grant_return.decided_by),
            parts.signatures(
                decision_maker=grant_return.decided_by, presenter=None, approved_on=date, language=language
            ),
            parts.rectification(application),
            parts.general_terms(application.call, language),
        ]
        return decision_document_pdf(
            application,
            title=return_title(grant_return, language),
            date=date,
            sections=sections,
            language=language,
        )
