"""Decisions on follow-up matters as PDF documents: a change of the project, a return or a recovery of
the grant. Each holds what the Administrative Procedure Act § 44 requires, in the case's language, and is
archived unchanged when it is made (`issue`)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formatting import format_euros
from grants import legal

from . import parts
from .pdf import Section, date_text, document_header, sections_pdf


def _pdf(application, *, title, date, sections, language):
    return sections_pdf(
        title=title,
        header=document_header(application, date, language),
        sections=[Section(s.heading, [p for p in s.paragraphs if p]) for s in sections],
        language=language,
        author=_("Ministry of Finance"),
    )


def method(application):
    return "electronic" if application.electronic_notification else "letter"


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
            parts.rectification(method(application)),
            parts.general_terms(),
        ]
        return _pdf(
            application, title=change_title(language), date=date, sections=sections, language=language
        )


def return_title(grant_return, language):
    with translation.override(language):
        if grant_return.is_recovery:
            return _("Decision on the recovery of a state grant")
        return _("Decision on the return of a state grant")


def return_decision_pdf(grant_return) -> bytes:
    """The decision to return or recover a grant: the amount, the interest and its calculation, the
    provisions applied, dated the Helsinki day it was made."""
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
        provisions = (
            [legal.MANDATORY_RECOVERY, legal.DISCRETIONARY_RECOVERY, legal.INTEREST, legal.LATE_INTEREST]
            if grant_return.is_recovery
            else [legal.RETURN_DUTY, legal.INTEREST, legal.LATE_INTEREST]
        )
        sections = [
            parts.parties(application, language),
            parts.project(application),
            Section(_("Decision"), [decision % figures]),
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
            Section(_("Grounds"), [grant_return.grounds]),
            parts.legal_basis(application.call, language, provisions=provisions),
            parts.contacts(application.call, language, fallback_user=grant_return.decided_by),
            parts.signatures(
                decision_maker=grant_return.decided_by, presenter=None, approved_on=date, language=language
            ),
            parts.rectification(method(application)),
            parts.general_terms(),
        ]
        return _pdf(
            application,
            title=return_title(grant_return, language),
            date=date,
            sections=sections,
            language=language,
        )
