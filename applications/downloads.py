"""Responses for the system's generated documents."""

from django.http import HttpResponse


def pdf_response(content, filename):
    """A PDF as a download that browsers must not sniff into something else."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def decision_pdf(decision):
    """The archived PDF of an approved decision; a proposal is rendered afresh."""
    from .decision_document import render_pdf

    if decision.is_approved and decision.document_pdf:
        with decision.document_pdf.open("rb") as archived:
            content = archived.read()
    else:
        content = render_pdf(decision)
    name = f"{decision.application.case_number or decision.pk}".replace("/", "-")
    return pdf_response(content, f"decision-{name}-{decision.language}.pdf")
