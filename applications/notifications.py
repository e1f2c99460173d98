"""Who is told of what: each function here queues the mail of one event, in each recipient's own language
and with a link to the page where they act. Services call them inside their transaction, so the change and
its mail commit together (the durable queue of `mail`); the README's table "Who is told of what" lists them.

The municipalities' staff get mail about their cases; the ministry's people about work waiting for them.
Decision documents have one mail of their own (`document_issued`), which for a consenting applicant is the
electronic notification: it is recorded from the delivery, when the message has actually been sent."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Role, User
from mail.models import Message
from mail.outbox import absolute_url, queue
from mail.signals import message_sent

from .exceptions import WorkflowError
from .models import (
    Application,
    Decision,
    DocumentKind,
    Hearing,
    InformationRequest,
    IssuedDocument,
    Participant,
    ParticipationStatus,
    PaymentRequest,
    Report,
    ReviewAssignment,
)

DOCUMENT_REFERENCE = "issued-document:"
APPLICATION_REFERENCE = "application:"
# Decisions read on the case's decision page; the rest (payments, changes, returns) on the project's page.
ON_DECISION_PAGE = (DocumentKind.GRANT, DocumentKind.REJECTION, DocumentKind.RECTIFICATION)


def _active(users):
    return users.filter(is_active=True).exclude(email="").distinct().order_by("pk")


def staff_of(*organisation_ids) -> list[User]:
    return list(
        _active(
            User.objects.filter(
                memberships__role=Role.APPLICANT, memberships__organisation_id__in=organisation_ids
            )
        )
    )


def lead_staff(application: Application) -> list[User]:
    return staff_of(application.lead_id)


def case_staff(application: Application) -> list[User]:
    """The staff of the lead and of every municipality taking part (declined ones are not)."""
    organisations = {application.lead_id} | set(
        application.participants.exclude(status=ParticipationStatus.DECLINED).values_list(
            "organisation_id", flat=True
        )
    )
    return staff_of(*organisations)


def ministry(role: Role) -> list[User]:
    return list(_active(User.objects.filter(Q(memberships__role=role))))


def _tell(users, *, event, template, context, link, reference="", fragment=""):
    """One message to each user, each in their own language, with the link in that language."""
    viewname, kwargs = link
    for user in users:
        language = user.preferred_language
        queue(
            event=event,
            to=user.email,
            language=language,
            template=template,
            context={**context, "recipient": user},
            link=absolute_url(viewname, language=language, kwargs=kwargs, fragment=fragment),
            reference=reference,
        )


def _case(application: Application):
    return ("applications:detail", {"pk": application.pk})


def _project(application: Application):
    return ("applications:project", {"pk": application.pk})


# The municipalities' side -------------------------------------------------------------------------------


def partner_invited(participant: Participant) -> None:
    application = participant.application
    _tell(
        staff_of(participant.organisation_id),
        event="partner-invited",
        template="partner_invited",
        context={"application": application, "participant": participant},
        link=("applications:detail", {"pk": application.pk}),
        fragment="participation-title",
    )


def participation_answered(participant: Participant) -> None:
    application = participant.application
    _tell(
        lead_staff(application),
        event="participation-confirmed"
        if participant.status == ParticipationStatus.CONFIRMED
        else "participation-declined",
        template="participation_answered",
        context={"application": application, "participant": participant},
        link=("applications:participants", {"pk": application.pk}),
    )


def period_ended_early(application: Application) -> None:
    """The call's application period was ended before its time: the draft can no longer be submitted."""
    _tell(
        lead_staff(application),
        event="period-ended-early",
        template="period_ended_early",
        context={"application": application, "call": application.call},
        link=_case(application),
    )


def submission_receipts(application: Application, *, submitted_by=None) -> None:
    """A receipt with a summary to the staff of every municipality taking part and to the contact person
    named in the application (in the submitter's language if the address is nobody's account)."""
    participants = list(application.participants.select_related("organisation"))
    users = staff_of(*{p.organisation_id for p in participants} | {application.lead_id})
    context = {"application": application, "participants": participants}
    reference = f"{APPLICATION_REFERENCE}{application.pk}"
    _tell(
        users,
        event="submitted",
        template="submission_receipt",
        context=context,
        link=_case(application),
        reference=reference,
    )
    known = {user.email.lower() for user in users}
    contact = (application.contact_email or "").lower()
    if contact and contact not in known:
        language = submitted_by.preferred_language if submitted_by else settings.LANGUAGE_CODE
        queue(
            event="submitted",
            to=contact,
            language=language,
            template="submission_receipt",
            context=context,
            link=absolute_url("applications:detail", language=language, kwargs={"pk": application.pk}),
            reference=reference,
        )


def receipt_addresses(application: Application) -> list[str]:
    """Where the submission receipts of the application went (the receipt page lists them)."""
    return sorted(
        set(
            Message.objects.filter(
                event="submitted", reference=f"{APPLICATION_REFERENCE}{application.pk}"
            ).values_list("to", flat=True)
        )
    )


def information_requested(request: InformationRequest) -> None:
    application = request.application
    _tell(
        lead_staff(application),
        event="information-requested",
        template="information_request",
        context={"request": request, "application": application},
        link=("applications:answer-request", {"pk": application.pk, "request_pk": request.pk}),
    )


def payment_approved(payment: PaymentRequest) -> None:
    _tell(
        lead_staff(payment.application),
        event="payment-approved",
        template="payment_approved",
        context={"payment": payment, "application": payment.application},
        link=_project(payment.application),
    )


def payment_paid(payment: PaymentRequest) -> None:
    _tell(
        lead_staff(payment.application),
        event="payment-paid",
        template="payment_paid",
        context={"payment": payment, "application": payment.application},
        link=_project(payment.application),
    )


def report_checked(report: Report) -> None:
    _tell(
        lead_staff(report.application),
        event="report-checked",
        template="report_checked",
        context={"report": report, "application": report.application},
        link=_project(report.application),
    )


def hearing_sent(hearing: Hearing) -> None:
    _tell(
        lead_staff(hearing.application),
        event="hearing-sent",
        template="hearing_sent",
        context={"hearing": hearing, "application": hearing.application},
        link=_project(hearing.application),
        fragment="hearing-title",
    )


def document_issued(document: IssuedDocument) -> None:
    """A decision (on the grant, a payment, a change, a return or recovery, a rectification) to the staff of
    every municipality taking part, with its outcome and amount where it has one."""
    application = document.application
    decision = getattr(application, "decision", None)
    _tell(
        case_staff(application),
        event=f"decision-{document.kind}",
        template="decision",
        context={"document": document, "application": application, "decision": decision},
        link=("applications:decision", {"pk": application.pk})
        if document.kind in ON_DECISION_PAGE
        else _project(application),
        reference=f"{DOCUMENT_REFERENCE}{document.pk}",
    )


@receiver(message_sent, sender=Message, dispatch_uid="applications-electronic-notification")
def record_electronic_notification(sender, message: Message, **kwargs) -> None:
    """The first delivered message about a decision may be its notification: the workflow's system step
    records it, with its journal row (applications.services.record_electronic_notification). Without the
    applicant's consent, or once the notification is recorded, there is nothing to record."""
    from .services import record_electronic_notification as record

    if not message.reference.startswith(DOCUMENT_REFERENCE):
        return
    document_id = int(message.reference.removeprefix(DOCUMENT_REFERENCE))
    try:
        record(document_id=document_id, delivered_at=message.sent_at)
    except (IssuedDocument.DoesNotExist, WorkflowError):
        return


# The ministry's side -----------------------------------------------------------------------------------


def information_answered(request: InformationRequest) -> None:
    application = request.application
    users = [request.requested_by] if request.requested_by.is_active else ministry(Role.OFFICIAL)
    _tell(
        users,
        event="information-answered",
        template="information_answered",
        context={"request": request, "application": application},
        link=("processing:case", {"pk": application.pk}),
    )


def reviewer_assigned(review: ReviewAssignment) -> None:
    _tell(
        [review.reviewer],
        event="reviewer-assigned",
        template="reviewer_assigned",
        context={"review": review, "application": review.application},
        link=("processing:review", {"pk": review.pk}),
    )


def proposal_waiting(decision: Decision) -> None:
    application = decision.application
    _tell(
        [user for user in ministry(Role.DECISION_MAKER) if user.pk != decision.proposed_by_id],
        event="proposal-waiting",
        template="proposal_waiting",
        context={"decision": decision, "application": application},
        link=("processing:decisions", {"slug": application.call.slug}),
    )


def proposal_returned(decision: Decision) -> None:
    application = decision.application
    _tell(
        [decision.proposed_by] if decision.proposed_by else ministry(Role.OFFICIAL),
        event="proposal-returned",
        template="proposal_returned",
        context={"decision": decision, "application": application},
        link=("processing:case", {"pk": application.pk}),
    )


def hearing_answered(hearing: Hearing) -> None:
    _tell(
        [hearing.sent_by] if hearing.sent_by.is_active else ministry(Role.OFFICIAL),
        event="hearing-answered",
        template="hearing_answered",
        context={"hearing": hearing, "application": hearing.application},
        link=("processing:project", {"pk": hearing.application_id}),
    )


def reminder(user: User, *, text: str, params: dict, link) -> None:
    """A reminder of the daily run (`send_reminders`): `text` is marked for translation and filled with
    `params` in the recipient's language."""
    with translation.override(user.preferred_language):
        message = gettext(text) % params
    _tell([user], event="reminder", template="reminder", context={"message": message}, link=link)
