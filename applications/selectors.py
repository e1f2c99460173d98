"""Reads that pages share; each owns its joins so that a page's query count does not grow with its rows."""

from dataclasses import dataclass

from django.db.models import (
    Prefetch,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.permissions import municipality_ids
from core.translation import nordic_sort_key

from .models import (
    Application,
    Attachment,
    CaseEvent,
    GrantReturn,
    Participant,
    ParticipationStatus,
    PaymentRequest,
    Status,
)
from .permissions import visible_to


def application_for_page(user, pk):
    """One application the user may see, with everything its pages show, or None (the view says 404).
    Ministry-internal journal events are left out: these pages are the applicants'."""
    queryset = Application.objects.select_related(
        "call__programme", "lead", "emphasis_area", "created_by", "decision"
    ).prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("organisation", "responded_by")),
        "budget_lines",
        Prefetch(
            "attachments",
            queryset=Attachment.objects.select_related("participant__organisation", "uploaded_by"),
        ),
        Prefetch("events", queryset=CaseEvent.objects.filter(internal=False).select_related("actor")),
        "information_requests",
    )
    return visible_to(user, queryset).filter(pk=pk).first()


@dataclass(frozen=True)
class CaseRow:
    application: Application
    is_lead: bool
    own_participant: Participant | None
    next_step: str


def _next_step(application, is_lead, own_participant):
    if application.status == Status.DRAFT:
        if is_lead:
            return _("Complete the application and submit it by %(deadline)s.") % {
                "deadline": formats.date_format(timezone.localtime(application.call.closes_at), "j.n.Y H:i")
            }
        if own_participant and own_participant.status == ParticipationStatus.PENDING:
            return _("Confirm or decline your municipality's participation.")
        return _("The lead applicant is preparing the application.")
    if application.status == Status.SUBMITTED:
        return _("The ministry is processing the application.")
    if application.status == Status.WITHDRAWN:
        return _("Nothing: the application was withdrawn.")
    if application.status == Status.AWARDED:
        return _("The grant was awarded.")
    if application.status == Status.REJECTED:
        return _("The application was rejected.")
    return _("Nothing: the case is closed.")


# The long texts of an application, which no list shows: left in the database, a page reads less.
LONG_TEXTS = (
    "summary",
    "objectives",
    "actions",
    "schedule",
    "expected_results",
    "dissemination",
    "draft_input",
)


def cases_for_municipality_staff(user):
    """The user's municipalities' applications, as lead or participant, newest first.

    Subqueries rather than a join, so that no DISTINCT is needed however many cases a municipality has
    (the rows are the user's own cases, so they are all visible to them)."""
    own = municipality_ids(user)
    # A union of two indexed lookups: "lead = X OR id IN (…)" made PostgreSQL read every application.
    # (Imported historical cases have no participant rows, so the lead is looked up on its own too.)
    led = Application.objects.filter(lead_id__in=own).order_by().values("pk")
    taking_part = Participant.objects.filter(organisation_id__in=own).order_by().values("application_id")
    return (
        Application.objects.select_related("call", "lead")
        .defer(*LONG_TEXTS)
        .filter(pk__in=led.union(taking_part))
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("organisation"))
        )
        .order_by("-updated_at", "-pk")
    )


def case_rows(applications, user):
    """What My cases shows of each application: its role for the user's municipality and the next step."""
    own = municipality_ids(user)
    rows = []
    for application in applications:
        is_lead = application.lead_id in own
        own_participant = next(
            (p for p in application.participants.all() if p.organisation_id in own and not p.is_lead), None
        )
        rows.append(
            CaseRow(
                application=application,
                is_lead=is_lead,
                own_participant=own_participant,
                next_step=_next_step(application, is_lead, own_participant),
            )
        )
    return rows


def municipality_options():
    """Every municipality for the participant picker, in the page language's order."""
    return sorted(Organisation.objects.municipalities(), key=lambda org: nordic_sort_key(org.name))


def project_for_page(pk):
    """An awarded (or closed) project with everything its follow-up pages show."""
    return (
        Application.objects.followed_up()
        .select_related("call", "lead", "decision")
        .prefetch_related(
            Prefetch(
                "payment_requests",
                queryset=PaymentRequest.objects.select_related(
                    "ledger_extract", "submitted_by"
                ).prefetch_related("cost_lines"),
            ),
            "change_requests",
            "reports",
            Prefetch(
                "returns",
                queryset=GrantReturn.objects.select_related("hearing").prefetch_related("repayments"),
            ),
            "hearings",
            Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
        )
        .filter(pk=pk)
        .first()
    )


def issued_documents(application, user=None):
    """The case's issued decisions, oldest first, each with its rectification deadline (None until the
    notification is recorded) and its rectification requests; with `user`, whether they may request
    rectification of it now (`can_request`)."""
    from . import rules, workflow
    from .models import IssuedDocument, RectificationRequest

    documents = list(
        IssuedDocument.objects.filter(application=application)
        .select_related("decision", "change", "grant_return")
        .prefetch_related(
            Prefetch(
                "rectification_requests",
                queryset=RectificationRequest.objects.select_related("organisation", "decided_by"),
            )
        )
        .order_by("issued_at", "pk")
    )
    for document in documents:
        document.application = application
        document.deadline = rules.rectification_deadline(document.notified_on)  # type: ignore[attr-defined]
        if user is not None:
            document.can_request = workflow.allows(  # type: ignore[attr-defined]
                RectificationRequest(application=application, document=document), "submit", user
            )
    return documents
