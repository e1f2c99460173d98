"""The grant decision as a document: the same sections rendered as HTML and as PDF, in the decision's
language, and archived unchanged when the decision is approved."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from grants.templatetags.money import format_euros
from grants.translation import localized

from .models import Outcome
from .workflow import budget_total

FONTS = Path(__file__).resolve().parent / "fonts"
# Decree 893/2019 and the call's terms: the final report is due two months after the use period ends.
REPORT_MONTHS = 2


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]


def _date(value):
    return formats.date_format(value, "j.n.Y") if value else "–"


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


def title(decision):
    with translation.override(decision.language):
        if decision.outcome == Outcome.POSITIVE:
            return _("Decision on a state grant")
        return _("Decision on an application for a state grant")


def sections(decision):
    """Every part a lawful grant decision states (Act on State Aid 688/2001 § 11, Administrative Procedure
    Act 434/2003 § 44–45), in the decision's language."""
    application = decision.application
    call = application.call
    with translation.override(decision.language):
        lead = application.lead
        partners = [p.organisation.name for p in application.participants.all() if not p.is_lead]
        total = budget_total(application)
        parts = [
            Section(
                _("Recipient"),
                [
                    lead.name + (f" ({lead.business_id})" if lead.business_id else ""),
                    _("Participating municipalities: %(names)s") % {"names": ", ".join(partners)}
                    if partners
                    else _("No other participating municipalities are recorded."),
                ],
            ),
            Section(
                _("Project"),
                [
                    f"{application.display_name} ({application.case_number or '–'})",
                    _("Emphasis area: %(area)s") % {"area": application.emphasis_area.name}
                    if application.emphasis_area
                    else "",
                    application.summary,
                ],
            ),
        ]
        if decision.outcome == Outcome.POSITIVE:
            share = f"{call.max_share_percent.normalize():f}"
            report_due = (
                _add_months(decision.use_period_end, REPORT_MONTHS) if decision.use_period_end else None
            )
            parts += [
                Section(
                    _("Decision"),
                    [
                        _(
                            "The Ministry of Finance grants %(lead)s a state grant of at most %(amount)s for the project "
                            "described in the application, for its eligible costs."
                        )
                        % {"lead": lead.name, "amount": format_euros(decision.granted_amount)}
                    ],
                ),
                Section(
                    _("Maximum share and eligible costs"),
                    [
                        _(
                            "The grant covers at most %(share)s %% of the realised eligible total costs of the project, "
                            "value added tax excluded."
                        )
                        % {"share": share},
                        _(
                            "Eligible costs in the approved budget: %(total)s (VAT excluded). Eligible are the costs of the "
                            "approved budget that arise during the use period and are necessary for the project."
                        )
                        % {"total": format_euros(total)},
                    ],
                ),
                Section(
                    _("Own financing"),
                    [
                        _(
                            "The municipalities finance at least %(own)s %% of the costs themselves; in the financing plan "
                            "%(amount)s."
                        )
                        % {
                            "own": f"{(100 - call.max_share_percent).normalize():f}",
                            "amount": format_euros(application.own_financing),
                        }
                    ],
                ),
                Section(
                    _("Use period"),
                    [
                        _("The grant may be used for costs from %(start)s to %(end)s.")
                        % {"start": _date(decision.use_period_start), "end": _date(decision.use_period_end)}
                    ],
                ),
                Section(
                    _("Payment"),
                    [
                        _(
                            "The grant is paid in arrears against realised eligible costs, on the lead applicant's "
                            "payment requests; it may be paid in instalments. The lead applicant answers for the whole "
                            "project and agrees with the participating municipalities on the use of the funds."
                        )
                    ],
                ),
                Section(
                    _("Reporting"),
                    [
                        _(
                            "The lead applicant submits a final report on the results and finances of the project by "
                            "%(date)s. The figures come from the books, with the general-ledger extract attached."
                        )
                        % {"date": _date(report_due)}
                    ],
                ),
            ]
            if decision.conditions():
                parts.append(Section(_("Conditions"), [decision.conditions()]))
            parts.append(
                Section(
                    _("Return and recovery"),
                    [
                        _(
                            "A grant received in excess or without grounds, or that cannot be used as decided, must be "
                            "returned without delay (State Aid Act §§ 20–21); a sum of 100 euros or less need not be "
                            "returned. The ministry recovers a grant used against the decision (§ 22), with interest at "
                            "the reference rate plus three percentage points from the date of payment (§ 24)."
                        )
                    ],
                )
            )
        else:
            parts.append(
                Section(
                    _("Decision"),
                    [_("The Ministry of Finance does not grant a state grant for the project.")],
                )
            )
        contacts = list(call.contacts.all())
        parts += [
            Section(_("Grounds"), [decision.grounds()]),
            Section(
                _("Legal basis"),
                [
                    localized(call.programme, "legal_basis", decision.language)
                    or _("State Aid Act (688/2001).")
                ],
            ),
            Section(
                _("More information"),
                [
                    f"{c.name}, {localized(c, 'title', decision.language)}, {c.email}".rstrip(", ")
                    for c in contacts
                ]
                or [_("Ministry of Finance registry")],
            ),
            rectification_section(),
        ]
        return [Section(s.heading, [p for p in s.paragraphs if p]) for s in parts]


def rectification_section():
    """Administrative Procedure Act 434/2003 § 49 c: a request to the ministry within 30 days of notification."""
    return Section(
        _("Rectification instructions"),
        [
            _(
                "A party who is dissatisfied with this decision may request its rectification from the Ministry of "
                "Finance. The request must be made in writing within 30 days of notification of the decision. "
                "The decision is deemed to have been notified on the seventh day after it was sent, unless "
                "shown otherwise."
            ),
            _(
                "The request must state the decision concerned, the rectification requested and its grounds, and "
                "the requester's name and contact details. Send it to the Ministry of Finance registry, "
                "kirjaamo.vm@gov.fi, P.O. Box 28, 00023 Government. The decision cannot be appealed directly to "
                "an administrative court."
            ),
        ],
    )


def _header(application, date, language):
    with translation.override(language):
        return [
            str(_("Ministry of Finance")),
            f"{_('Decision date')}: {_date(date)}",
            f"{_('Case number')}: {application.case_number or '–'}",
        ]


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
                    _("The use period now ends on %(date)s.") % {"date": _date(change.decided_use_period_end)}
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
        header=_header(application, change.decided_at.date(), language),
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
                        "date": _date(grant_return.interest_until),
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
        header=_header(application, grant_return.decided_at.date(), language),
        sections=sections_list,
        language=language,
        author="Ministry of Finance",
    )


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
            Section(_("Project period"), [f"{_date(application.start_date)}–{_date(application.end_date)}"]),
            Section(
                _("Budget and financing"),
                [
                    *budget,
                    f"{_('Total eligible costs')}: {format_euros(budget_total(application))}",
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
            f"{_('Submitted')}: {_date(application.submitted_at.date()) if application.submitted_at else '–'}",
        ]
        title = application.display_name
    return sections_pdf(
        title=title,
        header=header,
        sections=[Section(p.heading, [x for x in p.paragraphs if x]) for p in parts],
        language=language,
        author="Ministry of Finance",
    )


def context(decision):
    with translation.override(decision.language):
        return {
            "decision": decision,
            "application": decision.application,
            "title": title(decision),
            "sections": sections(decision),
            "authority": _("Ministry of Finance"),
            "date": _date(decision.decision_date),
            "language": decision.language,
        }


def render_html(decision):
    with translation.override(decision.language):
        return render_to_string("decisions/document.html", context(decision))


def sections_pdf(*, title, header, sections, language, author) -> bytes:
    """Any of the system's documents as PDF: a header block, a title, then headed sections."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(str(title))
    pdf.set_author(str(author))
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    for line in header:
        pdf.cell(0, 5, str(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, str(title), new_x="LMARGIN", new_y="NEXT")
    for section in sections:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, str(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5, str(paragraph), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    return bytes(pdf.output())


def render_pdf(decision) -> bytes:
    data = context(decision)
    with translation.override(decision.language):
        header = [
            str(data["authority"]),
            f"{_('Decision date')}: {data['date']}",
            f"{_('Case number')}: {decision.application.case_number or '–'}",
        ]
    return sections_pdf(
        title=data["title"],
        header=header,
        sections=data["sections"],
        language=decision.language,
        author=data["authority"],
    )


def archive_document(decision, *, written):
    """Stores the HTML and PDF as approved; they are shown from the archive from then on."""
    decision.document_html = render_html(decision)
    name = (
        f"{decision.application.case_number or decision.pk}".replace("/", "-") + f"-{decision.language}.pdf"
    )
    decision.document_pdf.save(name, ContentFile(render_pdf(decision)), save=False)
    written.append((decision.document_pdf.storage, decision.document_pdf.name))
    decision.save(update_fields=["document_html", "document_pdf"])
