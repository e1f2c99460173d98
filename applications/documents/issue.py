"""Issuing a decision document: its PDF archived unchanged as an IssuedDocument, and its notification
recorded when the message is sent (electronically, with consent) or when an official records the letter."""

from django.core.files.base import ContentFile

from .. import notifications
from ..models import IssuedDocument


def issue(application, *, kind, title, language, decision_date, content: bytes, written: list, **links):
    """Archives `content` (the PDF) and queues the message that tells the municipalities, in the same
    transaction; with the applicant's consent that message, once delivered, is the electronic notification."""
    document = IssuedDocument(
        application=application,
        kind=kind,
        title=str(title),
        language=language,
        decision_date=decision_date,
        **links,
    )
    name = f"{application.case_number or application.pk}".replace("/", "-") + f"-{kind}-{language}.pdf"
    document.pdf.save(name, ContentFile(content), save=False)
    written.append((document.pdf.storage, document.pdf.name))
    document.save()
    notifications.document_issued(document)
    return document
