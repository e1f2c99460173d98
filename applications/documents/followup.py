"""Decisions on follow-up matters as PDF documents: a change of the project, a return of the grant."""

from django.utils import translation
from django.utils.translation import gettext as _

from core.formatting import format_euros

from .pdf import Section, date_text, document_header, rectification_section, sections_pdf


def change_decision_pdf(change) -> bytes:
    """The decision on a change request, in the language of the grant decision."""
    application = change.application
    language = application.decision.language
    with translation.override(language):
        outcome = change.get_status_display()
        parts = [
            Section(_("Recipient"), [application.lead.name]),
            Section(_("Project"), [f"{application.display_name} ({application.case_number or '–'})"]),
            Section(_("Change applied for"), [change.get_kind_display(), change.description]),
            Section(
                _("Decision"),
                [
                    _("The Ministry of Finance has decided on the change: %(outcome)s.")
                    % {"outcome": outcome},
                    _("The use period now ends on %(date)s.")
                    % {"date": date_text(change.decided_use_period_end)}
                    if change.decided_use_period_end
                    else "",
                    _("Otherwise the grant decision stays in force as it was."),
                ],
            ),
            Section(_("Grounds"), [change.grounds]),
            rectification_section(),
        ]
        sections_list = [Section(p.heading, [x for x in p.paragraphs if x]) for p in parts]
        title = _("Decision on a change to a state grant")
    return sections_pdf(
        title=title,
        header=document_header(application, change.decided_at.date(), language),
        sections=sections_list,
        language=language,
        author="Ministry of Finance",
    )


def return_decision_pdf(grant_return) -> bytes:
    """The decision to return or recover a grant, with the amount, the interest and its calculation."""
    application = grant_return.application
    language = application.decision.language
    with translation.override(language):
        title = (
            _("Decision on the recovery of a state grant")
            if grant_return.is_recovery
            else _("Decision on the return of a state grant")
        )
        parts = [
            Section(_("Recipient"), [application.lead.name]),
            Section(_("Project"), [f"{application.display_name} ({application.case_number or '–'})"]),
            Section(
                _("Decision"),
                [
                    _(
                        "The recipient returns %(amount)s of the state grant paid, with interest of %(interest)s counted "
                        "until %(date)s, in all %(total)s."
                    )
                    % {
                        "amount": format_euros(grant_return.amount),
                        "interest": format_euros(grant_return.interest),
                        "date": date_text(grant_return.interest_until),
                        "total": format_euros(grant_return.amount + grant_return.interest),
                    },
                ],
            ),
            Section(
                _("Calculation of the interest"),
                [
                    _(
                        "Reference rate plus three percentage points, from each payment's date (State Aid Act § 24)."
                    ),
                    grant_return.calculation,
                ],
            ),
            Section(_("Grounds"), [grant_return.grounds]),
            rectification_section(),
        ]
        sections_list = [Section(p.heading, [x for x in p.paragraphs if x]) for p in parts]
    return sections_pdf(
        title=title,
        header=document_header(application, grant_return.decided_at.date(), language),
        sections=sections_list,
        language=language,
        author="Ministry of Finance",
    )
