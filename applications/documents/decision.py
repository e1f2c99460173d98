"""The grant decision as a document: the same sections rendered as HTML and as PDF, in the decision's
language, and archived unchanged when the decision is approved."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.formatting import format_euros
from core.responses import pdf_response
from core.translation import localized

from .. import rules
from ..models import Outcome
from .pdf import Section, date_text, rectification_section, sections_pdf


class NotGenerated(Exception):
    """A decision made outside this system: its document was never published, so none is generated."""


def made_outside(decision) -> bool:
    """The 2022 awards were decided on 15.6.2022 outside this system and no decision text was published:
    only the archived original, if an official attached it, is ever served for them."""
    return decision.application.is_historical


def has_document(decision) -> bool:
    return bool(decision.document_pdf) if made_outside(decision) else True


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
        total = rules.budget_total(application)
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
            report_due = rules.report_due(decision.use_period_end, call)
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
                        % {
                            "start": date_text(decision.use_period_start),
                            "end": date_text(decision.use_period_end),
                        }
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
                        % {"date": date_text(report_due)}
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


def context(decision):
    with translation.override(decision.language):
        return {
            "decision": decision,
            "application": decision.application,
            "title": title(decision),
            "sections": sections(decision),
            "authority": _("Ministry of Finance"),
            "date": date_text(decision.decision_date),
            "language": decision.language,
        }


def render_html(decision):
    if made_outside(decision):
        raise NotGenerated(decision.pk)
    with translation.override(decision.language):
        return render_to_string("decisions/document.html", context(decision))


def render_pdf(decision) -> bytes:
    if made_outside(decision):
        raise NotGenerated(decision.pk)
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


def decision_pdf(decision):
    """The archived PDF of an approved decision (for a decision made outside this system, the original an
    official attached); a proposal is rendered afresh."""
    if made_outside(decision) and not decision.document_pdf:
        raise NotGenerated(decision.pk)
    if decision.is_approved and decision.document_pdf:
        with decision.document_pdf.open("rb") as archived:
            content = archived.read()
    else:
        content = render_pdf(decision)
    name = f"{decision.application.case_number or decision.pk}".replace("/", "-")
    return pdf_response(content, f"decision-{name}-{decision.language}.pdf")
