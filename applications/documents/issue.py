"""Issuing a decision document: its PDF archived unchanged as an IssuedDocument, and its notification
recorded when the message is sent (electronically, with consent) or when an official records the letter."""

from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction

from .. import notifications
from ..models import IssuedDocument


def issue(application, *, kind, title, language, decision_date, content: bytes, written: list, **links):
    """Archives `content` (the PDF) and, once the transaction commits, tells the municipalities; with
    the applicant's consent that message is the electronic notification."""
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
    transaction.on_commit(partial(notifications.send_issued_document, document.pk))
    return document
