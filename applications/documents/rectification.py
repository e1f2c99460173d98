"""The decision on a request for rectification: what was requested and why, the decision with its
grounds, the amended decision where it was accepted, and appeal instructions to the administrative
court (a decision on rectification is appealed, not rectified again)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formatting import format_euros

from . import parts
from .pdf import Section, date_text, decision_document_pdf


def rectification_title(language):
    with translation.override(language):
        return _("Decision on a request for rectification")


def rectification_decision_pdf(request) -> bytes:
    application = request.application
    language = application.document_language
    date = timezone.localdate(request.decided_at)
    document = request.document
    with translation.override(language):
        accepted = request.status == "accepted"
        outcome = (
            _("The Ministry of Finance accepts the request and amends its decision.")
            if accepted
            else _("The Ministry of Finance rejects the request; the decision stays as it was.")
        )
        sections = [
            parts.parties(application, language, heading=_("Party")),
            parts.project(application),
            Section(
                _("Decision concerned"),
                [
                    _("%(title)s of %(date)s.")
                    % {"title": document.title, "date": date_text(document.decision_date)},
                    _("The request was submitted on %(date)s by %(name)s.")
                    % {
                        "date": date_text(timezone.localdate(request.submitted_at)),
                        "name": parts.organisation_line(request.organisation, language),
                    },
                ],
            ),
            Section(_("Rectification requested"), [request.demands, request.grounds]),
            Section(
                _("Decision"),
                [
                    outcome,
                    _("The maximum grant is now %(amount)s.")
                    % {"amount": format_euros(request.new_granted_amount)}
                    if request.new_granted_amount is not None
                    else "",
                ],
            ),
            Section(_("Grounds"), [request.decision_grounds]),
            parts.legal_basis(application.call, language),
            parts.contacts(application.call, language, fallback_user=request.decided_by),
            parts.signatures(
                decision_maker=request.decided_by, presenter=None, approved_on=date, language=language
            ),
            parts.appeal(request.appeal_court),
        ]
        return decision_document_pdf(
            application, title=rectification_title(language), date=date, sections=sections, language=language
        )
