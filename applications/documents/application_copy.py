"""The applicant's copy of a submitted application as a PDF."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formatting import format_euros

from .. import rules
from .pdf import Section, date_text, sections_pdf


def application_copy_pdf(application, language) -> bytes:
    """A copy of the application as submitted, in the reader's language."""
    with translation.override(language):
        budget = [
            f"{line.get_category_display()}: {line.description} – {format_euros(line.amount)}"
            for line in application.budget_lines.all()
        ]
        participants = [
            f"{p.organisation.name} – {p.get_role_display()}, {p.get_status_display()}"
            + (f", {p.share_percent.normalize():f} %" if p.share_percent is not None else "")
            for p in application.participants.all()
        ]
        parts = [
            Section(_("Call"), [application.call.name]),
            Section(_("Lead applicant"), [application.lead.name]),
            Section(_("Summary"), [application.summary]),
            Section(_("Objectives"), [application.objectives]),
            Section(_("Actions"), [application.actions]),
            Section(_("Schedule"), [application.schedule]),
            Section(_("Expected results"), [application.expected_results]),
            Section(_("Spreading and maintaining the results"), [application.dissemination]),
            Section(
                _("Emphasis area"), [application.emphasis_area.name if application.emphasis_area else "–"]
            ),
            Section(
                _("Project period"),
                [f"{date_text(application.start_date)}–{date_text(application.end_date)}"],
            ),
            Section(
                _("Budget and financing"),
                [
                    *budget,
                    f"{_('Total eligible costs')}: {format_euros(rules.budget_total(application))}",
                    f"{_('Requested grant')}: {format_euros(application.requested_amount) or '–'}",
                    f"{_('Own financing')}: {format_euros(application.own_financing) or '–'}",
                ],
            ),
            Section(_("Participating municipalities"), participants),
            Section(
                _("Contact person"),
                [
                    ", ".join(
                        x
                        for x in [
                            application.contact_name,
                            application.contact_email,
                            application.contact_phone,
                        ]
                        if x
                    )
                ],
            ),
        ]
        header = [
            str(_("Ministry of Finance")),
            f"{_('Case number')}: {application.case_number or '–'}",
            f"{_('Submitted')}: {date_text(timezone.localdate(application.submitted_at)) if application.submitted_at else '–'}",
        ]
        title = application.display_name
    return sections_pdf(
        title=title,
        header=header,
        sections=[Section(p.heading, [x for x in p.paragraphs if x]) for p in parts],
        language=language,
        author="Ministry of Finance",
    )
