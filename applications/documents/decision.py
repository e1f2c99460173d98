"""The grant decision as a document: the same sections rendered as HTML and as PDF, in the decision's
language, and archived unchanged when the decision is approved."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.formatting import format_euros
from core.responses import pdf_response
from grants import legal

from .. import rules
from ..models import DocumentKind, Outcome
from . import parts as parts_
from .issue import issue
from .pdf import Section, date_text, document_header, sections_pdf


class NotGenerated(Exception):
    """A decision made outside this system: its document was never published, so none is generated."""


def made_outside(decision) -> bool:
    """The 2022 awards were decided on 15.6.2022 outside this system and no decision text was published:
    only the archived original, if an official attached it, is ever served for them."""
    return decision.application.is_historical


def title(decision):
    with translation.override(decision.language):
        if decision.outcome == Outcome.POSITIVE:
            return _("Decision on a state grant")
        return _("Decision on an application for a state grant")


def sections(decision):
    """Every part a lawful grant decision states (Administrative Procedure Act 434/2003 §§ 44–45), in the
    decision's language. A rejection names the applicant, not a recipient."""
    application = decision.application
    call = application.call
    language = decision.language
    with translation.override(language):
        positive = decision.outcome == Outcome.POSITIVE
        total = rules.budget_total(application)
        parts = [
            parts_.parties(application, language, heading=None if positive else _("Applicant")),
            parts_.project(application),
        ]
        if positive:
            share = f"{call.max_share_percent.normalize():f}"
            report_due = rules.report_due(decision.use_period_end, call)
            parts += [
                Section(
                    _("Decision"),
                    [
                        _(
                            "The Ministry of Finance grants the recipient a state grant of at most %(amount)s for "
                            "the project described in the application."
                        )
                        % {"amount": format_euros(decision.granted_amount)},
                    ],
                ),
                Section(
                    _("Use of the grant and eligible costs"),
                    [
                        _(
                            "The grant may be used for at most %(share)s %% of the project's realised eligible "
                            "total costs, value added tax excluded (decree 893/2019 § 4)."
                        )
                        % {"share": share},
                        _(
                            "Eligible costs in the approved budget: %(total)s (VAT excluded). Eligible are the costs "
                            "of the approved budget under § 5 of the decree that arise during the use period and are "
                            "necessary for the project."
                        )
                        % {"total": format_euros(total)},
                    ],
                ),
                Section(
                    _("Own financing"),
                    [
                        _(
                            "The municipalities finance at least %(own)s %% of the costs themselves; in the "
                            "financing plan %(amount)s."
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
                            "The grant is paid in arrears against realised eligible costs, on the project "
                            "administrator's payment requests; it may be paid in instalments."
                        )
                    ],
                ),
                Section(
                    _("Reporting"),
                    [
                        _(
                            "The project administrator submits a final report on the results and finances of the "
                            "project by %(date)s. The figures come from the books, with the general-ledger "
                            "extract attached."
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
                    [str(provision) for provision in legal.STATE_AID_ACT_SECTIONS],
                )
            )
        else:
            parts.append(
                Section(
                    _("Decision"),
                    [_("The Ministry of Finance does not grant a state grant for the project.")],
                )
            )
        parts += [
            Section(_("Grounds"), [decision.grounds(), *parts_.assessment(application, language)]),
            parts_.legal_basis(call, language),
            parts_.contacts(call, language, fallback_user=decision.proposed_by),
        ]
        if decision.approved_by is not None:
            parts.append(
                parts_.signatures(
                    decision_maker=decision.approved_by,
                    presenter=decision.proposed_by,
                    approved_on=decision.decision_date,
                    language=language,
                )
            )
        parts += [parts_.rectification(application), parts_.general_terms(call, language)]
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
            "header": document_header(decision.application, decision.decision_date, decision.language),
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
    return sections_pdf(
        title=data["title"],
        header=data["header"],
        sections=data["sections"],
        language=decision.language,
        author=data["authority"],
    )


def archive_document(decision, *, written):
    """Stores the HTML and PDF as approved; they are shown from the archive from then on, and the PDF is
    the issued document whose notification is recorded."""
    decision.document_html = render_html(decision)
    name = (
        f"{decision.application.case_number or decision.pk}".replace("/", "-") + f"-{decision.language}.pdf"
    )
    content = render_pdf(decision)
    decision.document_pdf.save(name, ContentFile(content), save=False)
    written.append((decision.document_pdf.storage, decision.document_pdf.name))
    decision.save(update_fields=["document_html", "document_pdf"])
    return issue(
        decision.application,
        kind=DocumentKind.GRANT if decision.outcome == Outcome.POSITIVE else DocumentKind.REJECTION,
        title=title(decision),
        language=decision.language,
        decision_date=decision.decision_date,
        content=content,
        written=written,
        decision=decision,
    )


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
