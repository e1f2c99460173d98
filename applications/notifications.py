"""Email to municipalities, each message in its recipient's preferred language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Role, User

from .models import Application


def _send(template, context, *, to, language):
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def send_submission_receipts(application_id, *, submitted_by=None):
    """A receipt with a summary to the application's contact person and to the staff of every
    municipality taking part, once the submission has been committed."""
    application = (
        Application.objects.select_related("call", "lead", "emphasis_area")
        .prefetch_related("participants__organisation", "budget_lines")
        .get(pk=application_id)
    )
    organisations = [p.organisation_id for p in application.participants.all()]
    recipients = {}
    staff = User.objects.filter(
        is_active=True, memberships__role=Role.APPLICANT, memberships__organisation_id__in=organisations
    ).distinct()
    for user in staff:
        recipients[user.email.lower()] = user.preferred_language
    if application.contact_email:
        fallback = submitted_by.preferred_language if submitted_by else settings.LANGUAGE_CODE
        recipients.setdefault(application.contact_email.lower(), fallback)
    context = {"application": application, "participants": list(application.participants.all())}
    for email, language in sorted(recipients.items()):
        _send("submission_receipt", context, to=email, language=language)


def _lead_staff(application):
    return User.objects.filter(
        is_active=True, memberships__role=Role.APPLICANT, memberships__organisation_id=application.lead_id
    ).distinct()


def send_information_request(request_id):
    from .models import InformationRequest

    request = InformationRequest.objects.select_related("application__call", "application__lead").get(
        pk=request_id
    )
    for user in _lead_staff(request.application):
        _send(
            "information_request",
            {"request": request, "application": request.application},
            to=user.email,
            language=user.preferred_language,
        )


def send_issued_document(document_id):
    """Tells the staff of every municipality taking part that a decision was issued and can be read in
    the system. If the applicant consented to electronic notification, this message is the notification:
    it is recorded as sent today and deemed received on the third day (13/2003 § 19). Without consent the
    message is for information only, and an official records the letter."""
    from . import rules
    from .models import IssuedDocument, NotificationMethod

    document = IssuedDocument.objects.select_related("application__call", "application__lead").get(
        pk=document_id
    )
    application = document.application
    organisations = list(application.participants.values_list("organisation_id", flat=True)) or [
        application.lead_id
    ]
    staff = User.objects.filter(
        is_active=True, memberships__role=Role.APPLICANT, memberships__organisation_id__in=organisations
    ).distinct()
    for user in staff:
        _send(
            "decision",
            {"document": document, "application": application},
            to=user.email,
            language=user.preferred_language,
        )
    if application.electronic_notification and not document.method:
        today = timezone.localdate()
        IssuedDocument.objects.filter(pk=document.pk, method="").update(
            method=NotificationMethod.ELECTRONIC,
            sent_on=today,
            notified_on=rules.presumed_notified_on(NotificationMethod.ELECTRONIC, today),
        )
